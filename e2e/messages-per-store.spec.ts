/**
 * What an action says belongs to its store: switching tabs must not show one store's news
 * under another store's name.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, startPage } from './ui-helpers';
import { action, dialog, okAndWait, selectRow } from './action-helpers';

const keydesk = resolve(__dirname, '../bin/keydesk');

test('a store\'s message shows only while that store is in view', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-e2e-'));
  for (const name of ['one', 'two']) {
    const db = join(dir, `${name}.p12`);
    execFileSync(keydesk, ['-keydb', '-create', '-db', db, '-pw', 'pw', '-type', 'pkcs12']);
    execFileSync(keydesk, ['-cert', '-create', '-db', db, '-pw', 'pw', '-label', `${name}-cert`, '-dn', `CN=${name}`, '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256']);
  }
  await startPage(page);
  await openStore(page, join(dir, 'one.p12'), { password: 'pw' });
  await openStore(page, join(dir, 'two.p12'), { password: 'pw' });

  await selectRow(page, 'Personal Certificates', 'two-cert');
  await action(page, 'Rename…').click();
  const d = dialog(page, /Rename/);
  await d.getByLabel('New label').fill('two-renamed');
  await okAndWait(page, d, /Renamed “two-cert” to “two-renamed”/);

  const news = page.getByRole('status').filter({ hasText: 'two-renamed' });
  await page.getByRole('tab', { name: /one\.p12/ }).click();
  await expect(news).toBeHidden();
  await page.getByRole('tab', { name: /two\.p12/ }).click();
  await expect(news).toBeVisible();
});

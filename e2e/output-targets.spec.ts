/**
 * Issue 13 in the UI: no "save to" field of any dialog can write over the key store or
 * one of its files (Extract…, New Request…, Sign…, Export…, Save As / Convert…, Export
 * List…); each is refused in the dialog, in words, and the store's files are byte for
 * byte what they were. Delete keeps no copy of the deleted key unless asked, and then says
 * where the copy is.
 */
import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './store-fixtures';
import { openStore, screenshot, startPage } from './ui-helpers';
import { action, cliEntries, dialog, keydeskCli, okAndWait, selectRow } from './action-helpers';

test.describe.configure({ mode: 'serial' });

const dir = tempDir();
const kdb = join(dir, 'key.kdb');
const ec = ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'];

test.beforeAll(() => {
  keydeskCli(['-keydb', '-create', '-db', kdb, '-pw', 'Passw0rd!', '-type', 'cms', '-stash']);
  keydeskCli(['-cert', '-create', '-db', kdb, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=Targets', ...ec]);
  keydeskCli(['-cert', '-create', '-db', kdb, '-stashed', '-label', 'class ca', '-dn', 'CN=Class CA,O=Targets', '-ca', 'true', ...ec]);
  keydeskCli(['-certreq', '-create', '-db', kdb, '-stashed', '-label', 'renewal', '-dn', 'CN=Renewal,O=Targets', '-file', join(dir, 'renewal.csr'), ...ec]);
});

/** Every file of the folder with a hash of its bytes: what "nothing was written" means. */
function folder(): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

/** OK in the dialog is refused with the server's one line; the folder is unchanged. */
async function refusedInDialog(page: Page, d: ReturnType<typeof dialog>, message: RegExp, shot?: string): Promise<void> {
  const before = folder();
  const ok = d.getByRole('button', { name: 'OK', exact: true });
  if (await ok.isEnabled()) {
    await ok.click();
    await expect(d.getByRole('alert')).toContainText(message);
  } else {
    // Refused before it is asked (the dialog's own check of a store's request database).
    await expect(d).toContainText(message);
  }
  if (shot) await screenshot(page, shot);
  expect(folder()).toEqual(before);
  await d.getByRole('button', { name: 'Cancel' }).click();
}

async function openKdb(page: Page) {
  await startPage(page);
  await openStore(page, kdb, { stash: true });
}

test('Extract…, New Request… and Sign… refuse the store and its stash as their file', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(page, 'Extract…').click();
  let d = dialog(page, 'Extract Certificate: ibmwebspheremqqm1');
  await d.getByLabel('File', { exact: true }).fill(kdb);
  await refusedInDialog(page, d, /key\.kdb is the key store itself; nothing was written/, 'dialog-extract-onto-store');
  await action(page, 'Extract…').click();
  await d.getByLabel('File', { exact: true }).fill(join(dir, 'key.sth'));
  await refusedInDialog(page, d, /key\.sth is part of the key store/);

  await action(page, 'New Request…').click();
  d = dialog(page, 'New Certificate Request');
  await d.getByLabel('Key label', { exact: true }).fill('another');
  await d.getByLabel('Common name (CN)').fill('Another');
  await d.getByLabel('File', { exact: true }).fill(join(dir, 'key.rdb'));
  await refusedInDialog(page, d, /key\.rdb is part of the key store/);
  // The request was not made either: a refused file means no change at all.
  expect(keydeskCli(['-certreq', '-list', '-db', kdb, '-stashed'])).not.toContain('another');

  await selectRow(page, 'Personal Certificates', 'class ca');
  await action(page, 'Sign…').click();
  d = dialog(page, 'Sign a Request with class ca');
  await d.getByLabel('Certificate request file').fill(join(dir, 'renewal.csr'));
  await d.getByLabel('Signed certificate file').fill(kdb);
  await refusedInDialog(page, d, /key\.kdb is the key store itself/);
});

test('Export…, Save As / Convert… and Export List… refuse the store and its files', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(page, 'Export…').click();
  let d = dialog(page, 'Export: ibmwebspheremqqm1');
  await d.getByLabel('File', { exact: true }).fill(join(dir, 'key.sth'));
  await d.getByLabel('Password', { exact: true }).fill('Export-pw1');
  await d.getByLabel('Confirm password').fill('Export-pw1');
  await refusedInDialog(page, d, /key\.sth|key\.rdb/);

  await page.getByRole('button', { name: 'Save As / Convert…' }).click();
  d = dialog(page, 'Save As / Convert');
  await d.getByLabel('File', { exact: true }).fill(kdb);
  await d.getByLabel('Password', { exact: true }).fill('Convert-pw1');
  await d.getByLabel('Confirm password').fill('Convert-pw1');
  await refusedInDialog(page, d, /key\.kdb/);

  await page.getByRole('button', { name: 'Export List…' }).click();
  d = dialog(page, 'Export List');
  await d.getByLabel('File', { exact: true }).fill(kdb);
  await refusedInDialog(page, d, /key\.kdb is the key store itself; nothing was written\. Choose another file for the report\./, 'dialog-export-list-onto-store');
  expect(cliEntries(kdb, { stashed: true }).map((e) => e.label).sort()).toEqual(['class ca', 'ibmwebspheremqqm1']);
});

test('Delete keeps no copy of the deleted key unless asked; asked, it says where the copy is', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Personal Certificates', 'class ca');
  await action(page, 'Delete').click();
  const d = dialog(page, 'Delete');
  const keep = d.getByLabel('Keep a backup copy of the store (.bak)');
  await expect(keep).not.toBeChecked();
  await keep.check();
  await screenshot(page, 'dialog-delete-backup');
  // As on a small projector, in the dark theme: the checkbox and its warning stay in view.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(keep).toBeInViewport();
  await screenshot(page, 'dialog-delete-backup-1024-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await okAndWait(page, d, /Deleted the personal certificate “class ca”/);
  await expect(page.getByRole('status').filter({ hasText: /Deleted/ })).toContainText(/key\.kdb\.bak.*private key of "class ca"/);
  expect(statSync(join(dir, 'key.kdb.bak')).mode & 0o777).toBe(0o600);

  await selectRow(page, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(page, 'Delete').click();
  await okAndWait(page, d, /Deleted the personal certificate “ibmwebspheremqqm1”/);
  // No new copy; the one asked for before is left alone, and the message says it still
  // holds the key just deleted.
  await expect(page.getByRole('status').filter({ hasText: /Deleted/ })).toContainText(/key\.kdb\.bak.*an earlier backup.*still holds? the key just deleted/);
  const copy = keydeskCli(['-cert', '-list', '-db', join(dir, 'key.kdb.bak'), '-pw', 'Passw0rd!']);
  expect(copy).toContain('ibmwebspheremqqm1');
  expect(cliEntries(kdb, { stashed: true }).map((e) => e.label)).toEqual([]);
});

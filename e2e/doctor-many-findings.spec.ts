/**
 * A help desk's signer list with many partner certificates whose issuer is not in the
 * store: the Doctor draws the first ten of that kind and one line with how many more,
 * keeping the other findings in view; Show All draws the rest. (Drawn one card each, 5,000
 * of them took seconds: issue 16's Doctor target.)
 */
import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rsaCertificates } from '../scripts/bench-stores';
import { writeCmsStore } from '../core/formats/cms';
import type { SignerEntry } from '../core/model/key-store';
import { tempDir } from './store-fixtures';
import { openStore, screenshot, startPage } from './ui-helpers';

test('the Doctor shows ten MISSING_ISSUER findings of twenty-five, then the other fifteen on Show All', async ({ page }) => {
  const dir = tempDir();
  const db = join(dir, 'partners.kdb');
  const entries: SignerEntry[] = rsaCertificates(25).map((certificate, i) => ({ kind: 'signer', label: `partner ${i + 1}`, certificate }));
  const written = writeCmsStore({ format: 'cms', properties: {}, entries }, 'partners-Passw0rd');
  writeFileSync(db, written.kdb);
  writeFileSync(join(dir, 'partners.rdb'), written.rdb);
  writeFileSync(join(dir, 'partners.crl'), written.crl);

  await startPage(page);
  await openStore(page, db, { password: 'partners-Passw0rd' });
  await page.getByRole('tab', { name: 'Doctor', exact: true }).click();
  const findings = page.getByRole('list', { name: 'Findings' });
  const missingIssuer = findings.getByRole('listitem').filter({ hasText: 'MISSING_ISSUER', hasNotText: 'not shown' });
  await expect(missingIssuer).toHaveCount(10);
  const more = findings.getByRole('listitem').filter({ hasText: '15 more MISSING_ISSUER findings not shown.' });
  await expect(more).toBeVisible();
  // The store's other finding (no stash beside it) is still drawn.
  await expect(findings.getByRole('listitem').filter({ hasText: 'STASH_MISSING' })).toHaveCount(1);
  await page.setViewportSize({ width: 1366, height: 768 });
  await more.scrollIntoViewIfNeeded();
  await screenshot(page, 'doctor-many-findings-1366x768');

  await more.getByRole('button', { name: 'Show All MISSING_ISSUER' }).click();
  await expect(missingIssuer).toHaveCount(25);
  await expect(more).toHaveCount(0);
  await expect(missingIssuer.last()).toContainText('partner 25');
  await page.getByRole('button', { name: /^Close partners\.kdb/ }).click();
});

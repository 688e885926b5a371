/**
 * Issue 16's UI targets on a real 5,000-signer CMS database in browser mode: open, the
 * Doctor, the Validity Timeline and Save As PKCS#12, each timed in the page from the click
 * to the frame that shows the result. Run by `npm run bench` (KEYDESK_BENCH=1) only: it
 * reports timings, it asserts none (playwright.config.ts leaves it out of `npm test`).
 */
import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rsaCertificates } from '../scripts/bench-stores';
import { writeCmsStore } from '../core/formats/cms';
import type { SignerEntry } from '../core/model/key-store';
import { tempDir } from './store-fixtures';
import { chooseStoreInFileBrowser, startPage } from './ui-helpers';
import { dialog } from './action-helpers';
import { armTimer, reportTiming, timerResult } from './bench-timer';

const count = 5000;
const password = 'bench-Passw0rd';

test('5,000 signers: open, Doctor, Validity Timeline, Save As PKCS#12', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = tempDir();
  const db = join(dir, 'signers.kdb');
  const certificates = rsaCertificates(count);
  const entries: SignerEntry[] = certificates.map((certificate, i) => ({ kind: 'signer', label: `partner ${i + 1}`, certificate }));
  const written = writeCmsStore({ format: 'cms', properties: {}, entries }, password);
  writeFileSync(db, written.kdb);
  writeFileSync(join(dir, 'signers.rdb'), written.rdb);
  writeFileSync(join(dir, 'signers.crl'), written.crl);

  await startPage(page);
  await chooseStoreInFileBrowser(page, db);
  const unlock = page.getByRole('dialog', { name: 'Open key database' });
  await expect(unlock.getByText(/Looking for a stash file/)).toBeHidden();
  await unlock.getByLabel('Password').fill(password);
  await armTimer(page, '.pane-tab .count', `^${count}\\b`);
  await unlock.getByRole('button', { name: 'OK' }).click();
  reportTiming(test.info(), { case: 'UI: open (5,000 signers)', entries: count, ms: await timerResult(page), targetMs: 1000 });

  await armTimer(page, '.doctor-summary', 'errors?,|No findings');
  await page.getByRole('tab', { name: 'Doctor', exact: true }).click();
  reportTiming(test.info(), { case: 'UI: Doctor (5,000 signers)', entries: count, ms: await timerResult(page), targetMs: 1000 });

  // The first rows, then every row (the panel draws the rest in the background).
  await armTimer(page, '[aria-label="Validity timeline"] .timeline-row', 'partner');
  await armTimer(page, '[aria-label="Validity timeline"] .timeline-row .mono', `^partner ${count}$`, 'all rows');
  await page.getByRole('tab', { name: 'Validity Timeline' }).click();
  const timelineMs = await timerResult(page);
  const allRowsMs = await timerResult(page, 'all rows');
  reportTiming(test.info(), { case: 'UI: Validity Timeline (5,000 signers)', entries: count, ms: timelineMs, targetMs: 500, note: `all ${count} rows drawn after ${Math.round(allRowsMs)} ms` });
  await expect(page.getByRole('table', { name: 'Validity timeline' }).getByRole('row').filter({ hasText: `partner ${count}` })).toHaveCount(1);

  await page.getByRole('button', { name: 'Save As / Convert…' }).click();
  const saveAs = dialog(page, 'Save As / Convert');
  await saveAs.getByLabel('Current password').fill(password);
  await expect(saveAs.getByLabel('Target type')).toHaveValue('pkcs12');
  // Not signers.p12: it would share signers.rdb with the .kdb (the dialog refuses that).
  const p12 = join(dir, 'signers-converted.p12');
  await saveAs.getByLabel('File', { exact: true }).fill(p12);
  await saveAs.getByLabel('Password', { exact: true }).fill('p12-Passw0rd');
  await saveAs.getByLabel('Confirm password').fill('p12-Passw0rd');
  await saveAs.getByLabel('Stash password to a file').uncheck();
  await armTimer(page, '[role="status"]', 'Saved as');
  await saveAs.getByRole('button', { name: 'OK', exact: true }).click();
  reportTiming(test.info(), { case: 'UI: Save As PKCS#12 (5,000 signers)', entries: count, ms: await timerResult(page), targetMs: 1500 });
  await expect(page.getByRole('tab', { name: /signers-converted\.p12/ })).toHaveAttribute('aria-selected', 'true');
});

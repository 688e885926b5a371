/**
 * Issue 8 in the UI, in browser mode against real files: the Doctor panel (a finding, its
 * fix, the finding gone), exchange mode with two stores side by side (Test Connection
 * failing before the exchange and naming the missing signer, Exchange Signers' checklist,
 * Test Connection passing after), Compare as two columns, Export List… written and parsed,
 * and the validity timeline. Stores are made with the KeyDesk CLI; screenshots go to
 * test-results/screenshots for a person to look at.
 */
import { test, expect, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './store-fixtures';
import { openStore, screenshot, startPage } from './ui-helpers';
import { dialog, keydeskCli } from './action-helpers';

const RSA = ['-size', '2048', '-sig_alg', 'SHA256WithRSA'];
const EC = ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'];

function makeStore(path: string, pw: string, type: 'cms' | 'pkcs12', stash: boolean, certs: { label: string; dn: string; key: string[]; expire?: string }[]) {
  keydeskCli(['-keydb', '-create', '-db', path, '-pw', pw, '-type', type, ...(stash ? ['-stash'] : [])]);
  for (const c of certs) keydeskCli(['-cert', '-create', '-db', path, '-pw', pw, '-label', c.label, '-dn', c.dn, ...c.key, ...(c.expire ? ['-expire', c.expire] : [])]);
}

function storePanel(page: Page, name: RegExp) {
  return page.getByRole('tabpanel', { name });
}

async function sideBySide(page: Page) {
  await page.getByRole('button', { name: 'Side by Side' }).click();
  await expect(page.getByRole('button', { name: 'Side by Side' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('region', { name: 'Exchange mode' })).toBeVisible();
}

test('Doctor: a label MQ will not find and a missing stash are found, and their fixes clear them', async ({ page }) => {
  const dir = tempDir();
  const db = join(dir, 'key.kdb');
  makeStore(db, 'qm-Passw0rd', 'cms', false, [
    { label: 'IBMWebSphereMQQM1', dn: 'CN=QM1,O=KeyDesk Tests', key: RSA },
    { label: 'old partner', dn: 'CN=Old Partner,O=KeyDesk Tests', key: RSA, expire: '10' },
  ]);
  await startPage(page);
  await openStore(page, db, { password: 'qm-Passw0rd' });
  await page.getByRole('tab', { name: 'Doctor', exact: true }).click();
  const doctor = page.getByRole('form', { name: 'Doctor questions' });
  await doctor.getByLabel('Queue manager name').fill('QM1');
  await doctor.getByRole('button', { name: 'Check' }).click();

  const findings = page.getByRole('list', { name: 'Findings' });
  const labelCase = findings.getByRole('listitem').filter({ hasText: 'MQ_LABEL_CASE' });
  await expect(labelCase).toContainText('Error');
  await expect(labelCase).toContainText('IBMWebSphereMQQM1');
  const stash = findings.getByRole('listitem').filter({ hasText: 'STASH_MISSING' });
  await expect(stash).toBeVisible();
  await expect(findings.getByRole('listitem').filter({ hasText: 'EXPIRING_SOON' })).toContainText('Warning');
  await screenshot(page, 'doctor-panel');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'doctor-panel-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await labelCase.getByRole('button', { name: 'Rename to “ibmwebspheremqqm1”' }).click();
  await expect(findings.getByRole('listitem').filter({ hasText: 'MQ_LABEL_CASE' })).toHaveCount(0);
  expect(keydeskCli(['-cert', '-list', 'personal', '-db', db, '-pw', 'qm-Passw0rd'])).toContain('ibmwebspheremqqm1');

  await stash.getByRole('button', { name: 'Stash Password…' }).click();
  const d = dialog(page, 'Stash Password');
  await d.getByLabel('Password', { exact: true }).fill('qm-Passw0rd');
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(findings.getByRole('listitem').filter({ hasText: 'STASH_MISSING' })).toHaveCount(0);
  expect(existsSync(join(dir, 'key.sth'))).toBe(true);
  await expect(findings.getByRole('listitem').filter({ hasText: 'Error' })).toHaveCount(0);
  await screenshot(page, 'doctor-panel-fixed');
});

test('Exchange mode: Test Connection fails naming the missing signer, Exchange Signers lists the steps, then it passes; Compare shows two columns', async ({ page }) => {
  test.setTimeout(90_000);
  const dir = tempDir();
  const qm = join(dir, 'qm1.kdb');
  const app = join(dir, 'app1.p12');
  makeStore(qm, 'qm-Passw0rd', 'cms', true, [{ label: 'ibmwebspheremqqm1', dn: 'CN=QM1,O=KeyDesk Class', key: RSA }]);
  makeStore(app, 'app-Passw0rd', 'pkcs12', false, [{ label: 'ibmwebspheremqapp1', dn: 'CN=app1,O=KeyDesk Class', key: EC }]);
  await startPage(page);
  await openStore(page, qm, { stash: true });
  await openStore(page, app, { password: 'app-Passw0rd' });
  await sideBySide(page);
  await expect(storePanel(page, /qm1\.kdb/)).toBeVisible();
  await expect(storePanel(page, /app1\.p12/)).toBeVisible();
  const exchange = page.getByRole('region', { name: 'Exchange mode' });

  // Before the exchange: neither side trusts the other.
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  let d = dialog(page, 'Test Connection');
  await expect(d.getByLabel('Client authentication')).toHaveValue('required');
  await d.getByRole('button', { name: 'Test' }).click();
  const result = exchange.getByRole('status', { name: 'Connection test' });
  await expect(result).toContainText('Connection test failed');
  await expect(result).toContainText(/CN=(QM1|app1),O=KeyDesk Class/);

  // Compare before: each personal certificate only on its side.
  await exchange.getByRole('button', { name: 'Compare' }).click();
  d = dialog(page, 'Compare Key Databases');
  await expect(d.getByRole('region', { name: /^Only in A \(qm1\.kdb\) \(1\)/ })).toContainText('ibmwebspheremqqm1');
  await expect(d.getByRole('region', { name: /^Only in B \(app1\.p12\) \(1\)/ })).toContainText('ibmwebspheremqapp1');
  await d.getByRole('button', { name: 'Close' }).click();

  await exchange.getByRole('button', { name: 'Exchange Signers…' }).click();
  d = dialog(page, 'Exchange Signers');
  await expect(d.getByLabel(/Personal certificate of qm1\.kdb/)).toHaveValue('ibmwebspheremqqm1');
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(d).toHaveCount(0, { timeout: 30_000 });
  const checklist = exchange.getByRole('list', { name: 'Exchange checklist' });
  for (const step of ['Extract', 'Transfer', 'Add', 'Enable']) await expect(checklist.getByRole('listitem').filter({ hasText: step }).first()).toBeVisible();
  await expect(storePanel(page, /app1\.p12/).getByRole('tab', { name: 'Signer Certificates', exact: true })).toContainText('1');
  expect(keydeskCli(['-cert', '-list', 'ca', '-db', qm, '-stashed'])).toMatch(/app1/i);

  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  d = dialog(page, 'Test Connection');
  await d.getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText('Connection test passed');
  await expect(result).toContainText(/TLSv1\.[23]/);
  await screenshot(page, 'exchange-mode');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'exchange-mode-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // Folded away, the steps give the two stores their room back; the verdict stays a click away.
  await exchange.getByRole('button', { name: 'Hide Steps' }).click();
  await expect(result).toBeHidden();
  await expect(storePanel(page, /qm1\.kdb/).getByRole('row', { name: /ibmwebspheremqqm1/ })).toBeInViewport();
  await screenshot(page, 'exchange-mode-folded');
  await exchange.getByRole('button', { name: 'Show Steps' }).click();
  await expect(result).toContainText('Connection test passed');

  // Compare after: the certificates now in both stores are matched by fingerprint.
  await exchange.getByRole('button', { name: 'Compare' }).click();
  d = dialog(page, 'Compare Key Databases');
  await expect(d.getByRole('region', { name: /^Same in both \(2\)/ })).toBeVisible();
  await screenshot(page, 'compare');
  await d.getByRole('button', { name: 'Close' }).click();
});

test('Export List… writes a CSV and an HTML list; the validity timeline shows every certificate', async ({ page }) => {
  const dir = tempDir();
  const db = join(dir, 'key.p12');
  makeStore(db, 'Passw0rd', 'pkcs12', false, [
    { label: 'ibmwebspheremqqm1', dn: 'CN=QM1,O=KeyDesk Tests', key: RSA, expire: '365' },
    { label: 'expiring partner', dn: 'CN=Partner,O=KeyDesk Tests', key: EC, expire: '12' },
    { label: 'class ca', dn: 'CN=Class CA,O=KeyDesk Tests', key: RSA, expire: '3650' },
  ]);
  await startPage(page);
  await openStore(page, db, { password: 'Passw0rd' });

  await page.getByRole('button', { name: 'Export List…' }).click();
  let d = dialog(page, 'Export List');
  const csv = join(dir, 'list.csv');
  await d.getByLabel('File', { exact: true }).fill(csv);
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Wrote the certificate list/ })).toBeVisible();
  const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]!.toLowerCase()).toContain('label');
  expect(lines.length).toBe(4);
  expect(lines.some((l) => l.includes('expiring partner'))).toBe(true);
  const header = lines[0]!.split(',');
  for (const line of lines.slice(1)) expect(line.split(',').length).toBeGreaterThanOrEqual(header.length);

  await page.getByRole('button', { name: 'Export List…' }).click();
  d = dialog(page, 'Export List');
  await d.getByLabel('Format').selectOption('html');
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(/\.html$/);
  const html = join(dir, 'key-certificates.html');
  await d.getByLabel('File', { exact: true }).fill(html);
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(d).toHaveCount(0);
  const page2 = readFileSync(html, 'utf8');
  expect(page2).toMatch(/<html/i);
  expect(page2).toContain('expiring partner');

  await page.getByRole('tab', { name: 'Validity Timeline' }).click();
  const timeline = page.getByRole('table', { name: 'Validity timeline' });
  await expect(timeline.getByRole('row')).toHaveCount(4);
  await expect(timeline.getByRole('row').filter({ hasText: 'expiring partner' })).toContainText('Expiring soon');
  await expect(timeline.getByRole('row').filter({ hasText: 'class ca' })).toContainText('Valid');
  await screenshot(page, 'validity-timeline');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'validity-timeline-dark');
});

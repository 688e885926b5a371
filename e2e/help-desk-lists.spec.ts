/**
 * The help desk's large signer lists (issue 15): a CMS key database with more than 100
 * signers (long CA names as labels, VeriSign's Class 1/3/4 G3 roots, certificates expiring
 * today, tomorrow and in 12 days, an expired one, weak ones, one kept but not trusted),
 * and the JDK's own cacerts where the machine has one. Columns resized by drag and keyboard,
 * fitted to content, chosen and remembered; the filter on the phrase as typed; expiry
 * badges in calendar days, inside their cells; the CSV export parsed back.
 *
 * The browser runs in a fixed-offset time zone where it is around noon now, so "tomorrow
 * 08:00" is less than 24 hours away: the case the old day arithmetic called "today".
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslSha256, tempDir } from './store-fixtures';
import { openStore, paneGrid, paneTab, screenshot, startPage } from './ui-helpers';
import { keydeskCli } from './action-helpers';

const hour = 3600 * 1000;
const day = 24 * hour;

/** Etc/GMT-N is UTC+N (POSIX signs): the whole-hour offset that puts local time near noon. */
const offsetHours = (() => {
  const utcHours = new Date().getUTCHours() + new Date().getUTCMinutes() / 60;
  let offset = Math.round(12 - utcHours);
  if (offset > 12) offset -= 24;
  if (offset < -12) offset += 24;
  return offset;
})();
const timeZone = offsetHours === 0 ? 'Etc/UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;

/** An instant given as a local wall-clock time in that zone, `daysAhead` days from today. */
function localTime(daysAhead: number, hours: number): Date {
  const localNow = new Date(Date.now() + offsetHours * hour);
  const midnightLocalAsUtc = Date.UTC(localNow.getUTCFullYear(), localNow.getUTCMonth(), localNow.getUTCDate() + daysAhead, hours);
  return new Date(midnightLocalAsUtc - offsetHours * hour);
}

const stamp = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

const verisign = (cls: number, g: number) => `VeriSign Class ${cls} Public Primary Certification Authority - G${g}`;
const longCaName = 'Hellenic Academic and Research Institutions ECC RootCA 2015';

interface HelpDeskStore {
  dir: string;
  path: string;
  password: string;
  signerCount: number;
  rootSha256: string;
}

/** A CA, 100 partner roots on one shared EC key (what matters here is their names and
 * dates), and the special cases signed by the CA with exact dates (openssl ca), put into a
 * PKCS#12 by openssl, converted to a CMS .kdb by the CLI, then one signer added untrusted. */
function makeHelpDeskStore(): HelpDeskStore {
  const dir = tempDir();
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=Help Desk Test/CN=Help Desk Test Root CA', '-days', '3650'], dir);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'shared.key'], dir);
  const signers: { label: string; file: string }[] = [{ label: 'Help Desk Test Root CA', file: 'ca.pem' }];
  const selfSigned = (label: string, subject: string, days: number) => {
    const file = `s${signers.length}.pem`;
    openssl(['req', '-x509', '-key', 'shared.key', '-subj', subject, '-days', String(days), '-out', file], dir);
    signers.push({ label, file });
  };
  for (const [cls, g] of [[1, 3], [3, 3], [4, 3], [3, 5]] as const) {
    selfSigned(verisign(cls, g), `/C=US/O=VeriSign, Inc./OU=VeriSign Trust Network/CN=${verisign(cls, g)}`, 3000);
  }
  selfSigned(longCaName, `/C=GR/O=Hellenic Academic and Research Institutions Cert. Authority/CN=${longCaName}`, 3000);
  for (let i = 1; i <= 100; i++) {
    const n = String(i).padStart(3, '0');
    selfSigned(`partner-${n}`, `/O=Partner ${n}/CN=Partner ${n} Issuing CA`, 400 + i * 20);
  }

  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = test', '[test]', 'database = index.txt', 'new_certs_dir = .', 'serial = ca.serial', 'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', 'organizationName = optional'].join('\n'),
  );
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'ca.serial'), '2000\n');
  const signed = (label: string, from: Date, to: Date, key: string[] = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], md = 'sha256') => {
    openssl(['req', ...key, '-nodes', '-keyout', `${label}.key`, '-out', `${label}.csr`, '-subj', `/O=Partner/CN=${label}`], dir);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-md', md, '-in', `${label}.csr`, '-out', `${label}.pem`, '-startdate', stamp(from), '-enddate', stamp(to), '-notext'], dir);
    signers.push({ label, file: `${label}.pem` });
  };
  const longAgo = new Date(Date.now() - 300 * day);
  signed('partner-expires-today', longAgo, localTime(0, 20));
  signed('partner-expires-tomorrow', longAgo, localTime(1, 8));
  signed('partner-expires-in-12-days', longAgo, localTime(12, 10));
  signed('partner-expired', longAgo, new Date(Date.now() - 10 * day));
  signed('legacy-rsa-1024', longAgo, new Date(Date.now() + 500 * day), ['-newkey', 'rsa:1024']);
  signed('sha1-signed-partner', longAgo, new Date(Date.now() + 500 * day), undefined, 'sha1');

  // The queue manager's own certificate, signed by the CA.
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'qm.key', '-out', 'qm.csr', '-subj', '/O=Bank/CN=QM1'], dir);
  openssl(['x509', '-req', '-in', 'qm.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'qm.pem', '-days', '365'], dir);
  writeFileSync(join(dir, 'signers.pem'), signers.map((s) => readFileSync(join(dir, s.file), 'utf8')).join(''));
  openssl(
    ['pkcs12', '-export', '-in', 'qm.pem', '-inkey', 'qm.key', '-name', 'ibmwebspheremqqm1', '-certfile', 'signers.pem', ...signers.flatMap((s) => ['-caname', s.label]), '-out', 'help.p12', '-passout', 'pass:passw0rd'],
    dir,
  );
  const path = join(dir, 'key.kdb');
  keydeskCli(['-keydb', '-convert', '-db', join(dir, 'help.p12'), '-pw', 'passw0rd', '-new_db', path, '-new_pw', 'passw0rd', '-new_format', 'cms']);
  openssl(['req', '-x509', '-key', 'shared.key', '-subj', '/O=Old Partner/CN=Old Partner CA', '-days', '900', '-out', 'kept.pem'], dir);
  keydeskCli(['-cert', '-add', '-db', path, '-pw', 'passw0rd', '-label', 'old-partner-kept', '-file', join(dir, 'kept.pem'), '-trust', 'disable']);
  return { dir, path, password: 'passw0rd', signerCount: signers.length + 1, rootSha256: opensslSha256('ca.pem', dir) };
}

const sizes = [
  { width: 1024, height: 700 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

test.use({ timezoneId: timeZone });

let store: HelpDeskStore;
test.beforeAll(() => {
  store = makeHelpDeskStore();
});

async function openSigners(page: Page, path = store.path, password = store.password): Promise<Locator> {
  await startPage(page);
  await openStore(page, path, { password });
  await paneTab(page, 'Signer Certificates').click();
  return paneGrid(page, 'Signer Certificates');
}

const filterBox = (page: Page) => page.getByRole('searchbox', { name: 'Filter Signer Certificates' });
const row = (grid: Locator, label: string) => grid.locator('[role="row"][data-index]').filter({ has: grid.page().locator(`[data-column="label"]`, { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
const cell = (grid: Locator, label: string, column: string) => row(grid, label).locator(`[data-column="${column}"]`);

/** The element shows all its text: nothing cut off with an ellipsis. */
async function showsInFull(locator: Locator): Promise<boolean> {
  return locator.evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
}

/** The badge's box lies within its cell's box. */
async function badgeInsideCell(cellLocator: Locator): Promise<boolean> {
  return cellLocator.evaluate((c) => {
    const badge = c.querySelector<HTMLElement>('.badge');
    if (!badge) return false;
    const b = badge.getBoundingClientRect();
    const r = c.getBoundingClientRect();
    // Inside the cell's box, and not cut short inside itself either.
    return b.left >= r.left - 0.5 && b.right <= r.right + 0.5 && badge.scrollWidth <= badge.clientWidth + 1;
  });
}

async function headerWidth(grid: Locator, title: string): Promise<number> {
  return Number(await grid.getByRole('separator', { name: `${title} column width` }).getAttribute('aria-valuenow'));
}

test('a list of more than 100 signers: labels in full at 1366 px, badges in calendar days and inside their cells at every width', async ({ page }) => {
  await page.setViewportSize(sizes[1]);
  const grid = await openSigners(page);
  await expect(page.getByRole('status').filter({ hasText: `${store.signerCount} entries` })).toBeVisible();
  expect(store.signerCount).toBeGreaterThanOrEqual(100);

  // Every long label, found by its own name, shows in full at 1366 px.
  for (const label of [verisign(3, 3), longCaName, 'partner-expires-in-12-days']) {
    await filterBox(page).fill(label);
    await expect(row(grid, label)).toHaveCount(1);
    expect(await showsInFull(cell(grid, label, 'label')), label).toBe(true);
  }

  // Expiry in calendar days of the user's zone: tomorrow 08:00 is "tomorrow", though
  // fewer than 24 hours away.
  await filterBox(page).fill('expiring');
  await expect(grid.locator('[role="row"][data-index]')).toHaveCount(3);
  await expect(cell(grid, 'partner-expires-tomorrow', 'expiry')).toContainText('Tomorrow');
  await expect(cell(grid, 'partner-expires-tomorrow', 'expiry')).not.toContainText('Today');
  // The date shown is the local one.
  const tomorrowLocalDate = new Date(localTime(1, 8).getTime() + offsetHours * hour).toISOString().slice(0, 10);
  await expect(cell(grid, 'partner-expires-tomorrow', 'expiry')).toContainText(tomorrowLocalDate);
  await expect(cell(grid, 'partner-expires-today', 'expiry')).toContainText('Today');
  await expect(cell(grid, 'partner-expires-in-12-days', 'expiry')).toContainText('12 days left');

  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const label of ['partner-expires-tomorrow', 'partner-expires-today', 'partner-expires-in-12-days']) {
      expect(await badgeInsideCell(cell(grid, label, 'expiry')), `${label} at ${size.width}`).toBe(true);
    }
    await filterBox(page).fill('expired');
    expect(await badgeInsideCell(cell(grid, 'partner-expired', 'expiry')), `expired at ${size.width}`).toBe(true);
    await filterBox(page).fill('expiring');
  }

  // The whole list, soonest expiry first, as the help desk reads it.
  await filterBox(page).fill('');
  await grid.getByRole('columnheader', { name: 'Expires' }).getByRole('button').click();
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, `help-desk-signers-${size.width}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `help-desk-signers-${size.width}-dark`);
  }
});

test('the filter matches the phrase as typed, and the status words the table shows', async ({ page }) => {
  const grid = await openSigners(page);
  const labels = async () => (await grid.locator('[role="row"][data-index] [data-column="label"]').allTextContents()).sort();

  await filterBox(page).fill('class 3');
  await expect(page.getByRole('status').filter({ hasText: `2 of ${store.signerCount} shown` })).toBeVisible();
  expect(await labels()).toEqual([verisign(3, 3), verisign(3, 5)]);
  await filterBox(page).fill('CLASS 1 public');
  await expect(page.getByRole('status').filter({ hasText: `1 of ${store.signerCount} shown` })).toBeVisible();
  expect(await labels()).toEqual([verisign(1, 3)]);
  // Two words of the phrase in another order are not the phrase.
  await filterBox(page).fill('3 class');
  await expect(page.getByText('No entries match “3 class”.')).toBeVisible();

  await filterBox(page).fill('expired');
  await expect(grid.locator('[role="row"][data-index]')).toHaveCount(1);
  expect(await labels()).toEqual(['partner-expired']);
  await filterBox(page).fill('weak');
  await expect(grid.locator('[role="row"][data-index]')).toHaveCount(2);
  expect(await labels()).toEqual(['legacy-rsa-1024', 'sha1-signed-partner']);
  await expect(cell(grid, 'legacy-rsa-1024', 'status')).toContainText('Weak key');
  await expect(cell(grid, 'sha1-signed-partner', 'status')).toContainText('Weak signature');
  await filterBox(page).fill('Not Trusted');
  await expect(grid.locator('[role="row"][data-index]')).toHaveCount(1);
  expect(await labels()).toEqual(['old-partner-kept']);
  await expect(cell(grid, 'old-partner-kept', 'status')).toContainText('Not trusted');
  await screenshot(page, 'help-desk-filter-not-trusted');
});

test('columns: chosen and remembered, resized by keyboard and drag, fitted to content, full text on keyboard focus', async ({ page }) => {
  await page.setViewportSize(sizes[1]);
  let grid = await openSigners(page);
  const headers = async () => (await grid.getByRole('columnheader').allTextContents()).map((h) => h.replace(/[▲▼]/g, ''));
  expect((await headers()).map((h) => h.trim())).toEqual(['Label', 'Expires', 'Subject CN', 'Issuer CN', 'Key', 'Status']);

  // The chooser adds the five help-desk columns.
  const chooser = page.getByRole('button', { name: 'Columns' });
  await chooser.click();
  await expect(chooser).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('checkbox', { name: 'Label' })).toBeDisabled();
  for (const name of ['Signature algorithm', 'Key size', 'Serial', 'SHA-256', 'Not before']) await page.getByRole('checkbox', { name }).check();
  await page.getByRole('checkbox', { name: 'Issuer CN' }).uncheck();
  await screenshot(page, 'help-desk-column-chooser-1366');
  await page.keyboard.press('Escape');
  await expect(chooser).toHaveAttribute('aria-expanded', 'false');
  await expect(chooser).toBeFocused();
  const chosen = ['Label', 'Expires', 'Subject CN', 'Key', 'Status', 'Signature algorithm', 'Key size', 'Serial', 'SHA-256', 'Not before'];
  expect((await headers()).map((h) => h.trim())).toEqual(chosen);
  await filterBox(page).fill('Help Desk Test Root CA');
  const root = 'Help Desk Test Root CA';
  await expect(cell(grid, root, 'sha256')).toHaveText(store.rootSha256.replace(/:/g, '').toLowerCase());
  await expect(cell(grid, root, 'signatureAlgorithm')).toHaveText('SHA256withRSA');
  await expect(cell(grid, root, 'keySize')).toHaveText('2048');
  await filterBox(page).fill('legacy');
  await expect(cell(grid, 'legacy-rsa-1024', 'keySize')).toHaveText('1024');
  await filterBox(page).fill('');
  await screenshot(page, 'help-desk-more-columns-1366');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'help-desk-more-columns-1366-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Remembered: the store closed, a new page, the store opened again, the same columns.
  // (Closed first: a reloaded page would otherwise offer to reopen it, issue 15.)
  await page.getByRole('button', { name: /^Close key\.kdb/ }).click();
  await expect(page.getByRole('heading', { name: 'No key database open' })).toBeVisible();
  grid = await openSigners(page);
  expect((await headers()).map((h) => h.trim())).toEqual(chosen);
  // Back to the standard columns for the rest.
  await page.getByRole('button', { name: 'Columns' }).click();
  for (const name of ['Signature algorithm', 'Key size', 'Serial', 'SHA-256', 'Not before']) await page.getByRole('checkbox', { name }).uncheck();
  await page.getByRole('checkbox', { name: 'Issuer CN' }).check();
  await page.keyboard.press('Escape');

  // Keyboard: the divider after Subject CN, Right three times is three steps (1 rem each) wider.
  const subjectDivider = grid.getByRole('separator', { name: 'Subject CN column width' });
  const before = await headerWidth(grid, 'Subject CN');
  await subjectDivider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(subjectDivider).toHaveAttribute('aria-valuenow', String(before + 48));
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(subjectDivider).toHaveAttribute('aria-valuenow', String(before + 48 - 64));

  // Drag: the Issuer CN divider 120 px to the right.
  const issuerDivider = grid.getByRole('separator', { name: 'Issuer CN column width' });
  const issuerBefore = await headerWidth(grid, 'Issuer CN');
  const box = (await issuerDivider.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(issuerDivider).toHaveAttribute('aria-valuenow', String(issuerBefore + 120));

  // The label column made narrow by keyboard cuts long labels short; a keyboard user on a
  // row sees them in full, below the row; double-click on the divider fits the content again.
  await filterBox(page).fill('VeriSign');
  const labelDivider = grid.getByRole('separator', { name: 'Label column width' });
  await labelDivider.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  const longLabel = verisign(4, 3); // the last of the four in label order
  expect(await showsInFull(cell(grid, longLabel, 'label'))).toBe(false);
  await row(grid, verisign(1, 3)).focus();
  await page.keyboard.press('End');
  await expect(row(grid, longLabel)).toBeFocused();
  const tip = page.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`Label: ${longLabel}`);
  await expect(row(grid, longLabel)).toHaveAttribute('aria-describedby', (await tip.getAttribute('id'))!);
  await screenshot(page, 'help-desk-full-text-on-focus-1366');
  await labelDivider.dblclick();
  expect(await showsInFull(cell(grid, longLabel, 'label'))).toBe(true);
  // Widths are remembered too, and Reset column widths forgets them.
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('button', { name: 'Reset column widths' }).click();
  await expect(subjectDivider).toHaveAttribute('aria-valuenow', String(before));
});

test('Export List… CSV: the old columns, then key algorithm, key size, signature algorithm and status; read back by a CSV parser', async ({ page }) => {
  const python = spawnSync('python3', ['-c', 'import csv']);
  test.skip(python.status !== 0, 'python3 with its csv module is not installed: nothing independent to read the CSV back');
  await openSigners(page);
  await page.getByRole('button', { name: 'Export List…' }).click();
  const d = page.getByRole('dialog', { name: 'Export List' });
  const csvPath = join(store.dir, 'signers.csv');
  await d.getByLabel('File', { exact: true }).fill(csvPath);
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(d).toHaveCount(0);
  const read = spawnSync('python3', ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: readFileSync(csvPath, 'utf8'), encoding: 'utf8' });
  const rows = JSON.parse(read.stdout) as string[][];
  expect(rows[0]).toEqual(['label', 'kind', 'subject', 'issuer', 'serial', 'not before', 'not after', 'sha256', 'key algorithm', 'key size', 'signature algorithm', 'status']);
  expect(rows).toHaveLength(store.signerCount + 2); // header, signers, the personal certificate
  for (const r of rows) expect(r).toHaveLength(12);
  const byLabel = new Map(rows.slice(1).map((r) => [r[0], r]));
  // A subject with a comma survives the quoting.
  expect(byLabel.get(verisign(3, 3))![2]).toBe(`CN=${verisign(3, 3)},OU=VeriSign Trust Network,O=VeriSign\\, Inc.,C=US`);
  expect(byLabel.get('Help Desk Test Root CA')!.slice(7)).toEqual([store.rootSha256.replace(/:/g, '').toLowerCase(), 'RSA', '2048', 'SHA256withRSA', 'Trusted root CA']);
  expect(byLabel.get('legacy-rsa-1024')!.slice(8)).toEqual(['RSA', '1024', 'SHA256withRSA', 'Trusted certificate; weak key']);
  expect(byLabel.get('sha1-signed-partner')![10]).toBe('SHA1withRSA');
  expect(byLabel.get('sha1-signed-partner')![11]).toContain('weak signature');
  expect(byLabel.get('partner-expired')![11]).toBe('Trusted certificate; expired');
  expect(byLabel.get('partner-expires-tomorrow')![11]).toBe('Trusted certificate; expiring');
  expect(byLabel.get('old-partner-kept')![11]).toBe('Not trusted (kept)');
  expect(byLabel.get('ibmwebspheremqqm1')!.slice(8, 11)).toEqual(['EC', '256', 'SHA256withRSA']);
});

const cacerts = [process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'lib/security/cacerts') : '', '/etc/ssl/certs/java/cacerts'].find((p) => p && existsSync(p));

test('the JDK cacerts: every signer listed, the longest label in full at 1366 px', async ({ page }) => {
  test.skip(!cacerts, 'no JDK cacerts at $JAVA_HOME/lib/security/cacerts or /etc/ssl/certs/java/cacerts');
  const dir = tempDir();
  const copy = join(dir, 'cacerts.jks');
  copyFileSync(cacerts!, copy);
  const listed = spawnSync('keytool', ['-list', '-keystore', copy, '-storepass', 'changeit'], { encoding: 'utf8' });
  test.skip(listed.status !== 0, 'keytool cannot read the cacerts copy with the usual password, changeit');
  const labels = listed.stdout.split('\n').filter((l) => /trustedCertEntry/.test(l)).map((l) => l.slice(0, l.indexOf(', ')));
  expect(labels.length).toBeGreaterThanOrEqual(100);
  const longest = labels.reduce((a, b) => (b.length > a.length ? b : a));

  await page.setViewportSize(sizes[1]);
  const grid = await openSigners(page, copy, 'changeit');
  await expect(page.getByRole('status').filter({ hasText: `${labels.length} entries` })).toBeVisible();
  await filterBox(page).fill(longest);
  expect(await showsInFull(cell(grid, longest, 'label')), longest).toBe(true);
  await filterBox(page).fill('');
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, `help-desk-cacerts-${size.width}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `help-desk-cacerts-${size.width}-dark`);
  }
});

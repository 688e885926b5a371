/**
 * Issue 7 in browser mode: every key-management action as a dialog, against real files in
 * a temporary folder, and after each one the file on disk read back by the CLI, openssl and
 * kdbcheck.py (not by the page that wrote it). The tests run in order on one CMS key.kdb,
 * as an operator's session would: New…, New Self-Signed (RSA, EC), Extract (both data
 * types), Add, New Request, Receive, Rename, Delete, Export, Import, Change Password.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveOpenssl, openssl, opensslSha256, tempDir } from './store-fixtures';
import { chooseStoreInFileBrowser, openStore, paneGrid, paneTab, rowLabels, screenshot, startPage } from './ui-helpers';
import {
  action,
  cliEntries,
  cliEntry,
  cliRequests,
  colonHex,
  dialog,
  fillKeyFields,
  kdbcheck,
  keydeskCli,
  keydeskCliFails,
  okAndWait,
  opensslText,
  selectRow,
} from './action-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it checks and signs what these tests make');
test.describe.configure({ mode: 'serial' });

const dir = tempDir();
const kdb = join(dir, 'key.kdb');
const sth = join(dir, 'key.sth');
const password = 'Passw0rd!';
const stashed = { stashed: true } as const;

async function openKdb(page: import('@playwright/test').Page) {
  await startPage(page);
  await openStore(page, kdb, { stash: true });
}

test('New… makes a CMS key.kdb with its stash, opened in a tab', async ({ page }) => {
  await startPage(page);
  await page.getByRole('button', { name: 'New…', exact: true }).click();
  const d = dialog(page, 'New key database');
  await expect(d.getByLabel('Key database type')).toHaveValue('cms');
  await d.getByLabel('File', { exact: true }).fill(kdb);
  await d.getByLabel('Password', { exact: true }).fill(password);
  await d.getByLabel('Confirm password').fill('something else');
  await d.getByLabel('Confirm password').blur();
  await expect(d.getByText('The two passwords are not the same', { exact: true })).toBeVisible();
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-new-store-mismatch');
  await d.getByLabel('Confirm password').fill(password);
  await expect(d.getByLabel('Stash password to a file')).toBeChecked();
  // iKeyman's password expiry (runmqakm -keydb -create -expire, in IBM's list:
  // https://ibm.com/support/knowledgecenter/SSFKSJ_9.1.0/com.ibm.mq.sec.doc/q083830_.htm) is shown
  // and off, saying why: where GSKit keeps it in a .kdb is unknown, so nothing is written for it.
  await expect(d.getByLabel('Set expiration time?')).toBeDisabled();
  await expect(d.getByText(/where GSKit records a password expiry inside a \.kdb file is not documented/)).toBeVisible();
  await screenshot(page, 'dialog-new-store');
  await okAndWait(page, d, /Created .*key\.kdb/);
  await expect(page.getByRole('tab', { name: /key\.kdb/ })).toHaveAttribute('aria-selected', 'true');

  expect(existsSync(kdb) && existsSync(sth)).toBe(true);
  expect(statSync(sth).size).toBe(193);
  expect(cliEntries(kdb, { pw: password })).toEqual([]);
  kdbcheck(kdb, { pw: password });
});

test('New Self-Signed…: RSA with the MQ label helper, validation in words, progress, and the DN escaped', async ({ page }) => {
  await openKdb(page);
  await action(page, 'New Self-Signed…').click();
  const d = dialog(page, 'New Self-Signed Certificate');
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-new-self-signed-empty');

  await d.getByLabel('Queue manager or user name').fill('QM1');
  await expect(d.getByLabel('Key label', { exact: true })).toHaveValue('ibmwebspheremqqm1');
  await fillKeyFields(d, { cn: 'QM1', o: 'Bank, Inc.', ou: 'MQ+TLS', l: 'London', st: 'Greater "London"', c: 'GBR', keySize: '4096', sans: 'qm1.example, 10.1.2.3, bad name!', validityDays: '0' });
  await d.getByLabel('Validity period (days)').blur();
  await expect(d.getByText('Country must be two letters, such as GB or US', { exact: true })).toBeVisible();
  await expect(d.getByText('Validity period must be a whole number of days from 1 to 7300', { exact: true })).toBeVisible();
  await expect(d.getByText('“name!” is not a host name, IP address or email address', { exact: true })).toBeVisible();
  await expect(d.getByLabel('Country (C)')).toHaveAccessibleDescription(/Country must be two letters/);
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-new-self-signed-errors');

  await d.getByLabel('Country (C)').fill('gb');
  await d.getByLabel('Validity period (days)').fill('730');
  await d.getByLabel('Subject alternative names').fill('qm1.example, 10.1.2.3');
  await expect(d.getByRole('button', { name: 'OK' })).toBeEnabled();
  await screenshot(page, 'dialog-new-self-signed-rsa');

  await d.getByRole('button', { name: 'OK' }).click();
  // A 4096-bit key takes a moment: the dialog says so and the page keeps answering.
  const progress = d.getByRole('progressbar', { name: /Generating a 4096-bit RSA key/ });
  const sawProgress = await progress.isVisible().catch(() => false);
  if (sawProgress) await screenshot(page, 'dialog-new-self-signed-progress');
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  expect(Date.now() - t0).toBeLessThan(1000);
  await expect(d).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Created the self-signed certificate “ibmwebspheremqqm1”' })).toBeVisible();
  expect(await rowLabels(page, 'Personal Certificates')).toEqual(['ibmwebspheremqqm1']);
  await screenshot(page, 'after-new-self-signed');

  const made = cliEntry(kdb, stashed, 'ibmwebspheremqqm1')!;
  expect(made).toMatchObject({ kind: 'personal', hasPrivateKey: true, keyAlgorithm: 'RSA', keySize: 4096, selfSigned: true, signatureAlgorithm: 'SHA256withRSA' });
  // The comma, plus and quotes stayed inside their values.
  expect(made.subject).toBe('CN=QM1,OU=MQ\\+TLS,O=Bank\\, Inc.,L=London,ST=Greater \\"London\\",C=GB');
  expect(made.subjectAltNames).toEqual(expect.arrayContaining(['DNS:qm1.example', 'IP:10.1.2.3']));
  const days = (Date.parse(made.notAfter!) - Date.parse(made.notBefore!)) / 86_400_000;
  expect(Math.round(days)).toBe(730);
  kdbcheck(kdb, { sth });
});

test('New Self-Signed…: EC P-384 with ECDSA SHA-384', async ({ page }) => {
  await openKdb(page);
  await action(page, 'New Self-Signed…').click();
  const d = dialog(page, 'New Self-Signed Certificate');
  await fillKeyFields(d, { label: 'ec-client', cn: 'app1', o: 'Bank', keyType: 'EC', keySize: '384', sigAlg: 'EC_ecdsa_with_SHA384' });
  await expect(d.getByLabel('Key size')).toHaveValue('384');
  await screenshot(page, 'dialog-new-self-signed-ec');
  await okAndWait(page, d, 'Created the self-signed certificate “ec-client”');
  const made = cliEntry(kdb, stashed, 'ec-client')!;
  expect(made).toMatchObject({ kind: 'personal', keyAlgorithm: 'EC', subject: 'CN=app1,O=Bank' });
  expect(made.curve ?? String(made.keySize)).toMatch(/384/);
  expect(made.signatureAlgorithm).toMatch(/SHA384/i);
  kdbcheck(kdb, { sth });
});

test('Extract…: Base64-encoded ASCII and Binary DER, both read by openssl', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(page, 'Extract…').click();
  const d = dialog(page, 'Extract Certificate: ibmwebspheremqqm1');
  await expect(d.getByLabel('Data type')).toHaveValue('ascii');
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(join(dir, 'ibmwebspheremqqm1.arm'));
  await screenshot(page, 'dialog-extract-ascii');
  await okAndWait(page, d, 'Wrote the certificate “ibmwebspheremqqm1”');
  const sha = colonHex(cliEntry(kdb, stashed, 'ibmwebspheremqqm1')!.sha256!);
  expect(readFileSync(join(dir, 'ibmwebspheremqqm1.arm'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(opensslSha256('ibmwebspheremqqm1.arm', dir)).toBe(sha);

  await action(page, 'Extract…').click();
  await d.getByLabel('Data type').selectOption({ label: 'Binary DER data' });
  // The default name follows the data type.
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(join(dir, 'ibmwebspheremqqm1.der'));
  await screenshot(page, 'dialog-extract-binary');
  await okAndWait(page, d, /Wrote the certificate/);
  expect(readFileSync(join(dir, 'ibmwebspheremqqm1.der'))[0]).toBe(0x30);
  expect(opensslSha256('ibmwebspheremqqm1.der', dir, 'DER')).toBe(sha);
  expect(opensslText(['x509', '-in', 'ibmwebspheremqqm1.der', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'RFC2253'], dir)).toContain('CN=QM1,OU=MQ\\+TLS,O=Bank\\, Inc.');
});

test('Add…: a partner certificate openssl made, chosen with Browse…, becomes a signer', async ({ page }) => {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'partner.key', '-out', 'partner.pem', '-subj', '/O=Partner/CN=partner-qm', '-days', '30'], dir);
  await openKdb(page);
  await paneTab(page, 'Signer Certificates').click();
  await action(page, 'Add…').click();
  const d = dialog(page, 'Add Signer Certificate');
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await d.getByRole('button', { name: 'Browse…' }).click();
  const browser = dialog(page, 'Add a signer certificate');
  await expect(browser.getByRole('listbox')).toBeVisible();
  await expect(browser.getByText('partner.pem')).toBeVisible();
  await screenshot(page, 'dialog-add-browse');
  await browser.getByText('partner.pem').click();
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(join(dir, 'partner.pem'));
  // The certificate's CN, not the file name (issue 15).
  await expect(d.getByLabel('Label', { exact: true })).toHaveValue('partner-qm');
  await d.getByLabel('Label', { exact: true }).fill('partner-qm');
  await screenshot(page, 'dialog-add');
  await okAndWait(page, d, 'Added “partner-qm” to the signer certificates');
  expect(await rowLabels(page, 'Signer Certificates')).toEqual(['partner-qm']);
  const signer = cliEntry(kdb, stashed, 'partner-qm')!;
  expect(signer).toMatchObject({ kind: 'signer', hasPrivateKey: false, subject: 'CN=partner-qm,O=Partner' });
  expect(colonHex(signer.sha256!)).toBe(opensslSha256('partner.pem', dir));
  kdbcheck(kdb, { sth });
});

test('New Request… writes the request; openssl signs it; Receive… is refused until the CA is a signer, then accepted', async ({ page }) => {
  await openKdb(page);
  await paneTab(page, 'Personal Certificate Requests').click();
  await action(page, 'New Request…').click();
  const d = dialog(page, 'New Certificate Request');
  await expect(d.getByLabel('Validity period (days)')).toHaveCount(0);
  await fillKeyFields(d, { mqName: 'QM2', cn: 'QM2', o: 'Bank', c: 'GB', keyType: 'EC', keySize: '256' });
  const csr = join(dir, 'ibmwebspheremqqm2-request.arm');
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(csr);
  await screenshot(page, 'dialog-new-request');
  await okAndWait(page, d, /Created the request “ibmwebspheremqqm2”/);
  expect(await rowLabels(page, 'Personal Certificate Requests')).toEqual(['ibmwebspheremqqm2']);
  expect(cliRequests(kdb, stashed)).toEqual(['ibmwebspheremqqm2']);
  expect(opensslText(['req', '-in', csr, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253'], dir)).toContain('CN=QM2,O=Bank,C=GB');
  kdbcheck(join(dir, 'key.rdb'), { sth });

  // The company CA, played by openssl.
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'corp-ca.key', '-out', 'corp-ca.pem', '-subj', '/O=Corp/CN=Corp Issuing CA', '-days', '365', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign'], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', 'corp-ca.pem', '-CAkey', 'corp-ca.key', '-CAcreateserial', '-out', 'qm2-signed.pem', '-days', '90'], dir);

  await paneTab(page, 'Personal Certificates').click();
  await action(page, 'Receive…').click();
  const r = dialog(page, 'Receive Certificate');
  await r.getByLabel('File', { exact: true }).fill(join(dir, 'qm2-signed.pem'));
  // iKeyman's rule, said as soon as the file is read: it names the issuer to add first.
  await expect(r.getByRole('note')).toContainText('Corp Issuing CA');
  await expect(r.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-receive-refused');
  await r.getByRole('button', { name: 'Cancel' }).click();
  expect(cliRequests(kdb, stashed)).toEqual(['ibmwebspheremqqm2']);

  await paneTab(page, 'Signer Certificates').click();
  await action(page, 'Add…').click();
  const a = dialog(page, 'Add Signer Certificate');
  await a.getByLabel('File', { exact: true }).fill(join(dir, 'corp-ca.pem'));
  await a.getByLabel('Label', { exact: true }).fill('corp issuing ca');
  await okAndWait(page, a, /Added “corp issuing ca”/);

  await paneTab(page, 'Personal Certificates').click();
  await action(page, 'Receive…').click();
  await r.getByLabel('File', { exact: true }).fill(join(dir, 'qm2-signed.pem'));
  await screenshot(page, 'dialog-receive');
  await okAndWait(page, r, 'Received “ibmwebspheremqqm2”');
  await expect(paneGrid(page, 'Personal Certificates').getByRole('row', { name: /ibmwebspheremqqm2/ })).toHaveAttribute('aria-selected', 'true');
  expect(cliRequests(kdb, stashed)).toEqual([]);
  const received = cliEntry(kdb, stashed, 'ibmwebspheremqqm2')!;
  expect(received).toMatchObject({ kind: 'personal', hasPrivateKey: true, issuer: 'CN=Corp Issuing CA,O=Corp' });
  expect(colonHex(received.sha256!)).toBe(opensslSha256('qm2-signed.pem', dir));
  expect(keydeskCli(['-cert', '-validate', '-db', kdb, '-stashed', '-label', 'ibmwebspheremqqm2'])).toContain('Validation successful');

  await action(page, 'Validate').click();
  const v = dialog(page, 'Validate: ibmwebspheremqqm2');
  await expect(v.getByRole('status').filter({ hasText: 'Validation successful' })).toBeVisible();
  await expect(v).toContainText('CN=Corp Issuing CA,O=Corp');
  await screenshot(page, 'dialog-validate');
  await v.getByRole('button', { name: 'Close' }).click();
  kdbcheck(kdb, { sth });
});

test('Rename… and Delete (asking first, naming the label)', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Signer Certificates', 'partner-qm');
  await action(page, 'Rename…').click();
  const d = dialog(page, 'Rename: partner-qm');
  await d.getByLabel('New label').fill('corp issuing ca');
  await expect(d.getByText('The label “corp issuing ca” is already used in this key database', { exact: true })).toBeVisible();
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-rename-clash');
  await d.getByLabel('New label').fill('partner qm signer');
  await screenshot(page, 'dialog-rename');
  await okAndWait(page, d, 'Renamed “partner-qm” to “partner qm signer”');
  expect(cliEntries(kdb, stashed).map((e) => e.label)).toEqual(expect.arrayContaining(['partner qm signer']));
  expect(cliEntry(kdb, stashed, 'partner-qm')).toBeUndefined();

  await selectRow(page, 'Signer Certificates', 'partner qm signer');
  await action(page, 'Delete').click();
  const del = dialog(page, 'Delete');
  await expect(del).toContainText('Delete the signer certificate “partner qm signer” from key.kdb?');
  // Nothing is deleted by a reflex Enter on the wrong button: Cancel comes first and has focus.
  await expect(del.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'dialog-delete');
  await del.getByRole('button', { name: 'Cancel' }).click();
  expect(cliEntry(kdb, stashed, 'partner qm signer')).toBeDefined();
  await action(page, 'Delete').click();
  await okAndWait(page, del, 'Deleted the signer certificate “partner qm signer”');
  expect(cliEntry(kdb, stashed, 'partner qm signer')).toBeUndefined();
  expect(await rowLabels(page, 'Signer Certificates')).toEqual(['corp issuing ca']);
  kdbcheck(kdb, { sth });
});

test('Export… to PKCS#12 (openssl reads key and certificate) and Import… into another store', async ({ page }) => {
  await openKdb(page);
  await selectRow(page, 'Personal Certificates', 'ibmwebspheremqqm2');
  await action(page, 'Export…').click();
  const d = dialog(page, 'Export: ibmwebspheremqqm2');
  const p12 = join(dir, 'ibmwebspheremqqm2.p12');
  await expect(d.getByLabel('Target type')).toHaveValue('pkcs12');
  await expect(d.getByLabel('File', { exact: true })).toHaveValue(p12);
  await d.getByLabel('Password', { exact: true }).fill('export-pw');
  await d.getByLabel('Confirm password').fill('export-pw');
  await screenshot(page, 'dialog-export');
  await okAndWait(page, d, /Exported “ibmwebspheremqqm2” with its private key/);
  const dump = opensslText(['pkcs12', '-in', p12, '-passin', 'pass:export-pw', '-nodes'], dir);
  expect(dump).toContain('PRIVATE KEY');
  expect(dump.match(/BEGIN CERTIFICATE/g)!.length).toBe(2); // with the CA
  writeFileSync(join(dir, 'exported.pem'), dump);
  expect(opensslSha256('exported.pem', dir)).toBe(opensslSha256('qm2-signed.pem', dir));

  // Into another store, a JKS the CLI made, through Import…
  const jks = join(dir, 'client.jks');
  keydeskCli(['-keydb', '-create', '-db', jks, '-pw', 'jks-pw', '-type', 'jks']);
  await page.getByRole('button', { name: 'Open…' }).first().click();
  await dialog(page, 'Open key database').getByLabel('Path').fill(jks);
  await dialog(page, 'Open key database').getByRole('button', { name: 'Open', exact: true }).click();
  const pw = dialog(page, 'Open key database');
  await pw.getByLabel('Password').fill('jks-pw');
  await pw.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('tab', { name: /client\.jks/ })).toHaveAttribute('aria-selected', 'true');
  await action(page, 'Import…').click();
  const i = dialog(page, 'Import Personal Certificate');
  await i.getByLabel('File', { exact: true }).fill(p12);
  await i.getByLabel('Password', { exact: true }).fill('wrong');
  await i.getByRole('button', { name: 'OK' }).click();
  await expect(i.getByRole('alert')).toBeVisible();
  await screenshot(page, 'dialog-import-refused');
  await i.getByLabel('Password', { exact: true }).fill('export-pw');
  await screenshot(page, 'dialog-import');
  await okAndWait(page, i, 'Imported “ibmwebspheremqqm2”');
  const imported = cliEntry(jks, { pw: 'jks-pw' }, 'ibmwebspheremqqm2')!;
  expect(imported).toMatchObject({ kind: 'personal', hasPrivateKey: true, issuer: 'CN=Corp Issuing CA,O=Corp' });
  const listed = execKeytool(['-list', '-keystore', jks, '-storepass', 'jks-pw']);
  if (listed !== undefined) expect(listed).toMatch(/ibmwebspheremqqm2.*PrivateKeyEntry/);
});

function execKeytool(args: string[]): string | undefined {
  try {
    return execFileSync('keytool', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      test.info().annotations.push({ type: 'skipped check', description: 'keytool is not installed: the JKS was checked by the CLI only' });
      return undefined;
    }
    throw e;
  }
}

test('Change Password…, Stash Password… and Save As / Convert…', async ({ page }) => {
  await openKdb(page);
  await page.getByRole('button', { name: 'Change Password…' }).click();
  const d = dialog(page, 'Change Password');
  // Opened with the stash: the current password comes from it.
  await expect(d.getByLabel('Current password')).toHaveCount(0);
  await d.getByLabel('Password', { exact: true }).fill('N3w-passw0rd');
  await d.getByLabel('Confirm password').fill('N3w-passw0rd');
  await expect(d.getByLabel('Stash password to a file')).toBeChecked();
  await expect(d.getByLabel('Set expiration time?')).toBeDisabled();
  await screenshot(page, 'dialog-change-password');
  await okAndWait(page, d, /Changed the password of key\.kdb/);
  keydeskCliFails(['-cert', '-list', '-db', kdb, '-pw', password]);
  expect(cliEntries(kdb, { pw: 'N3w-passw0rd' }).map((e) => e.label).sort()).toEqual(['corp issuing ca', 'ec-client', 'ibmwebspheremqqm1', 'ibmwebspheremqqm2']);
  // The stash follows the new password, so the queue manager still starts.
  expect(cliEntries(kdb, stashed)).toHaveLength(4);
  kdbcheck(kdb, { pw: 'N3w-passw0rd' });
  kdbcheck(kdb, { sth });

  // The tab holds the store reopened with the new password: a change still saves.
  await selectRow(page, 'Personal Certificates', 'ec-client');
  await action(page, 'Rename…').click();
  await dialog(page, 'Rename: ec-client').getByLabel('New label').fill('ec-client-renamed');
  await okAndWait(page, dialog(page, 'Rename: ec-client'), /Renamed/);
  expect(cliEntry(kdb, { pw: 'N3w-passw0rd' }, 'ec-client-renamed')).toBeDefined();

  await page.getByRole('button', { name: 'Stash Password…' }).click();
  const s = dialog(page, 'Stash Password');
  await s.getByLabel('Password', { exact: true }).fill('not it');
  await s.getByRole('button', { name: 'OK' }).click();
  await expect(s.getByRole('alert')).toBeVisible();
  await screenshot(page, 'dialog-stash-password-refused');
  await s.getByLabel('Password', { exact: true }).fill('N3w-passw0rd');
  await okAndWait(page, s, /Stashed the password in .*key\.sth/);
  expect(cliEntries(kdb, stashed)).toHaveLength(4);

  await page.getByRole('button', { name: 'Save As / Convert…' }).click();
  const c = dialog(page, 'Save As / Convert');
  await c.getByLabel('Current password').fill('N3w-passw0rd');
  await expect(c.getByLabel('Target type')).toHaveValue('pkcs12');
  await expect(c.getByLabel('File', { exact: true })).toHaveValue(join(dir, 'key-converted.p12'));
  await c.getByLabel('Password', { exact: true }).fill('p12-pw');
  await c.getByLabel('Confirm password').fill('p12-pw');
  // key.p12 beside key.kdb would share key.rdb, where the .kdb's pending requests live.
  await c.getByLabel('File', { exact: true }).fill(join(dir, 'key.p12'));
  await expect(c.getByText('key.p12 would share key.rdb (where pending requests are kept) with key.kdb: choose another file name', { exact: true })).toBeVisible();
  await expect(c.getByRole('button', { name: 'OK' })).toBeDisabled();
  await screenshot(page, 'dialog-save-as-shared-rdb');
  await c.getByLabel('File', { exact: true }).fill(join(dir, 'key-converted.p12'));
  await screenshot(page, 'dialog-save-as');
  await okAndWait(page, c, /Saved as .*key-converted\.p12/);
  await expect(page.getByRole('tab', { name: /key-converted\.p12/ })).toHaveAttribute('aria-selected', 'true');
  expect(opensslText(['pkcs12', '-in', join(dir, 'key-converted.p12'), '-passin', 'pass:p12-pw', '-nokeys'], dir)).toContain('friendlyName: ibmwebspheremqqm1');
  expect(cliEntries(join(dir, 'key-converted.p12'), { pw: 'p12-pw' })).toHaveLength(4);
  // The original is untouched and still opens with its stash.
  expect(cliEntries(kdb, stashed)).toHaveLength(4);
});

test('Personal Certificate Requests: Extract… and Recreate… write the pending request; Delete removes it', async ({ page }) => {
  await openKdb(page);
  await paneTab(page, 'Personal Certificate Requests').click();
  await action(page, 'New Request…').click();
  const d = dialog(page, 'New Certificate Request');
  await fillKeyFields(d, { label: 'renewal', cn: 'QM1 renewal' });
  await okAndWait(page, d, /Created the request “renewal”/);
  await selectRow(page, 'Personal Certificate Requests', 'renewal');
  await action(page, 'Recreate…').click();
  const r = dialog(page, 'Recreate Request: renewal');
  await r.getByLabel('File', { exact: true }).fill(join(dir, 'renewal-again.arm'));
  await screenshot(page, 'dialog-recreate');
  await okAndWait(page, r, /Wrote the request “renewal”/);
  await action(page, 'Extract…').click();
  const x = dialog(page, 'Extract Request: renewal');
  await x.getByLabel('Data type').selectOption('binary');
  await okAndWait(page, x, /Wrote the request/);
  expect(opensslText(['req', '-in', 'renewal-again.arm', '-noout', '-verify', '-subject'], dir)).toContain('QM1 renewal');
  expect(opensslText(['req', '-in', 'renewal-request.der', '-inform', 'DER', '-noout', '-verify', '-subject'], dir)).toContain('QM1 renewal');
  await action(page, 'Delete').click();
  const del = dialog(page, 'Delete');
  await expect(del).toContainText('Delete the certificate request “renewal” from key.kdb?');
  await okAndWait(page, del, /Deleted the certificate request “renewal”/);
  expect(cliRequests(kdb, stashed)).toEqual([]);
});

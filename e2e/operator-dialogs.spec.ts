/**
 * Issue 15, everyday operator work in browser mode, against stores the CLI makes and
 * certificates openssl makes at test time; after each change the file is read back by the
 * CLI, never by the page that wrote it:
 * - Receive… when the CA is missing: "Add this CA…" inside the dialog, the CA shown before
 *   it is trusted, both saved in one change — and nothing saved when the receive fails.
 * - Add…: each certificate of the file shown before it is trusted, labelled by its CN
 *   (made unique), and no CERTLABL warning for a signer.
 * - View Details' trust checkbox asks first, naming the personal certificates that chain
 *   through the CA, with Cancel focused.
 * - Examine…: a file, a chain, a request or pasted PEM, without a store open.
 * Each dialog is looked at in 1024x700, 1366x768 and 1920x1080, light and dark: it must
 * fit the window and scroll, if at all, as one body.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveOpenssl, openssl, opensslSha256, tempDir } from './store-fixtures';
import { expectNoKeyMaterial, openStore, paneTab, recordApiResponses, rowLabels, screenshot, startPage } from './ui-helpers';
import { action, cliEntries, cliEntry, cliRequests, dialog, keydeskCli, okAndWait, selectRow } from './action-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it plays the CA and the partner in these tests');

const password = 'Passw0rd!';

// A dialog that throws leaves a blank window; no test here may end with one.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
});
test.afterEach(() => {
  expect(pageErrors, 'errors thrown in the page').toEqual([]);
});
const stashed = { stashed: true } as const;

/** openssl's fingerprint of a PEM file, as the dialogs must show it. */
const sha256Of = (dir: string, file: string) => opensslSha256(file, dir);

/** A self-signed CA certificate with its key, as a company CA or a partner hands it over. */
function makeCa(dir: string, name: string, subject: string): void {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject, '-days', '365', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign'],
    dir,
  );
}

/** A CMS key.kdb with its stash and a pending request for QM1, as New Request leaves it. */
function makeStoreWithRequest(): { dir: string; kdb: string; request: string } {
  const dir = tempDir();
  const kdb = join(dir, 'key.kdb');
  keydeskCli(['-keydb', '-create', '-db', kdb, '-pw', password, '-type', 'cms', '-stash']);
  const request = join(dir, 'qm1-request.arm');
  keydeskCli(['-certreq', '-create', '-db', kdb, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=Bank,C=GB', '-file', request]);
  return { dir, kdb, request };
}

function signWith(dir: string, ca: string, request: string, out: string): void {
  openssl(['x509', '-req', '-in', request, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', out, '-days', '90'], dir);
}

const viewports = [
  { width: 1024, height: 700 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/**
 * The dialog inside the window, and no scroll area inside it but its body: what a person
 * on a projector needs, checked at each size and colour scheme before the picture is saved.
 */
async function lookAt(page: Page, d: Locator, name: string, show?: Locator): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const size of viewports) {
      await page.setViewportSize(size);
      const box = (await d.boundingBox())!;
      expect(box.x, `${name} at ${size.width}x${size.height}: left edge`).toBeGreaterThanOrEqual(0);
      expect(box.y, `${name} at ${size.width}x${size.height}: top edge`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${name} at ${size.width}x${size.height}: right edge`).toBeLessThanOrEqual(size.width);
      expect(box.y + box.height, `${name} at ${size.width}x${size.height}: bottom edge`).toBeLessThanOrEqual(size.height);
      const nested = await d.evaluate((dialogElement) =>
        [...dialogElement.querySelectorAll('*')]
          .filter((e) => !e.classList.contains('dialog-body'))
          .filter((e) => {
            const style = getComputedStyle(e);
            const scrollsY = /auto|scroll/.test(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
            const scrollsX = /auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
            return scrollsY || scrollsX;
          })
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
      );
      expect(nested, `${name} at ${size.width}x${size.height}: scroll areas inside the dialog`).toEqual([]);
      const bodyScrollsSideways = await d.locator('.dialog-body').evaluateAll((bodies) => bodies.some((b) => b.scrollWidth > b.clientWidth + 1));
      expect(bodyScrollsSideways, `${name} at ${size.width}x${size.height}: body wider than the dialog`).toBe(false);
      // The part the user acts on, scrolled into view as they would scroll to it.
      if (show) await show.scrollIntoViewIfNeeded();
      await screenshot(page, `issue15-${name}-${size.width}x${size.height}-${colorScheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

test('Receive…: the missing CA is offered, shown, and added with the certificate in one change', async ({ page }) => {
  const { dir, kdb, request } = makeStoreWithRequest();
  makeCa(dir, 'corp-ca', '/O=Corp/CN=Corp Issuing CA');
  makeCa(dir, 'other-ca', '/O=Other/CN=Some Other CA');
  signWith(dir, 'corp-ca', request, 'qm1-signed.pem');
  const signed = join(dir, 'qm1-signed.pem');

  await startPage(page);
  await openStore(page, kdb, { stash: true });
  await action(page, 'Receive…').click();
  const r = dialog(page, 'Receive Certificate');
  await r.getByLabel('File', { exact: true }).fill(signed);
  const missing = r.getByRole('note');
  await expect(missing).toContainText('not in Signer Certificates');
  await expect(missing).toContainText('CN=Corp Issuing CA,O=Corp');
  await expect(r.getByRole('button', { name: 'OK' })).toBeDisabled();
  await expect(r.getByRole('status')).toContainText('Add this CA');
  await lookAt(page, r, 'receive-missing-ca');

  await r.getByRole('button', { name: 'Add this CA…' }).click();
  // The wrong CA first: refused in words, before anything is trusted.
  await r.getByLabel('CA certificate file').fill(join(dir, 'other-ca.pem'));
  await expect(r.getByText(/not “Corp Issuing CA”/).first()).toBeVisible();
  await expect(r.getByRole('button', { name: 'Add CA and Receive' })).toBeDisabled();

  await r.getByLabel('CA certificate file').fill(join(dir, 'corp-ca.pem'));
  const shown = r.getByLabel(/^CA certificate 1/);
  await expect(shown).toContainText('Subject');
  await expect(shown).toContainText('Issuer');
  await expect(shown).toContainText('Validity');
  await expect(shown).toContainText(sha256Of(dir, 'corp-ca.pem'));
  // Nothing is trusted until the user says so.
  await expect(r.getByRole('button', { name: 'Add CA and Receive' })).toBeDisabled();
  expect(cliEntries(kdb, stashed)).toEqual([]);
  await r.getByLabel('Trust “Corp Issuing CA”: add it to Signer Certificates as “Corp Issuing CA”').check();
  await lookAt(page, r, 'receive-add-ca', r.getByText(/^Compare its SHA-256 fingerprint/));
  await r.getByRole('button', { name: 'Add CA and Receive' }).click();
  await expect(r).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Received “ibmwebspheremqqm1”' })).toBeVisible();

  // The path of the certificate was typed once; both are in the file now.
  expect(cliRequests(kdb, stashed)).toEqual([]);
  const received = cliEntry(kdb, stashed, 'ibmwebspheremqqm1')!;
  expect(received).toMatchObject({ kind: 'personal', hasPrivateKey: true, issuer: 'CN=Corp Issuing CA,O=Corp' });
  const ca = cliEntry(kdb, stashed, 'Corp Issuing CA')!;
  expect(ca).toMatchObject({ kind: 'signer', subject: 'CN=Corp Issuing CA,O=Corp' });
  expect(keydeskCli(['-cert', '-validate', '-db', kdb, '-stashed', '-label', 'ibmwebspheremqqm1'])).toContain('Validation successful');
  await expect(page.getByRole('status').filter({ hasText: /added signer “?"?Corp Issuing CA/i })).toBeVisible();
});

test('Receive… with Add this CA writes nothing when the receive itself is refused', async ({ page }) => {
  const { dir, kdb } = makeStoreWithRequest();
  makeCa(dir, 'corp-ca', '/O=Corp/CN=Corp Issuing CA');
  // A certificate for a key this store does not hold, from a CA it does not trust.
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.csr', '-subj', '/O=Elsewhere/CN=QM9'], dir);
  signWith(dir, 'corp-ca', 'stranger.csr', 'stranger.pem');
  const before = { kdb: readFileSync(kdb), rdb: readFileSync(join(dir, 'key.rdb')) };

  await startPage(page);
  await openStore(page, kdb, { stash: true });
  await action(page, 'Receive…').click();
  const r = dialog(page, 'Receive Certificate');
  await r.getByLabel('File', { exact: true }).fill(join(dir, 'stranger.pem'));
  await r.getByRole('button', { name: 'Add this CA…' }).click();
  await r.getByLabel('CA certificate file').fill(join(dir, 'corp-ca.pem'));
  await r.getByLabel(/^Trust “Corp Issuing CA”/).check();
  await r.getByRole('button', { name: 'Add CA and Receive' }).click();
  const refusal = r.getByRole('alert');
  await expect(refusal).toContainText('no pending request or personal key');
  await expect(r).toBeVisible();

  // One change or none: the CA was not added on its own.
  expect(cliEntries(kdb, stashed)).toEqual([]);
  expect(cliRequests(kdb, stashed)).toEqual(['ibmwebspheremqqm1']);
  expect(readFileSync(kdb).equals(before.kdb)).toBe(true);
  expect(readFileSync(join(dir, 'key.rdb')).equals(before.rdb)).toBe(true);
});

test('Add…: every certificate of the file is shown before it is trusted, labelled by its CN made unique, with no CERTLABL warning', async ({ page }) => {
  const dir = tempDir();
  const kdb = join(dir, 'key.kdb');
  keydeskCli(['-keydb', '-create', '-db', kdb, '-pw', password, '-type', 'cms', '-stash']);
  // The label the CN would give is taken by another certificate already.
  makeCa(dir, 'old-partner', '/O=Partner/CN=Partner Issuing CA');
  keydeskCli(['-cert', '-add', '-db', kdb, '-stashed', '-label', 'Partner Issuing CA', '-file', join(dir, 'old-partner.pem')]);
  // The partner's chain: issuing CA, then its root, in one file.
  makeCa(dir, 'partner-root', '/O=Partner/CN=Partner Root CA');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'partner-issuing.key', '-out', 'partner-issuing.csr', '-subj', '/O=Partner/CN=Partner Issuing CA'], dir);
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n');
  openssl(['x509', '-req', '-in', 'partner-issuing.csr', '-CA', 'partner-root.pem', '-CAkey', 'partner-root.key', '-CAcreateserial', '-out', 'partner-issuing.pem', '-days', '200', '-extfile', 'ca.ext'], dir);
  const chain = join(dir, 'partner-chain.pem');
  writeFileSync(chain, readFileSync(join(dir, 'partner-issuing.pem'), 'utf8') + readFileSync(join(dir, 'partner-root.pem'), 'utf8'));

  await startPage(page);
  await openStore(page, kdb, { stash: true });
  await paneTab(page, 'Signer Certificates').click();
  await action(page, 'Add…').click();
  const d = dialog(page, 'Add Signer Certificate');
  await d.getByLabel('File', { exact: true }).fill(chain);
  await expect(d.getByLabel('Label', { exact: true })).toHaveValue('Partner Issuing CA (2)');
  const first = d.getByLabel(/^Certificate 1: Partner Issuing CA/);
  const second = d.getByLabel(/^Certificate 2: Partner Root CA/);
  await expect(first).toContainText('CN=Partner Issuing CA,O=Partner');
  await expect(first).toContainText('CN=Partner Root CA,O=Partner');
  await expect(first).toContainText('Validity');
  await expect(first).toContainText(sha256Of(dir, 'partner-issuing.pem'));
  await expect(first).toContainText('Added as “Partner Issuing CA (2)”');
  await expect(second).toContainText(sha256Of(dir, 'partner-root.pem'));
  await expect(second).toContainText('self-signed');
  await expect(second).toContainText('Added as “Partner Root CA”');
  await lookAt(page, d, 'add-signer-chain', second);
  await okAndWait(page, d, 'Added “Partner Issuing CA (2)”');
  const message = page.getByRole('status').filter({ hasText: 'Added “Partner Issuing CA (2)”' });
  await expect(message).not.toContainText(/spaces|CERTLABL/);

  const signers = cliEntries(kdb, stashed).filter((e) => e.kind === 'signer');
  expect(signers.map((s) => s.label).sort()).toEqual(['Partner Issuing CA', 'Partner Issuing CA (2)', 'Partner Root CA']);
  expect(cliEntry(kdb, stashed, 'Partner Issuing CA (2)')!.issuer).toBe('CN=Partner Root CA,O=Partner');
  expect(await rowLabels(page, 'Signer Certificates')).toContain('Partner Root CA');

  // The same file again: the first is already here, said before OK.
  await action(page, 'Add…').click();
  await d.getByLabel('File', { exact: true }).fill(chain);
  await expect(d.getByText('This certificate is already in this key database as “Partner Issuing CA (2)”', { exact: true })).toBeVisible();
  await expect(d.getByRole('button', { name: 'OK' })).toBeDisabled();
  await d.getByRole('button', { name: 'Cancel' }).click();
});

test('View Details: turning trust off asks first, naming the personal certificates that chain through the CA, Cancel focused', async ({ page }) => {
  const { dir, kdb, request } = makeStoreWithRequest();
  makeCa(dir, 'corp-ca', '/O=Corp/CN=Corp Issuing CA');
  signWith(dir, 'corp-ca', request, 'qm1-signed.pem');
  keydeskCli(['-cert', '-add', '-db', kdb, '-stashed', '-label', 'Corp Issuing CA', '-file', join(dir, 'corp-ca.pem')]);
  keydeskCli(['-cert', '-receive', '-db', kdb, '-stashed', '-file', join(dir, 'qm1-signed.pem')]);
  // A partner CA nothing here chains to.
  makeCa(dir, 'partner-ca', '/O=Partner/CN=Partner CA');
  keydeskCli(['-cert', '-add', '-db', kdb, '-stashed', '-label', 'partner-ca', '-file', join(dir, 'partner-ca.pem')]);
  const trusted = (label: string) => (cliEntry(kdb, stashed, label) as { trusted?: boolean }).trusted;

  await startPage(page);
  await openStore(page, kdb, { stash: true });
  await selectRow(page, 'Signer Certificates', 'Corp Issuing CA');
  await action(page, 'View Details').click();
  const details = dialog(page, 'Details: Corp Issuing CA');
  const checkbox = details.getByLabel(/^Trusted root/);
  await expect(checkbox).toBeChecked();
  // click, not uncheck: the box must stay ticked while the question is open.
  await checkbox.click();
  const ask = dialog(page, 'Stop trusting “Corp Issuing CA”?');
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('list', { name: 'Personal certificates that will stop validating' })).toHaveText('ibmwebspheremqqm1');
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await lookAt(page, ask, 'untrust-confirm');
  // A reflex Enter keeps the trust.
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await expect(checkbox).toBeChecked();
  expect(trusted('Corp Issuing CA')).toBe(true);

  await checkbox.click();
  await ask.getByRole('button', { name: 'Stop trusting' }).click();
  await expect(checkbox).not.toBeChecked();
  expect(trusted('Corp Issuing CA')).toBe(false);
  await details.getByRole('button', { name: 'Close' }).click();

  // Where nothing chains through it, the question says so.
  await selectRow(page, 'Signer Certificates', 'partner-ca');
  await action(page, 'View Details').click();
  const partner = dialog(page, 'Details: partner-ca');
  await partner.getByLabel(/^Trusted root/).click();
  const askPartner = dialog(page, 'Stop trusting “partner-ca”?');
  await expect(askPartner).toContainText('No personal certificate of this key database has its chain through “Partner CA”');
  await askPartner.getByRole('button', { name: 'Cancel' }).click();
  expect(trusted('partner-ca')).toBe(true);
});

test('Examine…: a chain, a request and pasted PEM, read without a store open and without importing', async ({ page }) => {
  const dir = tempDir();
  makeCa(dir, 'corp-ca', '/O=Corp/CN=Corp Issuing CA');
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'qm.key', '-out', 'qm.csr', '-subj', '/O=Bank/CN=QM1', '-addext', 'subjectAltName=DNS:qm1.bank.example'], dir);
  openssl(['x509', '-req', '-in', 'qm.csr', '-CA', 'corp-ca.pem', '-CAkey', 'corp-ca.key', '-CAcreateserial', '-out', 'qm.pem', '-days', '90', '-copy_extensions', 'copy'], dir);
  writeFileSync(join(dir, 'chain.pem'), readFileSync(join(dir, 'qm.pem'), 'utf8') + readFileSync(join(dir, 'corp-ca.pem'), 'utf8'));
  openssl(['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b', '-outform', 'DER'], dir);
  const traffic = recordApiResponses(page);

  await startPage(page);
  await page.getByRole('button', { name: 'Examine…' }).click();
  const d = dialog(page, 'Examine Certificate');
  await d.getByLabel('File', { exact: true }).fill(join(dir, 'chain.p7b'));
  await expect(d.getByRole('status')).toContainText('2 certificates');
  await expect(d.getByRole('status')).toContainText('PKCS#7 (DER)');
  const leaf = d.getByRole('region', { name: /^Certificate 1 of 2: QM1/ });
  const root = d.getByRole('region', { name: /^Certificate 2 of 2: Corp Issuing CA/ });
  await expect(leaf).toContainText('CN=QM1,O=Bank');
  await expect(leaf).toContainText('DNS:qm1.bank.example');
  await expect(leaf).toContainText(sha256Of(dir, 'qm.pem'));
  await expect(leaf).toContainText('End-entity certificate');
  await expect(root).toContainText(sha256Of(dir, 'corp-ca.pem'));
  await expect(root).toContainText('Root CA (self-signed)');
  await lookAt(page, d, 'examine-chain');

  await d.getByLabel('File', { exact: true }).fill(join(dir, 'qm.csr'));
  const requestSection = d.getByRole('region', { name: 'Certificate request' });
  await expect(requestSection).toContainText('CN=QM1,O=Bank');
  await expect(requestSection).toContainText('DNS:qm1.bank.example');
  await expect(requestSection).toContainText('P-256');
  await lookAt(page, d, 'examine-request');

  await d.getByLabel('File', { exact: true }).fill(join(dir, 'qm.key'));
  await expect(d.getByRole('alert')).toContainText('no certificate found');

  // Pasted: the certificate with its key, as some servers keep them in one PEM file.
  await d.getByLabel('Pasted PEM text').check();
  await d.getByLabel('PEM text', { exact: true }).fill(readFileSync(join(dir, 'qm.key'), 'utf8') + readFileSync(join(dir, 'qm.pem'), 'utf8'));
  await expect(d.getByRole('status')).toContainText('One certificate, PEM');
  await expect(d.getByRole('note')).toContainText('also holds a private key');
  // Read, the text folds away: the key is no longer on the screen.
  await expect(d.getByLabel('PEM text', { exact: true })).toHaveCount(0);
  await expect(d).not.toContainText('BEGIN PRIVATE KEY');
  await expect(d.getByText(/Pasted text: \d+ lines \(its private key is not shown\)/)).toBeVisible();
  await expect(d.getByRole('region', { name: /^QM1/ })).toContainText(sha256Of(dir, 'qm.pem'));
  await lookAt(page, d, 'examine-pasted');
  await d.getByRole('button', { name: 'Close' }).click();

  // Nothing was opened or imported, and the key never came back from the server.
  await expect(page.getByRole('heading', { name: 'No key database open' })).toBeVisible();
  await traffic.settled();
  expectNoKeyMaterial(traffic);
  const keyBase64 = readFileSync(join(dir, 'qm.key'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  for (const { url, body } of traffic.bodies) expect(body, url).not.toContain(keyBase64.slice(60, 120));
});

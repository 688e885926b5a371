/**
 * T. Rob's two flows (trainer-walkthrough.spec.ts has them with files) with the queue
 * manager's key on a PKCS#11 token (SoftHSM2), in the UI: File → Open Cryptographic
 * Token… (the Open Token… button in browser mode) lists the module's slots, the token is
 * chosen and opened with its PIN, and New Self-Signed…, Extract…, Add…, New Request…,
 * Receive…, Rename… and Delete work on it as on a file. The test, not the page, then
 * proves each flow with openssl s_server using the key on the token (OpenSSL's pkcs11
 * engine) against a client holding the partner store's key, as cli/token.interop.test.ts.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { haveOpenssl, tempDir } from './store-fixtures';
import { rowLabels, screenshot, startPage } from './ui-helpers';
import { action, dialog, fillKeyFields, keydeskCli, okAndWait, selectRow, type KeyFields } from './action-helpers';
import { e2eSoftHsmDir } from '../playwright.config';
import { engineHandshake, engineMissing, newSoftHsm, SOFTHSM_MODULE, softHsmMissing } from '../core/testing/softhsm';

const missing = softHsmMissing() ?? engineMissing() ?? (haveOpenssl ? undefined : 'openssl is not installed');
test.skip(missing !== undefined, `PKCS#11 token flows skipped: ${missing}`);

const dir = tempDir();
const at = (name: string) => join(dir, name);
// The server's SoftHSM2 folder outlives a run: a label of this run's own.
const tokenLabel = `qm-${Date.now().toString(36)}`;
const pin = '1234';
const app = { path: at('app1.p12'), pw: 'app-Passw0rd', tab: /app1\.p12/ };
const ca = { path: at('class-ca.p12'), pw: 'ca-Passw0rd', tab: /class-ca\.p12/ };
const tokenTab = new RegExp(`${tokenLabel} \\(token\\)`);
const tokenFlags = ['-crypto', SOFTHSM_MODULE, '-tokenlabel', tokenLabel, '-pw', pin];

/** axe, light and dark, as accessibility.spec.ts checks every other view. */
async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${where}, ${colorScheme}`).toEqual([]);
    expect(results.passes.length, `${where}, ${colorScheme}`).toBeGreaterThan(10);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function newStore(page: Page, path: string, password: string) {
  await page.getByRole('button', { name: 'New…', exact: true }).click();
  const d = dialog(page, 'New key database');
  await d.getByLabel('Key database type').selectOption('pkcs12');
  await d.getByLabel('File', { exact: true }).fill(path);
  await d.getByLabel('Password', { exact: true }).fill(password);
  await d.getByLabel('Confirm password').fill(password);
  await d.getByLabel('Stash password to a file').uncheck();
  await okAndWait(page, d, /Created/);
}

async function showStore(page: Page, tab: RegExp): Promise<Locator> {
  await page.getByRole('tab', { name: tab }).click();
  const panel = page.getByRole('tabpanel', { name: tab });
  await expect(panel).toBeVisible();
  return panel;
}

async function selfSigned(page: Page, s: Locator, fields: KeyFields) {
  await action(s, 'New Self-Signed…').click();
  const d = dialog(page, 'New Self-Signed Certificate');
  await fillKeyFields(d, fields);
  await okAndWait(page, d, /Created the self-signed certificate/);
}

async function extract(page: Page, s: Locator, label: string, file: string) {
  await selectRow(s, 'Personal Certificates', label);
  await action(s, 'Extract…').click();
  const d = dialog(page, `Extract Certificate: ${label}`);
  await d.getByLabel('File', { exact: true }).fill(file);
  await okAndWait(page, d, /Wrote the certificate/);
}

async function add(page: Page, s: Locator, file: string, label: string) {
  await s.getByRole('tab', { name: 'Signer Certificates', exact: true }).click();
  await action(s, 'Add…').click();
  const d = dialog(page, 'Add Signer Certificate');
  await d.getByLabel('File', { exact: true }).fill(file);
  await d.getByLabel('Label', { exact: true }).fill(label);
  await okAndWait(page, d, /Added/);
}

/** The partner's key of one entry, out of its PKCS#12 through the CLI, for openssl s_client. */
function partnerKey(store: { path: string; pw: string }, label: string): string {
  const p12 = at(`${label}-tls.p12`);
  const key = at(`${label}.key`);
  keydeskCli(['-cert', '-export', '-db', store.path, '-pw', store.pw, '-label', label, '-target', p12, '-target_pw', 'export-pw', '-target_type', 'pkcs12']);
  const r = spawnSync('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:export-pw', '-nocerts', '-nodes', '-out', key]);
  if (r.status !== 0) throw new Error(`openssl pkcs12: ${r.stderr}`);
  return key;
}

test('the queue manager key on a token: Open Cryptographic Token…, the self-signed exchange and the CA-signed flow, each ending in a handshake with the key on the token', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const hsm = newSoftHsm(e2eSoftHsmDir);
  hsm.initToken(tokenLabel, pin);
  await startPage(page);

  // Open Cryptographic Token…: the module, the slots it reports, the token, its PIN.
  await page.getByRole('button', { name: 'Open Token…' }).click();
  const open = dialog(page, 'Open Cryptographic Token');
  await expect(open.getByLabel('PKCS#11 module')).toHaveValue(SOFTHSM_MODULE);
  await open.getByRole('button', { name: 'List Tokens' }).click();
  await expect(open.getByLabel('Token', { exact: true })).toBeVisible();
  await open.getByLabel('Token', { exact: true }).selectOption(tokenLabel);
  // The dialog on a small screen, dark: every field and both buttons in view.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(open.getByRole('button', { name: 'Open' })).toBeInViewport();
  await screenshot(page, 'dialog-open-token-1024-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1366, height: 768 });
  await open.getByLabel('PIN', { exact: true }).fill('0000');
  await open.getByRole('button', { name: 'Open' }).click();
  await expect(open.getByRole('alert')).toContainText(`token "${tokenLabel}": wrong PIN`);
  await screenshot(page, 'dialog-open-token-wrong-pin');
  await expectNoAxeViolations(page, 'Open Cryptographic Token, a wrong PIN');
  await open.getByLabel('PIN', { exact: true }).fill(pin);
  await open.getByRole('button', { name: 'Open' }).click();
  await expect(open).toBeHidden();
  const qm = await showStore(page, tokenTab);

  // 1. The self-signed exchange with a client's PKCS#12.
  await selfSigned(page, qm, { mqName: 'QM1', cn: 'QM1', o: 'KeyDesk Class', c: 'GB' });
  await extract(page, qm, 'ibmwebspheremqqm1', at('qm1.arm'));
  await newStore(page, app.path, app.pw);
  let appPanel = await showStore(page, app.tab);
  await selfSigned(page, appPanel, { mqName: 'app1', cn: 'app1', o: 'KeyDesk Class', c: 'GB', keyType: 'EC' });
  await extract(page, appPanel, 'ibmwebspheremqapp1', at('app1.arm'));
  await add(page, appPanel, at('qm1.arm'), 'qm1');
  let qmPanel = await showStore(page, tokenTab);
  await add(page, qmPanel, at('app1.arm'), 'app1');
  expect(await rowLabels(qmPanel, 'Signer Certificates')).toEqual(['app1']);
  await screenshot(page, 'token-self-signed');
  await expectNoAxeViolations(page, 'a token open, its signers');

  // The key stays on the token: Export… is refused in a plain line, nothing written.
  await selectRow(qmPanel, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(qmPanel, 'Export…').click();
  const exp = dialog(page, 'Export: ibmwebspheremqqm1');
  await exp.getByLabel('File', { exact: true }).fill(at('qm1-key.p12'));
  for (const field of await exp.getByLabel(/password/i).all()) await field.fill('x-Passw0rd1');
  await exp.getByRole('button', { name: /^(OK|Export)$/ }).click();
  await expect(exp.getByRole('alert')).toContainText('stays on the token');
  await exp.getByRole('button', { name: 'Cancel' }).click();

  // Each side trusts what its store now holds: the token's signer, the client's signer.
  keydeskCli(['-cert', '-extract', ...tokenFlags, '-label', 'app1', '-target', at('qm-trusts.pem')]);
  keydeskCli(['-cert', '-extract', '-db', app.path, '-pw', app.pw, '-label', 'qm1', '-target', at('app-trusts.pem')]);
  const selfSignedResult = await engineHandshake(hsm.env, dir, { tokenLabel, keyLabel: 'ibmwebspheremqqm1', cert: at('qm1.arm'), trusts: at('qm-trusts.pem') }, { cert: at('app1.arm'), key: partnerKey(app, 'ibmwebspheremqapp1'), trusts: at('app-trusts.pem') });
  expect(selfSignedResult.client).toContain('Verify return code: 0 (ok)');
  expect(selfSignedResult.server).toContain('1 server accepts that finished');

  // With stores open the start page is gone: the Open dialog offers the token dialog.
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  await dialog(page, 'Open key database').getByRole('button', { name: 'Cryptographic Token…' }).click();
  await expect(dialog(page, 'Open Cryptographic Token')).toBeVisible();
  await dialog(page, 'Open Cryptographic Token').getByRole('button', { name: 'Cancel' }).click();

  // 2. The CA-signed flow: the class CA is a PKCS#12 made in the UI.
  await newStore(page, ca.path, ca.pw);
  const caPanel = await showStore(page, ca.tab);
  await selfSigned(page, caPanel, { label: 'class ca', cn: 'KeyDesk Class CA', o: 'KeyDesk Class', validityDays: '3650', ca: true });
  await extract(page, caPanel, 'class ca', at('class-ca.arm'));

  // The queue manager renews on the token: the self-signed certificate (and its key) go,
  // a request with a new key made on the token takes the label.
  qmPanel = await showStore(page, tokenTab);
  await selectRow(qmPanel, 'Personal Certificates', 'ibmwebspheremqqm1');
  await action(qmPanel, 'Delete').click();
  await okAndWait(page, dialog(page, 'Delete'), /Deleted/);
  await qmPanel.getByRole('tab', { name: 'Personal Certificate Requests', exact: true }).click();
  await action(qmPanel, 'New Request…').click();
  const req = dialog(page, 'New Certificate Request');
  await fillKeyFields(req, { mqName: 'QM1', cn: 'QM1', o: 'KeyDesk Class', c: 'GB' });
  await req.getByLabel('File', { exact: true }).fill(at('qm1-request.arm'));
  await okAndWait(page, req, /Created the request/);
  expect(await rowLabels(qmPanel, 'Personal Certificate Requests')).toEqual(['ibmwebspheremqqm1']);

  keydeskCli(['-cert', '-sign', '-db', ca.path, '-pw', ca.pw, '-label', 'class ca', '-file', at('qm1-request.arm'), '-target', at('qm1-signed.arm')]);
  await add(page, qmPanel, at('class-ca.arm'), 'class ca');
  await qmPanel.getByRole('tab', { name: 'Personal Certificates', exact: true }).click();
  await action(qmPanel, 'Receive…').click();
  const rec = dialog(page, 'Receive Certificate');
  await rec.getByLabel('File', { exact: true }).fill(at('qm1-signed.arm'));
  await okAndWait(page, rec, 'Received “ibmwebspheremqqm1”');
  expect(await rowLabels(qmPanel, 'Personal Certificates')).toEqual(['ibmwebspheremqqm1']);
  expect(keydeskCli(['-cert', '-validate', ...tokenFlags, '-label', 'ibmwebspheremqqm1'])).toContain('Validation successful');
  await screenshot(page, 'token-ca-signed');

  // The client trusts the class CA and has its own certificate signed by it.
  keydeskCli(['-certreq', '-create', '-db', app.path, '-pw', app.pw, '-label', 'app2', '-dn', 'CN=app2,O=KeyDesk Class', '-file', at('app2.csr')]);
  keydeskCli(['-cert', '-sign', '-db', ca.path, '-pw', ca.pw, '-label', 'class ca', '-file', at('app2.csr'), '-target', at('app2-signed.arm')]);
  keydeskCli(['-cert', '-add', '-db', app.path, '-pw', app.pw, '-label', 'class ca', '-file', at('class-ca.arm')]);
  keydeskCli(['-cert', '-receive', '-db', app.path, '-pw', app.pw, '-file', at('app2-signed.arm')]);
  keydeskCli(['-cert', '-extract', ...tokenFlags, '-label', 'class ca', '-target', at('qm-ca-trusts.pem')]);
  const caSigned = await engineHandshake(hsm.env, dir, { tokenLabel, keyLabel: 'ibmwebspheremqqm1', cert: at('qm1-signed.arm'), trusts: at('qm-ca-trusts.pem') }, { cert: at('app2-signed.arm'), key: partnerKey(app, 'app2'), trusts: at('class-ca.arm') });
  expect(caSigned.client).toContain('Verify return code: 0 (ok)');
  expect(caSigned.server).toContain('1 server accepts that finished');
});

/**
 * Issue 17 in the UI: Examine TLS Endpoint… against a node:tls server this test starts on
 * 127.0.0.1, set up as a queue manager with SSLCAUTH(REQUIRED) that lists the CAs it
 * accepts and presents its whole chain, root included. The open store is preselected and
 * its client certificate presented; the store lacks the root, so the chain shows as not
 * trusted until Add to Signers takes the presented root, after which the endpoint is
 * examined again and trusted. Then a port that does not speak TLS. Screenshots at
 * 1024x700, 1366x768 and 1920x1080, light and dark, go to test-results/screenshots.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { haveOpenssl, tempDir } from './store-fixtures';
import { openStore, paneTab, screenshot, startPage } from './ui-helpers';
import { cliEntries, dialog, keydeskCli } from './action-helpers';
import { makeProbePki, startNodeTlsServer, startPlainServer, type ProbePki, type Running } from '../core/testing/tls-test-servers';

test.skip(!haveOpenssl, 'openssl is not installed: the test PKI is made with it');

let pki: ProbePki;
let qm: Running;
let plain: Running;
const servers: Running[] = [];

test.beforeAll(async () => {
  pki = makeProbePki(tempDir());
  qm = await startNodeTlsServer({
    cert: [pki.at('qm.pem'), pki.at('inter.pem'), pki.at('root.pem')],
    key: pki.at('qm.key'),
    ca: [pki.at('appca.pem'), pki.at('otherca.pem')],
    clientAuth: 'required',
    greeting: 'MQ',
  });
  plain = await startPlainServer({ banner: 'SSH-2.0-OpenSSH_9.2\r\n' });
  servers.push(qm, plain);
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** The dialog with its answer, as e2e/accessibility.spec.ts checks the others: no axe violations, light and dark. */
async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`)), `${where}, ${colorScheme}`).toEqual([]);
    expect(results.passes.length).toBeGreaterThan(10);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function views(page: Page, name: string) {
  for (const size of [
    { width: 1024, height: 700 },
    { width: 1366, height: 768 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    await screenshot(page, `${name}-${size.width}x${size.height}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `${name}-${size.width}x${size.height}-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

test('Examine TLS Endpoint: the presented chain, the CA list, the client certificate taken, and Add to Signers from the chain', async ({ page }) => {
  const db = join(pki.dir, 'app.p12');
  keydeskCli(['-keydb', '-create', '-db', db, '-pw', 'app-Passw0rd', '-type', 'pkcs12']);
  keydeskCli(['-cert', '-import', '-file', pki.at('app.pem'), '-keyfile', pki.at('app.key'), '-label', 'ibmwebspheremqapp', '-target', db, '-target_pw', 'app-Passw0rd']);
  keydeskCli(['-cert', '-add', '-label', 'app ca', '-file', pki.at('appca.pem'), '-db', db, '-pw', 'app-Passw0rd']);

  // A render error blanks the window while every locator just waits: catch it by name.
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await startPage(page);
  await openStore(page, db, { password: 'app-Passw0rd' });
  await page.getByRole('group', { name: 'Key database actions' }).getByRole('button', { name: 'Examine TLS Endpoint…' }).click();
  const d = dialog(page, 'Examine TLS Endpoint');
  // The open store and its MQ client certificate come chosen.
  await expect(d.getByLabel('Key store')).toHaveValue(/.+/);
  await expect(d.getByLabel('Key store').locator('option:checked')).toHaveText('app.p12');
  await expect(d.getByLabel('Client certificate')).toHaveValue('ibmwebspheremqapp');
  await d.getByLabel('Host').fill('127.0.0.1');
  await d.getByLabel('Port').fill(String(qm.port));
  await d.getByRole('button', { name: 'Connect' }).click();

  const verdict = d.locator('.probe-result > .verdict').first();
  await expect(verdict).toHaveText(new RegExp(`^Handshake OK with 127\\.0\\.0\\.1\\(${qm.port}\\) — TLSv1\\.3`));
  const chain = d.locator('.probe-chain > li');
  await expect(chain).toHaveCount(3);
  await expect(chain.nth(0)).toContainText(pki.subject('qm.pem'));
  await expect(chain.nth(2)).toContainText(pki.subject('root.pem'));
  await expect(d.getByText('Not trusted by the store', { exact: true })).toHaveCount(3);
  await expect(d.getByText(`does not trust ${pki.subject('root.pem')}, the root of the server's chain. The server sent it`)).toBeVisible();
  // The CertificateRequest's CA names, and the store's certificate matched against them.
  await expect(d.locator('.probe-cas li')).toHaveText([pki.subject('appca.pem'), pki.subject('otherca.pem')]);
  await expect(d.getByText(`your ibmwebspheremqapp is issued under ${pki.subject('appca.pem')}, which the server lists.`)).toBeVisible();
  await expect(d.getByText('Your certificate: the server accepted "ibmwebspheremqapp"')).toBeVisible();
  await views(page, 'tls-probe-answer');
  await expectNoAxeViolations(page, 'Examine TLS Endpoint with an answer');
  await d.locator('.probe-chain').scrollIntoViewIfNeeded();
  await views(page, 'tls-probe-untrusted');

  // Add the presented root to the store's signers: the endpoint is examined again.
  await chain.nth(2).getByRole('button', { name: 'Add to Signers' }).click();
  await expect(page.getByText(`Added ${pki.subject('root.pem')} to the signer certificates of app.p12.`)).toBeVisible();
  await expect(d.getByText('Trusted by the store', { exact: true })).toHaveCount(3);
  await expect(chain.nth(2)).toContainText('In the store as signer');
  await expect(d.locator('.probe-result > p.verdict.good').nth(1)).toContainText(`its chain ends at ${pki.subject('root.pem')}`);
  await views(page, 'tls-probe-trusted');
  expect(cliEntries(db, { pw: 'app-Passw0rd' }).map((e) => e.subject)).toContain(pki.subject('root.pem'));

  // A port that is not TLS: one plain line, what it answered.
  await d.getByLabel('Port').fill(String(plain.port));
  await d.getByRole('button', { name: 'Connect Again' }).click();
  await expect(d.locator('.probe-result > .verdict').first()).toHaveText(new RegExp(`^Failed: 127\\.0\\.0\\.1\\(${plain.port}\\) does not speak TLS: it answered "SSH-2\\.0-OpenSSH_9\\.2"\\.`));
  await expect(d.locator('.probe-chain')).toHaveCount(0);
  await views(page, 'tls-probe-not-tls');

  await d.getByRole('button', { name: 'Cancel' }).click();
  await paneTab(page, 'Signer Certificates').click();
  await expect(page.getByRole('gridcell', { name: pki.subject('root.pem'), exact: true })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

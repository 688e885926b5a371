/**
 * MD2-signed roots in the window (issue 17): View Details of VeriSign's Class 3 Public
 * Primary CA (MD2, as old GSKit databases ship it) says it is self-signed, with its
 * self-signature not checkable (MD2), and a queue manager certificate issued under an MD2
 * root shows a complete chain — as `-cert -details -json`, `-chain` and the Doctor say.
 */
import { test, expect } from '@playwright/test';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resignWithMd2 } from '../core/testing/md2-certificates';
import { keydeskCli } from './action-helpers';
import { haveOpenssl, openssl, tempDir } from './store-fixtures';
import { openStore, paneGrid, paneTab, screenshot, startPage } from './ui-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the MD2 root and the certificate under it');

const verisign = resolve(__dirname, '../core/x509/testdata/verisign-class3-pca-md2.pem');
const VERISIGN = 'verisign class 3 public primary ca';
let store: string;

test.beforeAll(() => {
  const dir = tempDir();
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/O=Old Trust/OU=Class 3 Test Primary CA', '-days', '3650', '-extensions', 'v3_ca'], dir);
  const md2Root = resignWithMd2(new Uint8Array(new X509Certificate(readFileSync(join(dir, 'root.pem'))).raw), createPrivateKey(readFileSync(join(dir, 'root.key'))));
  writeFileSync(join(dir, 'md2root.pem'), new X509Certificate(md2Root).toString());
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'qm1.key', '-out', 'qm1.csr', '-subj', '/CN=QM1/O=KeyDesk Tests'], dir);
  openssl(['x509', '-req', '-in', 'qm1.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '21', '-days', '300', '-sha256', '-out', 'qm1.pem'], dir);
  store = join(dir, 'old.p12');
  keydeskCli(['-keydb', '-create', '-db', store, '-pw', 'old-pw', '-type', 'pkcs12']);
  keydeskCli(['-cert', '-add', '-db', store, '-pw', 'old-pw', '-label', VERISIGN, '-file', verisign]);
  keydeskCli(['-cert', '-add', '-db', store, '-pw', 'old-pw', '-label', 'old trust md2 root', '-file', join(dir, 'md2root.pem')]);
  keydeskCli(['-cert', '-import', '-file', join(dir, 'qm1.pem'), '-keyfile', join(dir, 'qm1.key'), '-label', 'ibmwebspheremqqm1', '-target', store, '-target_pw', 'old-pw']);
});

test('View Details of an MD2 root: self-signed, "self-signature not checkable (MD2)", a trusted root, no chain warning', async ({ page }) => {
  await startPage(page);
  await openStore(page, store, { password: 'old-pw' });
  await paneTab(page, 'Signer Certificates').click();
  const row = paneGrid(page, 'Signer Certificates').getByRole('row', { name: new RegExp(VERISIGN) });
  await expect(row).toContainText('Trusted self-signed');
  await expect(row).not.toContainText('Weak signature');
  await row.click();
  await page.getByRole('button', { name: 'View Details' }).click();
  const details = page.getByRole('dialog', { name: `Details: ${VERISIGN}` });
  await expect(details).toContainText('Yes — self-signature not checkable (MD2)');
  await expect(details).toContainText('MD2withRSA');
  await expect(details.getByRole('list', { name: 'Certificate chain, root first' })).toContainText('Trusted root: this certificate');
  await expect(details.getByText('Chain incomplete')).toHaveCount(0);
  await screenshot(page, 'md2-root-details');
});

test('a certificate issued under an MD2 root: the chain is complete, the MD2 root a trusted root', async ({ page }) => {
  await startPage(page);
  await openStore(page, store, { password: 'old-pw' });
  const row = paneGrid(page, 'Personal Certificates').getByRole('row', { name: /ibmwebspheremqqm1/ });
  await expect(row).toContainText('CA-signed, with key');
  await row.click();
  await page.getByRole('button', { name: 'View Details' }).click();
  const details = page.getByRole('dialog', { name: 'Details: ibmwebspheremqqm1' });
  const chain = details.getByRole('list', { name: 'Certificate chain, root first' });
  await expect(chain).toContainText('Class 3 Test Primary CA');
  await expect(chain).toContainText('Trusted root, in Signer Certificates');
  await expect(details.getByText('Chain incomplete')).toHaveCount(0);
  await screenshot(page, 'md2-root-chain');
});

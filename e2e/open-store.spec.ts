/**
 * Browser mode end to end: open a PKCS#12 that openssl made, see its entries in the
 * iKeyman panes, view details, and be told plainly about a wrong password.
 */
import { test, expect } from '@playwright/test';
import { e2eToken } from '../playwright.config';
import { haveOpenssl, makePkcs12WithChain } from './store-fixtures';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the stores these tests open');

test('opens an OpenSSL PKCS#12 and shows personal and signer certificates with details', async ({ page }) => {
  const made = makePkcs12WithChain();
  await page.goto(`/?token=${e2eToken}`);
  await page.getByLabel('Key database file').fill(made.path);
  await page.getByLabel('Password').fill(made.password);
  await page.getByRole('button', { name: 'Open' }).click();

  await expect(page.getByRole('tab', { name: /Personal Certificates \(1\)/ })).toBeVisible();
  const personal = page.getByRole('table', { name: 'Personal Certificates' });
  await expect(personal.getByRole('cell', { name: made.personalLabel })).toBeVisible();
  await personal.getByRole('cell', { name: made.personalLabel }).click();
  const details = page.getByRole('complementary', { name: 'Certificate details' });
  await expect(details).toContainText(made.personalSha256);
  await expect(details).toContainText('CN=QM1,O=KeyDesk Test');
  await page.screenshot({ path: 'test-results/screenshots/personal-details.png', fullPage: true });

  await page.getByRole('tab', { name: /Signer Certificates/ }).click();
  await expect(page.getByRole('table', { name: 'Signer Certificates' }).getByRole('cell', { name: made.signerLabel })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/signers.png', fullPage: true });
});

test('a wrong password is one plain line naming the file', async ({ page }) => {
  const made = makePkcs12WithChain();
  await page.goto(`/?token=${e2eToken}`);
  await page.getByLabel('Key database file').fill(made.path);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Open' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(made.path);
  await expect(alert).toContainText(/password/i);
  await expect(alert).not.toContainText(/at .*\.ts:\d+/);
  await page.screenshot({ path: 'test-results/screenshots/wrong-password.png' });
});

test('the API refuses a request without the session token', async ({ request }) => {
  const response = await request.post('/api/openStore', { data: { path: '/etc/passwd', password: 'x' } });
  expect(response.status()).toBe(403);
});

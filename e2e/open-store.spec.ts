/**
 * Browser mode end to end on a PKCS#12 that openssl made: open it as a user would (Open…,
 * the file browser, the password), see its entries in iKeyman's panes, sort and filter,
 * view details with the fingerprint openssl computes, copy the PEM, and never see a byte of
 * the private key in any API answer.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveOpenssl, makePkcs12WithChain, opensslSha256, type MadeStore } from './store-fixtures';
import {
  chooseStoreInFileBrowser,
  expectNoKeyMaterial,
  openStore,
  paneGrid,
  paneTab,
  recordApiResponses,
  rowLabels,
  screenshot,
  startPage,
  unlock,
} from './ui-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the stores these tests open');

let made: MadeStore;
test.beforeAll(() => {
  made = makePkcs12WithChain();
});

test('lists the right labels in each pane, with counts, and never sends key material', async ({ page }) => {
  const traffic = recordApiResponses(page);
  await startPage(page);
  await screenshot(page, 'welcome');
  await openStore(page, made.path, { password: made.password });

  await expect(page).toHaveTitle(`qm.p12 (PKCS#12) — ${made.dir} — KeyDesk`);
  await expect(page.getByRole('tab', { name: 'qm.p12 PKCS#12' })).toHaveAttribute('aria-selected', 'true');
  await expect(paneTab(page, 'Personal Certificates')).toHaveAccessibleDescription('1 entry');
  await expect(paneTab(page, 'Signer Certificates')).toHaveAccessibleDescription('3 entries');
  await expect(paneTab(page, 'Personal Certificate Requests')).toHaveAccessibleDescription('0 entries');

  const personal = paneGrid(page, 'Personal Certificates');
  await expect(personal.getByRole('row', { name: new RegExp(made.personalLabel) })).toBeVisible();
  expect(await rowLabels(page, 'Personal Certificates')).toEqual([made.personalLabel]);
  await expect(personal.getByRole('row', { name: new RegExp(made.personalLabel) })).toContainText('QM1');
  await expect(personal.getByRole('row', { name: new RegExp(made.personalLabel) })).toContainText('KeyDesk Test Root CA');
  await expect(personal.getByRole('row', { name: new RegExp(made.personalLabel) })).toContainText('RSA 2048');
  await expect(personal.getByRole('row', { name: new RegExp(made.personalLabel) })).toContainText('CA-signed, with key');
  await screenshot(page, 'personal-certificates');

  await paneTab(page, 'Signer Certificates').click();
  expect(await rowLabels(page, 'Signer Certificates')).toEqual([made.expiredLabel, made.expiringLabel, made.signerLabel]);
  const signers = paneGrid(page, 'Signer Certificates');
  // Expiry in words as well as colour.
  await expect(signers.getByRole('row', { name: new RegExp(made.expiredLabel) })).toContainText('Expired');
  await expect(signers.getByRole('row', { name: new RegExp(made.expiringLabel) })).toContainText('12 days left');
  await expect(signers.getByRole('row', { name: new RegExp(made.signerLabel) })).toContainText('Trusted root CA');
  await screenshot(page, 'signer-certificates');

  await paneTab(page, 'Personal Certificate Requests').click();
  await expect(page.getByText('No pending certificate requests.')).toBeVisible();
  await expect(page.getByText(/New Request… makes a key and a request/)).toBeVisible();
  await screenshot(page, 'requests-empty');

  await traffic.settled();
  expectNoKeyMaterial(traffic, made.privateKeyBase64);
});

test('details show the SHA-256 fingerprint openssl computes, the chain with trust status, and Copy PEM', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const traffic = recordApiResponses(page);
  await startPage(page);
  await openStore(page, made.path, { password: made.password });

  const row = paneGrid(page, 'Personal Certificates').getByRole('row', { name: new RegExp(made.personalLabel) });
  await expect(page.getByRole('button', { name: 'View Details' })).toBeDisabled();
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'View Details' }).click();

  const details = page.getByRole('dialog', { name: `Details: ${made.personalLabel}` });
  await expect(details).toContainText(made.personalSha256);
  await expect(details).toContainText('CN=QM1,O=KeyDesk Test');
  await expect(details).toContainText('Yes, kept in this key store (never shown)');
  const chain = details.getByRole('list', { name: 'Certificate chain, root first' });
  await expect(chain).toContainText('KeyDesk Test Root CA');
  await expect(chain).toContainText('Trusted root, in Signer Certificates');
  await expect(chain).toContainText('This certificate, with its private key');
  await expect(details.getByText('Chain incomplete')).toHaveCount(0);
  // The root's own fingerprint, from its link in the chain.
  await screenshot(page, 'details-personal');
  await expect(chain.getByText(made.rootSha256)).toBeHidden();
  await chain.getByText('KeyDesk Test Root CA', { exact: true }).click();
  await expect(chain.getByText(made.rootSha256)).toBeVisible();
  await screenshot(page, 'details-chain-link-opened');

  await details.getByRole('button', { name: 'Copy PEM' }).click();
  await expect(details.getByRole('status')).toContainText('Copied the certificate and 1 issuer as PEM to the clipboard.');
  const pem = await page.evaluate(() => navigator.clipboard.readText());
  expect(pem.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
  expect(pem).not.toContain('PRIVATE KEY');
  writeFileSync(join(made.dir, 'copied.pem'), pem);
  expect(opensslSha256('copied.pem', made.dir)).toBe(made.personalSha256);
  await screenshot(page, 'details-copied-pem');

  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await traffic.settled();
  expectNoKeyMaterial(traffic, made.privateKeyBase64);
});

test('sorts by a column, filters, and is operable by keyboard alone', async ({ page }) => {
  await startPage(page);
  await openStore(page, made.path, { password: made.password });
  await paneTab(page, 'Signer Certificates').click();
  const grid = paneGrid(page, 'Signer Certificates');

  // Sort by expiry, latest first, then earliest first.
  await grid.getByRole('columnheader', { name: 'Expires' }).getByRole('button').click();
  await expect(grid.getByRole('columnheader', { name: 'Expires' })).toHaveAttribute('aria-sort', 'ascending');
  expect(await rowLabels(page, 'Signer Certificates')).toEqual([made.expiredLabel, made.expiringLabel, made.signerLabel]);
  await grid.getByRole('columnheader', { name: 'Expires' }).getByRole('button').click();
  await expect(grid.getByRole('columnheader', { name: 'Expires' })).toHaveAttribute('aria-sort', 'descending');
  expect(await rowLabels(page, 'Signer Certificates')).toEqual([made.signerLabel, made.expiringLabel, made.expiredLabel]);
  await grid.getByRole('columnheader', { name: 'Key' }).getByRole('button').click();
  expect((await rowLabels(page, 'Signer Certificates'))[2]).toBe(made.signerLabel); // EC P-256 before RSA 2048

  // Filter by words anywhere in the row.
  const filter = page.getByRole('searchbox', { name: 'Filter Signer Certificates' });
  await filter.fill('partner');
  await expect(page.getByRole('status').filter({ hasText: /^2 of 3 shown$/ })).toBeVisible();
  await filter.fill('no such thing');
  await expect(page.getByText('No entries match “no such thing”.')).toBeVisible();
  await screenshot(page, 'filter-no-match');
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^3 entries$/ })).toBeVisible();

  // Keyboard: into the grid, down a row, Enter opens details, Escape closes them.
  await grid.getByRole('columnheader', { name: 'Label' }).getByRole('button').click();
  await grid.getByRole('row', { name: new RegExp(made.expiredLabel) }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(grid.getByRole('row', { name: new RegExp(made.expiringLabel) })).toBeFocused();
  await expect(grid.getByRole('row', { name: new RegExp(made.expiringLabel) })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(grid.getByRole('row', { name: new RegExp(made.signerLabel) })).toBeFocused();
  await page.keyboard.press('Enter');
  const details = page.getByRole('dialog', { name: `Details: ${made.signerLabel}` });
  await expect(details).toContainText('Trusted root: this certificate');
  await expect(details).toContainText(made.rootSha256);
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expect(grid.getByRole('row', { name: new RegExp(made.signerLabel) })).toBeFocused();

  // Pane tabs follow the arrow keys.
  await paneTab(page, 'Signer Certificates').focus();
  await page.keyboard.press('ArrowRight');
  await expect(paneTab(page, 'Personal Certificate Requests')).toHaveAttribute('aria-selected', 'true');

  // Double-click opens details too.
  await paneTab(page, 'Personal Certificates').click();
  await paneGrid(page, 'Personal Certificates')
    .getByRole('row', { name: new RegExp(made.personalLabel) })
    .dblclick();
  await expect(page.getByRole('dialog', { name: `Details: ${made.personalLabel}` })).toBeVisible();
});

test('the file browser walks the server’s folders and shows key stores first', async ({ page }) => {
  await startPage(page);
  await page.getByRole('button', { name: 'Open…' }).first().click();
  const browser = page.getByRole('dialog', { name: 'Open key database' });
  await browser.getByLabel('Path').fill(made.dir);
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
  const list = browser.getByRole('listbox', { name: `Contents of ${made.dir}` });
  await expect(list.getByRole('option', { name: /qm\.p12/ })).toBeVisible();
  await expect(list.getByRole('option', { name: /ca\.pem/ })).toHaveCount(0);
  await browser.getByLabel(/Show all files/).check();
  await expect(list.getByRole('option', { name: /ca\.pem/ })).toBeVisible();
  await browser.getByLabel(/Show all files/).uncheck();
  await screenshot(page, 'file-browser');
  await list.getByRole('option', { name: /qm\.p12/ }).dblclick();
  const password = page.getByRole('dialog', { name: 'Open key database' });
  await expect(password.getByText('No stash file (qm.sth) beside qm.p12.')).toBeVisible();
  await password.getByLabel('Password').fill(made.password);
  await screenshot(page, 'password-dialog');
  await password.getByRole('button', { name: 'OK' }).click();
  await expect(paneGrid(page, 'Personal Certificates').getByRole('row', { name: new RegExp(made.personalLabel) })).toBeVisible();
});

test('a wrong password is one plain line naming the file, and the dialog stays to try again', async ({ page }) => {
  await startPage(page);
  await chooseStoreInFileBrowser(page, made.path);
  await unlock(page, { password: 'not-the-password' });
  const dialog = page.getByRole('dialog', { name: 'Open key database' });
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText(made.path);
  await expect(alert).toContainText(/password is wrong/i);
  await expect(alert).not.toContainText(/at .*\.ts:\d+/);
  await screenshot(page, 'wrong-password');
  await dialog.getByLabel('Password').fill(made.password);
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(paneTab(page, 'Personal Certificates')).toBeVisible();
});

test('a missing file is said plainly in the file browser', async ({ page }) => {
  await startPage(page);
  await chooseStoreInFileBrowser(page, join(made.dir, 'nope.kdb'));
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(`${join(made.dir, 'nope.kdb')}: no such file.`);
});

test('dark theme follows the operating system', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await startPage(page);
  await openStore(page, made.path, { password: made.password });
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).toBe('rgb(17, 21, 27)');
  await paneTab(page, 'Signer Certificates').click();
  await screenshot(page, 'signer-certificates-dark');
  await paneGrid(page, 'Signer Certificates')
    .getByRole('row', { name: new RegExp(made.signerLabel) })
    .dblclick();
  await expect(page.getByRole('dialog')).toContainText(made.rootSha256);
  await screenshot(page, 'details-dark');
});

test('stays readable at 200% zoom', async ({ browser }) => {
  // 200% zoom of a 1400×900 window: half the CSS pixels, twice the device pixels.
  const context = await browser.newContext({ viewport: { width: 700, height: 450 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await startPage(page);
  await openStore(page, made.path, { password: made.password });
  await paneTab(page, 'Signer Certificates').click();
  const grid = paneGrid(page, 'Signer Certificates');
  await expect(grid.getByRole('row', { name: new RegExp(made.expiredLabel) })).toBeVisible();
  // Nothing of the page is cut off sideways except inside the grid, which scrolls.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'zoom-200-signers', { fullPage: true });
  await grid.getByRole('row', { name: new RegExp(made.signerLabel) }).dblclick();
  await expect(page.getByRole('dialog')).toContainText('Trusted root');
  await screenshot(page, 'zoom-200-details');
  await context.close();
});

test('two stores open side by side as tabs; closing one shows the other', async ({ page }) => {
  const second = makePkcs12WithChain();
  execFileSync('mv', [second.path, join(second.dir, 'client.p12')]);
  await startPage(page);
  await openStore(page, made.path, { password: made.password });
  await openStore(page, join(second.dir, 'client.p12'), { password: second.password });
  const tabs = page.getByRole('tablist', { name: 'Open key databases' });
  await expect(tabs.getByRole('tab')).toHaveCount(2);
  await expect(tabs.getByRole('tab', { name: 'client.p12 PKCS#12' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveTitle(/^client\.p12 \(PKCS#12\)/);
  await screenshot(page, 'two-stores');
  await tabs.getByRole('tab', { name: 'qm.p12 PKCS#12' }).click();
  await expect(page).toHaveTitle(/^qm\.p12 \(PKCS#12\)/);
  await page.getByRole('button', { name: 'Close qm.p12' }).click();
  await expect(tabs.getByRole('tab')).toHaveCount(1);
  await expect(page).toHaveTitle(/^client\.p12/);
  await page.getByRole('button', { name: 'Close client.p12' }).click();
  await expect(page.getByRole('heading', { name: 'No key database open' })).toBeVisible();
  await expect(page).toHaveTitle('KeyDesk');
});

test('the menu’s shortcuts work in browser mode: Ctrl+O opens, F1 lists the shortcuts', async ({ page }) => {
  await startPage(page);
  await page.keyboard.press('Control+o');
  const browser = page.getByRole('dialog', { name: 'Open key database' });
  await expect(browser.getByRole('listbox')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(browser).toHaveCount(0);
  await page.keyboard.press('F1');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toContainText('View Details of the selected entry');
  await screenshot(page, 'keyboard-shortcuts');
  await page.keyboard.press('Escape');
  await expect(shortcuts).toHaveCount(0);
});

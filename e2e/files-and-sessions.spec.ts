/**
 * Issue 15 in browser mode: the page without its token, the file browser's start folder
 * and known store names, Open read-only (offered for cacerts, enforced by the server),
 * stores reopened after a reload, the recent list, Save As stashing by default.
 *
 * One server serves the whole file, in order: the first test sees it as just started.
 */
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { e2ePort, e2eToken } from '../playwright.config';
import { haveOpenssl, makePkcs12WithChain, tempDir, type MadeStore } from './store-fixtures';
import { action, dialog, keydeskCli, selectRow } from './action-helpers';
import { screenshot, startPage, unlock } from './ui-helpers';

test.describe.configure({ mode: 'serial' });
test.skip(!haveOpenssl, 'needs openssl to make the stores');

const sizes = [
  [1024, 700],
  [1366, 768],
  [1920, 1080],
] as const;

/** The same view at the three sizes, light and dark, for a person to look at. */
async function shootAll(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      await screenshot(page, `issue15-${name}-${width}x${height}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let made: MadeStore;
let dir: string;
let cacerts: string;
let kdb: string;

test.beforeAll(() => {
  made = makePkcs12WithChain();
  dir = tempDir();
  // A trust store named as the JDK names it (a PKCS#12, as Java 9 and later write it).
  cacerts = join(dir, 'cacerts');
  // With the public CAs a JDK's cacerts holds: the Doctor offers to delete them all at once.
  keydeskCli(['-cert', '-populate', '-db', made.path, '-pw', made.password]);
  copyFileSync(made.path, cacerts);
  kdb = join(dir, 'qm1.kdb');
  keydeskCli(['-keydb', '-create', '-db', kdb, '-pw', 'Kdb-passw0rd', '-type', 'cms', '-stash']);
  keydeskCli(['-cert', '-create', '-db', kdb, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=Bank,C=GB']);
});

test('a URL without the token, or with a wrong one, says so at once and where the right one is', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'This address has no session token' })).toBeVisible();
  await expect(page.getByText(/KeyDesk UI: http:\/\/127\.0\.0\.1:\d+\/\?token=/)).toBeVisible();
  await expect(page.getByText('bin/keydesk -ui -serve -port')).toBeVisible();
  await expect(page.getByText('Loading…')).toHaveCount(0);
  await shootAll(page, 'token-missing');

  await page.goto('/?token=not-the-token');
  await expect(page.getByRole('heading', { name: 'The session token in this address is wrong' })).toBeVisible();

  // The right token still works in the same tab afterwards.
  await startPage(page);
});

test('the file browser starts where KeyDesk was started, and shows cacerts without "Show all files"', async ({ page }) => {
  // A server of its own, started in a folder of its own: by the time this file runs, the
  // suite's server has had other specs' folders opened, and rightly starts in the last one.
  const startedIn = tempDir();
  const server = spawn(process.execPath, [resolve(__dirname, '../bin/keydesk'), '-ui', '-serve', '-port', String(e2ePort + 17)], {
    cwd: startedIn,
    env: { ...process.env, KEYDESK_TOKEN: e2eToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolveUrl, fail) => {
      let printed = '';
      server.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(printed);
        if (found) resolveUrl(found[0]);
      });
      server.on('exit', (code) => fail(new Error(`keydesk -ui -serve exited (${code}): ${printed}`)));
    });
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'No key database open' })).toBeVisible();
    await page.getByRole('button', { name: 'Open…' }).first().click();
    await expect(dialog(page, 'Open key database').locator('.current-folder')).toHaveText(startedIn);
  } finally {
    server.kill();
  }

  await startPage(page);
  await page.getByRole('button', { name: 'Open…' }).first().click();
  const browser = dialog(page, 'Open key database');
  await browser.getByLabel('Path').fill(dir);
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(browser.locator('.current-folder')).toHaveText(dir);
  await expect(browser.getByLabel('Show all files and hidden folders')).not.toBeChecked();
  await expect(browser.getByRole('option', { name: /cacerts/ })).toBeVisible();
  await expect(browser.getByRole('option', { name: /qm1\.kdb/ })).toBeVisible();
  await browser.getByRole('button', { name: 'Cancel' }).click();
});

test('cacerts opens read-only by default; the page shows it and the server refuses a change', async ({ page }) => {
  const before = sha256(cacerts);
  await startPage(page);
  await page.getByRole('button', { name: 'Open…' }).first().click();
  const browser = dialog(page, 'Open key database');
  await browser.getByLabel('Path').fill(cacerts);
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
  const password = dialog(page, 'Open key database');
  await expect(password.getByLabel('Open read-only')).toBeChecked();
  await expect(password.getByText(/Checked because it is a Java trust store/)).toBeVisible();
  await screenshot(page, 'issue15-open-read-only-dialog');
  await password.getByLabel('Password').fill(made.password);
  await password.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await expect(page.getByRole('tab', { name: /cacerts.*read-only/ })).toBeVisible();
  await expect(page.locator('.fact-read-only')).toContainText('Read-only');
  await expect(page.getByRole('button', { name: 'Change Password…' })).toBeDisabled();
  await selectRow(page, 'Personal Certificates', made.personalLabel);
  await expect(action(page, 'Delete')).toBeDisabled();
  await expect(action(page, 'Rename…')).toBeDisabled();
  await expect(action(page, 'Set as Default…')).toBeDisabled();
  await expect(action(page, 'View Details')).toBeEnabled();
  await shootAll(page, 'read-only');
  // The Doctor's fixes (a bulk delete of expired signers among them) are off too.
  await page.getByRole('tab', { name: 'Doctor' }).click();
  await page.getByRole('form', { name: 'Doctor questions' }).getByRole('button', { name: 'Check' }).click();
  const fixes = page.locator('.finding-fix button');
  await expect(fixes.filter({ hasText: /^Delete \d+ entries…$/ })).toBeVisible();
  for (const fix of await fixes.all()) await expect(fix).toBeDisabled();
  await expect(page.getByText(/^Opened read-only: close it and open it again/).first()).toBeVisible();
  await expect(page.getByText('Checking…')).toHaveCount(0);
  await screenshot(page, 'issue15-read-only-doctor');

  // Past the page: a change sent straight to the server, with the right password, is refused there.
  const answer = await page.request.post('/api/deleteEntry', {
    headers: { 'X-KeyDesk-Token': e2eToken },
    data: { store: { path: cacerts, password: made.password }, label: made.personalLabel },
  });
  const body = (await answer.json()) as { ok: boolean; error?: { message: string } };
  expect(body.ok).toBe(false);
  expect(body.error!.message).toBe(`${cacerts} is open read-only, so nothing was written: close it and open it again without "Open read-only" to change it.`);
  expect(sha256(cacerts)).toBe(before);
});

test('after a reload: the stash store reopens, the password store asks again, read-only kept; the browser starts in the last folder', async ({ page }) => {
  // A new tab: the stores another page opened stay as they are, nothing is asked.
  await startPage(page);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: 'Open…' }).first().click();
  const browser = dialog(page, 'Open key database');
  await browser.getByLabel('Path').fill(kdb);
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
  await unlock(page, { stash: true });
  await expect(page.getByRole('tab', { name: /qm1\.kdb/ })).toBeVisible();

  await page.getByRole('button', { name: 'Open…' }).first().click();
  await dialog(page, 'Open key database').getByLabel('Path').fill(cacerts);
  await dialog(page, 'Open key database').getByRole('button', { name: 'Open', exact: true }).click();
  await dialog(page, 'Open key database').getByLabel('Password').fill(made.password);
  await dialog(page, 'Open key database').getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('tab', { name: /cacerts/ })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('tab', { name: /qm1\.kdb/ })).toBeVisible();
  const asked = dialog(page, 'Open key database');
  await expect(asked.getByText(/The page was reloaded: type the password again/)).toBeVisible();
  await expect(asked.getByText(cacerts)).toBeVisible();
  await expect(asked.getByLabel('Open read-only')).toBeChecked();
  await asked.getByLabel('Password').fill(made.password);
  await asked.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByRole('tab', { name: /cacerts.*read-only/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: /qm1\.kdb/ })).toBeVisible();

  await page.getByRole('button', { name: 'Open…' }).first().click();
  await expect(dialog(page, 'Open key database').locator('.current-folder')).toHaveText(dir);
  await dialog(page, 'Open key database').getByRole('button', { name: 'Cancel' }).click();
});

test('with every store closed, the welcome page lists the recent ones; Save As stashes by default', async ({ page }) => {
  await startPage(page);
  // Most recent first: cacerts was reopened last, read-only, after the reload above.
  const recent = page.getByRole('region', { name: 'Recent key databases' });
  // The suite's server has served other spec files before this one: theirs come after.
  await expect(recent.getByRole('button').nth(1)).toBeVisible();
  await expect(recent.getByRole('button').nth(0)).toContainText('cacerts');
  await expect(recent.getByRole('button').nth(0)).toContainText('password, read-only');
  await expect(recent.getByRole('button').nth(1)).toContainText('qm1.kdb');
  await expect(recent.getByRole('button').nth(1)).toContainText('stash');
  await shootAll(page, 'recent');

  await recent.getByRole('button').nth(1).click();
  await unlock(page, { stash: true });
  await expect(page.getByRole('tab', { name: /qm1\.kdb/ })).toBeVisible();
  await expect(page.locator('.fact-read-only')).toHaveCount(0);

  await page.getByRole('button', { name: 'Save As / Convert…' }).click();
  await expect(dialog(page, 'Save As / Convert').getByLabel('Stash password to a file')).toBeChecked();
  await dialog(page, 'Save As / Convert').getByRole('button', { name: 'Cancel' }).click();
});

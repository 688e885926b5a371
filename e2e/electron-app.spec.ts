/**
 * The desktop app itself, unpackaged (see electron-app.ts): a store named on the command
 * line opens after its password, the page has no Node and no way off its own page, and the
 * menu bar is iKeyman's. Skipped, saying so, where Electron's binary is not installed.
 */
import { test, expect, _electron, type ElectronApplication } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { haveOpenssl, makePkcs12WithChain } from './store-fixtures';
import { buildUnpackagedApp, electronBinary } from './electron-app';
import { paneGrid, screenshot } from './ui-helpers';

const binary = electronBinary();

test('the unpackaged app builds: main and preload bundled beside the renderer', () => {
  const main = buildUnpackagedApp();
  const bundle = readFileSync(main, 'utf8');
  expect(bundle).toContain('require("electron")');
  // The renderer location is compiled in, as Forge's plugin does; no dev server in a build.
  expect(bundle).toContain('main_window');
  expect(bundle).not.toMatch(/MAIN_WINDOW_VITE_(DEV_SERVER_URL|NAME)\b/);
  const preload = readFileSync(main.replace(/main\.js$/, 'preload.js'), 'utf8');
  expect(preload).toContain('exposeInMainWorld("keydesk"');
  expect(preload).toContain('exposeInMainWorld("keydeskShell"');
});

let app: ElectronApplication | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('opens a store given on the command line, isolated from Node, with iKeyman’s menus', async () => {
  test.skip(binary === undefined, "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1): the desktop app cannot be launched here");
  test.skip(!haveOpenssl, 'openssl is not installed: it makes the store the app opens');
  const made = makePkcs12WithChain();
  const main = buildUnpackagedApp();
  app = await _electron.launch({ executablePath: binary, args: [main, made.path], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
  const page = await app.firstWindow();

  const dialog = page.getByRole('dialog', { name: 'Open key database' });
  await expect(dialog).toContainText(made.path);
  await dialog.getByLabel('Password').fill(made.password);
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(paneGrid(page, 'Personal Certificates').getByRole('row', { name: new RegExp(made.personalLabel) })).toBeVisible();
  await expect
    .poll(async () => app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle()))
    .toBe(`qm.p12 (PKCS#12) — ${made.dir} — KeyDesk`);
  await screenshot(page, 'electron-window');

  // The page has the contract and the shell bridge, and nothing of Node or Electron.
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    keydesk: typeof window.keydesk?.openStore,
    shell: typeof window.keydeskShell?.chooseFile,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', keydesk: 'function', shell: 'function' });

  const menus = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label));
  expect(menus).toEqual(expect.arrayContaining(['File', 'Create', 'View', 'Help']));

  // Navigation away and new windows are refused.
  const before = page.url();
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
    window.open('https://example.com/');
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(app.windows()).toHaveLength(1);
});

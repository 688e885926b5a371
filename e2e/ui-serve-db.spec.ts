/**
 * `keydesk -ui -serve -db FILE (-pw PW | -stashed)`: the store opens before the server
 * starts, the printed URL names only the file (never the password), and the page shows
 * the store as soon as it loads.
 */
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { copyNativeKdb, gskitFixtures, haveOpenssl, makePkcs12WithChain } from './store-fixtures';
import { expectNoKeyMaterial, paneGrid, paneTab, recordApiResponses, rowLabels, screenshot } from './ui-helpers';

const keydesk = resolve(__dirname, '../bin/keydesk');
const running: ChildProcess[] = [];
test.afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGTERM');
});

/** Starts a second browser-mode server; resolves with the URL it printed and all it said. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; output: string }> {
  const child = spawn(process.execPath, [keydesk, '-ui', '-serve', '-port', '0', ...args], { env: { ...process.env, KEYDESK_TOKEN: '', ...env } });
  running.push(child);
  return new Promise((done, fail) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const url = /KeyDesk UI: (\S+)/.exec(output)?.[1];
      if (url && output.includes('Ctrl+C')) done({ url, output });
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => fail(new Error(`keydesk -ui -serve exited with ${code}: ${output}`)));
  });
}

test('-db with -pw: the PKCS#12 is open when the page loads; the URL carries no password', async ({ page }) => {
  test.skip(!haveOpenssl, 'openssl is not installed: it makes the store');
  const made = makePkcs12WithChain();
  const { url, output } = await serve(['-db', made.path, '-pw', made.password]);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}&db=/);
  expect(new URL(url).searchParams.get('db')).toBe(made.path);
  expect(url).not.toContain(made.password);
  expect(output).toContain(`Opened ${made.path} (4 entries)`);

  const traffic = recordApiResponses(page);
  await page.goto(url);
  await expect(paneGrid(page, 'Personal Certificates').getByRole('row', { name: /ibmwebspheremqqm1/ })).toBeVisible();
  await expect(page.getByText('Opened when KeyDesk started')).toBeVisible();
  // The address bar no longer shows the token or the path.
  expect(new URL(page.url()).search).toBe('');
  await screenshot(page, 'serve-db-opened-at-start');
  await traffic.settled();
  expect(traffic.bodies.every(({ body }) => !body.includes(made.password))).toBe(true);
  expectNoKeyMaterial(traffic, made.privateKeyBase64);
});

test('-db with -stashed: a GSKit key database is open when the page loads', async ({ page }) => {
  const kdb = copyNativeKdb();
  test.skip(!kdb, `IBM GSKit fixtures are absent (${gskitFixtures})`);
  const { url } = await serve(['-db', kdb!.path, '-stashed']);
  await page.goto(url);
  await expect(paneTab(page, 'Personal Certificates')).toHaveAccessibleDescription('2 entries');
  expect(await rowLabels(page, 'Personal Certificates')).toEqual(['ec-keypair', 'rsa-keypair']);
});

test('-db with a wrong password stops at once, saying why, before serving anything', async () => {
  test.skip(!haveOpenssl, 'openssl is not installed: it makes the store');
  const made = makePkcs12WithChain();
  const failed = await serve(['-db', made.path, '-pw', 'wrong']).then(
    () => '',
    (e: Error) => e.message,
  );
  expect(failed).toContain('exited with 1');
  expect(failed).toContain(`${made.path}: the password is wrong`);
  expect(failed).not.toContain('KeyDesk UI:');
});

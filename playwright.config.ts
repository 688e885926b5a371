import { defineConfig } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Browser mode on a fixed port with a fixed token, so tests know the URL in advance. */
/** Fixed so tests know the URL; KEYDESK_E2E_PORT moves it when 4781 is taken. */
export const e2ePort = Number(process.env.KEYDESK_E2E_PORT ?? 4781);
export const e2eToken = 'e2e-session-token';

/** The server's SoftHSM2 (PKCS#11 token specs): a configuration of this port's own, read
 * when the server initializes the module; specs make tokens in it with softhsm2-util
 * under labels of their own, since the folder outlives one run. */
export const e2eSoftHsmDir = join(tmpdir(), `keydesk-e2e-softhsm-${e2ePort}`);
export const e2eSoftHsmConf = join(e2eSoftHsmDir, 'softhsm2.conf');
mkdirSync(join(e2eSoftHsmDir, 'tokens'), { recursive: true });
writeFileSync(e2eSoftHsmConf, `directories.tokendir = ${join(e2eSoftHsmDir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);

export default defineConfig({
  testDir: 'e2e',
  // Speed is shown by `npm run bench`, never by timed tests: the 10,000-entry renderer
  // timings run there (KEYDESK_BENCH=1), not in `npm test`.
  testIgnore: process.env.KEYDESK_BENCH ? [] : ['**/ten-thousand-entries.spec.ts', '**/five-thousand-signers.spec.ts'],
  timeout: 60_000,
  workers: 1,
  // Not test-results itself: Vitest's report lives there and Playwright empties its outputDir.
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${e2ePort}`,
    // Debian's Chromium, never a downloaded browser (see README).
    launchOptions: {
      executablePath: process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1400, height: 900 },
  },
  webServer: {
    command: `npm run --silent build:renderer && node bin/keydesk -ui -serve -port ${e2ePort}`,
    url: `http://127.0.0.1:${e2ePort}/`,
    env: { KEYDESK_TOKEN: e2eToken, SOFTHSM2_CONF: e2eSoftHsmConf },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});

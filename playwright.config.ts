import { defineConfig } from '@playwright/test';

/** Browser mode on a fixed port with a fixed token, so tests know the URL in advance. */
/** Fixed so tests know the URL; KEYDESK_E2E_PORT moves it when 4781 is taken. */
export const e2ePort = Number(process.env.KEYDESK_E2E_PORT ?? 4781);
export const e2eToken = 'e2e-session-token';

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
    env: { KEYDESK_TOKEN: e2eToken },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});

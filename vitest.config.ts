import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'electron/**/*.test.ts', 'server/**/*.test.ts', 'renderer/**/*.test.ts', 'bin/**/*.test.ts'],
    // Interop tests shell out to openssl and keytool; keytool alone takes ~0.5 s a call.
    testTimeout: 60_000,
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 60_000,
  },
});

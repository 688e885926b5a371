// Prints "N passed, N failed, N skipped" from the Vitest and Playwright JSON reports, for
// CI, which reads no runner's own summary. A step that failed before writing a report
// (the type check, say) counts as one failure so the line never claims a clean run.
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? 0);
let passed = 0, failed = 0, skipped = 0, reports = 0;

if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  reports++;
}
if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
  reports++;
}
if (status !== 0 && failed === 0) failed = 1;
if (reports < 2 && status === 0) console.error('warning: a test report is missing');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

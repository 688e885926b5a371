/**
 * A 10,000-entry store: the page renders its first rows within a second and scrolls to the
 * last without putting 10,000 rows in the DOM. The store is given to the page by answering
 * its openStore call (a real 10,000-entry file would take minutes to make), so what is
 * measured is the renderer alone: parsing, deriving rows, sorting, virtualised rendering.
 */
import { test, expect } from '@playwright/test';
import type { EntrySummary, StoreView } from '../core/api/contract';
import { e2eToken } from '../playwright.config';
import { paneGrid, paneTab, screenshot } from './ui-helpers';
import { armTimer, reportTiming, timerResult } from './bench-timer';

const count = 10_000;
const day = 24 * 3600 * 1000;

function bigStore(): StoreView {
  const now = Date.now();
  const entries: EntrySummary[] = Array.from({ length: count }, (_, i) => {
    const notAfter = new Date(now + ((i % 400) - 40) * day).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      label: `partner-${String(i).padStart(5, '0')}`,
      kind: i % 10 === 0 ? 'personal' : 'signer',
      hasPrivateKey: i % 10 === 0,
      subject: `CN=partner-${i}.example.com,OU=Payments,O=Bank ${i % 97},C=GB`,
      issuer: `CN=Bank Issuing CA ${i % 7},O=Bank,C=GB`,
      notBefore: '2025-01-01T00:00:00Z',
      notAfter,
      keyAlgorithm: i % 3 === 0 ? 'EC' : 'RSA',
      keySize: i % 3 === 0 ? 256 : 2048,
      curve: i % 3 === 0 ? 'P-256' : undefined,
      selfSigned: false,
      basicConstraints: { ca: i % 5 === 0 },
    } as EntrySummary;
  });
  return { storeId: 'big', path: '/srv/mq/big/key.kdb', format: 'cms', properties: { version: 6 }, entries };
}

test('renders a 10,000-entry store within a second and scrolls to the end', async ({ page }) => {
  const body = JSON.stringify({ ok: true, value: bigStore() });
  let answeredAt = 0;
  await page.route('**/api/openStore', async (route) => {
    answeredAt = Date.now();
    await route.fulfill({ status: 200, contentType: 'application/json', body });
  });
  await page.goto(`/?token=${e2eToken}&db=${encodeURIComponent('/srv/mq/big/key.kdb')}`);
  await paneTab(page, 'Signer Certificates').waitFor();
  // The first pane with rows drawn, measured from the moment the answer was sent.
  await expect(paneGrid(page, 'Personal Certificates').getByRole('row', { name: /partner-00000/ })).toBeVisible();
  const elapsed = Date.now() - answeredAt;
  reportTiming(test.info(), { case: 'UI: first rows drawn (answer to rows)', entries: count, ms: elapsed, targetMs: 1000 });
  await expect(paneTab(page, 'Personal Certificates')).toHaveAccessibleDescription('1000 entries');

  const started = Date.now();
  await paneTab(page, 'Signer Certificates').click();
  const grid = paneGrid(page, 'Signer Certificates');
  await expect(grid.getByRole('row', { name: /partner-00001/ })).toBeVisible();
  reportTiming(test.info(), { case: 'UI: switch to the 9,000-row pane', entries: count, ms: Date.now() - started, targetMs: 1000 });
  await expect(grid).toHaveAttribute('aria-rowcount', String(9000 + 1));
  const inDom = await grid.locator('[role="row"][data-index]').count();
  expect(inDom).toBeLessThan(100);

  // Keyboard to the last row: it is drawn, the DOM still holds only a window of rows.
  await grid.getByRole('row', { name: /partner-00001/ }).focus();
  await page.keyboard.press('End');
  await expect(grid.getByRole('row', { name: /partner-09999/ })).toBeFocused();
  expect(await grid.locator('[role="row"][data-index]').count()).toBeLessThan(100);
  await screenshot(page, 'ten-thousand-end');

  // Smooth scrolling: a quick wheel run through the list keeps frames coming.
  const frames = await page.evaluate(async () => {
    const scroller = document.querySelector('.grid-scroller')!;
    scroller.scrollTop = 0;
    let drawn = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) {
      scroller.scrollTop += 400;
      await new Promise((r) => requestAnimationFrame(r));
      drawn++;
    }
    return drawn;
  });
  test.info().annotations.push({ type: 'frames in 1 s of scrolling', description: String(frames) });

  // Sorting and filtering 9,000 rows stay quick.
  const sortStart = Date.now();
  await grid.getByRole('columnheader', { name: 'Expires' }).getByRole('button').click();
  await expect(grid.getByRole('columnheader', { name: 'Expires' })).toHaveAttribute('aria-sort', 'ascending');
  // The selection stays in view through the new order; Home goes to the earliest expiry.
  await expect(grid.getByRole('row', { name: /partner-09999/ })).toBeVisible();
  reportTiming(test.info(), { case: 'UI: sort 9,000 rows by expiry', entries: count, ms: Date.now() - sortStart, targetMs: 1000 });
  await grid.getByRole('row', { name: /partner-09999/ }).focus();
  await page.keyboard.press('Home');
  await expect(grid.locator('[role="row"][data-index="0"]')).toBeFocused();
  await expect(grid.locator('[role="row"][data-index="0"]')).toContainText('Expired');
  await page.getByRole('searchbox', { name: 'Filter Signer Certificates' }).fill('partner-0999');
  await expect(page.getByRole('status').filter({ hasText: /of 9000 shown/ })).toHaveText('9 of 9000 shown');
  await screenshot(page, 'ten-thousand-filtered');

  // A keystroke in the filter: from the key press to the frame showing the new count. Each
  // key of "09999" narrows the rows, so every one changes the count shown.
  const filter = page.getByRole('searchbox', { name: 'Filter Signer Certificates' });
  await filter.fill('');
  await expect(page.getByRole('status').filter({ hasText: /of 9000 shown/ })).toHaveCount(0);
  await filter.focus();
  const keystrokes: number[] = [];
  for (const key of '09999') {
    await armTimer(page, '.shown-count', null);
    await page.keyboard.press(key);
    keystrokes.push(await timerResult(page));
  }
  await expect(page.getByRole('status').filter({ hasText: /of 9000 shown/ })).toHaveText('1 of 9000 shown');
  const sorted = [...keystrokes].sort((a, b) => a - b);
  reportTiming(test.info(), {
    case: 'UI: filter keystroke, 9,000-row pane',
    entries: count,
    ms: sorted[Math.floor(sorted.length / 2)]!,
    targetMs: 16,
    note: `median of ${keystrokes.length} keys; each: ${keystrokes.map((k) => k.toFixed(1)).join(', ')} ms`,
  });
});

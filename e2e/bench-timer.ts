/**
 * Timings for `npm run bench` (KEYDESK_BENCH=1), measured inside the page: from the user's
 * click or key press to the frame that shows the result. A test reports them as `bench`
 * annotations, which scripts/bench.ts prints beside issue 16's targets; they are never
 * asserted (a timing is no pass/fail test on a shared machine).
 */
import type { Page, TestInfo } from '@playwright/test';

export interface UiTiming {
  case: string;
  entries: number;
  ms: number;
  targetMs: number;
  note?: string;
}

/** Arms a timer that starts at the next click or keydown anywhere in the page and stops at
 * the first frame after some element matching `selector` has text matching `text` (with
 * `text` null: after the first such element's text differs from what it is now). */
export async function armTimer(page: Page, selector: string, text: string | null, name = 'result'): Promise<void> {
  await page.evaluate(
    ({ selector, text, name }) => {
      const w = window as unknown as { benchDone?: Record<string, Promise<number>> };
      w.benchDone ??= {};
      w.benchDone[name] = new Promise<number>((resolve) => {
        let start: number | undefined;
        const onStart = () => {
          start ??= performance.now();
          document.removeEventListener('click', onStart, true);
          document.removeEventListener('keydown', onStart, true);
        };
        document.addEventListener('click', onStart, true);
        document.addEventListener('keydown', onStart, true);
        const firstText = () => document.querySelector(selector)?.textContent ?? undefined;
        const before = firstText();
        const pattern = text === null ? undefined : new RegExp(text);
        const met = () =>
          pattern ? [...document.querySelectorAll(selector)].some((e) => pattern.test(e.textContent ?? '')) : firstText() !== undefined && firstText() !== before;
        const observer = new MutationObserver(() => {
          if (start === undefined || !met()) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - start!));
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    },
    { selector, text, name },
  );
}

/** The armed timer's result, once the result is drawn. */
export function timerResult(page: Page, name = 'result'): Promise<number> {
  return page.evaluate((name) => (window as unknown as { benchDone: Record<string, Promise<number>> }).benchDone[name]!, name);
}

export function reportTiming(info: TestInfo, timing: UiTiming): void {
  info.annotations.push({ type: 'bench', description: JSON.stringify({ ...timing, ms: Math.round(timing.ms * 10) / 10 }) });
}

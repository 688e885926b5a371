/** Column layout: the label in full where the window allows, the expiry badge never squeezed, the user's widths kept. */
import { describe, it, expect } from 'vitest';
import { layoutColumns, shownColumns, standardColumnIds, type EntryColumnId, type NaturalWidth } from './entry-columns';

const rem = 16;
const columns = shownColumns({ shown: [...standardColumnIds], widths: {} });
const natural = (w: Partial<Record<EntryColumnId, number>>) =>
  new Map<EntryColumnId, NaturalWidth>(columns.map((c) => [c.id, { width: w[c.id] ?? 120, header: 90 }]));
const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);

describe('layoutColumns', () => {
  const wide = natural({ label: 630, expiry: 260, subject: 300, issuer: 380, key: 105, status: 340 });

  it('gives the label its whole content and the expiry column its badge, within the window at 1366 px', () => {
    const widths = layoutColumns(columns, wide, {}, 1322, rem);
    expect(widths[0]).toBe(630);
    expect(widths[1]).toBe(260);
    expect(widths[4]).toBe(105);
    expect(sum(widths)).toBeLessThanOrEqual(1322);
  });

  it('fits a 70-character label (the JDK cacerts) at 1366 px, the other columns giving way, nothing scrolling sideways', () => {
    const widths = layoutColumns(columns, natural({ label: 725, expiry: 230, key: 105, status: 150, subject: 300, issuer: 300 }), {}, 1322, rem);
    expect(widths[0]).toBe(725);
    expect(widths[1]).toBe(230);
    expect(Math.min(...widths.slice(2))).toBeGreaterThanOrEqual(5 * rem);
    expect(sum(widths)).toBeLessThanOrEqual(1322);
  });

  it('in a narrow window cuts the label short rather than the expiry badge, still without scrolling', () => {
    const cramped = layoutColumns(columns, natural({ label: 900, expiry: 260, key: 105 }), {}, 980, rem);
    expect(cramped[1]).toBe(260);
    expect(cramped[0]).toBe(980 - 260 - 4 * 5 * rem);
    expect(sum(cramped)).toBeLessThanOrEqual(980);
  });

  it('fills a wide window: the short facts get their content before the names grow', () => {
    const widths = layoutColumns(columns, wide, {}, 1875, rem);
    expect(widths[5]).toBe(340);
    expect(sum(widths)).toBeGreaterThan(1870);
    expect(sum(widths)).toBeLessThanOrEqual(1875);
  });

  it('shows the chosen help-desk columns whole, the table scrolling sideways, the label keeping a third of the window', () => {
    const all = shownColumns({ shown: ['label', 'expiry', 'subject', 'issuer', 'key', 'status', 'signatureAlgorithm', 'keySize', 'serial', 'sha256', 'notBefore'], widths: {} });
    const measured = new Map<EntryColumnId, NaturalWidth>(all.map((c) => [c.id, { width: c.id === 'label' ? 630 : c.id === 'sha256' ? 560 : 140, header: 90 }]));
    const widths = layoutColumns(all, measured, {}, 1322, rem);
    expect(widths[all.findIndex((c) => c.id === 'sha256')]).toBe(24 * rem);
    expect(widths[all.findIndex((c) => c.id === 'signatureAlgorithm')]).toBe(140);
    expect(widths[0]).toBe(Math.floor(1322 / 3));
    expect(sum(widths)).toBeGreaterThan(1322);
    // Scrolling anyway: the standard columns keep their floor rather than shrink to 5 rem.
    expect(widths[all.findIndex((c) => c.id === 'key')]).toBe(140);
  });

  it('keeps a width the user set, to the pixel, and never below the minimum', () => {
    const widths = layoutColumns(columns, wide, { subject: 177 / rem, key: 1 }, 1322, rem);
    expect(widths[2]).toBe(177);
    expect(widths[4]).toBe(4 * rem);
  });
});

import { describe, it, expect } from 'vitest';
import { validityStatus, validityTimeline } from './validity-timeline';

const now = new Date('2026-06-15T00:00:00Z');
const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString();

describe('validity timeline', () => {
  it('status: expired, expiring within the threshold, valid, not yet valid', () => {
    expect(validityStatus(day(-100), day(-1), now, 30)).toBe('expired');
    expect(validityStatus(day(-100), day(29), now, 30)).toBe('expiring');
    expect(validityStatus(day(-100), day(31), now, 30)).toBe('valid');
    expect(validityStatus(day(1), day(400), now, 30)).toBe('not-yet-valid');
  });

  it('rows soonest expiry first, positions on one axis with today inside it', () => {
    const t = validityTimeline(
      [
        { label: 'late', notBefore: day(-10), notAfter: day(300) },
        { label: 'soon', notBefore: day(-300), notAfter: day(10) },
      ],
      now,
      30,
    );
    expect(t.rows.map((r) => r.label)).toEqual(['soon', 'late']);
    expect(t.rows.map((r) => r.daysLeft)).toEqual([10, 300]);
    const [soon, late] = t.rows;
    expect(soon!.start).toBeLessThan(late!.start);
    expect(soon!.end).toBeLessThan(t.now + 0.1);
    expect(soon!.end).toBeGreaterThan(t.now);
    expect(t.soon).toBeGreaterThan(t.now);
    expect(late!.end).toBe(1); // the latest expiry ends the axis
    expect(t.rows.every((r) => r.start >= 0 && r.end <= 1 && !r.clippedStart && !r.clippedEnd)).toBe(true);
    expect(t.ticks.length).toBeGreaterThan(0);
    expect(t.ticks.every((k, i) => i === 0 || k.at > t.ticks[i - 1]!.at)).toBe(true);
  });

  it('a 25-year root does not squeeze the rest: it runs off both ends', () => {
    const t = validityTimeline(
      [
        { label: 'root', notBefore: day(-20 * 365), notAfter: day(5 * 365 + 200) },
        { label: 'leaf', notBefore: day(-30), notAfter: day(335) },
      ],
      now,
      30,
    );
    const root = t.rows.find((r) => r.label === 'root')!;
    expect(root).toMatchObject({ start: 0, clippedStart: true });
    const leaf = t.rows.find((r) => r.label === 'leaf')!;
    expect(leaf.end - leaf.start).toBeGreaterThan(0.1);
    expect(Date.parse(t.from)).toBeGreaterThanOrEqual(now.getTime() - 3 * 365 * 86_400_000);
  });

  it('an empty store still has an axis around today', () => {
    const t = validityTimeline([], now, 30);
    expect(t.rows).toEqual([]);
    expect(t.now).toBeGreaterThan(0);
    expect(t.now).toBeLessThan(1);
  });
});

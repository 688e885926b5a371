/**
 * Validity periods laid out on one time axis: the HTML reports draw it as SVG, and the
 * renderer can draw the same layout (this module imports nothing from Node, so a browser
 * bundle can take it). Positions are fractions of the axis, 0 at `from`, 1 at `to`.
 */

export interface TimelineInput {
  label: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** Shown beside the label in multi-store reports (the store's file). */
  group?: string;
}

export type ValidityStatus = 'expired' | 'expiring' | 'valid' | 'not-yet-valid';

export interface TimelineRow extends TimelineInput {
  status: ValidityStatus;
  /** Whole days from now to notAfter; negative once expired. */
  daysLeft: number;
  start: number;
  end: number;
  /** The period runs on beyond the axis at that end (drawn open). */
  clippedStart: boolean;
  clippedEnd: boolean;
}

export interface TimelineTick {
  at: number;
  label: string;
}

export interface Timeline {
  from: string;
  to: string;
  now: number;
  /** Where "expiring soon" begins: now plus the threshold in days. */
  soon: number;
  rows: TimelineRow[];
  ticks: TimelineTick[];
}

const DAY_MS = 86_400_000;
/** Roots valid for 25 years would squeeze everything else into a sliver; the axis shows
 * the part an operator plans with, and longer periods are drawn running off the edge. */
const MAX_PAST_MS = 3 * 365 * DAY_MS;
const MAX_FUTURE_MS = 6 * 365 * DAY_MS;

export function validityStatus(notBefore: string, notAfter: string, now: Date, days: number): ValidityStatus {
  const t = now.getTime();
  if (Date.parse(notAfter) < t) return 'expired';
  if (Date.parse(notBefore) > t) return 'not-yet-valid';
  return Date.parse(notAfter) - t < days * DAY_MS ? 'expiring' : 'valid';
}

export function validityTimeline(items: readonly TimelineInput[], now: Date, days: number): Timeline {
  const t = now.getTime();
  const starts = items.map((i) => Date.parse(i.notBefore)).filter(Number.isFinite);
  const ends = items.map((i) => Date.parse(i.notAfter)).filter(Number.isFinite);
  const soonAt = t + days * DAY_MS;
  const from = Math.max(Math.min(t - 30 * DAY_MS, ...starts), t - MAX_PAST_MS);
  const to = Math.min(Math.max(soonAt + 30 * DAY_MS, ...ends), t + MAX_FUTURE_MS);
  const span = to - from;
  const at = (ms: number) => Math.min(1, Math.max(0, (ms - from) / span));
  const rows = items
    .filter((i) => Number.isFinite(Date.parse(i.notBefore)) && Number.isFinite(Date.parse(i.notAfter)))
    .map((i): TimelineRow => {
      const start = Date.parse(i.notBefore);
      const end = Date.parse(i.notAfter);
      return {
        ...i,
        status: validityStatus(i.notBefore, i.notAfter, now, days),
        daysLeft: Math.floor((end - t) / DAY_MS),
        start: at(start),
        end: at(end),
        clippedStart: start < from,
        clippedEnd: end > to,
      };
    })
    .sort((x, y) => Date.parse(x.notAfter) - Date.parse(y.notAfter) || x.label.localeCompare(y.label));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), now: at(t), soon: at(soonAt), rows, ticks: ticksBetween(from, to, at) };
}

/** Years on a long axis, months on a short one: a dozen ticks at most. */
function ticksBetween(from: number, to: number, at: (ms: number) => number): TimelineTick[] {
  const start = new Date(from);
  const years = (to - from) / (365 * DAY_MS);
  const monthStep = years > 8 ? 24 : years > 3 ? 12 : years > 1.5 ? 6 : years > 0.75 ? 3 : 1;
  const ticks: TimelineTick[] = [];
  let y = start.getUTCFullYear();
  let m = monthStep >= 12 ? 0 : Math.ceil(start.getUTCMonth() / monthStep) * monthStep;
  for (;;) {
    while (m >= 12) {
      m -= 12;
      y++;
    }
    const ms = Date.UTC(y, m, 1);
    if (ms > to) break;
    if (ms >= from) ticks.push({ at: at(ms), label: monthStep >= 12 ? String(y) : `${y}-${String(m + 1).padStart(2, '0')}` });
    m += monthStep;
  }
  return ticks;
}

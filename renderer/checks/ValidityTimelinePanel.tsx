/**
 * The validity periods of every certificate in the store on one time axis (the layout of
 * core/checks/validity-timeline.ts, which the HTML report draws too): today as a line, the
 * "expiring soon" zone shaded, each period a bar coloured and worded by its state.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { validityTimeline, type TimelineRow, type ValidityStatus } from '../../core/checks/validity-timeline';
import type { OpenStore } from '../app-state';
import { paneTitles } from '../entry-rows';

const statusWords: Record<ValidityStatus, string> = { expired: 'Expired', expiring: 'Expiring soon', valid: 'Valid', 'not-yet-valid': 'Not yet valid' };
const kindWords: Record<string, string> = { personal: paneTitles.personal, signer: paneTitles.signer };
const SOON_DAYS = 30;
/** Rows drawn in the first frame; the rest follow in a background render React can
 * interrupt. 5,000 rows are some 100,000 elements: drawn at once, the tab took seconds. */
const FIRST_ROWS = 60;

function daysText(row: TimelineRow): string {
  if (row.status === 'expired') return `${-row.daysLeft} day${row.daysLeft === -1 ? '' : 's'} ago`;
  if (row.status === 'not-yet-valid') return `from ${row.notBefore.slice(0, 10)}`;
  return `${row.daysLeft} day${row.daysLeft === 1 ? '' : 's'} left`;
}

const pct = (at: number) => `${(at * 100).toFixed(3)}%`;

export function ValidityTimelinePanel({ store }: { store: OpenStore }) {
  const [now] = useState(() => new Date());
  const timeline = useMemo(
    () =>
      validityTimeline(
        store.view.entries.filter((e) => (e.kind === 'personal' || e.kind === 'signer') && e.notBefore && e.notAfter).map((e) => ({ label: e.label, notBefore: e.notBefore!, notAfter: e.notAfter!, group: e.kind })),
        now,
        SOON_DAYS,
      ),
    [store.view.entries, now],
  );

  const firstRows = useMemo(() => timeline.rows.slice(0, FIRST_ROWS), [timeline.rows]);
  const rows = useDeferredValue(timeline.rows, firstRows);

  if (timeline.rows.length === 0) {
    return (
      <div className="timeline-empty">
        <p>No certificates in this key database yet: nothing to show on a timeline.</p>
      </div>
    );
  }

  return (
    <div className="timeline" role="table" aria-label="Validity timeline">
      <div className="timeline-legend" aria-hidden="true">
        {(['expired', 'expiring', 'valid', 'not-yet-valid'] as const).map((s) => (
          <span key={s} className={`legend-item status-${s}`}>
            <span className="legend-swatch" /> {statusWords[s]}
          </span>
        ))}
        <span className="legend-item">
          <span className="legend-now" /> Today ({now.toISOString().slice(0, 10)})
        </span>
        <span className="legend-item">
          <span className="legend-soon" /> Next {SOON_DAYS} days
        </span>
      </div>
      <div className="timeline-scroll">
        <div role="row" className="timeline-row timeline-axis-row">
          <span role="columnheader" className="timeline-label">
            Label
          </span>
          <span role="columnheader" className="timeline-track timeline-axis">
            {timeline.ticks.map((t) => (
              <span key={t.label} className="timeline-tick" style={{ left: pct(t.at) }}>
                {t.label}
              </span>
            ))}
          </span>
          <span role="columnheader" className="timeline-state">
            Expires
          </span>
        </div>
        {rows.map((row) => (
          <div role="row" key={row.label} className={`timeline-row status-${row.status}`}>
            <span role="cell" className="timeline-label" title={row.label}>
              <span className="mono">{row.label}</span>
              <span className="timeline-kind">{kindWords[row.group ?? ''] ?? ''}</span>
            </span>
            <span role="cell" className="timeline-track" title={`${row.notBefore.slice(0, 10)} to ${row.notAfter.slice(0, 10)}`}>
              <span className="timeline-soon" style={{ left: pct(timeline.now), width: pct(timeline.soon - timeline.now) }} />
              {timeline.ticks.map((t) => (
                <span key={t.label} className="timeline-gridline" style={{ left: pct(t.at) }} />
              ))}
              <span
                className={`timeline-bar${row.clippedStart ? ' clipped-start' : ''}${row.clippedEnd ? ' clipped-end' : ''}`}
                style={{ left: pct(row.start), width: pct(Math.max(row.end - row.start, 0.004)) }}
              />
              <span className="timeline-now" style={{ left: pct(timeline.now) }} />
              <span className="visually-hidden">
                Valid from {row.notBefore.slice(0, 10)} to {row.notAfter.slice(0, 10)}
              </span>
            </span>
            <span role="cell" className="timeline-state">
              <span className={`badge badge-${row.status === 'valid' ? 'valid' : row.status}`}>{statusWords[row.status]}</span>
              <span className="timeline-date">
                {row.notAfter.slice(0, 10)} · {daysText(row)}
              </span>
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

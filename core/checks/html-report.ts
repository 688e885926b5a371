/**
 * The parts every KeyDesk HTML report shares: one standalone page (inline CSS, no
 * scripts, nothing fetched) that prints well on A4 or Letter, and the validity timeline
 * as inline SVG. Everything from a store — labels, DNs — is escaped: a store someone
 * sent the help desk must not be able to put markup into its report.
 */
import type { Timeline, ValidityStatus } from './validity-timeline';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; margin: 2em; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.6em 0 .4em; }
p.meta { color: #444; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
td.hash, td.serial { font-family: ui-monospace, Consolas, monospace; word-break: break-all; }
.expired, .error { color: #a00000; font-weight: bold; }
.expiring, .warning { color: #8a5200; font-weight: bold; }
.not-yet-valid { color: #5a2a8a; font-weight: bold; }
.info { color: #333; }
svg { width: 100%; height: auto; break-inside: avoid; }
svg text { font: 9px system-ui, Arial, sans-serif; fill: #111; }
@page { margin: 1.5cm; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
`;

export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="KeyDesk">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A table: `cells` are already escaped HTML; `classes` per column (or none). */
export function htmlTable(headers: string[], rows: string[][], classes: (string | undefined)[] = []): string {
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${classes[i] ? ` class="${classes[i]}"` : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const FILL: Record<ValidityStatus, string> = { expired: '#c62828', expiring: '#ef9a00', valid: '#2e7d32', 'not-yet-valid': '#7e57c2' };
export const STATUS_WORDS: Record<ValidityStatus, string> = { expired: 'expired', expiring: 'expiring soon', valid: 'valid', 'not-yet-valid': 'not yet valid' };

/** The timeline as SVG: one bar per certificate, a line for today, one where "expiring
 * soon" starts. Colours carry meaning only together with the table's words, so a
 * black-and-white print loses nothing. */
export function timelineSvg(timeline: Timeline, caption: string): string {
  const labelWidth = 230;
  const width = 900;
  const axis = width - labelWidth - 10;
  const rowHeight = 16;
  const top = 22;
  const height = top + timeline.rows.length * rowHeight + 8;
  const x = (f: number) => (labelWidth + f * axis).toFixed(1);
  const parts: string[] = [];
  parts.push(`<title>${escapeHtml(caption)}</title>`);
  for (const tick of timeline.ticks) {
    parts.push(`<line x1="${x(tick.at)}" y1="${top - 6}" x2="${x(tick.at)}" y2="${height - 4}" stroke="#ccc" stroke-width="0.5"/>`);
    parts.push(`<text x="${x(tick.at)}" y="${top - 9}" text-anchor="middle">${escapeHtml(tick.label)}</text>`);
  }
  timeline.rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const name = row.group ? `${row.label} — ${row.group}` : row.label;
    const shown = name.length > 40 ? `${name.slice(0, 39)}…` : name;
    const barWidth = Math.max(1.5, (row.end - row.start) * axis);
    parts.push(`<text x="${labelWidth - 6}" y="${y + 11}" text-anchor="end">${escapeHtml(shown)}</text>`);
    parts.push(
      `<rect x="${x(row.start)}" y="${y + 3}" width="${barWidth.toFixed(1)}" height="${rowHeight - 6}" fill="${FILL[row.status]}" rx="${row.clippedEnd || row.clippedStart ? 0 : 2}"><title>${escapeHtml(`${name}: ${row.notBefore.slice(0, 10)} to ${row.notAfter.slice(0, 10)} (${STATUS_WORDS[row.status]})`)}</title></rect>`,
    );
  });
  parts.push(`<line x1="${x(timeline.now)}" y1="${top - 6}" x2="${x(timeline.now)}" y2="${height - 4}" stroke="#c62828" stroke-width="1.5"/>`);
  parts.push(`<text x="${x(timeline.now)}" y="${height}" text-anchor="middle" style="fill:#c62828">today</text>`);
  parts.push(`<line x1="${x(timeline.soon)}" y1="${top - 6}" x2="${x(timeline.soon)}" y2="${height - 4}" stroke="#ef9a00" stroke-width="1" stroke-dasharray="3 2"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height + 4}" role="img" aria-label="${escapeHtml(caption)}">\n${parts.join('\n')}\n</svg>`;
}

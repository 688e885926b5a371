/**
 * A store's certificate list as files a help desk passes on: CSV (RFC 4180) for a
 * spreadsheet, and a printable HTML page with an expiry timeline. One row per entry with
 * label, kind, subject, issuer, serial, validity, SHA-256, key, signature algorithm and
 * status — the facts someone on the phone reads out to compare two stores.
 */
import type { EntrySummary } from '../api/contract';
import { escapeHtml, htmlPage, htmlTable, STATUS_WORDS, timelineSvg } from './html-report';
import { validityStatus, validityTimeline, type ValidityStatus } from './validity-timeline';
import { selfSignatureNote, statusOf, weaknessOf } from './entry-status';

/** New columns go at the end: scripts and spreadsheets read the first eight by position. */
export const CSV_COLUMNS = ['label', 'kind', 'subject', 'issuer', 'serial', 'not before', 'not after', 'sha256', 'key algorithm', 'key size', 'signature algorithm', 'status'] as const;

const VALIDITY_WORDS: Record<ValidityStatus, string> = { expired: 'expired', expiring: 'expiring', 'not-yet-valid': 'not yet valid', valid: '' };

/** The table's status, then what is wrong (expired or expiring within `days`, weak), joined
 * by "; " so a spreadsheet filter on "expired" or "weak" finds the rows the table marks. */
export function csvStatus(e: EntrySummary, now: Date, days: number): string {
  const validity = e.notBefore && e.notAfter && !e.reason ? VALIDITY_WORDS[validityStatus(e.notBefore, e.notAfter, now, days)] : '';
  return [statusOf(e), validity, ...findingWords(e)].filter(Boolean).join('; ');
}

/** What else the table, the CSV and the HTML page all say of an entry: a weakness, and a
 * root whose own signature cannot be checked (MD2). */
function findingWords(e: EntrySummary): string[] {
  if (e.reason) return [];
  return [weaknessOf(e)?.words.toLowerCase(), selfSignatureNote(e)].filter((w): w is string => w !== undefined);
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled, lines
 * end in CRLF. A field a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: a label in a store someone sent must not become a live formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function rowOf(e: EntrySummary, now: Date, days: number): string[] {
  return [
    e.label,
    e.kind,
    e.subject ?? '',
    e.issuer ?? '',
    e.serial ?? '',
    e.notBefore ?? '',
    e.notAfter ?? '',
    e.sha256 ?? '',
    e.keyAlgorithm ?? '',
    e.keySize !== undefined ? String(e.keySize) : '',
    e.signatureAlgorithm ?? '',
    csvStatus(e, now, days),
  ];
}

export function entriesCsv(entries: readonly EntrySummary[], now = new Date(), days = 30): string {
  return [[...CSV_COLUMNS], ...entries.map((e) => rowOf(e, now, days))].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export interface ListReportContext {
  /** The store's file, as the title says it. */
  path: string;
  format: string;
  /** all | personal | ca: which entries the list holds. */
  filter: string;
  now: Date;
  /** "Expiring soon" threshold in days. */
  days: number;
}

const KIND_WORDS: Record<string, string> = { personal: 'personal', signer: 'signer (CA)', request: 'pending request', secret: 'secret key', unknown: 'not interpreted' };

export function entriesHtml(entries: readonly EntrySummary[], context: ListReportContext): string {
  const withDates = entries.filter((e): e is EntrySummary & { notBefore: string; notAfter: string } => e.notBefore !== undefined && e.notAfter !== undefined);
  const timeline = validityTimeline(
    withDates.map((e) => ({ label: e.label, notBefore: e.notBefore, notAfter: e.notAfter })),
    context.now,
    context.days,
  );
  const rows = entries.map((e) => {
    const status = e.notBefore && e.notAfter ? validityStatus(e.notBefore, e.notAfter, context.now, context.days) : undefined;
    return [
      escapeHtml(e.label),
      escapeHtml(KIND_WORDS[e.kind] ?? e.kind),
      escapeHtml(e.subject ?? ''),
      escapeHtml(e.issuer ?? ''),
      escapeHtml(e.serial ?? ''),
      escapeHtml(e.notBefore?.slice(0, 10) ?? ''),
      escapeHtml(e.notAfter?.slice(0, 10) ?? ''),
      // The validity in colour, then the same words as the CSV's status column.
      [status ? `<span class="${status}">${escapeHtml(STATUS_WORDS[status])}</span>` : '', ...[statusOf(e), ...findingWords(e)].filter(Boolean).map(escapeHtml)].filter(Boolean).join('; '),
      escapeHtml(e.sha256 ?? ''),
    ];
  });
  const title = `Certificates in ${context.path}`;
  const counts = `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} (${context.filter}); ${context.format.toUpperCase()}; listed ${context.now.toISOString().slice(0, 16).replace('T', ' ')} UTC; "expiring soon" means within ${context.days} days.`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(counts)}</p>`,
    `<h2>Validity</h2>`,
    withDates.length > 0 ? timelineSvg(timeline, `Validity periods of the certificates in ${context.path}`) : '<p>No certificate with dates to show.</p>',
    `<h2>Entries</h2>`,
    htmlTable(['Label', 'Kind', 'Subject', 'Issuer', 'Serial', 'Not before', 'Not after', 'Status', 'SHA-256'], rows, [undefined, undefined, undefined, undefined, 'serial', undefined, undefined, undefined, 'hash']),
  ].join('\n');
  return htmlPage(title, body);
}

/**
 * From the contract's entry summaries to the rows a pane shows: common names pulled out of
 * the distinguished names, expiry judged against today, a status in words, and the text the
 * filter searches. Computed once per store (10,000 rows must not be re-derived per frame).
 */
import type { EntrySummary } from '../core/api/contract';
import type { EntryKind } from '../core/model/key-store';
import type { PaneName } from '../electron/shell-api';
import { statusOf, weaknessOf, type Weakness } from '../core/checks/entry-status';

export type { PaneName };

export const paneTitles: Record<PaneName, string> = {
  personal: 'Personal Certificates',
  signer: 'Signer Certificates',
  request: 'Personal Certificate Requests',
};

export const paneNames: readonly PaneName[] = ['personal', 'signer', 'request'];

const kindOfPane: Record<PaneName, EntryKind> = { personal: 'personal', signer: 'signer', request: 'request' };

/** GSKit and MQ warn 30 days ahead; so do we. */
export const expiryWarningDays = 30;
const dayMs = 24 * 3600 * 1000;

export type ExpiryState = 'expired' | 'expiring' | 'valid' | 'not-yet-valid' | 'none';

export interface Expiry {
  state: ExpiryState;
  /** YYYY-MM-DD of notAfter in the user's time zone, or '' when there is no certificate yet. */
  date: string;
  /** Words beside the date, so colour is never the only signal ('' when all is well). */
  note: string;
  /** Calendar days left (expiring) or past (expired), counted in the user's time zone. */
  days?: number;
}

export interface EntryRow {
  label: string;
  kind: EntryKind;
  subjectCn: string;
  issuerCn: string;
  /** Whole distinguished names, RFC 4514. */
  subject: string;
  issuer: string;
  /** ISO notAfter, for sorting. */
  notAfter: string;
  expiry: Expiry;
  keyText: string;
  status: string;
  /** A weak key or signature, as the Doctor judges it. */
  weakness?: Weakness;
  signatureAlgorithm: string;
  /** Bits, as text ('' when unknown). */
  keySize: string;
  serial: string;
  sha256: string;
  /** ISO notBefore, for sorting; `notBeforeDate` is its day in the user's time zone. */
  notBefore: string;
  notBeforeDate: string;
  /** Lower-case fields the filter box searches, one phrase per field. */
  searchFields: string[];
  /** The same fields joined by `searchFieldSeparator`: one `includes` per row instead of
   * one per field is what keeps a keystroke in the filter of 9,000 rows quick. */
  searchText: string;
  /** The store's default certificate (runmqakm's `*`). */
  isDefault?: boolean;
}

export type SortColumn = 'label' | 'subject' | 'issuer' | 'expiry' | 'key' | 'status' | 'signatureAlgorithm' | 'keySize' | 'serial' | 'sha256' | 'notBefore';
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

export const defaultSortOrder: SortOrder = { column: 'label', direction: 'ascending' };

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone (the user's when none is given), as
 * YYYY-MM-DD and as a day number, so "tomorrow" means the next date on the user's
 * calendar whatever the hour and across a DST change. */
export function calendarDay(ms: number, timeZone?: string): { date: string; day: number } {
  if (timeZone === undefined) {
    // The user's zone: Date's local fields, far quicker than Intl for 10,000 rows.
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, '0');
    return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, day: Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / dayMs) };
  }
  const key = timeZone;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  const y = Number(parts.year);
  const m = Number(parts.month);
  const d = Number(parts.day);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, day: Math.round(Date.UTC(y, m - 1, d) / dayMs) };
}

/** `\\,` is a comma; `\\c3\\a9` are UTF-8 bytes (é). */
function unescapeValue(value: string): string {
  return value.replace(/(?:\\[0-9a-fA-F]{2})+|\\(.)/g, (match: string, single: string | undefined) => {
    if (single !== undefined) return single;
    const bytes = new Uint8Array((match.match(/[0-9a-fA-F]{2}/g) ?? []).map((h) => parseInt(h, 16)));
    return new TextDecoder().decode(bytes);
  });
}

/** Splits an RFC 4514 name into its attributes, honouring backslash escapes. */
function attributesOf(dn: string): [string, string][] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[i + 1];
      i++;
    } else if (c === ',' || c === '+') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.flatMap((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return [];
    return [[part.slice(0, eq).trim().toUpperCase(), unescapeValue(part.slice(eq + 1)).trim()] as [string, string]];
  });
}

/** The name people use for a certificate: its CN, else its most specific OU or O. */
export function commonNameOf(dn: string | undefined): string {
  if (!dn) return '';
  const attributes = attributesOf(dn);
  for (const type of ['CN', 'OU', 'O']) {
    const found = attributes.find(([t]) => t === type);
    if (found) return found[1];
  }
  return dn;
}

export function keyTextOf(entry: Pick<EntrySummary, 'keyAlgorithm' | 'keySize' | 'curve'>): string {
  if (!entry.keyAlgorithm) return '';
  if (entry.curve) return `${entry.keyAlgorithm} ${entry.curve}`;
  return entry.keySize ? `${entry.keyAlgorithm} ${entry.keySize}` : entry.keyAlgorithm;
}

export function expiryOf(entry: Pick<EntrySummary, 'notAfter' | 'notBefore'>, now: number, timeZone?: string): Expiry {
  if (!entry.notAfter) return { state: 'none', date: '', note: '' };
  const notAfter = Date.parse(entry.notAfter);
  const end = calendarDay(notAfter, timeZone);
  const today = calendarDay(now, timeZone).day;
  const date = end.date;
  const left = notAfter - now;
  if (left < 0) {
    const days = today - end.day;
    const note = days === 0 ? 'expired today' : days === 1 ? 'expired yesterday' : `expired ${days} days ago`;
    return { state: 'expired', date, note, days };
  }
  if (entry.notBefore && Date.parse(entry.notBefore) > now) {
    return { state: 'not-yet-valid', date, note: `not valid before ${calendarDay(Date.parse(entry.notBefore), timeZone).date}` };
  }
  if (left < expiryWarningDays * dayMs) {
    const days = end.day - today;
    const note = days === 0 ? 'expires today' : days === 1 ? 'expires tomorrow' : `expires in ${days} days`;
    return { state: 'expiring', date, note, days };
  }
  return { state: 'valid', date, note: '' };
}

export { statusOf };

/** The words a row's expiry shows in the table, so the filter finds what is on screen. */
export function expiryWords(expiry: Expiry): string[] {
  switch (expiry.state) {
    case 'expired':
      return ['expired', expiry.note];
    case 'expiring':
      return ['expiring', expiry.note, compactExpiryText(expiry)];
    case 'not-yet-valid':
      return ['not yet valid', expiry.note];
    default:
      return [];
  }
}

/** What the table's badge says: short, since it shares a cell with the date under the
 * "Expires" heading ("2026-11-28 ⚠ Tomorrow"), and the label column needs the room. */
export function compactExpiryText(expiry: Expiry): string {
  switch (expiry.state) {
    case 'expired':
      return 'Expired';
    case 'expiring':
      return expiry.days === 0 ? 'Today' : expiry.days === 1 ? 'Tomorrow' : `${expiry.days} days left`;
    case 'not-yet-valid':
      return 'Not yet valid';
    default:
      return '';
  }
}

/** RFC 4514 as people read it: escapes undone, ", " between attributes. */
function readableName(dn: string | undefined): string {
  if (!dn) return '';
  return attributesOf(dn)
    .map(([type, value]) => `${type}=${value}`)
    .join(', ');
}

/** AA:BB:… as openssl and keytool print fingerprints and serials, for pasting. */
function colonHex(hex: string): string {
  return hex.replace(/(..)(?=.)/g, '$1:');
}

export function toEntryRow(entry: EntrySummary, now: number, timeZone?: string): EntryRow {
  const subjectCn = commonNameOf(entry.subject);
  const issuerCn = commonNameOf(entry.issuer);
  const keyText = keyTextOf(entry);
  const status = entry.isDefault ? `Default · ${statusOf(entry)}` : statusOf(entry);
  const expiry = expiryOf(entry, now, timeZone);
  const weakness = entry.reason ? undefined : weaknessOf(entry);
  const keySize = entry.keySize ? String(entry.keySize) : '';
  const notBeforeDate = entry.notBefore ? calendarDay(Date.parse(entry.notBefore), timeZone).date : '';
  const fields = [
    entry.label,
    entry.subject ?? '',
    readableName(entry.subject),
    entry.issuer ?? '',
    readableName(entry.issuer),
    keyText,
    status,
    expiry.date,
    ...expiryWords(expiry),
    ...(weakness ? ['weak', weakness.words, weakness.why] : []),
    entry.signatureAlgorithm ?? '',
    keySize,
    entry.serial ?? '',
    entry.serial ? colonHex(entry.serial) : '',
    entry.sha256 ?? '',
    entry.sha256 ? colonHex(entry.sha256) : '',
    notBeforeDate,
    entry.isDefault ? 'default' : '',
  ];
  const searchFields = fields.filter(Boolean).map((f) => f.toLowerCase());
  return {
    label: entry.label,
    kind: entry.kind,
    subjectCn,
    issuerCn,
    subject: entry.subject ?? '',
    issuer: entry.issuer ?? '',
    notAfter: entry.notAfter ?? '',
    expiry,
    keyText,
    status,
    weakness,
    signatureAlgorithm: entry.signatureAlgorithm ?? '',
    keySize,
    serial: entry.serial ?? '',
    sha256: entry.sha256 ?? '',
    notBefore: entry.notBefore ?? '',
    notBeforeDate,
    searchFields,
    searchText: searchFields.join(searchFieldSeparator),
    ...(entry.isDefault ? { isDefault: true } : {}),
  };
}

/** The rows of each pane; entries of other kinds (secret keys, unreadable) are counted apart. */
export function rowsByPane(entries: readonly EntrySummary[], now: number, timeZone?: string): Record<PaneName, EntryRow[]> {
  const rows: Record<PaneName, EntryRow[]> = { personal: [], signer: [], request: [] };
  for (const entry of entries) {
    const pane = paneNames.find((p) => kindOfPane[p] === entry.kind);
    if (pane) rows[pane].push(toEntryRow(entry, now, timeZone));
  }
  return rows;
}

/** Between the fields of `searchText`. No one types it; a phrase that holds it anyway is
 * matched field by field, so a match never spans two fields. */
const searchFieldSeparator = '\u0000';

function filterPhrase(filter: string): string {
  return filter.trim().toLowerCase();
}

function rowsMatching(rows: readonly EntryRow[], phrase: string): readonly EntryRow[] {
  if (phrase === '') return rows;
  if (phrase.includes(searchFieldSeparator)) return rows.filter((row) => row.searchFields.some((field) => field.includes(phrase)));
  return rows.filter((row) => row.searchText.includes(phrase));
}

/** The phrase as typed (case aside, ends trimmed), found whole within one field: "class 3"
 * finds "Class 3 Public Primary…", not "Class 1 … G3". */
export function filterRows(rows: readonly EntryRow[], filter: string): readonly EntryRow[] {
  return rowsMatching(rows, filterPhrase(filter));
}

/**
 * `filterRows` for a filter box, one keystroke after another: the same rows, but a phrase
 * that contains an earlier one ("09" after "0", or "x09" after "09") is looked for only
 * among the rows that earlier phrase matched, since a field holding the longer phrase holds
 * the shorter. A few recent results are kept, so Backspace goes back to one of them
 * without searching again. Results are for one list of rows; given another (a new sort,
 * a changed store), it starts afresh.
 */
export class RowFilter {
  private source?: readonly EntryRow[];
  /** Most recent first; filtered in the source's order, as filterRows does. */
  private recent: { phrase: string; rows: readonly EntryRow[] }[] = [];

  constructor(private readonly keep = 8) {}

  rows(source: readonly EntryRow[], filter: string): readonly EntryRow[] {
    const phrase = filterPhrase(filter);
    if (phrase === '') return source;
    if (source !== this.source) {
      this.source = source;
      this.recent = [];
    }
    const known = this.recent.find((r) => r.phrase === phrase);
    if (known) return this.remember(known);
    // The fewest rows to look through: the smallest earlier result the phrase narrows.
    let start = source;
    for (const r of this.recent) if (r.rows.length < start.length && phrase.includes(r.phrase)) start = r.rows;
    return this.remember({ phrase, rows: rowsMatching(start, phrase) });
  }

  private remember(result: { phrase: string; rows: readonly EntryRow[] }): readonly EntryRow[] {
    this.recent = [result, ...this.recent.filter((r) => r !== result)].slice(0, this.keep);
    return result.rows;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const sortKey: Record<SortColumn, (row: EntryRow) => string> = {
  label: (r) => r.label,
  subject: (r) => r.subjectCn,
  issuer: (r) => r.issuerCn,
  expiry: (r) => r.notAfter,
  key: (r) => r.keyText,
  status: (r) => r.status,
  signatureAlgorithm: (r) => r.signatureAlgorithm,
  keySize: (r) => r.keySize,
  serial: (r) => r.serial,
  sha256: (r) => r.sha256,
  notBefore: (r) => r.notBefore,
};

/** Sorted copy; empty values last either way, ties in label order. */
export function sortRows(rows: readonly EntryRow[], order: SortOrder): EntryRow[] {
  const key = sortKey[order.column];
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === '' || kb === '') {
      if (ka !== kb) return ka === '' ? 1 : -1;
    } else {
      const byKey = order.column === 'expiry' || order.column === 'notBefore' ? (ka < kb ? -1 : ka > kb ? 1 : 0) : collator.compare(ka, kb);
      if (byKey !== 0) return sign * byKey;
    }
    return collator.compare(a.label, b.label);
  });
}

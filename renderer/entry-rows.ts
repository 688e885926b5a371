/**
 * From the contract's entry summaries to the rows a pane shows: common names pulled out of
 * the distinguished names, expiry judged against today, a status in words, and the text the
 * filter searches. Computed once per store (10,000 rows must not be re-derived per frame).
 */
import type { EntrySummary } from '../core/api/contract';
import type { EntryKind } from '../core/model/key-store';
import type { PaneName } from '../electron/shell-api';

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
  /** YYYY-MM-DD of notAfter, or '' when there is no certificate yet. */
  date: string;
  /** Words beside the date, so colour is never the only signal ('' when all is well). */
  note: string;
  /** Whole days left (expiring) or past (expired). */
  days?: number;
}

export interface EntryRow {
  label: string;
  kind: EntryKind;
  subjectCn: string;
  issuerCn: string;
  /** ISO notAfter, for sorting. */
  notAfter: string;
  expiry: Expiry;
  keyText: string;
  status: string;
  /** The store's default certificate (runmqakm's `*`). */
  isDefault?: boolean;
  /** Lower-case text the filter box searches. */
  searchText: string;
}

export type SortColumn = 'label' | 'subject' | 'issuer' | 'expiry' | 'key' | 'status';
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

export const defaultSortOrder: SortOrder = { column: 'label', direction: 'ascending' };

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

export function expiryOf(entry: Pick<EntrySummary, 'notAfter' | 'notBefore'>, now: number): Expiry {
  if (!entry.notAfter) return { state: 'none', date: '', note: '' };
  const date = entry.notAfter.slice(0, 10);
  const left = Date.parse(entry.notAfter) - now;
  if (left < 0) {
    const days = Math.floor(-left / dayMs);
    return { state: 'expired', date, note: days === 0 ? 'expired today' : `expired ${days} day${days === 1 ? '' : 's'} ago`, days };
  }
  if (entry.notBefore && Date.parse(entry.notBefore) > now) {
    return { state: 'not-yet-valid', date, note: `not valid before ${entry.notBefore.slice(0, 10)}` };
  }
  if (left < expiryWarningDays * dayMs) {
    const days = Math.floor(left / dayMs);
    return { state: 'expiring', date, note: days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`, days };
  }
  return { state: 'valid', date, note: '' };
}

export function statusOf(entry: EntrySummary): string {
  if (entry.reason) return 'Cannot be read';
  switch (entry.kind) {
    case 'personal':
      if (entry.chainLength === 0) return 'Key without certificate';
      return entry.selfSigned ? 'Self-signed, with key' : 'CA-signed, with key';
    case 'signer':
      if (entry.trusted === false) return 'Not trusted (kept)';
      if (entry.selfSigned) return entry.basicConstraints?.ca ? 'Trusted root CA' : 'Trusted self-signed';
      return entry.basicConstraints?.ca ? 'Trusted intermediate CA' : 'Trusted certificate';
    case 'request':
      return 'Awaiting signed certificate';
    default:
      return '';
  }
}

export function toEntryRow(entry: EntrySummary, now: number): EntryRow {
  const subjectCn = commonNameOf(entry.subject);
  const issuerCn = commonNameOf(entry.issuer);
  const keyText = keyTextOf(entry);
  const status = entry.isDefault ? `Default · ${statusOf(entry)}` : statusOf(entry);
  return {
    label: entry.label,
    kind: entry.kind,
    subjectCn,
    issuerCn,
    notAfter: entry.notAfter ?? '',
    expiry: expiryOf(entry, now),
    keyText,
    status,
    ...(entry.isDefault ? { isDefault: true } : {}),
    searchText: [entry.label, entry.subject, entry.issuer, keyText, status, entry.isDefault ? 'default' : ''].join('\n').toLowerCase(),
  };
}

/** The rows of each pane; entries of other kinds (secret keys, unreadable) are counted apart. */
export function rowsByPane(entries: readonly EntrySummary[], now: number): Record<PaneName, EntryRow[]> {
  const rows: Record<PaneName, EntryRow[]> = { personal: [], signer: [], request: [] };
  for (const entry of entries) {
    const pane = paneNames.find((p) => kindOfPane[p] === entry.kind);
    if (pane) rows[pane].push(toEntryRow(entry, now));
  }
  return rows;
}

export function filterRows(rows: readonly EntryRow[], filter: string): readonly EntryRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => words.every((w) => row.searchText.includes(w)));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const sortKey: Record<SortColumn, (row: EntryRow) => string> = {
  label: (r) => r.label,
  subject: (r) => r.subjectCn,
  issuer: (r) => r.issuerCn,
  expiry: (r) => r.notAfter,
  key: (r) => r.keyText,
  status: (r) => r.status,
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
      const byKey = order.column === 'expiry' ? (ka < kb ? -1 : ka > kb ? 1 : 0) : collator.compare(ka, kb);
      if (byKey !== 0) return sign * byKey;
    }
    return collator.compare(a.label, b.label);
  });
}

/**
 * IBM MQ's SSLPEER filters (also CHLAUTH SSLPEERMAP and the clients' SSLPEERNAME), by the
 * rules in /work/shared/MQ.md:
 *  - comma or semicolon between attributes, spaces around them ignored;
 *  - attribute types in upper case, no space before '='; ST, SP and S all mean state,
 *    E is the deprecated spelling of MAIL, USERID of UID;
 *  - values compare ignoring case; surrounding spaces ignored unless quoted; quotes are
 *    dropped and protect commas, semicolons and attribute names inside them;
 *  - '*' only at the start and/or end of a value, for any number of characters;
 *  - OU and DC may repeat and their order counts: the filter's OUs must be the
 *    certificate's first OUs, in order (`OU=IBM, OU=WEBSPHERE` needs at least two OUs, the
 *    first IBM, the second WEBSPHERE); every other attribute at most once;
 *  - attributes the filter does not name are free; at most 1024 bytes.
 * The certificate's DN is read in the order MQ displays it (RFC 4514: most specific
 * first), which is the order operators copy into filters.
 * SERIALNUMBER, as in IBM's own examples, is the certificate's serial number written as
 * colon-separated hex pairs (4C:D0:49:…), which MQ adds to the peer's DN.
 */
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import type { EntryKind, KeyStore } from '../model/key-store';
import { describeCertificate } from '../x509/certificate-details';
import { nameAttributes } from '../x509/distinguished-name';

/** SSLPEER attribute names by certificate attribute OID. */
const NAME_BY_OID: Record<string, string> = {
  '1.2.840.113549.1.9.1': 'MAIL',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.3': 'CN',
  '2.5.4.12': 'T',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '2.5.4.10': 'O',
  '2.5.4.9': 'STREET',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.17': 'PC',
  '2.5.4.6': 'C',
  '1.2.840.113549.1.9.2': 'UNSTRUCTUREDNAME',
  '1.2.840.113549.1.9.8': 'UNSTRUCTUREDADDRESS',
  '2.5.4.46': 'DNQ',
};

/** Every spelling a filter may use, to the one name compared. */
const FILTER_NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.values(NAME_BY_OID).map((n) => [n, n])),
  SERIALNUMBER: 'SERIALNUMBER',
  E: 'MAIL',
  USERID: 'UID',
  SP: 'ST',
  S: 'ST',
};

const REPEATABLE = new Set(['OU', 'DC']);
const MAX_FILTER_BYTES = 1024;

export interface SslPeerTerm {
  /** The name compared (ST for SP and S, MAIL for E, UID for USERID). */
  type: string;
  /** Without quotes; without the wildcard stars. */
  value: string;
  startsWithStar: boolean;
  endsWithStar: boolean;
}

export interface ParsedSslPeer {
  terms: SslPeerTerm[];
  /** Accepted but worth saying (deprecated spellings). */
  notes: string[];
}

function invalid(filter: string, why: string): KeyDeskError {
  return new KeyDeskError('usage', `SSLPEER "${filter}" is not valid: ${why}`);
}

/** Reads a filter as MQ does when the channel is defined; refuses what MQ refuses. */
export function parseSslPeer(filter: string): ParsedSslPeer {
  if (Buffer.byteLength(filter, 'utf8') > MAX_FILTER_BYTES) throw invalid(filter.slice(0, 40) + '…', `it is longer than ${MAX_FILTER_BYTES} bytes.`);
  const terms: SslPeerTerm[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  let at = 0;
  const skipSpaces = () => {
    while (at < filter.length && filter[at] === ' ') at++;
  };
  skipSpaces();
  if (at >= filter.length) throw invalid(filter, 'it is empty.');
  while (at < filter.length) {
    skipSpaces();
    const equals = filter.indexOf('=', at);
    if (equals < 0) throw invalid(filter, `"${filter.slice(at)}" has no "=".`);
    const written = filter.slice(at, equals);
    if (/[,;]/.test(written)) throw invalid(filter, `"${written}" is not an attribute type (a separator comes before any "=").`);
    if (written !== written.trimEnd()) throw invalid(filter, `no space is allowed between "${written.trim()}" and "=".`);
    if (written !== written.toUpperCase()) throw invalid(filter, `attribute types must be in upper case: "${written}" should be "${written.toUpperCase()}".`);
    const type = FILTER_NAMES[written];
    if (!type) throw invalid(filter, `"${written}" is not an attribute SSLPEER can use (${Object.keys(FILTER_NAMES).sort().join(', ')}).`);
    if (written === 'E') notes.push('E is the deprecated spelling of MAIL; use MAIL.');
    if (!REPEATABLE.has(type) && seen.has(type)) throw invalid(filter, `${written} appears more than once; only OU and DC may repeat.`);
    seen.add(type);
    at = equals + 1;
    skipSpaces();
    let value: string;
    if (filter[at] === '"') {
      const close = filter.indexOf('"', at + 1);
      if (close < 0) throw invalid(filter, 'a double quote is not closed.');
      value = filter.slice(at + 1, close);
      at = close + 1;
      skipSpaces();
      if (at < filter.length && filter[at] !== ',' && filter[at] !== ';') throw invalid(filter, `unexpected text after the quoted value "${value}".`);
    } else {
      let end = at;
      while (end < filter.length && filter[end] !== ',' && filter[end] !== ';') end++;
      value = filter.slice(at, end).trim();
      if (value.includes('"')) throw invalid(filter, `the value "${value}" has a double quote inside it; quote the whole value instead.`);
      at = end;
    }
    if (value === '') throw invalid(filter, `${written} has no value.`);
    const startsWithStar = value.startsWith('*');
    const endsWithStar = value.length > 1 && value.endsWith('*');
    const core = value.slice(startsWithStar ? 1 : 0, endsWithStar ? -1 : undefined);
    if (core.includes('*')) throw invalid(filter, `in "${value}" the * is neither at the start nor at the end; MQ allows it only there.`);
    terms.push({ type, value: core, startsWithStar, endsWithStar });
    if (at < filter.length) {
      at++; // the separator
      skipSpaces();
      if (at >= filter.length) throw invalid(filter, 'it ends with a separator.');
    }
  }
  return { terms, notes };
}

/** The peer's DN as MQ compares it: attribute values by SSLPEER name, in display order. */
export interface PeerName {
  values: Map<string, string[]>;
}

export function peerNameOf(certificate: Uint8Array): PeerName {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string) => values.set(name, [...(values.get(name) ?? []), value]);
  for (const rdn of nameAttributes(subjectDer(certificate)).reverse()) {
    for (const attribute of rdn) {
      const name = NAME_BY_OID[attribute.oid];
      if (name && attribute.value !== undefined) add(name, attribute.value);
    }
  }
  add('SERIALNUMBER', colonSerial(describeCertificate(certificate).serial));
  return { values };
}

/** The subject Name's DER, from the TBSCertificate (node:crypto gives only its text). */
function subjectDer(certificate: Uint8Array): Uint8Array {
  const [tbs] = parseDer(certificate).value as Asn1[];
  const fields = tbs!.value as Asn1[];
  const first = fields[0];
  const hasVersion = first?.tagClass === asn1.Class.CONTEXT_SPECIFIC && first.type === 0;
  // serialNumber, signature, issuer, validity, subject
  return encodeDer(fields[(hasVersion ? 1 : 0) + 4]!);
}

function colonSerial(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.toUpperCase().match(/../g) ?? []).join(':');
}

function termMatches(term: SslPeerTerm, value: string): boolean {
  const wanted = term.value.toUpperCase();
  const actual = value.toUpperCase();
  if (term.startsWithStar && term.endsWithStar) return actual.includes(wanted);
  if (term.startsWithStar) return actual.endsWith(wanted);
  if (term.endsWithStar) return actual.startsWith(wanted);
  return actual === wanted;
}

const shown = (t: SslPeerTerm) => `${t.startsWithStar ? '*' : ''}${t.value}${t.endsWithStar ? '*' : ''}`;

/** Undefined when the peer name matches; else the first reason it does not. */
export function mismatchReason(filter: ParsedSslPeer, peer: PeerName): string | undefined {
  for (const type of REPEATABLE) {
    const wanted = filter.terms.filter((t) => t.type === type);
    if (wanted.length === 0) continue;
    const actual = peer.values.get(type) ?? [];
    if (actual.length < wanted.length) return `the filter needs ${wanted.length} ${type} value${wanted.length === 1 ? '' : 's'}, the certificate has ${actual.length}`;
    for (let i = 0; i < wanted.length; i++) {
      if (!termMatches(wanted[i]!, actual[i]!)) return `${type} number ${i + 1} is "${actual[i]}", not "${shown(wanted[i]!)}" (the order of ${type} values counts)`;
    }
  }
  for (const term of filter.terms.filter((t) => !REPEATABLE.has(t.type))) {
    const actual = peer.values.get(term.type) ?? [];
    if (actual.length === 0) return `the certificate has no ${term.type}`;
    if (!actual.some((v) => termMatches(term, v))) return `${term.type} is "${actual.join('", "')}", not "${shown(term)}"`;
  }
  return undefined;
}

export interface SslPeerCandidate {
  label: string;
  kind: EntryKind;
  subject: string;
  matches: boolean;
  /** Why not, when it does not. */
  reason?: string;
}

export interface SslPeerMatches {
  filter: string;
  notes: string[];
  entries: SslPeerCandidate[];
}

/** Tests a filter against every certificate in the store: which partners would pass. */
export function matchSslPeer(store: KeyStore, filter: string): SslPeerMatches {
  const parsed = parseSslPeer(filter);
  const entries: SslPeerCandidate[] = [];
  for (const entry of store.entries) {
    const der = entry.kind === 'personal' ? entry.chain[0] : entry.kind === 'signer' ? entry.certificate : undefined;
    if (!der) continue;
    let peer: PeerName;
    let subject: string;
    try {
      peer = peerNameOf(der);
      subject = describeCertificate(der).subject;
    } catch {
      continue;
    }
    const reason = mismatchReason(parsed, peer);
    entries.push({ label: entry.label, kind: entry.kind, subject, matches: reason === undefined, ...(reason ? { reason } : {}) });
  }
  return { filter, notes: parsed.notes, entries };
}

export interface SslPeerValue {
  label: string;
  subject: string;
  /** A filter that matches exactly this subject (ignoring attributes SSLPEER cannot name). */
  sslpeer: string;
  /** The same as an MQSC attribute, quotes doubled as MQSC needs. */
  mqsc: string;
  /** Subject attributes left out, and why. */
  omitted: string[];
}

function quoteIfNeeded(value: string): string {
  return /[,;]|^ | $/.test(value) ? `"${value}"` : value;
}

/** The SSLPEER value that matches this certificate's subject, attribute for attribute. */
export function sslPeerValueFor(label: string, certificate: Uint8Array): SslPeerValue {
  const omitted: string[] = [];
  const parts: string[] = [];
  const rdns = nameAttributes(subjectDer(certificate)).reverse();
  const counts = new Map<string, number>();
  for (const a of rdns.flat()) {
    const name = NAME_BY_OID[a.oid];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const a of rdns.flat()) {
    const name = NAME_BY_OID[a.oid];
    const shownName = a.shortName ?? a.oid;
    if (!name) {
      omitted.push(`${shownName} is not an attribute SSLPEER can test; it is left out.`);
      continue;
    }
    if (a.value === undefined) {
      omitted.push(`${name} is not a text value; it is left out.`);
      continue;
    }
    if (!REPEATABLE.has(name) && (counts.get(name) ?? 0) > 1) {
      if (!omitted.some((o) => o.startsWith(`${name} appears`))) omitted.push(`${name} appears more than once in the subject and SSLPEER allows it once; it is left out.`);
      continue;
    }
    if (a.value.trim() === '') {
      omitted.push(`${name} is empty; it is left out.`);
      continue;
    }
    if (a.value.includes('"')) {
      omitted.push(`${name} contains a double quote, which SSLPEER cannot express; it is left out.`);
      continue;
    }
    const inner = a.value.slice(1, -1);
    if (inner.includes('*')) {
      omitted.push(`${name} has a * inside its value, which SSLPEER would refuse; it is left out.`);
      continue;
    }
    if (a.value.startsWith('*') || a.value.endsWith('*')) omitted.push(`${name}'s value starts or ends with *, which SSLPEER reads as a wildcard: the filter is looser than the subject.`);
    parts.push(`${name}=${quoteIfNeeded(a.value)}`);
  }
  if (parts.length === 0) throw new KeyDeskError('unsupported', `"${label}": its subject has no attribute SSLPEER can test.`);
  const sslpeer = parts.join(',');
  return { label, subject: describeCertificate(certificate).subject, sslpeer, mqsc: `SSLPEER('${sslpeer.replace(/'/g, "''")}')`, omitted };
}

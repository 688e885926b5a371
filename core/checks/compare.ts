/**
 * Two stores side by side, for the help desk's "which signer is missing?": entries are
 * matched first by what they hold (the certificate's SHA-256, whatever its label or
 * whether it is personal on one side and a signer on the other — after an exchange that
 * is exactly the point), then by label. Entries KeyDesk cannot interpret are left out and
 * named in `notes`, since nothing about their content can be compared.
 */
import { createHash } from 'node:crypto';
import type { Entry, EntryKind, KeyStore } from '../model/key-store';
import { summarizeEntry } from '../api/entry-view';

export interface ComparedEntry {
  label: string;
  kind: EntryKind;
  subject?: string;
  issuer?: string;
  notAfter?: string;
  /** Of the certificate (or pending request); absent for secret keys. */
  sha256?: string;
}

export interface EntryPair {
  a: ComparedEntry;
  b: ComparedEntry;
}

export interface StoreComparison {
  onlyInA: ComparedEntry[];
  onlyInB: ComparedEntry[];
  /** Same label (ignoring case, as stores look labels up), different contents. */
  sameLabelDifferentCertificate: EntryPair[];
  /** Same contents; the labels or kinds may differ, and the pair shows both. */
  same: EntryPair[];
  notes: string[];
}

interface Indexed {
  view: ComparedEntry;
  /** What the entry holds, for matching; a secret key's is never shown. */
  content?: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function contentOf(entry: Entry): string | undefined {
  switch (entry.kind) {
    case 'personal':
      return entry.chain[0] ? sha256(entry.chain[0]) : undefined;
    case 'signer':
      return sha256(entry.certificate);
    case 'request':
      return sha256(entry.csr);
    case 'secret':
      return entry.key ? `secret:${sha256(entry.key)}` : undefined;
    default:
      return undefined;
  }
}

function index(entry: Entry): Indexed {
  const summary = summarizeEntry(entry);
  const view: ComparedEntry = { label: entry.label, kind: entry.kind };
  if (summary.subject) view.subject = summary.subject;
  if (summary.issuer) view.issuer = summary.issuer;
  if (summary.notAfter) view.notAfter = summary.notAfter;
  const content = contentOf(entry);
  if (content && !content.startsWith('secret:')) view.sha256 = content;
  return { view, content };
}

export function compareStores(a: KeyStore, b: KeyStore, names: { a: string; b: string } = { a: 'A', b: 'B' }): StoreComparison {
  const notes: string[] = [];
  const usable = (store: KeyStore, name: string) =>
    store.entries.filter((e) => {
      if (e.kind !== 'unknown') return true;
      notes.push(`${name}: "${e.label}" is an entry KeyDesk cannot interpret; it was not compared.`);
      return false;
    });
  const left = usable(a, names.a).map(index);
  const right = usable(b, names.b).map(index);
  const result: StoreComparison = { onlyInA: [], onlyInB: [], sameLabelDifferentCertificate: [], same: [], notes };
  const taken = new Set<Indexed>();

  const unmatchedLeft: Indexed[] = [];
  for (const l of left) {
    const r = l.content === undefined ? undefined : right.find((x) => !taken.has(x) && x.content === l.content);
    if (r) {
      taken.add(r);
      result.same.push({ a: l.view, b: r.view });
    } else {
      unmatchedLeft.push(l);
    }
  }
  for (const l of unmatchedLeft) {
    const r = right.find((x) => !taken.has(x) && x.view.label.toLowerCase() === l.view.label.toLowerCase());
    if (r) {
      taken.add(r);
      result.sameLabelDifferentCertificate.push({ a: l.view, b: r.view });
      if (l.content === undefined || r.content === undefined) notes.push(`"${l.view.label}": the contents of one side could not be read, so it is listed as different without proof.`);
    } else {
      result.onlyInA.push(l.view);
    }
  }
  result.onlyInB = right.filter((r) => !taken.has(r)).map((r) => r.view);
  return result;
}

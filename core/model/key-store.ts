/**
 * The key-store model every format reads into and writes from.
 *
 * Entries hold raw DER, never parsed objects: formats and certificate parsers change,
 * bytes do not, and an entry that is written back untouched must come out identical.
 * Private keys are held decrypted (unencrypted PKCS#8) only in the process that owns the
 * file — the main process, the browser-mode server or the CLI — never in the renderer.
 */

/** 'pkcs11': a cryptographic token (core/tokens/token-store.ts), changed in place, never written as a file. */
export type StoreFormat = 'pkcs12' | 'cms' | 'jks' | 'jceks' | 'pkcs11';

export type EntryKind = 'personal' | 'signer' | 'request' | 'secret' | 'unknown';

/** What the reader knew about an entry in its own file, so an unchanged entry can be
 * written back as it came. Only the writer of the same format may interpret `bytes`. */
export interface SourceRecord {
  format: StoreFormat;
  bytes: Uint8Array;
  /** The file's integrity check (a CMS MAC) covered `bytes`: they are exactly what GSKit or
   * KeyDesk wrote, so the writer may put them back without re-deriving them. */
  sealed?: boolean;
}

interface EntryBase {
  label: string;
  /** Present while the entry is exactly as read; drop it whenever the entry changes. */
  source?: SourceRecord;
  /** On a PKCS#11 token: the CKA_ID its objects share (certificate, private and public
   * key). Such an entry's privateKey is empty: the key stays on the token and signs there.
   * `secondaryDb`: a signer shown with a token but kept in its secondary database. */
  token?: { id?: string; secondaryDb?: boolean };
}

export interface PersonalEntry extends EntryBase {
  kind: 'personal';
  /** Unencrypted PKCS#8 PrivateKeyInfo DER. */
  privateKey: Uint8Array;
  /** End-entity certificate first, then its issuers as the store holds them. */
  chain: Uint8Array[];
  /** GSKit's default certificate (runmqakm -cert -setdefault; `*` in -cert -list): the one
   * a GSKit application uses when it names no label. At most one entry of a store. */
  isDefault?: boolean;
}

export interface SignerEntry extends EntryBase {
  kind: 'signer';
  certificate: Uint8Array;
  /** false: kept, but not a trust anchor (GSKit's "trust disabled", runmqakm -cert
   * -modify -trust disable). Only CMS databases can record it; absent means trusted. */
  trusted?: boolean;
}

/** A signer a peer's chain may end at: every signer whose trust is not disabled. */
export function isTrustedSigner(entry: Entry): entry is SignerEntry {
  return entry.kind === 'signer' && entry.trusted !== false;
}

export interface RequestEntry extends EntryBase {
  kind: 'request';
  /** PKCS#10 CertificationRequest DER. */
  csr: Uint8Array;
  /** Unencrypted PKCS#8 PrivateKeyInfo DER. */
  privateKey: Uint8Array;
}

export interface SecretEntry extends EntryBase {
  kind: 'secret';
  /** Algorithm name as the store gives it (e.g. `AES`), when known. */
  algorithm?: string;
  /** The key bytes when they could be decrypted; kept opaque in `source` otherwise. */
  key?: Uint8Array;
}

/** An entry the code cannot interpret: kept as bytes and written back unchanged by the
 * writer of the format it came from. Converting to another format names it as lost. */
export interface UnknownEntry extends EntryBase {
  kind: 'unknown';
  source: SourceRecord;
  /** Why it is not understood, in words a user can act on. */
  reason: string;
}

export type Entry = PersonalEntry | SignerEntry | RequestEntry | SecretEntry | UnknownEntry;

export interface KeyStore {
  format: StoreFormat;
  entries: Entry[];
  /** Format-specific facts worth showing or keeping on save (version, encryption). */
  properties: Record<string, string | number | boolean>;
}

/** Labels compare case-insensitively, as GSKit and keytool do. */
export function findEntry(store: KeyStore, label: string): Entry | undefined {
  const wanted = label.toLowerCase();
  return store.entries.find((e) => e.label.toLowerCase() === wanted);
}

/**
 * Labels in use, compared ignoring case. Readers labelling thousands of entries claim them
 * here one by one instead of rescanning the whole store for each (which was quadratic).
 */
export class LabelSet {
  private readonly used = new Set<string>();

  constructor(labels: Iterable<string> = []) {
    for (const label of labels) this.used.add(label.toLowerCase());
  }

  /** `base`, or `base (2)`, `base (3)`, … — the first not yet used; it is then used. */
  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

/** `base`, or `base (2)`, `base (3)`, … — the first that no entry in `taken` uses. */
export function uniqueLabel(base: string, taken: Iterable<string>): string {
  return new LabelSet(taken).claim(base);
}

/**
 * GSKit CMS key databases: `.kdb` (certificates and keys), `.rdb` (pending certificate
 * requests) and `.crl` (CRLs), container versions 3, 4 and 6. Byte layouts: FORMATS.md;
 * ../shared/tools/kdbcheck.py checks what this module writes.
 *
 * Facts the code relies on that FORMATS.md does not state (measured on the native files):
 * - The record SEQUENCE's INTEGER is not a constant 1: it equals the record number (slot
 *   position) in every native record (1..4 in the fixtures). So renumbering a record after a
 *   deletion rewrites the DER record as well as the slot's number field.
 * - The 24-byte header salt is 23 non-zero random bytes and a 0x00 (all native v4/v6 files).
 * - v6 keys are PBES2 with an explicit PBKDF2 keyLength and a PRF without NULL parameters.
 *
 * Choices where no native sample exists:
 * - Request records (`.rdb`, content [0]) carry no index hashes: their slot is zero after
 *   the record's trailing field, which is what kdbcheck.py checks for any record without a
 *   certificate. No native request sample exists to say otherwise.
 * - Secret-key records ([3]) are read (decrypted when possible) and written back only as
 *   they came: without a sample of GSKit's plaintext layout, KeyDesk does not make new ones.
 * - The default certificate is bit 1 of the record's flags (FLAGS_DEFAULT below): inferred,
 *   no native sample has one. Clearing it gives GSKit's own bytes back.
 * - The header salt is kept across saves (properties `headerSalt`, `rdbHeaderSalt`), so a
 *   store saved unchanged comes out byte-identical; GSKit's own habit here is unknown and
 *   the verifier and MAC are recomputed either way.
 *
 * Version 3: its MAC's input is unknown, so nothing vouches for a v3 file's records as a
 * whole, and a byte changed on disk would otherwise be listed as a different certificate
 * and later sealed under a fresh v4/v6 MAC. Every v3 record is therefore checked on its
 * own against what GSKit writes redundantly (numbers, lengths, both label copies, the
 * index hashes, zero padding) and its key against its certificate; one that fails is
 * listed as a damaged unknown entry, and the writer refuses such a store unless told to
 * leave the damaged records out. No native v3 file with records exists here, so three
 * checks rest on the v4/v6 layout and FORMATS.md rather than on a v3 sample: the record's
 * INTEGER may be 1 (FORMATS.md) or the record number (every native v4/v6 record); a
 * record without a certificate has nothing but zeros after its label field (as
 * kdbcheck.py expects); and a key is under a PBE scheme whose parameters are a salt and a
 * count (pbeWithMD5AndDES-CBC, FORMATS.md). The trust bit of a signer's flags and the
 * default bit of a personal record's are the one byte nothing covers: both values of each
 * are accepted. v4 and v6 files are not checked this way: their MAC already covers every
 * byte.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { KeyDeskError } from '../errors';
import { derChildren, derSpanAt, derSpanProblem, type DerSpan } from '../asn1/der-spans';
import {
  decryptPrivateKeyInfo,
  describeProtection,
  encryptPrivateKeyInfo,
  type KeyProtection,
} from '../crypto/encrypted-private-key';
import {
  LabelSet,
  uniqueLabel,
  type Entry,
  type KeyStore,
  type PersonalEntry,
  type RequestEntry,
  type SecretEntry,
  type SignerEntry,
  type UnknownEntry,
} from '../model/key-store';
import { worded } from '../wording';

export interface CmsFiles {
  kdb: Uint8Array;
  rdb?: Uint8Array;
  crl?: Uint8Array;
}

export interface CmsWriteOptions {
  /** Default: the version read (a version-3 store becomes 4), 6 for a new store. */
  version?: 4 | 6;
  /** Save a store read from a damaged version-3 database anyway, leaving its damaged
   * records out (the notes name them). Without it such a store is refused. */
  dropDamaged?: boolean;
  /** The .crl as it is on disk and the password it opens with: a store holding CRLs gets
   * them back in a .crl under the password and version written (KeyDesk edits no CRL,
   * but a .crl left under the old password would not open after a password change). */
  crl?: { bytes: Uint8Array; password: string };
}

export interface CmsWriteResult {
  kdb: Uint8Array;
  rdb: Uint8Array;
  /** The CRL database under the password and version written: empty when the store had
   * no CRLs (GSKit creates all three files), else the CRLs of `options.crl` verbatim. */
  crl: Uint8Array;
  version: 4 | 6;
  /** Plain sentences for the user: version changes, entries added or left out. */
  notes: string[];
}

type FileKind = 'kdb' | 'rdb' | 'crl';
type Version = 3 | 4 | 6;

const KINDS: Record<FileKind, { byte: number; tag: string; name: string }> = {
  kdb: { byte: 2, tag: 'X509KEY\0', name: 'key database (.kdb)' },
  rdb: { byte: 1, tag: 'X509KYP\0', name: 'request database (.rdb)' },
  crl: { byte: 1, tag: 'X509CRL\0', name: 'CRL database (.crl)' },
};
const MAC_LENGTH: Record<Version, number> = { 3: 16, 4: 20, 6: 48 };
const HMAC_DIGEST = { 4: 'sha1', 6: 'sha384' } as const;
const SLOT_SIZE = 5000;
const SALT_OFFSET = 0x18;
const SALT_LENGTH = 24;
const VERIFIER_OFFSET = 0x30;
/** Every native record carries these flags (BIT STRING, 7 unused bits, value 0x80).
 * Bit 0 is read as "trusted": every native record has it and every native signer is
 * trusted, and KeyStore Explorer reads it the same way. No GSKit sample with a disabled
 * signer exists here, so a disabled one is written as the same one-bit string, cleared. */
const FLAGS = Uint8Array.of(0x03, 0x02, 0x07, 0x80);
const FLAGS_UNTRUSTED = Uint8Array.of(0x03, 0x02, 0x07, 0x00);
/** Bit 1 of the same flags is read as "the default certificate" (runmqakm -cert
 * -setdefault, `*` in -cert -list). Inferred, as bit 0 was: no GSKit sample with a default
 * certificate exists here (every native personal record carries 07 80, and none was made
 * with -default_cert yes); KeyStore Explorer's .kdb writer (KdbRecord.personalFlag) sets
 * bits 0 and 1 on the personal records it writes, `03 02 06 C0`, and bit 1 is the only one
 * a personal record could need beyond a signer's. A default personal record is written as
 * that same two-bit string, the minimal DER form GSKit uses for the one-bit value. Read
 * that way, every personal record of a file KeyStore Explorer wrote is a default; each is
 * listed so (`*-`) until one is set, which clears the others. */
const FLAGS_DEFAULT = Uint8Array.of(0x03, 0x02, 0x06, 0xc0);
const DEFAULT_BIT = 0x40;
const NATIVE_PROTECTION: Record<4 | 6, { protection: KeyProtection; iterations: number; saltLength: number }> = {
  6: { protection: 'pbes2-sha384-aes256', iterations: 5, saltLength: 8 },
  4: { protection: 'pkcs12-sha1-3des', iterations: 10, saltLength: 20 },
};
// Slot sizes other than 5000 were never seen; the bound only stops a corrupt header from
// making us slice gigabytes.
const MAX_SLOT_SIZE = 1 << 20;

const TAG = { request: 0xa0, signer: 0xa1, personal: 0xa2, secret: 0xa3 } as const;
/** The command-line switch that maps to CmsWriteOptions.dropDamaged, named in refusals. */
const DROP_DAMAGED_FLAG = '-drop_damaged';

// ---------------------------------------------------------------------------------------
// Small byte helpers. The record layer is parsed with a TLV walker over the original bytes
// (not forge) because index hashes and byte-identical copies need exact raw TLVs.

const u32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const be32 = (n: number): Uint8Array => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());
// Buffer views over the same memory: Buffer.from(Uint8Array) would copy every certificate
// of the store on each save.
const bufferView = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const same = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && bufferView(a).equals(b);
const hex = (b: Uint8Array): string => bufferView(b).toString('hex');

// GSKit's records are read as they lie in the slot (core/asn1/der-spans.ts), non-minimal
// lengths included: canonical() below says whether GSKit wrote them.
type Tlv = DerSpan;

class Malformed extends Error {}

function readTlv(b: Uint8Array, at: number, limit: number): Tlv {
  const span = derSpanAt(b, at, limit, 'any');
  if (!span) throw new Malformed(derSpanProblem(b, at, limit, 'any')!);
  return span;
}

function childrenOf(b: Uint8Array, parent: Tlv): Tlv[] {
  const children = derChildren(b, parent, 'any');
  if (children) return children;
  // derChildren stopped at a child that is no value: readTlv throws there, saying why.
  for (let at = parent.body; ; ) at = readTlv(b, at, parent.end).end;
}

const raw = (b: Uint8Array, t: Tlv): Uint8Array => b.subarray(t.start, t.end);

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}
const derTlv = (tag: number, content: Uint8Array): Uint8Array => concat([Uint8Array.of(tag), derLength(content.length), content]);

function derInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return derTlv(0x02, Uint8Array.from(bytes));
}

// ---------------------------------------------------------------------------------------
// Container: header, verifier, MAC.

interface Container {
  kind: FileKind;
  version: Version;
  salt: Uint8Array;
  slots: Uint8Array[];
  macChecked: boolean;
  /** For a container sealed here: per slot, the signer written into it verbatim (see
   * sealedHere), or undefined where the slot must be parsed. */
  verbatim?: readonly (SignerEntry | undefined)[];
}

function kindOf(bytes: Uint8Array): FileKind | undefined {
  const tag = Buffer.from(bytes.subarray(8, 16)).toString('latin1');
  return (Object.keys(KINDS) as FileKind[]).find((k) => KINDS[k].byte === bytes[3] && KINDS[k].tag === tag);
}

/** True for any GSKit CMS container (.kdb, .rdb or .crl), whatever its version, so the
 * reader can say what the file is rather than "unknown format". */
export function sniffCms(bytes: Uint8Array): boolean {
  return bytes.length >= 0x18 && bytes[0] === 0x37 && bytes[1] === 0x48 && kindOf(bytes) !== undefined;
}

function hmac(version: 4 | 6, password: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const h = createHmac(HMAC_DIGEST[version], password);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function verifierFor(version: Version, header: Uint8Array, password: Uint8Array): Uint8Array {
  const signed = header.subarray(0, VERIFIER_OFFSET);
  if (version === 3) return new Uint8Array(createHash('md5').update(signed).update(password).digest());
  return hmac(version, password, [signed]);
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && timingSafeEqual(a, b);

/** Containers this process sealed (buildContainer), by identity: a save re-opens the bytes
 * it has just written, and recomputing their MAC (50 MB of HMAC-SHA384 for 10,000 entries)
 * would only check our own arithmetic. Bytes read from a file are never in here. With
 * each, the signers whose slot went in as the very bytes they were read from (the writer's
 * unchanged-signer case, which first checked that slot's label, certificate and trust
 * against the entry): re-opening gives those back without parsing 10,000 slots again. */
const sealedHere = new WeakMap<Uint8Array, readonly (SignerEntry | undefined)[]>();

function openContainer(bytes: Uint8Array, password: string, expected: FileKind): Container {
  if (bytes.length < 0x18 || bytes[0] !== 0x37 || bytes[1] !== 0x48) {
    throw new KeyDeskError('not-a-keystore', `this is not a GSKit CMS ${KINDS[expected].name}: its first bytes are not the CMS signature`);
  }
  const kind = kindOf(bytes);
  if (kind === undefined) {
    throw new KeyDeskError('not-a-keystore', 'this has the CMS signature but an unknown file type tag; it is not a .kdb, .rdb or .crl');
  }
  if (kind !== expected) {
    throw new KeyDeskError(
      'not-a-keystore',
      `this is a GSKit ${KINDS[kind].name}, not a ${KINDS[expected].name}` +
        (expected === 'kdb' ? '; open the .kdb file beside it' : ''),
    );
  }
  const version = bytes[2]!;
  if (version !== 3 && version !== 4 && version !== 6) {
    throw new KeyDeskError('unsupported', `this is a CMS database of version ${version}, which KeyDesk does not know (it reads versions 3, 4 and 6)`);
  }
  const m = MAC_LENGTH[version];
  const headerSize = VERIFIER_OFFSET + 2 * m;
  const slotSize = u32(bytes, 0x10);
  const count = u32(bytes, 0x14);
  if (slotSize < 12 || slotSize > MAX_SLOT_SIZE) {
    throw new KeyDeskError('damaged', `the header gives an impossible record size (${slotSize} bytes)`);
  }
  // Length before password: an ASCII-mode transfer also rewrites header bytes, and telling
  // the user their password is wrong would send them the wrong way.
  const expectedLength = headerSize + slotSize * count;
  if (bytes.length !== expectedLength) {
    throw new KeyDeskError(
      'damaged',
      `the file is ${bytes.length} bytes but its header promises ${count} record${count === 1 ? '' : 's'} of ${slotSize} bytes ` +
        `(${expectedLength} bytes in all) — truncated or transferred in ASCII mode?`,
    );
  }
  const pw = Buffer.from(password, 'utf8');
  if (!equalBytes(verifierFor(version, bytes, pw), bytes.subarray(VERIFIER_OFFSET, VERIFIER_OFFSET + m))) {
    throw new KeyDeskError('wrong-password', 'the password is wrong (it does not match the database’s password check)');
  }
  let macChecked = false;
  const verbatim = version !== 3 ? sealedHere.get(bytes) : undefined;
  if (verbatim) {
    macChecked = true;
  } else if (version !== 3) {
    const mac = hmac(version, pw, [bytes.subarray(0, VERIFIER_OFFSET + m), bytes.subarray(headerSize)]);
    if (!equalBytes(mac, bytes.subarray(VERIFIER_OFFSET + m, headerSize))) {
      throw new KeyDeskError(
        'damaged',
        'the password is right but the integrity check fails: the file was changed or corrupted after GSKit saved it (restore the backup)',
      );
    }
    macChecked = true;
  }
  // Views, not copies: 10,000 slots are 50 MB, and nothing writes into a slot read here
  // (a change builds a new one).
  const slots: Uint8Array[] = [];
  for (let i = 0; i < count; i++) slots.push(bytes.subarray(headerSize + i * slotSize, headerSize + (i + 1) * slotSize));
  return { kind, version, salt: bytes.slice(SALT_OFFSET, SALT_OFFSET + SALT_LENGTH), slots, macChecked, ...(verbatim ? { verbatim } : {}) };
}

/** 23 non-zero random bytes and a 0x00, the shape of every native salt. */
function freshSalt(): Uint8Array {
  const salt = randomBytes(SALT_LENGTH);
  for (let i = 0; i < SALT_LENGTH - 1; i++) while (salt[i] === 0) salt[i] = randomBytes(1)[0]!;
  salt[SALT_LENGTH - 1] = 0;
  return new Uint8Array(salt);
}

function saltFrom(value: unknown): Uint8Array {
  if (typeof value === 'string' && /^[0-9a-f]{48}$/i.test(value)) {
    const salt = new Uint8Array(Buffer.from(value, 'hex'));
    // v3 files carry an all-zero salt; never write that into a v4/v6 file.
    if (salt.some((b) => b !== 0)) return salt;
  }
  return freshSalt();
}

function buildContainer(
  kind: FileKind,
  version: 4 | 6,
  salt: Uint8Array,
  slots: Uint8Array[],
  password: string,
  verbatim: readonly (SignerEntry | undefined)[] = [],
): Uint8Array {
  const m = MAC_LENGTH[version];
  const header = new Uint8Array(VERIFIER_OFFSET + 2 * m);
  header.set([0x37, 0x48, version, KINDS[kind].byte], 0);
  header.set(Buffer.from(KINDS[kind].tag, 'latin1'), 8);
  header.set(be32(SLOT_SIZE), 0x10);
  header.set(be32(slots.length), 0x14);
  header.set(salt, SALT_OFFSET);
  const pw = Buffer.from(password, 'utf8');
  header.set(verifierFor(version, header, pw), VERIFIER_OFFSET);
  header.set(hmac(version, pw, [header.subarray(0, VERIFIER_OFFSET + m), ...slots]), VERIFIER_OFFSET + m);
  // One allocation, each slot copied once: concat() would copy all 50 MB a second time
  // (new Uint8Array(Buffer) copies), and a fresh 50 MB costs as much as hashing it.
  const sealed = new Uint8Array(header.length + slots.length * SLOT_SIZE);
  sealed.set(header, 0);
  let at = header.length;
  for (const slot of slots) {
    // Only a record kept verbatim from a file with another record size could differ (none
    // seen): refused rather than written under a header that gives every record 5000 bytes.
    if (slot.length !== SLOT_SIZE) {
      throw new KeyDeskError('unsupported', `a record of ${slot.length} bytes cannot go into a database of ${SLOT_SIZE}-byte records; nothing was saved`);
    }
    sealed.set(slot, at);
    at += SLOT_SIZE;
  }
  sealedHere.set(sealed, verbatim);
  return sealed;
}

// ---------------------------------------------------------------------------------------
// Slots and records.

interface SlotLayout {
  number: number;
  /** The DER record, as a view into the slot. */
  record: Uint8Array;
  label: string;
  /** Offset of the 4-byte field after the label (0 in v4/v6, the record number in v3). */
  fieldAt: number;
}

function parseSlot(slot: Uint8Array): SlotLayout {
  if (slot.length < 16) throw new Malformed('the record slot is too small');
  const number = u32(slot, 4);
  const derLength = u32(slot, 8);
  const labelAt = 12 + derLength;
  if (labelAt + 4 > slot.length) throw new Malformed(`its record length (${derLength}) runs past the slot`);
  const labelLength = u32(slot, labelAt);
  const fieldAt = labelAt + 4 + labelLength;
  if (fieldAt + 4 > slot.length) throw new Malformed(`its label length (${labelLength}) runs past the slot`);
  // Decoded in place: Buffer.from(Uint8Array) would copy every label of the store first.
  const label = bufferView(slot).toString('utf8', labelAt + 4, fieldAt);
  return { number, record: slot.subarray(12, labelAt), label, fieldAt };
}

interface RecordParts {
  /** Context tag of the content: 0xa0 request, 0xa1 signer, 0xa2 personal, 0xa3 secret. */
  tag: number;
  /** The content's inner TLVs (inside the [n] wrapper), as raw bytes. */
  inner: Uint8Array[];
  /** Raw TLV of everything after the content (label, flags, anything else), kept verbatim. */
  trailer: Uint8Array;
}

function parseRecord(record: Uint8Array): RecordParts {
  const top = readTlv(record, 0, record.length);
  if (top.tag !== 0x30 || top.end !== record.length) throw new Malformed('the record is not one DER SEQUENCE');
  const kids = childrenOf(record, top);
  const [version, content] = kids;
  if (!version || version.tag !== 0x02 || !content) throw new Malformed('the record lacks its number or content');
  const inner = (content.tag & 0x20) !== 0 ? childrenOf(record, content).map((t) => raw(record, t)) : [];
  return { tag: content.tag, inner, trailer: record.subarray(content.end, top.end) };
}

function buildRecord(number: number, tag: number, inner: Uint8Array[], trailer: Uint8Array): Uint8Array {
  return derTlv(0x30, concat([derInteger(number), derTlv(tag, concat(inner)), trailer]));
}

const standardTrailer = (label: string, trusted = true, isDefault = false): Uint8Array =>
  concat([derTlv(0x1a, Buffer.from(label, 'utf8')), isDefault ? FLAGS_DEFAULT : trusted ? FLAGS : FLAGS_UNTRUSTED]);

/** The first byte of a record's flags BIT STRING, or undefined when the trailer has none. */
function flagByteIn(trailer: Uint8Array): number | undefined {
  try {
    const flags = childrenOf(trailer, { tag: 0x30, start: 0, body: 0, end: trailer.length }).find((t) => t.tag === 0x03);
    if (!flags || flags.end - flags.body < 2) return undefined;
    return trailer[flags.body + 1]!;
  } catch {
    return undefined;
  }
}

/** The default bit of a record's flags (see FLAGS_DEFAULT); false when it has no flags. */
function defaultIn(trailer: Uint8Array): boolean {
  return ((flagByteIn(trailer) ?? 0) & DEFAULT_BIT) !== 0;
}

/** The trusted bit of a record's flags; true when the trailer has no flags to read. */
function trustedIn(trailer: Uint8Array): boolean {
  const byte = flagByteIn(trailer);
  return byte === undefined || (byte & 0x80) !== 0;
}

interface CertificateFields {
  tbs: Uint8Array;
  /** The outer signatureAlgorithm, and the copy inside the tbsCertificate. */
  algorithm: Uint8Array;
  tbsAlgorithm: Uint8Array;
  signature: Uint8Array;
  serial: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
}

function certificateFields(cert: Uint8Array): CertificateFields {
  const top = readTlv(cert, 0, cert.length);
  const [tbs, algorithm, signature] = childrenOf(cert, top);
  if (!tbs || !algorithm || !signature) throw new Malformed('not an X.509 certificate');
  const parts = childrenOf(cert, tbs);
  const o = parts[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, tbsAlgorithm, issuer, , subject, spki] = parts.slice(o);
  if (!serial || !tbsAlgorithm || !issuer || !subject || !spki) throw new Malformed('not an X.509 certificate');
  const r = (t: Tlv): Uint8Array => raw(cert, t);
  return {
    tbs: r(tbs),
    algorithm: r(algorithm),
    tbsAlgorithm: r(tbsAlgorithm),
    signature: r(signature),
    serial: r(serial),
    issuer: r(issuer),
    subject: r(subject),
    spki: r(spki),
  };
}

/** The five index hashes of a certificate (FORMATS.md; verified on every native record). */
function certificateHashes(cert: Uint8Array): Uint8Array[] {
  const f = certificateFields(cert);
  const issuerSerial = derTlv(0x30, concat([f.issuer, f.serial]));
  return [f.signature, f.tbs, f.subject, f.spki, issuerSerial].map(sha1);
}

/** Throws unless `csr` has a PKCS#10 request's shape (info, algorithm, signature). */
function checkRequestShape(csr: Uint8Array): void {
  const top = readTlv(csr, 0, csr.length);
  const [info, , sig] = childrenOf(csr, top);
  if (!info || !sig) throw new Malformed('not a PKCS#10 request');
  const [, subject, spki] = childrenOf(csr, info);
  if (!subject || !spki) throw new Malformed('not a PKCS#10 request');
}

function indexBlock(hashes: Uint8Array[]): Uint8Array {
  return concat(hashes.flatMap((h) => [be32(h.length), h]));
}

function buildSlot(number: number, record: Uint8Array, label: string, hashes: Uint8Array[]): Uint8Array {
  const labelBytes = Buffer.from(label, 'utf8');
  const body = concat([be32(1), be32(number), be32(record.length), record, be32(labelBytes.length), labelBytes, be32(0), indexBlock(hashes)]);
  if (body.length > SLOT_SIZE) {
    throw new KeyDeskError(
      'unsupported',
      `the entry "${label}" needs ${body.length} bytes, more than the ${SLOT_SIZE}-byte record of a CMS key database; ` +
        'GSKit cannot store a certificate and key this large (keep it in a PKCS#12 file instead)',
    );
  }
  const slot = new Uint8Array(SLOT_SIZE);
  slot.set(body, 0);
  return slot;
}

// ---------------------------------------------------------------------------------------
// Reading entries.

function unknownEntry(label: string, slot: Uint8Array, reason: string): UnknownEntry {
  return { kind: 'unknown', label, source: { format: 'cms', bytes: slot }, reason };
}

/** Decrypts a record's key; an undecryptable key makes the entry 'unknown', never the
 * whole database unreadable (the verifier has already proved the password). */
function decryptOrReason(epki: Uint8Array, password: string): { key: Uint8Array } | { reason: string } {
  try {
    return { key: new Uint8Array(decryptPrivateKeyInfo(epki, password)) };
  } catch (e) {
    if (e instanceof KeyDeskError && e.code === 'wrong-password') {
      return { reason: 'its private key does not decrypt with the database password' };
    }
    if (e instanceof KeyDeskError) {
      let oid = '';
      try {
        oid = describeProtection(epki).oid;
      } catch {
        // the message below is enough
      }
      return { reason: `its private key cannot be decrypted${oid ? ` (scheme ${oid})` : ''}: ${e.message}` };
    }
    throw e;
  }
}

function secretFrom(plain: Uint8Array): { key: Uint8Array; algorithm?: string } {
  // GSKit's plaintext for [3] was never seen; if it is PKCS#8-shaped, the key is the
  // privateKey OCTET STRING and the algorithm its OID. Otherwise hand back the plaintext.
  try {
    const top = readTlv(plain, 0, plain.length);
    const [, alg, key] = childrenOf(plain, top);
    if (alg && key && key.tag === 0x04) {
      const oid = childrenOf(plain, alg)[0];
      const algorithm = oid && oid.tag === 0x06 ? oidString(plain.subarray(oid.body, oid.end)) : undefined;
      return { key: plain.slice(key.body, key.end), ...(algorithm ? { algorithm } : {}) };
    }
  } catch {
    // not PKCS#8-shaped
  }
  return { key: plain };
}

function oidString(b: Uint8Array): string {
  const out: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      out.push(v);
      v = 0;
    }
  }
  const first = out.shift() ?? 0;
  return [first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80, ...out].join('.');
}

function entryFromSlot(slot: Uint8Array, position: number, password: string, sealed: boolean): Entry {
  let layout: SlotLayout;
  try {
    layout = parseSlot(slot);
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    throw new KeyDeskError('damaged', `record ${position} is corrupt: ${e.message}`);
  }
  const label = layout.label || `(record ${position})`;
  let parts: RecordParts;
  try {
    parts = parseRecord(layout.record);
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    return unknownEntry(label, slot, `its record could not be parsed (${e.message})`);
  }
  const { tag, inner } = parts;
  const source = { format: 'cms' as const, bytes: slot, ...(sealed ? { sealed } : {}) };
  if (tag === TAG.signer && inner.length === 1) {
    const trusted = trustedIn(parts.trailer);
    return { kind: 'signer', label, certificate: inner[0]!.slice(), ...(trusted ? {} : { trusted }), source } satisfies SignerEntry;
  }
  if ((tag === TAG.personal || tag === TAG.request) && inner.length === 1) {
    let pair: Uint8Array[];
    try {
      const seq = inner[0]!;
      pair = childrenOf(seq, readTlv(seq, 0, seq.length)).map((t) => raw(seq, t));
    } catch {
      pair = [];
    }
    if (pair.length !== 2) return unknownEntry(label, slot, 'its record does not hold a certificate (or request) and a key');
    const result = decryptOrReason(pair[1]!, password);
    if ('reason' in result) return unknownEntry(label, slot, result.reason);
    if (tag === TAG.personal) {
      const isDefault = defaultIn(parts.trailer);
      return { kind: 'personal', label, privateKey: result.key, chain: [pair[0]!.slice()], ...(isDefault ? { isDefault } : {}), source } satisfies PersonalEntry;
    }
    return { kind: 'request', label, csr: pair[0]!.slice(), privateKey: result.key, source } satisfies RequestEntry;
  }
  if (tag === TAG.secret && inner.length === 1) {
    const result = decryptOrReason(inner[0]!, password);
    if ('reason' in result) return unknownEntry(label, slot, result.reason);
    return { kind: 'secret', label, ...secretFrom(result.key), source } satisfies SecretEntry;
  }
  return unknownEntry(label, slot, `its record content (tag 0x${tag.toString(16)}) is not one KeyDesk knows`);
}

// ---------------------------------------------------------------------------------------
// Version 3: each record checked on its own (see the header comment for why).

const DAMAGED_REASON = /^(record \d+(?: of the \.rdb)?) is damaged: (.*)$/s;

/** Is this the entry a damaged version-3 record was read as? */
export function isDamagedRecord(entry: Entry): boolean {
  return entry.kind === 'unknown' && DAMAGED_REASON.test(entry.reason);
}

const damagedOf = (entries: Entry[]): UnknownEntry[] => entries.filter((e): e is UnknownEntry => isDamagedRecord(e));

/** `record 3 ("qm1"): what is wrong`, for notes and refusals that list damaged records. */
function damageLine(entry: UnknownEntry): string {
  const m = DAMAGED_REASON.exec(entry.reason);
  return m ? `${m[1]} ("${entry.label}"): ${m[2]}` : `"${entry.label}": ${entry.reason}`;
}

const whole = (b: Uint8Array): Tlv => ({ tag: 0, start: 0, body: 0, end: b.length });

/** A tree of DER tags: a primitive's tag, or a constructed tag with its children's shapes. */
type Shape = number | [number, Shape[]];

/** Is `b` exactly this tree of tags, each length in its one DER form? Parsers that read
 * fields by position (the key decryptor does) let a changed tag byte through unseen. */
function hasShape(b: Uint8Array, shape: Shape, tlv?: Tlv): boolean {
  try {
    const t = tlv ?? readTlv(b, 0, b.length);
    if (!tlv && t.end !== b.length) return false;
    const [tag, kids] = typeof shape === 'number' ? [shape, undefined] : shape;
    if (t.tag !== tag || !same(b.subarray(t.start, t.body), concat([Uint8Array.of(tag), derLength(t.end - t.body)]))) return false;
    if (!kids) return true;
    const children = childrenOf(b, t);
    return children.length === kids.length && children.every((c, i) => hasShape(b, kids[i]!, c));
  } catch (e) {
    if (e instanceof Malformed) return false;
    throw e;
  }
}

/** EncryptedPrivateKeyInfo under a PKCS#5 v1.5 or PKCS#12 PBE scheme, whose parameters are
 * a salt and a count: what GSKit v3 uses (pbeWithMD5AndDES-CBC, FORMATS.md). */
const V3_KEY_SHAPE: Shape = [0x30, [[0x30, [0x06, [0x30, [0x04, 0x02]]]], 0x04]];
/** Does `tlv` use the one DER encoding of its children (so no byte can differ unseen)? */
const canonical = (b: Uint8Array, tlv: Tlv, kids: Tlv[]): boolean =>
  same(raw(b, tlv), derTlv(tlv.tag, concat(kids.map((k) => raw(b, k)))));

/** What is wrong with a v3 slot's layout, or undefined when every redundant part agrees.
 * Keys are checked separately, once decrypted. */
function v3SlotProblem(slot: Uint8Array, position: number, kind: FileKind): string | undefined {
  const type = u32(slot, 0);
  if (type !== 1) return `its record type is ${type}, not 1`;
  const number = u32(slot, 4);
  if (number !== position) return `it is numbered ${number} but sits in slot ${position}`;
  let layout: SlotLayout;
  try {
    layout = parseSlot(slot);
  } catch (e) {
    if (e instanceof Malformed) return e.message;
    throw e;
  }
  const { record } = layout;
  let top: Tlv;
  let fields: Tlv[];
  let parts: RecordParts;
  try {
    top = readTlv(record, 0, record.length);
    fields = childrenOf(record, top);
    parts = parseRecord(record);
  } catch (e) {
    if (e instanceof Malformed) return `its record is not well-formed DER (${e.message})`;
    throw e;
  }
  const [integer, content, label, flags] = fields;
  if (fields.length !== 4 || integer!.tag !== 0x02 || label!.tag !== 0x1a || flags!.tag !== 0x03) {
    return 'its record does not have the four fields GSKit writes (number, content, label, flags)';
  }
  const allowed: number[] = kind === 'rdb' ? [TAG.request] : [TAG.signer, TAG.personal, TAG.secret];
  if (!allowed.includes(content!.tag) || parts.inner.length !== 1) {
    return `its content (tag 0x${content!.tag.toString(16)}) is not ${kind === 'rdb' ? 'a certificate request' : 'a certificate or a key'} as GSKit stores it`;
  }
  let innerTlv: Tlv[];
  try {
    innerTlv = childrenOf(record, content!);
  } catch {
    innerTlv = [];
  }
  if (!canonical(record, top, fields) || !canonical(record, content!, innerTlv)) return 'its record’s DER lengths are not the ones GSKit writes';
  const int = raw(record, integer!);
  if (!same(int, derInteger(1)) && !same(int, derInteger(position))) return 'the record number inside its record is wrong';
  const labelBytes = slot.subarray(12 + record.length + 4, layout.fieldAt);
  if (labelBytes.length === 0) return 'its label is empty';
  if (!same(labelBytes, record.subarray(label!.body, label!.end))) return 'its two copies of the label differ';
  const flagBytes = raw(record, flags!);
  if (!same(flagBytes, FLAGS) && !(content!.tag === TAG.signer && same(flagBytes, FLAGS_UNTRUSTED)) && !(content!.tag === TAG.personal && same(flagBytes, FLAGS_DEFAULT))) {
    return `its flags (${hex(flagBytes)}) are not a value GSKit writes`;
  }
  const field = u32(slot, layout.fieldAt);
  if (field !== position) return `the number after its label is ${field}, not its record number ${position}`;

  let end = layout.fieldAt + 4;
  const pair = content!.tag === TAG.signer ? undefined : pairOf(parts);
  if (content!.tag === TAG.personal || content!.tag === TAG.request) {
    const seq = parts.inner[0]!;
    if (!pair || pair.some((p) => p[0] !== 0x30) || !same(seq, derTlv(0x30, concat(pair)))) {
      return `its record does not hold a ${content!.tag === TAG.request ? 'request' : 'certificate'} and a key as GSKit writes them`;
    }
  }
  const epki = content!.tag === TAG.secret ? parts.inner[0] : pair?.[1];
  if (epki && !hasShape(epki, V3_KEY_SHAPE)) return 'its encrypted key is not laid out as GSKit version 3 stores keys';
  const cert = content!.tag === TAG.signer ? parts.inner[0] : content!.tag === TAG.personal ? pair![0] : undefined;
  if (cert) {
    let hashes: Uint8Array[];
    try {
      const f = certificateFields(cert);
      const certTop = readTlv(cert, 0, cert.length);
      if (certTop.tag !== 0x30 || !canonical(cert, certTop, childrenOf(cert, certTop))) return 'its certificate’s outer DER framing is not the one it was issued with';
      // The index hashes cover the tbsCertificate and the signature, not the outer
      // algorithm; RFC 5280 makes that a copy of the one inside, so compare the two.
      if (!same(f.algorithm, f.tbsAlgorithm)) return 'its certificate’s two signature-algorithm fields differ';
      hashes = certificateHashes(cert);
    } catch (e) {
      if (e instanceof Malformed) return `its certificate is not well-formed (${e.message})`;
      throw e;
    }
    const block = indexBlock(hashes);
    const stored = slot.subarray(end, end + block.length);
    if (!same(stored, block)) {
      const present = stored.length === block.length && [0, 1, 2, 3, 4].every((i) => u32(stored, i * 24) === 20);
      return present
        ? 'its certificate does not match its index hashes (changed since GSKit wrote it)'
        : 'its five index hashes are not all there';
    }
    end += block.length;
  }
  if (!allZero(slot, end)) return `the padding after its ${cert ? 'index hashes' : 'label'} is not all zero`;
  return undefined;
}

/** Does this private key belong to, and work with, this public key? Comparing public
 * halves is not enough: a PKCS#8 key carries its public half apart from the private
 * numbers (an EC key's point, an RSA key's n and e), so those can change unseen. */
function keyProblem(pkcs8: Uint8Array, spki: Uint8Array): string | undefined {
  let key: KeyObject;
  let publicKey: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return 'its private key or its public key cannot be read';
  }
  const own = createPublicKey(key);
  let matches = false;
  try {
    matches = own.asymmetricKeyType === publicKey.asymmetricKeyType && own.equals(publicKey);
  } catch {
    matches = false;
  }
  if (!matches) return 'its private key is not the key of its certificate';
  const inconsistent = 'its private key’s numbers do not fit together (changed since GSKit wrote it)';
  const rsa = rsaNumbers(key);
  if (rsa) {
    const { n, e, d, p, q, dp, dq, qi } = rsa;
    const ok = p > 1n && q > 1n && p * q === n && (e * d) % (p - 1n) === 1n && (e * d) % (q - 1n) === 1n && dp === d % (p - 1n) && dq === d % (q - 1n) && (qi * q) % p === 1n;
    return ok ? undefined : inconsistent;
  }
  // Other keys: a signature made with the private numbers must verify under the public key.
  try {
    const digest = key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
    const probe = Buffer.from('KeyDesk version-3 key check');
    return verify(digest, probe, publicKey, sign(digest, probe, key)) ? undefined : inconsistent;
  } catch {
    return 'its private key cannot be tried against its certificate';
  }
}

/** RSA's CRT numbers, which OpenSSL uses without checking d (so a signature test misses them). */
function rsaNumbers(key: KeyObject): Record<'n' | 'e' | 'd' | 'p' | 'q' | 'dp' | 'dq' | 'qi', bigint> | undefined {
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  const jwk = key.export({ format: 'jwk' });
  const names = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;
  if (names.some((k) => typeof jwk[k] !== 'string')) return undefined;
  const big = (v: string): bigint => BigInt(`0x${Buffer.from(v, 'base64url').toString('hex') || '0'}`);
  return Object.fromEntries(names.map((k) => [k, big(jwk[k] as string)])) as Record<(typeof names)[number], bigint>;
}

/** Hashes of the signature algorithms a PKCS#10 request of GSKit's era or later may use. */
const REQUEST_SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

/** A request has no index hashes; its own signature and its key are what can be checked. */
function requestProblem(csr: Uint8Array, pkcs8: Uint8Array): string | undefined {
  let info: Uint8Array;
  let spki: Uint8Array;
  let oid: string;
  let signature: Uint8Array;
  try {
    const top = readTlv(csr, 0, csr.length);
    const parts = childrenOf(csr, top);
    const [infoTlv, algorithm, bits] = parts;
    if (parts.length !== 3 || !canonical(csr, top, parts) || infoTlv!.tag !== 0x30 || algorithm!.tag !== 0x30 || bits!.tag !== 0x03) {
      return 'its certificate request is not well-formed';
    }
    const spkiTlv = childrenOf(csr, infoTlv!)[2];
    const oidTlv = childrenOf(csr, algorithm!)[0];
    // The signature covers the request info only; the algorithm beside it must be exact.
    const algorithmShaped = hasShape(csr, [0x30, [0x06]], algorithm) || hasShape(csr, [0x30, [0x06, 0x05]], algorithm);
    if (!spkiTlv || oidTlv?.tag !== 0x06 || !algorithmShaped || csr[bits!.body] !== 0) return 'its certificate request is not well-formed';
    info = raw(csr, infoTlv!);
    spki = raw(csr, spkiTlv);
    oid = oidString(csr.subarray(oidTlv.body, oidTlv.end));
    signature = csr.subarray(bits!.body + 1, bits!.end);
  } catch (e) {
    if (e instanceof Malformed) return `its certificate request is not well-formed (${e.message})`;
    throw e;
  }
  const problem = keyProblem(pkcs8, spki);
  if (problem) return problem.replace('its certificate', 'its request');
  const hash = REQUEST_SIGNATURE_HASHES[oid];
  if (!hash) return `its request is signed with algorithm ${oid}, which KeyDesk cannot check`;
  let ok = false;
  try {
    ok = verify(hash, info, { key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), dsaEncoding: 'der' }, signature);
  } catch {
    ok = false;
  }
  return ok ? undefined : 'its request’s signature does not verify (changed since it was signed)';
}

/** A label for a damaged record: its own when both copies agree and it prints cleanly. */
function damagedLabel(slot: Uint8Array, position: number, kind: FileKind): string {
  const fallback = `(damaged record ${position}${kind === 'rdb' ? ' of the .rdb' : ''})`;
  try {
    const layout = parseSlot(slot);
    const parts = parseRecord(layout.record);
    const own = childrenOf(parts.trailer, whole(parts.trailer))[0];
    const stored = own && own.tag === 0x1a ? Buffer.from(parts.trailer.subarray(own.body, own.end)).toString('utf8') : undefined;
    return stored === layout.label && /^[^\p{Cc}\uFFFD]+$/u.test(stored) ? stored : fallback;
  } catch {
    return fallback;
  }
}

/** A v3 record as an entry, or as a damaged unknown entry saying what failed. */
function checkedV3Entry(slot: Uint8Array, position: number, kind: FileKind, password: string): Entry {
  const damaged = (problem: string): UnknownEntry =>
    unknownEntry(damagedLabel(slot, position, kind), slot, `record ${position}${kind === 'rdb' ? ' of the .rdb' : ''} is damaged: ${problem}`);
  const problem = v3SlotProblem(slot, position, kind);
  if (problem) return damaged(problem);
  const entry = entryFromSlot(slot, position, password, false);
  // The verifier proved the password, so a key that will not decrypt was changed.
  if (entry.kind === 'unknown') return damaged(entry.reason);
  if (entry.kind === 'personal') {
    const keyIssue = keyProblem(entry.privateKey, certificateFields(entry.chain[0]!).spki);
    if (keyIssue) return damaged(keyIssue);
  }
  if (entry.kind === 'request') {
    const requestIssue = requestProblem(entry.csr, entry.privateKey);
    if (requestIssue) return damaged(requestIssue);
  }
  return entry;
}

function entriesOf(container: Container, password: string): Entry[] {
  return container.slots.map((slot, i) => {
    if (container.version === 3) return checkedV3Entry(slot, i + 1, container.kind, password);
    const signer = container.verbatim?.[i];
    // What entryFromSlot would give for these bytes: the writer put them there only after
    // checking this label, certificate and trust against them.
    if (signer) return { kind: 'signer', label: signer.label, certificate: signer.certificate, ...(signer.trusted === false ? { trusted: false } : {}), source: { format: 'cms', bytes: slot, sealed: true } };
    return entryFromSlot(slot, i + 1, password, container.macChecked);
  });
}

function companion(kind: 'rdb' | 'crl', bytes: Uint8Array, password: string): Container {
  try {
    return openContainer(bytes, password, kind);
  } catch (e) {
    if (!(e instanceof KeyDeskError)) throw e;
    // The .kdb opened, so a password failure here means a stale or foreign companion file.
    const what = `the ${KINDS[kind].name} beside it`;
    if (e.code === 'wrong-password') {
      throw new KeyDeskError('damaged', `${what} does not open with the password that opens the .kdb (a stale copy from another database?)`);
    }
    throw new KeyDeskError(e.code, `${what}: ${e.message}`, e.reason, e.gui === undefined ? undefined : `${what}: ${e.gui}`);
  }
}

/** Reads a key database and its companions. Entries: personal, signer and secret from the
 * .kdb, request from the .rdb; the .crl only gives `crlCount`. */
export function readCmsStore(files: CmsFiles, password: string): KeyStore {
  const kdb = openContainer(files.kdb, password, 'kdb');
  const entries: Entry[] = entriesOf(kdb, password);
  const properties: KeyStore['properties'] = {
    version: kdb.version,
    macChecked: kdb.macChecked,
    crlCount: 0,
    headerSalt: hex(kdb.salt),
  };
  if (files.rdb) {
    const rdb = companion('rdb', files.rdb, password);
    entries.push(...entriesOf(rdb, password));
    properties.macChecked = kdb.macChecked && rdb.macChecked;
    properties.rdbHeaderSalt = hex(rdb.salt);
    if (rdb.version !== kdb.version) properties.rdbVersion = rdb.version;
  }
  if (files.crl) {
    const crl = companion('crl', files.crl, password);
    properties.crlCount = crl.slots.length;
    properties.crlHeaderSalt = hex(crl.salt);
    properties.macChecked = properties.macChecked === true && crl.macChecked;
  }
  if (kdb.version === 3) {
    properties.savedVersionNote =
      'This is a version-3 database. KeyDesk saves it as version 4, which GSKit 7 and 8 both open (version 6 only if you ask for it): ' +
      'it does not write version 3, whose integrity check is not publicly known. That check could not be used here either, ' +
      'so every record was checked on its own instead (its layout, index hashes and key).';
  }
  const damaged = damagedOf(entries);
  if (kdb.version === 3 || damaged.length > 0) properties.damagedRecords = damaged.length;
  if (damaged.length > 0) {
    properties.damageNote =
      (damaged.length === 1
        ? '1 record of this version-3 database is damaged and listed as an unknown entry: '
        : `${damaged.length} records of this version-3 database are damaged and listed as unknown entries: `) +
      `${damaged.map(damageLine).join('; ')}. No change is saved over it unless you ask for the damaged records to be left out.`;
    // A damaged label may now equal another entry's; labels must stay unique to be addressed.
    const labels = new LabelSet(entries.filter((e) => !isDamagedRecord(e)).map((e) => e.label));
    for (const e of damaged) e.label = labels.claim(e.label);
  }
  return { format: 'cms', entries, properties };
}

/**
 * Pending requests of a PKCS#12, JKS or JCEKS store, kept in a GSKit request database
 * (`<stem>.rdb`) beside it: GSKit does the same for PKCS#12, and those formats have no
 * place for a key without a certificate.
 */
export function readRequestDatabase(rdb: Uint8Array, password: string): Entry[] {
  return entriesOf(companion('rdb', rdb, password), password);
}

export function writeRequestDatabase(requests: RequestEntry[], password: string): Uint8Array {
  validateLabels(requests);
  const ctx: WriteContext = { version: 6, password };
  return buildContainer('rdb', 6, freshSalt(), requests.map((e, i) => requestSlot(e, i + 1, ctx)), password);
}

export function createEmptyCmsStore(): KeyStore {
  return { format: 'cms', entries: [], properties: { version: 6, crlCount: 0 } };
}

// ---------------------------------------------------------------------------------------
// Writing.

interface WriteContext {
  version: 4 | 6;
  password: string;
  /** The version of the file the store was read from, if it is a CMS file. */
  readVersion?: number;
}

function encryptKey(pkcs8: Uint8Array, ctx: WriteContext): Uint8Array {
  const { protection, iterations, saltLength } = NATIVE_PROTECTION[ctx.version];
  return encryptPrivateKeyInfo(pkcs8, ctx.password, protection, { iterations, saltLength, encoding: 'gskit' });
}

/** May an already encrypted key go into the new file as it is? Only if it opens with the
 * new password, gives the key the entry holds, and uses the scheme GSKit uses for this
 * version (a v3 key, say, is re-encrypted rather than carried into a v6 file). */
function keyReusable(epki: Uint8Array, matches: (plain: Uint8Array) => boolean, ctx: WriteContext): boolean {
  try {
    if (describeProtection(epki).protection !== NATIVE_PROTECTION[ctx.version].protection) return false;
    return matches(decryptPrivateKeyInfo(epki, ctx.password));
  } catch {
    return false;
  }
}

interface SourceView {
  layout: SlotLayout;
  parts: RecordParts;
  slot: Uint8Array;
}

/** The entry's own slot, if it came from a CMS file, still parses, and still has this label. */
function sourceOf(entry: Entry): SourceView | undefined {
  const src = entry.source;
  if (!src || src.format !== 'cms' || src.bytes.length !== SLOT_SIZE) return undefined;
  try {
    const layout = parseSlot(src.bytes);
    if (layout.label !== entry.label) return undefined;
    return { layout, parts: parseRecord(layout.record), slot: src.bytes };
  } catch {
    return undefined;
  }
}

/** Does the slot hold exactly the index block we would write (so a copy stays valid)? */
function trailerIs(view: SourceView, hashes: Uint8Array[]): boolean {
  const { slot, layout } = view;
  const expected = concat([be32(0), indexBlock(hashes)]);
  const end = layout.fieldAt + expected.length;
  return end <= slot.length && same(slot.subarray(layout.fieldAt, end), expected) && allZero(slot, end);
}

/** A copy of the slot with record number `number`, in both places GSKit keeps it. The DER
 * INTEGER may change length, so the record is re-encoded; its other bytes are kept. */
function renumbered(view: SourceView, number: number): Uint8Array {
  const { slot, layout, parts } = view;
  if (layout.number === number) return slot.slice();
  const record = buildRecord(number, parts.tag, parts.inner, parts.trailer);
  const rest = slot.subarray(12 + layout.record.length);
  const out = new Uint8Array(SLOT_SIZE);
  const body = concat([slot.subarray(0, 4), be32(number), be32(record.length), record, rest]);
  // Everything after the index hashes is zero padding, so trimming it to fit loses nothing
  // unless the record grew into real bytes; check that case.
  const used = 12 + record.length + (rest.length - trailingZeros(rest));
  if (used > SLOT_SIZE) {
    throw new KeyDeskError('unsupported', `the entry "${layout.label}" no longer fits its ${SLOT_SIZE}-byte record when renumbered`);
  }
  out.set(body.subarray(0, SLOT_SIZE), 0);
  return out;
}

/** Whether `bytes` from `from` on are all zero: a plain loop, as this runs over every
 * record's padding (5 KB a record) on each save. */
function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function trailingZeros(b: Uint8Array): number {
  let n = 0;
  while (n < b.length && b[b.length - 1 - n] === 0) n++;
  return n;
}

/** A v3 slot repeats the record number after the label; v4/v6 write 0 there. */
function withZeroField(slot: Uint8Array, oldNumber: number): Uint8Array {
  const layout = parseSlot(slot);
  if (u32(slot, layout.fieldAt) === oldNumber && oldNumber !== 0) slot.set(be32(0), layout.fieldAt);
  return slot;
}

function certificateSlot(
  entry: SignerEntry | PersonalEntry,
  number: number,
  tag: number,
  cert: Uint8Array,
  ctx: WriteContext,
): Uint8Array {
  const hashesOf = (): Uint8Array[] => {
    try {
      return certificateHashes(cert);
    } catch {
      throw new KeyDeskError('unsupported', `the entry "${entry.label}" does not hold a valid X.509 certificate`);
    }
  };
  const view = sourceOf(entry);
  const sourceCert = view && view.parts.tag === tag ? certificateOf(view.parts, tag) : undefined;
  const sourceUsable = view !== undefined && sourceCert !== undefined && same(sourceCert, cert);
  if (entry.kind === 'signer') {
    const trusted = entry.trusted !== false;
    const sourceHolds = sourceUsable && trustedIn(view.parts.trailer) === trusted;
    // An unchanged signer in its own place, from a file of this version whose MAC covered
    // it, goes back byte for byte: its index hashes are the ones GSKit (or KeyDesk) wrote
    // for this certificate, and re-deriving them for every entry was most of the cost of
    // adding one signer to a store of thousands.
    if (sourceHolds && entry.source?.sealed === true && ctx.readVersion === ctx.version && view.layout.number === number) return view.slot;
    const hashes = hashesOf();
    if (sourceHolds && trailerIs(view, hashes)) return renumbered(view, number);
    const trailer = sourceHolds ? view.parts.trailer : standardTrailer(entry.label, trusted);
    return buildSlot(number, buildRecord(number, tag, [cert], trailer), entry.label, hashes);
  }
  const hashes = hashesOf();
  const epki = sourceUsable ? pairOf(view.parts)?.[1] : undefined;
  const keyKept = sourceUsable && epki !== undefined && keyReusable(epki, (k) => same(k, entry.privateKey), ctx);
  const isDefault = entry.isDefault === true;
  const flagsHold = sourceUsable && defaultIn(view.parts.trailer) === isDefault;
  if (keyKept && flagsHold && trailerIs(view, hashes)) return renumbered(view, number);
  // Keep the record's own label/flags bytes when only the key changes (password or version),
  // and its encrypted key when only the default mark changes.
  const trailer = flagsHold ? view.parts.trailer : standardTrailer(entry.label, true, isDefault);
  const pair = keyKept ? view.parts.inner[0]! : derTlv(0x30, concat([cert, encryptKey(entry.privateKey, ctx)]));
  return buildSlot(number, buildRecord(number, tag, [pair], trailer), entry.label, hashes);
}

function pairOf(parts: RecordParts): Uint8Array[] | undefined {
  const seq = parts.inner[0];
  if (parts.inner.length !== 1 || !seq) return undefined;
  try {
    const kids = childrenOf(seq, readTlv(seq, 0, seq.length)).map((t) => raw(seq, t));
    return kids.length === 2 ? kids : undefined;
  } catch {
    return undefined;
  }
}

function certificateOf(parts: RecordParts, tag: number): Uint8Array | undefined {
  if (tag === TAG.signer) return parts.inner.length === 1 ? parts.inner[0] : undefined;
  return pairOf(parts)?.[0];
}

function requestSlot(entry: RequestEntry, number: number, ctx: WriteContext): Uint8Array {
  try {
    checkRequestShape(entry.csr);
  } catch {
    throw new KeyDeskError('unsupported', `the request "${entry.label}" does not hold a valid PKCS#10 request`);
  }
  const view = sourceOf(entry);
  const pair = view && view.parts.tag === TAG.request ? pairOf(view.parts) : undefined;
  const sourceUsable = view !== undefined && pair !== undefined && same(pair[0]!, entry.csr);
  // Native request slots were never seen, so their index block is copied as it is.
  if (sourceUsable && keyReusable(pair[1]!, (k) => same(k, entry.privateKey), ctx)) {
    return withZeroField(renumbered(view, number), view.layout.number);
  }
  const trailer = sourceUsable ? view.parts.trailer : standardTrailer(entry.label);
  const content = derTlv(0x30, concat([entry.csr, encryptKey(entry.privateKey, ctx)]));
  return buildSlot(number, buildRecord(number, TAG.request, [content], trailer), entry.label, []);
}

function secretSlot(entry: SecretEntry, number: number, ctx: WriteContext): Uint8Array {
  const view = sourceOf(entry);
  const epki = view && view.parts.tag === TAG.secret && view.parts.inner.length === 1 ? view.parts.inner[0] : undefined;
  if (view && epki && keyReusable(epki, (k) => entry.key === undefined || same(secretFrom(k).key, entry.key), ctx)) {
    return withZeroField(renumbered(view, number), view.layout.number);
  }
  throw new KeyDeskError(
    'unsupported',
    `the secret key "${entry.label}" cannot be written: KeyDesk keeps GSKit secret keys only exactly as they were read ` +
      '(same password and database version), because how GSKit lays out a new one is not known. Remove it, or keep the old password and version',
  );
}

function unknownSlot(entry: UnknownEntry, number: number): Uint8Array {
  const view = sourceOf(entry);
  if (view) return withZeroField(renumbered(view, number), view.layout.number);
  // Unparseable framing: the bytes go back exactly as read, renumbered in the slot header only.
  const slot = entry.source.bytes.slice();
  slot.set(be32(number), 4);
  return slot;
}

/** Does this entry belong in the .rdb? Unknown entries go by their record's content tag. */
function belongsInRdb(entry: Entry): boolean {
  if (entry.kind === 'request') return true;
  if (entry.kind !== 'unknown') return false;
  const view = sourceOf(entry);
  return view?.parts.tag === TAG.request;
}

function commonName(cert: Uint8Array): string | undefined {
  try {
    const subject = new X509Certificate(cert).subject;
    return subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
  } catch {
    return undefined;
  }
}

function validateLabels(entries: Entry[]): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    if (e.label.length === 0) throw new KeyDeskError('usage', 'an entry has an empty label; CMS key databases need a label on every entry');
    const key = e.label.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new KeyDeskError(
        'conflict',
        other === e.label
          ? `two entries are labelled "${e.label}"; labels must be unique`
          : `the labels "${other}" and "${e.label}" differ only in case; GSKit treats them as the same label`,
      );
    }
    seen.set(key, e.label);
  }
}

/** Serialises a store as a .kdb and .rdb (and an empty .crl where that is safe). Nothing is
 * returned unless every entry could be written: callers can save atomically or not at all. */
export function writeCmsStore(store: KeyStore, password: string, options: CmsWriteOptions = {}): CmsWriteResult {
  const notes: string[] = [];
  // Only a store read from a file has a version to keep or to report a change from; its
  // header salt is the sign (createEmptyCmsStore gives none).
  const fromFile = store.format === 'cms' && typeof store.properties.headerSalt === 'string';
  const read = fromFile ? store.properties.version : undefined;
  // A version-3 store goes to 4 unless asked otherwise: an old MQ installation that still
  // has a v3 store may be on GSKit 7, which opens version 4 but not 6.
  const version: 4 | 6 = options.version ?? ((read === 3 || store.properties.version === 4) && store.format === 'cms' ? 4 : 6);
  if (read === 3) {
    const was = '(it was version 3, which KeyDesk does not write: its integrity check is not publicly known)';
    notes.push(
      options.version === undefined
        ? worded(
            `saved as version 4 ${was}; version 4 because GSKit 7 and 8 both open it (ask for version 6, -version 6, if only GSKit 8 must open it); every private key was re-encrypted for it`,
            `saved as version 4 ${was}; version 4 because GSKit 7 and 8 both open it (choose version 6 in Save As / Convert… if only GSKit 8 must open it); every private key was re-encrypted for it`,
          )
        : version === 6
          ? `saved as version 6 as asked ${was}; only GSKit 8 opens version 6, so an installation still on GSKit 7 needs version 4; every private key was re-encrypted for it`
          : `saved as version 4 as asked ${was}; GSKit 7 and 8 both open it; every private key was re-encrypted for it`,
    );
  } else if ((read === 4 || read === 6) && read !== version) {
    notes.push(`saved as version ${version} (it was version ${read}); every private key was re-encrypted for it`);
  }
  const ctx: WriteContext = { version, password, readVersion: typeof read === 'number' ? read : undefined };

  // A v3 record that failed its checks must not be sealed under a fresh MAC unasked: that
  // would make the damage look like something GSKit wrote.
  const damaged = damagedOf(store.entries);
  const declared = store.format === 'cms' && typeof store.properties.damagedRecords === 'number' ? store.properties.damagedRecords : 0;
  if (damaged.length > 0 || declared > 0) {
    const count = Math.max(damaged.length, declared);
    const records = `${count === 1 ? '1 damaged record' : `${count} damaged records`}`;
    const which = damaged.length > 0 ? damaged.map(damageLine).join('; ') : 'already removed from the store';
    if (!options.dropDamaged) {
      const refused = `nothing was saved: this store was read from a version-3 database with ${records} (${which}), and saving would seal the damage under a new integrity check.`;
      throw new KeyDeskError(
        'damaged',
        `${refused} Restore an undamaged copy of the database, or save again leaving the damaged records out (${DROP_DAMAGED_FLAG})`,
        undefined,
        // The window has no way to leave records out: only the restore is offered there.
        `${refused} Restore an undamaged copy of the database.`,
      );
    }
    notes.push(
      damaged.length > 0
        ? `left out ${records} of the version-3 database (${which}); the saved file holds only records that passed every check, ` +
            worded(
              'and the damaged ones are gone from it (a copy of the version-3 file remains only if one was asked for, with -backup)',
              'and the damaged ones are gone from it (a copy of the version-3 file remains only if “Keep a backup copy” was ticked)',
            )
        : `saved although the version-3 database had ${records}: they were already removed from the store`,
    );
  }

  // Entries that cannot be carried into a CMS file at all are named, not silently dropped.
  const entries: Entry[] = [];
  for (const e of store.entries) {
    if (isDamagedRecord(e)) continue;
    if (e.kind === 'unknown' && e.source.format !== 'cms') {
      notes.push(`"${e.label}" was not written: it came from a ${e.source.format} file in a form KeyDesk cannot interpret (${e.reason})`);
      continue;
    }
    entries.push(e);
  }

  // A CMS database keeps issuers as separate signer entries, so a chain that arrived with a
  // personal entry (from PKCS#12, say) becomes signers; otherwise MQ could not build it.
  // Only a chain needs the set of certificates present (most stores have none to add).
  const chained = entries.some((e) => e.kind === 'personal' && e.chain.length > 1);
  const known = new Set<string>();
  for (const e of chained ? entries : []) {
    if (e.kind === 'signer') known.add(hex(e.certificate));
    if (e.kind === 'personal' && e.chain[0]) known.add(hex(e.chain[0]));
  }
  const added: SignerEntry[] = [];
  for (const e of entries) {
    if (e.kind !== 'personal') continue;
    if (e.chain.length === 0) throw new KeyDeskError('unsupported', `the personal entry "${e.label}" has no certificate`);
    for (const cert of e.chain.slice(1)) {
      if (known.has(hex(cert))) continue;
      known.add(hex(cert));
      const label = uniqueLabel(commonName(cert) ?? 'signer', [...entries, ...added].map((x) => x.label));
      added.push({ kind: 'signer', label, certificate: cert });
      notes.push(`added signer "${label}" from the certificate chain of "${e.label}" (a CMS database keeps issuers as signers)`);
    }
  }
  const all = [...entries, ...added];
  validateLabels(all);

  const kdbSlots: Uint8Array[] = [];
  const rdbSlots: Uint8Array[] = [];
  const kdbVerbatim: (SignerEntry | undefined)[] = [];
  for (const e of all) {
    const inRdb = belongsInRdb(e);
    const number = (inRdb ? rdbSlots : kdbSlots).length + 1;
    let slot: Uint8Array;
    switch (e.kind) {
      case 'signer':
        slot = certificateSlot(e, number, TAG.signer, e.certificate, ctx);
        // The very slot it was read from: the writer checked it holds this signer. Kept
        // without its source, a view into the file read before: the sealed bytes keep
        // this list, and through a source a session would keep that old 50 MB as well.
        if (slot === e.source?.bytes) kdbVerbatim[number - 1] = { kind: 'signer', label: e.label, certificate: e.certificate, ...(e.trusted === false ? { trusted: false } : {}) };
        break;
      case 'personal':
        slot = certificateSlot(e, number, TAG.personal, e.chain[0]!, ctx);
        break;
      case 'request':
        slot = requestSlot(e, number, ctx);
        break;
      case 'secret':
        slot = secretSlot(e, number, ctx);
        break;
      case 'unknown':
        slot = unknownSlot(e, number);
        if (read !== undefined && read !== version) {
          notes.push(`"${e.label}" was kept exactly as read (${e.reason}); if it holds a key, GSKit may not open it in a version-${version} database`);
        }
        break;
    }
    (inRdb ? rdbSlots : kdbSlots).push(slot);
  }
  const unknowns = all.filter((e) => e.kind === 'unknown');
  if (unknowns.length > 0) {
    notes.push(
      `${unknowns.length} entr${unknowns.length === 1 ? 'y' : 'ies'} KeyDesk does not understand ${unknowns.length === 1 ? 'was' : 'were'} kept byte for byte; ` +
        'if the password changed, any key inside them is still encrypted with the old one',
    );
  }

  const props = store.format === 'cms' ? store.properties : {};
  const crlCount = typeof props.crlCount === 'number' ? props.crlCount : 0;
  if (crlCount > 0 && !options.crl) {
    throw new KeyDeskError('unsupported', `the CRL database (.crl) holds ${crlCount} CRL${crlCount === 1 ? '' : 's'}, which were not given to the writer; nothing was saved`);
  }
  // CRL records are carried verbatim (they hold nothing secret), sealed under this password.
  const crlSlots = crlCount > 0 && options.crl ? openContainer(options.crl.bytes, options.crl.password, 'crl').slots : [];
  return {
    kdb: buildContainer('kdb', version, saltFrom(props.headerSalt), kdbSlots, password, kdbVerbatim),
    rdb: buildContainer('rdb', version, saltFrom(props.rdbHeaderSalt), rdbSlots, password),
    crl: buildContainer('crl', version, saltFrom(props.crlHeaderSalt), crlSlots, password),
    version,
    notes,
  };
}

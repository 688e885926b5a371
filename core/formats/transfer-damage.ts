/**
 * Binary files damaged by a text-mode (ASCII) transfer, and what a file looks like.
 *
 * An FTP transfer in ASCII mode from Unix to Windows turns every line feed (0A) into
 * CR LF (0D 0A); from Windows to Unix it turns every CR LF into a line feed. Key stores,
 * DER certificates and stash files are binary, so either change breaks them, usually
 * with a misleading symptom ("wrong password", "not a key store"). This module says what
 * happened and, when the damage can be undone exactly, offers the undone bytes.
 *
 * How: the damaged bytes are re-read under the structure of each binary format KeyDesk
 * reads (DER lengths, the CMS header and record slots, the JKS layout, stash lengths),
 * with a choice at every place the transfer may have changed: "this CR LF was a lone LF
 * or was CR LF already" (lf-to-crlf), or "this LF was a lone LF or was CR LF" (crlf-to-lf).
 * The search keeps, per position, only the ways the structure still allows, so it is
 * linear in practice. Each way found gives a candidate original, which must then pass
 * its format's full check (`fullCheck`: every record parsed, lengths exact, CMS index
 * hashes, certificate signatures where the issuer is in the file, a stash's own check).
 *
 * When the diagnosis is certain. Bytes lost, gained or changed anywhere (a bad disk, a
 * flaky copy) also leave a file that does not read, and a CR/LF re-reading can
 * fit it by coincidence: a lost byte inside a signature is "made up for" by putting a CR
 * before any LF further on in the same signature. So a text-mode transfer is claimed only
 * on evidence such damage does not produce:
 * - lf-to-crlf: no LF in the file stands alone (the conversion leaves none; in other
 *   binary bytes about one LF in 256 follows a CR by chance), undoing the conversion
 *   gives a candidate that passes the full check, and it turns at least two CR LF pairs
 *   back into LFs. One pair is too little, wherever it stands. Random damage makes one
 *   pair two ways. (A) The original held that CR LF, and a byte gained beside it makes
 *   the lengths fit once its CR is taken out: among r random bytes nothing checks (a
 *   stash's padding, a salt, a MAC, ciphertext, key and signature bits), a CR LF with no
 *   lone LF anywhere turns up with probability about r/65536 · e^(-r/256), up to 1 in
 *   700 (r = 256), 1 in 900 for a 129-byte stash (r ≈ 117): far too often for a claim.
 *   (B) A CR lands exactly before a LF, about 1 in 256·n per changed byte of an n-byte
 *   file: the transfer's own change, which bytes a hash or signature vouches for do not
 *   rule out, and a false claim as soon as any other damage falls where nothing checks
 *   (the fuzz test found it in a 193-byte stash whose one LF was in its hashed half, and
 *   the rest of the damage in its obfuscated buffer). Two pairs take (A) twice,
 *   (r²/2)/65536² · e^(-r/256), at most 4 in a million (r = 512), and as many bytes
 *   gained where the pairs are; or (B) twice, or (A) and (B), far rarer. So a file with
 *   one LF (a stash, often; a certificate signed with RSA, now and then) sent in text
 *   mode is only called damaged: a stash is recreated from the password, anything else
 *   fetched again. Undoing FTP's conversion is one-to-one and needs no choice; a
 *   candidate that keeps some CR LF as it is (unix2dos leaves an original CR LF alone)
 *   made a choice, and is repaired only under the rule below.
 * - crlf-to-lf: the conversion leaves no mark of its own (any LF may have lost a CR), so
 *   a candidate must pass the full check AND every CR it puts back (every choice it made)
 *   must stand in bytes a hash, a signature or a second copy vouches for: a certificate covered by its CMS
 *   index hashes or by a signature one of the file's own certificates verifies, a CMS
 *   label (kept twice), the first half of a v2 stash (B = SHA-256(01 ‖ A)). There a CR
 *   is right only if the original had it. Anywhere else it proves nothing: inside bytes
 *   nothing checks (salts, MACs, ciphertext, key and signature bits, a stash's obfuscated
 *   buffer) it fits a lost byte just as well, and even as a tag or a length it can be
 *   "confirmed" by other damage nearby (the fuzz test found a PKCS#12 whose OID length
 *   0A, read as 0D 0A, fitted again after two random edits).
 * Either way the counts must agree: converting the candidate again gives the damaged
 * bytes exactly. A repair is offered only when the diagnosis is certain, exactly one
 * candidate passes, each of its choices is vouched for as above (a CR LF kept where a
 * lost byte nearby would fit as well is a guess), and the search saw no other way
 * (nothing cut short, no part it could not follow). When a re-reading fits but the
 * evidence is not there, the diagnosis says only that the file is damaged (`kind:
 * 'unknown'`), with "get a fresh copy" as the way out (for a stash, first "recreate it
 * from the password"). A caller holding the password can still settle it: a candidate
 * whose MAC or keyed digest verifies is the original (core/operations/
 * repair-transfer-damage.ts does that, with `transferRepairCandidates`).
 *
 * Reversibility, thought through:
 * - lf-to-crlf as FTP does it (every LF gains a CR, even one that already had a CR) is
 *   one-to-one, so the reverse (every CR LF back to LF) is exact, even when the original
 *   held CR LF bytes (they arrived as CR CR LF). Converters that leave an existing CR LF
 *   alone (unix2dos-style) are not one-to-one: an original CR LF and a converted LF then
 *   look the same. Both kinds of converter are considered; when they lead to different
 *   candidates that both fit the structure, no repair is offered.
 * - crlf-to-lf loses which LFs had a CR, so every LF is a choice; only structure decides.
 *
 * A file that reads correctly as it is, is never flagged, whatever CR and LF bytes it holds.
 *
 * `describeContent` lives here too because telling damage apart from "some other kind of
 * file" needs the same knowledge; the certificate and key readers reuse it for messages.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { asn1, bytesEqual, derToOid, MAX_DER_DEPTH, parseDer, type Asn1 } from '../asn1/der';
import { derChildren, derSpanAt, type DerSpan } from '../asn1/der-spans';
import { looksLikePrivateKeyInfo } from '../crypto/encrypted-private-key';
import { readStash } from './cms-stash';
import { bytesAsText, decodeBase64, findPemBlocks } from './pem';
import { worded } from '../wording';

export type TransferDamage =
  | { damaged: false }
  /** A text-mode transfer, certainly (see above); `repaired` when exactly one original fits. */
  | { damaged: true; kind: DamageKind; repaired?: Uint8Array; message: string }
  /** Damaged, and a text-mode reading fits, but so would other damage: no such claim. */
  | { damaged: true; kind: 'unknown'; repaired?: undefined; message: string };

export type DamageKind = 'lf-to-crlf' | 'crlf-to-lf';

const CR = 0x0d;
const LF = 0x0a;

// ---------------------------------------------------------------------------------------
// What a DER value is.

export type DerKind =
  | 'certificate'
  | 'pkcs7'
  | 'pkcs12'
  | 'pkcs8'
  | 'encrypted-pkcs8'
  | 'rsa-private-key'
  | 'ec-private-key'
  | 'dsa-private-key'
  | 'csr'
  | 'crl'
  | 'public-key'
  | 'other';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

const { Class, Type } = asn1;
const kids = (n: Asn1 | undefined): Asn1[] | undefined => (n && Array.isArray(n.value) ? n.value : undefined);
const isUniversal = (n: Asn1 | undefined, type: number): boolean => n?.tagClass === Class.UNIVERSAL && n.type === type;
const isSeq = (n: Asn1 | undefined): boolean => isUniversal(n, Type.SEQUENCE) && Array.isArray(n!.value);
const isInt = (n: Asn1 | undefined): boolean => isUniversal(n, Type.INTEGER);
const isTime = (n: Asn1 | undefined): boolean => isUniversal(n, Type.UTCTIME) || isUniversal(n, Type.GENERALIZEDTIME);
const isContext = (n: Asn1 | undefined, tag: number): boolean => n?.tagClass === Class.CONTEXT_SPECIFIC && n.type === tag;
const oidOfNode = (n: Asn1 | undefined): string | undefined =>
  isUniversal(n, Type.OID) && typeof n!.value === 'string' ? derToOid(n!.value) : undefined;
const smallInt = (n: Asn1 | undefined): number | undefined =>
  isInt(n) && typeof n!.value === 'string' && n!.value.length === 1 ? n!.value.charCodeAt(0) : undefined;

/** Which structure one DER value is; undefined when the bytes are not one DER value. */
export function classifyDer(der: Uint8Array): DerKind | undefined {
  let top: Asn1;
  try {
    top = parseDer(der);
  } catch {
    return undefined;
  }
  const k = isSeq(top) ? kids(top)! : undefined;
  if (!k) return 'other';
  const [a, b, c] = k;

  if (smallInt(a) === 3 && isSeq(b) && [OID_DATA, OID_SIGNED_DATA].includes(oidOfNode(kids(b)![0]) ?? '')) {
    // MacData ::= SEQUENCE { DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    const mac = kids(c);
    const macShaped = c === undefined || (isSeq(c) && isSeq(mac![0]) && isUniversal(mac![1], Type.OCTETSTRING) && (mac!.length === 2 || (mac!.length === 3 && isInt(mac![2]))));
    return macShaped && k.length <= 3 ? 'pkcs12' : 'other';
  }
  if (oidOfNode(a) === OID_SIGNED_DATA && isContext(b, 0)) return 'pkcs7';

  if (k.length === 3 && isSeq(a) && isSeq(b) && isUniversal(c, Type.BITSTRING)) {
    const t = kids(a)!;
    const i = isContext(t[0], 0) ? 1 : 0;
    const validity = kids(t[i + 3]);
    if (isInt(t[i]) && isSeq(t[i + 1]) && isSeq(t[i + 2]) && isSeq(t[i + 4]) && isSeq(t[i + 5]) && validity?.length === 2 && validity.every(isTime)) {
      return 'certificate';
    }
    if (isInt(t[0]) && isSeq(t[1]) && isSeq(t[2]) && isContext(t[3], 0)) return 'csr';
    const j = isInt(t[0]) ? 1 : 0;
    if (isSeq(t[j]) && isSeq(t[j + 1]) && isTime(t[j + 2])) return 'crl';
    return 'other';
  }
  if (looksLikePrivateKeyInfo(der)) return 'pkcs8';
  if (k.length === 2 && isSeq(a) && oidOfNode(kids(a)![0])) {
    if (isUniversal(b, Type.OCTETSTRING)) return 'encrypted-pkcs8';
    if (isUniversal(b, Type.BITSTRING)) return 'public-key';
  }
  if (k.every(isInt)) {
    if (k.length >= 9 && (smallInt(a) === 0 || smallInt(a) === 1)) return 'rsa-private-key';
    if (k.length === 6 && smallInt(a) === 0) return 'dsa-private-key';
  }
  if (smallInt(a) === 1 && isUniversal(b, Type.OCTETSTRING) && k.slice(2).every((n) => isContext(n, 0) || isContext(n, 1))) {
    return 'ec-private-key';
  }
  return 'other';
}

const DER_NOUNS: Record<DerKind, string> = {
  certificate: 'a DER certificate',
  pkcs7: 'a PKCS#7 certificate bundle',
  pkcs12: 'a PKCS#12 file',
  pkcs8: 'a private key',
  'encrypted-pkcs8': 'a private key',
  'rsa-private-key': 'a private key',
  'ec-private-key': 'a private key',
  'dsa-private-key': 'a private key',
  csr: 'a certificate request',
  crl: 'a CRL',
  'public-key': 'a public key',
  other: 'DER data',
};

/** PEM labels that carry a certificate (PKCS7 blocks carry a bundle of them). */
export const PEM_CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
export const PEM_PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);
export const PEM_PRIVATE_KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY']);

function pemNoun(label: string): string {
  if (PEM_CERTIFICATE_LABELS.has(label)) return 'a PEM certificate';
  if (PEM_PKCS7_LABELS.has(label)) return 'a PKCS#7 certificate bundle';
  if (PEM_PRIVATE_KEY_LABELS.has(label)) return 'a private key';
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return 'a certificate request';
  if (label === 'X509 CRL') return 'a CRL';
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return 'a public key';
  if (label === 'EC PARAMETERS') return 'EC parameters';
  return `a PEM "${label}" block`;
}

const CMS_KINDS: Record<string, { byte: number; noun: string }> = {
  'X509KEY\0': { byte: 2, noun: 'a CMS key database' },
  'X509KYP\0': { byte: 1, noun: 'a CMS request database' },
  'X509CRL\0': { byte: 1, noun: 'a CMS CRL database' },
};
const CMS_MAC_LENGTH: Record<number, number> = { 3: 16, 4: 20, 6: 48 };
const JAVA_MAGIC: Record<number, string> = { 0xfeedfeed: 'a JKS key store', 0xcececece: 'a JCEKS key store' };

function u32(b: ArrayLike<number>, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function cmsNoun(bytes: Uint8Array): string | undefined {
  if (bytes.length < 0x18 || bytes[0] !== 0x37 || bytes[1] !== 0x48) return undefined;
  const kind = CMS_KINDS[Buffer.from(bytes.subarray(8, 16)).toString('latin1')];
  return kind && kind.byte === bytes[3] ? kind.noun : undefined;
}

function stashPlausible(bytes: Uint8Array): boolean {
  if (bytes.length !== 129 && bytes.length !== 193) return false;
  let password: string;
  try {
    password = readStash(bytes);
  } catch {
    return false; // a 193-byte stash whose integrity check fails
  }
  // A v1 stash has no check of its own: random bytes decode to a "password" with control
  // characters or no terminator, a real stash to printable text.
  return bytes.length === 193 || (password.length > 0 && Buffer.byteLength(password) < 128 && !/[\u0000-\u001f\u007f\ufffd]/.test(password));
}

function describeBinary(bytes: Uint8Array): string {
  const cms = cmsNoun(bytes);
  if (cms) return cms;
  const java = bytes.length >= 4 ? JAVA_MAGIC[u32(bytes, 0)] : undefined;
  if (java) return java;
  const kind = classifyDer(bytes);
  if (kind) return DER_NOUNS[kind];
  if (concatenatedCertificates(bytes)) return 'DER certificates';
  if (stashPlausible(bytes)) return 'a stash file';
  return 'unknown binary data';
}

/** True for two or more DER certificates one after another (`cat a.der b.der`). */
function concatenatedCertificates(bytes: Uint8Array): boolean {
  const parts = splitTopLevel(bytes);
  return parts !== undefined && parts.length > 1 && parts.every((p) => classifyDer(p) === 'certificate');
}

/** Consecutive top-level DER values (definite lengths only), or undefined. */
function splitTopLevel(bytes: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0x30 || at + 2 > bytes.length) return undefined;
    const first = bytes[at + 1]!;
    let len = first;
    let header = 2;
    if (first >= 0x80) {
      const n = first & 0x7f;
      if (n === 0 || n > 4 || at + 2 + n > bytes.length) return undefined;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i]!;
      header = 2 + n;
    }
    if (at + header + len > bytes.length) return undefined;
    out.push(bytes.subarray(at, at + header + len));
    at += header + len;
  }
  return out;
}

/**
 * What the bytes look like, as a short noun phrase for messages: 'a PEM certificate',
 * 'a PKCS#12 file', 'a CMS key database', 'a private key', 'a certificate request',
 * 'text', 'unknown binary data', … Never throws.
 */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const text = bytesAsText(bytes);
  if (text === undefined) return describeBinary(bytes);
  const blocks = findPemBlocks(text);
  if (blocks.length > 0) {
    let nouns = [...new Set(blocks.map((b) => pemNoun(b.label)))];
    // `openssl ecparam -genkey` writes the curve before the key; the key is what matters.
    if (nouns.includes('a private key')) nouns = nouns.filter((n) => n !== 'EC parameters');
    const certificates = blocks.filter((b) => PEM_CERTIFICATE_LABELS.has(b.label)).length;
    if (certificates > 1) nouns[nouns.indexOf('a PEM certificate')] = 'PEM certificates';
    return nouns.join(' and ');
  }
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(text) ? decodeBase64(text) : undefined;
  if (decoded && decoded.length > 1 && decoded[0] === 0x30) {
    const inner = describeBinary(decoded);
    if (inner !== 'unknown binary data') return `base64 of ${inner}`;
  }
  return text.trim() === '' ? 'an empty file' : 'text';
}

// ---------------------------------------------------------------------------------------
// Reading damaged bytes under a format's structure, with the transfer's choices.

type Mode = 'as-is' | DamageKind;

/** Positions (in the damaged bytes) where the non-default choice was taken: a CR LF kept
 * as it is (lf-to-crlf) or a CR put back before a LF (crlf-to-lf). A linked list so that
 * branching shares the common part. */
interface Trail {
  readonly at: number;
  readonly prev: Trail | undefined;
}

/** One way of having read the damaged bytes up to `d`; `o` is the matching offset in the
 * original. `half`: a CR was put back before the LF at `d`, which is still to be read. */
interface Way {
  readonly d: number;
  readonly o: number;
  readonly half: boolean;
  /** Up to WITNESSES distinct trails that lead here; `more` when there were others. */
  readonly trails: readonly (Trail | undefined)[];
  readonly more: boolean;
}

type Ways = Map<number, Way>;

/**
 * Universal tags the formats read here use outside OCTET STRINGs (context-specific ones
 * are always allowed). A wrong choice shifts bytes so that a CR or LF becomes a tag;
 * refusing tags no certificate, key or key store uses there (ENUMERATED 0A, RELATIVE-OID
 * 0D, REAL, application and private classes, a primitive SEQUENCE, …) stops such a
 * reading instead of letting it pass as "valid DER". ENUMERATED does occur inside CRL
 * extensions, which sit in OCTET STRINGs and so fall back to being read as opaque bytes.
 */
const TAGS_IN_USE = new Set([
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c,
  // the string types old certificates use in names, and the two time types
  0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1e,
  // constructed: BER-segmented BIT/OCTET STRING, SEQUENCE, SET
  0x23, 0x24, 0x30, 0x31,
]);

/** Context-specific tags run from [0] to [8] (GeneralName) in every structure read here. */
const MAX_CONTEXT_TAG = 8;

/** Enough candidates to tell "exactly one" from "several" after the format's own checks. */
const WITNESSES = 8;
/** Steps before giving up: a hostile or huge file must not hang the caller. */
const BUDGET = 5_000_000;

class GiveUp extends Error {}

class Reader {
  private readonly nextChoice: Int32Array;
  private steps = 0;
  /** Some path met a part whose end cannot be found, so "no other way fits" is unproven. */
  unfollowable = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly mode: Mode,
    readonly witnesses = WITNESSES,
  ) {
    const n = bytes.length;
    this.nextChoice = new Int32Array(n + 1).fill(n);
    for (let i = n - 1; i >= 0; i--) {
      const choice =
        mode === 'crlf-to-lf' ? bytes[i] === LF : mode === 'lf-to-crlf' ? bytes[i] === CR && bytes[i + 1] === LF : false;
      this.nextChoice[i] = choice ? i : this.nextChoice[i + 1]!;
    }
  }

  start(): Way {
    return { d: 0, o: 0, half: false, trails: [undefined], more: false };
  }

  private tick(): void {
    if (++this.steps > BUDGET) throw new GiveUp();
  }

  private key(w: Way): number {
    return (w.o * (this.bytes.length + 1) + w.d) * 2 + (w.half ? 1 : 0);
  }

  add(ways: Ways, w: Way): void {
    const k = this.key(w);
    const had = ways.get(k);
    if (!had) {
      ways.set(k, w);
      return;
    }
    const trails = [...had.trails, ...w.trails];
    ways.set(k, { ...had, trails: trails.slice(0, this.witnesses), more: had.more || w.more || trails.length > this.witnesses });
  }

  private step(w: Way, dd: number, oo: number, half: boolean, mark?: number): Way {
    const trails = mark === undefined ? w.trails : w.trails.map((prev) => ({ at: mark, prev }));
    return { d: w.d + dd, o: w.o + oo, half, trails, more: w.more };
  }

  /** Every original byte that can stand at this point, with the way after it. */
  read(w: Way): [number, Way][] {
    this.tick();
    const b = this.bytes;
    if (w.half) return [[LF, this.step(w, 1, 1, false)]];
    if (w.d >= b.length) return [];
    const byte = b[w.d]!;
    if (this.mode === 'lf-to-crlf' && byte === CR && b[w.d + 1] === LF) {
      // A lone LF that gained a CR, or a CR LF the original already had.
      return [
        [LF, this.step(w, 2, 1, false)],
        [CR, this.step(w, 1, 1, false, w.d)],
      ];
    }
    if (this.mode === 'crlf-to-lf' && byte === LF) {
      const ways: [number, Way][] = [[CR, this.step(w, 0, 1, true, w.d)]];
      // After a CR, this LF cannot have been alone: the pair would have been collapsed.
      if (b[w.d - 1] !== CR) ways.push([LF, this.step(w, 1, 1, false)]);
      return ways;
    }
    return [[byte, this.step(w, 1, 1, false)]];
  }

  readBytes(w: Way, count: number): [number[], Way][] {
    let ways: [number[], Way][] = [[[], w]];
    for (let i = 0; i < count; i++) {
      ways = ways.flatMap(([got, v]) => this.read(v).map(([byte, next]): [number[], Way] => [[...got, byte], next]));
    }
    return ways;
  }

  /** `count` original bytes whose values do not matter. */
  skip(w: Way, count: number): Way[] {
    const n = this.bytes.length;
    let ways: Way[] = [w];
    let left = count;
    while (left > 0 && ways.length > 0) {
      let gap = left;
      for (const v of ways) gap = Math.min(gap, v.half ? 0 : this.nextChoice[v.d]! - v.d);
      if (gap > 0) {
        this.tick();
        ways = ways.filter((v) => v.d + gap <= n).map((v) => ({ ...v, d: v.d + gap, o: v.o + gap }));
        left -= gap;
        continue;
      }
      const next: Ways = new Map();
      for (const v of ways) for (const [, x] of this.read(v)) this.add(next, x);
      ways = [...next.values()];
      left -= 1;
    }
    return ways;
  }

  atEnd(ways: Iterable<Way>): Way[] {
    return [...ways].filter((w) => w.d === this.bytes.length && !w.half);
  }

  // --- DER (definite and indefinite lengths, so BER exports from Windows too) ---------

  /** One TLV that must end by original offset `limit`. */
  tlv(w: Way, limit: number): Way[] {
    const out: Ways = new Map();
    for (const [tag, afterTag] of this.read(w)) {
      if (!TAGS_IN_USE.has(tag) && !((tag & 0xc0) === 0x80 && (tag & 0x1f) <= MAX_CONTEXT_TAG)) continue;
      const constructed = (tag & 0x20) !== 0;
      for (const [first, afterFirst] of this.read(afterTag)) {
        if (first === 0x80) {
          if (constructed) for (const x of this.untilEndOfContents(afterFirst, limit)) this.add(out, x);
          continue;
        }
        const lengths: [number, Way][] =
          first < 0x80
            ? [[first, afterFirst]]
            : (first & 0x7f) > 4
              ? []
              : this.readBytes(afterFirst, first & 0x7f).map(([bs, x]) => [bs.reduce((n, b) => n * 256 + b, 0), x]);
        for (const [len, x] of lengths) {
          if (x.o + len > limit) continue;
          for (const y of this.content(tag, len, x)) this.add(out, y);
        }
      }
    }
    return [...out.values()];
  }

  private content(tag: number, len: number, w: Way): Way[] {
    if ((tag === 0x05 && len !== 0) || (tag === 0x01 && len !== 1) || ((tag === 0x02 || tag === 0x06) && len === 0)) return [];
    const end = w.o + len;
    if ((tag & 0x20) !== 0) return this.sequence([w], end);
    // DER wrapped in an OCTET STRING or BIT STRING (PKCS#12 safes, extensions, EC
    // signatures) gives structure to check, and so pins down choices inside it.
    const b = this.bytes;
    const wrapped = !w.half && ((tag === 0x04 && b[w.d] === 0x30) || (tag === 0x03 && b[w.d] === 0 && b[w.d + 1] === 0x30));
    if (wrapped && len > 2) {
      const inner = tag === 0x03 ? this.skip(w, 1) : [w];
      const parsed = this.sequence(inner, end);
      if (parsed.length > 0) return parsed;
    }
    return this.skip(w, len);
  }

  /** TLVs one after another, ending exactly at original offset `end`. */
  sequence(start: Way[], end: number): Way[] {
    const done: Ways = new Map();
    let pending = start;
    while (pending.length > 0) {
      const next: Ways = new Map();
      for (const w of pending) {
        if (w.o === end) this.add(done, w);
        else if (w.o < end) for (const x of this.tlv(w, end)) this.add(next, x);
      }
      pending = [...next.values()];
    }
    return [...done.values()];
  }

  private untilEndOfContents(w: Way, limit: number): Way[] {
    const done: Ways = new Map();
    let pending = [w];
    while (pending.length > 0) {
      const next: Ways = new Map();
      for (const v of pending) {
        for (const [bs, x] of this.readBytes(v, 2)) if (bs[0] === 0 && bs[1] === 0 && x.o <= limit) this.add(done, x);
        for (const x of this.tlv(v, limit)) this.add(next, x);
      }
      pending = [...next.values()];
    }
    return [...done.values()];
  }

  /** One or more DER values filling the whole file. */
  derFile(): Way[] {
    const done: Way[] = [];
    let pending = [this.start()];
    while (pending.length > 0) {
      const next: Ways = new Map();
      for (const w of pending) {
        if (w.d === this.bytes.length && !w.half) done.push(w);
        else for (const x of this.tlv(w, Infinity)) this.add(next, x);
      }
      pending = [...next.values()];
    }
    return done;
  }

  // --- GSKit CMS (.kdb, .rdb, .crl): header, then `count` slots of `slotSize` bytes ---

  cmsFile(): Way[] {
    const out: Ways = new Map();
    for (const [h, afterHeader] of this.readBytes(this.start(), 0x18)) {
      const m = CMS_MAC_LENGTH[h[2]!];
      const kind = CMS_KINDS[String.fromCharCode(...h.slice(8, 16))];
      if (h[0] !== 0x37 || h[1] !== 0x48 || !m || kind?.byte !== h[3] || u32(h, 4) !== 0) continue;
      const slotSize = u32(h, 0x10);
      const count = u32(h, 0x14);
      if (slotSize < 16 || slotSize > 1 << 20 || count > 100_000) continue;
      // Salt, verifier and MAC are random: only what follows them can pin them down.
      let ways = this.skip(afterHeader, 0x30 - 0x18 + 2 * m);
      for (let i = 0; i < count && ways.length > 0; i++) ways = this.each(ways, (w) => this.cmsSlot(w, slotSize));
      for (const w of this.atEnd(ways)) this.add(out, w);
    }
    return [...out.values()];
  }

  private cmsSlot(w: Way, slotSize: number): Way[] {
    const out: Ways = new Map();
    for (const [f, a] of this.readBytes(w, 12)) {
      const recordLength = u32(f, 8);
      if (12 + recordLength + 4 > slotSize) continue;
      for (const b of this.tlv(a, a.o + recordLength)) {
        if (b.o !== a.o + recordLength) continue;
        for (const [g, c] of this.readBytes(b, 4)) {
          const rest = slotSize - (c.o - w.o);
          if (u32(g, 0) > rest) continue;
          // Label, index hashes and zero padding: the padding's zeros pin the slot's end.
          for (const x of this.skip(c, rest)) this.add(out, x);
        }
      }
    }
    return [...out.values()];
  }

  // --- JKS / JCEKS (java.io.DataOutputStream, see jks.ts) -----------------------------

  javaFile(): Way[] {
    const out: Ways = new Map();
    for (const [h, a] of this.readBytes(this.start(), 12)) {
      const version = u32(h, 4);
      const count = u32(h, 8);
      if (!JAVA_MAGIC[u32(h, 0)] || (version !== 1 && version !== 2) || count > 100_000) continue;
      let ways = [a];
      for (let i = 0; i < count && ways.length > 0; i++) ways = this.each(ways, (w) => this.javaEntry(w, version));
      for (const w of this.atEnd(this.each(ways, (w) => this.skip(w, 20)))) this.add(out, w);
    }
    return [...out.values()];
  }

  private javaEntry(w: Way, version: number): Way[] {
    return this.each(this.readBytes(w, 4), ([t, x]) => {
      const tag = u32(t, 0);
      if (tag === 3) {
        // A JCEKS secret key is a Java-serialized object without a length in front: its
        // end cannot be found without deserializing, so this path cannot be followed.
        this.unfollowable = true;
        return [];
      }
      if (tag !== 1 && tag !== 2) return [];
      const dated = this.each(this.javaString(x), (y) => this.skip(y, 8));
      if (tag === 2) return this.each(dated, (y) => this.javaCertificate(y, version));
      const keyed = this.each(dated, (y) => this.javaBlob(y));
      return this.each(keyed, (y) =>
        this.each(this.readBytes(y, 4), ([count, z]) => {
          let chain = [z];
          for (let i = 0; i < u32(count, 0) && chain.length > 0; i++) chain = this.each(chain, (v) => this.javaCertificate(v, version));
          return chain;
        }),
      );
    });
  }

  private javaString(w: Way): Way[] {
    return this.each(this.readBytes(w, 2), ([n, x]) => this.skip(x, (n[0]! << 8) | n[1]!));
  }

  /** int length + one DER value of exactly that length. */
  private javaBlob(w: Way): Way[] {
    return this.each(this.readBytes(w, 4), ([n, x]) => this.tlv(x, x.o + u32(n, 0)).filter((y) => y.o === x.o + u32(n, 0)));
  }

  private javaCertificate(w: Way, version: number): Way[] {
    return this.each(version === 2 ? this.javaString(w) : [w], (x) => this.javaBlob(x));
  }

  // --- Stash files: nothing but their length ------------------------------------------

  stashFile(): Way[] {
    return [129, 193].flatMap((length) => this.atEnd(this.skip(this.start(), length)));
  }

  each<T>(items: Iterable<T>, f: (item: T) => Way[]): Way[] {
    const out: Ways = new Map();
    for (const item of items) for (const w of f(item)) this.add(out, w);
    return [...out.values()];
  }
}

// ---------------------------------------------------------------------------------------
// The full check of a candidate original, and which of its bytes that check pins down.

/** Half-open byte ranges [start, end). */
type Ranges = [number, number][];

/** What a candidate that passed its format's full check has that vouches for its bytes:
 * the ranges a hash, a signature or a second copy covers (a wrong byte there fails). */
interface Checked {
  covered: Ranges;
}

const within = (ranges: Ranges, at: number): boolean => ranges.some(([start, end]) => at >= start && at < end);

/** A SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING } met on a walk: perhaps a certificate. */
interface Signed {
  start: number;
  end: number;
  tbs: [number, number];
  signature: [number, number];
}

interface DerWalk {
  signed: Signed[];
}

/**
 * One BER/DER value at `at` that ends by `limit`: its end, or -1 when it does not parse.
 * DER wrapped in an OCTET STRING or BIT STRING is walked too, for the certificates in it.
 */
function walkDer(b: Uint8Array, at: number, limit: number, walk: DerWalk, depth = 0): number {
  if (depth > MAX_DER_DEPTH || at + 2 > limit) return -1;
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) return -1;
  const constructed = (tag & 0x20) !== 0;
  const first = b[at + 1]!;
  let body = at + 2;
  if (first === 0x80) {
    if (!constructed) return -1;
    for (let q = body; ; ) {
      if (q + 2 > limit) return -1;
      if (b[q] === 0 && b[q + 1] === 0) return q + 2;
      q = walkDer(b, q, limit, walk, depth + 1);
      if (q < 0) return -1;
    }
  }
  let length = first;
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4 || body + n > limit) return -1;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + b[body + i]!;
    body += n;
  }
  const end = body + length;
  if (end > limit) return -1;
  if (constructed) {
    const kids: [tag: number, start: number, end: number][] = [];
    for (let q = body; q < end; ) {
      const e = walkDer(b, q, end, walk, depth + 1);
      if (e < 0) return -1;
      kids.push([b[q]!, q, e]);
      q = e;
    }
    const [t, a, s] = kids;
    if (tag === 0x30 && kids.length === 3 && t![0] === 0x30 && a![0] === 0x30 && s![0] === 0x03) {
      walk.signed.push({ start: at, end, tbs: [t![1], t![2]], signature: [s![1], s![2]] });
    }
    return end;
  }
  const inner = tag === 0x04 ? body : tag === 0x03 && b[body] === 0 ? body + 1 : -1;
  if (inner >= 0 && end - inner > 2 && b[inner] === 0x30) {
    const nested: DerWalk = { signed: [] };
    let q = inner;
    while (q >= 0 && q < end) q = walkDer(b, q, end, nested, depth + 1);
    if (q === end) walk.signed.push(...nested.signed);
  }
  return end;
}

/** tbsCertificate and signature of each certificate whose signature one of the file's
 * own certificates verifies (a self-signed one, or a chain kept together): a changed
 * byte there would have broken the signature. */
function signatureCovered(b: Uint8Array, signed: Signed[]): Ranges {
  const certificates = signed.flatMap((s) => {
    try {
      return [{ s, x: new X509Certificate(b.subarray(s.start, s.end)) }];
    } catch {
      return [];
    }
  });
  const covered: Ranges = [];
  for (const { s, x } of certificates) {
    const verified = certificates.some(({ x: issuer }) => {
      try {
        return x.checkIssued(issuer) && x.verify(issuer.publicKey);
      } catch {
        return false;
      }
    });
    if (verified) covered.push(s.tbs, s.signature);
  }
  return covered;
}

function derFullCheck(b: Uint8Array): Checked | undefined {
  const kind = classifyDer(b);
  // Structure alone can be fooled (a shifted byte turning into a plausible tag), so the
  // candidate must also be one of the structures KeyDesk reads.
  if ((kind === undefined || kind === 'other') && !concatenatedCertificates(b)) return undefined;
  const walk: DerWalk = { signed: [] };
  for (let at = 0; at < b.length; ) {
    at = walkDer(b, at, b.length, walk);
    if (at < 0) return undefined;
  }
  return { covered: signatureCovered(b, walk.signed) };
}

function derSequence(content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([0x30, ...length, ...content]);
}

/** A certificate's five CMS index hashes (FORMATS.md, verified on every native record). */
function indexHashes(b: Uint8Array, certificate: DerSpan): Uint8Array[] | undefined {
  const [tbs, , signature] = derChildren(b, certificate, 'any') ?? [];
  if (!tbs || !signature) return undefined;
  const parts = derChildren(b, tbs, 'any') ?? [];
  const [serial, , issuer, , subject, spki] = parts.slice(parts[0]?.tag === 0xa0 ? 1 : 0);
  if (!serial || !issuer || !subject || !spki) return undefined;
  const raw = (t: DerSpan): Uint8Array => b.subarray(t.start, t.end);
  const issuerSerial = derSequence(new Uint8Array(Buffer.concat([raw(issuer), raw(serial)])));
  return [raw(signature), raw(tbs), raw(subject), raw(spki), issuerSerial].map((part) => new Uint8Array(createHash('sha1').update(part).digest()));
}

/** Header, exact length and every record slot (FORMATS.md), as GSKit writes them. */
function cmsFullCheck(b: Uint8Array): Checked | undefined {
  if (b.length < 0x18 || b[0] !== 0x37 || b[1] !== 0x48 || u32(b, 4) !== 0) return undefined;
  const version = b[2]!;
  const m = CMS_MAC_LENGTH[version];
  const kind = CMS_KINDS[Buffer.from(b.subarray(8, 16)).toString('latin1')];
  if (!m || kind?.byte !== b[3]) return undefined;
  const slotSize = u32(b, 0x10);
  const count = u32(b, 0x14);
  const headerSize = 0x30 + 2 * m;
  if (slotSize < 16 || slotSize > 1 << 20 || b.length !== headerSize + slotSize * count) return undefined;
  const checked: Checked = { covered: [] };
  for (let i = 0; i < count; i++) {
    if (!cmsSlotChecked(b, headerSize + i * slotSize, slotSize, i + 1, version, checked)) return undefined;
  }
  return checked;
}

function cmsSlotChecked(b: Uint8Array, at: number, size: number, number: number, version: number, checked: Checked): boolean {
  const end = at + size;
  if (u32(b, at) !== 1 || u32(b, at + 4) !== number) return false;
  const recordAt = at + 12;
  const recordEnd = recordAt + u32(b, at + 8);
  if (recordEnd + 4 > end) return false;
  if (b[recordAt] !== 0x30 || walkDer(b, recordAt, recordEnd, { signed: [] }) !== recordEnd) return false;
  const labelAt = recordEnd + 4;
  const fieldAt = labelAt + u32(b, recordEnd);
  if (fieldAt + 4 > end || u32(b, fieldAt) !== (version === 3 ? number : 0)) return false;

  // SEQUENCE { INTEGER, [n] content, VisibleString label, BIT STRING flags }, in DER
  const record = derSpanAt(b, recordAt, recordEnd, 'any');
  const [, content, ...trailer] = (record && derChildren(b, record, 'any')) ?? [];
  if (!content || (content.tag & 0xe0) !== 0xa0) return false;
  const label = b.subarray(labelAt, fieldAt);
  const copy = trailer.find((t) => t.tag === 0x1a);
  if (copy) {
    // The label is there twice; a change to either copy shows.
    if (!bytesEqual(b.subarray(copy.body, copy.end), label)) return false;
    checked.covered.push([copy.body, copy.end], [labelAt, fieldAt]);
  }

  let h = fieldAt + 4;
  const inner = derChildren(b, content, 'any');
  const certificate = content.tag === 0xa1 ? inner?.[0] : content.tag === 0xa2 && inner?.[0] ? derChildren(b, inner[0], 'any')?.[0] : undefined;
  if (certificate) {
    const hashes = indexHashes(b, certificate);
    if (!hashes) return false;
    for (const hash of hashes) {
      if (h + 24 > end || u32(b, h) !== 20 || !bytesEqual(b.subarray(h + 4, h + 24), hash)) return false;
      h += 24;
    }
    checked.covered.push([certificate.start, certificate.end], [fieldAt + 4, h]);
  } else if (h + 120 <= end && [0, 1, 2, 3, 4].every((i) => u32(b, h + 24 * i) === 20)) {
    h += 120; // hashes of a record without a certificate: no native sample says of what
  }
  for (let i = h; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

class Short extends Error {}

/** The JKS/JCEKS layout (java.io.DataOutputStream, see jks.ts) to its exact end. */
function javaFullCheck(b: Uint8Array): Checked | undefined {
  if (b.length < 12 || !JAVA_MAGIC[u32(b, 0)]) return undefined;
  const version = u32(b, 4);
  if (version !== 1 && version !== 2) return undefined;
  const walk: DerWalk = { signed: [] };
  let at = 8;
  const take = (n: number): number => {
    if (at + n > b.length) throw new Short();
    at += n;
    return at - n;
  };
  const int = (): number => u32(b, take(4));
  const text = (): void => {
    const start = take(2);
    take((b[start]! << 8) | b[start + 1]!);
  };
  const der = (): void => {
    const n = int();
    const start = take(n);
    if (walkDer(b, start, at, walk) !== at) throw new Short();
  };
  const certificate = (): void => {
    if (version === 2) text();
    der();
  };
  try {
    for (let count = int(); count > 0; count--) {
      const tag = int();
      // A JCEKS secret key (3) is a serialized Java object without a length: not followed.
      if (tag !== 1 && tag !== 2) return undefined;
      text();
      take(8); // date
      if (tag === 2) certificate();
      else {
        der();
        for (let n = int(); n > 0; n--) certificate();
      }
    }
    take(20); // digest
  } catch (e) {
    if (e instanceof Short) return undefined;
    throw e;
  }
  if (at !== b.length) return undefined;
  return { covered: signatureCovered(b, walk.signed) };
}

function stashFullCheck(b: Uint8Array): Checked | undefined {
  if (!stashPlausible(b)) return undefined;
  // In a 193-byte stash, A and B check each other (B = SHA-256(01 ‖ A)); the buffer after
  // them, like all of a 129-byte one, only has to decode to some password.
  return { covered: b.length === 193 ? [[0, 64]] : [] };
}

// ---------------------------------------------------------------------------------------
// Formats, candidates, verdict.

interface Grammar {
  applies(bytes: Uint8Array): boolean;
  run(reader: Reader): Way[];
  /** The format's full check of a candidate original; undefined when it fails. */
  fullCheck(candidate: Uint8Array): Checked | undefined;
  /** For the file as it is: looser, where structure alone proves a file fine. */
  checkAsIs(bytes: Uint8Array): boolean;
  noun(candidate: Uint8Array): string;
}

const GRAMMARS: Grammar[] = [
  {
    applies: (b) => b[0] === 0x37 && b[1] === 0x48,
    run: (r) => r.cmsFile(),
    fullCheck: cmsFullCheck,
    checkAsIs: () => true,
    noun: (c) => cmsNoun(c) ?? 'a CMS database',
  },
  {
    applies: (b) => b.length >= 4 && JAVA_MAGIC[u32(b, 0)] !== undefined,
    run: (r) => r.javaFile(),
    fullCheck: javaFullCheck,
    checkAsIs: () => true,
    noun: (c) => JAVA_MAGIC[u32(c, 0)]!,
  },
  {
    applies: (b) => b[0] === 0x30,
    run: (r) => r.derFile(),
    fullCheck: derFullCheck,
    // Any DER that parses to its end is left alone, known structure or not.
    checkAsIs: () => true,
    noun: (c) => (concatenatedCertificates(c) ? 'DER certificates' : DER_NOUNS[classifyDer(c) ?? 'other']),
  },
  {
    // An ASCII-mode transfer changes a stash's length by the number of LFs in it.
    applies: (b) => b.length >= 64 && b.length <= 386,
    run: (r) => r.stashFile(),
    fullCheck: stashFullCheck,
    // Length alone would let a damaged 129- or 193-byte DER file pass as a stash.
    checkAsIs: stashPlausible,
    noun: () => 'a stash file',
  },
];

interface Outcome {
  trails: (Trail | undefined)[];
  /** More candidates fit than were kept, or some path could not be followed. */
  more: boolean;
}

/** undefined when the search gave up (budget, or a structure too deep). */
function runGrammar(grammar: Grammar, bytes: Uint8Array, mode: Mode, witnesses = WITNESSES): Outcome | undefined {
  try {
    const reader = new Reader(bytes, mode, witnesses);
    const ends = grammar.run(reader);
    const trails = ends.flatMap((w) => w.trails);
    return { trails, more: reader.unfollowable || ends.some((w) => w.more) || trails.length > witnesses };
  } catch (e) {
    if (e instanceof GiveUp || e instanceof RangeError) return undefined;
    throw e;
  }
}

function positions(trail: Trail | undefined): Set<number> {
  const out = new Set<number>();
  for (let t = trail; t; t = t.prev) out.add(t.at);
  return out;
}

/** The original the trail stands for; where (in it) the reading made a choice: a CR LF
 * kept as it is (lf-to-crlf), a CR put back (crlf-to-lf); and how many CR LF pairs it
 * turned back into LFs (lf-to-crlf). */
function undo(bytes: Uint8Array, kind: DamageKind, trail: Trail | undefined): { original: Uint8Array; chosen: number[]; pairs: number } {
  const marked = positions(trail);
  const out: number[] = [];
  const chosen: number[] = [];
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (kind === 'lf-to-crlf') {
      if (b === CR && bytes[i + 1] === LF && !marked.has(i)) {
        pairs++;
        out.push(LF);
        i++;
      } else {
        if (marked.has(i)) chosen.push(out.length);
        out.push(b);
      }
    } else {
      if (marked.has(i)) {
        chosen.push(out.length);
        out.push(CR);
      }
      out.push(b);
    }
  }
  return { original: Uint8Array.from(out), chosen, pairs };
}

/** What each kind of transfer makes of `original`. */
function damage(original: Uint8Array, how: 'every-lf' | 'lone-lf' | 'crlf'): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const b = original[i]!;
    if (how === 'crlf' && b === CR && original[i + 1] === LF) continue;
    if (b === LF && (how === 'every-lf' || (how === 'lone-lf' && original[i - 1] !== CR))) out.push(CR);
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** Converting the candidate again must give the damaged bytes exactly: the counts of
 * CRs and LFs, and where they stand, agree with the transfer. */
function consistent(original: Uint8Array, damaged: Uint8Array, kind: DamageKind): boolean {
  if (kind === 'crlf-to-lf') return bytesEqual(damage(original, 'crlf'), damaged);
  return bytesEqual(damage(original, 'every-lf'), damaged) || bytesEqual(damage(original, 'lone-lf'), damaged);
}

/** The transfer's own fingerprint. lf-to-crlf leaves no LF alone; crlf-to-lf leaves none
 * of its own (it needs a LF to have happened at all). */
function plausibleKind(bytes: Uint8Array, kind: DamageKind): boolean {
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i - 1] === CR) pairs++;
    else if (kind === 'lf-to-crlf') return false; // a LF without its CR: not lf-to-crlf
  }
  return kind === 'lf-to-crlf' ? pairs > 0 : bytes.includes(LF);
}

function message(kind: DamageKind, noun: string, repairable: boolean): string {
  const what = `the ${noun.replace(/^(a|an) /, '')}`;
  const was = noun.endsWith('certificates') ? 'were' : 'was';
  const change = kind === 'lf-to-crlf' ? 'every line feed became CR LF' : 'every CR LF became a single line feed';
  return (
    `${what} ${was} transferred in text (ASCII) mode: ${change}. Send it again in binary mode` +
    (repairable ? ' — or use the repaired copy KeyDesk can write' : '') +
    '.'
  );
}

function damagedMessage(noun: string): string {
  const what = `the ${noun.replace(/^(a|an) /, '')}`;
  const is = noun.endsWith('certificates') ? 'are' : 'is';
  // Whoever holds the password makes a new stash in a moment; a fresh copy may be far away.
  const way =
    noun === 'a stash file'
      ? worded(
          'Recreate it from the database password (keydesk -keydb -stashpw -db DATABASE -pw PASSWORD), or get a fresh copy, transferred in binary mode.',
          'Recreate it from the database password (open the key database with its password, then Stash Password…), or get a fresh copy, transferred in binary mode.',
        )
      : 'Get a fresh copy, transferred in binary mode.';
  return `${what} ${is} damaged: bytes in it were lost, added or changed. ${way}`;
}

/** A candidate original: one reading of the transfer undone, which passed its format's
 * full check. */
export interface TransferRepairCandidate {
  kind: DamageKind;
  original: Uint8Array;
  /** What the original is, as a noun phrase ('a CMS key database'). */
  noun: string;
  /** Every choice it made stands in bytes a hash, a signature or a second copy vouches
   * for (module header); true for one that made none (FTP's one-to-one undo). */
  vouched: boolean;
}

interface Candidate extends TransferRepairCandidate {
  /** This reading is evidence enough to name the transfer (module header). */
  named: boolean;
}

interface Found {
  candidates: Candidate[];
  /** No other candidate exists: no search gave up or was cut short. */
  complete: boolean;
}

const KINDS: DamageKind[] = ['lf-to-crlf', 'crlf-to-lf'];

/** The formats to try on a file that does not read as it is; undefined for a file that
 * reads (or that no format here applies to), which is never flagged. */
function grammarsOfBroken(bytes: Uint8Array): Grammar[] | undefined {
  if (bytes.length === 0 || bytesAsText(bytes) !== undefined) return undefined;
  // DER that parses to its end is fine as it is, whatever tags the search would refuse.
  if (bytes[0] === 0x30 && classifyDer(bytes) !== undefined) return undefined;
  const grammars = GRAMMARS.filter((g) => g.applies(bytes));
  // A file whose structure cannot be followed to the end (see `unfollowable`) counts as
  // reading: flagging a file that may well be fine would send its user the wrong way.
  const readsAsIs = grammars.some((g) => {
    const asIs = runGrammar(g, bytes, 'as-is');
    return asIs === undefined || asIs.more || (asIs.trails.length > 0 && g.checkAsIs(bytes));
  });
  return grammars.length === 0 || readsAsIs ? undefined : grammars;
}

function findCandidates(bytes: Uint8Array, kind: DamageKind, grammars: Grammar[], witnesses: number): Found {
  const candidates: Candidate[] = [];
  let complete = true;
  for (const grammar of grammars) {
    const result = runGrammar(grammar, bytes, kind, witnesses);
    if (!result || result.more) complete = false;
    for (const trail of result?.trails ?? []) {
      const { original, chosen, pairs } = undo(bytes, kind, trail);
      if (candidates.some((c) => bytesEqual(c.original, original)) || !consistent(original, bytes, kind)) continue;
      const checked = grammar.fullCheck(original);
      if (!checked) continue;
      const vouched = chosen.every((at) => within(checked.covered, at));
      const named = kind === 'crlf-to-lf' ? vouched : pairs >= 2;
      candidates.push({ kind, original, noun: grammar.noun(original), vouched, named });
    }
  }
  return { candidates, complete };
}

/**
 * Says whether `bytes` are a binary key-store, certificate or stash file broken by a
 * text-mode transfer, which way, and — when exactly one original fits — the original.
 * Only a certain diagnosis (module header) names the transfer; a file a re-reading fits
 * without that evidence is said to be damaged, nothing more. Never repairs silently:
 * callers decide whether to use `repaired`.
 */
export function diagnoseTransferDamage(bytes: Uint8Array): TransferDamage {
  const grammars = grammarsOfBroken(bytes);
  if (!grammars) return { damaged: false };
  let fits: string | undefined;
  for (const kind of KINDS) {
    if (!plausibleKind(bytes, kind)) continue;
    const { candidates, complete } = findCandidates(bytes, kind, grammars, WITNESSES);
    if (candidates.length === 0) continue;
    if (candidates.some((c) => c.named)) {
      const only = candidates.length === 1 && complete ? candidates[0]! : undefined;
      const repaired = only?.vouched ? only.original : undefined;
      return { damaged: true, kind, ...(repaired ? { repaired } : {}), message: message(kind, candidates[0]!.noun, repaired !== undefined) };
    }
    fits ??= candidates[0]!.noun;
  }
  const noun = fits ?? cmsLengthFitsTransfer(bytes);
  return noun ? { damaged: true, kind: 'unknown', message: damagedMessage(noun) } : { damaged: false };
}

/**
 * Every original a text-mode transfer could have left `bytes` from, that passes its
 * format's full check — vouched for or not — for a caller that can check more than structure
 * (a MAC or keyed digest with the password). `limit` bounds the readings kept per search.
 */
export function transferRepairCandidates(bytes: Uint8Array, limit = 64): Found {
  const grammars = grammarsOfBroken(bytes);
  if (!grammars) return { candidates: [], complete: true };
  const out: Found = { candidates: [], complete: true };
  for (const kind of KINDS) {
    if (!plausibleKind(bytes, kind)) continue;
    const found = findCandidates(bytes, kind, grammars, limit);
    out.candidates.push(...found.candidates);
    out.complete &&= found.complete;
  }
  return out;
}

/** For a CMS file whose records the search could not follow: its header promises a
 * length, and the difference could come from a transfer if the counts fit. That shows
 * damage, not its cause: the noun for the message, or undefined. */
function cmsLengthFitsTransfer(bytes: Uint8Array): string | undefined {
  const noun = cmsNoun(bytes);
  const m = CMS_MAC_LENGTH[bytes[2] ?? 0];
  if (!noun || !m) return undefined;
  const expected = 0x30 + 2 * m + u32(bytes, 0x10) * u32(bytes, 0x14);
  let lfs = 0;
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF) (bytes[i - 1] === CR ? pairs++ : lfs++);
  const fits = (bytes.length > expected && lfs === 0 && bytes.length - expected <= pairs) || (bytes.length < expected && expected - bytes.length <= lfs + pairs);
  return fits ? noun : undefined;
}

/**
 * PKCS#12 (.p12/.pfx) reader and writer (RFC 7292).
 *
 * The structure is walked by hand over node-forge's ASN.1 rather than with
 * forge.pkcs12.pkcs12FromAsn1, which yields null for EC keys and certificates and drops
 * bags it does not know: here every bag either becomes an entry or survives a save as
 * an 'unknown' entry holding its own DER.
 */
import { X509Certificate, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { asn1, childTags, derToOid, encodeDer, fromBinary, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import { binaryOf, contentsCopy, derChildren, derWhole, DerTag, plainDerThroughout, type DerSpan } from '../asn1/der-spans';
import {
  canDecrypt,
  describeAlgorithm,
  looksLikePrivateKeyInfo,
  octetsOf,
  pbeAlgorithmLike,
  pbeAlgorithmNamed,
  pbeDecrypt,
  pbeEncryptWith,
  iterationsOf,
} from '../crypto/encrypted-private-key';
import { pkcs12Kdf, type Pkcs12KdfDigest } from '../crypto/pkcs12-kdf';
import { KeyDeskError, isKeyDeskError } from '../errors';
import { LabelSet, type Entry, type KeyStore, type PersonalEntry, type SignerEntry, type UnknownEntry } from '../model/key-store';
import { labelFromSubjectDn } from '../x509/certificate-label';
import { cannotReencrypt, holdSource, movingToNewPassword, type Hold } from './held-source';
import type { StoreCodec, StoreReadOptions, WrittenStore } from './store-codec';

/**
 * Without options, a store read from a file is written with the protection it was read
 * with (recorded in its properties: key and certificate schemes, their iterations and
 * salt lengths, the MAC's digest, iterations and salt length, PBMAC1), and a store that
 * never was a file with OpenSSL 3's. Options override what they name.
 */
export interface Pkcs12WriteOptions {
  /** Replaces the read schemes and MAC. 'aes256': PBES2/AES-256-CBC,
   * PBKDF2-HMAC-SHA256 and a SHA-256 MAC, as OpenSSL 3 writes. 'legacy-3des':
   * pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC, for consumers that predate PBES2
   * (GSKit 7, Java before 8u301, Windows before 10 1709). */
  protection?: 'aes256' | 'legacy-3des';
  /** Iterations for key, certificate and MAC derivation alike: as read, else 2048
   * (OpenSSL 3's default), or this. */
  iterations?: number;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  sdsiCertificate: '1.2.840.113549.1.9.22.2',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  /** Oracle's "trusted key usage": Java lists a certificate bag as a trusted entry only with it. */
  javaTrusted: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  pbmac1: '1.2.840.113549.1.5.14',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

const MAC_DIGESTS: Record<string, Pkcs12KdfDigest> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const HMAC_PRFS: Record<string, 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512'> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const BAG_NAMES: Record<string, string> = {
  [OID.crlBag]: 'CRL',
  [OID.secretBag]: 'secret',
  [OID.safeContentsBag]: 'nested safe contents',
};

// ---------------------------------------------------------------------------------------
// ASN.1 plumbing. A failed expectation is a damaged file: sniff() already said it is PKCS#12.

class Corrupt extends Error {}

function kids(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Corrupt(what);
  return node.value;
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== asn1.Type.OID || typeof node.value !== 'string') throw new Corrupt(what);
  return derToOid(node.value);
}

function intOf(node: Asn1 | undefined, what: string): number {
  if (!node || node.type !== asn1.Type.INTEGER || typeof node.value !== 'string') throw new Corrupt(what);
  const bytes = fromBinary(node.value);
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0]! & 0x80) !== 0) throw new Corrupt(what);
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

function octets(node: Asn1 | undefined, what: string): Uint8Array {
  try {
    return octetsOf(node, what);
  } catch {
    throw new Corrupt(what);
  }
}

/** The single child of an EXPLICIT [0] wrapper. */
function explicit0(node: Asn1 | undefined, what: string): Asn1 {
  if (!node || node.tagClass !== asn1.Class.CONTEXT_SPECIFIC || node.type !== 0) throw new Corrupt(what);
  const inner = kids(node, what)[0];
  if (!inner) throw new Corrupt(what);
  return inner;
}

function parse(bytes: Uint8Array, what: string): Asn1 {
  try {
    return parseDer(bytes);
  } catch {
    throw new Corrupt(what);
  }
}

const U = asn1.Class.UNIVERSAL;
const seq = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SET, true, items);
const oidNode = (oid: string): Asn1 => asn1.create(U, asn1.Type.OID, false, oidToDer(oid));
const octetNode = (bytes: Uint8Array): Asn1 => asn1.create(U, asn1.Type.OCTETSTRING, false, toBinary(bytes));
const intNode = (n: number): Asn1 => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nullNode = (): Asn1 => asn1.create(U, asn1.Type.NULL, false, '');
const ctx0 = (inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);

// node-forge converts BMPString to and from a JS string itself (UTF-16 both sides).
const bmpString = (text: string): Asn1 => asn1.create(U, asn1.Type.BMPSTRING, false, text);

function textOf(node: Asn1 | undefined): string | undefined {
  if (!node || typeof node.value !== 'string') return undefined;
  if (node.type === asn1.Type.BMPSTRING) return node.value;
  if (node.type === asn1.Type.UTF8 || node.type === asn1.Type.PRINTABLESTRING || node.type === asn1.Type.IA5STRING) {
    return Buffer.from(node.value, 'latin1').toString('utf8');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Sniffing.

/** Skips one DER length at `at`; returns the offset after it, or -1. Indefinite (BER)
 * lengths are accepted, since some Windows exports use them. */
function afterLength(b: Uint8Array, at: number): number {
  const first = b[at];
  if (first === undefined) return -1;
  if (first < 0x80 || first === 0x80) return at + 1;
  const n = first & 0x7f;
  return n > 4 ? -1 : at + 1 + n;
}

const PKCS7_PREFIX = Buffer.from(oidToDer(OID.data), 'latin1').subarray(0, -1); // 1.2.840.113549.1.7.

function sniff(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  let at = afterLength(bytes, 1);
  if (at < 0 || bytes[at] !== 0x02 || bytes[at + 1] !== 0x01 || bytes[at + 2] !== 0x03 || bytes[at + 3] !== 0x30) return false;
  at = afterLength(bytes, at + 4);
  if (at < 0 || bytes[at] !== 0x06 || bytes[at + 1] !== PKCS7_PREFIX.length + 1) return false;
  return Buffer.from(bytes.subarray(at + 2, at + 2 + PKCS7_PREFIX.length)).equals(PKCS7_PREFIX);
}

// ---------------------------------------------------------------------------------------
// MAC.

interface MacInfo {
  /** For people and for the writer, which parses it back: `SHA-256`, `PBMAC1 (HMAC-SHA256)`. */
  algorithm: string;
  iterations: number;
  saltLength: number;
}

/** Checks the MAC with `password`; returns the password form that passed, or undefined.
 * For an empty password, writers disagree between "00 00" and no bytes at all (OpenSSL
 * tries both), so both are tried and the one that passed is used for decryption too. */
function verifyMac(macData: Asn1, content: Uint8Array, password: string): { info: MacInfo; password: string | null | undefined } {
  const [digestInfo, saltN, iterN] = kids(macData, 'MacData');
  const [algId, digestN] = kids(digestInfo, 'MAC DigestInfo');
  const [algOidN, algParams] = kids(algId, 'MAC algorithm');
  const algOid = oidOf(algOidN, 'MAC algorithm OID');
  const expected = octets(digestN, 'MAC value');
  const matches = (actual: Uint8Array): boolean => actual.length === expected.length && timingSafeEqual(actual, expected);

  if (algOid === OID.pbmac1) {
    // RFC 9579: PBKDF2 over the UTF-8 password; macSalt and iterations in MacData are ignored.
    const [kdf, scheme] = kids(algParams, 'PBMAC1 parameters');
    const [kdfOid, kdfParams] = kids(kdf, 'PBMAC1 key derivation');
    if (oidOf(kdfOid, 'PBMAC1 KDF OID') !== OID.pbkdf2) throw new KeyDeskError('unsupported', 'The file uses a PBMAC1 key derivation other than PBKDF2.');
    const fields = kids(kdfParams, 'PBKDF2 parameters');
    const salt = octets(fields[0], 'PBKDF2 salt');
    const iterations = iterationsOf(fields[1], 'PBKDF2 iterations');
    let keyLength: number | undefined;
    let prf: string = 'sha1';
    for (const f of fields.slice(2)) {
      if (f.type === asn1.Type.INTEGER) keyLength = intOf(f, 'PBKDF2 key length');
      else prf = HMAC_PRFS[oidOf(kids(f, 'PBKDF2 PRF')[0], 'PBKDF2 PRF OID')] ?? unsupportedMac(f);
    }
    const hmacOid = oidOf(kids(scheme, 'PBMAC1 scheme')[0], 'PBMAC1 scheme OID');
    const hmac = HMAC_PRFS[hmacOid];
    if (!hmac) throw new KeyDeskError('unsupported', `The file's integrity check uses PBMAC1 with ${hmacOid}, which is not supported.`);
    if (keyLength === undefined) throw new Corrupt('PBMAC1 without key length');
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, keyLength, prf);
    const ok = matches(createHmac(hmac, key).update(content).digest());
    const usual = prf === hmac && keyLength === createHash(hmac).digest().length;
    const algorithm = usual
      ? `PBMAC1 (HMAC-${hmac.toUpperCase()})`
      : `PBMAC1 (PBKDF2-HMAC-${prf.toUpperCase()}, ${keyLength}-byte key, HMAC-${hmac.toUpperCase()})`;
    return { info: { algorithm, iterations, saltLength: salt.length }, password: ok ? password : undefined };
  }

  const digest = MAC_DIGESTS[algOid];
  if (!digest) throw new KeyDeskError('unsupported', `The file's integrity check uses digest ${algOid}, which is not supported.`);
  const salt = octets(saltN, 'MAC salt');
  const iterations = iterN === undefined ? 1 : iterationsOf(iterN, 'MAC iterations');
  const info = { algorithm: digest.toUpperCase().replace('SHA', 'SHA-'), iterations, saltLength: salt.length };
  const length = createHash(digest).digest().length;
  for (const candidate of password === '' ? ['', null] : [password]) {
    const key = pkcs12Kdf(candidate, salt, 3, iterations, length, digest);
    if (matches(createHmac(digest, key).update(content).digest())) return { info, password: candidate };
  }
  return { info, password: undefined };
}

function unsupportedMac(prf: Asn1): never {
  throw new KeyDeskError('unsupported', `The file's integrity check uses PBMAC1 with PRF ${oidOf(kids(prf, 'PRF')[0], 'PRF OID')}, which is not supported.`);
}

// ---------------------------------------------------------------------------------------
// Reading.

interface Bag {
  /** Order in the file, so entries come out in file order. */
  index: number;
  /** Parsed on first use for a bag read in place (plainBagsOf). */
  readonly node: Asn1;
  /** The certificate of a certificate bag read in place (the usual one: X.509, in a plain
   * OCTET STRING); absent otherwise, and the bag is read from `node`. */
  x509Certificate?: Uint8Array;
  type: string;
  friendlyName?: string;
  localKeyId?: Uint8Array;
  trusted: boolean;
}

interface KeyItem {
  bag: Bag;
  /** Unencrypted PKCS#8; a getter that decrypts on first use under 'when-used'. */
  readonly pkcs8: Uint8Array;
  readonly spki?: Buffer;
}

/** A key item whose decryption (and public key) wait until first asked for. */
function keyItemDecryptedWhenUsed(bag: Bag, decrypt: () => Uint8Array): KeyItem {
  let pkcs8: Uint8Array | undefined;
  let spki: Buffer | null | undefined;
  return {
    bag,
    get pkcs8() {
      return (pkcs8 ??= decrypt());
    },
    get spki() {
      if (spki === undefined) {
        try {
          spki = spkiOfKey(this.pkcs8) ?? null;
        } catch {
          // A key under a password of its own cannot be paired by public key; the
          // listing still shows it, and using it says why it does not open.
          spki = null;
        }
      }
      return spki ?? undefined;
    },
  };
}

interface CertItem {
  bag: Bag;
  der: Uint8Array;
  /** Parsed only when needed (a chain to build, a label to derive): a store of 1,000
   * named signers needs none of it. Undefined when the certificate does not parse. */
  readonly x509: X509Certificate | undefined;
  /** The certificate's public key as SPKI DER; computed only when a key needs pairing
   * by public key (exporting 10,000 of them up front cost seconds). */
  readonly spki: Buffer;
}

interface Unparsed {
  index: number;
  bytes: Uint8Array;
  label?: string;
  /** Used when the item has no friendlyName. */
  fallbackLabel: string;
  reason: string;
  /** How the item is bound to the store's password, when it is. */
  hold?: Hold;
}

function wrongPassword(): KeyDeskError {
  return new KeyDeskError('wrong-password', 'The password is not correct.');
}

/**
 * The MAC does not match: the password is wrong, or the bytes the MAC covers changed (a
 * flipped byte in the MAC or in the encrypted contents). What the password does to the
 * contents tells which, where anything can: an encrypted part that decrypts to
 * SafeContents, or a key that decrypts to a PrivateKeyInfo, shows the password right, so
 * the file is damaged. Otherwise it cannot be told: a wrong password decrypts nothing,
 * and damage in every encrypted part looks the same.
 */
function macMismatch(authSafeBytes: Uint8Array, password: string): KeyDeskError {
  let parts: Asn1[];
  try {
    parts = kids(parse(authSafeBytes, 'AuthenticatedSafe'), 'AuthenticatedSafe');
  } catch {
    // No password changes the structure: it is broken whatever the password.
    return new KeyDeskError('damaged', 'The PKCS#12 file is damaged: its integrity check (MAC) fails and its contents are not well-formed. Get a fresh copy of the file, or export it again.');
  }
  for (const candidate of password === '' ? ['', null] : [password]) {
    if (parts.some((part) => opensWith(part, candidate))) {
      return new KeyDeskError(
        'damaged',
        'The PKCS#12 file is damaged: the password decrypts its contents, but its integrity check (MAC) fails, so bytes changed after it was written. Get a fresh copy of the file, or export it again.',
      );
    }
  }
  return new KeyDeskError(
    'wrong-password',
    'The password is wrong, or the file is damaged: nothing in it decrypts with this password and its integrity check (MAC) fails.',
    'wrong-password-or-damaged',
  );
}

/** Whether `password` demonstrably decrypts this ContentInfo of an AuthenticatedSafe. */
function opensWith(contentInfo: Asn1, password: string | null): boolean {
  try {
    const [typeN, valueN] = kids(contentInfo, 'ContentInfo');
    const type = oidOf(typeN, 'ContentInfo type');
    if (type === OID.encryptedData) {
      const [, encContentInfo] = kids(explicit0(valueN, 'encryptedData'), 'EncryptedData');
      const [, algId, encContent] = kids(encContentInfo, 'EncryptedContentInfo');
      if (!algId || !encContent || !canDecrypt(algId)) return false;
      const ciphertext =
        typeof encContent.value === 'string' ? fromBinary(encContent.value) : Buffer.concat(kids(encContent, 'encrypted content').map((p) => octets(p, 'encrypted content')));
      const bags = kids(parse(pbeDecrypt(algId, ciphertext, password), 'SafeContents'), 'SafeContents');
      // Padding and DER can pass by chance; SafeBags of PKCS#12's bag types (1.2.840.113549.1.12.10.1.n) cannot.
      return bags.length > 0 && bags.every((bag) => readBag(bag, 0).type.startsWith('1.2.840.113549.1.12.10.1.'));
    }
    if (type === OID.data) {
      const bags = kids(parse(octets(explicit0(valueN, 'data content'), 'data content'), 'SafeContents'), 'SafeContents');
      return bags.some((node) => {
        const bag = readBag(node, 0);
        if (bag.type !== OID.shroudedKeyBag) return false;
        const [algId, dataN] = kids(explicit0(kids(node, 'SafeBag')[1], 'bag value'), 'EncryptedPrivateKeyInfo');
        if (!algId || !canDecrypt(algId)) return false;
        try {
          return looksLikePrivateKeyInfo(pbeDecrypt(algId, octets(dataN, 'encrypted key'), password));
        } catch {
          return false;
        }
      });
    }
    return false;
  } catch {
    return false;
  }
}

function readBag(node: Asn1, index: number): Bag {
  const [typeN, , attrsN] = kids(node, 'SafeBag');
  const bag: Bag = { index, node, type: oidOf(typeN, 'bag type'), trusted: false };
  if (attrsN) {
    for (const attr of kids(attrsN, 'bag attributes')) {
      const [idN, valuesN] = kids(attr, 'bag attribute');
      const id = oidOf(idN, 'attribute OID');
      const first = kids(valuesN, 'attribute values')[0];
      if (id === OID.friendlyName) bag.friendlyName = textOf(first);
      else if (id === OID.localKeyId && first?.type === asn1.Type.OCTETSTRING) bag.localKeyId = octets(first, 'localKeyId');
      else if (id === OID.javaTrusted) bag.trusted = true;
    }
  }
  return bag;
}

/**
 * readBag for every bag of a SafeContents, read in place (core/asn1/der-spans.ts) rather
 * than through node-forge's tree, which for 1,000 certificates built ten thousand nodes
 * and copied each certificate twice. Undefined unless the whole SafeContents is plain DER
 * and every bag and attribute has the usual shape; readPfx then reads it from the tree,
 * as it always has. Where this gives bags, node-forge's parse of the same bytes succeeds
 * (plainDerThroughout), so the wrong-password check that parse made holds too.
 */
function plainBagsOf(bytes: Uint8Array): Array<(index: number) => Bag> | undefined {
  const whole = derWhole(bytes);
  if (whole?.tag !== DerTag.SEQUENCE || !plainDerThroughout(bytes, whole)) return undefined;
  const bags: Array<(index: number) => Bag> = [];
  for (const bagSpan of derChildren(bytes, whole)!) {
    if (bagSpan.tag !== DerTag.SEQUENCE) return undefined;
    const [typeSpan, valueSpan, attributesSpan] = derChildren(bytes, bagSpan)!;
    if (typeSpan?.tag !== DerTag.OID || typeSpan.end === typeSpan.body) return undefined;
    const type = derToOid(binaryOf(bytes, typeSpan));
    const found: { friendlyName?: string; localKeyId?: Uint8Array; trusted: boolean } = { trusted: false };
    if (attributesSpan) {
      if (attributesSpan.tag !== DerTag.SET) return undefined;
      for (const attribute of derChildren(bytes, attributesSpan)!) {
        const [idSpan, valuesSpan] = attribute.tag === DerTag.SEQUENCE ? derChildren(bytes, attribute)! : [];
        if (idSpan?.tag !== DerTag.OID || idSpan.end === idSpan.body || valuesSpan?.tag !== DerTag.SET) return undefined;
        const id = derToOid(binaryOf(bytes, idSpan));
        const first = derChildren(bytes, valuesSpan)![0];
        if (id === OID.friendlyName) {
          const text = first && plainText(bytes, first);
          if (text === null) return undefined;
          found.friendlyName = text;
        } else if (id === OID.localKeyId && first && (first.tag & 0x1f) === asn1.Type.OCTETSTRING) {
          if (first.tag !== DerTag.OCTET_STRING) return undefined;
          found.localKeyId = contentsCopy(bytes, first);
        } else if (id === OID.javaTrusted) found.trusted = true;
      }
    }
    let x509Certificate: Uint8Array | undefined;
    if (type === OID.certBag && valueSpan?.tag === 0xa0) {
      const certBag = derChildren(bytes, valueSpan)![0];
      const [certType, certValue] = certBag?.tag === DerTag.SEQUENCE ? derChildren(bytes, certBag)! : [];
      const octetString = certValue?.tag === 0xa0 ? derChildren(bytes, certValue)![0] : undefined;
      if (certType?.tag === DerTag.OID && certType.end > certType.body && octetString?.tag === DerTag.OCTET_STRING && derToOid(binaryOf(bytes, certType)) === OID.x509Certificate) {
        x509Certificate = contentsCopy(bytes, octetString);
      }
    }
    const bagBytes = bytes.subarray(bagSpan.start, bagSpan.end);
    bags.push((index) => {
      let node: Asn1 | undefined;
      return {
        index,
        get node() {
          return (node ??= parseDer(bagBytes));
        },
        type,
        ...found,
        ...(x509Certificate ? { x509Certificate } : {}),
      };
    });
  }
  return bags;
}

/** textOf for a value read in place: undefined where textOf gives undefined, null where
 * only the tree should say (a tag textOf reads by number in another class). */
function plainText(bytes: Uint8Array, value: DerSpan): string | undefined | null {
  switch (value.tag) {
    case asn1.Type.BMPSTRING: {
      let text = '';
      for (let i = value.body; i + 1 < value.end; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return text;
    }
    case asn1.Type.UTF8:
    case asn1.Type.PRINTABLESTRING:
    case asn1.Type.IA5STRING:
      return Buffer.from(bytes.buffer, bytes.byteOffset + value.body, value.end - value.body).toString('utf8');
    default: {
      const number = value.tag & 0x1f;
      const textual = number === asn1.Type.BMPSTRING || number === asn1.Type.UTF8 || number === asn1.Type.PRINTABLESTRING || number === asn1.Type.IA5STRING;
      return textual && (value.tag & 0x20) === 0 ? null : undefined;
    }
  }
}

function spkiOfKey(pkcs8: Uint8Array): Buffer | undefined {
  try {
    return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  } catch {
    // A key type node cannot load can still be linked by localKeyId.
    return undefined;
  }
}


/** A personal entry whose privateKey is read from `key` on first use: a plain data
 * property from then on, so copies (spread, structuredClone) and assignments behave as
 * with any other entry. */
function personalEntry(label: string, key: KeyItem, chain: Uint8Array[]): PersonalEntry {
  const entry = { kind: 'personal', label, chain } as Omit<PersonalEntry, 'privateKey'> as PersonalEntry;
  const settle = (value: Uint8Array): Uint8Array => {
    Object.defineProperty(entry, 'privateKey', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(entry, 'privateKey', {
    get: () => settle(key.pkcs8),
    set: settle,
    enumerable: true,
    configurable: true,
  });
  return entry;
}

function subjectLabelOf(cert: CertItem): string {
  // Only the subject is parsed: an X509Certificate per bag costs more than the whole read.
  try {
    return labelFromSubjectDn(cert.der);
  } catch {
    return 'certificate';
  }
}

function read(bytes: Uint8Array, password: string, options: StoreReadOptions = {}): KeyStore {
  if (!sniff(bytes)) throw new KeyDeskError('not-a-keystore', 'This is not a PKCS#12 file.');
  try {
    return readPfx(bytes, password, options);
  } catch (e) {
    if (isKeyDeskError(e)) throw e;
    const detail = e instanceof Corrupt ? `bad ${e.message}` : e instanceof Error ? e.message : String(e);
    throw new KeyDeskError('damaged', `The PKCS#12 file is damaged or truncated (${detail}).`);
  }
}

function readPfx(bytes: Uint8Array, password: string, options: StoreReadOptions): KeyStore {
  const [versionN, authSafeN, macDataN] = kids(parse(bytes, 'PFX encoding'), 'PFX');
  if (intOf(versionN, 'version') !== 3) throw new Corrupt('version');
  const [ctN, ctValue] = kids(authSafeN, 'authSafe');
  const ct = oidOf(ctN, 'authSafe content type');
  if (ct !== OID.data) {
    throw new KeyDeskError('unsupported', 'The PKCS#12 file uses public-key integrity (signedData), which is not supported; export it with a password instead.');
  }
  const authSafeBytes = octets(explicit0(ctValue, 'authSafe content'), 'authSafe content');

  let effective: string | null = password;
  let mac: MacInfo | undefined;
  if (macDataN) {
    const checked = verifyMac(macDataN, authSafeBytes, password);
    if (checked.password === undefined) throw macMismatch(authSafeBytes, password);
    effective = checked.password;
    mac = checked.info;
  }

  // Whether anything has shown the password right; until something has, keys are
  // decrypted while reading even under 'when-used', or a wrong password would list.
  let passwordConfirmed = mac !== undefined;
  const bags: Bag[] = [];
  const unparsed: Unparsed[] = [];
  let certScheme: SchemeRead | undefined;
  let counter = 0;

  for (const contentInfo of kids(parse(authSafeBytes, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const index = counter++;
    const [typeN, valueN] = kids(contentInfo, 'ContentInfo');
    const type = oidOf(typeN, 'ContentInfo type');
    let safeContents: Uint8Array;
    // Decrypted contents are parsed once, to tell a wrong password, and used as parsed.
    let decrypted: Asn1 | undefined;
    let plain: Array<(index: number) => Bag> | undefined;
    if (type === OID.data) {
      safeContents = octets(explicit0(valueN, 'data content'), 'data content');
      plain = plainBagsOf(safeContents);
    } else if (type === OID.encryptedData) {
      const [, encContentInfo] = kids(explicit0(valueN, 'encryptedData'), 'EncryptedData');
      const [, algId, encContent] = kids(encContentInfo, 'EncryptedContentInfo');
      if (!algId) throw new Corrupt('EncryptedContentInfo');
      const described = describeAlgorithm(algId);
      certScheme ??= described;
      if (!encContent || encContent.tagClass !== asn1.Class.CONTEXT_SPECIFIC) {
        // Allowed by the syntax (content stored elsewhere); nothing here to read.
        unparsed.push({ index, bytes: encodeDer(contentInfo), fallbackLabel: 'encrypted part', reason: 'an encrypted part without content' });
        continue;
      }
      const ciphertext =
        typeof encContent.value === 'string' ? fromBinary(encContent.value) : Buffer.concat(kids(encContent, 'encrypted content').map((p) => octets(p, 'encrypted content')));
      try {
        safeContents = pbeDecrypt(algId, ciphertext, effective);
        passwordConfirmed = true;
      } catch (e) {
        if (isKeyDeskError(e) && e.code === 'unsupported') {
          unparsed.push({
            index,
            bytes: encodeDer(contentInfo),
            fallbackLabel: 'encrypted part',
            reason: `an encrypted part using ${described.name}, which KeyDesk cannot decrypt (nor re-encrypt, so the store's password cannot change while it is there)`,
            hold: { cannot: `an encrypted part using ${described.name}` },
          });
          continue;
        }
        throw e;
      }
      // Bags read in place hold only what the full parse would accept: no second check.
      plain = plainBagsOf(safeContents);
      if (!plain) {
        try {
          decrypted = parseDer(safeContents);
        } catch {
          // Padding can pass by chance with a wrong password; a MAC-verified file cannot get here.
          throw mac ? new Corrupt('encrypted safe contents') : wrongPassword();
        }
      }
    } else {
      const what = type === OID.envelopedData ? 'a part encrypted to a certificate (envelopedData)' : `a part of type ${type}`;
      unparsed.push({ index, bytes: encodeDer(contentInfo), fallbackLabel: 'unreadable part', reason: `${what}, which KeyDesk cannot open` });
      continue;
    }
    if (plain) {
      for (const read of plain) bags.push(read(counter++));
    } else {
      for (const bagNode of kids(decrypted ?? parse(safeContents, 'SafeContents'), 'SafeContents')) {
        bags.push(readBag(bagNode, counter++));
      }
    }
  }

  const keys: KeyItem[] = [];
  const certs: CertItem[] = [];
  let keyScheme: SchemeRead | undefined;
  let plainKeys = false;

  for (const bag of bags) {
    const value = (): Asn1 => explicit0(kids(bag.node, 'SafeBag')[1], 'bag value');
    const keep = (fallbackLabel: string, reason: string, hold?: Hold): void => {
      unparsed.push({ index: bag.index, bytes: encodeDer(bag.node), label: bag.friendlyName, fallbackLabel, reason, hold });
    };
    if (bag.type === OID.keyBag) {
      const pkcs8 = encodeDer(value());
      if (!looksLikePrivateKeyInfo(pkcs8)) throw new Corrupt('key bag');
      plainKeys = true;
      keys.push({ bag, pkcs8, spki: spkiOfKey(pkcs8) });
    } else if (bag.type === OID.shroudedKeyBag) {
      const [algId, dataN] = kids(value(), 'EncryptedPrivateKeyInfo');
      if (!algId) throw new Corrupt('EncryptedPrivateKeyInfo');
      const described = describeAlgorithm(algId);
      keyScheme ??= described;
      if (!canDecrypt(algId)) {
        keep('private key', `a private key encrypted with ${described.name}, which KeyDesk cannot decrypt (nor re-encrypt, so the store's password cannot change while it is there)`, {
          cannot: `a private key encrypted with ${described.name}`,
        });
        continue;
      }
      const ciphertext = octets(dataN, 'encrypted key');
      const decrypt = (): Uint8Array => {
        const pkcs8 = pbeDecrypt(algId, ciphertext, effective);
        // A MAC-verified file whose key does not decrypt has a key with its own password.
        if (!looksLikePrivateKeyInfo(pkcs8)) throw wrongPassword();
        return pkcs8;
      };
      if (options.privateKeys === 'when-used' && passwordConfirmed) {
        keys.push(keyItemDecryptedWhenUsed(bag, decrypt));
      } else {
        const pkcs8 = decrypt();
        keys.push({ bag, pkcs8, spki: spkiOfKey(pkcs8) });
      }
    } else if (bag.type === OID.certBag) {
      const [certTypeN, certValueN] = bag.x509Certificate ? [] : kids(value(), 'CertBag');
      const certType = bag.x509Certificate ? OID.x509Certificate : oidOf(certTypeN, 'certificate type');
      if (certType !== OID.x509Certificate) {
        keep('certificate', certType === OID.sdsiCertificate ? 'an SDSI certificate, which KeyDesk does not interpret' : `a certificate of type ${certType}, which KeyDesk does not interpret`);
        continue;
      }
      const der = bag.x509Certificate ?? octets(explicit0(certValueN, 'certificate value'), 'certificate');
      // Certificate's shape: SEQUENCE { tbsCertificate, signatureAlgorithm, signature }.
      const shape = childTags(der);
      if (shape?.join() !== [0x30, 0x30, 0x03].join()) {
        keep('certificate', 'a certificate that cannot be parsed');
        continue;
      }
      let x509: X509Certificate | null | undefined;
      let spki: Buffer | undefined;
      certs.push({
        bag,
        der,
        get x509() {
          if (x509 === undefined) {
            try {
              x509 = new X509Certificate(der);
            } catch {
              x509 = null;
            }
          }
          return x509 ?? undefined;
        },
        get spki() {
          return (spki ??= this.x509?.publicKey.export({ format: 'der', type: 'spki' }) ?? Buffer.alloc(0));
        },
      });
    } else {
      const name = BAG_NAMES[bag.type];
      keep(
        name ?? 'unknown item',
        name ? `a ${name} bag, which KeyDesk does not interpret` : `a bag of type ${bag.type}, which KeyDesk does not interpret`,
        holdOfKeptBag(bag, effective),
      );
    }
  }

  // Pair each key with its end-entity certificate: localKeyId first, public key second.
  const endEntityBags = new Set<Bag>();
  const personal: Array<{ key: KeyItem; chain: CertItem[] }> = [];
  for (const key of keys) {
    const sameId = key.bag.localKeyId
      ? certs.filter((c) => c.bag.localKeyId && Buffer.compare(c.bag.localKeyId, key.bag.localKeyId!) === 0 && !endEntityBags.has(c.bag))
      : [];
    // One certificate with the key's localKeyId settles it without the key's public key
    // (which a key decrypted when used would have to be decrypted for).
    const sameKey = sameId.length === 1 ? [] : key.spki ? certs.filter((c) => !endEntityBags.has(c.bag) && c.spki.equals(key.spki!)) : [];
    const ee = sameId.length === 1 ? sameId[0] : (sameId.find((c) => sameKey.includes(c)) ?? sameId[0] ?? sameKey.find((c) => !c.bag.localKeyId) ?? sameKey[0]);
    if (!ee) {
      unparsed.push({
        index: key.bag.index,
        bytes: encodeDer(key.bag.node),
        label: key.bag.friendlyName,
        fallbackLabel: 'private key',
        reason: 'a private key without its certificate',
        hold: key.bag.type === OID.shroudedKeyBag ? { open: () => key.pkcs8 } : undefined,
      });
      continue;
    }
    endEntityBags.add(ee.bag);
    const chain = [ee];
    for (let current = ee; ; ) {
      const own = current.x509;
      if (!own || own.checkIssued(own)) break; // self-signed (or unreadable): the chain ends here
      const issuer = certs.find((c) => {
        const candidate = c.x509;
        return candidate !== undefined && !chain.some((m) => Buffer.compare(m.der, c.der) === 0) && own.checkIssued(candidate) && own.verify(candidate.publicKey);
      });
      if (!issuer) break;
      chain.push(issuer);
      current = issuer;
    }
    personal.push({ key, chain });
  }

  // Every certificate bag that is not a key's own certificate is a signer, chain links
  // included: GSKit and iKeyman list a PKCS#12's CA certificates as signers, and an MQ
  // operator must see that the CA is there to be trusted. (keytool shows chain links only
  // inside their PrivateKeyEntry; the writer gives signers Java's trusted attribute, so
  // Java lists them too once KeyDesk has saved the file.)
  const anchored: Array<{ index: number; make: (labels: LabelSet) => Entry }> = [];
  for (const { key, chain } of personal) {
    anchored.push({
      // The earlier of key and certificate, so a file we wrote reads back in entry order.
      index: Math.min(key.bag.index, chain[0]!.bag.index),
      make: (labels) =>
        personalEntry(
          labels.claim(key.bag.friendlyName ?? chain[0]!.bag.friendlyName ?? subjectLabelOf(chain[0]!)),
          key,
          chain.map((c) => c.der),
        ),
    });
  }
  // One signer per certificate: keytool stores a CA both as a trusted entry and as a
  // chain link (named by its DN). The trusted bag's name wins, then the first one seen.
  const signerDers = new Set<string>();
  const signerCandidates = certs.filter((c) => !endEntityBags.has(c.bag)).sort((a, b) => Number(b.bag.trusted) - Number(a.bag.trusted));
  for (const cert of signerCandidates) {
    const id = Buffer.from(cert.der).toString('base64');
    if (signerDers.has(id)) continue;
    signerDers.add(id);
    anchored.push({
      index: cert.bag.index,
      make: (labels) =>
        ({ kind: 'signer', label: labels.claim(cert.bag.friendlyName ?? subjectLabelOf(cert)), certificate: cert.der }) satisfies SignerEntry,
    });
  }
  for (const u of unparsed) {
    anchored.push({
      index: u.index,
      make: (labels) =>
        ({
          kind: 'unknown',
          label: labels.claim(u.label ?? u.fallbackLabel),
          source: u.hold ? holdSource({ format: 'pkcs12', bytes: u.bytes }, password, u.hold) : { format: 'pkcs12', bytes: u.bytes },
          reason: `PKCS#12 holds ${u.reason}; it is kept as is.`,
        }) satisfies UnknownEntry,
    });
  }
  anchored.sort((a, b) => a.index - b.index);
  const entries: Entry[] = [];
  const labels = new LabelSet();
  for (const a of anchored) entries.push(a.make(labels));

  // What the writer needs to write the file again as it came. 'none' is a part that was
  // in the clear; a part absent is one the file had nothing for (no key, no certificate).
  const properties: KeyStore['properties'] = {
    macAlgorithm: mac?.algorithm ?? 'none',
    macIterations: mac?.iterations ?? 0,
    ...(mac ? { macSaltLength: mac.saltLength } : {}),
    ...schemeProperties('key', keyScheme ?? (plainKeys ? 'none' : undefined)),
    ...schemeProperties('cert', certScheme ?? (certs.length > 0 ? 'none' : undefined)),
    iterations: keyScheme?.iterations ?? certScheme?.iterations ?? 0,
  };
  return { format: 'pkcs12', entries, properties };
}

interface SchemeRead {
  name: string;
  iterations: number;
  saltLength: number;
}

function schemeProperties(part: 'key' | 'cert', scheme: SchemeRead | 'none' | undefined): KeyStore['properties'] {
  if (scheme === undefined) return {};
  if (scheme === 'none') return { [`${part}Protection`]: 'none' };
  return { [`${part}Protection`]: scheme.name, [`${part}Iterations`]: scheme.iterations, [`${part}SaltLength`]: scheme.saltLength };
}

/**
 * Whether a bag kept as read is encrypted under the store's password by itself, and how
 * to open it again: Java's PKCS#12 secret keys are secret bags holding an
 * EncryptedPrivateKeyInfo under the password. Anything else kept is in the clear inside
 * its bag and is re-protected with the part it is written into.
 */
function holdOfKeptBag(bag: Bag, password: string | null): Hold | undefined {
  try {
    const value = explicit0(kids(bag.node, 'SafeBag')[1], 'bag value');
    if (bag.type === OID.safeContentsBag) {
      return holdsEncrypted(value, 0) ? { cannot: 'a nested group of bags holding encrypted keys' } : undefined;
    }
    if (bag.type !== OID.secretBag) return undefined;
    const [typeN, secretN] = kids(value, 'SecretBag');
    if (oidOf(typeN, 'secret type') !== OID.shroudedKeyBag) return undefined;
    const [algId, dataN] = kids(shroudedSecret(explicit0(secretN, 'secret value')), 'EncryptedPrivateKeyInfo');
    if (!algId) return undefined;
    if (!canDecrypt(algId)) return { cannot: `a secret key encrypted with ${describeAlgorithm(algId).name}` };
    const ciphertext = octets(dataN, 'encrypted secret');
    return {
      open: () => {
        const plain = pbeDecrypt(algId, ciphertext, password);
        // Padding passes by chance with a wrong password now and then; DER rarely does.
        parseDer(plain);
        return plain;
      },
    };
  } catch (e) {
    // A bag whose inside does not parse is kept as it is; nothing says it is encrypted.
    if (e instanceof Corrupt || (isKeyDeskError(e) && e.code === 'damaged')) return undefined;
    throw e;
  }
}

/** The EncryptedPrivateKeyInfo inside a secret bag's value: Java wraps it in an OCTET STRING. */
function shroudedSecret(value: Asn1): Asn1 {
  return value.type === asn1.Type.OCTETSTRING ? parse(octets(value, 'secret value'), 'secret value') : value;
}

function holdsEncrypted(safeContents: Asn1, depth: number): boolean {
  if (depth > 8) return true;
  return kids(safeContents, 'SafeContents').some((node) => {
    const type = oidOf(kids(node, 'SafeBag')[0], 'bag type');
    if (type === OID.shroudedKeyBag || type === OID.secretBag) return true;
    return type === OID.safeContentsBag && holdsEncrypted(explicit0(kids(node, 'SafeBag')[1], 'bag value'), depth + 1);
  });
}

// ---------------------------------------------------------------------------------------
// Writing.

function attributes(items: Array<[string, Asn1]>): Asn1 {
  return set(items.map(([oid, value]) => seq([oidNode(oid), set([value])])));
}

function safeBag(type: string, value: Asn1, attrs: Array<[string, Asn1]>): Asn1 {
  const fields = [oidNode(type), ctx0(value)];
  if (attrs.length > 0) fields.push(attributes(attrs));
  return seq(fields);
}

function certBag(der: Uint8Array, attrs: Array<[string, Asn1]>): Asn1 {
  return safeBag(OID.certBag, seq([oidNode(OID.x509Certificate), ctx0(octetNode(der))]), attrs);
}

function dataContentInfo(content: Uint8Array): Asn1 {
  return seq([oidNode(OID.data), ctx0(octetNode(content))]);
}

function isContentInfo(node: Asn1): boolean {
  const first = Array.isArray(node.value) ? node.value[0] : undefined;
  return first?.type === asn1.Type.OID && typeof first.value === 'string' && derToOid(first.value).startsWith('1.2.840.113549.1.7.');
}

// ---------------------------------------------------------------------------------------
// Protection on write.

/** How one part is encrypted: a scheme as describeAlgorithm names it, or 'none'. */
interface PartProtection {
  name: string;
  iterations: number;
  saltLength: number;
}

type HmacDigest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

type MacProtection =
  | { kind: 'none' }
  | { kind: 'hmac'; digest: Pkcs12KdfDigest; iterations: number; saltLength: number }
  | { kind: 'pbmac1'; prf: HmacDigest; hmac: HmacDigest; keyLength: number; iterations: number; saltLength: number };

interface Protection {
  key: PartProtection;
  cert: PartProtection;
  mac: MacProtection;
  /** Said only if the part is written: what the file had that KeyDesk cannot write. */
  replaced: { key?: string; cert?: string; mac?: string };
}

const AES_NAME = 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)';
const TRIPLE_DES_NAME = 'pbeWithSHAAnd3-KeyTripleDES-CBC';
const DEFAULT_ITERATIONS = 2048;
const NONE: PartProtection = { name: 'none', iterations: 0, saltLength: 0 };

function preset(kind: 'aes256' | 'legacy-3des', iterations: number): Protection {
  if (kind === 'legacy-3des') {
    const part = { name: TRIPLE_DES_NAME, iterations, saltLength: 8 };
    return { key: part, cert: part, mac: { kind: 'hmac', digest: 'sha1', iterations, saltLength: 8 }, replaced: {} };
  }
  const part = { name: AES_NAME, iterations, saltLength: 16 };
  return { key: part, cert: part, mac: { kind: 'hmac', digest: 'sha256', iterations, saltLength: 16 }, replaced: {} };
}

const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);

function macAsRead(name: string, iterations: number, saltLength: number): MacProtection | undefined {
  if (name === 'none') return { kind: 'none' };
  const digest = Object.values(MAC_DIGESTS).find((d) => d.toUpperCase().replace('SHA', 'SHA-') === name);
  if (digest) return { kind: 'hmac', digest, iterations, saltLength };
  const hmacOf = (text: string | undefined): HmacDigest | undefined => Object.values(HMAC_PRFS).find((d) => d.toUpperCase() === text);
  const usual = /^PBMAC1 \(HMAC-(SHA\d+)\)$/.exec(name);
  if (usual) {
    const hmac = hmacOf(usual[1]);
    return hmac && { kind: 'pbmac1', prf: hmac, hmac, keyLength: createHash(hmac).digest().length, iterations, saltLength };
  }
  const full = /^PBMAC1 \(PBKDF2-HMAC-(SHA\d+), (\d+)-byte key, HMAC-(SHA\d+)\)$/.exec(name);
  const prf = hmacOf(full?.[1]);
  const hmac = hmacOf(full?.[3]);
  return prf && hmac && { kind: 'pbmac1', prf, hmac, keyLength: Number(full![2]), iterations, saltLength };
}

/**
 * The protection to write with: as read from the file (properties), unless options say
 * otherwise. A part the file had nothing for (no key, no certificate) takes after the
 * other part, as the tool that made the file would have. A scheme KeyDesk cannot write
 * becomes OpenSSL 3's, and the writer says so.
 */
function protectionFor(store: KeyStore, options: Pkcs12WriteOptions): Protection {
  if (options.protection !== undefined && options.protection !== 'aes256' && options.protection !== 'legacy-3des') {
    throw new KeyDeskError('usage', `Unknown PKCS#12 protection "${String(options.protection)}".`);
  }
  if (options.iterations !== undefined && (!Number.isSafeInteger(options.iterations) || options.iterations < 1)) {
    throw new KeyDeskError('usage', `The iteration count must be a whole number of at least 1 (got ${options.iterations}).`);
  }
  const p = store.properties;
  if (options.protection !== undefined || typeof p.macAlgorithm !== 'string') {
    return preset(options.protection ?? 'aes256', options.iterations ?? DEFAULT_ITERATIONS);
  }

  const macIterations = positive(p.macIterations);
  const fallbackIterations = positive(p.keyIterations) ?? positive(p.certIterations) ?? positive(p.iterations) ?? macIterations ?? DEFAULT_ITERATIONS;
  const part = (which: 'key' | 'cert'): PartProtection | undefined => {
    const name = p[`${which}Protection`];
    if (typeof name !== 'string') return undefined;
    if (name === 'none') return NONE;
    const iterations = positive(p[`${which}Iterations`]) ?? fallbackIterations;
    return { name, iterations, saltLength: positive(p[`${which}SaltLength`]) ?? (name.startsWith('PBES2') ? 16 : 8) };
  };
  let key = part('key');
  let cert = part('cert');
  // openssl -legacy and IBM's tools pair RC2/3DES certificates with 3DES keys.
  if (!key && cert && cert !== NONE) key = cert.name.startsWith('pbeWithSHAAnd') ? { ...cert, name: TRIPLE_DES_NAME, saltLength: 8 } : cert;
  if (!cert && key && key !== NONE) cert = key;
  key ??= { name: AES_NAME, iterations: fallbackIterations, saltLength: 16 };
  cert ??= { name: AES_NAME, iterations: fallbackIterations, saltLength: 16 };

  const replaced: Protection['replaced'] = {};
  const writable = (which: 'key' | 'cert', want: PartProtection): PartProtection => {
    if (want === NONE || pbeAlgorithmNamed(want.name, want)) return want;
    replaced[which] = want.name;
    const aes = { name: AES_NAME, iterations: want.iterations, saltLength: 16 };
    return pbeAlgorithmNamed(AES_NAME, aes) ? aes : { ...aes, iterations: DEFAULT_ITERATIONS };
  };
  key = writable('key', key);
  cert = writable('cert', cert);
  let mac = macAsRead(p.macAlgorithm, macIterations ?? 1, positive(p.macSaltLength) ?? 8);
  if (!mac) {
    replaced.mac = p.macAlgorithm;
    mac = { kind: 'hmac', digest: 'sha256', iterations: macIterations ?? DEFAULT_ITERATIONS, saltLength: 16 };
  }
  if (options.iterations !== undefined) {
    const n = options.iterations;
    if (key !== NONE) key = { ...key, iterations: n };
    if (cert !== NONE) cert = { ...cert, iterations: n };
    if (mac.kind !== 'none') mac = { ...mac, iterations: n };
  }
  return { key, cert, mac, replaced };
}

function replacementNote(what: string, was: string, now: PartProtection): string {
  const named = now.name === AES_NAME ? `${now.name} (OpenSSL 3's default)` : now.name;
  return `${what} now encrypted with ${named}, ${now.iterations.toLocaleString('en')} iterations: the file used ${was}, which KeyDesk cannot write.`;
}

function macData(authSafe: Uint8Array, password: string, mac: Exclude<MacProtection, { kind: 'none' }>): Asn1 {
  const salt = randomBytes(mac.saltLength);
  // MacData's iterations DEFAULTs to 1, which DER leaves out (as OpenSSL does).
  const iterationsField = (n: number): Asn1[] => (n === 1 ? [] : [intNode(n)]);
  const oidFor = <T extends string>(table: Record<string, T>, value: T): string => Object.entries(table).find(([, v]) => v === value)![0];
  if (mac.kind === 'hmac') {
    const key = pkcs12Kdf(password, salt, 3, mac.iterations, createHash(mac.digest).digest().length, mac.digest);
    const value = createHmac(mac.digest, key).update(authSafe).digest();
    return seq([seq([seq([oidNode(oidFor(MAC_DIGESTS, mac.digest)), nullNode()]), octetNode(value)]), octetNode(salt), ...iterationsField(mac.iterations)]);
  }
  // RFC 9579: PBKDF2 over the UTF-8 password; MacData's own salt and count are unused.
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, mac.iterations, mac.keyLength, mac.prf);
  const value = createHmac(mac.hmac, key).update(authSafe).digest();
  const kdf = seq([oidNode(OID.pbkdf2), seq([octetNode(salt), intNode(mac.iterations), intNode(mac.keyLength), seq([oidNode(oidFor(HMAC_PRFS, mac.prf)), nullNode()])])]);
  const algorithm = seq([oidNode(OID.pbmac1), seq([kdf, seq([oidNode(oidFor(HMAC_PRFS, mac.hmac)), nullNode()])])]);
  return seq([seq([algorithm, octetNode(value)]), octetNode(Buffer.from('NOT USED')), ...iterationsField(1)]);
}

/** A kept bag, encrypted by itself under the old password, encrypted the same way under
 * the new one: a shrouded key bag, or a secret bag holding one (Java's secret keys). */
function reencryptKeptBag(node: Asn1, plain: Uint8Array, password: string): Asn1 {
  const [typeN, valueN, ...attrs] = kids(node, 'SafeBag');
  const reencrypt = (epki: Asn1): Asn1 => {
    const algorithm = pbeAlgorithmLike(kids(epki, 'EncryptedPrivateKeyInfo')[0]!);
    return seq([algorithm, octetNode(pbeEncryptWith(plain, password, algorithm))]);
  };
  const value = explicit0(valueN, 'bag value');
  if (oidOf(typeN, 'bag type') === OID.shroudedKeyBag) return seq([typeN!, ctx0(reencrypt(value)), ...attrs]);
  const [secretType, secretN] = kids(value, 'SecretBag');
  const inner = explicit0(secretN, 'secret value');
  const epki = reencrypt(shroudedSecret(inner));
  const rewrapped = inner.type === asn1.Type.OCTETSTRING ? octetNode(encodeDer(epki)) : epki;
  return seq([typeN!, ctx0(seq([secretType!, ctx0(rewrapped)])), ...attrs]);
}

function write(store: KeyStore, password: string, options: Pkcs12WriteOptions = {}): Uint8Array {
  return writeWithNotes(store, password, options).bytes;
}

function writeWithNotes(store: KeyStore, password: string, options: Pkcs12WriteOptions = {}): WrittenStore {
  const protection = protectionFor(store, options);
  const notes: string[] = [];
  const encryptedAs = (part: PartProtection, plaintext: Uint8Array): { algorithm: Asn1; ciphertext: Uint8Array } => {
    const algorithm = pbeAlgorithmNamed(part.name, part)!;
    return { algorithm, ciphertext: pbeEncryptWith(plaintext, password, algorithm) };
  };

  const keyBags: Asn1[] = [];
  const certBags: Asn1[] = [];
  const foreignContentInfos: Asn1[] = [];
  const usedKeyIds = new Set<string>();
  // Each certificate goes in once: a chain link that is also a signer is written as the
  // signer (with its label and trusted attribute); links shared by several keys, once.
  const written = new Set<string>(store.entries.flatMap((e) => (e.kind === 'signer' ? [Buffer.from(e.certificate).toString('base64')] : [])));

  for (const entry of store.entries) {
    switch (entry.kind) {
      case 'personal': {
        const ee = entry.chain[0];
        if (!ee) throw new KeyDeskError('unsupported', `PKCS#12 cannot hold personal entry "${entry.label}" without a certificate.`);
        // SHA-1 of the certificate is what OpenSSL and keytool use; made unique because
        // two entries may share a certificate and the id is the only link to their keys.
        let keyId = createHash('sha1').update(ee).digest();
        for (let n = 1; usedKeyIds.has(keyId.toString('hex')); n++) keyId = createHash('sha1').update(ee).update(String(n)).digest();
        usedKeyIds.add(keyId.toString('hex'));
        const attrs: Array<[string, Asn1]> = [
          [OID.friendlyName, bmpString(entry.label)],
          [OID.localKeyId, octetNode(keyId)],
        ];
        if (protection.key === NONE) {
          keyBags.push(safeBag(OID.keyBag, parse(entry.privateKey, 'private key'), attrs));
        } else {
          const { algorithm, ciphertext } = encryptedAs(protection.key, entry.privateKey);
          keyBags.push(safeBag(OID.shroudedKeyBag, seq([algorithm, octetNode(ciphertext)]), attrs));
        }
        certBags.push(certBag(ee, attrs));
        for (const issuer of entry.chain.slice(1)) {
          const id = Buffer.from(issuer).toString('base64');
          if (written.has(id)) continue;
          written.add(id);
          certBags.push(certBag(issuer, []));
        }
        break;
      }
      case 'signer':
        certBags.push(
          certBag(entry.certificate, [
            [OID.friendlyName, bmpString(entry.label)],
            [OID.javaTrusted, oidNode(OID.anyExtendedKeyUsage)],
          ]),
        );
        break;
      case 'unknown': {
        if (entry.source.format !== 'pkcs12') {
          throw new KeyDeskError('unsupported', `PKCS#12 cannot hold unknown entry "${entry.label}" read from a ${entry.source.format} file.`);
        }
        let node = parseDer(entry.source.bytes);
        const moving = movingToNewPassword(entry, password);
        if (moving?.cannot) {
          throw cannotReencrypt(entry, moving.cannot, 'Delete it first, or change the password with the tool that made the file.');
        }
        const opened = moving?.opened;
        if (opened) node = reencryptKeptBag(node, opened, password);
        else if (moving && opened === null) notes.push(`"${entry.label}" keeps its own password: it did not open with the store's, so it was not re-encrypted.`);
        // Kept bags go into the encrypted part: what they hold may be secret.
        if (isContentInfo(node)) foreignContentInfos.push(node);
        else certBags.push(node);
        break;
      }
      default:
        throw new KeyDeskError('unsupported', `PKCS#12 cannot hold ${entry.kind} entry "${entry.label}"; export it to a format that can, or remove it first.`);
    }
  }
  if (keyBags.length > 0 && protection.replaced.key) notes.push(replacementNote('Private keys are', protection.replaced.key, protection.key));
  if (certBags.length > 0 && protection.replaced.cert) notes.push(replacementNote('Certificates are', protection.replaced.cert, protection.cert));

  // Laid out as OpenSSL does: certificates in an encrypted part, shrouded keys in a plain one.
  const contentInfos: Asn1[] = [];
  if (certBags.length > 0) {
    const certSafe = encodeDer(seq(certBags));
    if (protection.cert === NONE) {
      contentInfos.push(dataContentInfo(certSafe));
    } else {
      const { algorithm, ciphertext } = encryptedAs(protection.cert, certSafe);
      const encryptedContent = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, toBinary(ciphertext));
      contentInfos.push(seq([oidNode(OID.encryptedData), ctx0(seq([intNode(0), seq([oidNode(OID.data), algorithm, encryptedContent])]))]));
    }
  }
  if (keyBags.length > 0 || certBags.length === 0) contentInfos.push(dataContentInfo(encodeDer(seq(keyBags))));
  contentInfos.push(...foreignContentInfos);
  const authSafe = encodeDer(seq(contentInfos));

  const pfx: Asn1[] = [intNode(3), dataContentInfo(authSafe)];
  if (protection.mac.kind !== 'none') pfx.push(macData(authSafe, password, protection.mac));
  if (protection.replaced.mac) {
    notes.push(`The integrity check is now HMAC-SHA-256 (OpenSSL 3's default): the file used ${protection.replaced.mac}, which KeyDesk cannot write.`);
  }
  return { bytes: encodeDer(seq(pfx)), notes };
}

export const pkcs12Codec: StoreCodec<Pkcs12WriteOptions> = { format: 'pkcs12', sniff, read, write, writeWithNotes };

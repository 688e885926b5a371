/**
 * Making X.509 v3 certificates: self-signed ones (runmqakm -cert -create), and ones a small
 * CA issues for a PKCS#10 request (runmqakm -cert -sign).
 *
 * node-forge builds the ASN.1; node:crypto (OpenSSL) signs. forge's own certificate code
 * signs only with RSA and cannot express ECDSA, which MQ's ECDHE_ECDSA CipherSpecs need.
 * Pieces copied from other DER (a request's subject and key, the CA's subject) go in
 * byte for byte: name matching in chain building compares encodings, and a re-encoding
 * that differed from the CA's own subject would orphan every certificate it issued.
 */
import { constants, createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { nodeNet } from '../lazy-node-modules';
import { domainToASCII } from 'node:url';
import { forge } from '../node-forge-parts';
import { asn1, bytesEqual, derToOid, encodeDer, fromBinary, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import type { SignatureHash } from '../crypto/key-generation';
import { publicKeyMatches } from '../crypto/key-info';
import { describeCertificate, extensionValues, readExtension, subjectAltNamesOf } from './certificate-details';
import { requestedExtensions } from './certification-request-details';
import { nameAttributes } from './distinguished-name';
import { worded } from '../wording';

export type { SignatureHash };
export type CertificateProfile = 'tls' | 'ca';

/** Hashes a signature may use here: SHA-2 as KeyDesk recommends, plus SHA-1 and SHA-224
 * because runmqakm makes them when a script asks (-sig_alg SHA1WithRSA); the caller warns. */
export type SigningHash = SignatureHash | 'sha1' | 'sha224';

/** RFC 5280 section 4.2.1.3 bit positions, under the names runmqakm's -ku takes. */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/** runmqakm's -eku names (its usage text, cli/RUNMQAKM.md §3.6). SSLStepUpApproval is
 * taken as Netscape's Server Gated Crypto ("step-up") purpose, the only OID that name has
 * been used for; GSKit's own mapping is not documented. */
export const EXTENDED_KEY_USAGE_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  SSLStepUpApproval: '2.16.840.1.113730.4.1',
  any: '2.5.29.37.0',
} as const;
export type ExtendedKeyUsageName = keyof typeof EXTENDED_KEY_USAGE_OIDS;

export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  email?: string[];
}

export interface CertificateInput {
  /** An X.501 Name: a forge node (parseDistinguishedName's result) or its DER. */
  subject: Asn1 | Uint8Array;
  /** Absent: self-signed with subjectPrivateKey. */
  issuer?: { name: Asn1 | Uint8Array; privateKey: Uint8Array | KeyHoldingSigner; subjectKeyIdentifier?: Uint8Array };
  /** SubjectPublicKeyInfo DER. */
  subjectPublicKey: Uint8Array;
  /** PKCS#8 DER, or a signer for a key held elsewhere (a PKCS#11 token); required when self-signed. */
  subjectPrivateKey?: Uint8Array | KeyHoldingSigner;
  hash: SigningHash;
  /** RSASSA-PSS rather than PKCS#1 v1.5 (RSA keys only): runmqakm's -sig_alg …WithRSASSAPSS. */
  rsaPss?: boolean;
  /** SHA-1 is signed with only when the caller says so (a script's -sig_alg SHA1WithRSA). */
  allowSha1?: boolean;
  validityDays: number;
  /** Default now; kept to whole seconds, as X.509 times have no fractions. */
  notBefore?: Date;
  /** An unsigned big-endian number; default 16 random bytes. */
  serial?: Uint8Array;
  subjectAltNames?: SubjectAltNames;
  /** tls: end entity for MQ channels (serverAuth and clientAuth, since a queue manager is
   * both). ca: may sign certificates. */
  profile: CertificateProfile;
  /** Only for profile 'ca'. */
  pathLength?: number;
  /** runmqakm -ku: replaces the profile's key usage (kept critical, as RFC 5280 advises). */
  keyUsage?: KeyUsageName[];
  /** runmqakm -eku: replaces the profile's extended key usage. */
  extendedKeyUsage?: ExtendedKeyUsageName[];
}

const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
const OID_EXTENDED_KEY_USAGE = '2.5.29.37';
const OID_SERVER_AUTH = EXTENDED_KEY_USAGE_OIDS.serverAuth;
const OID_CLIENT_AUTH = EXTENDED_KEY_USAGE_OIDS.clientAuth;

const KU = KEY_USAGE_BITS;

const RSA_SIGNATURE_OIDS: Record<SigningHash, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha224: '1.2.840.113549.1.1.14',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_SIGNATURE_OIDS: Record<SigningHash, string> = {
  sha1: '1.2.840.10045.4.1',
  sha224: '1.2.840.10045.4.3.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
const HASH_ALGORITHM_OIDS: Record<SigningHash, string> = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BYTES: Record<SigningHash, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
const HASHES: readonly string[] = Object.keys(RSA_SIGNATURE_OIDS);
const OID_RSASSA_PSS_SIGNATURE = '1.2.840.113549.1.1.10';
const OID_MGF1_MASK = '1.2.840.113549.1.1.8';

function usage(message: string): KeyDeskError {
  return new KeyDeskError('usage', message);
}

// --- small ASN.1 makers -------------------------------------------------------------

function sequence(children: Asn1[]): Asn1 {
  return asn1.create(U, T.SEQUENCE, true, children);
}
function oidNode(oid: string): Asn1 {
  return asn1.create(U, T.OID, false, oidToDer(oid));
}
function octetString(bytes: Uint8Array): Asn1 {
  return asn1.create(U, T.OCTETSTRING, false, toBinary(bytes));
}
function bitString(bytes: Uint8Array, unusedBits = 0): Asn1 {
  return asn1.create(U, T.BITSTRING, false, String.fromCharCode(unusedBits) + toBinary(bytes));
}
function smallInteger(value: number): Asn1 {
  return asn1.create(U, T.INTEGER, false, forge.asn1.integerToDer(value).getBytes());
}

/** A node for DER that came from elsewhere, refused when forge would not write the same
 * bytes back (the input was BER, not DER), since the copy must be exact. */
export function embedDer(value: Asn1 | Uint8Array, what: string): Asn1 {
  if (!(value instanceof Uint8Array)) return value;
  let node: Asn1;
  try {
    node = parseDer(value);
  } catch (e) {
    throw new KeyDeskError('damaged', `${what} is not valid DER: ${(e as Error).message}`);
  }
  if (!bytesEqual(encodeDer(node), value)) throw new KeyDeskError('unsupported', `${what} is not DER-encoded, so it cannot be copied exactly`);
  return node;
}

/** The encoded TLVs inside the constructed value at the start of `der`, byte for byte.
 * forge's parser keeps no offsets, and a signature covers the exact bytes it was made
 * over. `der` must already have passed parseDer. */
function childSlices(der: Uint8Array): Uint8Array[] {
  const header = (at: number): { start: number; end: number } => {
    let p = at + 1;
    if (((der[at] as number) & 0x1f) === 0x1f) while (((der[p++] as number) & 0x80) !== 0);
    let length = der[p++] as number;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (der[p++] as number);
    }
    return { start: p, end: p + length };
  };
  const outer = header(0);
  const slices: Uint8Array[] = [];
  for (let at = outer.start; at < outer.end; ) {
    const { end } = header(at);
    slices.push(der.subarray(at, end));
    at = end;
  }
  return slices;
}

// --- keys and signatures --------------------------------------------------------------

/**
 * A private key that never leaves where it is kept (a PKCS#11 token): the builders encode
 * what is to be signed and hand it to `sign`, so the key is used without being read.
 */
export interface KeyHoldingSigner {
  /** SubjectPublicKeyInfo DER of the key that signs. */
  publicKey: Uint8Array;
  /** The signature over `data` (the DER to be signed, not its hash), as X.509 carries it:
   * PKCS#1 v1.5 or PSS (salt as long as the hash) for RSA, a DER ECDSA-Sig-Value for EC. */
  sign(data: Uint8Array, hash: SigningHash, scheme: 'pkcs1' | 'pss' | 'ecdsa'): Uint8Array;
}

export function isKeyHoldingSigner(key: Uint8Array | KeyHoldingSigner | KeyObject): key is KeyHoldingSigner {
  return !(key instanceof Uint8Array) && typeof (key as KeyHoldingSigner).sign === 'function' && (key as KeyHoldingSigner).publicKey instanceof Uint8Array;
}

function spkiOfCertificateDer(certificate: Uint8Array): Uint8Array {
  return new Uint8Array(new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' }));
}

/** A private key as a node:crypto KeyObject, or the signer that holds one elsewhere. */
export function loadSigningKey(key: Uint8Array | KeyHoldingSigner, what: string): KeyObject | KeyHoldingSigner {
  return isKeyHoldingSigner(key) ? key : loadPrivateKey(key, what);
}

/** Does the signing key belong to the public key? */
export function signingKeyMatches(key: KeyObject | KeyHoldingSigner, publicKey: KeyObject): boolean {
  if (!isKeyHoldingSigner(key)) return keysMatch(key, publicKey);
  const own = loadPublicKey(key.publicKey, 'the public key of the signing key');
  return own.asymmetricKeyType === publicKey.asymmetricKeyType && (bytesEqual(spkiOf(own), spkiOf(publicKey)) || own.equals(publicKey));
}

export function loadPrivateKey(pkcs8: Uint8Array, what: string): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new KeyDeskError('damaged', `${what} is not a readable PKCS#8 private key: ${(e as Error).message}`);
  }
}

export function loadPublicKey(spki: Uint8Array, what: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new KeyDeskError('damaged', `${what} is not a readable public key (SubjectPublicKeyInfo): ${(e as Error).message}`);
  }
}

function spkiOf(key: KeyObject | KeyHoldingSigner): Uint8Array {
  if (isKeyHoldingSigner(key)) return key.publicKey;
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Does the private key belong to the public key? Compared as key material, so a
 * compressed EC point still matches. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const own = createPublicKey(privateKey);
  if (own.asymmetricKeyType !== publicKey.asymmetricKeyType) return false;
  return bytesEqual(spkiOf(own), spkiOf(publicKey)) || own.equals(publicKey);
}

/** RFC 5280 section 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits
 * (without its unused-bits byte), as OpenSSL, GSKit and keytool compute it. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = (parseDer(spki).value as Asn1[])[1];
  if (!bits || bits.type !== T.BITSTRING || typeof bits.value !== 'string') throw new KeyDeskError('damaged', 'the public key has no subjectPublicKey BIT STRING');
  return new Uint8Array(createHash('sha1').update(fromBinary(bits.value).subarray(1)).digest());
}

/** RFC 4055 RSASSA-PSS-params with every field explicit (hash, MGF1 with the same hash,
 * a salt as long as the hash), so no reader has to apply the SHA-1 defaults. */
function pssAlgorithm(hash: SigningHash): Asn1 {
  const hashId = sequence([oidNode(HASH_ALGORITHM_OIDS[hash]), asn1.create(U, T.NULL, false, '')]);
  return sequence([
    oidNode(OID_RSASSA_PSS_SIGNATURE),
    sequence([
      asn1.create(CTX, 0, true, [hashId]),
      asn1.create(CTX, 1, true, [sequence([oidNode(OID_MGF1_MASK), hashId])]),
      asn1.create(CTX, 2, true, [smallInteger(HASH_BYTES[hash])]),
    ]),
  ]);
}

/** The signature AlgorithmIdentifier and the signer for a key. Only RSA (PKCS#1 v1.5 or
 * PSS) and EC (ECDSA) sign here: those are what IBM MQ's CipherSpecs and GSKit accept. */
export function signerFor(
  key: KeyObject | KeyHoldingSigner,
  hash: SigningHash,
  what: string,
  rsaPss = false,
  allowSha1 = false,
): { algorithm: Asn1; sign: (data: Uint8Array) => Uint8Array } {
  if (!HASHES.includes(hash)) throw usage(`the signature hash must be sha224, sha256, sha384 or sha512, not ${String(hash)}`);
  if (hash === 'sha1' && !allowSha1) throw usage(worded('a sha1 signature is made only when asked for by name (-sig_alg SHA1WithRSA); use sha256 or stronger', 'a sha1 signature is made only when asked for by name (SHA1WithRSA); use sha256 or stronger'));
  const held = isKeyHoldingSigner(key) ? key : undefined;
  const type = held ? loadPublicKey(held.publicKey, what).asymmetricKeyType : (key as KeyObject).asymmetricKeyType;
  const local = held ? undefined : (key as KeyObject);
  if (rsaPss && type !== 'rsa') throw usage(`RSASSA-PSS signs with an RSA key; ${what} is ${type === 'ec' ? 'an EC' : `a ${String(type)}`} key`);
  if (type === 'rsa' && rsaPss) {
    return {
      algorithm: pssAlgorithm(hash),
      sign: (data) => (held ? held.sign(data, hash, 'pss') : new Uint8Array(sign(hash, data, { key: local!, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash] }))),
    };
  }
  if (type === 'rsa') {
    // RFC 4055: the RSA PKCS#1 v1.5 identifiers carry explicit NULL parameters.
    return {
      algorithm: sequence([oidNode(RSA_SIGNATURE_OIDS[hash]), asn1.create(U, T.NULL, false, '')]),
      sign: (data) => (held ? held.sign(data, hash, 'pkcs1') : new Uint8Array(sign(hash, data, local!))),
    };
  }
  if (type === 'ec') {
    // RFC 5758: the ECDSA identifiers have no parameters; X.509 wants the DER signature.
    return {
      algorithm: sequence([oidNode(ECDSA_SIGNATURE_OIDS[hash])]),
      sign: (data) => (held ? held.sign(data, hash, 'ecdsa') : new Uint8Array(sign(hash, data, { key: local!, dsaEncoding: 'der' }))),
    };
  }
  throw new KeyDeskError('unsupported', `${what} is a${type === 'ed25519' || type === 'ed448' ? 'n' : ''} ${type ?? 'unknown'} key; KeyDesk signs with RSA or EC keys only`);
}

// --- names and extensions -------------------------------------------------------------

/** IPv4 or IPv6 text as the 4 or 16 bytes of an iPAddress GeneralName. */
function ipBytes(text: string): Uint8Array {
  const family = nodeNet().isIP(text);
  if (family === 4) return new Uint8Array(text.split('.').map(Number));
  if (family !== 6 || text.includes('%')) throw usage(`"${text}" is not an IP address for a subject alternative name (zone indexes such as %eth0 are not allowed)`);
  let head = text;
  const tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    head = text.slice(0, v4.index + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [left = '', right] = head.split('::');
  const before = groups(left);
  const after = right === undefined ? [] : groups(right);
  const all = right === undefined ? [...before, ...tail] : [...before, ...new Array<number>(8 - before.length - after.length - tail.length).fill(0), ...after, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

const DNS_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

function dnsName(text: string): string {
  if (/[^\x00-\x7f]/.test(text)) {
    const ascii = domainToASCII(text);
    throw usage(`the DNS name "${text}" is not ASCII; write it in its xn-- form${ascii ? ` (${ascii})` : ''}`);
  }
  const labels = text.split('.');
  const wildcard = labels[0] === '*' && labels.length > 1;
  const ok = text.length <= 253 && labels.every((label, i) => (i === 0 && wildcard) || DNS_LABEL.test(label));
  if (!ok) throw usage(`"${text}" is not a DNS name for a subject alternative name (letters, digits, hyphens and dots; "*." only as the first label)`);
  return text;
}

function emailAddress(text: string): string {
  if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(text) || text.indexOf('@') !== text.lastIndexOf('@')) {
    throw usage(`"${text}" is not an email address for a subject alternative name (ASCII, one @)`);
  }
  return text;
}

/** The GeneralNames DER of a subjectAltName extension; undefined when there are none. */
export function subjectAltNameValue(names: SubjectAltNames | undefined): Uint8Array | undefined {
  if (!names) return undefined;
  const general: Asn1[] = [
    ...(names.dns ?? []).map((n) => asn1.create(CTX, 2, false, dnsName(n))),
    ...(names.ip ?? []).map((n) => asn1.create(CTX, 7, false, toBinary(ipBytes(n)))),
    ...(names.email ?? []).map((n) => asn1.create(CTX, 1, false, emailAddress(n))),
  ];
  return general.length === 0 ? undefined : encodeDer(sequence(general));
}

export function extensionNode(oid: string, critical: boolean, value: Uint8Array): Asn1 {
  const fields = [oidNode(oid)];
  // DER leaves out a BOOLEAN that equals its DEFAULT (FALSE).
  if (critical) fields.push(asn1.create(U, T.BOOLEAN, false, '\xff'));
  fields.push(octetString(value));
  return sequence(fields);
}

/** The KeyUsage extension value for runmqakm -ku names. */
export function keyUsageExtensionValue(names: readonly KeyUsageName[]): Uint8Array {
  if (names.length === 0) throw usage('a key usage needs at least one purpose');
  return keyUsageValue(names.map((n) => {
    const bit = KEY_USAGE_BITS[n];
    if (bit === undefined) throw usage(`"${String(n)}" is not a key usage; use ${Object.keys(KEY_USAGE_BITS).join(', ')}`);
    return bit;
  }));
}

/** The ExtendedKeyUsage extension value for runmqakm -eku names. */
export function extendedKeyUsageExtensionValue(names: readonly ExtendedKeyUsageName[]): Uint8Array {
  if (names.length === 0) throw usage('an extended key usage needs at least one purpose');
  return encodeDer(sequence(names.map((n) => {
    const oid = EXTENDED_KEY_USAGE_OIDS[n];
    if (oid === undefined) throw usage(`"${String(n)}" is not an extended key usage; use ${Object.keys(EXTENDED_KEY_USAGE_OIDS).join(', ')}`);
    return oidNode(oid);
  })));
}

/** KeyUsage as a DER named-bit BIT STRING: trailing zero bits dropped. */
function keyUsageValue(bits: number[]): Uint8Array {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  return encodeDer(bitString(bytes, 7 - (highest & 7)));
}

/** A Name node after checking its structure; empty names are allowed here and judged by
 * the caller (RFC 5280 lets them stand only with a critical subjectAltName). */
function nameNode(name: Asn1 | Uint8Array, what: string): { node: Asn1; empty: boolean } {
  const node = embedDer(name, what);
  return { node, empty: nameAttributes(node).length === 0 };
}

// --- validity and serial --------------------------------------------------------------

/** RFC 5280 section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function timeNode(date: Date): Asn1 {
  const year = date.getUTCFullYear();
  if (!(year >= 1950 && year <= 9999)) throw usage(`the validity date ${date.toISOString()} cannot be written in a certificate (years 1950 to 9999)`);
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  if (year < 2050) return asn1.create(U, T.UTCTIME, false, `${digits.slice(2)}Z`);
  return asn1.create(U, T.GENERALIZEDTIME, false, `${digits}Z`);
}

/** A positive INTEGER from an unsigned big-endian number, at most 20 octets encoded
 * (RFC 5280 section 4.1.2.2). */
function serialNode(serial: Uint8Array | undefined): Asn1 {
  let bytes: Uint8Array;
  if (serial === undefined) {
    bytes = new Uint8Array(randomBytes(16));
    // Positive without a sign byte, and a full 16 bytes so every serial has one length.
    bytes[0] = ((bytes[0] as number) & 0x7f) || 0x01;
  } else {
    let start = 0;
    while (start < serial.length && serial[start] === 0) start++;
    bytes = serial.subarray(start);
    if (bytes.length === 0) throw usage('the serial number must be positive, not zero');
    if (((bytes[0] as number) & 0x80) !== 0) bytes = new Uint8Array([0, ...bytes]);
    if (bytes.length > 20) throw usage('the serial number is longer than the 20 bytes RFC 5280 allows');
  }
  return asn1.create(U, T.INTEGER, false, toBinary(bytes));
}

// --- assembling -------------------------------------------------------------------------

interface Assembly {
  subject: Asn1 | Uint8Array;
  subjectPublicKey: Uint8Array;
  issuerName: Asn1 | Uint8Array;
  signer: KeyObject | KeyHoldingSigner;
  signerWhat: string;
  authorityKeyIdentifier: Uint8Array;
  /** GeneralNames DER. */
  subjectAltName: Uint8Array | undefined;
  hash: SigningHash;
  rsaPss: boolean;
  allowSha1: boolean;
  validityDays: number;
  notBefore: Date | undefined;
  serial: Uint8Array | undefined;
  profile: CertificateProfile;
  pathLength: number | undefined;
  keyUsage: KeyUsageName[] | undefined;
  extendedKeyUsage: ExtendedKeyUsageName[] | undefined;
}

function assemble(a: Assembly): Uint8Array {
  if (a.profile !== 'tls' && a.profile !== 'ca') throw usage(`the certificate profile must be tls or ca, not ${String(a.profile)}`);
  // 9999 days is GSKit's documented ceiling (the CLI checks -expire the same way); beyond
  // it a date overflows into 'Invalid time value' for requests that do not pass the CLI.
  if (!(Number.isInteger(a.validityDays) && a.validityDays >= 1 && a.validityDays <= 9999)) {
    throw usage(`the validity must be a whole number of days from 1 to 9999, not ${String(a.validityDays)}`);
  }
  if (a.pathLength !== undefined) {
    if (a.profile !== 'ca') throw usage('a path length applies only to CA certificates');
    if (!(Number.isInteger(a.pathLength) && a.pathLength >= 0)) throw usage(`the path length must be a whole number, 0 or more, not ${String(a.pathLength)}`);
  }
  const subject = nameNode(a.subject, 'the subject name');
  const issuer = nameNode(a.issuerName, 'the issuer name');
  if (subject.empty && !a.subjectAltName) throw usage('a certificate with an empty subject needs at least one subject alternative name');
  const subjectKey = loadPublicKey(a.subjectPublicKey, 'the subject public key');
  const spki = embedDer(a.subjectPublicKey, 'the subject public key');
  const signer = signerFor(a.signer, a.hash, a.signerWhat, a.rsaPss, a.allowSha1);

  const start = a.notBefore ?? new Date();
  if (Number.isNaN(start.getTime())) throw usage('the start of the validity is not a date');
  const notBefore = new Date(Math.floor(start.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + a.validityDays * 86_400_000);

  const extensions: Asn1[] = [];
  // -ku and -eku, when given, say exactly what the operator asked for in place of the profile's.
  const keyUsage = a.keyUsage ? keyUsageExtensionValue(a.keyUsage) : undefined;
  const extendedKeyUsage = a.extendedKeyUsage ? extendedKeyUsageExtensionValue(a.extendedKeyUsage) : undefined;
  if (a.profile === 'ca') {
    const constraints = [asn1.create(U, T.BOOLEAN, false, '\xff')];
    if (a.pathLength !== undefined) constraints.push(smallInteger(a.pathLength));
    extensions.push(extensionNode(OID_BASIC_CONSTRAINTS, true, encodeDer(sequence(constraints))));
    extensions.push(extensionNode(OID_KEY_USAGE, true, keyUsage ?? keyUsageValue([KU.digitalSignature, KU.keyCertSign, KU.cRLSign])));
    if (extendedKeyUsage) extensions.push(extensionNode(OID_EXTENDED_KEY_USAGE, false, extendedKeyUsage));
  } else {
    extensions.push(extensionNode(OID_BASIC_CONSTRAINTS, true, encodeDer(sequence([]))));
    // keyEncipherment is RSA key transport (TLS_RSA_* CipherSpecs); an EC key cannot do it,
    // and strict peers reject a certificate that claims it.
    const rsa = subjectKey.asymmetricKeyType === 'rsa';
    extensions.push(extensionNode(OID_KEY_USAGE, true, keyUsage ?? keyUsageValue(rsa ? [KU.digitalSignature, KU.keyEncipherment] : [KU.digitalSignature])));
    extensions.push(extensionNode(OID_EXTENDED_KEY_USAGE, false, extendedKeyUsage ?? encodeDer(sequence([oidNode(OID_SERVER_AUTH), oidNode(OID_CLIENT_AUTH)]))));
  }
  // RFC 5280 section 4.2.1.6: with an empty subject the names are the identity, so critical.
  if (a.subjectAltName) extensions.push(extensionNode(OID_SUBJECT_ALT_NAME, subject.empty, a.subjectAltName));
  extensions.push(extensionNode(OID_SUBJECT_KEY_IDENTIFIER, false, encodeDer(octetString(keyIdentifier(a.subjectPublicKey)))));
  extensions.push(extensionNode(OID_AUTHORITY_KEY_IDENTIFIER, false, encodeDer(sequence([asn1.create(CTX, 0, false, toBinary(a.authorityKeyIdentifier))]))));

  const tbs = sequence([
    asn1.create(CTX, 0, true, [smallInteger(2)]), // v3
    serialNode(a.serial),
    signer.algorithm,
    issuer.node,
    sequence([timeNode(notBefore), timeNode(notAfter)]),
    subject.node,
    spki,
    asn1.create(CTX, 3, true, [sequence(extensions)]),
  ]);
  const signature = signer.sign(encodeDer(tbs));
  return encodeDer(sequence([tbs, signer.algorithm, bitString(signature)]));
}

/**
 * A signed X.509 v3 certificate (DER). Self-signed when `issuer` is absent. Always carries
 * subjectKeyIdentifier and authorityKeyIdentifier; the rest follows `profile`.
 */
export function buildCertificate(input: CertificateInput): Uint8Array {
  let signer: KeyObject | KeyHoldingSigner;
  let signerWhat: string;
  let authorityKeyIdentifier: Uint8Array;
  if (input.issuer) {
    signer = loadSigningKey(input.issuer.privateKey, "the issuer's private key");
    signerWhat = "the issuer's private key";
    authorityKeyIdentifier = input.issuer.subjectKeyIdentifier ?? keyIdentifier(spkiOf(signer));
  } else {
    if (!input.subjectPrivateKey) throw usage('a self-signed certificate needs the subject private key to sign it');
    signer = loadSigningKey(input.subjectPrivateKey, 'the private key');
    signerWhat = 'the private key';
    if (!signingKeyMatches(signer, loadPublicKey(input.subjectPublicKey, 'the subject public key'))) {
      throw usage('the private key does not belong to the subject public key');
    }
    authorityKeyIdentifier = keyIdentifier(input.subjectPublicKey);
  }
  return assemble({
    subject: input.subject,
    subjectPublicKey: input.subjectPublicKey,
    issuerName: input.issuer ? input.issuer.name : input.subject,
    signer,
    signerWhat,
    authorityKeyIdentifier,
    subjectAltName: subjectAltNameValue(input.subjectAltNames),
    hash: input.hash,
    rsaPss: input.rsaPss ?? false,
    allowSha1: input.allowSha1 ?? false,
    validityDays: input.validityDays,
    notBefore: input.notBefore,
    serial: input.serial,
    profile: input.profile,
    pathLength: input.pathLength,
    keyUsage: input.keyUsage,
    extendedKeyUsage: input.extendedKeyUsage,
  });
}

// --- signing requests -----------------------------------------------------------------

/** Signature algorithms a request may be signed with; only checking is done with these,
 * so SHA-1 and SHA-224 are fine: the signature proves possession, not identity. */
const REQUEST_SIGNATURES: Record<string, { hash: string | null; kind: 'rsa' | 'ec' | 'eddsa' }> = {
  '1.2.840.113549.1.1.5': { hash: 'sha1', kind: 'rsa' },
  '1.2.840.113549.1.1.14': { hash: 'sha224', kind: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', kind: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', kind: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', kind: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', kind: 'ec' },
  '1.2.840.10045.4.3.1': { hash: 'sha224', kind: 'ec' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', kind: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', kind: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', kind: 'ec' },
  '1.3.101.112': { hash: null, kind: 'eddsa' },
  '1.3.101.113': { hash: null, kind: 'eddsa' },
};
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function requestMalformed(what: string): KeyDeskError {
  return new KeyDeskError('damaged', `the certification request is malformed: ${what}`);
}

/** RSASSA-PSS parameters (RFC 4055) as node:crypto's verify options; the defaults are
 * SHA-1 and a 20-byte salt. */
function pssOptions(params: Asn1 | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  const fields = params && Array.isArray(params.value) ? params.value : [];
  const oidIn = (n: Asn1 | undefined) => (n && Array.isArray(n.value) && n.value[0] && typeof n.value[0].value === 'string' ? derToOid(n.value[0].value) : '');
  for (const field of fields) {
    const inner = Array.isArray(field.value) ? field.value[0] : undefined;
    if (field.type === 0) hash = HASH_OIDS[oidIn(inner)] ?? '?';
    else if (field.type === 1) {
      if (oidIn(inner) !== OID_MGF1) mgfHash = '?';
      else mgfHash = HASH_OIDS[oidIn(Array.isArray(inner?.value) ? inner.value[1] : undefined)] ?? '?';
    } else if (field.type === 2 && inner && typeof inner.value === 'string') saltLength = parseInt(Buffer.from(fromBinary(inner.value)).toString('hex') || '0', 16);
  }
  // node:crypto's PSS uses MGF1 with the message hash; a request mixing the two cannot be
  // checked here.
  if (hash === '?' || mgfHash !== hash) throw new KeyDeskError('unsupported', 'the request is signed with RSASSA-PSS parameters KeyDesk cannot check');
  return { hash, saltLength };
}

interface ParsedRequest {
  subject: Uint8Array;
  subjectPublicKey: Uint8Array;
  /** GeneralNames DER from the extensionRequest attribute, if it asks for SANs. */
  subjectAltName: Uint8Array | undefined;
}

/** Reads a PKCS#10 request and checks that it was signed by the key it carries. */
function readVerifiedRequest(csrDer: Uint8Array): ParsedRequest {
  let root: Asn1;
  try {
    root = parseDer(csrDer);
  } catch (e) {
    throw new KeyDeskError('damaged', `the certification request is not valid DER: ${(e as Error).message}`);
  }
  const [infoNode, algorithmNode, signatureNode] = Array.isArray(root.value) ? root.value : [];
  const info = infoNode && Array.isArray(infoNode.value) ? infoNode.value : undefined;
  if (!info || info.length < 3 || !algorithmNode || !Array.isArray(algorithmNode.value) || signatureNode?.type !== T.BITSTRING) {
    throw requestMalformed('it is not a CertificationRequest SEQUENCE');
  }
  const [infoDer] = childSlices(csrDer) as [Uint8Array];
  const [, subject, subjectPublicKey] = childSlices(infoDer) as [Uint8Array, Uint8Array, Uint8Array];

  const [oidField, params] = algorithmNode.value as Asn1[];
  if (oidField?.type !== T.OID || typeof oidField.value !== 'string') throw requestMalformed('the signature algorithm is not an OID');
  const algorithmOid = derToOid(oidField.value);
  const signatureBits = fromBinary(signatureNode.value as string);
  if (signatureBits[0] !== 0) throw requestMalformed('the signature BIT STRING has unused bits');
  const signature = signatureBits.subarray(1);

  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(subjectPublicKey), format: 'der', type: 'spki' });
  } catch (e) {
    throw new KeyDeskError('unsupported', `the request's public key cannot be read: ${(e as Error).message}`);
  }
  let verified: boolean;
  try {
    if (algorithmOid === OID_RSASSA_PSS) {
      const { hash, saltLength } = pssOptions(params);
      verified = verify(hash, infoDer, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
    } else {
      const known = REQUEST_SIGNATURES[algorithmOid];
      if (!known) throw new KeyDeskError('unsupported', `the request is signed with algorithm ${algorithmOid}, which KeyDesk cannot check`);
      verified = verify(known.hash, infoDer, known.kind === 'ec' ? { key, dsaEncoding: 'der' } : key, signature);
    }
  } catch (e) {
    if (e instanceof KeyDeskError) throw e;
    // OpenSSL throws, rather than answering false, for a key that does not fit the
    // algorithm: for the operator that is the same as a bad signature.
    verified = false;
  }
  if (!verified) {
    throw new KeyDeskError('damaged', "the request's signature does not verify with its own public key: the request was changed after it was signed, or is damaged");
  }

  const attributes = info.slice(3).find((n) => n.tagClass === CTX && n.type === 0);
  const extensions = extensionValues(requestedExtensions(attributes));
  const subjectAltName = readExtension(extensions, OID_SUBJECT_ALT_NAME, (value) => {
    subjectAltNamesOf(value); // throws when the GeneralNames are malformed
    return value;
  });
  return { subject, subjectPublicKey, subjectAltName };
}

/** The CA certificate's subject (exact bytes), SPKI and subjectKeyIdentifier extension. */
function caParts(certificate: Uint8Array): { subject: Uint8Array; spki: Uint8Array; ski: Uint8Array | undefined } {
  const [tbs] = childSlices(certificate) as [Uint8Array];
  const fields = childSlices(tbs);
  const offset = fields[0]?.[0] === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const subject = fields[offset + 4] as Uint8Array;
  const spki = fields[offset + 5] as Uint8Array;
  const extensionsField = fields.slice(offset + 6).find((f) => f[0] === 0xa3);
  const extensions = extensionValues(extensionsField ? (parseDer(extensionsField).value as Asn1[])[0] : undefined);
  const ski = readExtension(extensions, OID_SUBJECT_KEY_IDENTIFIER, (value) => {
    const node = parseDer(value);
    if (node.type !== T.OCTETSTRING || typeof node.value !== 'string') throw new Error('not an OCTET STRING');
    return fromBinary(node.value);
  });
  return { subject, spki, ski };
}

export interface SignRequestOptions {
  validityDays: number;
  /** Default: the hash of the CA certificate's own signature (SHA-256 when that is
   * something else, such as SHA-1). */
  hash?: SigningHash;
  rsaPss?: boolean;
  allowSha1?: boolean;
  /** Default 'tls'. */
  profile?: CertificateProfile;
  serial?: Uint8Array;
  /** In place of the profile's, as in CertificateInput. */
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: ExtendedKeyUsageName[];
}

/**
 * Acting as a small CA: issue a certificate (DER) for a PKCS#10 request. The request's
 * subject, public key and requested subjectAltName are copied; any other extensions it
 * asks for are not, since the profile decides what the certificate may be used for.
 */
export function signCertificationRequest(csrDer: Uint8Array, ca: { certificate: Uint8Array; privateKey: Uint8Array | KeyHoldingSigner }, options: SignRequestOptions): Uint8Array {
  const request = readVerifiedRequest(csrDer);

  const details = describeCertificate(ca.certificate);
  const caName = details.subject || '(empty subject)';
  if (!details.basicConstraints?.ca) {
    throw usage(`the certificate ${caName} is not a CA certificate (its basicConstraints do not say CA:true), so it cannot sign requests`);
  }
  if (details.keyUsage.length > 0 && !details.keyUsage.includes('keyCertSign')) {
    throw usage(`the CA certificate ${caName} has a key usage without keyCertSign, so it cannot sign certificates`);
  }
  const profile = options.profile ?? 'tls';
  if (profile === 'ca' && details.basicConstraints.pathLength === 0) {
    throw usage(`the CA certificate ${caName} has path length 0, so it may not issue CA certificates`);
  }
  const held = isKeyHoldingSigner(ca.privateKey) ? ca.privateKey : undefined;
  if (held ? !signingKeyMatches(held, loadPublicKey(spkiOfCertificateDer(ca.certificate), 'the CA certificate')) : !publicKeyMatches(ca.privateKey as Uint8Array, ca.certificate)) {
    throw usage(`the private key does not belong to the CA certificate ${caName}`);
  }
  const signer = held ?? loadPrivateKey(ca.privateKey as Uint8Array, "the CA's private key");
  const parts = caParts(ca.certificate);
  const ownHash = /^SHA(256|384|512)with/i.exec(details.signatureAlgorithm)?.[1];
  const hash = options.hash ?? (ownHash ? (`sha${ownHash}` as SigningHash) : 'sha256');

  // Nothing an expired CA issues will ever verify; better said now than at the handshake.
  if (Date.parse(details.notAfter) < Date.now()) throw usage(`the CA certificate ${caName} expired on ${details.notAfter}`);

  return assemble({
    subject: request.subject,
    subjectPublicKey: request.subjectPublicKey,
    issuerName: parts.subject,
    signer,
    signerWhat: "the CA's private key",
    authorityKeyIdentifier: parts.ski ?? keyIdentifier(parts.spki),
    subjectAltName: request.subjectAltName,
    hash,
    rsaPss: options.rsaPss ?? false,
    allowSha1: options.allowSha1 ?? false,
    validityDays: options.validityDays,
    notBefore: undefined,
    serial: options.serial,
    profile,
    pathLength: undefined,
    keyUsage: options.keyUsage,
    extendedKeyUsage: options.extendedKeyUsage,
  });
}

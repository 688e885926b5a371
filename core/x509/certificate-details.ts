/**
 * The facts about a certificate that KeyDesk shows: the fields `openssl x509 -text` and
 * `keytool -printcert` print, in the spellings MQ operators already know.
 *
 * The structure is read with node-forge's ASN.1 parser rather than
 * forge.pki.certificateFromAsn1, which only understands RSA keys. node:crypto
 * (OpenSSL) does what needs cryptography: fingerprints, key details, signature checks.
 */
import { X509Certificate, constants, createHash, publicDecrypt, type KeyObject } from 'node:crypto';
import { asn1, bytesEqual, derToOid, encodeDer, fromBinary, parseDer, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { describePublicKey } from '../crypto/key-info';
import { formatDistinguishedName, formatNameAt } from './distinguished-name';
import { binaryOf, contentsCopy, derChildren, derWhole, DerTag, plainDerThroughout, type DerSpan } from '../asn1/der-spans';

export interface CertificateDetails {
  /** RFC 4514, as `openssl x509 -nameopt RFC2253` prints it (see distinguished-name.ts). */
  subject: string;
  issuer: string;
  /** Lowercase hex, no colons, without the DER sign byte. */
  serial: string;
  /** ISO 8601 UTC, 'YYYY-MM-DDTHH:MM:SSZ'. */
  notBefore: string;
  notAfter: string;
  /** Lowercase hex of the hash of the whole DER, no colons. */
  sha1: string;
  sha256: string;
  keyAlgorithm: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | string;
  /** Bits: modulus for RSA and DSA, field size for EC. */
  keySize?: number;
  /** 'P-256', 'P-384', 'P-521', or OpenSSL's name (or the OID) for other curves. */
  curve?: string;
  /** Java names, as keytool prints them: 'SHA256withRSA', 'SHA384withECDSA', 'RSASSA-PSS',
   * 'Ed25519'; the dotted OID for algorithms without one. */
  signatureAlgorithm: string;
  /** As OpenSSL prints them, except 'IP:' for its 'IP Address:' and IPv6 in RFC 5952 form:
   * 'DNS:host', 'IP:1.2.3.4', 'email:a@b', 'URI:…', 'DirName:<RFC 4514>', 'RID:1.2.3'. */
  subjectAltNames: string[];
  /** RFC 5280 bit names: 'digitalSignature', 'keyEncipherment', 'keyCertSign', … */
  keyUsage: string[];
  /** OpenSSL's short names ('serverAuth', 'clientAuth', …), else the dotted OID. */
  extendedKeyUsage: string[];
  /** Absent when the certificate has no basicConstraints extension. */
  basicConstraints?: { ca: boolean; pathLength?: number };
  /** Subject and issuer are the same Name and the signature verifies with the
   * certificate's own key — or, where OpenSSL cannot check that signature at all (see
   * selfSignatureNotCheckable), the key identifiers present agree and the signature opens
   * with the certificate's own key. */
  selfSigned: boolean;
  /** The digest ('MD2', 'MD4') of a self-signed certificate whose own signature OpenSSL 3
   * cannot check: it computes neither any more. Old GSKit databases ship VeriSign's MD2
   * roots; a trust anchor's own signature is never checked in a handshake, so they are
   * roots all the same. */
  selfSignatureNotCheckable?: string;
  /** 1, 2 or 3, as people count X.509 versions (the DER holds one less). */
  version: number;
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'MD2withRSA',
  '1.2.840.113549.1.1.3': 'MD4withRSA',
  '1.2.840.113549.1.1.4': 'MD5withRSA',
  '1.2.840.113549.1.1.5': 'SHA1withRSA',
  '1.3.14.3.2.29': 'SHA1withRSA',
  '1.2.840.113549.1.1.14': 'SHA224withRSA',
  '1.2.840.113549.1.1.11': 'SHA256withRSA',
  '1.2.840.113549.1.1.12': 'SHA384withRSA',
  '1.2.840.113549.1.1.13': 'SHA512withRSA',
  '1.2.840.113549.1.1.15': 'SHA512/224withRSA',
  '1.2.840.113549.1.1.16': 'SHA512/256withRSA',
  '2.16.840.1.101.3.4.3.13': 'SHA3-224withRSA',
  '2.16.840.1.101.3.4.3.14': 'SHA3-256withRSA',
  '2.16.840.1.101.3.4.3.15': 'SHA3-384withRSA',
  '2.16.840.1.101.3.4.3.16': 'SHA3-512withRSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.1': 'SHA1withECDSA',
  '1.2.840.10045.4.3.1': 'SHA224withECDSA',
  '1.2.840.10045.4.3.2': 'SHA256withECDSA',
  '1.2.840.10045.4.3.3': 'SHA384withECDSA',
  '1.2.840.10045.4.3.4': 'SHA512withECDSA',
  '2.16.840.1.101.3.4.3.9': 'SHA3-224withECDSA',
  '2.16.840.1.101.3.4.3.10': 'SHA3-256withECDSA',
  '2.16.840.1.101.3.4.3.11': 'SHA3-384withECDSA',
  '2.16.840.1.101.3.4.3.12': 'SHA3-512withECDSA',
  '1.2.840.10040.4.3': 'SHA1withDSA',
  '2.16.840.1.101.3.4.3.1': 'SHA224withDSA',
  '2.16.840.1.101.3.4.3.2': 'SHA256withDSA',
  '2.16.840.1.101.3.4.3.3': 'SHA384withDSA',
  '2.16.840.1.101.3.4.3.4': 'SHA512withDSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.5': 'ipsecEndSystem',
  '1.3.6.1.5.5.7.3.6': 'ipsecTunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsecUser',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.5.5.7.3.17': 'ipsecIKE',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.2.1.21': 'msCodeInd',
  '1.3.6.1.4.1.311.2.1.22': 'msCodeCom',
  '1.3.6.1.4.1.311.10.3.1': 'msCTLSign',
  '1.3.6.1.4.1.311.10.3.3': 'msSGC',
  '1.3.6.1.4.1.311.10.3.4': 'msEFS',
  '1.3.6.1.4.1.311.20.2.2': 'msSmartcardLogin',
  '2.16.840.1.113730.4.1': 'nsSGC',
};

const OTHER_NAME_TYPES: Record<string, string> = {
  '1.3.6.1.4.1.311.20.2.3': 'UPN',
};

const EXT_SUBJECT_ALT_NAME = '2.5.29.17';
const EXT_KEY_USAGE = '2.5.29.15';
const EXT_EXTENDED_KEY_USAGE = '2.5.29.37';
const EXT_BASIC_CONSTRAINTS = '2.5.29.19';
const EXT_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
const EXT_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';

/** RSA signature algorithms whose digest OpenSSL 3 no longer computes, with that digest's
 * OID as a PKCS#1 DigestInfo names it. */
const UNCHECKABLE_DIGESTS: Record<string, { name: string; digestOid: string }> = {
  '1.2.840.113549.1.1.2': { name: 'MD2', digestOid: '1.2.840.113549.2.2' },
  '1.2.840.113549.1.1.3': { name: 'MD4', digestOid: '1.2.840.113549.2.4' },
};

const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;

/** A structure error in something DER-valid. Callers that know what they were reading
 * (a certificate, a request) catch it and say so. */
export class Malformed extends KeyDeskError {
  constructor(what: string) {
    super('damaged', what);
  }
}

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !node.constructed || !Array.isArray(node.value)) throw new Malformed(`${what} is not a constructed value`);
  return node.value;
}

function expectUniversal(node: Asn1 | undefined, type: number, what: string): Asn1 {
  if (!node || node.tagClass !== U || node.type !== type) throw new Malformed(`${what} has the wrong type`);
  return node;
}

function rawValue(node: Asn1, what: string): string {
  if (typeof node.value !== 'string') throw new Malformed(`${what} is not a primitive value`);
  return node.value;
}

function oidOf(node: Asn1 | undefined, what: string): string {
  return derToOid(rawValue(expectUniversal(node, asn1.Type.OID, what), what));
}

/** A DER INTEGER as a number; the ones read here (version, pathLen) are small. */
function smallInteger(node: Asn1 | undefined, what: string): number {
  const bytes = fromBinary(rawValue(expectUniversal(node, asn1.Type.INTEGER, what), what));
  if (bytes.length === 0) throw new Malformed(`${what} is empty`);
  let value = BigInt.asIntN(bytes.length * 8, BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) value = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Leading zero bytes dropped (the sign byte DER adds before a high bit, and any a sloppy
 * issuer added), as OpenSSL and keytool print serials. A negative serial, which RFC 5280
 * forbids but old CAs made, is left as its two's-complement bytes. */
function serialHex(node: Asn1 | undefined): string {
  const bytes = fromBinary(rawValue(expectUniversal(node, asn1.Type.INTEGER, 'serialNumber'), 'serialNumber'));
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return hex(bytes.subarray(start)) || '00';
}

/** UTCTime or GeneralizedTime as 'YYYY-MM-DDTHH:MM:SSZ'. RFC 5280 allows only the
 * Z-terminated forms with seconds; offsets and fractions are still read, because old
 * certificates carry them and refusing the whole certificate over it helps no one. */
export function x509TimeToIso(node: Asn1): string {
  return timeTextToIso(node.type, rawValue(node, 'a validity time'));
}

/** x509TimeToIso of a time's universal type number and text. */
function timeTextToIso(type: number, text: string): string {
  return commonTimeToIso(type, text) ?? anyTimeToIso(type, text);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The forms RFC 5280 allows ('YYMMDDHHMMSSZ', 'YYYYMMDDHHMMSSZ') read digit by digit, as
 * anyTimeToIso would read them: a listing reads two for each of thousands of certificates.
 * Undefined for any other form, or a date anyTimeToIso would refuse, which it then words. */
function commonTimeToIso(type: number, text: string): string | undefined {
  const yearDigits = type === asn1.Type.UTCTIME ? 2 : type === asn1.Type.GENERALIZEDTIME ? 4 : 0;
  if (yearDigits === 0 || text.length !== yearDigits + 11 || text.charCodeAt(text.length - 1) !== 0x5a) return undefined;
  const digits = (from: number, count: number): number => {
    let value = 0;
    for (let i = from; i < from + count; i++) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return NaN;
      value = value * 10 + d;
    }
    return value;
  };
  let year = digits(0, yearDigits);
  if (yearDigits === 2) year += year >= 50 ? 1900 : 2000; // RFC 5280 4.1.2.5.1
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((at) => digits(yearDigits + at, 2)) as [number, number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // NaN fails every comparison below; Date would roll these over, which anyTimeToIso refuses.
  if (!(monthDays !== undefined && day >= 1 && day <= monthDays && hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`;
}

/** Every form a certificate's time may take; exported as the reference for the test that
 * commonTimeToIso agrees with it. */
export function anyTimeToIso(type: number, text: string): string {
  let match: RegExpExecArray | null;
  let year: number;
  if (type === asn1.Type.UTCTIME) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})$/.exec(text);
    if (!match) throw new Malformed(`UTCTime "${text}" is not a time`);
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 4.1.2.5.1
  } else if (type === asn1.Type.GENERALIZEDTIME) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?([.,]\d+)?(Z|[+-]\d{4})?$/.exec(text);
    if (!match) throw new Malformed(`GeneralizedTime "${text}" is not a time`);
    year = Number(match[1]);
  } else {
    throw new Malformed('a validity time is neither UTCTime nor GeneralizedTime');
  }
  const [, , month, day, hour, minute = '00', second = '00', , zone = 'Z'] = match;
  const date = new Date(0);
  date.setUTCFullYear(year, Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  // Date rolls 31 February over into March; a rolled-over field means a corrupt time.
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || date.getUTCHours() !== Number(hour) || date.getUTCMinutes() !== Number(minute) || date.getUTCSeconds() !== Number(second)) {
    throw new Malformed(`"${text}" is not a valid date`);
  }
  if (zone !== 'Z') {
    const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * (zone[0] === '-' ? -1 : 1);
    date.setTime(date.getTime() - offset * 60_000);
  }
  const iso = date.toISOString(); // 'YYYY-MM-DDTHH:MM:SS.sssZ'
  return `${iso.slice(0, 19)}Z`;
}

/** The Java name of a signature AlgorithmIdentifier, or its dotted OID. */
export function signatureAlgorithmName(algorithmIdentifier: Asn1): string {
  const oid = oidOf(children(algorithmIdentifier, 'the signature algorithm')[0], 'the signature algorithm');
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups
 * (the first, on a tie) written as '::'. */
function ipv6Text(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return text(groups);
  return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLength))}`;
}

function stringValue(node: Asn1): string | undefined {
  if (node.tagClass !== U || typeof node.value !== 'string') return undefined;
  if (node.type === asn1.Type.UTF8) return Buffer.from(fromBinary(node.value)).toString('utf8');
  if (node.type === asn1.Type.IA5STRING || node.type === asn1.Type.PRINTABLESTRING) return node.value;
  if (node.type === asn1.Type.BMPSTRING) return node.value;
  return undefined;
}

/** One GeneralName (RFC 5280 4.2.1.6) in OpenSSL's `TYPE:value` style. */
export function formatGeneralName(name: Asn1): string {
  if (name.tagClass !== CTX) throw new Malformed('a GeneralName is not context-tagged');
  const primitive = () => rawValue(name, 'a GeneralName');
  const dump = () => `#${hex(encodeDer(name))}`;
  switch (name.type as number) {
    case 0: {
      // otherName: SEQUENCE { type-id OID, [0] EXPLICIT value } with its tag made implicit.
      const [typeId, wrapped] = children(name, 'an otherName');
      const oid = oidOf(typeId, 'an otherName type');
      const inner = wrapped && Array.isArray(wrapped.value) ? wrapped.value[0] : undefined;
      const text = inner ? stringValue(inner) : undefined;
      return `othername:${OTHER_NAME_TYPES[oid] ?? oid}:${text ?? (inner ? `#${hex(encodeDer(inner))}` : '')}`;
    }
    case 1:
      return `email:${primitive()}`;
    case 2:
      return `DNS:${primitive()}`;
    case 3:
      return `X400Name:${dump()}`;
    case 4: {
      const [dn] = children(name, 'a directoryName');
      if (!dn) throw new Malformed('a directoryName is empty');
      return `DirName:${formatDistinguishedName(dn)}`;
    }
    case 5:
      return `EdiPartyName:${dump()}`;
    case 6:
      return `URI:${primitive()}`;
    case 7: {
      const bytes = fromBinary(primitive());
      if (bytes.length === 4) return `IP:${Array.from(bytes).join('.')}`;
      if (bytes.length === 16) return `IP:${ipv6Text(bytes)}`;
      return `IP:<invalid>`;
    }
    case 8:
      return `RID:${derToOid(primitive())}`;
    default:
      return `unknown:${dump()}`;
  }
}

/** 'tree' reads extensions by node-forge's parse alone: the reference the test of the
 * in-place readers compares with. */
type ExtensionReading = 'either' | 'tree';

/**
 * An extension value read in place by `plain` where it is plain DER throughout and `plain`
 * knows every part of it, else by `tree` from node-forge's parse (which words any error).
 * The extensions every listed certificate carries are read the first way.
 */
function plainOrTree<T>(value: Uint8Array, plain: (bytes: Uint8Array, whole: DerSpan) => T | undefined, tree: (value: Uint8Array) => T, how: ExtensionReading): T {
  if (how === 'tree') return tree(value);
  const whole = derWhole(value);
  const read = whole && plainDerThroughout(value, whole) ? plain(value, whole) : undefined;
  return read !== undefined ? read : tree(value);
}

/** formatGeneralName for the kinds certificates carry, read in place; undefined for the rest. */
function plainGeneralName(bytes: Uint8Array, name: DerSpan): string | undefined {
  switch (name.tag) {
    case 0x81:
      return `email:${binaryOf(bytes, name)}`;
    case 0x82:
      return `DNS:${binaryOf(bytes, name)}`;
    case 0x86:
      return `URI:${binaryOf(bytes, name)}`;
    case 0x87: {
      const address = bytes.subarray(name.body, name.end);
      if (address.length === 4) return `IP:${Array.from(address).join('.')}`;
      if (address.length === 16) return `IP:${ipv6Text(address)}`;
      return `IP:<invalid>`;
    }
    case 0xa4: {
      const [dn] = derChildren(bytes, name)!;
      const text = dn && formatNameAt(bytes, dn);
      return text === undefined ? undefined : `DirName:${text}`;
    }
    default:
      return undefined;
  }
}

/** The text of each name in a GeneralNames extension value (DER). */
export function subjectAltNamesOf(extensionValue: Uint8Array, how: ExtensionReading = 'either'): string[] {
  return plainOrTree(
    extensionValue,
    (bytes, whole) => {
      if (whole.tag !== DerTag.SEQUENCE) return undefined;
      const names: string[] = [];
      for (const name of derChildren(bytes, whole)!) {
        const text = plainGeneralName(bytes, name);
        if (text === undefined) return undefined;
        names.push(text);
      }
      return names;
    },
    (value) => children(parseDer(value), 'subjectAltName').map(formatGeneralName),
    how,
  );
}

function keyUsageOf(extensionValue: Uint8Array, how: ExtensionReading = 'either'): string[] {
  const named = (bits: Uint8Array) => KEY_USAGE_BITS.filter((_, i) => (((bits[1 + (i >> 3)] ?? 0) << (i & 7)) & 0x80) !== 0);
  return plainOrTree(
    extensionValue,
    (bytes, whole) => (whole.tag === DerTag.BIT_STRING ? named(bytes.subarray(whole.body, whole.end)) : undefined),
    // The first content byte counts the unused bits at the end; named bits start after it.
    (value) => named(fromBinary(rawValue(expectUniversal(parseDer(value), asn1.Type.BITSTRING, 'keyUsage'), 'keyUsage'))),
    how,
  );
}

function extendedKeyUsageOf(extensionValue: Uint8Array, how: ExtensionReading = 'either'): string[] {
  const named = (oid: string) => EXTENDED_KEY_USAGES[oid] ?? oid;
  return plainOrTree(
    extensionValue,
    (bytes, whole) => {
      if (whole.tag !== DerTag.SEQUENCE) return undefined;
      const purposes = derChildren(bytes, whole)!;
      return purposes.every((p) => p.tag === DerTag.OID && p.end > p.body) ? purposes.map((p) => named(derToOid(binaryOf(bytes, p)))) : undefined;
    },
    (value) => children(parseDer(value), 'extendedKeyUsage').map((node) => named(oidOf(node, 'a key purpose'))),
    how,
  );
}

function basicConstraintsOf(extensionValue: Uint8Array, how: ExtensionReading = 'either'): { ca: boolean; pathLength?: number } {
  return plainOrTree(
    extensionValue,
    (bytes, whole) => {
      if (whole.tag !== DerTag.SEQUENCE) return undefined;
      const fields = derChildren(bytes, whole)!;
      let ca = false;
      let at = 0;
      if (fields[0]?.tag === DerTag.BOOLEAN) {
        // Any content but one zero byte is true, as the tree path reads it.
        ca = binaryOf(bytes, fields[0]) !== '\x00';
        at = 1;
      }
      const result: { ca: boolean; pathLength?: number } = { ca };
      if (fields[at]) {
        const pathLength = smallIntegerAt(bytes, fields[at]!);
        if (pathLength === undefined) return undefined;
        result.pathLength = pathLength;
      }
      return result;
    },
    basicConstraintsFromTree,
    how,
  );
}

function basicConstraintsFromTree(extensionValue: Uint8Array): { ca: boolean; pathLength?: number } {
  const fields = children(parseDer(extensionValue), 'basicConstraints');
  let ca = false;
  let rest = fields;
  const first = fields[0];
  if (first && first.tagClass === U && first.type === asn1.Type.BOOLEAN) {
    ca = rawValue(first, 'cA') !== '\x00';
    rest = fields.slice(1);
  }
  const result: { ca: boolean; pathLength?: number } = { ca };
  if (rest[0]) result.pathLength = smallInteger(rest[0], 'pathLenConstraint');
  return result;
}

/** Extension values by OID, from an Extensions SEQUENCE (first occurrence wins; RFC 5280
 * forbids repeats). */
export function extensionValues(extensions: Asn1 | undefined): Map<string, Uint8Array> {
  const values = new Map<string, Uint8Array>();
  if (!extensions) return values;
  for (const extension of children(extensions, 'the extensions')) {
    const fields = children(extension, 'an extension');
    const oid = oidOf(fields[0], 'an extension id');
    const octets = fields[fields.length - 1];
    const value = rawValue(expectUniversal(octets, asn1.Type.OCTETSTRING, `extension ${oid}`), `extension ${oid}`);
    if (!values.has(oid)) values.set(oid, fromBinary(value));
  }
  return values;
}

const EXTENSION_NAMES: Record<string, string> = {
  [EXT_SUBJECT_ALT_NAME]: 'subjectAltName',
  [EXT_KEY_USAGE]: 'keyUsage',
  [EXT_EXTENDED_KEY_USAGE]: 'extendedKeyUsage',
  [EXT_BASIC_CONSTRAINTS]: 'basicConstraints',
};

/** Runs `read` on an extension's value, naming the extension if it is damaged. */
export function readExtension<T>(values: Map<string, Uint8Array>, oid: string, read: (value: Uint8Array) => T): T | undefined {
  const value = values.get(oid);
  if (!value) return undefined;
  try {
    return read(value);
  } catch (e) {
    throw new KeyDeskError('damaged', `the ${EXTENSION_NAMES[oid] ?? oid} extension is malformed: ${(e as Error).message}`);
  }
}

function signatureVerifiesWithOwnKey(der: Uint8Array): boolean {
  try {
    const certificate = new X509Certificate(Buffer.from(der));
    return certificate.verify(certificate.publicKey);
  } catch {
    // OpenSSL could not load the certificate or its key: nothing shows it signed itself.
    return false;
  }
}

/** Where a certificate carries both its own key identifier and its issuer's, a self-signed
 * one has them equal; absent either (v1 roots have no extensions), nothing disagrees. */
function keyIdentifiersAgree(extensions: Map<string, Uint8Array>): boolean {
  const subjectKeyId = extensions.get(EXT_SUBJECT_KEY_IDENTIFIER);
  const authority = extensions.get(EXT_AUTHORITY_KEY_IDENTIFIER);
  if (!subjectKeyId || !authority) return true;
  try {
    const own = fromBinary(rawValue(expectUniversal(parseDer(subjectKeyId), asn1.Type.OCTETSTRING, 'subjectKeyIdentifier'), 'subjectKeyIdentifier'));
    const keyId = children(parseDer(authority), 'authorityKeyIdentifier').find((f) => f.tagClass === CTX && f.type === 0);
    if (!keyId) return true;
    return bytesEqual(own, fromBinary(rawValue(keyId, 'keyIdentifier')));
  } catch {
    return false;
  }
}

/**
 * The RSA signature, opened with `key`, is a PKCS#1 v1.5 block holding a DigestInfo for
 * `digestOid`: only the holder of the matching private key could have made it. Which bytes
 * it signed cannot be checked without the digest, hence "not checkable".
 */
function signatureOpensWith(signature: Asn1, key: KeyObject, digestOid: string): boolean {
  try {
    if (key.asymmetricKeyType !== 'rsa') return false;
    const bits = fromBinary(rawValue(expectUniversal(signature, asn1.Type.BITSTRING, 'the signature'), 'the signature'));
    const opened = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(bits.subarray(1)));
    const [algorithm, digest] = children(parseDer(opened), 'the DigestInfo');
    const oid = oidOf(children(algorithm, 'the digest algorithm')[0], 'the digest algorithm');
    return oid === digestOid && digest !== undefined && fromBinary(rawValue(digest, 'the digest')).length === 16;
  } catch {
    return false;
  }
}

function publicKeyOf(der: Uint8Array): KeyObject | undefined {
  try {
    return new X509Certificate(Buffer.from(der)).publicKey;
  } catch {
    return undefined;
  }
}

/**
 * For a certificate signed with a digest OpenSSL 3 no longer computes (MD2, MD4): that
 * digest's name when its signature opens with `issuerKey`, so a chain can name the issuer
 * that signed it instead of calling the issuer missing; undefined otherwise (another
 * digest, another key, damage). Whether the signed bytes match stays unknown.
 */
export function uncheckableSignatureBy(der: Uint8Array, issuerKey: KeyObject): string | undefined {
  try {
    const [, algorithm, signature] = children(parseDer(der), 'the certificate');
    const uncheckable = UNCHECKABLE_DIGESTS[oidOf(children(algorithm, 'the signature algorithm')[0], 'the signature algorithm')];
    return uncheckable && signature && signatureOpensWith(signature, issuerKey, uncheckable.digestOid) ? uncheckable.name : undefined;
  } catch {
    return undefined;
  }
}

/** Subject and issuer DNs alone (RFC 4514, as describeCertificate gives them), for labels
 * and issuer lookups: thousands of certificates must not pay for every other fact. */
export function certificateNamesOf(der: Uint8Array): { subject: string; issuer: string } {
  const plain = plainCertificateNamesOf(der);
  if (plain?.issuer !== undefined) return { subject: plain.subject, issuer: plain.issuer };
  try {
    const [tbs] = children(expectUniversal(parseDer(der), asn1.Type.SEQUENCE, 'the certificate'), 'the certificate');
    const fields = children(expectUniversal(tbs, asn1.Type.SEQUENCE, 'tbsCertificate'), 'tbsCertificate');
    const at = fields[0]?.tagClass === CTX && fields[0].type === 0 ? 1 : 0;
    const issuer = fields[at + 2];
    const subject = fields[at + 4];
    if (!subject || !issuer) throw new Malformed('tbsCertificate is missing its names');
    return { subject: formatDistinguishedName(subject), issuer: formatDistinguishedName(issuer) };
  } catch (e) {
    throw new KeyDeskError('damaged', `certificate is not valid DER: ${(e as Error).message}`);
  }
}

/** certificateNamesOf for a certificate in plain DER, read in place (der-spans.ts);
 * undefined for anything else, which the node-forge parse then judges. */
function plainCertificateNamesOf(der: Uint8Array, which: 'subject' | 'both' = 'both'): { subject: string; issuer?: string } | undefined {
  const certificate = derWhole(der);
  if (!certificate || certificate.tag !== DerTag.SEQUENCE || !plainDerThroughout(der, certificate)) return undefined;
  const tbs = derChildren(der, certificate)?.[0];
  const fields = tbs?.tag === DerTag.SEQUENCE ? derChildren(der, tbs) : undefined;
  if (!fields) return undefined;
  // [0] version, constructed or (malformed, but as the forge path reads it) not.
  const at = fields[0] && (fields[0].tag & 0xdf) === 0x80 ? 1 : 0;
  const issuer = fields[at + 2];
  const subject = fields[at + 4];
  if (!issuer || !subject) return undefined;
  const subjectText = formatNameAt(der, subject);
  if (subjectText === undefined || which === 'subject') return subjectText === undefined ? undefined : { subject: subjectText };
  const issuerText = formatNameAt(der, issuer);
  return issuerText === undefined ? undefined : { subject: subjectText, issuer: issuerText };
}

/** The subject alone: labels need nothing else. */
export function subjectDnOf(der: Uint8Array): string {
  return plainCertificateNamesOf(der, 'subject')?.subject ?? certificateNamesOf(der).subject;
}

const describedOnce = new Map<string, CertificateDetails>();
const DESCRIBED_MAX = 50_000;

/**
 * describeCertificate, kept by the certificate's bytes (bounded, oldest out; frozen, as
 * callers share it): a store is re-read and summarised after every change, and the doctor
 * and the timeline describe the same certificates again — for 10,000 signers each pass
 * would otherwise redo them all though one entry changed.
 */
export function describedCertificate(der: Uint8Array): CertificateDetails {
  // Kept by SHA-256, which the description carries anyway: a key of the whole DER was a
  // kilobyte string per certificate, allocated, hashed and kept.
  const sha256 = createHash('sha256').update(der).digest('hex');
  const known = describedOnce.get(sha256);
  if (known) return known;
  const details = deepFreeze(detailsFromParts(der, plainCertificateParts(der) ?? certificatePartsFromTree(der), 'either', sha256));
  if (describedOnce.size >= DESCRIBED_MAX) describedOnce.delete(describedOnce.keys().next().value!);
  describedOnce.set(sha256, details);
  return details;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function describeCertificate(der: Uint8Array): CertificateDetails {
  return detailsFromParts(der, plainCertificateParts(der) ?? certificatePartsFromTree(der));
}

/** What describeCertificate reads from a certificate's structure, before it looks inside
 * extensions and keys. */
interface CertificateParts {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  spki: Uint8Array;
  signatureAlgorithm: string;
  extensions: Map<string, Uint8Array>;
  /** Subject and issuer are the same Name, byte for byte. */
  namesEqual: boolean;
  version: number;
}

function detailsFromParts(der: Uint8Array, parts: CertificateParts, how: ExtensionReading = 'either', sha256 = createHash('sha256').update(der).digest('hex')): CertificateDetails {
  const { extensions } = parts;
  const details: CertificateDetails = {
    subject: parts.subject,
    issuer: parts.issuer,
    serial: parts.serial,
    notBefore: parts.notBefore,
    notAfter: parts.notAfter,
    sha1: createHash('sha1').update(der).digest('hex'),
    sha256,
    ...describePublicKey(parts.spki, 'spki'),
    signatureAlgorithm: parts.signatureAlgorithm,
    subjectAltNames: readExtension(extensions, EXT_SUBJECT_ALT_NAME, (v) => subjectAltNamesOf(v, how)) ?? [],
    keyUsage: readExtension(extensions, EXT_KEY_USAGE, (v) => keyUsageOf(v, how)) ?? [],
    extendedKeyUsage: readExtension(extensions, EXT_EXTENDED_KEY_USAGE, (v) => extendedKeyUsageOf(v, how)) ?? [],
    selfSigned: false,
    version: parts.version,
  };
  if (parts.namesEqual) {
    if (signatureVerifiesWithOwnKey(der)) details.selfSigned = true;
    else {
      const ownKey = keyIdentifiersAgree(extensions) ? publicKeyOf(der) : undefined;
      const digest = ownKey && uncheckableSignatureBy(der, ownKey);
      if (digest) {
        details.selfSigned = true;
        details.selfSignatureNotCheckable = digest;
      }
    }
  }
  const basicConstraints = readExtension(extensions, EXT_BASIC_CONSTRAINTS, (v) => basicConstraintsOf(v, how));
  if (basicConstraints) details.basicConstraints = basicConstraints;
  return details;
}

/** The parts of a certificate in plain DER, read in place (der-spans.ts): a listing
 * describes thousands. Undefined for anything unexpected, which the node-forge tree path
 * then reads or refuses, in its words. */
function plainCertificateParts(der: Uint8Array): CertificateParts | undefined {
  const certificate = derWhole(der);
  if (!certificate || certificate.tag !== DerTag.SEQUENCE || !plainDerThroughout(der, certificate)) return undefined;
  const [tbs, algorithm] = derChildren(der, certificate)!;
  if (tbs?.tag !== DerTag.SEQUENCE || algorithm?.tag !== DerTag.SEQUENCE) return undefined;
  const fields = derChildren(der, tbs)!;
  let version = 1;
  let at = 0;
  const first = fields[0];
  if (first && (first.tag & 0xdf) === 0x80) {
    const value = first.tag === 0xa0 ? derChildren(der, first)![0] : undefined;
    const number = value && smallIntegerAt(der, value);
    if (number === undefined) return undefined;
    version = number + 1;
    at = 1;
  }
  const [serial, , issuer, validity, subject, spki] = fields.slice(at, at + 6);
  if (serial?.tag !== DerTag.INTEGER || !issuer || !subject || !spki || validity?.tag !== DerTag.SEQUENCE) return undefined;
  const [notBefore, notAfter] = derChildren(der, validity)!;
  const extensionsField = fields.slice(at + 6).find((f) => (f.tag & 0xdf) === 0x83);
  if (extensionsField && extensionsField.tag !== 0xa3) return undefined;
  const extensionList = extensionsField ? derChildren(der, extensionsField)![0] : undefined;
  const extensions = extensionList ? plainExtensionValues(der, extensionList) : new Map<string, Uint8Array>();
  const subjectText = formatNameAt(der, subject);
  const issuerText = formatNameAt(der, issuer);
  const algorithmOid = derChildren(der, algorithm)![0];
  const notBeforeText = notBefore && plainTimeToIso(der, notBefore);
  const notAfterText = notAfter && plainTimeToIso(der, notAfter);
  if (!extensions || subjectText === undefined || issuerText === undefined || algorithmOid?.tag !== DerTag.OID || !notBeforeText || !notAfterText) return undefined;
  let start = serial.body;
  while (start < serial.end - 1 && der[start] === 0) start++;
  const oid = derToOid(binaryOf(der, algorithmOid));
  return {
    subject: subjectText,
    issuer: issuerText,
    serial: hex(der.subarray(start, serial.end)) || '00',
    notBefore: notBeforeText,
    notAfter: notAfterText,
    spki: der.subarray(spki.start, spki.end),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[oid] ?? oid,
    extensions,
    namesEqual: Buffer.compare(der.subarray(issuer.start, issuer.end), der.subarray(subject.start, subject.end)) === 0,
    version,
  };
}

/** smallInteger of an INTEGER read in place; undefined where smallInteger would throw. */
function smallIntegerAt(der: Uint8Array, span: DerSpan): number | undefined {
  if (span.tag !== DerTag.INTEGER || span.end === span.body) return undefined;
  let value = BigInt.asIntN((span.end - span.body) * 8, BigInt(`0x${hex(der.subarray(span.body, span.end))}`));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) value = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value);
}

/** x509TimeToIso of a time read in place; undefined where it would throw. */
function plainTimeToIso(der: Uint8Array, span: DerSpan): string | undefined {
  if (span.tag !== DerTag.UTC_TIME && span.tag !== DerTag.GENERALIZED_TIME) return undefined;
  try {
    return timeTextToIso(span.tag, binaryOf(der, span));
  } catch {
    return undefined;
  }
}

/** extensionValues of an Extensions SEQUENCE read in place; undefined where it would throw. */
function plainExtensionValues(der: Uint8Array, list: DerSpan): Map<string, Uint8Array> | undefined {
  const values = new Map<string, Uint8Array>();
  if ((list.tag & 0x20) === 0) return undefined;
  for (const extension of derChildren(der, list)!) {
    if ((extension.tag & 0x20) === 0) return undefined;
    const fields = derChildren(der, extension)!;
    const id = fields[0];
    const octets = fields[fields.length - 1];
    if (id?.tag !== DerTag.OID || octets?.tag !== DerTag.OCTET_STRING) return undefined;
    const oid = derToOid(binaryOf(der, id));
    if (!values.has(oid)) values.set(oid, contentsCopy(der, octets));
  }
  return values;
}

/** The parts as node-forge's tree gives them: the reference the plain path agrees with,
 * and the reader of what is not plain DER. */
function certificatePartsFromTree(der: Uint8Array): CertificateParts {
  let root: Asn1;
  try {
    root = parseDer(der);
  } catch (e) {
    throw new KeyDeskError('damaged', `certificate is not valid DER: ${(e as Error).message}`);
  }
  try {
    const [tbs, signatureAlgorithm] = children(expectUniversal(root, asn1.Type.SEQUENCE, 'the certificate'), 'the certificate');
    const fields = children(expectUniversal(tbs, asn1.Type.SEQUENCE, 'tbsCertificate'), 'tbsCertificate');
    let version = 1;
    let at = 0;
    const first = fields[0];
    if (first && first.tagClass === CTX && first.type === 0) {
      version = smallInteger(children(first, 'the version')[0], 'the version') + 1;
      at = 1;
    }
    const [serial, , issuer, validity, subject, spki] = fields.slice(at, at + 6);
    if (!issuer || !subject || !spki || !signatureAlgorithm) throw new Malformed('tbsCertificate is missing fields');
    const [notBefore, notAfter] = children(validity, 'the validity');
    if (!notBefore || !notAfter) throw new Malformed('the validity lacks a time');
    const extensionsField = fields.slice(at + 6).find((f) => f.tagClass === CTX && f.type === 3);
    const extensions = extensionValues(extensionsField ? children(extensionsField, 'the extensions')[0] : undefined);
    return {
      subject: formatDistinguishedName(subject),
      issuer: formatDistinguishedName(issuer),
      serial: serialHex(serial),
      notBefore: x509TimeToIso(notBefore),
      notAfter: x509TimeToIso(notAfter),
      spki: encodeDer(spki),
      signatureAlgorithm: signatureAlgorithmName(signatureAlgorithm),
      extensions,
      namesEqual: bytesEqual(encodeDer(issuer), encodeDer(subject)),
      version,
    };
  } catch (e) {
    if (e instanceof Malformed) throw new KeyDeskError('damaged', `certificate is malformed: ${e.message}`);
    throw e;
  }
}

/** describeCertificate by node-forge's tree alone, extensions included, for the test
 * that the in-place path agrees with it. */
export function describeCertificateFromTree(der: Uint8Array): CertificateDetails {
  return detailsFromParts(der, certificatePartsFromTree(der), 'tree');
}

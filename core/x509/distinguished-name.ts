/**
 * X.501 Names as RFC 4514 strings, the form operators paste into SSLPEER filters and
 * compare with `openssl x509 -nameopt RFC2253`.
 *
 * The output is meant to equal OpenSSL's RFC2253 output (with `-esc_msb`, i.e. non-ASCII
 * left readable) for every attribute type named below, apart from the spelling of a few
 * type names: STREET, SERIALNUMBER and T where OpenSSL writes street, serialNumber and
 * title (type names compare case-insensitively; T is what IBM MQ and Java call title).
 */
import { asn1, derToOid, encodeDer, fromBinary, parseDer, type Asn1 } from '../asn1/der';
import { binaryOf, derChildren, derWhole, DerTag, type DerSpan } from '../asn1/der-spans';
import { KeyDeskError } from '../errors';

/** Short names, by OID: the RFC 4514 table first, then the ones operators meet in
 * certificates. SERIALNUMBER and T are the spellings IBM MQ's SSLPEER and Java use; the
 * rest after the RFC's nine are spelled as OpenSSL prints them. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.5': 'SERIALNUMBER',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '2.5.4.4': 'SN',
  '2.5.4.43': 'initials',
  '2.5.4.65': 'pseudonym',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  // EV and eIDAS certificates carry these; without names they would print as #hex.
  '2.5.4.17': 'postalCode',
  '2.5.4.15': 'businessCategory',
  '2.5.4.97': 'organizationIdentifier',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** Other spellings accepted when looking an attribute up by name (case-insensitive). */
const ALIASES: Record<string, string> = {
  commonname: '2.5.4.3',
  s: '2.5.4.8',
  sp: '2.5.4.8',
  street: '2.5.4.9',
  serialnumber: '2.5.4.5',
  e: '1.2.840.113549.1.9.1',
  email: '1.2.840.113549.1.9.1',
  mail: '1.2.840.113549.1.9.1',
  title: '2.5.4.12',
  givenname: '2.5.4.42',
  surname: '2.5.4.4',
  userid: '0.9.2342.19200300.100.1.1',
  dnq: '2.5.4.46',
  pc: '2.5.4.17',
};

const OID_BY_NAME: Record<string, string> = {
  ...Object.fromEntries(Object.entries(SHORT_NAMES).map(([oid, name]) => [name.toLowerCase(), oid])),
  ...ALIASES,
};

export interface NameAttribute {
  oid: string;
  /** Absent for types without a short name; those print as dotted OID=#hex. */
  shortName?: string;
  /** The decoded text, absent when the value is not a string type we can decode. */
  value?: string;
  /** The value's whole DER (tag, length, contents), for the #hex form. */
  der: Uint8Array;
}

/** One RDN: usually a single attribute, several for multi-valued RDNs (`O=x+OU=y`). */
export type RelativeDistinguishedName = NameAttribute[];

const T = asn1.Type;
/** Universal tags node-forge's Type table does not name. */
const NUMERIC_STRING = 18;
const TELETEX_STRING = 20;
const VISIBLE_STRING = 26;
const UNIVERSAL_STRING = 28;

function toNode(name: Asn1 | Uint8Array): Asn1 {
  if (!(name instanceof Uint8Array)) return name;
  try {
    return parseDer(name);
  } catch (e) {
    throw new KeyDeskError('damaged', `distinguished name is not valid DER: ${(e as Error).message}`);
  }
}

function damaged(what: string): KeyDeskError {
  return new KeyDeskError('damaged', `distinguished name is malformed: ${what}`);
}

function isUniversal(node: Asn1, type: number, constructed: boolean): boolean {
  return node.tagClass === asn1.Class.UNIVERSAL && node.type === type && node.constructed === constructed;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a string-typed value; undefined for anything OpenSSL would also dump as
 * hex (non-string types, invalid encodings). */
function decodeString(node: Asn1): string | undefined {
  if (node.tagClass !== asn1.Class.UNIVERSAL || node.constructed || typeof node.value !== 'string') return undefined;
  const raw = node.value;
  switch (node.type as number) {
    case T.UTF8:
      try {
        return utf8.decode(fromBinary(raw));
      } catch {
        return undefined;
      }
    case T.PRINTABLESTRING:
    case T.IA5STRING:
    case NUMERIC_STRING:
    case VISIBLE_STRING:
    // TeletexString's real character set (T.61) is never what issuers put in it; they put
    // Latin-1, and OpenSSL and Java read it so.
    case TELETEX_STRING:
      return raw;
    case T.BMPSTRING:
      // node-forge has already turned the UTF-16BE code units into a JS string.
      return raw;
    case UNIVERSAL_STRING: {
      if (raw.length % 4 !== 0) return undefined;
      let text = '';
      for (let i = 0; i < raw.length; i += 4) {
        const cp = ((raw.charCodeAt(i) << 24) | (raw.charCodeAt(i + 1) << 16) | (raw.charCodeAt(i + 2) << 8) | raw.charCodeAt(i + 3)) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
        text += String.fromCodePoint(cp);
      }
      return text;
    }
    default:
      return undefined;
  }
}

function hexUpper(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

const NEEDS_ESCAPING = /[\x00-\x1f\x7f,+"\\<>;]|^[ #]| $/;

/** RFC 4514 section 2.4. `=` is left alone: the RFC does not require escaping it, and
 * OpenSSL and Java do not, so strings stay comparable with theirs. Control characters are
 * written as \XX so a DN never carries raw line breaks or NULs into a log or a terminal. */
export function escapeAttributeValue(value: string): string {
  // Most values need nothing escaped: say so without walking them character by character.
  if (!NEEDS_ESCAPING.test(value)) return value;
  const chars = Array.from(value);
  let out = '';
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x20 || cp === 0x7f) out += `\\${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (',+"\\<>;'.includes(c)) out += `\\${c}`;
    else if (i === 0 && (c === ' ' || c === '#')) out += `\\${c}`;
    else if (i === chars.length - 1 && c === ' ') out += '\\ ';
    else out += c;
  });
  return out;
}

/** The Name's RDNs in DER order (most significant first, e.g. C before CN). */
export function nameAttributes(name: Asn1 | Uint8Array): RelativeDistinguishedName[] {
  const node = toNode(name);
  if (!isUniversal(node, T.SEQUENCE, true) || !Array.isArray(node.value)) throw damaged('not a SEQUENCE of RDNs');
  return node.value.map((rdn) => {
    if (!isUniversal(rdn, T.SET, true) || !Array.isArray(rdn.value) || rdn.value.length === 0) throw damaged('an RDN is not a non-empty SET');
    return rdn.value.map((ava): NameAttribute => {
      const parts = ava.value;
      if (!isUniversal(ava, T.SEQUENCE, true) || !Array.isArray(parts) || parts.length !== 2) throw damaged('an attribute is not a SEQUENCE of type and value');
      const [type, value] = parts as [Asn1, Asn1];
      if (!isUniversal(type, T.OID, false) || typeof type.value !== 'string') throw damaged('an attribute type is not an OID');
      const oid = derToOid(type.value);
      // The value's DER is wanted only for the #hex form: encoded when first read.
      let der: Uint8Array | undefined;
      const attribute: NameAttribute = {
        oid,
        get der() {
          return (der ??= encodeDer(value));
        },
      };
      const shortName = SHORT_NAMES[oid];
      if (shortName) attribute.shortName = shortName;
      const text = decodeString(value);
      if (text !== undefined) attribute.value = text;
      return attribute;
    });
  });
}

function formatAttribute(a: NameAttribute): string {
  // RFC 4514: a type given by OID must have its value as #hex, whatever the value is.
  if (a.shortName && a.value !== undefined) return `${a.shortName}=${escapeAttributeValue(a.value)}`;
  return `${a.shortName ?? a.oid}=#${hexUpper(a.der)}`;
}

/** RFC 4514 string: RDNs in reverse DER order, joined by commas. Within a multi-valued RDN
 * the attributes are reversed too, as OpenSSL prints them (the order there is arbitrary
 * either way; DER sorts it by encoding), so both tools give the same text. */
export function formatDistinguishedName(name: Asn1 | Uint8Array): string {
  if (name instanceof Uint8Array) {
    const whole = derWhole(name);
    const plain = whole && formatNameAt(name, whole);
    if (plain !== undefined) return plain;
  }
  return nameAttributes(name)
    .reverse()
    .map((rdn) => [...rdn].reverse().map(formatAttribute).join('+'))
    .join(',');
}

/**
 * formatDistinguishedName of the Name at `name` inside `bytes`, read in place: a listing
 * formats two names for each of thousands of certificates. Undefined for anything that is
 * not a plain Name of string values (BER forms, constructed or non-string values, an odd
 * BMPString, structure errors): the node-forge path above then decides, and words any
 * error, as it always has.
 */
export function formatNameAt(bytes: Uint8Array, name: DerSpan): string | undefined {
  if (name.tag !== DerTag.SEQUENCE) return undefined;
  const rdns = derChildren(bytes, name);
  if (!rdns) return undefined;
  let text = '';
  for (let r = rdns.length - 1; r >= 0; r--) {
    const rdn = rdns[r]!;
    const attributes = rdn.tag === DerTag.SET ? derChildren(bytes, rdn) : undefined;
    if (!attributes || attributes.length === 0) return undefined;
    let rdnText = '';
    for (let a = attributes.length - 1; a >= 0; a--) {
      const attribute = attributes[a]!;
      const pair = attribute.tag === DerTag.SEQUENCE ? derChildren(bytes, attribute) : undefined;
      if (!pair || pair.length !== 2 || pair[0]!.tag !== DerTag.OID || pair[0]!.end === pair[0]!.body) return undefined;
      const value = pair[1]!;
      const decoded = plainStringValue(bytes, value);
      if (decoded === undefined) return undefined;
      const oid = derToOid(binaryOf(bytes, pair[0]!));
      const shortName = SHORT_NAMES[oid];
      const formatted =
        shortName && decoded !== null
          ? `${shortName}=${escapeAttributeValue(decoded)}`
          : `${shortName ?? oid}=#${Buffer.from(bytes.buffer, bytes.byteOffset + value.start, value.end - value.start).toString('hex').toUpperCase()}`;
      rdnText = a === attributes.length - 1 ? formatted : `${rdnText}+${formatted}`;
    }
    text = r === rdns.length - 1 ? rdnText : `${text},${rdnText}`;
  }
  return text;
}

/** decodeString for a value read in place: its text, null where decodeString gives
 * undefined (printed as #hex), undefined for what only the full parse should judge. */
function plainStringValue(bytes: Uint8Array, value: DerSpan): string | null | undefined {
  const length = value.end - value.body;
  switch (value.tag) {
    case T.UTF8: {
      let ascii = true;
      for (let i = value.body; i < value.end; i++) if (bytes[i]! >= 0x80) ascii = false;
      if (ascii) return binaryOf(bytes, value);
      try {
        return utf8.decode(bytes.subarray(value.body, value.end));
      } catch {
        return null;
      }
    }
    case T.PRINTABLESTRING:
    case T.IA5STRING:
    case NUMERIC_STRING:
    case VISIBLE_STRING:
    case TELETEX_STRING:
      return binaryOf(bytes, value);
    case T.BMPSTRING: {
      if (length % 2 !== 0) return undefined;
      let text = '';
      for (let i = value.body; i < value.end; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return text;
    }
    case UNIVERSAL_STRING: {
      if (length % 4 !== 0) return null;
      let text = '';
      for (let i = value.body; i < value.end; i += 4) {
        const cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
        text += String.fromCodePoint(cp);
      }
      return text;
    }
    default:
      return undefined;
  }
}

/** The OID for a type name (any case, aliases included) or a dotted OID; an unknown name
 * comes back unchanged. Exported so the DN parser reads names from this one table. */
export function oidFor(type: string): string {
  return /^\d+(\.\d+)+$/.test(type) ? type : (OID_BY_NAME[type.toLowerCase()] ?? type);
}

/** Every value of one attribute type, in DER order. `type` is a short name (any case;
 * E, MAIL, title, S and other common spellings work) or a dotted OID. Values that are not
 * decodable strings are left out. */
export function getNameAttributes(name: Asn1 | Uint8Array, type: string): string[] {
  const oid = oidFor(type);
  return nameAttributes(name)
    .flat()
    .filter((a) => a.oid === oid && a.value !== undefined)
    .map((a) => a.value as string);
}

/** The first value of one attribute type in DER order (as OpenSSL's lookup by NID
 * returns), e.g. `getNameAttribute(subject, 'CN')`; undefined when there is none. */
export function getNameAttribute(name: Asn1 | Uint8Array, type: string): string | undefined {
  return getNameAttributes(name, type)[0];
}

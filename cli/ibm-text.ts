/**
 * Text as runmqakm (GSKit's gsk8capicmd) prints it, for the listings scripts parse:
 * dates, hex blocks, quoting, OID names and the Extensions block of `-cert -details` and
 * `-certreq -details`. The layouts follow the transcripts quoted in cli/RUNMQAKM.md §3
 * (G1: IBM's cp4i-mq-samples 02-mtls/README.md; G4: a full MQ 9.1 runmqakm session).
 * What no transcript shows is marked [inferred] where it is decided.
 */
import { createHash } from 'node:crypto';
import { asn1, derToOid, encodeDer, fromBinary, parseDer, type Asn1 } from '../core/asn1/der';
import { formatGeneralName } from '../core/x509/certificate-details';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * `December 29, 2018 12:00:00 AM GMT+00:00` (G4, MQ 9.1; the same shape in a parser's
 * comment, G14: `November 1, 2033 6:14:07 PM GMT+00:00`), in the process's time zone (TZ),
 * as GSKit prints local time with its offset.
 *
 * Always this en_US form, whatever LANG says. GSKit localises dates (G1 shows the en_GB
 * `26 July 2021 16:29:37 GMT+01:00`), but the en_US form is the one every parser in
 * cli/testing/REAL-SCRIPTS.md was checked against (mqsslsetup's `awk '{print
 * $1FS$2FS$3FS$4}'` + `date -d`, Db2's `awk '{print $1" "$2" "$3}'`, WebSEAL's `awk -F:`),
 * and a date whose shape followed LANG would parse under an operator's login and not
 * under cron, whose LANG is usually unset.
 */
export function ibmDate(when: string | Date): string {
  const date = typeof when === 'string' ? new Date(when) : when;
  const offset = -date.getTimezoneOffset();
  // The local wall-clock time, read through the UTC getters.
  const local = new Date(date.getTime() + offset * 60_000);
  const hours = local.getUTCHours();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${MONTHS[local.getUTCMonth()]} ${local.getUTCDate()}, ${local.getUTCFullYear()} ` +
    `${hours % 12 || 12}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'} ` +
    `GMT${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/** Uppercase hex, 16 bytes a line, each line indented by four spaces (G4's `Public Key`,
 * fingerprints and `Value`). */
export function hexBlock(bytes: Uint8Array, indent = '    '): string[] {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    lines.push(indent + Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' '));
  }
  return lines;
}

/** Labels and DNs holding a space are printed in double quotes, others bare (G4, G6 for
 * `-cert -list`; G4's `Issuer :`/`Subject :` for details, where the CN has spaces). */
export function quoteIfSpaced(text: string): string {
  return text.includes(' ') ? `"${text}"` : text;
}

/** GSKit's `Name (OID)`; an OID it has no name for prints with an empty name, as G4 shows
 * the certificate-transparency extension: ` (1.3.6.1.4.1.11129.2.4.2)`. */
export function namedOid(names: Record<string, string>, oid: string): string {
  return `${names[oid] ?? ''} (${oid})`;
}

/** `Public Key Type`. RSA: G1, G4. EC_ecPublicKey is [inferred]: GSKit's spelling of
 * other OIDs uses the `EC_` prefix (its -sig_alg values `EC_ecdsa_with_SHA256`, RUNMQAKM.md
 * §2.6), but no transcript of an EC certificate's details was found. */
export const PUBLIC_KEY_TYPES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.10045.2.1': 'EC_ecPublicKey',
};

/**
 * `Signature Algorithm`. SHA256WithRSASignature and SHA512WithRSASignature are in G1/G4;
 * the other RSA names follow their pattern [inferred]. ECDSA and PSS take the spellings
 * GSKit accepts for -sig_alg (`EC_ecdsa_with_SHA256`, `RSASSAPSS`; RUNMQAKM.md §2.6)
 * [inferred]; other algorithms print as ` (OID)`, GSKit's form for an unnamed OID.
 */
export const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5WithRSASignature',
  '1.2.840.113549.1.1.5': 'SHA1WithRSASignature',
  '1.2.840.113549.1.1.14': 'SHA224WithRSASignature',
  '1.2.840.113549.1.1.11': 'SHA256WithRSASignature',
  '1.2.840.113549.1.1.12': 'SHA384WithRSASignature',
  '1.2.840.113549.1.1.13': 'SHA512WithRSASignature',
  '1.2.840.113549.1.1.10': 'RSASSAPSS',
  '1.2.840.10045.4.1': 'EC_ecdsa_with_SHA1',
  '1.2.840.10045.4.3.1': 'EC_ecdsa_with_SHA224',
  '1.2.840.10045.4.3.2': 'EC_ecdsa_with_SHA256',
  '1.2.840.10045.4.3.3': 'EC_ecdsa_with_SHA384',
  '1.2.840.10045.4.3.4': 'EC_ecdsa_with_SHA512',
};

/** The four fingerprint blocks of G1 (G4, older, has no HPKP). Each heading ends in a
 * space, as GSKit prints it. HPKP: base64 of the SHA-256 of the SubjectPublicKeyInfo. */
export function fingerprintLines(der: Uint8Array, spki: Uint8Array): string[] {
  const digest = (algorithm: string, bytes: Uint8Array) => new Uint8Array(createHash(algorithm).update(bytes).digest());
  return [
    'Fingerprint : SHA1 : ',
    ...hexBlock(digest('sha1', der)),
    'Fingerprint : MD5 : ',
    ...hexBlock(digest('md5', der)),
    'Fingerprint : SHA256 : ',
    ...hexBlock(digest('sha256', der)),
    'Fingerprint : HPKP : ',
    `    ${createHash('sha256').update(spki).digest('base64')}`,
  ];
}

// --- the Extensions block ---------------------------------------------------------------

const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;

function kids(node: Asn1 | undefined): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Error('not a constructed value');
  return node.value;
}
function bytesOf(node: Asn1 | undefined): Uint8Array {
  if (!node || typeof node.value !== 'string') throw new Error('not a primitive value');
  return fromBinary(node.value);
}
function oidOf(node: Asn1 | undefined): string {
  if (!node || node.tagClass !== U || node.type !== asn1.Type.OID || typeof node.value !== 'string') throw new Error('not an OID');
  return derToOid(node.value);
}

/** RFC 5280 bit names, the words GSKit's -ku takes and G4's `key usage:` line prints. */
const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** serverAuth, clientAuth: G4. The others are the spellings of GSKit's -eku values
 * (RUNMQAKM.md §3.6) [inferred]; anything else prints as its OID. */
const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'ocspSigning',
  '2.5.29.37.0': 'any',
};

/** G4's access-method names. */
const ACCESS_METHODS: Record<string, string> = {
  '1.3.6.1.5.5.7.48.2': 'PKIX_AD_CA_Issuer',
  '1.3.6.1.5.5.7.48.1': 'PKIX_AD_OCSP',
};

/** A GeneralName as GSKit names its choices: `dNSName:` (G4's subjectAlternativeName) and
 * `uniformResourceID:` (G4's AuthorityInfoAccess); the rest are the RFC 5280 choice names
 * in the same style [inferred]. */
function generalName(node: Asn1): string {
  const text = formatGeneralName(node);
  const at = text.indexOf(':');
  const kind = text.slice(0, at);
  const value = text.slice(at + 1);
  const names: Record<string, string> = {
    DNS: 'dNSName',
    email: 'rfc822Name',
    IP: 'iPAddress',
    URI: 'uniformResourceID',
    DirName: 'directoryName',
    RID: 'registeredID',
    othername: 'otherName',
    X400Name: 'x400Address',
    EdiPartyName: 'ediPartyName',
  };
  return `${names[kind] ?? kind}: ${value}`;
}

/** The lines of one extension GSKit has a layout for (G4), or undefined for the
 * ` (OID)` + `Value` form. Throws on a malformed value; the caller then dumps it. */
function knownExtension(oid: string, value: Uint8Array): string[] | undefined {
  switch (oid) {
    case '2.5.29.35': {
      // AuthorityKeyIdentifier: G4 prints all three field names, empty ones included.
      const fields = kids(parseDer(value));
      const field = (tag: number) => fields.find((f) => f.tagClass === CTX && f.type === tag);
      const keyId = field(0);
      const issuer = field(1);
      const serial = field(2);
      return [
        '    AuthorityKeyIdentifier',
        '      keyIdentifier:',
        ...(keyId ? hexBlock(bytesOf(keyId)) : []),
        '      authorityIdentifier:',
        ...(issuer ? kids(issuer).map((n) => `        ${generalName(n)}`) : []), // [inferred]
        '      authorityCertSerialNumber:',
        ...(serial ? hexBlock(bytesOf(serial)) : []), // [inferred]
      ];
    }
    case '2.5.29.14': {
      const node = parseDer(value);
      if (node.type !== asn1.Type.OCTETSTRING) throw new Error('not an OCTET STRING');
      return ['    SubjectKeyIdentifier', '      keyIdentifier:', ...hexBlock(bytesOf(node))];
    }
    case '2.5.29.15': {
      const bits = bytesOf(parseDer(value));
      const set = KEY_USAGE_BITS.filter((_, i) => (((bits[1 + (i >> 3)] ?? 0) << (i & 7)) & 0x80) !== 0);
      return [`    key usage: ${set.join(', ')}`];
    }
    case '2.5.29.19': {
      const fields = kids(parseDer(value));
      let ca = false;
      let rest = fields;
      if (fields[0]?.tagClass === U && fields[0].type === asn1.Type.BOOLEAN) {
        ca = fields[0].value !== '\x00';
        rest = fields.slice(1);
      }
      const lines = ['    basicConstraints', `        ca = ${ca}`];
      // [inferred]: G4's certificate is not a CA, so has no path length to show.
      if (rest[0]) lines.push(`        pathLenConstraint = ${BigInt(`0x${Buffer.from(bytesOf(rest[0])).toString('hex') || '0'}`)}`);
      return lines;
    }
    case '2.5.29.37':
      return ['    eku', ...kids(parseDer(value)).map((n) => `        ${EXTENDED_KEY_USAGES[oidOf(n)] ?? oidOf(n)}`)];
    case '2.5.29.32':
      return ['    certificatePolicies', ...kids(parseDer(value)).map((p) => `        ${oidOf(kids(p)[0])}`)];
    case '2.5.29.17':
      return ['    subjectAlternativeName', ...kids(parseDer(value)).map((n) => `        ${generalName(n)}`)];
    case '1.3.6.1.5.5.7.1.1':
      return [
        '    AuthorityInfoAccess',
        ...kids(parseDer(value)).flatMap((d) => {
          const [method, location] = kids(d);
          if (!location) throw new Error('an AccessDescription lacks its location');
          return [`    ${namedOid(ACCESS_METHODS, oidOf(method))}`, `      accessLocation:${generalName(location)}`];
        }),
      ];
    case '2.5.29.31': {
      // G4's CRLDistributionPoints lines are GSKit printing an ASN.1 object's internals
      // (`GSKASNObject: OBJECT(tag=22, class=0) value: -----BEGIN HEX-----`); KeyDesk
      // prints the same headings with the names plainly [inferred].
      const lines = ['    CRLDistributionPoints'];
      for (const point of kids(parseDer(value))) {
        const name = kids(point).find((f) => f.tagClass === CTX && f.type === 0);
        const full = name && kids(name).find((f) => f.tagClass === CTX && f.type === 0);
        lines.push('      fullname:', ...(full ? kids(full).map((n) => `      ${generalName(n)}`) : []));
      }
      return lines;
    }
    default:
      return undefined;
  }
}

/** One extension's lines: GSKit's layout where G4 shows one, else ` (OID)`, `Value` and
 * the hex of the value; `critical` (G4: eight spaces) after a critical one. */
function extensionLines(extension: Asn1): string[] {
  const fields = kids(extension);
  const oid = oidOf(fields[0]);
  const critical = fields.length === 3 && fields[1]?.type === asn1.Type.BOOLEAN && fields[1].value !== '\x00';
  const value = bytesOf(fields[fields.length - 1]);
  let lines: string[] | undefined;
  try {
    lines = knownExtension(oid, value);
  } catch {
    // Malformed where a layout expects structure: shown as bytes, which hides nothing.
    lines = undefined;
  }
  lines ??= [`     (${oid})`, '        Value', ...hexBlock(value)];
  return critical ? [...lines, '        critical'] : lines;
}

/** The `Extensions` block for an Extensions SEQUENCE, or nothing when there is none (G1's
 * v1 certificate has no such line). */
export function extensionsBlock(extensions: Asn1 | undefined): string[] {
  if (!extensions || !Array.isArray(extensions.value) || extensions.value.length === 0) return [];
  return ['Extensions', ...extensions.value.flatMap((e) => extensionLines(e))];
}

/** The `Signature Algorithm` line, `Value` and the signature's hex (G1, G4). */
export function signatureLines(algorithmIdentifier: Asn1 | undefined, signature: Asn1 | undefined): string[] {
  const oid = oidOf(kids(algorithmIdentifier)[0]);
  // A BIT STRING's first content byte counts its unused bits; the signature follows.
  const bits = bytesOf(signature);
  return [`Signature Algorithm : ${namedOid(SIGNATURE_ALGORITHMS, oid)}`, 'Value', ...hexBlock(bits.subarray(1))];
}

/** `Public Key`, its hex, and `Public Key Type` (G4). */
export function publicKeyLines(spki: Asn1): string[] {
  const der = encodeDer(spki);
  const oid = oidOf(kids(kids(spki)[0])[0]);
  return ['Public Key', ...hexBlock(der), `Public Key Type : ${namedOid(PUBLIC_KEY_TYPES, oid)}`];
}

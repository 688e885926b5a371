import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { hasTool, makeTempDir } from '../testing/peer-tools';
import { escapeAttributeValue, formatDistinguishedName, formatNameAt, getNameAttribute, getNameAttributes, nameAttributes } from './distinguished-name';
import { certificateNamesOf } from './certificate-details';
import { derWhole } from '../asn1/der-spans';
import { findPemBlocks } from '../formats/pem';
import fc from 'fast-check';
import { openssl, opensslName, readDer, writeReqConfig } from './openssl-test-support';
import { codeOf } from '../testing/keydesk-error';

const haveOpenssl = hasTool('openssl');
const realCertificates = (() => {
  try {
    return findPemBlocks(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')).flatMap((b) => (b.der ? [b.der] : []));
  } catch {
    return [];
  }
})();
/** Universal tags node-forge does not name. */
const TELETEX_STRING = 20;
const UNIVERSAL_STRING = 28;

/** The subject Name of a certificate, as its own DER. */
function subjectOf(certDer: Uint8Array): Uint8Array {
  const tbs = (parseDer(certDer).value as Asn1[])[0] as Asn1;
  const fields = tbs.value as Asn1[];
  const first = fields[0] as Asn1;
  const offset = first.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return encodeDer(fields[offset + 4] as Asn1);
}

/** The universal tag of every attribute value, in DER order, to prove a case exercises
 * the string type it claims to. */
function valueTags(name: Uint8Array): number[] {
  return nameAttributes(name)
    .flat()
    .map((a) => a.der[0] as number);
}


describe.skipIf(!haveOpenssl)('formatDistinguishedName agrees with openssl -nameopt RFC2253,-esc_msb (skipped: no openssl)', () => {
  let dir = '';
  let cleanup = () => {};
  let key = '';
  let count = 0;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('keydesk-dn-'));
    key = join(dir, 'key.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  });
  afterAll(() => cleanup());

  /** A self-signed certificate whose subject openssl builds from `subj`. */
  function certWithSubject(subj: string, config?: string): string {
    const file = join(dir, `c${++count}.pem`);
    const args = ['req', '-new', '-x509', '-key', key, '-days', '1', '-utf8', '-subj', subj, '-out', file];
    if (config) args.push('-config', config);
    openssl(args);
    return file;
  }

  const cases: [string, string][] = [
    ['the usual server subject, with a non-ASCII locality', '/C=DE/ST=Bayern/L=München/O=Example AG/OU=MQ/CN=qm1.example.com'],
    ['DC, UID and emailAddress', '/DC=com/DC=example/UID=jdoe/CN=John Doe/emailAddress=jdoe@example.com'],
    ['a multi-valued RDN whose value needs escaping', '/C=GB/O=Smith, Jones+OU=A/CN=x'],
    ['a three-valued RDN', '/CN=a+UID=b+O=c/C=US'],
    ['every special character RFC 4514 escapes', '/CN= #lead;semi<lt>gt"q\\\\bs \\+plus, comma =eq /O=#x/OU=  two spaces  '],
    ['a value that is a single space, and an empty value', '/CN= /O='],
    ['UTF-8 from Latin-1, CJK and beyond the BMP', '/CN=Müller/O=日本語/OU=😀 grin'],
    ['control characters, written as \\XX', `/CN=ctl${String.fromCharCode(1)}x${String.fromCharCode(0x1f)}/O=tab${String.fromCharCode(9)}`],
    [
      'the extra named types',
      '/serialNumber=1234/street=1 Main St/title=Dr/GN=Anna/SN=Berg/initials=AB/pseudonym=ab/generationQualifier=III/dnQualifier=q1/postalCode=12345/businessCategory=Private Organization/jurisdictionC=DE/jurisdictionST=Bayern/jurisdictionL=München/organizationIdentifier=VATDE-123/CN=anna',
    ],
  ];

  for (const [what, subj] of cases) {
    it(what, () => {
      const file = certWithSubject(subj);
      expect(formatDistinguishedName(subjectOf(readDer(file)))).toBe(opensslName('x509', file, 'subject'));
    });
  }

  it('TeletexString (read as Latin-1) and BMPString, as OpenSSL picks them under string_mask=default', () => {
    const config = writeReqConfig(dir, 'mask.cnf', 'string_mask = default');
    const file = certWithSubject('/CN=Müller/O=Ωmega/OU=plain', config);
    const name = subjectOf(readDer(file));
    expect(valueTags(name)).toEqual([TELETEX_STRING, asn1.Type.BMPSTRING, asn1.Type.PRINTABLESTRING]);
    expect(formatDistinguishedName(name)).toBe(opensslName('x509', file, 'subject'));
  });

  it('UniversalString, IA5String, DEL, unknown OIDs and non-string values (#hex), from a forge-made certificate', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date();
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const text = 'Zoë 😀';
    const units = Array.from(text).map((c) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(c.codePointAt(0) as number);
      return b;
    });
    const attrs = [
      { type: '2.5.4.6', value: 'SE', valueTagClass: asn1.Type.PRINTABLESTRING },
      { type: '2.5.4.10', value: Buffer.concat(units).toString('latin1'), valueTagClass: UNIVERSAL_STRING },
      { type: '1.2.3.4', value: 'foo', valueTagClass: asn1.Type.UTF8 },
      // OpenSSL refuses OCTET STRING in a Name but takes BIT STRING: a non-string value.
      { type: '2.5.4.11', value: '\x00\x01\x02', valueTagClass: asn1.Type.BITSTRING },
      { type: '1.2.840.113549.1.9.1', value: 'ops@example.com', valueTagClass: asn1.Type.IA5STRING },
      { type: '2.5.4.3', value: `del${String.fromCharCode(0x7f)}x`, valueTagClass: asn1.Type.UTF8 },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.sign(forgeKey, forge.md.sha256.create());
    const file = join(dir, 'forge.pem');
    writeFileSync(file, forge.pki.certificateToPem(cert));
    const name = subjectOf(readDer(file));
    expect(valueTags(name)).toEqual([
      asn1.Type.PRINTABLESTRING,
      UNIVERSAL_STRING,
      asn1.Type.UTF8,
      asn1.Type.BITSTRING,
      asn1.Type.IA5STRING,
      asn1.Type.UTF8,
    ]);
    const ours = formatDistinguishedName(name);
    expect(ours).toBe(opensslName('x509', file, 'subject'));
    // The point of the case: both tools hex-dump these two, and decode the rest.
    expect(ours).toContain('1.2.3.4=#0C03666F6F');
    expect(ours).toContain('OU=#0303000102');
  });

  it('takes the Name as a forge node as well as DER', () => {
    const file = certWithSubject('/O=Node/CN=n');
    const der = subjectOf(readDer(file));
    expect(formatDistinguishedName(parseDer(der))).toBe(formatDistinguishedName(der));
  });

  it('getNameAttribute(s): by short name in any case, by alias, by OID; first in DER order', () => {
    const file = certWithSubject('/DC=com/DC=example/O=Smith, Jones+OU=A/OU=B/CN=first/CN=second/emailAddress=x@y.z/title=Dr');
    const name = subjectOf(readDer(file));
    // Expected values from openssl's own reading of the subject, not from our parser.
    const opensslValues = (type: string) =>
      openssl(['x509', '-in', file, '-noout', '-subject', '-nameopt', 'sep_multiline,utf8,-esc_msb,sname'])
        .split('\n')
        .map((l) => l.trim())
        // sep_multiline puts a multi-valued RDN on one line, joined by ' + '.
        .flatMap((l) => l.split(' + '))
        .filter((l) => l.startsWith(`${type}=`))
        .map((l) => l.slice(type.length + 1));
    expect(getNameAttributes(name, 'CN')).toEqual(opensslValues('CN'));
    expect(getNameAttribute(name, 'cn')).toBe(opensslValues('CN')[0]);
    expect(getNameAttributes(name, 'OU')).toEqual(opensslValues('OU'));
    expect(getNameAttributes(name, 'dc')).toEqual(opensslValues('DC'));
    expect(getNameAttribute(name, 'O')).toBe(opensslValues('O')[0]);
    expect(getNameAttribute(name, 'E')).toBe(opensslValues('emailAddress')[0]);
    expect(getNameAttribute(name, 'MAIL')).toBe(opensslValues('emailAddress')[0]);
    expect(getNameAttribute(name, '1.2.840.113549.1.9.1')).toBe(opensslValues('emailAddress')[0]);
    expect(getNameAttribute(name, 'T')).toBe(opensslValues('title')[0]);
    expect(getNameAttribute(name, 'title')).toBe(opensslValues('title')[0]);
    expect(getNameAttribute(name, 'L')).toBeUndefined();
  });
});

describe('distinguished names without a peer', () => {
  it('escapes per RFC 4514 section 2.4', () => {
    // Hand-checked against the RFC's rules, as openssl cannot be asked about a bare string.
    expect(escapeAttributeValue('')).toBe('');
    expect(escapeAttributeValue(' ')).toBe('\\ ');
    expect(escapeAttributeValue('  ')).toBe('\\ \\ ');
    expect(escapeAttributeValue('#a#')).toBe('\\#a#');
    expect(escapeAttributeValue('a=b')).toBe('a=b');
    expect(escapeAttributeValue('\u0000')).toBe('\\00');
    expect(escapeAttributeValue('a\nb')).toBe('a\\0Ab');
  });

  it('formats an empty Name (an empty subject) as the empty string', () => {
    expect(formatDistinguishedName(new Uint8Array([0x30, 0x00]))).toBe('');
  });

  it('refuses garbage and non-Names as damaged', () => {
    expect(codeOf(() => formatDistinguishedName(new Uint8Array([0x30, 0x05, 0x01])))).toBe('damaged');
    expect(codeOf(() => formatDistinguishedName(new Uint8Array([0x02, 0x01, 0x05])))).toBe('damaged');
    // SEQUENCE { SET { SEQUENCE { INTEGER 1, UTF8String "x" } } }: the type is not an OID.
    expect(codeOf(() => formatDistinguishedName(new Uint8Array([0x30, 0x09, 0x31, 0x07, 0x30, 0x05, 0x02, 0x01, 0x01, 0x0c, 0x01, 0x78])))).toBe('damaged');
  });

  it('falls back to #hex for a UTF8String that is not UTF-8', () => {
    // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String 0xff } } }
    const name = new Uint8Array([0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0xff]);
    expect(formatDistinguishedName(name)).toBe('CN=#0C01FF');
  });
});

describe('Names read in place (the listing path) give what the node-forge path gives', () => {
  const stringTypes = [asn1.Type.UTF8, asn1.Type.PRINTABLESTRING, asn1.Type.IA5STRING, asn1.Type.BMPSTRING, TELETEX_STRING, UNIVERSAL_STRING, 18, 26];
  const oids = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.6', '0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1', '2.5.4.5', '1.3.6.1.4.1.99999.7'];
  // Values with what RFC 4514 escapes (leading '#'/space, trailing space, ,+"\<>; and
  // control characters), non-ASCII text, and raw bytes that are not valid UTF-8.
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(' lead', '#hash', 'trail ', 'a,b+c"d\\e<f>g;h', 'tab\there', 'Zürich', '東京', '😀 emoji'),
  );
  const value = fc.tuple(fc.constantFrom(...stringTypes), text, fc.uint8Array({ maxLength: 9 }), fc.boolean()).map(([type, chars, raw, useRaw]) => {
    let bytes: Uint8Array;
    if (type === asn1.Type.UTF8) bytes = useRaw ? raw : new TextEncoder().encode(chars);
    else if (type === asn1.Type.BMPSTRING) bytes = Buffer.from(Array.from(chars).map((c) => c.charCodeAt(0)).flatMap((u) => [u >> 8, u & 0xff]));
    else if (type === UNIVERSAL_STRING) bytes = useRaw ? raw : Buffer.from(Array.from(chars).flatMap((c) => { const cp = c.codePointAt(0)!; return [cp >>> 24, (cp >> 16) & 0xff, (cp >> 8) & 0xff, cp & 0xff]; }));
    else bytes = useRaw ? raw : Buffer.from(chars, 'latin1');
    return asn1.create(asn1.Class.UNIVERSAL, type, false, Buffer.from(bytes).toString('latin1'));
  });
  const attribute = fc.tuple(fc.constantFrom(...oids), value).map(([oid, v]) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, forge.asn1.oidToDer(oid).getBytes()), v]),
  );
  const name = fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), { maxLength: 6 }).map((rdns) =>
    encodeDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, rdns.map((set) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, set)))),
  );

  it('formats generated Names of every string type the same either way, without falling back', () => {
    fc.assert(
      fc.property(name, (der) => {
        const inPlace = formatNameAt(der, derWhole(der)!);
        expect(inPlace).toBeDefined();
        expect(formatDistinguishedName(der)).toBe(inPlace);
        expect(inPlace).toBe(formatDistinguishedName(parseDer(der)));
      }),
      { seed: 4514, numRuns: 1500 },
    );
  });

  it('leaves odd BMPStrings, constructed and non-string values to the node-forge path', () => {
    const odd = new Uint8Array([0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1e, 0x01, 0x41]);
    expect(formatNameAt(odd, derWhole(odd)!)).toBeUndefined();
    const integer = new Uint8Array([0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x02, 0x01, 0x05]);
    expect(formatNameAt(integer, derWhole(integer)!)).toBeUndefined();
    expect(formatDistinguishedName(integer)).toBe('CN=#020105');
  });

  it.skipIf(realCertificates.length === 0)('gives every real CA certificate in the system bundle the subject and issuer the node-forge path gives (skipped: no bundle)', () => {
    for (const der of realCertificates) {
      const tbs = (parseDer(der).value as Asn1[])[0] as Asn1;
      const fields = tbs.value as Asn1[];
      const at = (fields[0] as Asn1).tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      expect(certificateNamesOf(der)).toEqual({ subject: formatDistinguishedName(fields[at + 4] as Asn1), issuer: formatDistinguishedName(fields[at + 2] as Asn1) });
    }
  });
});

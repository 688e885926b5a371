import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asn1, bytesEqual, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { hasTool, makeTempDir, missingNote } from '../testing/peer-tools';
import { parseDistinguishedName } from './distinguished-name-parse';
import { formatDistinguishedName, getNameAttribute, getNameAttributes, nameAttributes } from './distinguished-name';
import { openssl, opensslName, readDer, writeReqConfig } from './openssl-test-support';
import { errorOf } from '../testing/keydesk-error';

const haveOpenssl = hasTool('openssl');


/** [type OID, universal tag, text] of every attribute, in DER order. */
function attributes(dn: string): [string, number, string | undefined][] {
  return nameAttributes(parseDistinguishedName(dn))
    .flat()
    .map((a) => [a.oid, a.der[0] as number, a.value]);
}

describe('parseDistinguishedName', () => {
  it('puts the RDNs in DER order, the reverse of the string (C first for CN=…,O=…,C=…)', () => {
    expect(attributes('CN=QM1,O=IBM,C=GB')).toEqual([
      ['2.5.4.6', asn1.Type.PRINTABLESTRING, 'GB'],
      ['2.5.4.10', asn1.Type.UTF8, 'IBM'],
      ['2.5.4.3', asn1.Type.UTF8, 'QM1'],
    ]);
    expect(formatDistinguishedName(parseDistinguishedName('CN=QM1,O=IBM,C=GB'))).toBe('CN=QM1,O=IBM,C=GB');
  });

  it('chooses PrintableString for C and SERIALNUMBER, IA5String for DC and E, UTF8String otherwise', () => {
    expect(attributes('E=a@b.c,SERIALNUMBER=12 34,CN=x,DC=example,C=us,1.2.3.4=y')).toEqual([
      ['1.2.3.4', asn1.Type.UTF8, 'y'],
      ['2.5.4.6', asn1.Type.PRINTABLESTRING, 'us'],
      ['0.9.2342.19200300.100.1.25', asn1.Type.IA5STRING, 'example'],
      ['2.5.4.3', asn1.Type.UTF8, 'x'],
      ['2.5.4.5', asn1.Type.PRINTABLESTRING, '12 34'],
      ['1.2.840.113549.1.9.1', asn1.Type.IA5STRING, 'a@b.c'],
    ]);
  });

  it('reads escapes, hex escapes spelling UTF-8, quoted values and spaces around separators', () => {
    const name = parseDistinguishedName(' CN = Smith\\, John ,  O = "A+B, \\"C\\"" ; OU=M\\C3\\BCller\\2C x ; L=\\ padded\\ , ST=\\#1 ');
    expect(getNameAttribute(name, 'CN')).toBe('Smith, John');
    expect(getNameAttribute(name, 'O')).toBe('A+B, "C"');
    expect(getNameAttribute(name, 'OU')).toBe('Müller, x');
    expect(getNameAttribute(name, 'L')).toBe(' padded ');
    expect(getNameAttribute(name, 'ST')).toBe('#1');
    expect(getNameAttribute(parseDistinguishedName('CN=a=b\\=c\\<\\>\\;\\+\\\\'), 'CN')).toBe('a=b=c<>;+\\');
  });

  it('makes multi-valued RDNs from +, their members sorted as DER sorts a SET OF', () => {
    const name = parseDistinguishedName('CN=qm1+UID=mqm,OU=MQ+O=IBM,C=GB');
    const rdns = nameAttributes(name);
    expect(rdns.map((rdn) => rdn.map((a) => a.value).sort())).toEqual([['GB'], ['IBM', 'MQ'], ['mqm', 'qm1']]);
    for (const set of (name.value as Asn1[]).map((rdn) => (rdn.value as Asn1[]).map((ava) => Buffer.from(encodeDer(ava))))) {
      expect(set).toEqual([...set].sort(Buffer.compare));
    }
  });

  it('takes the aliases runmqakm and MQ use, any case, and OIDs with or without OID.', () => {
    const one = (dn: string) => nameAttributes(parseDistinguishedName(dn)).flat()[0]?.oid;
    for (const t of ['ST', 'S', 'SP', 'st', 'sp']) expect(one(`${t}=x`), t).toBe('2.5.4.8');
    for (const t of ['E', 'EMAIL', 'MAIL', 'emailAddress', 'mail']) expect(one(`${t}=a@b.c`), t).toBe('1.2.840.113549.1.9.1');
    for (const t of ['T', 'title']) expect(one(`${t}=x`), t).toBe('2.5.4.12');
    for (const t of ['PC', 'postalCode']) expect(one(`${t}=x`), t).toBe('2.5.4.17');
    for (const t of ['STREET', 'street']) expect(one(`${t}=x`), t).toBe('2.5.4.9');
    for (const t of ['SERIALNUMBER', 'serialNumber']) expect(one(`${t}=x`), t).toBe('2.5.4.5');
    expect(one('UID=x')).toBe('0.9.2342.19200300.100.1.1');
    expect(one('OID.2.5.4.3=x')).toBe('2.5.4.3');
    expect(one('2.5.4.3=x')).toBe('2.5.4.3');
  });

  it('lets OU and DC repeat, in order', () => {
    const name = parseDistinguishedName('CN=x,OU=WEBSPHERE,OU=IBM,DC=example,DC=com');
    expect(getNameAttributes(name, 'OU')).toEqual(['IBM', 'WEBSPHERE']);
    expect(getNameAttributes(name, 'DC')).toEqual(['com', 'example']);
  });

  it('takes #hex values as the DER of the value', () => {
    const name = parseDistinguishedName('CN=#0C03616263,O=x');
    expect(getNameAttribute(name, 'CN')).toBe('abc');
    expect(nameAttributes(name)[1]?.[0]?.der).toEqual(new Uint8Array([0x0c, 3, 0x61, 0x62, 0x63]));
  });

  it('allows 64 characters in CN (counting characters, not bytes) and refuses 65', () => {
    expect(getNameAttribute(parseDistinguishedName(`CN=${'ü'.repeat(64)}`), 'CN')).toBe('ü'.repeat(64));
    expect(errorOf(() => parseDistinguishedName(`CN=${'a'.repeat(65)}`)).message).toContain('at most 64');
  });

  const refusals: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['/C=GB/O=IBM/CN=x', 'OpenSSL'],
    ['CN=a,', 'ends with ","'],
    ['CN=a+', 'ends with "+"'],
    ['CN=a,,O=b', 'empty attribute'],
    ['CN', '"CN"'],
    ['CN=a,O', '"O"'],
    ['=a', 'no attribute type'],
    ['FOO=bar', '"FOO"'],
    ['C N=x', '"C N"'],
    ['1.2.x=y', '"1.2.x"'],
    ['CN=', 'CN an empty value'],
    ['CN=  ,O=x', 'CN an empty value'],
    ['CN=""', 'CN an empty value'],
    ['CN="abc', 'unterminated'],
    ['CN="abc" d', 'after the closing quote'],
    ['CN=ab"c', 'stray'],
    ['CN=a\\qb', '"\\q"'],
    ['CN=a\\', 'lone backslash'],
    ['CN=\\C3', 'not UTF-8'],
    ['CN=#0C0361', '#hex value for CN'],
    ['CN=#0C0', 'odd'],
    ['CN=#zz', '"z"'],
    ['C=GBR', '"GBR"'],
    ['C=G1', '"G1"'],
    ['SERIALNUMBER=a_b', '"a_b"'],
    ['E=jörg@example.com', 'ASCII'],
    ['DC=exämple', 'ASCII'],
    ['CN=a\\0Ab', 'control character'],
    ['CN=a,CN=b', 'CN more than once'],
    ['O=a+O=b', 'O more than once'],
    ['ST=a,S=b', 'ST more than once'],
  ];
  for (const [dn, part] of refusals) {
    it(`refuses ${JSON.stringify(dn)} with a usage error naming ${part}`, () => {
      const { code, message } = errorOf(() => parseDistinguishedName(dn));
      expect(code).toBe('usage');
      expect(message).toContain(part);
    });
  }
});

/** The subject Name of a certificate, as its own DER. */
function subjectOf(certDer: Uint8Array): Uint8Array {
  const fields = ((parseDer(certDer).value as Asn1[])[0] as Asn1).value as Asn1[];
  const offset = (fields[0] as Asn1).tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return encodeDer(fields[offset + 4] as Asn1);
}

describe.skipIf(!haveOpenssl)(`parseDistinguishedName agrees with openssl req -subj${missingNote('openssl')}`, () => {
  let dir = '';
  let cleanup = () => {};
  let key = '';
  let config = '';
  let count = 0;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('keydesk-dnparse-'));
    key = join(dir, 'key.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    // utf8only is OpenSSL's default mask; pinned so a site openssl.cnf cannot change it.
    config = writeReqConfig(dir, 'req.cnf', 'string_mask = utf8only');
  });
  afterAll(() => cleanup());

  // Each pair: what an operator types for runmqakm -dn, and the same subject written by
  // hand in OpenSSL's -subj form (DER order, '/' separated). The expected text and bytes
  // come from the certificate openssl makes from the second.
  const cases: [string, string, string][] = [
    ['the IBM documentation example', 'CN=John Smith,O=IBM,OU=Test,C=GB', '/C=GB/OU=Test/O=IBM/CN=John Smith'],
    [
      'spaces around separators, semicolons, repeated OU, non-ASCII',
      ' CN = qm1.example.com , OU = MQ ; OU = Middleware, O = Example AG , L=München,ST=Bayern,C=DE',
      '/C=DE/ST=Bayern/L=München/O=Example AG/OU=Middleware/OU=MQ/CN=qm1.example.com',
    ],
    ['backslash escapes', 'CN=Smith\\, John,O=A\\+B \\"C\\",C=GB', '/C=GB/O=A\\+B "C"/CN=Smith, John'],
    ['quoted values', 'CN="Smith, John",O="A+B;C"', '/O=A\\+B;C/CN=Smith, John'],
    ['hex escapes spelling UTF-8', 'CN=M\\C3\\BCller\\2C Hans,O=x', '/O=x/CN=Müller, Hans'],
    ['multi-valued RDNs', 'CN=qm1+UID=mqm,OU=MQ+O=IBM,C=GB', '/C=GB/O=IBM+OU=MQ/UID=mqm+CN=qm1'],
    [
      'every attribute type runmqakm and SSLPEER name',
      'E=ops@example.com,CN=qm1,T=Admin,UID=jdoe,SERIALNUMBER=1234-5,STREET=1 Main St,PC=SO21 2JN,L=Hursley,SP=Hampshire,OU=MQ,O=IBM,DC=example,DC=com,C=GB',
      '/C=GB/DC=com/DC=example/O=IBM/OU=MQ/ST=Hampshire/L=Hursley/postalCode=SO21 2JN/street=1 Main St/serialNumber=1234-5/UID=jdoe/title=Admin/CN=qm1/emailAddress=ops@example.com',
    ],
    ['aliases', 'EMAIL=a@b.c,S=Essex,title=Dr,postalCode=CM1,CN=x', '/CN=x/postalCode=CM1/title=Dr/ST=Essex/emailAddress=a@b.c'],
    ['escaped leading and trailing spaces', 'CN=\\ lead and trail\\ ,O=x', '/O=x/CN= lead and trail '],
    ['RFC 4514 specials', 'CN=a\\;b\\<c\\>d\\=e#f,O=\\#hash', '/O=#hash/CN=a;b<c>d=e#f'],
    ['CJK and beyond the BMP', 'CN=😀 grin,O=日本語', '/O=日本語/CN=😀 grin'],
  ];

  for (const [what, dn, subj] of cases) {
    it(what, () => {
      const file = join(dir, `c${++count}.pem`);
      openssl(['req', '-new', '-x509', '-config', config, '-key', key, '-days', '1', '-utf8', '-subj', subj, '-out', file]);
      const ours = parseDistinguishedName(dn);
      expect(formatDistinguishedName(ours)).toBe(opensslName('x509', file, 'subject'));
      // Same attribute types, string types and SET ordering as OpenSSL, byte for byte.
      const theirs = subjectOf(readDer(file));
      expect(bytesEqual(encodeDer(ours), theirs), `${Buffer.from(encodeDer(ours)).toString('hex')} vs ${Buffer.from(theirs).toString('hex')}`).toBe(true);
    });
  }

  it('a dotted OID: a UTF8String under that OID, as openssl writes a type it knows only by number', () => {
    // -subj skips numeric types, so the OID gets a name in the config; the bytes carry only
    // the OID. (The text differs on purpose: openssl prints the configured name.)
    const oidConfig = join(dir, 'oid.cnf');
    writeFileSync(oidConfig, `oid_section = oids\n[oids]\nkeydeskTest = 1.2.3.4\n${readFileSync(config, 'utf8')}`);
    const file = join(dir, 'oid.pem');
    openssl(['req', '-new', '-x509', '-config', oidConfig, '-key', key, '-days', '1', '-utf8', '-subj', '/CN=x/keydeskTest=custom', '-out', file]);
    const ours = parseDistinguishedName('1.2.3.4=custom,CN=x');
    expect(Buffer.from(encodeDer(ours)).toString('hex')).toBe(Buffer.from(subjectOf(readDer(file))).toString('hex'));
    expect(formatDistinguishedName(ours)).toBe('1.2.3.4=#0C06637573746F6D,CN=x');
  });
});

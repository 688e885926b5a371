import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asn1, parseDer, type Asn1 } from '../asn1/der';
import { generateKeyPair, type GeneratedKeyPair, type KeySpec, type SignatureHash } from '../crypto/key-generation';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { buildCertificate, keyIdentifier, signCertificationRequest, type CertificateInput } from './certificate-builder';
import { describeCertificate } from './certificate-details';
import { buildCertificationRequest } from './certification-request-builder';
import { parseDistinguishedName } from './distinguished-name-parse';
import { formatDistinguishedName } from './distinguished-name';
import { EKU_WORDS, KEY_USAGE_WORDS, SIGNATURE_WORDS, opensslDate, opensslName, readDer, sanWord } from './openssl-test-support';
import { errorOf } from '../testing/keydesk-error';
import { encodePem } from '../formats/pem';

const haveOpenssl = hasTool('openssl');
const haveKeytool = hasTool('keytool');



/** The key types MQ CipherSpecs use, each with the hash runmqakm would pair with it. */
const KEYS: { name: string; spec: KeySpec; hash: SignatureHash; javaSignature: string }[] = [
  { name: 'rsa2048', spec: { algorithm: 'RSA', size: 2048 }, hash: 'sha256', javaSignature: 'SHA256withRSA' },
  { name: 'p256', spec: { algorithm: 'EC', curve: 'P-256' }, hash: 'sha256', javaSignature: 'SHA256withECDSA' },
  { name: 'p384', spec: { algorithm: 'EC', curve: 'P-384' }, hash: 'sha384', javaSignature: 'SHA384withECDSA' },
  { name: 'p521', spec: { algorithm: 'EC', curve: 'P-521' }, hash: 'sha512', javaSignature: 'SHA512withECDSA' },
];

const DN = 'CN=qm1.example.com,OU=MQ,O=KeyDesk Test,C=GB';
const SANS = { dns: ['qm1.example.com', '*.mq.example.com'], ip: ['192.0.2.10', '2001:db8::1', '::ffff:198.51.100.7'], email: ['mq@example.com'] };

const pairs = new Map<string, GeneratedKeyPair>();
const keyOf = (name: string) => pairs.get(name) as GeneratedKeyPair;

beforeAll(async () => {
  for (const k of KEYS) pairs.set(k.name, await generateKeyPair(k.spec));
  pairs.set('other-rsa', await generateKeyPair({ algorithm: 'RSA', size: 2048 }));
});

function selfSigned(name: string, extra: Partial<CertificateInput> = {}): Uint8Array {
  const pair = keyOf(name);
  const k = KEYS.find((x) => x.name === name);
  return buildCertificate({
    subject: parseDistinguishedName(DN),
    subjectPublicKey: pair.publicKey,
    subjectPrivateKey: pair.privateKey,
    hash: k?.hash ?? 'sha256',
    validityDays: 365,
    subjectAltNames: SANS,
    profile: 'tls',
    ...extra,
  });
}

/** tbsCertificate fields of a v3 certificate: version, serial, signature, issuer,
 * validity, subject, spki, extensions. */
function tbsFields(der: Uint8Array): Asn1[] {
  return ((parseDer(der).value as Asn1[])[0] as Asn1).value as Asn1[];
}

describe('buildCertificate (checked with our own reader)', () => {
  for (const k of KEYS) {
    it(`${k.name}: a self-signed TLS certificate`, () => {
      const der = selfSigned(k.name);
      const d = describeCertificate(der);
      expect(d.selfSigned).toBe(true);
      expect(d.version).toBe(3);
      expect(d.subject).toBe(DN);
      expect(d.issuer).toBe(DN);
      expect(d.signatureAlgorithm).toBe(k.javaSignature);
      expect(d.keyUsage).toEqual(k.spec.algorithm === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']);
      expect(d.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
      expect(d.basicConstraints).toEqual({ ca: false });
      expect(d.subjectAltNames).toEqual(['DNS:qm1.example.com', 'DNS:*.mq.example.com', 'IP:192.0.2.10', 'IP:2001:db8::1', 'IP:::ffff:c633:6407', 'email:mq@example.com']);
      // 16 bytes, positive without a sign byte.
      expect(d.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(d.serial.slice(0, 2)).not.toBe('00');
      expect((Date.parse(d.notAfter) - Date.parse(d.notBefore)) / 86_400_000).toBe(365);
    });
  }

  it('gives each certificate a fresh serial', () => {
    const serials = new Set([1, 2, 3, 4, 5].map(() => describeCertificate(selfSigned('p256')).serial));
    expect(serials.size).toBe(5);
  });

  it('writes a given serial as a positive INTEGER, adding the sign byte only when needed', () => {
    const contents = (der: Uint8Array) => Buffer.from(fromBinaryString((tbsFields(der)[1] as Asn1).value as string)).toString('hex');
    expect(contents(selfSigned('p256', { serial: new Uint8Array([0x00, 0x00, 0x80, 0x01]) }))).toBe('008001');
    expect(contents(selfSigned('p256', { serial: new Uint8Array([0x7f]) }))).toBe('7f');
    expect(errorOf(() => selfSigned('p256', { serial: new Uint8Array([0, 0]) })).code).toBe('usage');
    expect(errorOf(() => selfSigned('p256', { serial: new Uint8Array(20).fill(0x80) })).code).toBe('usage');
    expect(contents(selfSigned('p256', { serial: new Uint8Array(20).fill(0x7f) }))).toBe('7f'.repeat(20));
  });

  it('uses UTCTime up to 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5)', () => {
    const der = selfSigned('p256', { notBefore: new Date('2049-12-31T12:00:00.750Z'), validityDays: 1 });
    const [notBefore, notAfter] = (tbsFields(der)[4] as Asn1).value as Asn1[];
    expect([notBefore?.type, notBefore?.value]).toEqual([asn1.Type.UTCTIME, '491231120000Z']);
    expect([notAfter?.type, notAfter?.value]).toEqual([asn1.Type.GENERALIZEDTIME, '20500101120000Z']);
  });

  it('a CA profile: keyCertSign and cRLSign, basicConstraints CA:true with the path length', () => {
    const d = describeCertificate(selfSigned('p384', { profile: 'ca', pathLength: 0, subjectAltNames: undefined }));
    expect(d.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(d.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(d.extendedKeyUsage).toEqual([]);
    expect(d.subjectAltNames).toEqual([]);
  });

  it('puts subjectKeyIdentifier (SHA-1 of the key bits) and an equal authorityKeyIdentifier in a self-signed certificate', () => {
    const pair = keyOf('rsa2048');
    const der = selfSigned('rsa2048');
    const extensions = ((tbsFields(der)[7] as Asn1).value as Asn1[])[0]?.value as Asn1[];
    const byOid = new Map(extensions.map((e) => [asn1.derToOid((e.value as Asn1[])[0]?.value as string), (e.value as Asn1[]).at(-1)?.value as string]));
    const ski = parseDer(fromBinaryString(byOid.get('2.5.29.14') as string)).value as string;
    const aki = ((parseDer(fromBinaryString(byOid.get('2.5.29.35') as string)).value as Asn1[])[0] as Asn1).value as string;
    expect(Buffer.from(fromBinaryString(ski))).toEqual(Buffer.from(keyIdentifier(pair.publicKey)));
    expect(aki).toBe(ski);
  });

  it('refuses what it cannot make, plainly', () => {
    const p256 = keyOf('p256');
    const subject = parseDistinguishedName('CN=x');
    const base: CertificateInput = { subject, subjectPublicKey: p256.publicKey, subjectPrivateKey: p256.privateKey, hash: 'sha256', validityDays: 1, profile: 'tls' };
    const cases: [string, Partial<CertificateInput>, string, string][] = [
      ['no private key to self-sign', { subjectPrivateKey: undefined }, 'usage', 'needs the subject private key'],
      ['a private key of another pair', { subjectPrivateKey: keyOf('other-rsa').privateKey }, 'usage', 'does not belong'],
      ['a path length on a TLS certificate', { pathLength: 1 }, 'usage', 'path length'],
      ['zero days', { validityDays: 0 }, 'usage', 'validity'],
      ['fractional days', { validityDays: 1.5 }, 'usage', 'validity'],
      ['a year past 9999', { validityDays: 3_000_000 }, 'usage', '9999'],
      ['an unknown hash', { hash: 'sha1' as SignatureHash }, 'usage', 'sha1'],
      ['an unknown profile', { profile: 'email' as 'tls' }, 'usage', 'email'],
      ['a bad DNS name', { subjectAltNames: { dns: ['bad name'] } }, 'usage', '"bad name"'],
      ['a wildcard not in front', { subjectAltNames: { dns: ['a.*.example.com'] } }, 'usage', 'a.*.example.com'],
      ['a non-ASCII DNS name', { subjectAltNames: { dns: ['bücher.example'] } }, 'usage', 'xn--bcher-kva.example'],
      ['a bad IP address', { subjectAltNames: { ip: ['300.1.1.1'] } }, 'usage', '300.1.1.1'],
      ['an IPv6 zone', { subjectAltNames: { ip: ['fe80::1%eth0'] } }, 'usage', 'fe80::1%eth0'],
      ['a bad email', { subjectAltNames: { email: ['not-an-address'] } }, 'usage', 'not-an-address'],
      ['an empty subject without SANs', { subject: parseDer(new Uint8Array([0x30, 0])) }, 'usage', 'empty subject'],
      ['a damaged public key', { subjectPublicKey: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]) }, 'damaged', 'public key'],
      ['a damaged private key', { subjectPrivateKey: new Uint8Array([1, 2, 3]) }, 'damaged', 'private key'],
    ];
    for (const [what, change, code, part] of cases) {
      const error = errorOf(() => buildCertificate({ ...base, ...change }));
      expect(error.code, what).toBe(code);
      expect(error.message, what).toContain(part);
    }
  });

  it('refuses to sign with an Ed25519 key (unsupported), as MQ has no CipherSpec for it', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519');
    const error = errorOf(() =>
      buildCertificate({
        subject: parseDistinguishedName('CN=ed'),
        subjectPublicKey: new Uint8Array(ed.publicKey.export({ type: 'spki', format: 'der' })),
        subjectPrivateKey: new Uint8Array(ed.privateKey.export({ type: 'pkcs8', format: 'der' })),
        hash: 'sha256',
        validityDays: 1,
        profile: 'tls',
      }),
    );
    expect(error.code).toBe('unsupported');
    expect(error.message).toContain('ed25519');
  });
});

function fromBinaryString(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

// --- peers --------------------------------------------------------------------------

interface OpensslView {
  subject: string;
  issuer: string;
  signature: string;
  keyUsage: { critical: boolean; words: string[] };
  extendedKeyUsage: string[];
  subjectAltNames: string[];
  basicConstraints: { critical: boolean; text: string };
  ski: string;
  aki: string;
  serialHex: string;
  days: number;
  publicKey: string;
}

describe.skipIf(!haveOpenssl)(`buildCertificate and signCertificationRequest, checked by openssl${missingNote('openssl')}`, () => {
  let dir = '';
  let cleanup = () => {};
  let count = 0;
  beforeAll(() => ({ dir, cleanup } = makeTempDir('keydesk-certbuild-')));
  afterAll(() => cleanup());

  const ossl = (args: string[]) => runTool('openssl', args, { cwd: dir }).toString('utf8');

  function save(der: Uint8Array, label = 'CERTIFICATE', name = `f${++count}`): string {
    const file = join(dir, `${name}.pem`);
    writeFileSync(file, encodePem(label, der));
    return file;
  }
  function saveKey(pair: GeneratedKeyPair, name: string): string {
    return save(pair.privateKey, 'PRIVATE KEY', name);
  }

  /** What `openssl x509 -text` says, in KeyDesk's words. */
  function view(file: string): OpensslView {
    const text = ossl(['x509', '-in', file, '-noout', '-text']);
    const lines = text.split('\n');
    const ext = (name: string) => {
      const at = lines.findIndex((l) => l.trim().startsWith(`X509v3 ${name}:`));
      return at < 0 ? undefined : { critical: (lines[at] as string).includes('critical'), value: (lines[at + 1] ?? '').trim() };
    };
    const dates = ossl(['x509', '-in', file, '-noout', '-dates']);
    const date = (key: string) => Date.parse(opensslDate(new RegExp(`${key}=(.*)`).exec(dates)?.[1] ?? ''));
    const ku = ext('Key Usage');
    const bc = ext('Basic Constraints');
    return {
      subject: opensslName('x509', file, 'subject'),
      issuer: opensslName('x509', file, 'issuer'),
      signature: SIGNATURE_WORDS[/Signature Algorithm: (\S+)/.exec(text)?.[1] ?? ''] ?? '?',
      keyUsage: { critical: ku?.critical ?? false, words: ku ? ku.value.split(', ').map((w) => KEY_USAGE_WORDS[w] ?? w) : [] },
      extendedKeyUsage: ext('Extended Key Usage')?.value.split(', ').map((w) => EKU_WORDS[w] ?? w) ?? [],
      subjectAltNames: ext('Subject Alternative Name')?.value.split(', ').map(sanWord) ?? [],
      basicConstraints: { critical: bc?.critical ?? false, text: bc?.value ?? '' },
      ski: ext('Subject Key Identifier')?.value ?? '',
      aki: (ext('Authority Key Identifier')?.value ?? '').replace(/^keyid:/, ''),
      serialHex: /serial=(\S+)/.exec(ossl(['x509', '-in', file, '-noout', '-serial']))?.[1] ?? '',
      days: (date('notAfter') - date('notBefore')) / 86_400_000,
      publicKey: /NIST CURVE: (\S+)/.exec(text)?.[1] ?? /Public-Key: \((\d+ bit)\)/.exec(text)?.[1] ?? '?',
    };
  }

  function verifies(caFile: string, file: string, untrusted?: string): string {
    return ossl(['verify', '-CAfile', caFile, ...(untrusted ? ['-untrusted', untrusted] : []), file]).trim();
  }

  /** The subjectKeyIdentifier openssl itself computes for a key ('hash' method). */
  function opensslSki(keyFile: string): string {
    const file = join(dir, `ski${++count}.pem`);
    ossl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=ski', '-days', '1', '-addext', 'subjectKeyIdentifier=hash', '-out', file]);
    return view(file).ski;
  }

  for (const k of KEYS) {
    it(`${k.name}: openssl reads the self-signed TLS certificate as built`, () => {
      const der = selfSigned(k.name);
      const file = save(der);
      const v = view(file);
      // runmqakm -dn "CN=…,O=…,C=…" prints back the same under -nameopt RFC2253.
      expect(v.subject).toBe(DN);
      expect(v.issuer).toBe(DN);
      expect(v.signature).toBe(k.javaSignature);
      expect(v.keyUsage).toEqual({ critical: true, words: k.spec.algorithm === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'] });
      expect(v.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
      expect(v.subjectAltNames).toEqual(['DNS:qm1.example.com', 'DNS:*.mq.example.com', 'IP:192.0.2.10', 'IP:2001:db8::1', 'IP:::ffff:c633:6407', 'email:mq@example.com']);
      expect(v.basicConstraints).toEqual({ critical: true, text: 'CA:FALSE' });
      expect(v.publicKey).toBe(k.spec.algorithm === 'RSA' ? `${k.spec.size} bit` : k.spec.curve);
      expect(v.serialHex).toMatch(/^[0-7][0-9A-F]{31}$/);
      expect(v.days).toBe(365);
      expect(v.aki).toBe(v.ski);
      expect(v.ski).toBe(opensslSki(saveKey(keyOf(k.name), `${k.name}-key`)));
      // And our own reader agrees with openssl on the same bytes.
      const d = describeCertificate(der);
      expect([d.subject, d.signatureAlgorithm, d.keyUsage, d.subjectAltNames]).toEqual([v.subject, v.signature, v.keyUsage.words, v.subjectAltNames]);
      expect(d.serial).toBe(v.serialHex.toLowerCase());
    });

    it(`${k.name}: openssl verify accepts a self-signed CA certificate as its own anchor`, () => {
      const file = save(selfSigned(k.name, { profile: 'ca', pathLength: 1, subjectAltNames: undefined }));
      expect(verifies(file, file)).toBe(`${file}: OK`);
      const v = view(file);
      expect(v.basicConstraints).toEqual({ critical: true, text: 'CA:TRUE, pathlen:1' });
      expect(v.keyUsage).toEqual({ critical: true, words: ['digitalSignature', 'keyCertSign', 'cRLSign'] });
      expect(v.extendedKeyUsage).toEqual([]);
    });
  }

  it('openssl reads UTCTime and GeneralizedTime validity as the dates asked for', () => {
    const file = save(selfSigned('p256', { notBefore: new Date('2049-12-31T12:00:00Z'), validityDays: 2 }));
    const dates = ossl(['x509', '-in', file, '-noout', '-dates']);
    expect(opensslDate(/notBefore=(.*)/.exec(dates)?.[1] ?? '')).toBe('2049-12-31T12:00:00Z');
    expect(opensslDate(/notAfter=(.*)/.exec(dates)?.[1] ?? '')).toBe('2050-01-02T12:00:00Z');
  });

  it('buildCertificate with an issuer: openssl verifies the chain, AKI is the issuer key', () => {
    const caPair = keyOf('p384');
    const caName = parseDistinguishedName('CN=Direct CA,O=KeyDesk Test');
    const caFile = save(buildCertificate({ subject: caName, subjectPublicKey: caPair.publicKey, subjectPrivateKey: caPair.privateKey, hash: 'sha384', validityDays: 30, profile: 'ca' }));
    const leafPair = keyOf('rsa2048');
    const leafFile = save(
      buildCertificate({
        subject: parseDistinguishedName('CN=leaf'),
        issuer: { name: caName, privateKey: caPair.privateKey },
        subjectPublicKey: leafPair.publicKey,
        hash: 'sha256',
        validityDays: 30,
        profile: 'tls',
      }),
    );
    expect(verifies(caFile, leafFile)).toBe(`${leafFile}: OK`);
    expect(view(leafFile).aki).toBe(view(caFile).ski);
    expect(view(leafFile).signature).toBe('SHA256withECDSA');
  });

  describe('signCertificationRequest', () => {
    let caEc: Uint8Array = new Uint8Array();
    let caRsa: Uint8Array = new Uint8Array();
    let caEcFile = '';
    let caRsaFile = '';

    beforeAll(() => {
      caEc = buildCertificate({
        subject: parseDistinguishedName('CN=KeyDesk Test EC CA,O=KeyDesk Test,C=GB'),
        subjectPublicKey: keyOf('p384').publicKey,
        subjectPrivateKey: keyOf('p384').privateKey,
        hash: 'sha384',
        validityDays: 30,
        profile: 'ca',
      });
      caRsa = buildCertificate({
        subject: parseDistinguishedName('CN=KeyDesk Test RSA CA,O=KeyDesk Test,C=GB'),
        subjectPublicKey: keyOf('rsa2048').publicKey,
        subjectPrivateKey: keyOf('rsa2048').privateKey,
        hash: 'sha256',
        validityDays: 30,
        profile: 'ca',
      });
      caEcFile = save(caEc, 'CERTIFICATE', 'ca-ec');
      caRsaFile = save(caRsa, 'CERTIFICATE', 'ca-rsa');
    });

    /** A request made by openssl itself, with its own key. */
    function opensslRequest(name: string, gen: string[], subj: string, extra: string[] = []): Uint8Array {
      ossl(['genpkey', ...gen, '-out', `${name}.key`]);
      ossl(['req', '-new', '-key', `${name}.key`, '-subj', subj, '-utf8', ...extra, '-out', `${name}.csr`]);
      return readDer(join(dir, `${name}.csr`));
    }

    function expectIssued(leafFile: string, caFile: string, csrFile: string): OpensslView {
      expect(verifies(caFile, leafFile)).toBe(`${leafFile}: OK`);
      const leaf = view(leafFile);
      const ca = view(caFile);
      expect(leaf.issuer).toBe(ca.subject);
      expect(leaf.aki).toBe(ca.ski);
      expect(leaf.subject).toBe(opensslName('req', csrFile, 'subject'));
      const reqText = ossl(['req', '-in', csrFile, '-noout', '-text']).split('\n');
      const at = reqText.findIndex((l) => l.includes('X509v3 Subject Alternative Name'));
      expect(leaf.subjectAltNames).toEqual(at < 0 ? [] : (reqText[at + 1] ?? '').trim().split(', ').map(sanWord));
      expect(leaf.serialHex).toMatch(/^[0-7][0-9A-F]{31}$/);
      return leaf;
    }

    it('issues for a request openssl made: chain verifies, subject and SANs copied, hash follows the CA', () => {
      const csr = opensslRequest('o-rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], '/C=GB/O=Example/OU=MQ+L=Hursley/CN=qm2', [
        '-addext',
        'subjectAltName=DNS:qm2.example.com,IP:192.0.2.20,URI:urn:example:qm2',
        '-addext',
        'keyUsage=keyAgreement',
      ]);
      const leafFile = save(signCertificationRequest(csr, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 90 }));
      const leaf = expectIssued(leafFile, caEcFile, join(dir, 'o-rsa.csr'));
      expect(leaf.subjectAltNames).toContain('URI:urn:example:qm2');
      expect(leaf.signature).toBe('SHA384withECDSA');
      expect(leaf.days).toBe(90);
      // The profile decides the usages, not the request.
      expect(leaf.keyUsage.words).toEqual(['digitalSignature', 'keyEncipherment']);
      expect(leaf.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
      expect(leaf.basicConstraints.text).toBe('CA:FALSE');
    });

    it('issues for a request buildCertificationRequest made, with a chosen hash', () => {
      const pair = keyOf('p256');
      const csr = buildCertificationRequest({
        subject: parseDistinguishedName('CN=qm3,OU=MQ,O=Example,C=GB'),
        publicKey: pair.publicKey,
        privateKey: pair.privateKey,
        hash: 'sha256',
        subjectAltNames: { dns: ['qm3.example.com'], ip: ['2001:db8::3'] },
      });
      const csrFile = save(csr, 'CERTIFICATE REQUEST', 'ours-p256');
      const leafFile = save(signCertificationRequest(csr, { certificate: caRsa, privateKey: keyOf('rsa2048').privateKey }, { validityDays: 30, hash: 'sha512' }));
      const leaf = expectIssued(leafFile, caRsaFile, csrFile);
      expect(leaf.subject).toBe('CN=qm3,OU=MQ,O=Example,C=GB');
      expect(leaf.subjectAltNames).toEqual(['DNS:qm3.example.com', 'IP:2001:db8::3']);
      expect(leaf.signature).toBe('SHA512withRSA');
      expect(leaf.keyUsage.words).toEqual(['digitalSignature']);
    });

    it('checks RSASSA-PSS and Ed25519 request signatures too', () => {
      const pss = opensslRequest('o-pss', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], '/CN=pss', ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sha384']);
      const pssFile = save(signCertificationRequest(pss, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 1 }));
      expectIssued(pssFile, caEcFile, join(dir, 'o-pss.csr'));
      const ed = opensslRequest('o-ed', ['-algorithm', 'ED25519'], '/CN=ed', ['-addext', 'subjectAltName=DNS:ed.example.com']);
      const edFile = save(signCertificationRequest(ed, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 1 }));
      expect(expectIssued(edFile, caEcFile, join(dir, 'o-ed.csr')).keyUsage.words).toEqual(['digitalSignature']);
    });

    it('issues a subordinate CA whose leaves verify through it', () => {
      const subPair = keyOf('p521');
      const subCsr = buildCertificationRequest({ subject: parseDistinguishedName('CN=Sub CA,O=KeyDesk Test'), publicKey: subPair.publicKey, privateKey: subPair.privateKey, hash: 'sha512' });
      const sub = signCertificationRequest(subCsr, { certificate: caRsa, privateKey: keyOf('rsa2048').privateKey }, { validityDays: 30, profile: 'ca' });
      const subFile = save(sub);
      expect(view(subFile).basicConstraints.text).toBe('CA:TRUE');
      const csr = opensslRequest('o-leaf', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=deep');
      const leafFile = save(signCertificationRequest(csr, { certificate: sub, privateKey: subPair.privateKey }, { validityDays: 10 }));
      expect(verifies(caRsaFile, leafFile, subFile)).toBe(`${leafFile}: OK`);
      expect(view(leafFile).aki).toBe(view(subFile).ski);
      // The sub CA's own certificate is signed with SHA-256, so that is its default.
      expect(view(leafFile).signature).toBe('SHA256withECDSA');
    });

    it("takes AKI from the CA's subjectKeyIdentifier extension, even one not made by hashing", () => {
      ossl(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'oca.key', '-subj', '/CN=OpenSSL CA', '-days', '2', '-addext', 'subjectKeyIdentifier=0102030405', '-addext', 'authorityKeyIdentifier=none', '-out', 'oca.pem']);
      const caFile = join(dir, 'oca.pem');
      const caKey = readDer(join(dir, 'oca.key'));
      const csr = opensslRequest('o-for-oca', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=x');
      const leafFile = save(signCertificationRequest(csr, { certificate: readDer(caFile), privateKey: caKey }, { validityDays: 1 }));
      expect(view(caFile).ski).toBe('01:02:03:04:05');
      expect(view(leafFile).aki).toBe('01:02:03:04:05');
      expect(verifies(caFile, leafFile)).toBe(`${leafFile}: OK`);
      expect(view(leafFile).signature).toBe('SHA256withECDSA');
    });

    it('refuses a request altered after signing, as openssl does', () => {
      const csr = opensslRequest('o-tamper', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=honest');
      const altered = new Uint8Array(csr);
      const at = Buffer.from(altered).indexOf('honest');
      altered[at] = 'H'.charCodeAt(0);
      const alteredFile = save(altered, 'CERTIFICATE REQUEST');
      // The peer agrees that the change broke the signature (openssl 3.0 exits 0 either way).
      const peer = spawnSync('openssl', ['req', '-in', alteredFile, '-verify', '-noout'], { encoding: 'utf8' });
      expect(`${peer.stdout}${peer.stderr}`).toContain('verify failure');
      const error = errorOf(() => signCertificationRequest(altered, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 1 }));
      expect(error.code).toBe('damaged');
      expect(error.message).toContain("request's signature does not verify");
      // Our own requests too: the key and the subject are both covered.
      const pair = keyOf('p256');
      const ours = buildCertificationRequest({ subject: parseDistinguishedName('CN=mine'), publicKey: pair.publicKey, privateKey: pair.privateKey, hash: 'sha256' });
      const changed = new Uint8Array(ours);
      changed[Buffer.from(changed).indexOf('mine')] = 'M'.charCodeAt(0);
      expect(errorOf(() => signCertificationRequest(changed, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 1 })).code).toBe('damaged');
    });

    it('refuses a certificate that is not a CA, a key that is not the CA’s, an expired CA, and a CA with path length 0 asked for a CA', () => {
      const csr = buildCertificationRequest({ subject: parseDistinguishedName('CN=r'), publicKey: keyOf('p256').publicKey, privateKey: keyOf('p256').privateKey, hash: 'sha256' });
      const tls = selfSigned('p256');
      const notCa = errorOf(() => signCertificationRequest(csr, { certificate: tls, privateKey: keyOf('p256').privateKey }, { validityDays: 1 }));
      expect(notCa).toEqual({ code: 'usage', message: expect.stringContaining('not a CA certificate') });
      const wrongKey = errorOf(() => signCertificationRequest(csr, { certificate: caEc, privateKey: keyOf('other-rsa').privateKey }, { validityDays: 1 }));
      expect(wrongKey).toEqual({ code: 'usage', message: expect.stringContaining('does not belong to the CA certificate') });
      const expired = buildCertificate({
        subject: parseDistinguishedName('CN=Old CA'),
        subjectPublicKey: keyOf('p256').publicKey,
        subjectPrivateKey: keyOf('p256').privateKey,
        hash: 'sha256',
        validityDays: 1,
        notBefore: new Date(Date.now() - 3 * 86_400_000),
        profile: 'ca',
      });
      expect(errorOf(() => signCertificationRequest(csr, { certificate: expired, privateKey: keyOf('p256').privateKey }, { validityDays: 1 }))).toEqual({
        code: 'usage',
        message: expect.stringContaining('expired'),
      });
      const leafOnly = buildCertificate({ subject: parseDistinguishedName('CN=Leaf-only CA'), subjectPublicKey: keyOf('p256').publicKey, subjectPrivateKey: keyOf('p256').privateKey, hash: 'sha256', validityDays: 1, profile: 'ca', pathLength: 0 });
      expect(errorOf(() => signCertificationRequest(csr, { certificate: leafOnly, privateKey: keyOf('p256').privateKey }, { validityDays: 1, profile: 'ca' })).code).toBe('usage');
      expect(errorOf(() => signCertificationRequest(csr, { certificate: leafOnly, privateKey: keyOf('p256').privateKey }, { validityDays: 1 })).code).toBe('no error');
      expect(errorOf(() => signCertificationRequest(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 1 })).code).toBe('damaged');
    });

    describe.skipIf(!haveKeytool)(`keytool${missingNote('keytool')}`, () => {
      it('keytool -printcert reads the CA and an issued certificate: owner, issuer, fingerprint, algorithm', () => {
        const pair = keyOf('p256');
        const csr = buildCertificationRequest({ subject: parseDistinguishedName('CN=kt,O=Example,C=GB'), publicKey: pair.publicKey, privateKey: pair.privateKey, hash: 'sha256' });
        const leaf = signCertificationRequest(csr, { certificate: caEc, privateKey: keyOf('p384').privateKey }, { validityDays: 5 });
        for (const [der, owner, issuer, algorithm] of [
          [leaf, 'CN=kt, O=Example, C=GB', 'CN=KeyDesk Test EC CA, O=KeyDesk Test, C=GB', 'SHA384withECDSA'],
          [caRsa, 'CN=KeyDesk Test RSA CA, O=KeyDesk Test, C=GB', 'CN=KeyDesk Test RSA CA, O=KeyDesk Test, C=GB', 'SHA256withRSA'],
        ] as const) {
          const out = runTool('keytool', ['-printcert', '-file', save(der)]).toString('utf8');
          expect(out).toContain(`Owner: ${owner}`);
          expect(out).toContain(`Issuer: ${issuer}`);
          expect(out).toContain(`Signature algorithm name: ${algorithm}`);
          const sha256 = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':');
          expect(out).toContain(`SHA256: ${sha256}`);
        }
        expect(formatDistinguishedName(parseDistinguishedName('CN=kt,O=Example,C=GB'))).toBe('CN=kt,O=Example,C=GB');
      });
    });
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asn1, parseDer, type Asn1 } from '../asn1/der';
import { generateKeyPair, type GeneratedKeyPair, type KeySpec, type SignatureHash } from '../crypto/key-generation';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { buildCertificationRequest, type CertificationRequestInput } from './certification-request-builder';
import { describeCertificationRequest } from './certification-request-details';
import { parseDistinguishedName } from './distinguished-name-parse';
import { KEY_WORDS, SIGNATURE_WORDS, opensslName, sanWord } from './openssl-test-support';
import { errorOf } from '../testing/keydesk-error';
import { encodePem } from '../formats/pem';

const haveOpenssl = hasTool('openssl');
const haveKeytool = hasTool('keytool');



const KEYS: { name: string; spec: KeySpec; hash: SignatureHash; javaSignature: string }[] = [
  { name: 'rsa2048', spec: { algorithm: 'RSA', size: 2048 }, hash: 'sha256', javaSignature: 'SHA256withRSA' },
  { name: 'p256', spec: { algorithm: 'EC', curve: 'P-256' }, hash: 'sha256', javaSignature: 'SHA256withECDSA' },
  { name: 'p384', spec: { algorithm: 'EC', curve: 'P-384' }, hash: 'sha384', javaSignature: 'SHA384withECDSA' },
  { name: 'p521', spec: { algorithm: 'EC', curve: 'P-521' }, hash: 'sha512', javaSignature: 'SHA512withECDSA' },
];
const DN = 'CN=qm1.example.com,OU=MQ+O=KeyDesk Test,L=Hursley,C=GB';
/** DER sorts the members of a multi-valued RDN, so they print back in OpenSSL's order. */
const DN_PRINTED = 'CN=qm1.example.com,O=KeyDesk Test+OU=MQ,L=Hursley,C=GB';
const SANS = { dns: ['qm1.example.com'], ip: ['192.0.2.1', '2001:db8::a'], email: ['mq@example.com'] };
const SAN_WORDS = ['DNS:qm1.example.com', 'IP:192.0.2.1', 'IP:2001:db8::a', 'email:mq@example.com'];

const pairs = new Map<string, GeneratedKeyPair>();
const keyOf = (name: string) => pairs.get(name) as GeneratedKeyPair;
beforeAll(async () => {
  for (const k of KEYS) pairs.set(k.name, await generateKeyPair(k.spec));
});

function request(name: string, extra: Partial<CertificationRequestInput> = {}): Uint8Array {
  const k = KEYS.find((x) => x.name === name);
  return buildCertificationRequest({
    subject: parseDistinguishedName(DN),
    publicKey: keyOf(name).publicKey,
    privateKey: keyOf(name).privateKey,
    hash: k?.hash ?? 'sha256',
    subjectAltNames: SANS,
    ...extra,
  });
}

describe('buildCertificationRequest (checked with our own reader)', () => {
  for (const k of KEYS) {
    it(`${k.name}: subject, key, signature algorithm and requested SANs`, () => {
      const d = describeCertificationRequest(request(k.name));
      expect(d.subject).toBe(DN_PRINTED);
      expect(d.signatureAlgorithm).toBe(k.javaSignature);
      expect(d.keyAlgorithm).toBe(k.spec.algorithm);
      expect(d.subjectAltNames).toEqual(SAN_WORDS);
    });
  }

  it('writes an empty attributes set when no SANs are asked for (RFC 2986 requires the field)', () => {
    const der = request('p256', { subjectAltNames: undefined });
    const info = (parseDer(der).value as Asn1[])[0] as Asn1;
    const attributes = (info.value as Asn1[])[3] as Asn1;
    expect([attributes.tagClass, attributes.type, attributes.constructed, (attributes.value as Asn1[]).length]).toEqual([asn1.Class.CONTEXT_SPECIFIC, 0, true, 0]);
    expect(describeCertificationRequest(der).subjectAltNames).toEqual([]);
  });

  it('refuses keys that do not belong together, keys that cannot sign for MQ, and an empty subject without SANs', () => {
    expect(errorOf(() => request('p256', { privateKey: keyOf('p384').privateKey }))).toEqual({ code: 'usage', message: expect.stringContaining('does not belong') });
    const ed = generateKeyPairSync('ed25519');
    const edInput = { publicKey: new Uint8Array(ed.publicKey.export({ type: 'spki', format: 'der' })), privateKey: new Uint8Array(ed.privateKey.export({ type: 'pkcs8', format: 'der' })) };
    expect(errorOf(() => request('p256', edInput)).code).toBe('unsupported');
    expect(errorOf(() => request('p256', { subject: parseDer(new Uint8Array([0x30, 0])), subjectAltNames: undefined }))).toEqual({
      code: 'usage',
      message: expect.stringContaining('empty subject'),
    });
    expect(errorOf(() => request('p256', { subjectAltNames: { ip: ['not an ip'] } })).code).toBe('usage');
    expect(errorOf(() => request('p256', { hash: 'md5' as SignatureHash })).code).toBe('usage');
  });
});

describe.skipIf(!haveOpenssl)(`buildCertificationRequest, checked by openssl req${missingNote('openssl')}`, () => {
  let dir = '';
  let cleanup = () => {};
  let count = 0;
  beforeAll(() => ({ dir, cleanup } = makeTempDir('keydesk-csrbuild-')));
  afterAll(() => cleanup());

  function save(der: Uint8Array): string {
    const file = join(dir, `r${++count}.csr`);
    writeFileSync(file, encodePem('CERTIFICATE REQUEST', der));
    return file;
  }
  /** openssl 3.0 exits 0 whether or not the signature verifies; the words tell. */
  function selfSignatureVerdict(file: string): string {
    const r = spawnSync('openssl', ['req', '-in', file, '-verify', '-noout'], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim();
  }

  for (const k of KEYS) {
    it(`${k.name}: openssl req -verify accepts it and shows subject, key, algorithm and SANs`, () => {
      const file = save(request(k.name));
      expect(selfSignatureVerdict(file)).toBe('Certificate request self-signature verify OK');
      expect(opensslName('req', file, 'subject')).toBe(DN_PRINTED);
      const text = runTool('openssl', ['req', '-in', file, '-noout', '-text']).toString('utf8');
      expect(SIGNATURE_WORDS[/Signature Algorithm: (\S+)/.exec(text)?.[1] ?? '']).toBe(k.javaSignature);
      expect(KEY_WORDS[/Public Key Algorithm: (\S+)/.exec(text)?.[1] ?? '']).toBe(k.spec.algorithm);
      expect(/NIST CURVE: (\S+)/.exec(text)?.[1] ?? /Public-Key: \((\d+) bit\)/.exec(text)?.[1]).toBe(k.spec.algorithm === 'RSA' ? String(k.spec.size) : k.spec.curve);
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.includes('X509v3 Subject Alternative Name'));
      expect(lines[at]).not.toContain('critical');
      expect((lines[at + 1] ?? '').trim().split(', ').map(sanWord)).toEqual(SAN_WORDS);
    });
  }

  it('openssl notices a request altered after signing (so the test above can fail)', () => {
    const der = request('p256');
    der[Buffer.from(der).indexOf('Hursley')] = 'h'.charCodeAt(0);
    expect(selfSignatureVerdict(save(der))).toContain('verify failure');
  });

  it('marks the SANs critical when the subject is empty (RFC 5280 4.2.1.6)', () => {
    const file = save(request('p256', { subject: parseDer(new Uint8Array([0x30, 0])) }));
    expect(selfSignatureVerdict(file)).toBe('Certificate request self-signature verify OK');
    const text = runTool('openssl', ['req', '-in', file, '-noout', '-text']).toString('utf8');
    expect(text).toMatch(/X509v3 Subject Alternative Name: critical/);
  });

  it.skipIf(!haveKeytool)(`keytool -printcertreq reads it${missingNote('keytool')}`, () => {
    const file = save(request('p384'));
    const out = runTool('keytool', ['-printcertreq', '-file', file]).toString('utf8');
    // keytool prints a multi-valued RDN's members in DER order, unlike OpenSSL.
    expect(out).toContain('Subject: CN=qm1.example.com, OU=MQ + O=KeyDesk Test, L=Hursley, C=GB');
    expect(out).toContain('Signature algorithm: SHA384withECDSA');
    expect(out).toContain('DNSName: qm1.example.com');
    expect(out).toContain('IPAddress: 2001:db8:0:0:0:0:0:a');
    expect(out).toContain('RFC822Name: mq@example.com');
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isKeyDeskError } from '../errors';
import { hasTool, missingNote, makeTempDir, runTool } from '../testing/peer-tools';
import { describeCertificationRequest, type CertificationRequestDetails } from './certification-request-details';
import { KEY_WORDS, SIGNATURE_WORDS, opensslName, readDer, sanWord } from './openssl-test-support';

const haveOpenssl = hasTool('openssl');
const haveKeytool = hasTool('keytool');

const CASES: { name: string; gen: string[]; subj: string; extra: string[] }[] = [
  {
    name: 'rsa2048-san',
    gen: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    subj: '/C=DE/O=Smith, Jones+OU=A/CN=Müller',
    extra: ['-addext', 'subjectAltName=DNS:qm1.example.com,IP:192.0.2.7,IP:2001:db8::a:0:0:1,email:mq@example.com,URI:urn:example:qm1', '-addext', 'keyUsage=digitalSignature'],
  },
  { name: 'p384-no-extensions', gen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], subj: '/CN=qm2/O=Example', extra: ['-sha384'] },
  { name: 'p256-san', gen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], subj: '/CN=ibmwebspheremqqm1', extra: ['-addext', 'subjectAltName=DNS:qm3.example.com'] },
  { name: 'ed25519', gen: ['-algorithm', 'ED25519'], subj: '/CN=ed', extra: [] },
  {
    name: 'rsa3072-pss',
    gen: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
    subj: '/CN=pss',
    extra: ['-sigopt', 'rsa_padding_mode:pss', '-sha256'],
  },
];

describe.skipIf(!haveOpenssl)('describeCertificationRequest agrees with openssl req (skipped: no openssl)', () => {
  let dir = '';
  let cleanup = () => {};
  const ossl = (args: string[]) => runTool('openssl', args, { cwd: dir });

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('keydesk-csr-'));
    for (const c of CASES) {
      ossl(['genpkey', ...c.gen, '-out', `${c.name}.key`]);
      ossl(['req', '-new', '-key', `${c.name}.key`, '-subj', c.subj, '-utf8', ...c.extra, '-out', `${c.name}.csr`]);
    }
  });
  afterAll(() => cleanup());

  function opensslDetails(file: string): CertificationRequestDetails {
    const full = ossl(['req', '-in', file, '-noout', '-text']).toString('utf8');
    const one = (re: RegExp) => re.exec(full)?.[1];
    const lines = full.split('\n');
    const sanAt = lines.findIndex((l) => l.includes('X509v3 Subject Alternative Name'));
    const details: CertificationRequestDetails = {
      subject: opensslName('req', file, 'subject'),
      keyAlgorithm: KEY_WORDS[one(/Public Key Algorithm: (\S+)/) ?? ''] ?? '?',
      signatureAlgorithm: SIGNATURE_WORDS[one(/Signature Algorithm: (\S+)/) ?? ''] ?? '?',
      subjectAltNames: sanAt < 0 ? [] : (lines[sanAt + 1] ?? '').trim().split(', ').map(sanWord),
      sha256: createHash('sha256').update(ossl(['req', '-in', file, '-outform', 'DER'])).digest('hex'),
    };
    const bits = one(/Public-Key: \((\d+) bit\)/);
    if (bits) details.keySize = Number(bits);
    const curve = one(/NIST CURVE: (\S+)/) ?? one(/ASN1 OID: (\S+)/);
    if (curve) details.curve = curve;
    return details;
  }

  for (const c of CASES) {
    it(`${c.name}: every field`, () => {
      const file = join(dir, `${c.name}.csr`);
      expect(describeCertificationRequest(readDer(file))).toEqual(opensslDetails(file));
    });
  }

  it('the cases cover what they claim to', () => {
    const d = (name: string) => describeCertificationRequest(readDer(join(dir, `${name}.csr`)));
    expect(d('rsa2048-san').subjectAltNames.length).toBe(5);
    expect(d('p384-no-extensions').subjectAltNames).toEqual([]);
    expect(d('rsa3072-pss').signatureAlgorithm).toBe('RSASSA-PSS');
  });

  it.skipIf(!haveKeytool)(`agrees with keytool -printcertreq on the Java algorithm names and key size${missingNote('keytool')}`, () => {
    for (const c of CASES) {
      const printed = runTool('keytool', ['-J-Duser.language=en', '-printcertreq', '-file', join(dir, `${c.name}.csr`)]).toString('utf8');
      const ours = describeCertificationRequest(readDer(join(dir, `${c.name}.csr`)));
      expect(ours.signatureAlgorithm, c.name).toBe(/Signature algorithm: (\S+)/.exec(printed)?.[1]);
      const key = /Public Key: (\d+)-bit (\S+)/.exec(printed);
      expect(ours.keyAlgorithm, c.name).toBe(key?.[2]);
      if (ours.keySize !== undefined) expect(ours.keySize, c.name).toBe(Number(key?.[1]));
    }
  });
});

describe('describeCertificationRequest without a peer', () => {
  it('refuses garbage and non-requests as damaged', () => {
    for (const bytes of [[0x30, 0x82], [0x02, 0x01, 0x01], [0x30, 0x03, 0x02, 0x01, 0x00]]) {
      try {
        describeCertificationRequest(new Uint8Array(bytes));
        throw new Error('expected a KeyDeskError');
      } catch (e) {
        expect(isKeyDeskError(e) && e.code).toBe('damaged');
      }
    }
  });
});

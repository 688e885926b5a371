import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asn1, encodeDer, oidToDer, parseDer, type Asn1 } from '../asn1/der';
import { hasTool, makeTempDir, runTool } from '../testing/peer-tools';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { curveDisplayName, describeKeyObject, describePublicKey, publicKeyMatches } from './key-info';
import { codeOf } from '../testing/keydesk-error';

const haveOpenssl = hasTool('openssl');


/** OpenSSL's names for key algorithm OIDs, in KeyDesk's words. */
const ALGORITHM_WORDS: Record<string, string> = {
  rsaEncryption: 'RSA',
  rsassaPss: 'RSASSA-PSS',
  'id-ecPublicKey': 'EC',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
  dsaEncryption: 'DSA',
};

interface OpensslKeyFacts {
  keyAlgorithm: string;
  keySize?: number;
  curve?: string;
}

describe.skipIf(!haveOpenssl)('describePublicKey agrees with openssl pkey -text (skipped: no openssl)', () => {
  let dir = '';
  let cleanup = () => {};
  const openssl = (args: string[]) => runTool('openssl', args, { cwd: dir });

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('keydesk-keyinfo-'));
  });
  afterAll(() => cleanup());

  /** What openssl says about the key in `file`: the algorithm OID's name from asn1parse,
   * the bit count and the curve from -text. */
  function opensslFacts(file: string): OpensslKeyFacts {
    const parsed = openssl(['pkey', '-in', file, '-pubout', '-outform', 'DER']);
    writeFileSync(join(dir, 'pub.der'), parsed);
    const oidName = /OBJECT\s+:(\S+)/.exec(openssl(['asn1parse', '-inform', 'DER', '-in', 'pub.der']).toString())?.[1] ?? '?';
    const text = openssl(['pkey', '-in', file, '-noout', '-text']).toString();
    const facts: OpensslKeyFacts = { keyAlgorithm: ALGORITHM_WORDS[oidName] ?? oidName };
    const bits = /Private-Key: \((\d+) bit/.exec(text)?.[1];
    // OpenSSL prints the field size for EC keys and the modulus size for RSA/DSA; for
    // EdDSA it prints none, and KeyDesk gives none either.
    if (bits) facts.keySize = Number(bits);
    const nist = /NIST CURVE: (\S+)/.exec(text)?.[1];
    const asn1Oid = /ASN1 OID: (\S+)/.exec(text)?.[1];
    if (nist ?? asn1Oid) facts.curve = nist ?? asn1Oid;
    return facts;
  }

  /** PKCS#8 DER; `pkey -outform DER` would give the traditional PKCS#1/SEC1 forms. */
  function pkcs8Of(file: string): Uint8Array {
    return new Uint8Array(openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file, '-outform', 'DER']));
  }

  const cases: [string, string[]][] = [
    ['rsa2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
    ['rsa3072', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072']],
    // A modulus whose top byte is not full: the size counts bits, not bytes.
    ['rsa2049', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2049']],
    ['rsa1024', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']],
    ['rsapss', ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048']],
    ['p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']],
    ['p521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']],
    ['secp256k1', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1']],
    ['brainpool', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:brainpoolP384r1']],
    ['ed25519', ['-algorithm', 'ED25519']],
    ['ed448', ['-algorithm', 'ED448']],
  ];

  for (const [name, genArgs] of cases) {
    it(`${name}: SPKI and PKCS#8 alike`, () => {
      const file = join(dir, `${name}.pem`);
      openssl(['genpkey', ...genArgs, '-out', file]);
      const expected = opensslFacts(file);
      const spki = new Uint8Array(openssl(['pkey', '-in', file, '-pubout', '-outform', 'DER']));
      const pkcs8 = pkcs8Of(file);
      expect(describePublicKey(spki, 'spki')).toEqual(expected);
      expect(describePublicKey(pkcs8, 'pkcs8')).toEqual(expected);
    });
  }

  it('dsa 2048', () => {
    openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsaparam.pem']);
    openssl(['genpkey', '-paramfile', 'dsaparam.pem', '-out', 'dsa.pem']);
    const expected = opensslFacts(join(dir, 'dsa.pem'));
    expect(describePublicKey(new Uint8Array(openssl(['pkey', '-in', 'dsa.pem', '-pubout', '-outform', 'DER'])), 'spki')).toEqual(expected);
  });

  describe('publicKeyMatches, against signing with the key and verifying with the certificate', () => {
    /** The peer's answer: does a signature made with `keyFile` verify under `certFile`? */
    function opensslSaysMatch(keyFile: string, certFile: string, padding: string[] = []): boolean {
      writeFileSync(join(dir, 'digest.bin'), Buffer.alloc(32, 7));
      const signed = openssl(['pkeyutl', '-sign', '-inkey', keyFile, '-in', 'digest.bin', ...padding]);
      writeFileSync(join(dir, 'sig.bin'), signed);
      try {
        openssl(['pkeyutl', '-verify', '-certin', '-inkey', certFile, '-in', 'digest.bin', '-sigfile', 'sig.bin', ...padding]);
        return true;
      } catch {
        return false;
      }
    }
    const der = (file: string) => pkcs8Of(file);
    const certDer = (file: string) => new Uint8Array(openssl(['x509', '-in', file, '-outform', 'DER']));

    function selfSigned(keyFile: string, certFile: string): void {
      openssl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=match', '-days', '1', '-out', certFile]);
    }

    it('RSA and EC keys against their own and each other’s certificates', () => {
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ma.pem']);
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'mb.pem']);
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'mc.pem']);
      for (const k of ['ma', 'mb', 'mc']) selfSigned(`${k}.pem`, `${k}.crt`);
      for (const key of ['ma', 'mb']) {
        for (const cert of ['ma', 'mb']) {
          expect(publicKeyMatches(der(`${key}.pem`), certDer(`${cert}.crt`))).toBe(opensslSaysMatch(`${key}.pem`, `${cert}.crt`));
        }
      }
      expect(opensslSaysMatch('mc.pem', 'mc.crt')).toBe(true);
      expect(publicKeyMatches(der('mc.pem'), certDer('mc.crt'))).toBe(true);
      expect(publicKeyMatches(der('mc.pem'), certDer('ma.crt'))).toBe(false);
      expect(publicKeyMatches(der('ma.pem'), certDer('mc.crt'))).toBe(false);
    });

    it('an EC certificate whose point is compressed still matches its uncompressed key', () => {
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', 'ec.pem']);
      openssl(['ec', '-in', 'ec.pem', '-conv_form', 'compressed', '-out', 'ec-compressed.pem']);
      selfSigned('ec-compressed.pem', 'ec-compressed.crt');
      // Proves the certificate really carries the 49-byte compressed point.
      const pubDer = pubkeyDerOf('ec-compressed.crt');
      expect(((parseDer(pubDer).value as Asn1[])[1] as Asn1).value.length).toBe(1 + 49);
      expect(opensslSaysMatch('ec.pem', 'ec-compressed.crt')).toBe(true);
      expect(publicKeyMatches(der('ec.pem'), certDer('ec-compressed.crt'))).toBe(true);
    });

    function pubkeyDerOf(certFile: string): Uint8Array {
      const fields = ((parseDer(certDer(certFile)).value as Asn1[])[0] as Asn1).value as Asn1[];
      // v1 certificates (what `x509 -req` makes without extensions) have no [0] version.
      const offset = (fields[0] as Asn1).tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      return encodeDer(fields[offset + 5] as Asn1);
    }

    it('a certificate restricting an RSA key to PSS matches the plain RSA private key', () => {
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.pem']);
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.pem']);
      selfSigned('ca.pem', 'ca.crt');
      // The same RSAPublicKey under the id-RSASSA-PSS algorithm identifier.
      const spki = parseDer(new Uint8Array(openssl(['pkey', '-in', 'rsa.pem', '-pubout', '-outform', 'DER'])));
      const bits = (spki.value as Asn1[])[1] as Asn1;
      const pss = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidToDer('1.2.840.113549.1.1.10'))]),
        bits,
      ]);
      writeFileSync(join(dir, 'pss-pub.der'), encodeDer(pss));
      openssl(['pkey', '-pubin', '-inform', 'DER', '-in', 'pss-pub.der', '-out', 'pss-pub.pem']);
      openssl(['req', '-new', '-key', 'rsa.pem', '-subj', '/CN=pss', '-out', 'pss.csr']);
      openssl(['x509', '-req', '-in', 'pss.csr', '-CA', 'ca.crt', '-CAkey', 'ca.pem', '-force_pubkey', 'pss-pub.pem', '-days', '1', '-out', 'pss.crt']);
      expect(pubkeyDerOf('pss.crt')).toEqual(new Uint8Array(readFileSync(join(dir, 'pss-pub.der'))));
      const padding = ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'digest:sha256'];
      expect(opensslSaysMatch('rsa.pem', 'pss.crt', padding)).toBe(true);
      expect(publicKeyMatches(der('rsa.pem'), certDer('pss.crt'))).toBe(true);
      expect(publicKeyMatches(der('ca.pem'), certDer('pss.crt'))).toBe(false);
    });
  });
});

describe('key-info without a peer', () => {
  it('reads SPKI facts from the structure exactly as OpenSSL reports them once it has loaded the key', () => {
    // The structural path is what listings use; OpenSSL is the reference it must match.
    const keys = [
      ...[1024, 1025, 2047, 2048, 2056, 3072].map((modulusLength) => generateKeyPairSync('rsa', { modulusLength }).publicKey),
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
      ...['prime256v1', 'secp384r1', 'secp521r1', 'secp256k1', 'brainpoolP256r1', 'brainpoolP512r1'].map((namedCurve) => generateKeyPairSync('ec', { namedCurve }).publicKey),
      generateKeyPairSync('ed25519').publicKey,
      generateKeyPairSync('ed448').publicKey,
    ];
    for (const key of keys) {
      const spki = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
      expect(describePublicKey(spki, 'spki'), `${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.modulusLength ?? key.asymmetricKeyDetails?.namedCurve ?? ''}`).toEqual(describeKeyObject(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })));
    }
  });

  it('names the NIST curves as NIST does and leaves others alone', () => {
    expect(curveDisplayName('prime256v1')).toBe('P-256');
    expect(curveDisplayName('secp384r1')).toBe('P-384');
    expect(curveDisplayName('secp521r1')).toBe('P-521');
    expect(curveDisplayName('brainpoolP256r1')).toBe('brainpoolP256r1');
  });

  it('names a key OpenSSL cannot load from its AlgorithmIdentifier', () => {
    // SEQUENCE { SEQUENCE { OID 1.2.3.4.5 }, BIT STRING 00 01 }: structurally an SPKI.
    const spki = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidToDer('1.2.3.4.5'))]),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00\x01'),
    ]);
    expect(describePublicKey(encodeDer(spki), 'spki')).toEqual({ keyAlgorithm: '1.2.3.4.5' });
  });

  it('refuses garbage as damaged', () => {
    expect(codeOf(() => describePublicKey(new Uint8Array([1, 2, 3]), 'spki'))).toBe('damaged');
    expect(codeOf(() => describePublicKey(new Uint8Array([0x30, 0x00]), 'pkcs8'))).toBe('damaged');
    expect(codeOf(() => publicKeyMatches(new Uint8Array([1, 2, 3]), new Uint8Array([1])))).toBe('damaged');
  });
});

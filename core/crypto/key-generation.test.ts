import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { generateKeyPair, keySpecFrom, type KeySpec } from './key-generation';
import { errorOf } from '../testing/keydesk-error';

const haveOpenssl = hasTool('openssl');


const SPECS: { spec: KeySpec; type: string; detail: Record<string, unknown>; opensslSays: RegExp }[] = [
  { spec: { algorithm: 'RSA', size: 2048 }, type: 'rsa', detail: { modulusLength: 2048, publicExponent: 65537n }, opensslSays: /Private-Key: \(2048 bit, 2 primes\)/ },
  { spec: { algorithm: 'RSA', size: 3072 }, type: 'rsa', detail: { modulusLength: 3072 }, opensslSays: /Private-Key: \(3072 bit/ },
  { spec: { algorithm: 'RSA', size: 4096 }, type: 'rsa', detail: { modulusLength: 4096 }, opensslSays: /Private-Key: \(4096 bit/ },
  { spec: { algorithm: 'EC', curve: 'P-256' }, type: 'ec', detail: { namedCurve: 'prime256v1' }, opensslSays: /NIST CURVE: P-256/ },
  { spec: { algorithm: 'EC', curve: 'P-384' }, type: 'ec', detail: { namedCurve: 'secp384r1' }, opensslSays: /NIST CURVE: P-384/ },
  { spec: { algorithm: 'EC', curve: 'P-521' }, type: 'ec', detail: { namedCurve: 'secp521r1' }, opensslSays: /NIST CURVE: P-521/ },
];

describe('generateKeyPair', () => {
  for (const { spec, type, detail } of SPECS) {
    it(`${JSON.stringify(spec)}: PKCS#8 and SPKI DER that node:crypto loads, of that size or curve, that belong together`, async () => {
      const pair = await generateKeyPair(spec);
      expect(pair.privateKey).toBeInstanceOf(Uint8Array);
      expect(pair.publicKey).toBeInstanceOf(Uint8Array);
      const privateKey = createPrivateKey({ key: Buffer.from(pair.privateKey), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey({ key: Buffer.from(pair.publicKey), format: 'der', type: 'spki' });
      expect(privateKey.asymmetricKeyType).toBe(type);
      expect(publicKey.asymmetricKeyType).toBe(type);
      expect(privateKey.asymmetricKeyDetails).toMatchObject(detail);
      const data = Buffer.from('keydesk');
      expect(verify('sha256', data, publicKey, sign('sha256', data, privateKey))).toBe(true);
    });
  }

  it('makes a different key each time', async () => {
    const [a, b] = await Promise.all([generateKeyPair({ algorithm: 'EC', curve: 'P-256' }), generateKeyPair({ algorithm: 'EC', curve: 'P-256' })]);
    expect(Buffer.from(a.publicKey).equals(Buffer.from(b.publicKey))).toBe(false);
  });

  it('refuses sizes and curves outside the spec (specs may come from JSON)', async () => {
    await expect(generateKeyPair({ algorithm: 'RSA', size: 1024 } as unknown as KeySpec)).rejects.toMatchObject({ code: 'usage' });
    await expect(generateKeyPair({ algorithm: 'EC', curve: 'P-192' } as unknown as KeySpec)).rejects.toMatchObject({ code: 'usage' });
    await expect(generateKeyPair({ algorithm: 'DSA' } as unknown as KeySpec)).rejects.toMatchObject({ code: 'usage' });
  });
});

describe.skipIf(!haveOpenssl)(`generateKeyPair: openssl pkey -check accepts the keys${missingNote('openssl')}`, () => {
  let dir = '';
  let cleanup = () => {};
  beforeAll(() => ({ dir, cleanup } = makeTempDir('keydesk-keygen-')));
  afterAll(() => cleanup());

  for (const { spec, opensslSays } of SPECS) {
    it(JSON.stringify(spec), async () => {
      const pair = await generateKeyPair(spec);
      const file = join(dir, 'key.der');
      writeFileSync(file, pair.privateKey);
      const text = runTool('openssl', ['pkey', '-inform', 'DER', '-in', file, '-check', '-noout', '-text']).toString();
      expect(text).toMatch(/valid/i);
      expect(text).toMatch(opensslSays);
      // The SPKI is the one openssl derives from the private key.
      const derived = runTool('openssl', ['pkey', '-inform', 'DER', '-in', file, '-pubout', '-outform', 'DER']);
      expect(derived.equals(Buffer.from(pair.publicKey))).toBe(true);
    });
  }
});

describe('keySpecFrom maps runmqakm -size and -sig_alg', () => {
  type Expected = { key: Record<string, unknown>; hash: string };
  const RSA = (size: number, hash: string): Expected => ({ key: { algorithm: 'RSA', size }, hash });
  const EC = (curve: string, hash: string): Expected => ({ key: { algorithm: 'EC', curve }, hash });

  it("defaults to runmqakm's RSA 2048 with SHA256WithRSA", () => {
    expect(keySpecFrom()).toEqual(RSA(2048, 'sha256'));
  });

  const accepted: [number | undefined, string | undefined, Expected][] = [
    [2048, undefined, RSA(2048, 'sha256')],
    [3072, undefined, RSA(3072, 'sha256')],
    [4096, undefined, RSA(4096, 'sha256')],
    [undefined, 'SHA256WithRSA', RSA(2048, 'sha256')],
    [undefined, 'SHA384WithRSA', RSA(2048, 'sha384')],
    [undefined, 'SHA512WithRSA', RSA(2048, 'sha512')],
    [undefined, 'EC_ecdsa_with_SHA256', EC('P-256', 'sha256')],
    [undefined, 'EC_ecdsa_with_SHA384', EC('P-384', 'sha384')],
    [undefined, 'EC_ecdsa_with_SHA512', EC('P-521', 'sha512')],
    // Case-insensitive, and the Java and OpenSSL spellings.
    [3072, 'sha384withrsa', RSA(3072, 'sha384')],
    [undefined, 'ec_ECDSA_with_sha384', EC('P-384', 'sha384')],
    [undefined, 'SHA256withECDSA', EC('P-256', 'sha256')],
    [384, 'SHA384withECDSA', EC('P-384', 'sha384')],
    [undefined, 'sha512WithRSAEncryption', RSA(2048, 'sha512')],
    [521, 'ecdsa-with-SHA512', EC('P-521', 'sha512')],
    [undefined, 'SHA256_WITH_RSA', RSA(2048, 'sha256')],
    // IBM's deprecated abbreviations mean SHA-384 and SHA-512.
    [undefined, 'SHA3WithRSA', RSA(2048, 'sha384')],
    [4096, 'SHA5WithRSA', RSA(4096, 'sha512')],
    // A bare hash names no key type: the key follows -size.
    [undefined, 'sha384', RSA(2048, 'sha384')],
    [384, 'sha384', EC('P-384', 'sha384')],
    // IBM's pages call P-521 "512".
    [512, 'EC_ecdsa_with_SHA512', EC('P-521', 'sha512')],
  ];
  for (const size of [2048, 3072, 4096]) {
    for (const bits of [256, 384, 512]) accepted.push([size, `SHA${bits}WithRSA`, RSA(size, `sha${bits}`)]);
  }
  for (const [size, curve] of [[256, 'P-256'], [384, 'P-384'], [521, 'P-521']] as const) {
    for (const bits of [256, 384, 512]) accepted.push([size, `EC_ecdsa_with_SHA${bits}`, EC(curve, `sha${bits}`)]);
  }
  for (const [size, sigAlg, expected] of accepted) {
    it(`-size ${String(size)} -sig_alg ${String(sigAlg)}`, () => {
      expect(keySpecFrom(size, sigAlg)).toEqual(expected);
    });
  }

  const refused: [number | undefined, string | undefined, string, string][] = [
    [256, undefined, 'usage', 'EC key size'],
    [384, 'SHA256WithRSA', 'usage', 'EC key size'],
    [521, 'SHA512WithRSA', 'usage', 'EC key size'],
    [256, 'SHA256WithRSA', 'usage', 'EC key size'],
    [2048, 'EC_ecdsa_with_SHA256', 'usage', 'RSA key size'],
    [4096, 'SHA384withECDSA', 'usage', 'RSA key size'],
    [1024, undefined, 'usage', '-size 1024'],
    [1024, 'SHA256WithRSA', 'usage', '-size 1024'],
    [2047.5, undefined, 'usage', '-size 2047.5'],
    [undefined, 'SHA256WithDSS', 'usage', 'SHA256WithDSS'],
    [undefined, 'nonsense', 'usage', 'nonsense'],
    [undefined, 'SHA1WithRSA', 'unsupported', 'SHA1WithRSA'],
    [undefined, 'MD5WithRSA', 'unsupported', 'MD5WithRSA'],
    [undefined, 'EC_ecdsa_with_SHA1', 'unsupported', 'EC_ecdsa_with_SHA1'],
    [undefined, 'SHA224WithRSA', 'unsupported', 'SHA224WithRSA'],
    [undefined, 'SHA1WithDSA', 'unsupported', 'SHA1WithDSA'],
  ];
  for (const [size, sigAlg, code, part] of refused) {
    it(`refuses -size ${String(size)} -sig_alg ${String(sigAlg)} (${code})`, () => {
      const error = errorOf(() => keySpecFrom(size, sigAlg));
      expect(error.code).toBe(code);
      expect(error.message).toContain(part);
    });
  }
});

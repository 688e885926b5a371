import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { generateKeyPair, type KeySpec } from './key-generation';

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

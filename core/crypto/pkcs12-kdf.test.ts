import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import forge from 'node-forge';
import { spawnSync } from 'node:child_process';
import { toBinary } from '../asn1/der';
import { hasTool } from '../testing/peer-tools';
import { pkcs12Kdf, type Pkcs12KdfDigest } from './pkcs12-kdf';

/** OpenSSL's own PKCS12KDF (OpenSSL 3 only), which takes the password already in BMP form. */
function opensslKdf(password: string, salt: Buffer, id: number, iterations: number, length: number, digest: string): string | undefined {
  const bmp = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) bmp.writeUInt16BE(password.charCodeAt(i), i * 2);
  const run = spawnSync('openssl', ['kdf', '-keylen', String(length), '-kdfopt', `digest:${digest}`, '-kdfopt', `hexpass:${bmp.toString('hex')}`,
    '-kdfopt', `hexsalt:${salt.toString('hex')}`, '-kdfopt', `iter:${iterations}`, '-kdfopt', `id:${id}`, 'PKCS12KDF'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim().replace(/:/g, '').toLowerCase() : undefined;
}
const opensslHasKdf = hasTool('openssl') && opensslKdf('x', Buffer.from('01', 'hex'), 1, 1, 8, 'SHA1') !== undefined;

describe.skipIf(!opensslHasKdf)(`pkcs12Kdf agrees with openssl kdf PKCS12KDF${opensslHasKdf ? '' : ' (skipped: no openssl 3 with PKCS12KDF here)'}`, () => {
  const cases: Array<[string, string, 1 | 2 | 3, number, number, Pkcs12KdfDigest]> = [
    // An IBM-style 3DES key and IV and the SHA-1 MAC key, at 100,000 iterations.
    ['passw0rd', '0102030405060708', 1, 100_000, 24, 'sha1'],
    ['passw0rd', '0102030405060708', 2, 100_000, 8, 'sha1'],
    ['passw0rd', 'a1b2c3d4e5f60718', 3, 100_000, 20, 'sha1'],
    // An empty password, a 40-byte password (longer than one 64-byte block in BMP form),
    // a non-ASCII one, a 20-byte salt, and OpenSSL 3's SHA-256 MAC.
    ['', '0102030405060708', 1, 2048, 24, 'sha1'],
    ['correct horse battery staple 0123456789', '00112233445566778899aabbccddeeff00112233', 1, 2048, 64, 'sha1'],
    ['pässwörd€', '0102030405060708', 3, 2048, 32, 'sha256'],
    ['passw0rd', '0102030405060708', 3, 2048, 48, 'sha384'],
    ['passw0rd', '0102030405060708', 3, 1, 130, 'sha512'],
  ];
  it.each(cases)('password %j salt %s id %i, %i iterations, %i bytes of %s', (password, salt, id, iterations, length, digest) => {
    const ours = Buffer.from(pkcs12Kdf(password, Buffer.from(salt, 'hex'), id, iterations, length, digest)).toString('hex');
    expect(ours).toBe(opensslKdf(password, Buffer.from(salt, 'hex'), id, iterations, length, digest.toUpperCase()));
  });
});

describe('pkcs12Kdf agrees with node-forge for any password, salt and length', () => {
  it('including the absent (null) password', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 80, unit: 'binary' }), { nil: null }),
        fc.uint8Array({ minLength: 0, maxLength: 70 }),
        fc.constantFrom<1 | 2 | 3>(1, 2, 3),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 150 }),
        fc.constantFrom<Pkcs12KdfDigest>('sha1', 'sha256', 'sha384', 'sha512'),
        (password, salt, id, iterations, length, digest) => {
          const md = digest === 'sha1' ? forge.md.sha1.create() : digest === 'sha256' ? forge.md.sha256.create() : forge.md.sha512.create(digest === 'sha384' ? 'SHA-384' : 'SHA-512');
          const expected = forge.pkcs12.generateKey(password as string, forge.util.createBuffer(toBinary(salt)), id, iterations, length, md).toHex();
          expect(Buffer.from(pkcs12Kdf(password, salt, id, iterations, length, digest)).toString('hex')).toBe(expected);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('refuses fewer than one iteration (the key would not depend on the password)', () => {
    expect(() => pkcs12Kdf('x', new Uint8Array(8), 1, 0, 8)).toThrow(RangeError);
  });
});

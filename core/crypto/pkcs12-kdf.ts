/**
 * The PKCS#12 key-derivation function (RFC 7292, appendix B), which derives keys, IVs and
 * MAC keys for PKCS#12 files and the pbeWithSHAAnd… schemes.
 *
 * Node's OpenSSL has it inside but does not expose it. The first hash of each block is
 * native; the iterations that follow (100,000 in IBM-made files, 2,048 from OpenSSL) run
 * in WebAssembly for SHA-1 and through native hash calls for the SHA-2 digests, whose
 * files use few iterations.
 */
import { createHash } from 'node:crypto';
import { iterateSha1 } from './iterated-sha1';

export type Pkcs12KdfDigest = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** Output length u and block length v of each digest, in bytes. */
const SIZES: Record<Pkcs12KdfDigest, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

/** `password` null is the "absent" password (zero bytes, no terminator) that some PKCS#12
 * writers use for an empty password; '' is 00 00. Characters are taken as UTF-16 code
 * units, big-endian, as OpenSSL, Java and node-forge do. */
export function pkcs12Kdf(
  password: string | null,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
  digest: Pkcs12KdfDigest = 'sha1',
): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError('PKCS#12 key derivation needs at least one iteration');
  const { u, v } = SIZES[digest];

  const pass = password === null ? Buffer.alloc(0) : Buffer.alloc(password.length * 2 + 2);
  if (password !== null) for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2);

  const diversifier = Buffer.alloc(v, id);
  // I = S ‖ P, each repeated (the last copy cut short) to a whole number of v-byte blocks.
  const repeat = (bytes: Uint8Array): Buffer => {
    const out = Buffer.alloc(v * Math.ceil(bytes.length / v));
    for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]!;
    return out;
  };
  const input = Buffer.concat([repeat(salt), repeat(pass)]);

  const blocks: Uint8Array[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a: Uint8Array = createHash(digest).update(diversifier).update(input).digest();
    if (digest === 'sha1') a = iterateSha1(a, iterations - 1);
    else for (let r = 1; r < iterations; r++) a = createHash(digest).update(a).digest();
    blocks.push(a);
    if (produced + u >= length) break;
    // Each v-byte block Ij of I becomes (Ij + B + 1) mod 2^(8v), B being A repeated to v bytes.
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += input[j + k]! + a[k % u]!;
        input[j + k] = carry & 0xff;
        carry >>>= 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

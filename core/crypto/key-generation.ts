/**
 * New key pairs. (What runmqakm's `-size` / `-sig_alg` ask for is decided in
 * core/operations/new-key-request.ts.)
 *
 * Generation is node:crypto's (OpenSSL's) and asynchronous: an RSA 4096 key takes seconds,
 * which must not freeze the UI or the server's event loop. node-forge's generator is
 * pure JavaScript, far slower, and has no EC at all.
 */
import { generateKeyPair as nodeGenerateKeyPair } from 'node:crypto';
import { KeyDeskError } from '../errors';

export type RsaKeySize = 2048 | 3072 | 4096;
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';
export type KeySpec = { algorithm: 'RSA'; size: RsaKeySize } | { algorithm: 'EC'; curve: NamedCurve };
export type SignatureHash = 'sha256' | 'sha384' | 'sha512';

export interface GeneratedKeyPair {
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKey: Uint8Array;
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Uint8Array;
}

const RSA_SIZES: readonly number[] = [2048, 3072, 4096];
/** OpenSSL's names, which every Node version takes (the P- names need a newer OpenSSL). */
const OPENSSL_CURVES: Record<NamedCurve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

function usage(message: string): KeyDeskError {
  return new KeyDeskError('usage', message);
}

export function generateKeyPair(spec: KeySpec): Promise<GeneratedKeyPair> {
  const encodings = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: Buffer, privateKey: Buffer) => {
      if (error) reject(error);
      else resolve({ privateKey: new Uint8Array(privateKey), publicKey: new Uint8Array(publicKey) });
    };
    // Specs can come from JSON (the server, the CLI), so the union type is checked again.
    if (spec.algorithm === 'RSA') {
      if (!RSA_SIZES.includes(spec.size)) throw usage(`RSA keys can be 2048, 3072 or 4096 bits, not ${String(spec.size)}`);
      nodeGenerateKeyPair('rsa', { modulusLength: spec.size, publicExponent: 0x10001, ...encodings }, done);
    } else if (spec.algorithm === 'EC') {
      const curve = OPENSSL_CURVES[spec.curve];
      if (!curve) throw usage(`EC keys can be on P-256, P-384 or P-521, not ${String(spec.curve)}`);
      nodeGenerateKeyPair('ec', { namedCurve: curve, ...encodings }, done);
    } else {
      throw usage(`keys can be RSA or EC, not ${String((spec as { algorithm: unknown }).algorithm)}`);
    }
  });
}

/**
 * New key pairs, and runmqakm's `-size` / `-sig_alg` pair turned into what to generate and
 * how to sign.
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

type SigKind = { key: 'RSA' | 'EC' | 'any'; hash: SignatureHash };

/** -sig_alg spellings, compared lower-case with '_' and '-' dropped: runmqakm's
 * (SHA256WithRSA, SHA256_WITH_RSA, EC_ecdsa_with_SHA256), Java's (SHA256withECDSA) and
 * OpenSSL's (sha256WithRSAEncryption, ecdsa-with-SHA256). A bare hash name, which runmqakm
 * also lists, names no key type; the key then follows -size. */
const SIGNATURE_ALGORITHMS: Record<string, SigKind> = {};
for (const bits of ['256', '384', '512'] as const) {
  const hash = `sha${bits}` as SignatureHash;
  for (const name of [`sha${bits}withrsa`, `sha${bits}withrsaencryption`]) SIGNATURE_ALGORITHMS[name] = { key: 'RSA', hash };
  for (const name of [`ececdsawithsha${bits}`, `ecdsawithsha${bits}`, `sha${bits}withecdsa`]) SIGNATURE_ALGORITHMS[name] = { key: 'EC', hash };
  SIGNATURE_ALGORITHMS[hash] = { key: 'any', hash };
}
// IBM's deprecated abbreviations: SHA-384 and SHA-512, not SHA-3 (IBM: "runmqckm and
// runmqakm options").
SIGNATURE_ALGORITHMS.sha3withrsa = { key: 'RSA', hash: 'sha384' };
SIGNATURE_ALGORITHMS.sha5withrsa = { key: 'RSA', hash: 'sha512' };

/** Names runmqakm takes that are recognised only to be refused with a reason. */
const REFUSED = /^(md5|md5withrsa|sha1|shawithrsa|sha1withrsa|sha1withecdsa|ececdsawithsha1|ecdsawithsha1|sha224.*|ececdsawithsha224|ecdsawithsha224|shawithdsa|sha1withdsa|sha\d*withdsa)$/;

const SIGNATURE_CHOICES = 'SHA256WithRSA, SHA384WithRSA, SHA512WithRSA, EC_ecdsa_with_SHA256, EC_ecdsa_with_SHA384 or EC_ecdsa_with_SHA512';

const CURVE_FOR_SIZE: Record<number, NamedCurve> = { 256: 'P-256', 384: 'P-384', 521: 'P-521', 512: 'P-521' };
const CURVE_FOR_HASH: Record<SignatureHash, NamedCurve> = { sha256: 'P-256', sha384: 'P-384', sha512: 'P-521' };

/**
 * What runmqakm would generate and sign with for `-size` and `-sig_alg` (either may be
 * absent). Defaults as runmqakm's: RSA 2048 with SHA256WithRSA. An EC algorithm takes its
 * curve from -size (256, 384, 521; 512 too, as IBM's pages spell P-521), else from its
 * hash. Mismatches (an RSA algorithm with an EC size, or the reverse) are refused with
 * KeyDeskError('usage'); MD5, SHA-1, SHA-224 and DSA with 'unsupported'.
 */
export function keySpecFrom(size?: number, sigAlg?: string): { key: KeySpec; hash: SignatureHash } {
  if (size !== undefined && !(Number.isInteger(size) && (RSA_SIZES.includes(size) || size in CURVE_FOR_SIZE))) {
    throw usage(`-size ${String(size)} is not a key size KeyDesk makes: use 2048, 3072 or 4096 for RSA, 256, 384 or 521 for EC`);
  }
  let kind: SigKind = { key: 'any', hash: 'sha256' };
  if (sigAlg !== undefined) {
    const normalized = sigAlg.trim().toLowerCase().replace(/[_-]/g, '');
    const known = SIGNATURE_ALGORITHMS[normalized];
    if (!known) {
      if (REFUSED.test(normalized)) throw new KeyDeskError('unsupported', `-sig_alg ${sigAlg} is too weak for IBM MQ's TLS 1.2 and later CipherSpecs; use ${SIGNATURE_CHOICES}`);
      throw usage(`-sig_alg ${sigAlg} is not a signature algorithm KeyDesk knows; use ${SIGNATURE_CHOICES}`);
    }
    kind = known;
  }
  const ecSize = size !== undefined && size in CURVE_FOR_SIZE;
  if (kind.key === 'RSA' && ecSize) {
    throw usage(`-size ${String(size)} is an EC key size, but -sig_alg ${String(sigAlg)} signs with RSA; use -size 2048, 3072 or 4096, or an EC_ecdsa_with_SHA… algorithm`);
  }
  if (kind.key === 'EC' && size !== undefined && !ecSize) {
    throw usage(`-size ${size} is an RSA key size, but -sig_alg ${String(sigAlg)} signs with ECDSA; use -size 256, 384 or 521, or a …WithRSA algorithm`);
  }
  if (kind.key === 'any' && ecSize && sigAlg === undefined) {
    // runmqakm's default algorithm is SHA256WithRSA, which cannot use a 256-bit key; saying
    // how to ask for EC beats guessing that the operator meant it.
    throw usage(`-size ${String(size)} is an EC key size; add -sig_alg EC_ecdsa_with_SHA256 (or SHA384, SHA512) for an EC key, or use -size 2048, 3072 or 4096 for RSA`);
  }
  if (kind.key === 'EC' || (kind.key === 'any' && ecSize)) {
    const curve = size !== undefined ? (CURVE_FOR_SIZE[size] as NamedCurve) : CURVE_FOR_HASH[kind.hash];
    return { key: { algorithm: 'EC', curve }, hash: kind.hash };
  }
  return { key: { algorithm: 'RSA', size: (size ?? 2048) as RsaKeySize }, hash: kind.hash };
}

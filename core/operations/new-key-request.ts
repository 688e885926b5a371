/**
 * What New Self-Signed and New Request both take: runmqakm's -label, -dn, -size,
 * -sig_alg, -expire, -san_*, -ku, -eku and -ca_label flags, resolved into a key spec, a
 * signature, a subject and the extensions asked for.
 *
 * -sig_alg takes every spelling runmqakm's usage text lists (cli/RUNMQAKM.md §2.6) for
 * what KeyDesk can make: RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA with SHA-1, SHA-224 and
 * SHA-2. SHA-1 signatures and 1024-bit RSA keys are made, as runmqakm makes them when a
 * script asks (two real scripts do, cli/testing/REAL-SCRIPTS.md), with a warning: the
 * doctor flags them (WEAK_SIGNATURE, WEAK_KEY). MD5, DSA, SHA-3 and the post-quantum
 * names are refused by name.
 */
import { generateKeyPair as nodeGenerateKeyPair } from 'node:crypto';
import type { Asn1 } from '../asn1/der';
import { generateKeyPair, type GeneratedKeyPair, type KeySpec, type NamedCurve } from '../crypto/key-generation';
import { KeyDeskError } from '../errors';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import {
  EXTENDED_KEY_USAGE_OIDS,
  KEY_USAGE_BITS,
  type ExtendedKeyUsageName,
  type KeyUsageName,
  type SigningHash,
  type SubjectAltNames,
} from '../x509/certificate-builder';
import { worded } from '../wording';

export interface NewKeyOptions {
  label: string;
  dn: string;
  /** runmqakm -size: 2048|3072|4096 (RSA; 1024 with a warning) or 256|384|521 (EC). */
  size?: number;
  /** runmqakm -sig_alg, e.g. SHA256WithRSA, sha512 or EC_ecdsa_with_SHA384. */
  sigAlg?: string;
  /** Days the certificate is valid (runmqakm -expire; 365 by default). */
  validityDays?: number;
  subjectAltNames?: SubjectAltNames;
  /** A CA certificate (keyCertSign) rather than a TLS end entity. */
  ca?: boolean;
  /** runmqakm -ku: key usage names, in place of the profile's. */
  keyUsage?: string[];
  /** runmqakm -eku: extended key usage names, in place of the profile's. */
  extendedKeyUsage?: string[];
  /** runmqakm -ca_label: a personal CA certificate of the same store signs the new
   * certificate, instead of its own key (New Self-Signed only). */
  caLabel?: string;
  /** runmqakm -default_cert yes: the new certificate becomes the store's default. */
  isDefault?: boolean;
}

/** A key KeyDesk makes: what key-generation makes, and 1024-bit RSA for runmqakm scripts. */
export type NewKeySpec = KeySpec | { algorithm: 'RSA'; size: 1024 };

export interface ResolvedNewKey {
  key: NewKeySpec;
  hash: SigningHash;
  rsaPss: boolean;
  subject: Asn1;
  validityDays: number;
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: ExtendedKeyUsageName[];
  /** Warnings for the operator: a weak key or signature made because it was asked for. */
  warnings: string[];
}

function usage(message: string): KeyDeskError {
  return new KeyDeskError('usage', message);
}

type SigKind = { key: 'RSA' | 'EC' | 'any'; hash: SigningHash; pss?: boolean };

/** -sig_alg spellings, compared lower-case with '_' and '-' dropped: runmqakm's
 * (SHA256WithRSA, SHA256_WITH_RSA, EC_ecdsa_with_SHA256, SHA256WithRSASSAPSS), Java's
 * (SHA256withECDSA) and OpenSSL's (sha256WithRSAEncryption, ecdsa-with-SHA256). A bare hash
 * name (runmqakm's sha1 … sha512) names no key type; the key then follows -size. */
const SIGNATURE_ALGORITHMS: Record<string, SigKind> = {};
for (const bits of ['1', '224', '256', '384', '512'] as const) {
  const hash = `sha${bits}` as SigningHash;
  for (const name of [`sha${bits}withrsa`, `sha${bits}withrsaencryption`]) SIGNATURE_ALGORITHMS[name] = { key: 'RSA', hash };
  for (const name of [`ececdsawithsha${bits}`, `ecdsawithsha${bits}`, `sha${bits}withecdsa`]) SIGNATURE_ALGORITHMS[name] = { key: 'EC', hash };
  SIGNATURE_ALGORITHMS[hash] = { key: 'any', hash };
  if (bits !== '1') SIGNATURE_ALGORITHMS[`sha${bits}withrsassapss`] = { key: 'RSA', hash, pss: true };
}
// runmqakm's SHA-1 spellings without the 1 (SHA_WITH_RSA, SHAWithRSA).
SIGNATURE_ALGORITHMS.shawithrsa = { key: 'RSA', hash: 'sha1' };
// runmqakm's bare RSASSAPSS names no hash; SHA-256 is its PKCS#1 default's equal.
SIGNATURE_ALGORITHMS.rsassapss = { key: 'RSA', hash: 'sha256', pss: true };
// IBM's deprecated abbreviations: SHA-384 and SHA-512, not SHA-3 (IBM: "runmqckm and
// runmqakm options").
SIGNATURE_ALGORITHMS.sha3withrsa = { key: 'RSA', hash: 'sha384' };
SIGNATURE_ALGORITHMS.sha5withrsa = { key: 'RSA', hash: 'sha512' };

/** What runmqakm lists and KeyDesk does not make, each with the reason given in one line. */
const REFUSED: [RegExp, string][] = [
  [/^(md2|md5)/, 'MD5 and MD2 signatures are broken and IBM MQ refuses them (AMQ9633)'],
  [/^sha3(224|256|384|512)/, 'SHA-3 signatures are not supported by KeyDesk (nor by IBM MQ\'s CipherSpecs)'],
  [/withdsa$/, 'DSA keys are not supported by KeyDesk (IBM MQ\'s CipherSpecs use RSA or ECDSA)'],
  [/^rsassapsspss$/, 'RSA-PSS-only keys (RSASSAPSSPSS) are not supported by KeyDesk; RSASSAPSS signs with an ordinary RSA key'],
  [/^(dh|kyber|dilithium|sha\d+withdilithium)$/, 'post-quantum and Diffie-Hellman keys (DH, Kyber, Dilithium) are not supported by KeyDesk'],
];

const SIGNATURE_CHOICES = 'SHA256WithRSA, SHA384WithRSA, SHA512WithRSA, SHA256WithRSASSAPSS, EC_ecdsa_with_SHA256, EC_ecdsa_with_SHA384 or EC_ecdsa_with_SHA512';

const RSA_SIZES: readonly number[] = [1024, 2048, 3072, 4096];
const CURVE_FOR_SIZE: Record<number, NamedCurve> = { 256: 'P-256', 384: 'P-384', 521: 'P-521', 512: 'P-521' };
const CURVE_FOR_HASH: Record<SigningHash, NamedCurve> = { sha1: 'P-256', sha224: 'P-256', sha256: 'P-256', sha384: 'P-384', sha512: 'P-521' };

const sha1Warning = (sigAlg: string) =>
  worded(
    `-sig_alg ${sigAlg} makes a SHA-1 signature, which current TLS stacks refuse (the doctor reports it as WEAK_SIGNATURE); use SHA-256 or stronger`,
    `the signature algorithm ${sigAlg} makes a SHA-1 signature, which current TLS stacks refuse (the Doctor reports it as WEAK_SIGNATURE); use SHA-256 or stronger`,
  );

/** The CLI's flag, or the window's field, for the line that names it. */
const sigAlgWords = (sigAlg: unknown) => worded(`-sig_alg ${String(sigAlg)}`, `the signature algorithm ${String(sigAlg)}`);
const sizeWords = (size: unknown) => worded(`-size ${String(size)}`, `key size ${String(size)}`);

/** The signature a -sig_alg spelling names, or the refusal: by name where KeyDesk will
 * not make it (MD5, DSA, SHA-3…), as unknown otherwise. */
function knownSignature(sigAlg: string): SigKind {
  const normalized = sigAlg.trim().toLowerCase().replace(/[_-]/g, '');
  const known = SIGNATURE_ALGORITHMS[normalized];
  if (known) return known;
  const refused = REFUSED.find(([pattern]) => pattern.test(normalized));
  if (refused) throw new KeyDeskError('unsupported', `${sigAlgWords(sigAlg)}: ${refused[1]}; use ${SIGNATURE_CHOICES}`);
  throw usage(`${sigAlgWords(sigAlg)} is not a signature algorithm KeyDesk knows; use ${SIGNATURE_CHOICES}`);
}

/**
 * What runmqakm would generate and sign with for `-size` and `-sig_alg` (either may be
 * absent). Defaults as runmqakm's: RSA 2048 with SHA256WithRSA. An EC algorithm takes its
 * curve from -size (256, 384, 521; 512 too, as IBM's pages spell P-521), else from its
 * hash. Mismatches (an RSA algorithm with an EC size, or the reverse) are usage errors.
 */
export function resolveKeyAndSignature(size?: number, sigAlg?: string): { key: NewKeySpec; hash: SigningHash; rsaPss: boolean; warnings: string[] } {
  if (size === 512) throw new KeyDeskError('unsupported', `${sizeWords(512)} is not supported: a 512-bit RSA key can be broken in hours; use 2048 or more (1024 is made, with a warning, for old scripts)`);
  if (size !== undefined && !(Number.isInteger(size) && (RSA_SIZES.includes(size) || size in CURVE_FOR_SIZE))) {
    throw usage(`${sizeWords(size)} is not a key size KeyDesk makes: use 2048, 3072 or 4096 for RSA, 256, 384 or 521 for EC`);
  }
  const kind: SigKind = sigAlg === undefined ? { key: 'any', hash: 'sha256' } : knownSignature(sigAlg);
  const ecSize = size !== undefined && size in CURVE_FOR_SIZE;
  if (kind.key === 'RSA' && ecSize) {
    throw usage(`${sizeWords(size)} is an EC key size, but ${sigAlgWords(sigAlg)} signs with RSA; use ${worded('-size 2048, 3072 or 4096', 'key size 2048, 3072 or 4096')}, or an EC_ecdsa_with_SHA… algorithm`);
  }
  if (kind.key === 'EC' && size !== undefined && !ecSize) {
    throw usage(`${sizeWords(size)} is an RSA key size, but ${sigAlgWords(sigAlg)} signs with ECDSA; use ${worded('-size 256, 384 or 521', 'key size 256, 384 or 521')}, or a …WithRSA algorithm`);
  }
  if (kind.key === 'any' && ecSize && sigAlg === undefined) {
    // runmqakm's default algorithm is SHA256WithRSA, which cannot use a 256-bit key; saying
    // how to ask for EC beats guessing that the operator meant it.
    throw usage(
      worded(
        `-size ${String(size)} is an EC key size; add -sig_alg EC_ecdsa_with_SHA256 (or SHA384, SHA512) for an EC key, or use -size 2048, 3072 or 4096 for RSA`,
        `key size ${String(size)} is an EC key size; choose the signature algorithm EC_ecdsa_with_SHA256 (or SHA384, SHA512) for an EC key, or key size 2048, 3072 or 4096 for RSA`,
      ),
    );
  }
  const warnings: string[] = [];
  if (kind.hash === 'sha1') warnings.push(sha1Warning(sigAlg!));
  if (kind.key === 'EC' || (kind.key === 'any' && ecSize)) {
    const curve = size !== undefined ? (CURVE_FOR_SIZE[size] as NamedCurve) : CURVE_FOR_HASH[kind.hash];
    return { key: { algorithm: 'EC', curve }, hash: kind.hash, rsaPss: false, warnings };
  }
  if (size === 1024) warnings.push(`${sizeWords(1024)} makes a 1024-bit RSA key, which current TLS stacks refuse (the doctor reports it as WEAK_KEY); use 2048 or more`);
  // A 1024-bit key cannot hold a PSS signature's SHA-512 encoding with a full-length salt.
  if (size === 1024 && kind.pss && kind.hash === 'sha512') throw usage(`${sigAlgWords(sigAlg)} does not fit a 1024-bit key; use ${worded('-size 2048', 'key size 2048')} or more`);
  return { key: { algorithm: 'RSA', size: (size ?? 2048) as 1024 | 2048 | 3072 | 4096 }, hash: kind.hash, rsaPss: kind.pss === true, warnings };
}

/**
 * The signature a `-sig_alg` value asks for when the key already exists (a CA signing a
 * request, `-cert -sign -sigalg`): its hash, PSS or not, and the key kind it needs.
 */
export function signatureFor(sigAlg: string): { hash: SigningHash; rsaPss: boolean; key: 'RSA' | 'EC' | 'any'; warnings: string[] } {
  const known = knownSignature(sigAlg);
  const warnings = known.hash === 'sha1' ? [sha1Warning(sigAlg)] : [];
  return { hash: known.hash, rsaPss: known.pss === true, key: known.key, warnings };
}

/** Names given on the command line (any case) as the builder's names; unknown ones refused. */
function namesFrom<T extends string>(given: string[] | undefined, known: readonly T[], flag: string): T[] | undefined {
  if (given === undefined) return undefined;
  // Whole lines only: a clause as short as "-ku" would also match inside a label ("prod-kube").
  const field = flag === 'ku' ? 'key usage' : 'extended key usage';
  if (given.length === 0) throw usage(worded(`-${flag} needs at least one value: ${known.join(', ')}`, `${field} needs at least one value: ${known.join(', ')}`));
  return given.map((name) => {
    const match = known.find((k) => k.toLowerCase() === name.trim().toLowerCase());
    if (!match) throw usage(worded(`-${flag} takes ${known.join(', ')} (comma-separated), not "${name}"`, `${field} takes ${known.join(', ')} (comma-separated), not "${name}"`));
    return match;
  });
}

export function resolveNewKey(options: NewKeyOptions): ResolvedNewKey {
  const { key, hash, rsaPss, warnings } = resolveKeyAndSignature(options.size, options.sigAlg);
  const keyUsage = namesFrom(options.keyUsage, Object.keys(KEY_USAGE_BITS) as KeyUsageName[], 'ku');
  const extendedKeyUsage = namesFrom(options.extendedKeyUsage, Object.keys(EXTENDED_KEY_USAGE_OIDS) as ExtendedKeyUsageName[], 'eku');
  if (options.ca && keyUsage && !keyUsage.includes('keyCertSign')) {
    warnings.push(worded('-ca true with a -ku that lacks keyCertSign makes a CA certificate that cannot sign certificates', 'a CA certificate whose key usage lacks keyCertSign cannot sign certificates'));
  }
  if (key.algorithm === 'EC' && keyUsage?.some((k) => k === 'keyEncipherment' || k === 'dataEncipherment')) {
    warnings.push('an EC key cannot encipher; strict TLS peers reject a certificate whose key usage claims keyEncipherment or dataEncipherment for one');
  }
  return { key, hash, rsaPss, subject: parseDistinguishedName(options.dn), validityDays: options.validityDays ?? 365, keyUsage, extendedKeyUsage, warnings };
}

/** Generates the key: through key-generation, or here for the 1024-bit RSA it does not make. */
export function generateNewKey(spec: NewKeySpec): Promise<GeneratedKeyPair> {
  if (spec.algorithm === 'RSA' && spec.size === 1024) {
    return new Promise((resolve, reject) =>
      nodeGenerateKeyPair('rsa', { modulusLength: 1024, publicExponent: 0x10001, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } }, (error, publicKey, privateKey) => {
        if (error) reject(error);
        else resolve({ privateKey: new Uint8Array(privateKey), publicKey: new Uint8Array(publicKey) });
      }),
    );
  }
  return generateKeyPair(spec as KeySpec);
}


/**
 * Password-based encryption of private keys (PKCS#8 EncryptedPrivateKeyInfo) and of the
 * encrypted parts of PKCS#12 files, which use the same AlgorithmIdentifiers.
 *
 * Native crypto does the work wherever node's OpenSSL 3 has it (PBKDF2, hashes, AES, 3DES);
 * the PKCS#12 key derivation is in pkcs12-kdf.ts. node-forge is used for ASN.1 and the ciphers that
 * OpenSSL 3 only offers through its "legacy" provider, which node does not load: RC2 and
 * single DES. Old GSKit databases and IBM-made PKCS#12 files still use exactly those.
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { forge, type Forge } from '../node-forge-parts';
import { asn1, derToOid, encodeDer, fromBinary, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { pkcs12Kdf } from './pkcs12-kdf';

export type KeyProtection =
  | 'pbes2-sha256-aes256'
  | 'pbes2-sha384-aes256'
  | 'pkcs12-sha1-3des'
  | 'pkcs12-sha1-rc2-40'
  | 'pbes1-md5-des';

export interface ProtectionOptions {
  iterations?: number;
  saltLength?: number;
  /** How PBES2 parameters are spelled. 'openssl' (default): no keyLength, PRF with NULL
   * parameters. 'gskit': explicit keyLength and PRF without parameters, as GSKit v6 .kdb
   * files carry them, so a rewritten record looks like one GSKit made. */
  encoding?: 'openssl' | 'gskit';
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';

type Digest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';
type CipherName = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc' | 'des-ede-cbc' | 'des-cbc' | 'rc2-cbc';

interface CipherSpec {
  cipher: CipherName;
  keyLength: number;
  /** RC2 effective key bits; only meaningful for rc2-cbc. */
  rc2Bits?: number;
}

const PBKDF2_PRFS: Record<string, Digest> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Record<string, CipherSpec> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.3.14.3.2.7': { cipher: 'des-cbc', keyLength: 8 },
};

const PKCS12_PBE: Record<string, CipherSpec & { name: string }> = {
  '1.2.840.113549.1.12.1.3': { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC', cipher: 'rc2-cbc', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', cipher: 'rc2-cbc', keyLength: 5, rc2Bits: 40 },
};

// PKCS#5 v1.5 fixes RC2's effective key length at 64 bits for these schemes.
const PBES1: Record<string, CipherSpec & { name: string; digest: Digest }> = {
  '1.2.840.113549.1.5.3': { name: 'pbeWithMD5AndDES-CBC', digest: 'md5', cipher: 'des-cbc', keyLength: 8 },
  '1.2.840.113549.1.5.10': { name: 'pbeWithSHA1AndDES-CBC', digest: 'sha1', cipher: 'des-cbc', keyLength: 8 },
  '1.2.840.113549.1.5.6': { name: 'pbeWithMD5AndRC2-CBC', digest: 'md5', cipher: 'rc2-cbc', keyLength: 8, rc2Bits: 64 },
  '1.2.840.113549.1.5.11': { name: 'pbeWithSHA1AndRC2-CBC', digest: 'sha1', cipher: 'rc2-cbc', keyLength: 8, rc2Bits: 64 },
};

const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
};

// ---------------------------------------------------------------------------------------
// ASN.1 reading: a malformed parameter block is a damaged file, never a raw exception.

function damaged(what: string): KeyDeskError {
  return new KeyDeskError('damaged', `The encryption parameters are malformed (${what}).`);
}

export function childrenOf(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw damaged(what);
  return node.value;
}

export function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== asn1.Type.OID || typeof node.value !== 'string') throw damaged(what);
  return derToOid(node.value);
}

/** OCTET STRING contents; BER encoders may split it into constructed segments. */
export function octetsOf(node: Asn1 | undefined, what: string): Uint8Array {
  if (!node || node.type !== asn1.Type.OCTETSTRING) throw damaged(what);
  if (typeof node.value === 'string') return fromBinary(node.value);
  return Buffer.concat(node.value.map((part) => octetsOf(part, what)));
}

export function intOf(node: Asn1 | undefined, what: string): number {
  if (!node || node.type !== asn1.Type.INTEGER || typeof node.value !== 'string') throw damaged(what);
  const bytes = fromBinary(node.value);
  // Iteration counts and key lengths beyond 2^48 are nonsense; refuse rather than lose precision.
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0]! & 0x80) !== 0) throw damaged(what);
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

/**
 * Real stores use 1 to about a million iterations (OpenSSL 2048, keytool 10000, IBM tools
 * 100000, OWASP's advice 600000). A hostile file could ask for 2^40 and hang KeyDesk for
 * days; past this limit it is refused instead.
 */
export const MAX_KDF_ITERATIONS = 5_000_000;

export function iterationsOf(node: Asn1 | undefined, what: string): number {
  const iterations = intOf(node, what);
  if (iterations < 1) throw damaged(`${what} below 1`);
  if (iterations > MAX_KDF_ITERATIONS) {
    throw new KeyDeskError('unsupported', `The file asks for ${iterations.toLocaleString('en')} key-derivation iterations, far beyond any real key store; KeyDesk stops at ${MAX_KDF_ITERATIONS.toLocaleString('en')} so a hostile file cannot hang it.`);
  }
  return iterations;
}

// ASN.1 building.
export const seq = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
export const oidNode = (oid: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidToDer(oid));
export const octetNode = (bytes: Uint8Array): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, toBinary(bytes));
export const intNode = (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
export const nullNode = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');

// ---------------------------------------------------------------------------------------
// Key derivation.

/** PKCS#5 PBKDF1: hash(password ‖ salt) iterated; first 8 bytes key, next 8 bytes IV. */
function pbkdf1(password: Uint8Array, salt: Uint8Array, iterations: number, digest: Digest): Uint8Array {
  let t: Uint8Array = createHash(digest).update(password).update(salt).digest();
  for (let i = 1; i < iterations; i++) t = createHash(digest).update(t).digest();
  return t;
}

// ---------------------------------------------------------------------------------------
// Ciphers.

class BadPadding extends Error {}

/** node-forge's RC2-CBC keeps its chaining block in a buffer that only grows, so one call
 * over a megabyte (the certificates of an OpenSSL -legacy PKCS#12 of 1,000 entries) took
 * minutes. Decrypting in pieces, each with the previous piece's last ciphertext block as
 * its IV, is the same CBC and stays linear. */
const RC2_DECRYPT_PIECE = 8192;

function rc2CbcDecrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 8 !== 0 || data.length === 0) throw new BadPadding();
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += RC2_DECRYPT_PIECE) {
    const end = Math.min(at + RC2_DECRYPT_PIECE, data.length);
    const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(toBinary(key)), spec.rc2Bits);
    cipher.start(toBinary(at === 0 ? iv : data.subarray(at - 8, at)));
    cipher.update(forge.util.createBuffer(toBinary(data.subarray(at, end))));
    // Only the last piece carries the padding, which finish() checks and removes.
    if (end === data.length && !cipher.finish()) throw new BadPadding();
    pieces.push(fromBinary(cipher.output.getBytes()));
  }
  return new Uint8Array(Buffer.concat(pieces));
}

function runCipher(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  if (spec.cipher === 'rc2-cbc' && decrypt) return rc2CbcDecrypt(spec, key, iv, data);
  if (spec.cipher === 'rc2-cbc' || spec.cipher === 'des-cbc') {
    const keyBuf = forge.util.createBuffer(toBinary(key));
    const cipher =
      spec.cipher === 'rc2-cbc'
        ? decrypt
          ? forge.rc2.createDecryptionCipher(keyBuf, spec.rc2Bits)
          : forge.rc2.createEncryptionCipher(keyBuf, spec.rc2Bits)
        : decrypt
          ? forge.cipher.createDecipher('DES-CBC', keyBuf)
          : forge.cipher.createCipher('DES-CBC', keyBuf);
    if (spec.cipher === 'rc2-cbc') (cipher as Forge.rc2.cipher).start(toBinary(iv));
    else (cipher as Forge.cipher.BlockCipher).start({ iv: toBinary(iv) });
    cipher.update(forge.util.createBuffer(toBinary(data)));
    if (!cipher.finish()) throw new BadPadding();
    return fromBinary(cipher.output.getBytes());
  }
  try {
    const c = decrypt ? createDecipheriv(spec.cipher, key, iv) : createCipheriv(spec.cipher, key, iv);
    return Buffer.concat([c.update(data), c.final()]);
  } catch (e) {
    if (decrypt) throw new BadPadding();
    throw e;
  }
}

function ivLength(cipher: CipherName): number {
  return cipher.startsWith('aes') ? 16 : 8;
}

// ---------------------------------------------------------------------------------------
// Reading an AlgorithmIdentifier into everything needed to decrypt.

interface Scheme {
  protection: KeyProtection | 'other';
  oid: string;
  /** For people: e.g. `PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)`. */
  name: string;
  iterations: number;
  saltLength: number;
  /** Derives key and IV from the password; `null` = absent password (PKCS#12 only). */
  derive(password: string | null): { key: Uint8Array; iv: Uint8Array };
  cipher: CipherSpec;
}

function schemeOf(algorithm: Asn1): Scheme {
  const [oidN, params] = childrenOf(algorithm, 'AlgorithmIdentifier');
  const oid = oidOf(oidN, 'algorithm OID');

  const p12 = PKCS12_PBE[oid];
  if (p12) {
    const [saltN, iterN] = childrenOf(params, 'PKCS#12 PBE parameters');
    const salt = octetsOf(saltN, 'salt');
    const iterations = iterationsOf(iterN, 'iteration count');
    return {
      protection: oid === '1.2.840.113549.1.12.1.3' ? 'pkcs12-sha1-3des' : oid === '1.2.840.113549.1.12.1.6' ? 'pkcs12-sha1-rc2-40' : 'other',
      oid,
      name: p12.name,
      iterations,
      saltLength: salt.length,
      cipher: p12,
      derive: (password) => ({
        key: pkcs12Kdf(password, salt, 1, iterations, p12.keyLength),
        iv: pkcs12Kdf(password, salt, 2, iterations, 8),
      }),
    };
  }

  const p1 = PBES1[oid];
  if (p1) {
    const [saltN, iterN] = childrenOf(params, 'PBES1 parameters');
    const salt = octetsOf(saltN, 'salt');
    const iterations = iterationsOf(iterN, 'iteration count');
    return {
      protection: oid === '1.2.840.113549.1.5.3' ? 'pbes1-md5-des' : 'other',
      oid,
      name: p1.name,
      iterations,
      saltLength: salt.length,
      cipher: p1,
      derive: (password) => {
        const dk = pbkdf1(Buffer.from(password ?? '', 'utf8'), salt, iterations, p1.digest);
        return { key: dk.subarray(0, 8), iv: dk.subarray(8, 16) };
      },
    };
  }

  if (oid === PBES2) {
    const [kdfN, encN] = childrenOf(params, 'PBES2 parameters');
    const [kdfOidN, kdfParams] = childrenOf(kdfN, 'PBES2 key derivation');
    const kdfOid = oidOf(kdfOidN, 'key derivation OID');
    if (kdfOid !== PBKDF2) {
      throw new KeyDeskError('unsupported', `The key is encrypted with PBES2 using key derivation ${kdfOid}, which is not supported (only PBKDF2 is).`);
    }
    const [encOidN, ivN] = childrenOf(encN, 'PBES2 encryption scheme');
    const encOid = oidOf(encOidN, 'cipher OID');
    const cipher = PBES2_CIPHERS[encOid];
    if (!cipher) throw new KeyDeskError('unsupported', `The key is encrypted with PBES2 using cipher ${encOid}, which is not supported.`);
    const iv = octetsOf(ivN, 'IV');
    if (iv.length !== ivLength(cipher.cipher)) throw damaged('IV length');

    const kdfFields = childrenOf(kdfParams, 'PBKDF2 parameters');
    const salt = octetsOf(kdfFields[0], 'PBKDF2 salt');
    const iterations = iterationsOf(kdfFields[1], 'PBKDF2 iteration count');
    // keyLength and prf are both optional, so tell them apart by type.
    let digest: Digest = 'sha1';
    for (const field of kdfFields.slice(2)) {
      if (field.type === asn1.Type.INTEGER) {
        if (intOf(field, 'PBKDF2 key length') !== cipher.keyLength) throw damaged('PBKDF2 key length does not fit the cipher');
      } else {
        const prfOid = oidOf(childrenOf(field, 'PBKDF2 PRF')[0], 'PBKDF2 PRF OID');
        const prf = PBKDF2_PRFS[prfOid];
        if (!prf) throw new KeyDeskError('unsupported', `The key is encrypted with PBKDF2 using PRF ${prfOid}, which is not supported.`);
        digest = prf;
      }
    }
    const protection =
      cipher.cipher === 'aes-256-cbc' && digest === 'sha256'
        ? 'pbes2-sha256-aes256'
        : cipher.cipher === 'aes-256-cbc' && digest === 'sha384'
          ? 'pbes2-sha384-aes256'
          : 'other';
    return {
      protection,
      oid,
      name: `PBES2 (PBKDF2-HMAC-${digest.toUpperCase()}, ${cipher.cipher.toUpperCase()})`,
      iterations,
      saltLength: salt.length,
      cipher,
      derive: (password) => ({
        key: pbkdf2Sync(Buffer.from(password ?? '', 'utf8'), salt, iterations, cipher.keyLength, digest),
        iv,
      }),
    };
  }

  const known = KNOWN_UNSUPPORTED[oid];
  throw new KeyDeskError('unsupported', `The key is encrypted with ${known ? `${known} (${oid})` : `an unknown scheme (${oid})`}, which is not supported.`);
}

// ---------------------------------------------------------------------------------------
// Low-level entry points, shared with the PKCS#12 codec (its encryptedData uses the
// same AlgorithmIdentifiers).

/** Decrypts `ciphertext` under the PBE scheme named by `algorithm`. Padding failure is
 * 'wrong-password'; callers should also check the plaintext's structure, since a wrong
 * password passes the padding check about once in 256 tries. */
/** True when pbeDecrypt knows the scheme (it may still fail on the password). */
export function canDecrypt(algorithm: Asn1): boolean {
  try {
    schemeOf(algorithm);
    return true;
  } catch (e) {
    if (e instanceof KeyDeskError && e.code === 'unsupported') return false;
    throw e;
  }
}

export function pbeDecrypt(algorithm: Asn1, ciphertext: Uint8Array, password: string | null): Uint8Array {
  const scheme = schemeOf(algorithm);
  const { key, iv } = scheme.derive(password);
  try {
    return runCipher(scheme.cipher, key, iv, ciphertext, true);
  } catch (e) {
    if (e instanceof BadPadding) throw new KeyDeskError('wrong-password', 'The password is not correct.');
    throw e;
  }
}

const DEFAULTS: Record<KeyProtection, { iterations: number; saltLength: number }> = {
  // 2048 is OpenSSL 3's default; 16-byte salts are what current OpenSSL and Java write.
  'pbes2-sha256-aes256': { iterations: 2048, saltLength: 16 },
  'pbes2-sha384-aes256': { iterations: 2048, saltLength: 16 },
  'pkcs12-sha1-3des': { iterations: 2048, saltLength: 8 },
  'pkcs12-sha1-rc2-40': { iterations: 2048, saltLength: 8 },
  // PKCS#5 v1.5 defines the salt as exactly 8 bytes.
  'pbes1-md5-des': { iterations: 2048, saltLength: 8 },
};

/** Encrypts `plaintext` and returns the AlgorithmIdentifier that says how. */
export function pbeEncrypt(
  plaintext: Uint8Array,
  password: string,
  protection: KeyProtection,
  options: ProtectionOptions = {},
): { algorithm: Asn1; ciphertext: Uint8Array } {
  const defaults = DEFAULTS[protection];
  if (!defaults) throw new KeyDeskError('usage', `Unknown key protection "${String(protection)}".`);
  const iterations = options.iterations ?? defaults.iterations;
  const saltLength = options.saltLength ?? defaults.saltLength;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new KeyDeskError('usage', `The iteration count must be a whole number of at least 1 (got ${iterations}).`);
  if (!Number.isSafeInteger(saltLength) || saltLength < 1 || saltLength > 64) throw new KeyDeskError('usage', `The salt length must be 1 to 64 bytes (got ${saltLength}).`);
  const salt = randomBytes(saltLength);

  let algorithm: Asn1;
  switch (protection) {
    case 'pbes2-sha256-aes256':
    case 'pbes2-sha384-aes256': {
      const prfOid = protection === 'pbes2-sha256-aes256' ? '1.2.840.113549.2.9' : '1.2.840.113549.2.10';
      const gskit = options.encoding === 'gskit';
      const kdfParams = [octetNode(salt), intNode(iterations)];
      if (gskit) kdfParams.push(intNode(32));
      kdfParams.push(seq(gskit ? [oidNode(prfOid)] : [oidNode(prfOid), nullNode()]));
      algorithm = seq([
        oidNode(PBES2),
        seq([seq([oidNode(PBKDF2), seq(kdfParams)]), seq([oidNode('2.16.840.1.101.3.4.1.42'), octetNode(randomBytes(16))])]),
      ]);
      break;
    }
    case 'pkcs12-sha1-3des':
      algorithm = seq([oidNode('1.2.840.113549.1.12.1.3'), seq([octetNode(salt), intNode(iterations)])]);
      break;
    case 'pkcs12-sha1-rc2-40':
      algorithm = seq([oidNode('1.2.840.113549.1.12.1.6'), seq([octetNode(salt), intNode(iterations)])]);
      break;
    case 'pbes1-md5-des':
      algorithm = seq([oidNode('1.2.840.113549.1.5.3'), seq([octetNode(salt), intNode(iterations)])]);
      break;
  }
  const scheme = schemeOf(algorithm);
  const { key, iv } = scheme.derive(password);
  return { algorithm, ciphertext: runCipher(scheme.cipher, key, iv, plaintext, false) };
}

// ---------------------------------------------------------------------------------------
// EncryptedPrivateKeyInfo.

function parseEpki(epki: Uint8Array): { algorithm: Asn1; data: Uint8Array } {
  let root: Asn1;
  try {
    root = parseDer(epki);
  } catch {
    throw new KeyDeskError('damaged', 'The encrypted private key is not valid DER.');
  }
  const [algorithm, data] = childrenOf(root, 'EncryptedPrivateKeyInfo');
  if (!algorithm) throw damaged('EncryptedPrivateKeyInfo');
  return { algorithm, data: octetsOf(data, 'encrypted key') };
}

/** True when `der` is shaped like a PrivateKeyInfo/OneAsymmetricKey: SEQUENCE { INTEGER 0|1,
 * SEQUENCE { OID, ... }, OCTET STRING, ... }. Garbage from a wrong password fails this. */
export function looksLikePrivateKeyInfo(der: Uint8Array): boolean {
  try {
    const [version, alg, key] = childrenOf(parseDer(der), 'PrivateKeyInfo');
    const v = intOf(version, 'version');
    oidOf(childrenOf(alg, 'algorithm')[0], 'algorithm');
    return (v === 0 || v === 1) && key?.type === asn1.Type.OCTETSTRING;
  } catch {
    return false;
  }
}

/** EncryptedPrivateKeyInfo DER -> unencrypted PKCS#8 PrivateKeyInfo DER. Throws
 * KeyDeskError('wrong-password') when decryption padding/structure fails,
 * KeyDeskError('unsupported') for an unknown scheme (naming the OID). */
export function decryptPrivateKeyInfo(epki: Uint8Array, password: string): Uint8Array {
  const { algorithm, data } = parseEpki(epki);
  const plain = pbeDecrypt(algorithm, data, password);
  if (!looksLikePrivateKeyInfo(plain)) throw new KeyDeskError('wrong-password', 'The password is not correct.');
  return plain;
}

export function encryptPrivateKeyInfo(
  pkcs8: Uint8Array,
  password: string,
  protection: KeyProtection,
  options?: ProtectionOptions,
): Uint8Array {
  if (!looksLikePrivateKeyInfo(pkcs8)) throw new KeyDeskError('usage', 'The key to encrypt is not an unencrypted PKCS#8 PrivateKeyInfo.');
  const { algorithm, ciphertext } = pbeEncrypt(pkcs8, password, protection, options);
  return encodeDer(seq([algorithm, octetNode(ciphertext)]));
}

export interface ProtectionDescription {
  protection: KeyProtection | 'other';
  iterations: number;
  /** The outer scheme: PBES2, a PKCS#12 PBE or a PBES1 OID. */
  oid: string;
  name: string;
  saltLength: number;
}

/** Which scheme an EncryptedPrivateKeyInfo uses (for keeping a file's scheme on save). */
export function describeProtection(epki: Uint8Array): ProtectionDescription {
  const { algorithm } = parseEpki(epki);
  return describeAlgorithm(algorithm);
}

/** The same description for a bare AlgorithmIdentifier (a PKCS#12 encryptedData's). */
export function describeAlgorithm(algorithm: Asn1): ProtectionDescription {
  try {
    const { protection, iterations, oid, name, saltLength } = schemeOf(algorithm);
    return { protection, iterations, oid, name, saltLength };
  } catch (e) {
    // An unsupported scheme is still describable: report its OID, keep whatever else.
    if (e instanceof KeyDeskError && e.code === 'unsupported') {
      const oid = oidOf(childrenOf(algorithm, 'AlgorithmIdentifier')[0], 'algorithm OID');
      return { protection: 'other', iterations: 0, oid, name: KNOWN_UNSUPPORTED[oid] ?? oid, saltLength: 0 };
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// Writing a scheme again: a store keeps the protection it was read with, so the writer
// must be able to produce any scheme the reader can open, not only the presets above.

const PBES2_NAME = /^PBES2 \(PBKDF2-HMAC-(SHA\d+), ([A-Z0-9-]+)\)$/;

/** The AlgorithmIdentifier of the scheme describeAlgorithm names `name`, with a fresh
 * salt (and IV); undefined when KeyDesk cannot encrypt with it. */
export function pbeAlgorithmNamed(name: string, options: { iterations: number; saltLength: number }): Asn1 | undefined {
  const { iterations, saltLength } = options;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_KDF_ITERATIONS) return undefined;
  if (!Number.isSafeInteger(saltLength) || saltLength < 1 || saltLength > 64) return undefined;
  const salt = octetNode(randomBytes(saltLength));
  const pbe = Object.entries({ ...PKCS12_PBE, ...PBES1 }).find(([, spec]) => spec.name === name);
  if (pbe) return seq([oidNode(pbe[0]), seq([salt, intNode(iterations)])]);
  const m = PBES2_NAME.exec(name);
  if (!m) return undefined;
  const prf = Object.entries(PBKDF2_PRFS).find(([, digest]) => digest.toUpperCase() === m[1]);
  const cipher = Object.entries(PBES2_CIPHERS).find(([, spec]) => spec.cipher.toUpperCase() === m[2]);
  if (!prf || !cipher) return undefined;
  const kdfParams = [salt, intNode(iterations)];
  // HMAC-SHA1 is PBKDF2's default PRF, which DER leaves out.
  if (prf[1] !== 'sha1') kdfParams.push(seq([oidNode(prf[0]), nullNode()]));
  return seq([
    oidNode(PBES2),
    seq([seq([oidNode(PBKDF2), seq(kdfParams)]), seq([oidNode(cipher[0]), octetNode(randomBytes(ivLength(cipher[1].cipher)))])]),
  ]);
}

/** `template` with a fresh salt (and IV), everything else as it was, down to how its
 * parameters are spelled: for re-encrypting what another tool wrote, the way it wrote it.
 * Throws KeyDeskError('unsupported') for a scheme KeyDesk cannot encrypt with. */
export function pbeAlgorithmLike(template: Asn1): Asn1 {
  const scheme = schemeOf(template);
  const copy = parseDer(encodeDer(template));
  const [oidN, params] = childrenOf(copy, 'AlgorithmIdentifier');
  const fresh = (node: Asn1 | undefined, what: string): Asn1 => octetNode(randomBytes(octetsOf(node, what).length));
  if (scheme.oid === PBES2) {
    const [kdfN, encN] = childrenOf(params, 'PBES2 parameters');
    const kdfFields = childrenOf(childrenOf(kdfN, 'PBES2 key derivation')[1], 'PBKDF2 parameters');
    kdfFields[0] = fresh(kdfFields[0], 'PBKDF2 salt');
    const encFields = childrenOf(encN, 'PBES2 encryption scheme');
    encFields[1] = fresh(encFields[1], 'IV');
  } else {
    const fields = childrenOf(params, 'PBE parameters');
    fields[0] = fresh(fields[0], 'salt');
  }
  return seq([oidN!, params!]);
}

/** Encrypts under an AlgorithmIdentifier made by pbeAlgorithmNamed or pbeAlgorithmLike. */
export function pbeEncryptWith(plaintext: Uint8Array, password: string, algorithm: Asn1): Uint8Array {
  const scheme = schemeOf(algorithm);
  const { key, iv } = scheme.derive(password);
  return runCipher(scheme.cipher, key, iv, plaintext, false);
}

/**
 * Private-key files, in the encodings OpenSSL and other tools hand out beside a
 * certificate: PKCS#8 (plain or encrypted), PKCS#1 "RSA PRIVATE KEY" (also with the
 * legacy OpenSSL `Proc-Type: 4,ENCRYPTED` / `DEK-Info` encryption), SEC1 "EC PRIVATE KEY"
 * (with or without the curve inside, and with the `EC PARAMETERS` block `openssl ecparam`
 * puts before it), DSA, each as PEM, DER or bare base64. What the file is comes from its
 * content; the result is always unencrypted PKCS#8 DER, the form the key-store model holds.
 *
 * OpenSSL (node:crypto) converts the traditional forms: it knows every one of them, and
 * a hand-written converter would be one more thing to get subtly wrong. PKCS#8 input is
 * returned byte for byte.
 *
 * Errors (KeyDeskError; messages do not name the file): 'usage' for an encrypted key
 * without a password, 'wrong-password', 'damaged' for a recognisable key that cannot be
 * read, 'unsupported' when there is no private key in the file ("no private key found in
 * this file (it looks like …)", as certificate-file.ts words it) or it is encrypted with
 * a cipher OpenSSL 3 no longer offers by default.
 */
import { createDecipheriv, createHash, createPrivateKey, getCipherInfo, type Decipher, type KeyObject } from 'node:crypto';
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import {
  decryptPrivateKeyInfo,
  encryptPrivateKeyInfo,
  intNode,
  looksLikePrivateKeyInfo,
  octetNode,
  oidNode,
  seq,
} from '../crypto/encrypted-private-key';
import { KeyDeskError, isKeyDeskError } from '../errors';
import { bytesAsText, decodeBase64, encodePem, findPemBlocks, type PemBlock } from './pem';
import { classifyDer, describeContent, diagnoseTransferDamage, PEM_PRIVATE_KEY_LABELS, type DerKind } from './transfer-damage';

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

const TRADITIONAL_LABELS: Partial<Record<DerKind, string>> = {
  'rsa-private-key': 'RSA PRIVATE KEY',
  'ec-private-key': 'EC PRIVATE KEY',
  'dsa-private-key': 'DSA PRIVATE KEY',
};

const NEEDS_PASSWORD = 'the private key is encrypted: give its password (the one it was exported or created with)';
const WRONG_PASSWORD = 'the password for the private key is wrong (passwords are case-sensitive)';

function noKey(raw: Uint8Array): KeyDeskError {
  return new KeyDeskError('unsupported', `no private key found in this file (it looks like ${describeContent(raw)})`);
}

function decryptPkcs8(epki: Uint8Array, password: string | undefined): Uint8Array {
  if (password === undefined) throw new KeyDeskError('usage', NEEDS_PASSWORD);
  try {
    return decryptPrivateKeyInfo(epki, password);
  } catch (e) {
    if (isKeyDeskError(e) && e.code === 'wrong-password') throw new KeyDeskError('wrong-password', WRONG_PASSWORD);
    throw e;
  }
}

/** Does a SEC1 ECPrivateKey say which curve it is on ([0] parameters)? */
function sec1HasCurve(der: Uint8Array): boolean {
  const fields = parseDer(der).value as Asn1[];
  return fields.some((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 0);
}

/** SEC1 without its curve plus the curve from an EC PARAMETERS block, as PKCS#8 — the
 * same place PKCS#8 itself keeps the curve. */
function sec1WithCurve(sec1: Uint8Array, parameters: Uint8Array): Uint8Array {
  let params: Asn1;
  try {
    params = parseDer(parameters);
  } catch {
    throw new KeyDeskError('damaged', 'the EC PARAMETERS block does not hold valid DER');
  }
  const pkcs8 = encodeDer(seq([intNode(0), seq([oidNode(EC_PUBLIC_KEY), params]), octetNode(sec1)]));
  try {
    return exportPkcs8(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
  } catch (e) {
    throw new KeyDeskError('damaged', `the EC private key does not fit its EC PARAMETERS: ${(e as Error).message}`);
  }
}

function exportPkcs8(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
}

/** PKCS#1, SEC1 or DSA ("traditional" OpenSSL forms), possibly with legacy encryption. */
function readTraditional(
  label: string,
  der: Uint8Array,
  headers: Record<string, string>,
  password: string | undefined,
  ecParameters: Uint8Array | undefined,
): Uint8Array {
  const encrypted = /ENCRYPTED/i.test(headers['Proc-Type'] ?? '');
  if (encrypted && password === undefined) throw new KeyDeskError('usage', NEEDS_PASSWORD);
  if (!encrypted && label === 'EC PRIVATE KEY' && !sec1HasCurve(der)) {
    if (ecParameters) return sec1WithCurve(der, ecParameters);
    throw new KeyDeskError(
      'unsupported',
      'the EC private key does not say which curve it is on; give the file with its EC PARAMETERS block, or the key as PKCS#8 (openssl pkcs8 -topk8)',
    );
  }
  if (encrypted) {
    // What follows the decryption decides, not OpenSSL's error: a wrong password that
    // happens to leave valid padding (1 time in 256) decrypts to garbage, which OpenSSL 3's
    // decoder reports as "unsupported" — the same word as for a cipher it lacks.
    const plain = decryptLegacyPem(headers['DEK-Info'] ?? '', der, password!);
    if (!looksLikeTraditionalKey(label, plain)) throw new KeyDeskError('wrong-password', WRONG_PASSWORD);
    return readTraditional(label, plain, {}, undefined, ecParameters);
  }
  try {
    return exportPkcs8(createPrivateKey({ key: encodePem(label, der, {}), format: 'pem' }));
  } catch (e) {
    throw new KeyDeskError('damaged', `the ${label.replace('PRIVATE KEY', 'private key')} cannot be read: ${(e as Error).message}`);
  }
}

/** OpenSSL's EVP_BytesToKey with MD5 and one round, as its legacy PEM encryption derives
 * the key: the salt is the first 8 bytes of the DEK-Info IV. */
export function legacyPemKey(password: string, salt: Uint8Array, length: number): Buffer {
  const parts: Buffer[] = [];
  let previous = Buffer.alloc(0);
  while (Buffer.concat(parts).length < length) {
    previous = createHash('md5').update(previous).update(password, 'utf8').update(salt).digest();
    parts.push(previous);
  }
  return Buffer.concat(parts).subarray(0, length);
}

/**
 * The body of a `Proc-Type: 4,ENCRYPTED` PEM block, decrypted. 'wrong-password' when the
 * padding fails; 'unsupported' for a cipher OpenSSL 3 only offers as a legacy algorithm
 * (DES-CBC, Blowfish, RC2, IDEA, SEED) or does not know.
 */
function decryptLegacyPem(dekInfo: string, body: Uint8Array, password: string): Uint8Array {
  const [cipherName = '', ivHex = ''] = dekInfo.split(',').map((part) => part.trim());
  const iv = Buffer.from(ivHex, 'hex');
  if (!cipherName || iv.length < 8 || iv.length * 2 !== ivHex.length) throw new KeyDeskError('damaged', `the private key's DEK-Info header ("${dekInfo}") does not name a cipher and IV`);
  let decipher: Decipher;
  try {
    const keyLength = getCipherInfo(cipherName.toLowerCase())?.keyLength;
    if (keyLength === undefined) throw new Error('unknown cipher');
    decipher = createDecipheriv(cipherName.toLowerCase(), legacyPemKey(password, iv.subarray(0, 8), keyLength), iv);
  } catch {
    throw new KeyDeskError(
      'unsupported',
      `the private key is encrypted with ${cipherName}, which OpenSSL 3 only offers as a legacy algorithm; re-encrypt it first: openssl pkey -provider legacy -provider default -in key.pem -aes256 -out key-aes.pem`,
    );
  }
  try {
    return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    throw new KeyDeskError('wrong-password', WRONG_PASSWORD);
  }
}

/** Does a decrypted body parse as the DER key its PEM label names? RSAPrivateKey: a
 * SEQUENCE of at least nine INTEGERs; DSA: six INTEGERs; SEC1 ECPrivateKey: version 1 and
 * an OCTET STRING. Garbage from a wrong password does not, beyond any chance that matters. */
function looksLikeTraditionalKey(label: string, der: Uint8Array): boolean {
  try {
    const root = parseDer(der);
    if (root.tagClass !== asn1.Class.UNIVERSAL || root.type !== asn1.Type.SEQUENCE || !Array.isArray(root.value)) return false;
    const fields = root.value;
    const integers = fields.filter((f) => f.tagClass === asn1.Class.UNIVERSAL && f.type === asn1.Type.INTEGER).length;
    if (label === 'RSA PRIVATE KEY') return integers === fields.length && fields.length >= 9;
    if (label === 'DSA PRIVATE KEY') return integers === fields.length && fields.length === 6;
    if (label === 'EC PRIVATE KEY') return fields[0]?.type === asn1.Type.INTEGER && fields[0].value === '\x01' && fields[1]?.type === asn1.Type.OCTETSTRING;
    return false;
  } catch {
    return false;
  }
}

function fromPem(blocks: PemBlock[], raw: Uint8Array, password: string | undefined): Uint8Array {
  const keys = blocks.filter((b) => PEM_PRIVATE_KEY_LABELS.has(b.label));
  if (keys.length === 0) throw noKey(raw);
  if (keys.length > 1) {
    throw new KeyDeskError(
      'unsupported',
      `this file holds ${keys.length} private keys (on lines ${keys.map((k) => k.line).join(', ')}); KeyDesk reads one key at a time: keep only the one that belongs to the certificate`,
    );
  }
  const block = keys[0]!;
  if (!block.der) throw new KeyDeskError('damaged', `the ${block.label} block ${block.problem}`);
  const kind = classifyDer(block.der);
  const where = `the ${block.label} block on line ${block.line}`;
  switch (block.label) {
    case 'PRIVATE KEY':
      if (kind !== 'pkcs8') throw new KeyDeskError('damaged', `${where} does not hold a PKCS#8 private key`);
      return new Uint8Array(block.der);
    case 'ENCRYPTED PRIVATE KEY':
      if (kind !== 'encrypted-pkcs8') throw new KeyDeskError('damaged', `${where} does not hold an encrypted PKCS#8 private key`);
      return decryptPkcs8(block.der, password);
    default: {
      const encrypted = /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
      // Legacy-encrypted data is ciphertext, so its structure shows only after decryption.
      if (!encrypted && TRADITIONAL_LABELS[kind ?? 'other'] !== block.label) {
        throw new KeyDeskError('damaged', `${where} does not hold what its label says`);
      }
      const parameters = blocks.find((b) => b.label === 'EC PARAMETERS')?.der;
      return readTraditional(block.label, block.der, block.headers, password, parameters);
    }
  }
}

/** SEQUENCE { INTEGER 0|1 … } or SEQUENCE { SEQUENCE { OID … — how every key starts. */
function startsLikeKey(b: Uint8Array): boolean {
  if (b[0] !== 0x30 || b.length < 8) return false;
  const at = b[1]! < 0x80 ? 2 : 2 + (b[1]! & 0x7f);
  return (b[at] === 0x02 && b[at + 1] === 0x01 && b[at + 2]! <= 1) || (b[at] === 0x30 && b[at + 2] === 0x06);
}

function fromDer(der: Uint8Array, raw: Uint8Array, password: string | undefined, base64: boolean): Uint8Array {
  const kind = classifyDer(der);
  switch (kind) {
    case 'pkcs8':
      return new Uint8Array(der);
    case 'encrypted-pkcs8':
      return decryptPkcs8(der, password);
    case 'rsa-private-key':
    case 'ec-private-key':
    case 'dsa-private-key':
      return readTraditional(TRADITIONAL_LABELS[kind]!, der, {}, password, undefined);
    case undefined: {
      const transfer = base64 ? undefined : diagnoseTransferDamage(raw);
      if (transfer?.damaged) throw new KeyDeskError('damaged', transfer.message);
      if (startsLikeKey(der)) throw new KeyDeskError('damaged', 'the private key cannot be read: it is cut short or altered');
      throw noKey(raw);
    }
    default:
      throw noKey(raw);
  }
}

/** The private key in a key file, as unencrypted PKCS#8 DER. `password` is needed only
 * for an encrypted key and ignored otherwise. */
export function readPrivateKey(bytes: Uint8Array, password?: string): Uint8Array {
  const text = bytesAsText(bytes);
  if (text === undefined) return fromDer(bytes, bytes, password, false);
  const blocks = findPemBlocks(text);
  if (blocks.length > 0) return fromPem(blocks, bytes, password);
  const compact = text.replace(/\s+/g, '');
  if (/^M[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length >= 16) {
    const der = decodeBase64(compact);
    if (!der) throw new KeyDeskError('damaged', 'the base64 text is cut short or altered: its length is not a whole number of bytes');
    return fromDer(der, bytes, password, true);
  }
  throw noKey(bytes);
}

/**
 * A PKCS#8 key file: PEM ('ascii') or DER ('binary'); encrypted (PBES2, PBKDF2-HMAC-SHA256,
 * AES-256-CBC — what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes) when a password is given.
 */
export function writePrivateKey(pkcs8: Uint8Array, format: 'ascii' | 'binary', password?: string): Uint8Array {
  if (!looksLikePrivateKeyInfo(pkcs8)) throw new KeyDeskError('usage', 'the key to write is not an unencrypted PKCS#8 private key');
  if (password === '') {
    throw new KeyDeskError('usage', 'an empty password protects nothing: give a password, or none to write the key unencrypted');
  }
  const der = password === undefined ? new Uint8Array(pkcs8) : encryptPrivateKeyInfo(pkcs8, password, 'pbes2-sha256-aes256');
  if (format === 'binary') return der;
  return new Uint8Array(Buffer.from(encodePem(password === undefined ? 'PRIVATE KEY' : 'ENCRYPTED PRIVATE KEY', der), 'ascii'));
}

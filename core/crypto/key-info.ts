/**
 * What kind of key a store holds, and whether a private key belongs to a certificate.
 *
 * node:crypto (OpenSSL) does the reading: it knows every key type a key store can hold.
 * node-forge only looks at the AlgorithmIdentifier when OpenSSL cannot load a key (an
 * algorithm it lacks), so such a key is still named rather than breaking a listing.
 */
import { KeyObject, X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { asn1, bytesEqual, derToOid, fromBinary, parseDer, type Asn1 } from '../asn1/der';
import { binaryOf, derChildren, derSpanAt, derWhole, DerTag, plainDerThroughout } from '../asn1/der-spans';
import { KeyDeskError } from '../errors';

export interface KeyDescription {
  /** 'RSA', 'EC', 'Ed25519', 'Ed448', 'DSA', 'RSASSA-PSS', 'X25519', 'X448', 'DH', or the
   * algorithm OID when it is none of these. */
  keyAlgorithm: string;
  /** Bits: the modulus for RSA and DSA, the field size for EC (521 for P-521). */
  keySize?: number;
  /** 'P-256', 'P-384', 'P-521' for the NIST curves, OpenSSL's name for others. */
  curve?: string;
}

const NIST_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  prime192v1: 'P-192',
  secp224r1: 'P-224',
};

/** Field sizes of the named curves OpenSSL offers that a certificate might use. */
const FIELD_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
  brainpoolP256r1: 256,
  brainpoolP256t1: 256,
  brainpoolP320r1: 320,
  brainpoolP320t1: 320,
  brainpoolP384r1: 384,
  brainpoolP384t1: 384,
  brainpoolP512r1: 512,
  brainpoolP512t1: 512,
  SM2: 256,
};

/** Curve OIDs (RFC 5480, RFC 5639), for keys OpenSSL could not load. */
const CURVE_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1',
  '1.3.132.0.33': 'secp224r1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.2.156.10197.1.301': 'SM2',
};

const KEY_ALGORITHM_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10046.2.1': 'DH',
};

const KEY_TYPE_NAMES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSASSA-PSS',
  ec: 'EC',
  dsa: 'DSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dh: 'DH',
};

/** 'P-256' for prime256v1 and the other NIST curves; other names unchanged. */
export function curveDisplayName(opensslName: string): string {
  return NIST_NAMES[opensslName] ?? opensslName;
}

function curveFacts(opensslName: string): { curve: string; keySize?: number } {
  const facts: { curve: string; keySize?: number } = { curve: curveDisplayName(opensslName) };
  const bits = FIELD_BITS[opensslName] ?? Number(/^(?:secp|sect|prime|brainpoolP|c2[pt]nb)(\d+)/.exec(opensslName)?.[1] ?? NaN);
  if (Number.isFinite(bits)) facts.keySize = bits;
  return facts;
}

/** Works on a public or a private KeyObject alike. */
export function describeKeyObject(key: KeyObject): KeyDescription {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const described: KeyDescription = { keyAlgorithm: KEY_TYPE_NAMES[type] ?? type };
  if (type === 'ec') {
    // Keys with explicit curve parameters have no name; RFC 5480 forbids them in PKIX anyway.
    if (details.namedCurve) Object.assign(described, curveFacts(details.namedCurve));
  } else if (details.modulusLength !== undefined) {
    described.keySize = details.modulusLength;
  }
  return described;
}

function loadKey(der: Uint8Array, kind: 'spki' | 'pkcs8'): KeyObject {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  return kind === 'spki' ? createPublicKey({ key, format: 'der', type: 'spki' }) : createPrivateKey({ key, format: 'der', type: 'pkcs8' });
}

/** The AlgorithmIdentifier of an SPKI or PKCS#8 structure; undefined when the bytes are
 * not that structure. */
function algorithmIdentifier(der: Uint8Array, kind: 'spki' | 'pkcs8'): Asn1 | undefined {
  let top: Asn1;
  try {
    top = parseDer(der);
  } catch {
    return undefined;
  }
  if (top.type !== asn1.Type.SEQUENCE || !Array.isArray(top.value)) return undefined;
  const algorithm = top.value[kind === 'spki' ? 0 : 1];
  const first = Array.isArray(algorithm?.value) ? algorithm.value[0] : undefined;
  if (algorithm?.type !== asn1.Type.SEQUENCE || first?.type !== asn1.Type.OID) return undefined;
  return algorithm;
}

function describeFromAlgorithmIdentifier(algorithm: Asn1): KeyDescription {
  const [oidNode, params] = algorithm.value as Asn1[];
  const oid = derToOid((oidNode as Asn1).value as string);
  const described: KeyDescription = { keyAlgorithm: KEY_ALGORITHM_OIDS[oid] ?? oid };
  if (described.keyAlgorithm === 'EC' && params?.type === asn1.Type.OID) {
    const curveOid = derToOid(params.value as string);
    const name = CURVE_OIDS[curveOid];
    if (name) Object.assign(described, curveFacts(name));
    else described.curve = curveOid;
  }
  return described;
}

/**
 * The same facts as OpenSSL gives for the keys certificates almost always hold (RSA,
 * RSASSA-PSS, EC on a named curve, Ed25519/Ed448), read from the structure alone: loading
 * each key into OpenSSL was most of the time a 1,000-certificate listing took. Anything
 * else, or anything that does not parse, goes to OpenSSL as before (undefined here).
 */
function describeSpkiStructurally(der: Uint8Array): KeyDescription | undefined {
  // Read in place (der-spans.ts): three node-forge parses of each key (a 4096-bit modulus
  // as a binary string) cost more than the rest of describing its certificate.
  const top = derWhole(der);
  if (top?.tag !== DerTag.SEQUENCE || !plainDerThroughout(der, top)) return undefined;
  const [algorithm, bits] = derChildren(der, top)!;
  if (algorithm?.tag !== DerTag.SEQUENCE || bits?.tag !== DerTag.BIT_STRING) return undefined;
  const [oidSpan, params] = derChildren(der, algorithm)!;
  if (oidSpan?.tag !== DerTag.OID || oidSpan.end === oidSpan.body) return undefined;
  const oid = derToOid(binaryOf(der, oidSpan));
  const described: KeyDescription = { keyAlgorithm: KEY_ALGORITHM_OIDS[oid] ?? oid };
  if (described.keyAlgorithm === 'EC' && params?.tag === DerTag.OID && params.end > params.body) {
    const curveOid = derToOid(binaryOf(der, params));
    const name = CURVE_OIDS[curveOid];
    if (name) Object.assign(described, curveFacts(name));
    else described.curve = curveOid;
  }
  switch (described.keyAlgorithm) {
    case 'RSA':
    case 'RSASSA-PSS': {
      // The BIT STRING holds no unused bits, then RSAPublicKey { n, e }.
      if (der[bits.body] !== 0) return undefined;
      const rsaPublicKey = derSpanAt(der, bits.body + 1, bits.end);
      if (rsaPublicKey?.tag !== DerTag.SEQUENCE || rsaPublicKey.end !== bits.end || !plainDerThroughout(der, rsaPublicKey)) return undefined;
      const [n, e] = derChildren(der, rsaPublicKey)!;
      if (n?.tag !== DerTag.INTEGER || e?.tag !== DerTag.INTEGER) return undefined;
      let at = n.body;
      while (at < n.end - 1 && der[at] === 0) at++;
      const first = der[at] ?? 0;
      const keySize = first === 0 ? 0 : (n.end - at - 1) * 8 + (32 - Math.clz32(first));
      return keySize > 0 ? { ...described, keySize } : undefined;
    }
    case 'EC':
      return described.keySize !== undefined ? described : undefined;
    case 'Ed25519':
    case 'Ed448':
      return described;
    default:
      return undefined;
  }
}

const KIND_WORDS = { spki: 'public key (SubjectPublicKeyInfo)', pkcs8: 'private key (PKCS#8)' } as const;

/** Algorithm, size and curve of a public key (SPKI DER) or private key (PKCS#8 DER).
 * Throws KeyDeskError('damaged') when the bytes are not such a structure. */
export function describePublicKey(spkiOrPkcs8Der: Uint8Array, kind: 'spki' | 'pkcs8'): KeyDescription {
  const quick = kind === 'spki' ? describeSpkiStructurally(spkiOrPkcs8Der) : undefined;
  if (quick) return quick;
  try {
    return describeKeyObject(loadKey(spkiOrPkcs8Der, kind));
  } catch (e) {
    const algorithm = algorithmIdentifier(spkiOrPkcs8Der, kind);
    if (!algorithm) throw new KeyDeskError('damaged', `${KIND_WORDS[kind]} is not valid DER: ${(e as Error).message}`);
    return describeFromAlgorithmIdentifier(algorithm);
  }
}

function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

/** n and e of an RSA or RSASSA-PSS SubjectPublicKeyInfo: both carry the same
 * RSAPublicKey, so a PSS-restricted certificate can match a plain RSA private key. */
function rsaNumbers(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return undefined;
  const bits = (parseDer(spkiOf(key)).value as Asn1[])[1] as Asn1;
  const rsaPublicKey = parseDer(fromBinary((bits.value as string).slice(1)));
  const [n, e] = rsaPublicKey.value as Asn1[];
  return `${(n as Asn1).value as string}|${(e as Asn1).value as string}`;
}

/** Does this private key (PKCS#8 DER) belong to this certificate (DER)? Throws
 * KeyDeskError 'damaged' for unreadable input, 'unsupported' when OpenSSL cannot load
 * one of the keys and so cannot tell. */
export function publicKeyMatches(pkcs8Der: Uint8Array, certificateDer: Uint8Array): boolean {
  let privateKey: KeyObject;
  try {
    privateKey = loadKey(pkcs8Der, 'pkcs8');
  } catch (e) {
    if (algorithmIdentifier(pkcs8Der, 'pkcs8')) throw new KeyDeskError('unsupported', `cannot tell whether the private key belongs to the certificate: ${(e as Error).message}`);
    throw new KeyDeskError('damaged', `private key (PKCS#8) is not valid DER: ${(e as Error).message}`);
  }
  let certificateKey: KeyObject;
  try {
    certificateKey = new X509Certificate(Buffer.from(certificateDer)).publicKey;
  } catch (e) {
    throw new KeyDeskError('damaged', `certificate could not be read: ${(e as Error).message}`);
  }
  const ownPublic = createPublicKey(privateKey);
  if (bytesEqual(spkiOf(ownPublic), spkiOf(certificateKey))) return true;
  // equals() compares key material, so a compressed EC point in the certificate still
  // matches. It throws rather than answers for keys of different types.
  if (ownPublic.asymmetricKeyType === certificateKey.asymmetricKeyType) {
    try {
      return ownPublic.equals(certificateKey);
    } catch {
      return false;
    }
  }
  const mine = rsaNumbers(ownPublic);
  return mine !== undefined && mine === rsaNumbers(certificateKey);
}

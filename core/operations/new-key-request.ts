/**
 * What New Self-Signed and New Request both take: runmqakm's -label, -dn, -size,
 * -sig_alg, -expire and -san_* flags, resolved into a key spec, a subject and SANs.
 */
import type { Asn1 } from '../asn1/der';
import { keySpecFrom, type KeySpec, type SignatureHash } from '../crypto/key-generation';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import type { SubjectAltNames } from '../x509/certificate-builder';

export interface NewKeyOptions {
  label: string;
  dn: string;
  /** runmqakm -size: 2048|3072|4096 (RSA) or 256|384|521 (EC). */
  size?: number;
  /** runmqakm -sig_alg, e.g. SHA256WithRSA or EC_ecdsa_with_SHA384. */
  sigAlg?: string;
  /** Days the certificate is valid (runmqakm -expire; 365 by default). */
  validityDays?: number;
  subjectAltNames?: SubjectAltNames;
  /** A CA certificate (keyCertSign) rather than a TLS end entity. */
  ca?: boolean;
}

export interface ResolvedNewKey {
  key: KeySpec;
  hash: SignatureHash;
  subject: Asn1;
  validityDays: number;
}

export function resolveNewKey(options: NewKeyOptions): ResolvedNewKey {
  const { key, hash } = keySpecFrom(options.size, options.sigAlg);
  return { key, hash, subject: parseDistinguishedName(options.dn), validityDays: options.validityDays ?? 365 };
}

/**
 * New Request: a key pair and a PKCS#10 request for a CA to sign. The key waits in the
 * store as a pending request entry until Receive pairs it with the signed certificate.
 */
import type { KeyStore } from '../model/key-store';
import { generateKeyPair } from '../crypto/key-generation';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { checkNewLabel } from './label-rules';
import { resolveNewKey, type NewKeyOptions } from './new-key-request';

export async function createRequest(store: KeyStore, options: NewKeyOptions): Promise<{ csr: Uint8Array; notes: string[] }> {
  const notes = checkNewLabel(store, options.label);
  const { key, hash, subject } = resolveNewKey(options);
  const pair = await generateKeyPair(key);
  const csr = buildCertificationRequest({ subject, publicKey: pair.publicKey, privateKey: pair.privateKey, hash, subjectAltNames: options.subjectAltNames });
  store.entries.push({ kind: 'request', label: options.label, csr, privateKey: pair.privateKey });
  return { csr, notes };
}

/** Recreate: the same request again (for a CA that lost it): same key, same subject. */
export function pendingRequest(store: KeyStore, label: string): Uint8Array | undefined {
  const entry = store.entries.find((e) => e.kind === 'request' && e.label.toLowerCase() === label.toLowerCase());
  return entry?.kind === 'request' ? entry.csr : undefined;
}

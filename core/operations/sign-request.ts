/**
 * Sign: KeyDesk as a small CA, with a personal CA certificate, so a trainer can show the
 * CA-signed flow with no other tool.
 */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore } from '../model/key-store';
import { signCertificationRequest } from '../x509/certificate-builder';

export function signRequest(store: KeyStore, caLabel: string, csr: Uint8Array, options: { validityDays?: number; ca?: boolean }): Uint8Array {
  const entry = findEntry(store, caLabel);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${caLabel}".`, 'label-not-found');
  if (entry.kind !== 'personal' || !entry.chain[0]) {
    throw new KeyDeskError('unsupported', `"${entry.label}" is not a personal certificate with a private key, so it cannot sign.`);
  }
  return signCertificationRequest(csr, { certificate: entry.chain[0], privateKey: entry.privateKey }, { validityDays: options.validityDays ?? 365, profile: options.ca ? 'ca' : 'tls' });
}

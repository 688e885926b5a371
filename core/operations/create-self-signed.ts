/** New Self-Signed: a key pair and a certificate signed with it, as a personal entry. */
import type { KeyStore } from '../model/key-store';
import { generateKeyPair } from '../crypto/key-generation';
import { buildCertificate } from '../x509/certificate-builder';
import { checkNewLabel } from './label-rules';
import { resolveNewKey, type NewKeyOptions } from './new-key-request';

export async function createSelfSigned(store: KeyStore, options: NewKeyOptions): Promise<string[]> {
  const warnings = checkNewLabel(store, options.label);
  const { key, hash, subject, validityDays } = resolveNewKey(options);
  const pair = await generateKeyPair(key);
  const certificate = buildCertificate({
    subject,
    subjectPublicKey: pair.publicKey,
    subjectPrivateKey: pair.privateKey,
    hash,
    validityDays,
    subjectAltNames: options.subjectAltNames,
    profile: options.ca ? 'ca' : 'tls',
  });
  store.entries.push({ kind: 'personal', label: options.label, privateKey: pair.privateKey, chain: [certificate] });
  return warnings;
}

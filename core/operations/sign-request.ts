/**
 * Sign: KeyDesk as a small CA, with a personal CA certificate, so a trainer can show the
 * CA-signed flow with no other tool.
 */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore, type PersonalEntry } from '../model/key-store';
import { signCertificationRequest, type KeyHoldingSigner } from '../x509/certificate-builder';
import { describeCertificate } from '../x509/certificate-details';
import { describePublicKey } from '../crypto/key-info';
import { signatureFor } from './new-key-request';
import { worded } from '../wording';

/** `sigAlg`: runmqakm's -sigalg (G18's signing scripts pass it); default the CA's own hash. */
/** `keyOnToken`: the signer for a CA whose key is on a PKCS#11 token (the entry holds none). */
export function signRequest(
  store: KeyStore,
  caLabel: string,
  csr: Uint8Array,
  options: { validityDays?: number; ca?: boolean; sigAlg?: string; warnings?: string[]; keyOnToken?: (entry: PersonalEntry) => KeyHoldingSigner },
): Uint8Array {
  const entry = findEntry(store, caLabel);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${caLabel}".`, 'label-not-found');
  if (entry.kind !== 'personal' || !entry.chain[0]) {
    throw new KeyDeskError('unsupported', `"${entry.label}" is not a personal certificate with a private key, so it cannot sign.`);
  }
  const signature = options.sigAlg === undefined ? undefined : signatureFor(options.sigAlg);
  if (signature && signature.key !== 'any') {
    const caKey = entry.token?.id ? describeCertificate(entry.chain[0]).keyAlgorithm : describePublicKey(entry.privateKey, 'pkcs8').keyAlgorithm;
    if ((signature.key === 'EC') !== (caKey === 'EC')) {
      const why = `signs with ${signature.key === 'EC' ? 'ECDSA' : 'RSA'}, but the key of "${entry.label}" is ${caKey}; choose an algorithm for its key.`;
      throw new KeyDeskError('usage', worded(`-sig_alg ${options.sigAlg} ${why}`, `the signature algorithm ${options.sigAlg} ${why}`));
    }
  }
  options.warnings?.push(...(signature?.warnings ?? []));
  return signCertificationRequest(
    csr,
    { certificate: entry.chain[0], privateKey: entry.token?.id && options.keyOnToken ? options.keyOnToken(entry) : entry.privateKey },
    { validityDays: options.validityDays ?? 365, profile: options.ca ? 'ca' : 'tls', ...(signature ? { hash: signature.hash, rsaPss: signature.rsaPss, allowSha1: signature.hash === 'sha1' } : {}) },
  );
}

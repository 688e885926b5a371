/**
 * New Self-Signed and New Request on a token: the key pair is generated on the token and
 * the token signs what the existing builders encode, so the private key is never outside
 * it. The entry added to the store names the key by its CKA_ID; applyToToken then writes
 * the certificate (or the request) beside it.
 */
import { worded } from '../wording';
import { KeyDeskError } from '../errors';
import type { KeyStore } from '../model/key-store';
import { buildCertificate } from '../x509/certificate-builder';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { checkNewLabel } from '../operations/label-rules';
import { resolveNewKey, type NewKeyOptions } from '../operations/new-key-request';
import { destroyEntryObjects, generateKeyOnToken, type TokenConnection } from './token-store';

function refuseOnToken(options: NewKeyOptions): void {
  if (options.caLabel !== undefined) {
    throw new KeyDeskError('unsupported', worded('-ca_label on a token: KeyDesk signs with a CA kept in a key database file only; make the certificate self-signed, or a request for the CA to sign.', 'a signing CA on a token: KeyDesk signs with a CA kept in a key database file only; make the certificate self-signed, or a request for the CA to sign.'));
  }
  if (options.isDefault) {
    throw new KeyDeskError('unsupported', worded('a token has no default certificate (-default_cert yes); name the certificate by its label where it is used (MQ\'s CERTLABL).', 'a token has no default certificate; name the certificate by its label where it is used (MQ\'s CERTLABL).'));
  }
}

export function createSelfSignedOnToken(conn: TokenConnection, store: KeyStore, options: NewKeyOptions): string[] {
  refuseOnToken(options);
  const notes = checkNewLabel(store, options.label);
  const resolved = resolveNewKey(options);
  notes.push(...resolved.warnings);
  const { id, signer } = generateKeyOnToken(conn, resolved.key, options.label);
  try {
    const certificate = buildCertificate({
      subject: resolved.subject,
      subjectPublicKey: signer.publicKey,
      subjectPrivateKey: signer,
      hash: resolved.hash,
      rsaPss: resolved.rsaPss,
      allowSha1: true,
      validityDays: resolved.validityDays,
      subjectAltNames: options.subjectAltNames,
      profile: options.ca ? 'ca' : 'tls',
      keyUsage: resolved.keyUsage,
      extendedKeyUsage: resolved.extendedKeyUsage,
    });
    store.entries.push({ kind: 'personal', label: options.label, privateKey: new Uint8Array(0), chain: [certificate], token: { id } });
  } catch (e) {
    destroyEntryObjects(conn, id, options.label);
    throw e;
  }
  notes.push(`the key of "${options.label}" was generated on token "${conn.address.tokenLabel}" and cannot be exported from it.`);
  return notes;
}

export function createRequestOnToken(conn: TokenConnection, store: KeyStore, options: NewKeyOptions): { csr: Uint8Array; notes: string[] } {
  if (options.caLabel !== undefined) throw new KeyDeskError('usage', worded('-ca_label signs a new certificate in the store (-cert -create); a request is signed by the CA it is sent to.', 'a signing CA signs a new self-signed certificate in the store (New Self-Signed…); a request is signed by the CA it is sent to.'));
  refuseOnToken(options);
  const notes = checkNewLabel(store, options.label);
  const { key, hash, rsaPss, subject, keyUsage, extendedKeyUsage, warnings } = resolveNewKey(options);
  notes.push(...warnings);
  const { id, signer } = generateKeyOnToken(conn, key, options.label);
  try {
    const csr = buildCertificationRequest({ subject, publicKey: signer.publicKey, privateKey: signer, hash, rsaPss, allowSha1: true, subjectAltNames: options.subjectAltNames, keyUsage, extendedKeyUsage });
    store.entries.push({ kind: 'request', label: options.label, csr, privateKey: new Uint8Array(0), token: { id } });
    return { csr, notes };
  } catch (e) {
    destroyEntryObjects(conn, id, options.label);
    throw e;
  }
}

/**
 * New Request: a key pair and a PKCS#10 request for a CA to sign. The key waits in the
 * store as a pending request entry until Receive pairs it with the signed certificate.
 */
import { X509Certificate } from 'node:crypto';
import { asn1, parseDer, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore, type PersonalEntry } from '../model/key-store';
import { describeCertificate } from '../x509/certificate-details';
import type { KeyHoldingSigner, SigningHash } from '../x509/certificate-builder';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { checkNewLabel } from './label-rules';
import { generateNewKey, resolveNewKey, type NewKeyOptions } from './new-key-request';
import { worded } from '../wording';

export async function createRequest(store: KeyStore, options: NewKeyOptions): Promise<{ csr: Uint8Array; notes: string[] }> {
  if (options.caLabel !== undefined) {
    throw new KeyDeskError(
      'usage',
      worded('-ca_label signs a new certificate in the store (-cert -create); a request is signed by the CA it is sent to.', 'a signing CA signs a new self-signed certificate in the store (New Self-Signed…); a request is signed by the CA it is sent to.'),
    );
  }
  if (options.isDefault) {
    throw new KeyDeskError(
      'usage',
      worded("-default_cert yes marks a certificate, and a request has none yet: give it to -cert -receive with the CA's answer.", "the default is a certificate, and a request has none yet: make it the default when you Receive the CA's answer."),
    );
  }
  const notes = checkNewLabel(store, options.label);
  const { key, hash, rsaPss, subject, keyUsage, extendedKeyUsage, warnings } = resolveNewKey(options);
  notes.push(...warnings);
  const pair = await generateNewKey(key);
  const csr = buildCertificationRequest({ subject, publicKey: pair.publicKey, privateKey: pair.privateKey, hash, rsaPss, allowSha1: true, subjectAltNames: options.subjectAltNames, keyUsage, extendedKeyUsage });
  store.entries.push({ kind: 'request', label: options.label, csr, privateKey: pair.privateKey });
  return { csr, notes };
}

/** Recreate: the same request again (for a CA that lost it): same key, same subject. */
export function pendingRequest(store: KeyStore, label: string): Uint8Array | undefined {
  const entry = store.entries.find((e) => e.kind === 'request' && e.label.toLowerCase() === label.toLowerCase());
  return entry?.kind === 'request' ? entry.csr : undefined;
}

/**
 * Recreate for a personal certificate (runmqakm -certreq -recreate -label <personal>, as
 * Db2's renewal technote and mqsslsetup.sh run it): a request with the certificate's key,
 * subject and subject alternative names, for the CA to issue a renewal. Nothing in the
 * store changes; Receive later puts the new certificate in place under the same key.
 */
export function renewalRequest(store: KeyStore, label: string, keyOnToken?: (entry: PersonalEntry) => KeyHoldingSigner): Uint8Array | undefined {
  const entry = findEntry(store, label);
  if (entry?.kind !== 'personal' || !entry.chain[0]) return undefined;
  const certificate = entry.chain[0];
  const details = describeCertificate(certificate);
  // The certificate's own hash, unless it is one a CA should no longer be asked for.
  const own = /^SHA(256|384|512)with/i.exec(details.signatureAlgorithm)?.[1];
  const hash: SigningHash = own ? (`sha${own}` as SigningHash) : 'sha256';
  return buildCertificationRequest({
    subject: subjectOf(certificate),
    publicKey: new Uint8Array(new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' })),
    privateKey: entry.token?.id && keyOnToken ? keyOnToken(entry) : entry.privateKey,
    hash,
    subjectAltNames: subjectAltNamesFrom(details.subjectAltNames),
  });
}

/** The subject Name node of a certificate (tbsCertificate's sixth field after the version). */
function subjectOf(certificate: Uint8Array): Asn1 {
  const tbs = (parseDer(certificate).value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] EXPLICIT version
  return fields[offset + 4]!;
}

/** The names a renewal asks for again; kinds a request builder cannot write are left to the CA. */
function subjectAltNamesFrom(names: string[]): { dns?: string[]; ip?: string[]; email?: string[] } {
  const pick = (prefix: string) => names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
  return { dns: pick('DNS:'), ip: pick('IP:'), email: pick('email:') };
}

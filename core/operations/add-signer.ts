/**
 * Add (Signer Certificates): trust a certificate received from a partner or a CA. A file
 * with several certificates (a PKCS#7 chain, a PEM bundle) adds them all: the first under
 * the label given, the rest under labels from their subject CN.
 */
import { KeyDeskError } from '../errors';
import { uniqueLabel, type KeyStore } from '../model/key-store';
import { describeCertificate } from '../x509/certificate-details';
import { labelFromSubject } from '../x509/certificate-label';
import { checkNewLabel } from './label-rules';

/** Where the certificate already is, by content, whatever its label. The bytes are
 * compared as they are (most differ in length): hashing every certificate of a store of
 * thousands cost more than the rest of adding one. */
export function labelHolding(store: KeyStore, der: Uint8Array): string | undefined {
  const wanted = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const holds = (c: Uint8Array | undefined) => c !== undefined && c.byteLength === wanted.byteLength && wanted.equals(c);
  for (const e of store.entries) {
    if (e.kind === 'signer' ? holds(e.certificate) : e.kind === 'personal' && holds(e.chain[0])) return e.label;
  }
  return undefined;
}

export function addSigners(store: KeyStore, label: string, certificates: Uint8Array[]): string[] {
  const [first, ...rest] = certificates;
  if (!first) throw new KeyDeskError('usage', 'the file holds no certificate.');
  const notes = [...checkNewLabel(store, label, undefined, true)];
  const existing = labelHolding(store, first);
  if (existing) throw new KeyDeskError('conflict', `this certificate is already in the store, labelled "${existing}".`, 'duplicate-certificate');
  const details = describeCertificate(first);
  if (Date.parse(details.notAfter) < Date.now()) notes.push(`"${label}" expired on ${details.notAfter}: a channel that needs it will fail (AMQ9633).`);
  store.entries.push({ kind: 'signer', label, certificate: first });
  for (const der of rest) {
    const already = labelHolding(store, der);
    if (already) {
      notes.push(`skipped a certificate already in the store as "${already}".`);
      continue;
    }
    const name = uniqueLabel(labelFromSubject(der), store.entries.map((e) => e.label));
    store.entries.push({ kind: 'signer', label: name, certificate: der });
    notes.push(`added signer "${name}" from the same file.`);
  }
  return notes;
}

/**
 * Add without a label (runmqakm -cert -add -file F, as IBM's MQ container runs it with a
 * bundle of CA certificates): each certificate is labelled with its subject DN in RFC 4514
 * form, as GSKit labels them (`CN=R3,O=Let's Encrypt,C=US` in IBM Cloud's listing,
 * cli/RUNMQAKM.md §3.1). Certificates already in the store are skipped, saying so; a file
 * that adds nothing is refused, as a labelled add of a certificate present is.
 */
export function addSignersBySubject(store: KeyStore, certificates: Uint8Array[]): { labels: string[]; notes: string[] } {
  if (certificates.length === 0) throw new KeyDeskError('usage', 'the file holds no certificate.');
  const labels: string[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const der of certificates) {
    const already = labelHolding(store, der);
    if (already) {
      skipped.push(already);
      continue;
    }
    const details = describeCertificate(der);
    // A DN escapes control characters (\XX), so it passes the label rules; MQ's CERTLABL
    // limits (length, spaces) concern personal certificates, not signers.
    const label = uniqueLabel(details.subject || labelFromSubject(der), store.entries.map((e) => e.label));
    if (Date.parse(details.notAfter) < Date.now()) notes.push(`"${label}" expired on ${details.notAfter}: a channel that needs it will fail (AMQ9633).`);
    store.entries.push({ kind: 'signer', label, certificate: der });
    labels.push(label);
  }
  if (labels.length === 0) {
    const which = [...new Set(skipped)].map((l) => `"${l}"`).join(', ');
    throw new KeyDeskError('conflict', `${certificates.length === 1 ? 'this certificate is' : 'every certificate in the file is'} already in the store, labelled ${which}.`, 'duplicate-certificate');
  }
  for (const label of [...new Set(skipped)]) notes.push(`skipped a certificate already in the store as "${label}".`);
  return { labels, notes };
}

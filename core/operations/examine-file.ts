/**
 * Examine (KeyStore Explorer's Examine File / Examine Clipboard): what a certificate file,
 * a chain or a request holds, read without putting anything in a store. Given a store,
 * each certificate also says what Add… and Receive… would meet there: whether the store
 * already holds it, the label Add… would give it, and the issuer neither the store nor
 * the file supplies.
 */
import { KeyDeskError } from '../errors';
import { LabelSet, type KeyStore } from '../model/key-store';
import { readCertificates, type CertificateEncoding } from '../formats/certificate-file';
import { readCertificationRequest } from '../formats/certification-request-file';
import { bytesAsText, findPemBlocks } from '../formats/pem';
import { PEM_PRIVATE_KEY_LABELS } from '../formats/transfer-damage';
import { describeCertificate, type CertificateDetails } from '../x509/certificate-details';
import { describeCertificationRequest, type CertificationRequestDetails } from '../x509/certification-request-details';
import { buildChain } from '../x509/chain-builder';
import { labelFromSubject } from '../x509/certificate-label';
import { labelHolding } from './add-signer';

export interface ExaminedCertificate extends CertificateDetails {
  /** With a store: the label of the entry that already holds this certificate. */
  heldAs?: string;
  /** With a store: the label Add… gives it by default (its CN, made unique there). */
  proposedLabel?: string;
  /** With a store: the DN of the issuer found neither among its signers nor in the file
   * (the certificate Receive… would ask to be added first). */
  missingIssuer?: string;
}

export interface ExaminedFile {
  /** How the content was written, in words: "PEM", "DER", "PKCS#7 (PEM)", … */
  encoding: string;
  /** In file order; empty for a request. */
  certificates: ExaminedCertificate[];
  request?: CertificationRequestDetails;
  /** Worth telling: a private key beside the certificates (never read, never returned). */
  notes: string[];
}

const encodings: Record<CertificateEncoding, string> = {
  pem: 'PEM',
  der: 'DER',
  base64: 'Base64',
  'pkcs7-pem': 'PKCS#7 (PEM)',
  'pkcs7-der': 'PKCS#7 (DER)',
};

/** The certificates, or else the PKCS#10 request, in `bytes`; what cannot be read is
 * refused with the certificate reader's reason, which names what the content looks like. */
export function examineBytes(bytes: Uint8Array, fileName?: string, store?: KeyStore): ExaminedFile {
  const text = bytesAsText(bytes);
  const notes =
    text !== undefined && findPemBlocks(text).some((b) => PEM_PRIVATE_KEY_LABELS.has(b.label))
      ? ['it also holds a private key, which KeyDesk does not show or keep: only the certificates in it are read.']
      : [];
  let read: ReturnType<typeof readCertificates>;
  try {
    read = readCertificates(bytes, fileName);
  } catch (certificateError) {
    const request = examineRequest(bytes);
    if (request) return { encoding: text === undefined ? 'PKCS#10 (DER)' : 'PKCS#10 (PEM)', certificates: [], request, notes };
    throw certificateError;
  }
  return { encoding: encodings[read.encoding], certificates: examineCertificates(read.certificates, store), notes };
}

function examineRequest(bytes: Uint8Array): CertificationRequestDetails | undefined {
  try {
    return describeCertificationRequest(readCertificationRequest(bytes));
  } catch {
    return undefined;
  }
}

function examineCertificates(certificates: Uint8Array[], store: KeyStore | undefined): ExaminedCertificate[] {
  const described = certificates.map((der) => describeCertificate(der));
  if (!store) return described;
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  // Labelled in file order as Add… labels them, each claiming its label before the next.
  const labels = new LabelSet(store.entries.map((e) => e.label));
  return certificates.map((der, i) => {
    const heldAs = labelHolding(store, der);
    const built = buildChain(der, [...certificates, ...signers]);
    const top = built.complete ? undefined : describeCertificate(built.chain[built.chain.length - 1]!);
    return {
      ...described[i]!,
      ...(heldAs !== undefined ? { heldAs } : { proposedLabel: labels.claim(labelFromSubject(der)) }),
      ...(top ? { missingIssuer: top.issuer } : {}),
    };
  });
}

/** Pasted text is text: refused plainly when it is empty, before any reader guesses at it. */
export function pastedBytes(text: string): Uint8Array {
  if (text.trim() === '') throw new KeyDeskError('usage', 'nothing was pasted: paste the PEM text of a certificate, a chain or a request.');
  return new TextEncoder().encode(text);
}

/**
 * PKCS#10 request files as CAs and iKeyman exchange them: PEM (`CERTIFICATE REQUEST`, or
 * GSKit's `NEW CERTIFICATE REQUEST`) or DER.
 */
import { KeyDeskError } from '../errors';
import { parseDer } from '../asn1/der';
import { bytesAsText, encodePem, findPemBlocks } from './pem';

const LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

export function readCertificationRequest(bytes: Uint8Array): Uint8Array {
  const text = bytesAsText(bytes);
  if (text !== undefined) {
    const block = findPemBlocks(text).find((b) => LABELS.includes(b.label));
    if (!block) throw new KeyDeskError('usage', 'no certificate request (BEGIN CERTIFICATE REQUEST) in this file.');
    if (!block.der) throw new KeyDeskError('damaged', `the ${block.label} block ${block.problem}.`);
    return block.der;
  }
  try {
    parseDer(bytes);
  } catch {
    throw new KeyDeskError('damaged', 'this is neither a PEM nor a DER certificate request.');
  }
  return bytes;
}

/** ASCII requests carry GSKit's `NEW CERTIFICATE REQUEST` header, as runmqakm writes them
 * (cli/RUNMQAKM.md §3.3, G4); OpenSSL, keytool and CAs read it as they read the short one. */
export function writeCertificationRequest(csr: Uint8Array, format: 'ascii' | 'binary'): Uint8Array {
  return format === 'binary' ? csr : new Uint8Array(Buffer.from(encodePem('NEW CERTIFICATE REQUEST', csr), 'latin1'));
}

/**
 * The well-known public root CAs: Node's list (Mozilla's), the same one Populate adds.
 * Matched by subject and public key rather than by bytes, because public CAs re-issue
 * their roots (new signature, new dates) with the same name and key, and an MQ store
 * holding an older copy still trusts everything that CA issues.
 */
import { X509Certificate } from 'node:crypto';
import { nodeTls } from '../lazy-node-modules';
import { subjectDnOf } from '../x509/certificate-details';

let identities: Set<string> | undefined;
let subjects: Set<string> | undefined;

function identityOf(certificate: X509Certificate): string {
  return `${certificate.subject}|${certificate.publicKey.export({ format: 'der', type: 'spki' }).toString('hex')}`;
}

/** True when `der` is (a re-issue of) one of the well-known public roots. Subjects are
 * compared first, from the DER alone: a store of thousands of company certificates then
 * loads none of them into OpenSSL. */
export function isPublicRoot(der: Uint8Array): boolean {
  if (!subjects) {
    const roots = nodeTls().rootCertificates.map((pem) => new X509Certificate(pem));
    identities = new Set(roots.map(identityOf));
    subjects = new Set(roots.map((root) => subjectDnOf(root.raw)));
  }
  try {
    if (!subjects.has(subjectDnOf(der))) return false;
    return identities!.has(identityOf(new X509Certificate(der)));
  } catch {
    return false;
  }
}

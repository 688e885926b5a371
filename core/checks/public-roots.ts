/**
 * The well-known public root CAs: Node's list (Mozilla's), the same one Populate adds.
 * Matched by subject and public key rather than by bytes, because public CAs re-issue
 * their roots (new signature, new dates) with the same name and key, and an MQ store
 * holding an older copy still trusts everything that CA issues.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

let identities: Set<string> | undefined;

function identityOf(certificate: X509Certificate): string {
  return `${certificate.subject}|${certificate.publicKey.export({ format: 'der', type: 'spki' }).toString('hex')}`;
}

/** True when `der` is (a re-issue of) one of the well-known public roots. */
export function isPublicRoot(der: Uint8Array): boolean {
  identities ??= new Set(rootCertificates.map((pem) => identityOf(new X509Certificate(pem))));
  try {
    return identities.has(identityOf(new X509Certificate(der)));
  } catch {
    return false;
  }
}

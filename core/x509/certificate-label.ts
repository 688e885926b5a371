/** A label for a certificate that arrives without one: its subject CN, as iKeyman and
 * keytool users expect, else the whole subject. */
import { X509Certificate } from 'node:crypto';

export function labelFromSubject(certificate: Uint8Array | X509Certificate): string {
  const x509 = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const parts = x509.subject.split('\n').filter((p) => p !== '');
  const cn = parts.find((p) => p.startsWith('CN='));
  if (cn) return cn.slice(3);
  return parts.length > 0 ? parts.join(', ') : 'certificate';
}

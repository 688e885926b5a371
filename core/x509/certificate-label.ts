/** A label for a certificate that arrives without one: its subject CN, as iKeyman and
 * keytool users expect, else the whole subject. */
import { X509Certificate } from 'node:crypto';
import { subjectDnOf } from './certificate-details';

export function labelFromSubject(certificate: Uint8Array | X509Certificate): string {
  const x509 = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const parts = x509.subject.split('\n').filter((p) => p !== '');
  const cn = parts.find((p) => p.startsWith('CN='));
  if (cn) return cn.slice(3);
  return parts.length > 0 ? parts.join(', ') : 'certificate';
}

/**
 * GSKit's label for a certificate that arrives without one in a PKCS#12 (or a bundle
 * added without -label): its whole subject DN in RFC 4514 form, `CN=*.martdj.nl` — real
 * scripts go on with `-cert -setdefault -label CN=…` (cli/testing/REAL-SCRIPTS.md, martdj;
 * IBM Cloud's listing shows `CN=R3,O=Let's Encrypt,C=US`, cli/RUNMQAKM.md §3.1).
 */
export function labelFromSubjectDn(certificate: Uint8Array): string {
  try {
    return subjectDnOf(certificate) || labelFromSubject(certificate);
  } catch {
    return labelFromSubject(certificate);
  }
}

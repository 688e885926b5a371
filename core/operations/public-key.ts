/** Which key a certificate, a request or a private key carries, comparable as SPKI DER. */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { Entry } from '../model/key-store';
import { encodeDer, parseDer, type Asn1 } from '../asn1/der';

export function spkiOfCertificate(der: Uint8Array): string {
  return new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
}

export function spkiOfPrivateKey(pkcs8: Uint8Array): string {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .toString('hex');
}

/** The SubjectPublicKeyInfo a PKCS#10 request carries (certificationRequestInfo's third field). */
export function spkiOfRequest(csr: Uint8Array): string {
  const info = (parseDer(csr).value as Asn1[])[0]!;
  return Buffer.from(encodeDer((info.value as Asn1[])[2]!)).toString('hex');
}

/** The public half of the key an entry holds. A key kept on a token is not in the entry,
 * so its certificate or its request says which it is. */
export function spkiOfEntryKey(e: Extract<Entry, { kind: 'request' | 'personal' }>): string {
  if (!e.token?.id) return spkiOfPrivateKey(e.privateKey);
  return e.kind === 'personal' ? spkiOfCertificate(e.chain[0]!) : spkiOfRequest(e.csr);
}

/** The entry holding the private key for `spki`: a pending request or a personal key. */
export function entryWithKey(entries: Entry[], spki: string): Extract<Entry, { kind: 'request' | 'personal' }> | undefined {
  for (const e of entries) {
    if ((e.kind === 'request' || e.kind === 'personal') && spkiOfEntryKey(e) === spki) return e;
  }
  return undefined;
}

/** Which key a certificate, a request or a private key carries, comparable as SPKI DER. */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { Entry } from '../model/key-store';

export function spkiOfCertificate(der: Uint8Array): string {
  return new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
}

export function spkiOfPrivateKey(pkcs8: Uint8Array): string {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .toString('hex');
}

/** The entry holding the private key for `spki`: a pending request or a personal key. */
export function entryWithKey(entries: Entry[], spki: string): Extract<Entry, { kind: 'request' | 'personal' }> | undefined {
  for (const e of entries) {
    if ((e.kind === 'request' || e.kind === 'personal') && spkiOfPrivateKey(e.privateKey) === spki) return e;
  }
  return undefined;
}

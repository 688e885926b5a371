/**
 * Populate: add the well-known public CAs (the root list Node ships, from Mozilla's) as
 * signers. Done on request only, with a warning: a queue manager that trusts them all
 * accepts any certificate any public CA ever issued, unless SSLPEER narrows it down.
 */
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { uniqueLabel, type KeyStore } from '../model/key-store';
import { labelFromSubject } from '../x509/certificate-label';
import { labelHolding } from './add-signer';

export function populateSigners(store: KeyStore): string[] {
  let added = 0;
  for (const pem of rootCertificates) {
    const der = new Uint8Array(new X509Certificate(pem).raw);
    if (labelHolding(store, der) !== undefined) continue;
    store.entries.push({ kind: 'signer', label: uniqueLabel(labelFromSubject(der), store.entries.map((e) => e.label)), certificate: der });
    added++;
  }
  return [
    `added ${added} well-known CA certificates as signers (${rootCertificates.length - added} were already here).`,
    'warning: an IBM MQ key store should trust only the CAs it needs; with these, any certificate from any public CA passes unless SSLPEER or CHLAUTH restricts it.',
  ];
}

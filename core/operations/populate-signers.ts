/**
 * Populate: add the well-known public CAs (the root list Node ships, from Mozilla's) as
 * signers. Done on request only, with a warning: a queue manager that trusts them all
 * accepts any certificate any public CA ever issued, unless SSLPEER narrows it down.
 * The window adds only the ones the user ticks (by SHA-256 fingerprint); runmqakm's
 * -populate adds them all.
 */
import { nodeTls } from '../lazy-node-modules';
import { X509Certificate } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { uniqueLabel, type KeyStore } from '../model/key-store';
import { labelFromSubject } from '../x509/certificate-label';
import { labelHolding } from './add-signer';

/** One CA of the list, as a chooser shows it. */
export interface WellKnownCa {
  /** SHA-256 of the certificate, colon-separated hex as Node gives it: what selects it. */
  fingerprint: string;
  /** The label Populate gives it (its subject's CN, or the subject). */
  label: string;
  /** RFC 4514 subject. */
  subject: string;
  notAfter: string;
  /** The label it already has in the store, if it is there. */
  presentAs?: string;
}

interface Root {
  der: Uint8Array;
  x509: X509Certificate;
}

let roots: Root[] | undefined;
function wellKnownRoots(): Root[] {
  roots ??= nodeTls().rootCertificates.map((pem) => {
    const x509 = new X509Certificate(pem);
    return { der: new Uint8Array(x509.raw), x509 };
  });
  return roots;
}

export function wellKnownCas(store?: KeyStore): WellKnownCa[] {
  return wellKnownRoots()
    .map(({ der, x509 }) => {
      const presentAs = store ? labelHolding(store, der) : undefined;
      return {
        fingerprint: x509.fingerprint256,
        label: labelFromSubject(der),
        subject: x509.subject.split('\n').filter(Boolean).reverse().join(','),
        notAfter: new Date(x509.validTo).toISOString(),
        ...(presentAs !== undefined ? { presentAs } : {}),
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** `fingerprints`: only those CAs (the window's choice); every one without. */
export function populateSigners(store: KeyStore, fingerprints?: readonly string[]): string[] {
  let chosen = wellKnownRoots();
  if (fingerprints !== undefined) {
    const wanted = new Set(fingerprints.map((f) => f.toUpperCase()));
    if (wanted.size === 0) throw new KeyDeskError('usage', 'no CA certificate was chosen; nothing was added.');
    chosen = chosen.filter((r) => wanted.has(r.x509.fingerprint256));
    if (chosen.length !== wanted.size) throw new KeyDeskError('not-found', 'a chosen CA certificate is not in the list of well-known CAs; nothing was added.');
  }
  let added = 0;
  for (const { der } of chosen) {
    if (labelHolding(store, der) !== undefined) continue;
    store.entries.push({ kind: 'signer', label: uniqueLabel(labelFromSubject(der), store.entries.map((e) => e.label)), certificate: der });
    added++;
  }
  return [
    `added ${added} well-known CA certificate${added === 1 ? '' : 's'} as signer${added === 1 ? '' : 's'} (${chosen.length - added} ${chosen.length - added === 1 ? 'was' : 'were'} already here).`,
    'warning: an IBM MQ key store should trust only the CAs it needs; with these, any certificate from any public CA passes unless SSLPEER or CHLAUTH restricts it.',
  ];
}

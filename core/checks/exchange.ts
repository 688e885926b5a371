/**
 * Exchange Signers: the classic MQ set-up checklist (extract, transfer, add, enable) done
 * for two stores at once. Each side gives what the other must trust: its personal
 * certificate when that is self-signed, else the CA certificates above it. The steps are
 * listed in the words of IBM's documentation, each with the command that does it alone,
 * so a class can follow along and repeat it on a real queue manager.
 */
import { KeyDeskError } from '../errors';
import { findEntry, isTrustedSigner, uniqueLabel, type KeyStore, type SignerEntry } from '../model/key-store';
import { describeCertificate } from '../x509/certificate-details';
import { buildChain } from '../x509/chain-builder';
import { labelFromSubject } from '../x509/certificate-label';
import { setSignerTrust } from '../operations/set-signer-trust';
import { sameIdentity } from './trust-path';

export type ExchangeSide = 'A' | 'B';

export interface ExchangeStep {
  action: 'extract' | 'transfer' | 'add' | 'enable';
  from?: ExchangeSide;
  to?: ExchangeSide;
  /** The entry extracted from, or the label added under. */
  label?: string;
  subject?: string;
  /** done: KeyDesk did it now. present: nothing to do, the certificate was already there.
   * manual: only the operator can do it (MQSC, restarting an application). */
  status: 'done' | 'present' | 'manual';
  message: string;
  /** The single command that does this step on its own. */
  command?: string;
}

/** What one side hands over: the certificates the other side must add as signers. */
export interface Handover {
  side: ExchangeSide;
  path: string;
  label: string;
  subject: string;
  selfSigned: boolean;
  certificates: Uint8Array[];
  /** False when the store itself lacks part of the chain (its root, an intermediate). */
  complete: boolean;
}

export interface Added {
  der: Uint8Array;
  subject: string;
  label: string;
  /** True when the store already held it (under `label`). */
  present: boolean;
}

export function handoverOf(side: ExchangeSide, path: string, store: KeyStore, label: string): Handover {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `${path}: no entry labelled "${label}".`, 'label-not-found');
  if (entry.kind !== 'personal' || !entry.chain[0]) throw new KeyDeskError('unsupported', `${path}: "${entry.label}" is not a personal certificate; give the label of the certificate this side presents.`);
  const leaf = entry.chain[0];
  const details = describeCertificate(leaf);
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const built = buildChain(leaf, [...entry.chain.slice(1), ...signers]);
  const top = describeCertificate(built.chain[built.chain.length - 1]!);
  const certificates = details.selfSigned ? [leaf] : built.chain.slice(1);
  return { side, path, label: entry.label, subject: details.subject, selfSigned: details.selfSigned, certificates, complete: built.complete || top.selfSigned };
}

/** Which of `certificates` `store` still lacks (by subject and key, as TLS compares). */
export function missingFrom(store: KeyStore, certificates: Uint8Array[]): Uint8Array[] {
  const held = store.entries.flatMap((e) => (isTrustedSigner(e) ? [e.certificate] : []));
  return certificates.filter((c) => !held.some((h) => sameIdentity(h, c)));
}

/** Adds each certificate the store lacks as a signer, labelled by its subject CN. */
export function addHandover(store: KeyStore, certificates: Uint8Array[]): Added[] {
  return certificates.map((der) => {
    const subject = describeCertificate(der).subject;
    const holder = store.entries.find((e): e is SignerEntry => e.kind === 'signer' && sameIdentity(e.certificate, der));
    if (holder?.trusted === false) {
      // Kept with its trust disabled: the exchange needs it trusted, so switch it on.
      setSignerTrust(store, holder.label, true);
      return { der, subject, label: holder.label, present: false };
    }
    if (holder) return { der, subject, label: holder.label, present: true };
    const label = uniqueLabel(labelFromSubject(der), store.entries.map((e) => e.label));
    store.entries.push({ kind: 'signer', label, certificate: der });
    return { der, subject, label, present: false };
  });
}

const fileName = (label: string) => `${label.replace(/[^A-Za-z0-9._-]+/g, '_')}.arm`;

/** The checklist for one direction: extract from `from`, transfer, add to `toPath`. */
export function directionSteps(from: Handover, to: { side: ExchangeSide; path: string }, added: Added[]): ExchangeStep[] {
  const steps: ExchangeStep[] = [];
  const file = fileName(from.label);
  if (from.selfSigned) {
    steps.push({
      action: 'extract',
      from: from.side,
      label: from.label,
      subject: from.subject,
      status: 'done',
      message: `Extract the self-signed personal certificate "${from.label}" (${from.subject}) from ${from.path} (Personal Certificates → Extract Certificate, Base64-encoded ASCII).`,
      command: `keydesk -cert -extract -db ${from.path} -label ${quoted(from.label)} -target ${file} -format ascii`,
    });
  } else {
    for (const der of from.certificates) {
      const subject = describeCertificate(der).subject;
      steps.push({
        action: 'extract',
        from: from.side,
        subject,
        status: 'done',
        message: `Extract the CA certificate ${subject}, which issued "${from.label}"'s chain, from ${from.path} (Signer Certificates → Extract).`,
      });
    }
    if (!from.complete) {
      steps.push({
        action: 'extract',
        from: from.side,
        label: from.label,
        status: 'manual',
        message: `${from.path} does not hold the whole chain of "${from.label}" up to its root: get the missing CA certificate from the CA and add it to both stores, or ${to.path} cannot verify ${from.subject}.`,
      });
    }
  }
  if (from.certificates.length === 0) return steps;
  steps.push({
    action: 'transfer',
    from: from.side,
    to: to.side,
    status: 'done',
    message: `Transfer the extracted certificate${from.certificates.length === 1 ? '' : 's'} to ${to.path}'s machine (a .arm file is text; FTP it in ASCII or binary mode, both are safe).`,
  });
  for (const a of added) {
    steps.push({
      action: 'add',
      to: to.side,
      label: a.label,
      subject: a.subject,
      status: a.present ? 'present' : 'done',
      message: a.present ? `${to.path} already trusts ${a.subject} (signer "${a.label}"); nothing to add.` : `Add ${a.subject} to ${to.path}'s Signer Certificates as "${a.label}" (Signer Certificates → Add).`,
      ...(a.present ? {} : { command: `keydesk -cert -add -db ${to.path} -label ${quoted(a.label)} -file ${file}` }),
    });
  }
  return steps;
}

/** What a side is in MQ: a queue manager (QM-to-QM channels have two) or an MQ client. */
export type MqRole = 'queue manager' | 'client';

/** The last step is MQ's, not the key store's: make each side read its store again. */
export function enableSteps(a: Handover, b: Handover, roles: { a: MqRole; b: MqRole } = { a: 'queue manager', b: 'client' }): ExchangeStep[] {
  return [enableStep(a, roles.a), enableStep(b, roles.b)];
}

function enableStep(side: Handover, role: MqRole): ExchangeStep {
  if (role === 'queue manager') {
    return {
      action: 'enable',
      to: side.side,
      status: 'manual',
      message: `Queue manager (${side.path}): REFRESH SECURITY TYPE(SSL) so it reads its key repository again (or restart the channel); check SSLCIPH matches on both ends and CERTLABL (or the default label) is "${side.label}".`,
    };
  }
  return {
    action: 'enable',
    to: side.side,
    status: 'manual',
    message: `Client (${side.path}): restart the application so it reads its key store again; its certificate label must be "${side.label}". Then run the handshake lab to prove it.`,
  };
}

function quoted(label: string): string {
  return /[\s"'$]/.test(label) ? `"${label.replace(/"/g, '\\"')}"` : label;
}

/**
 * What the front ends may see of an entry: labels and certificate facts, never key bytes.
 */
import type { Entry, KeyStore } from '../model/key-store';
import { buildChain } from '../x509/chain-builder';
import { describeCertificate, describedCertificate, type CertificateDetails } from '../x509/certificate-details';
import { describeCertificationRequest } from '../x509/certification-request-details';
import { describePublicKey } from '../crypto/key-info';
import type { EntryDetails, EntrySummary } from './contract';

function certificatesOf(entry: Entry): Uint8Array[] {
  switch (entry.kind) {
    case 'personal':
      return entry.chain;
    case 'signer':
      return [entry.certificate];
    default:
      return [];
  }
}

function baseOf(entry: Entry): EntrySummary {
  const summary = labelOnly(entry);
  if (entry.kind === 'unknown') summary.reason = entry.reason;
  if (entry.kind === 'secret' && entry.algorithm) summary.algorithm = entry.algorithm;
  if (entry.kind === 'request') {
    const request = describeCertificationRequest(entry.csr);
    Object.assign(summary, request);
  }
  if (entry.kind === 'personal') {
    summary.chainLength = entry.chain.length;
    // A personal entry whose certificate could not be stored still has a key worth naming.
    if (entry.chain.length === 0) Object.assign(summary, describePublicKey(entry.privateKey, 'pkcs8'));
  }
  return summary;
}

/** Label, kind and whether a key is held: all a plain listing prints. */
export function labelOnly(entry: Entry): EntrySummary {
  const summary: EntrySummary = { label: entry.label, kind: entry.kind, hasPrivateKey: entry.kind === 'personal' || entry.kind === 'request' };
  if (entry.kind === 'signer') summary.trusted = entry.trusted !== false;
  if (entry.kind === 'personal' && entry.isDefault) summary.isDefault = true;
  return summary;
}

/** One certificate that cannot be parsed must not hide the rest of the store. */
function describeOrExplain(der: Uint8Array): Partial<CertificateDetails> & { reason?: string } {
  try {
    return describedCertificate(der);
  } catch (e) {
    return { reason: `its certificate cannot be read (${(e as Error).message}); the entry is kept unchanged.` };
  }
}

export function summarizeEntry(entry: Entry): EntrySummary {
  const summary = baseOf(entry);
  const [own] = certificatesOf(entry);
  return own ? { ...summary, ...describeOrExplain(own) } : summary;
}

/** The entry with its whole chain as a peer would build it from this store: the
 * certificates the entry carries, then issuers found among the store's signers. */
export function detailEntry(entry: Entry, store: KeyStore): EntryDetails {
  const [leaf, ...carried] = certificatesOf(entry);
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const built = leaf ? buildChain(leaf, [...carried, ...signers]) : { chain: [], complete: false };
  const chain: CertificateDetails[] = built.chain.map((der) => describeCertificate(der));
  const [own] = chain;
  const details: EntryDetails = { ...baseOf(entry), ...(own ?? {}), chain, chainComplete: built.complete };
  if (entry.kind === 'signer') details.reliedOnBy = personalChainsThrough(entry.certificate, store, signers);
  return details;
}

/** Labels of the personal certificates whose chain, as built from the store, passes
 * through `ca`: what stops validating when the store stops trusting it. */
function personalChainsThrough(ca: Uint8Array, store: KeyStore, signers: Uint8Array[]): string[] {
  return store.entries.flatMap((e) => {
    if (e.kind !== 'personal') return [];
    const [leaf, ...carried] = e.chain;
    if (!leaf) return [];
    const { chain } = buildChain(leaf, [...carried, ...signers]);
    return chain.slice(1).some((der) => Buffer.compare(der, ca) === 0) ? [e.label] : [];
  });
}

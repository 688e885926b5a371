/**
 * Validate: would a peer accept this certificate? Its chain must reach a signer of this
 * store by signature, and every certificate on the way must be within its dates.
 */
import { X509Certificate } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { findEntry, isTrustedSigner, type KeyStore } from '../model/key-store';
import { buildChain } from '../x509/chain-builder';
import { worded } from '../wording';
import { describedCertificate } from '../x509/certificate-details';
import { signatureWeakness } from '../checks/entry-status';

const rfcName = (name: string) => name.split('\n').filter(Boolean).reverse().join(',');

export interface Validation {
  valid: boolean;
  /** Subjects from the certificate up to its root. */
  chain: string[];
  problems: string[];
  /** `problems` as the window words them, where one names a CLI flag (issue 15). */
  guiProblems?: string[];
}

export function validateEntry(store: KeyStore, label: string, now = new Date()): Validation {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
  const own = entry.kind === 'personal' ? entry.chain[0] : entry.kind === 'signer' ? entry.certificate : undefined;
  if (!own) throw new KeyDeskError('unsupported', `"${entry.label}" holds no certificate to validate.`);
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const carried = entry.kind === 'personal' ? entry.chain.slice(1) : [];
  const built = buildChain(own, [...signers, ...carried]);
  const certs = built.chain.map((der) => new X509Certificate(der));
  const problems: string[] = [];
  /** Index in `problems` → the window's wording of it. */
  const guiWording = new Map<number, string>();
  const last = certs[certs.length - 1]!;
  if (!built.complete) {
    problems.push(`the chain stops at ${rfcName(last.subject)}: its issuer ${rfcName(last.issuer)} is not among the signer certificates (AMQ9633 on the channel).`);
  } else {
    const root = built.chain[built.chain.length - 1]!;
    const holder = store.entries.find((e) => e.kind === 'signer' && Buffer.compare(e.certificate, root) === 0);
    if (!holder) problems.push(`the root ${rfcName(last.subject)} came with the certificate but is not a signer certificate of this store.`);
    else if (!isTrustedSigner(holder)) {
      const disabled = `the root ${rfcName(last.subject)} is the signer "${holder.label}", whose trust is disabled (AMQ9633 on the channel)`;
      guiWording.set(problems.length, `${disabled}; tick “Trusted root” in its View Details, in Signer Certificates.`);
      problems.push(worded(`${disabled}; enable it with -cert -modify -label "${holder.label}" -trust enable.`, `${disabled}; tick “Trusted root” in its View Details, in Signer Certificates.`));
    }
  }
  for (const cert of certs) {
    if (Date.parse(cert.validTo) < now.getTime()) problems.push(`${rfcName(cert.subject)} expired on ${new Date(cert.validTo).toISOString()}.`);
    if (Date.parse(cert.validFrom) > now.getTime()) problems.push(`${rfcName(cert.subject)} is not valid before ${new Date(cert.validFrom).toISOString()}.`);
  }
  // The Doctor's WEAK_SIGNATURE rule: a link signed with MD2 or MD5 is refused by IBM MQ
  // and current TLS stacks; a root's own signature is never checked, whatever its digest.
  built.chain.forEach((der, i) => {
    const details = describedCertificate(der);
    const weak = signatureWeakness(details);
    if (weak?.refused && !weak.anchor) problems.push(`${rfcName(certs[i]!.subject)} is signed with ${details.signatureAlgorithm}: ${weak.why}.`);
  });
  const guiProblems = guiWording.size > 0 ? problems.map((p, i) => guiWording.get(i) ?? p) : undefined;
  return { valid: problems.length === 0, chain: certs.map((c) => rfcName(c.subject)), problems, ...(guiProblems ? { guiProblems } : {}) };
}

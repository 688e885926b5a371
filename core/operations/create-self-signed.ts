/**
 * New Self-Signed: a key pair and a certificate signed with it, as a personal entry. With
 * runmqakm's -ca_label, a personal CA certificate of the same store signs it instead, and
 * the entry carries that CA's chain.
 */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore, type PersonalEntry } from '../model/key-store';
import { buildCertificate, signCertificationRequest } from '../x509/certificate-builder';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { checkNewLabel } from './label-rules';
import { setDefaultCertificate } from './set-default-certificate';
import { generateNewKey, resolveNewKey, type NewKeyOptions } from './new-key-request';
import { worded } from '../wording';

export async function createSelfSigned(store: KeyStore, options: NewKeyOptions): Promise<string[]> {
  const notes = checkNewLabel(store, options.label);
  const resolved = resolveNewKey(options);
  notes.push(...resolved.warnings);
  // Found before the key is made: a wrong -ca_label is refused at once.
  const ca = options.caLabel === undefined ? undefined : signingCa(store, options.caLabel);
  const pair = await generateNewKey(resolved.key);
  const profile = options.ca ? 'ca' : 'tls';
  let chain: Uint8Array[];
  if (ca) {
    // The CA path already checks a CA (basicConstraints, keyCertSign, dates, its key) when
    // it signs a request: going through one keeps those checks in one place.
    const csr = buildCertificationRequest({ subject: resolved.subject, publicKey: pair.publicKey, privateKey: pair.privateKey, hash: 'sha256', subjectAltNames: options.subjectAltNames });
    const certificate = signCertificationRequest(
      csr,
      { certificate: ca.chain[0]!, privateKey: ca.privateKey },
      { validityDays: resolved.validityDays, hash: resolved.hash, rsaPss: resolved.rsaPss, allowSha1: true, profile, keyUsage: resolved.keyUsage, extendedKeyUsage: resolved.extendedKeyUsage },
    );
    chain = [certificate, ...ca.chain];
    // GSKit's handling of a CA kept as a personal certificate is not documented; say where
    // KeyDesk's own checks stand rather than let the doctor's finding come as a surprise.
    notes.push(
      worded(
        `"${options.label}" is signed by "${ca.label}". Partners need "${ca.label}"'s certificate as a signer (-cert -extract it, -cert -add it there); ` +
          `-cert -validate and the doctor look for issuers among signer certificates only, so here they report the chain of "${options.label}" as stopping at it.`,
        `"${options.label}" is signed by "${ca.label}". Partners need "${ca.label}"'s certificate as a signer (Extract… it here, Add… it there); ` +
          `Validate and the Doctor look for issuers among signer certificates only, so here they report the chain of "${options.label}" as stopping at it.`,
      ),
    );
  } else {
    chain = [
      buildCertificate({
        subject: resolved.subject,
        subjectPublicKey: pair.publicKey,
        subjectPrivateKey: pair.privateKey,
        hash: resolved.hash,
        rsaPss: resolved.rsaPss,
        // resolveNewKey gives SHA-1 only for a -sig_alg that names it, with its warning.
        allowSha1: true,
        validityDays: resolved.validityDays,
        subjectAltNames: options.subjectAltNames,
        profile,
        keyUsage: resolved.keyUsage,
        extendedKeyUsage: resolved.extendedKeyUsage,
      }),
    ];
  }
  store.entries.push({ kind: 'personal', label: options.label, privateKey: pair.privateKey, chain });
  // runmqakm -default_cert yes: IHS and Db2 scripts create their certificate this way and name no label later.
  if (options.isDefault) notes.push(...setDefaultCertificate(store, options.label));
  return notes;
}

/** The personal CA certificate -ca_label names; what makes it fit to sign is checked when it signs. */
function signingCa(store: KeyStore, label: string): PersonalEntry {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', worded(`-ca_label: no entry labelled "${label}".`, `the signing CA: no entry labelled "${label}".`));
  if (entry.kind !== 'personal' || !entry.chain[0]) {
    const why = `"${entry.label}" is not a personal certificate with a private key, so it cannot sign; a CA that signs must be in the store with its key.`;
    throw new KeyDeskError('unsupported', worded(`-ca_label: ${why}`, `the signing CA: ${why}`));
  }
  return entry;
}

/**
 * Why a handshake between two stores will fail, worked out from the stores alone: which
 * side lacks which signer (by DN), which certificate is out of date or not allowed for
 * its role, which key does not fit the CipherSpec. node:tls says only "unknown ca" or
 * "no shared cipher"; this says what an MQ administrator has to add where.
 */
import { KeyDeskError } from '../errors';
import { findEntry, isTrustedSigner, type KeyStore } from '../model/key-store';
import { describeCertificate, type CertificateDetails } from '../x509/certificate-details';
import { buildChain } from '../x509/chain-builder';
import { keyFits, type TlsSettings } from './cipher-specs';
import { outOfDate, trustPath } from './trust-path';
import { signatureWeakness } from './entry-status';

export type LabSide = 'queue manager' | 'client';

export interface LabParty {
  /** Shown in explanations; the file the store came from. */
  path: string;
  store: KeyStore;
  label: string;
}

/** One side's TLS identity, from its store: what it presents and what it trusts. */
export interface LabIdentity {
  side: LabSide;
  path: string;
  label: string;
  /** Unencrypted PKCS#8; held in memory only, for node:tls. */
  privateKey: Uint8Array;
  /** Leaf first, then the issuers the store can add, as GSKit sends them. */
  presented: Uint8Array[];
  /** The store's signer certificates: the only CAs this side trusts. */
  anchors: Uint8Array[];
  details: CertificateDetails;
}

export interface HandshakeProblem {
  /** The side whose store has to change (or whose certificate is refused). */
  side: LabSide;
  /** The MQ message the operator would find in that side's error log. */
  amq: string;
  message: string;
}

export function identityOf(side: LabSide, party: LabParty, notes: string[]): LabIdentity {
  const exact = party.store.entries.find((e) => e.label === party.label);
  const entry = exact ?? findEntry(party.store, party.label);
  if (!entry) throw new KeyDeskError('not-found', `${party.path}: no entry labelled "${party.label}"; list the store to see its personal certificates.`);
  if (entry.kind !== 'personal' || entry.chain.length === 0) {
    throw new KeyDeskError('unsupported', `${party.path}: "${entry.label}" is not a personal certificate with a private key, so the ${side} has nothing to present (AMQ9637).`);
  }
  if (!exact) notes.push(`${party.path}: the label is "${entry.label}", not "${party.label}"; MQ compares labels exactly, so it would not find it under the name given.`);
  // Any signer completes the chain this side sends; only trusted ones end a peer's chain.
  const signers = party.store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const anchors = party.store.entries.flatMap((e) => (isTrustedSigner(e) ? [e.certificate] : []));
  const presented = buildChain(entry.chain[0]!, [...entry.chain.slice(1), ...signers]).chain;
  return { side, path: party.path, label: entry.label, privateKey: entry.privateKey, presented, anchors, details: describeCertificate(entry.chain[0]!) };
}

/** Can `verifier` accept what `presenter` sends? Problems are worded for the verifier. */
export function trustProblems(presenter: LabIdentity, verifier: LabIdentity, now: Date): HandshakeProblem[] {
  const whose = `the ${presenter.side}'s certificate "${presenter.label}" (${presenter.details.subject})`;
  const store = `the ${verifier.side}'s key store (${verifier.path})`;
  const amq = `AMQ9633 at the ${verifier.side}`;
  const problems: HandshakeProblem[] = [];
  const verdict = trustPath(presenter.presented[0]!, presenter.presented.slice(1), verifier.anchors);
  if (!verdict.trusted && verdict.reason === 'root-not-trusted') {
    const selfSigned = verdict.chain.length === 1;
    problems.push({
      side: verifier.side,
      amq,
      message: selfSigned
        ? `${store} does not trust ${whose}: it is self-signed and is not among the ${verifier.side}'s Signer Certificates. Extract it from ${presenter.path} and add it to ${verifier.path} as a signer.`
        : `${store} lacks the signer ${verdict.root}, the root CA of ${whose}. Add that CA certificate to ${verifier.path}'s Signer Certificates.`,
    });
  } else if (!verdict.trusted) {
    problems.push({
      side: verifier.side,
      amq,
      message: `${store} cannot verify ${whose}: the chain stops at ${verdict.stopsAt}, whose issuer ${verdict.missingIssuer} is in neither store. Add the CA certificate ${verdict.missingIssuer} to ${verifier.path}'s Signer Certificates (and to ${presenter.path}'s, so the ${presenter.side} sends a complete chain).`,
    });
  }
  for (const late of outOfDate(verdict.chain, now)) {
    problems.push({ side: presenter.side, amq, message: `${late.subject} on the chain of ${whose} ${late.expired ? `expired on ${late.date.slice(0, 10)}` : `is not valid before ${late.date.slice(0, 10)}`}: ${store} refuses it. Renew it.` });
  }
  // The Doctor's WEAK_SIGNATURE rule (entry-status.ts): MD2 and MD5 signatures below the
  // root are refused; a root's own signature is never checked, whatever its digest.
  for (const der of verdict.chain) {
    const d = describeCertificate(der);
    const weak = signatureWeakness(d);
    if (weak?.refused && !weak.anchor) {
      problems.push({ side: presenter.side, amq, message: `${d.subject} on the chain of ${whose} is signed with ${d.signatureAlgorithm}: ${store} refuses it, as ${weak.why}. Have it re-issued with SHA-256.` });
    }
  }
  problems.push(...purposeProblems(presenter, verifier));
  return problems;
}

/** What OpenSSL (and GSKit) check beyond the signature: the role a certificate may play. */
function purposeProblems(presenter: LabIdentity, verifier: LabIdentity): HandshakeProblem[] {
  const problems: HandshakeProblem[] = [];
  const d = presenter.details;
  const role = presenter.side === 'queue manager' ? 'serverAuth' : 'clientAuth';
  const at = `AMQ9633 at the ${verifier.side}`;
  if (d.extendedKeyUsage.length > 0 && !d.extendedKeyUsage.includes(role) && !d.extendedKeyUsage.includes('anyExtendedKeyUsage')) {
    problems.push({ side: presenter.side, amq: at, message: `the ${presenter.side}'s certificate "${presenter.label}" allows only ${d.extendedKeyUsage.join(', ')}: as the TLS ${presenter.side === 'queue manager' ? 'server' : 'client'} it needs ${role}, so the ${verifier.side} refuses it. Have it re-issued with ${role}.` });
  }
  if (d.keyUsage.length > 0 && !d.keyUsage.includes('digitalSignature') && !(presenter.side === 'queue manager' && d.keyUsage.includes('keyEncipherment'))) {
    problems.push({ side: presenter.side, amq: at, message: `the ${presenter.side}'s certificate "${presenter.label}" has key usage ${d.keyUsage.join(', ')} without digitalSignature, which the handshake needs. Have it re-issued.` });
  }
  for (const der of presenter.presented.slice(1)) {
    const ca = describeCertificate(der);
    if (ca.version >= 3 && ca.basicConstraints?.ca !== true) {
      problems.push({ side: presenter.side, amq: at, message: `${ca.subject}, an issuer on the chain of "${presenter.label}", is not marked as a CA (basicConstraints), so the ${verifier.side} refuses the chain.` });
    }
  }
  return problems;
}

/** "an RSA", "an EC", "a DSA": key names are read letter by letter. */
export function withArticle(keyAlgorithm: string): string {
  return `${/^[AEFHILMNORSX]/.test(keyAlgorithm) ? 'an' : 'a'} ${keyAlgorithm}`;
}

/** Everything the stores say about this handshake before it is tried. */
export function analyseHandshake(server: LabIdentity, client: LabIdentity, settings: TlsSettings, now: Date): HandshakeProblem[] {
  const problems: HandshakeProblem[] = [];
  if (!keyFits(settings.key, server.details.keyAlgorithm)) {
    const needs = settings.key === 'any' ? 'an RSA or EC key (the only kinds IBM MQ uses)' : settings.key === 'EC' ? 'an EC key' : 'an RSA key';
    problems.push({
      side: 'queue manager',
      amq: 'AMQ9616 / AMQ9631',
      message: `${settings.cipherSpec} needs ${needs} on the queue manager's certificate, but "${server.label}" has ${withArticle(server.details.keyAlgorithm)} key: no cipher is shared. ${settings.key === 'EC' ? 'Use an ECDHE_RSA_* or TLS 1.3 CipherSpec' : settings.key === 'RSA' ? 'Use an ECDHE_ECDSA_* or TLS 1.3 CipherSpec' : 'Create an RSA or EC certificate'}${settings.key === 'any' ? '' : ', or a certificate with the other key type'}.`,
    });
  }
  if (!keyFits('any', client.details.keyAlgorithm)) {
    problems.push({ side: 'client', amq: 'AMQ9616', message: `the client's certificate "${client.label}" has ${withArticle(client.details.keyAlgorithm)} key; IBM MQ uses RSA and EC keys only.` });
  }
  problems.push(...trustProblems(server, client, now));
  // Under SSLCAUTH(OPTIONAL) too: MQ still checks a certificate the client chooses to
  // send, and the lab's client always sends one.
  problems.push(...trustProblems(client, server, now));
  return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
}

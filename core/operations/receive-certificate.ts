/**
 * Receive: the CA's answer to a request. The certificate whose key is waiting in the store
 * (a pending request, or a personal key being renewed) becomes a personal certificate
 * with its chain. Like iKeyman, refuse when the issuer is neither among the signers nor
 * in the file, naming it; CA certificates the file brings are added as signers, saying so.
 */
import { X509Certificate } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { uniqueLabel, type KeyStore, type PersonalEntry } from '../model/key-store';
import { buildChain } from '../x509/chain-builder';
import { labelFromSubject } from '../x509/certificate-label';
import { labelHolding } from './add-signer';
import { entryWithKey, spkiOfCertificate } from './public-key';

const rfcName = (name: string) => name.split('\n').filter(Boolean).reverse().join(',');

/** `issuers`: CA certificates the user chose to add with this receive (Receive…'s "Add this
 * CA…"); those the chain uses become signers in the same change, so a refused receive
 * adds none of them. */
export function receiveCertificate(store: KeyStore, certificates: Uint8Array[], issuers?: { certificates: Uint8Array[]; from: string }): string[] {
  if (certificates.length === 0) throw new KeyDeskError('usage', 'the file holds no certificate.');
  let leaf: Uint8Array | undefined;
  let owner: ReturnType<typeof entryWithKey>;
  for (const der of certificates) {
    owner = entryWithKey(store.entries, spkiOfCertificate(der));
    if (owner) {
      leaf = der;
      break;
    }
  }
  if (!leaf || !owner) {
    const subject = rfcName(new X509Certificate(certificates[0]!).subject);
    throw new KeyDeskError('not-found', `no pending request or personal key in this store matches the certificate for ${subject}: it was issued for another key (another store, or a request recreated since).`);
  }
  const fromFile = certificates.filter((c) => c !== leaf);
  const chosen = issuers?.certificates ?? [];
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const built = buildChain(leaf, [...fromFile, ...chosen, ...signers]);
  if (!built.complete) {
    const last = new X509Certificate(built.chain[built.chain.length - 1]!);
    if (issuers) {
      throw new KeyDeskError(
        'not-found',
        `the issuer of ${rfcName(last.subject)}, ${rfcName(last.issuer)}, is neither among the signer certificates nor in the received file or ${issuers.from}: choose the CA file that holds it; nothing was added.`,
      );
    }
    throw new KeyDeskError(
      'not-found',
      `the issuer of ${rfcName(last.subject)}, ${rfcName(last.issuer)}, is not among the signer certificates and the file does not carry it: add that CA certificate as a signer first (Add…, or -cert -add), then receive again.`,
      undefined,
      `the issuer of ${rfcName(last.subject)}, ${rfcName(last.issuer)}, is not among the signer certificates and the file does not carry it: add that CA certificate first (Signer Certificates, Add…), then Receive again.`,
    );
  }
  const notes: string[] = [];
  for (const ca of built.chain.slice(1)) {
    if (labelHolding(store, ca) !== undefined || signers.some((s) => Buffer.compare(s, ca) === 0)) continue;
    const label = uniqueLabel(labelFromSubject(ca), store.entries.map((e) => e.label));
    store.entries.push({ kind: 'signer', label, certificate: ca });
    const fromChosen = chosen.some((c) => Buffer.compare(c, ca) === 0) && !fromFile.some((c) => Buffer.compare(c, ca) === 0);
    notes.push(`added signer "${label}" from ${fromChosen ? issuers!.from : 'the received file'}.`);
  }
  const unused = chosen.filter((c) => !built.chain.some((d) => Buffer.compare(c, d) === 0));
  for (const der of unused) notes.push(`${issuers!.from}: "${labelFromSubject(der)}" did not sign this certificate's chain and was not added.`);
  // A key on a token stays there: the entry keeps the CKA_ID that finds it.
  const received: PersonalEntry = { kind: 'personal', label: owner.label, privateKey: owner.privateKey, chain: built.chain, ...(owner.token ? { token: owner.token } : {}) };
  store.entries = store.entries.map((e) => (e === owner ? received : e));
  notes.push(owner.kind === 'request' ? `"${owner.label}" is now a personal certificate.` : `"${owner.label}" now has the received certificate (its key is unchanged).`);
  const validTo = new X509Certificate(leaf).validTo;
  if (Date.parse(validTo) < Date.now()) notes.push(`the received certificate expired on ${validTo}.`);
  return notes;
}

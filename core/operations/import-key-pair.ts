/**
 * A personal certificate from separate files: the certificate (with its chain, if the file
 * carries one) and its private key in any encoding operators receive. The key must belong
 * to the certificate; issuers in the file become signers, as Receive does.
 */
import { KeyDeskError } from '../errors';
import { uniqueLabel, type KeyStore } from '../model/key-store';
import { buildChain } from '../x509/chain-builder';
import { labelFromSubject } from '../x509/certificate-label';
import { checkNewLabel } from './label-rules';
import { labelHolding } from './add-signer';
import { spkiOfCertificate, spkiOfPrivateKey } from './public-key';

export function importKeyPair(store: KeyStore, label: string, certificates: Uint8Array[], privateKey: Uint8Array): string[] {
  const notes = checkNewLabel(store, label);
  const keySpki = spkiOfPrivateKey(privateKey);
  const leaf = certificates.find((c) => spkiOfCertificate(c) === keySpki);
  if (!leaf) throw new KeyDeskError('conflict', 'the private key does not belong to any certificate in the certificate file; check that both files come from the same request.');
  const existing = labelHolding(store, leaf);
  if (existing) throw new KeyDeskError('conflict', `this certificate is already in the store, labelled "${existing}".`, 'duplicate-certificate');
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  const chain = buildChain(leaf, [...certificates.filter((c) => c !== leaf), ...signers]).chain;
  for (const ca of chain.slice(1)) {
    if (labelHolding(store, ca) !== undefined) continue;
    const caLabel = uniqueLabel(labelFromSubject(ca), [...store.entries.map((e) => e.label), label]);
    store.entries.push({ kind: 'signer', label: caLabel, certificate: ca });
    notes.push(`added signer "${caLabel}" from the certificate file.`);
  }
  store.entries.push({ kind: 'personal', label, privateKey, chain });
  return notes;
}

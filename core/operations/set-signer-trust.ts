/**
 * Trust on and off for a signer (runmqakm -cert -modify -trust enable|disable; iKeyman's
 * "Set the certificate as a trusted root"). A signer whose trust is disabled stays in the
 * store but no longer ends a peer's chain.
 */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore, type SignerEntry } from '../model/key-store';

export function setSignerTrust(store: KeyStore, label: string, trusted: boolean): string[] {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
  if (entry.kind !== 'signer') {
    throw new KeyDeskError('usage', `"${entry.label}" is not a signer certificate; trust is switched on and off for signer certificates only.`);
  }
  if ((entry.trusted !== false) === trusted) {
    return [`"${entry.label}" is already ${trusted ? 'trusted' : 'not trusted'}; nothing changed.`];
  }
  if (!trusted && store.format !== 'cms') {
    throw new KeyDeskError(
      'unsupported',
      `a ${store.format === 'pkcs12' ? 'PKCS#12' : store.format.toUpperCase()} store has no trust switch: every signer in it is trusted. ` +
        `To stop trusting "${entry.label}", delete it (extract it first to keep a copy), or keep the certificates in a CMS .kdb.`,
    );
  }
  const changed: SignerEntry = { kind: 'signer', label: entry.label, certificate: entry.certificate, ...(trusted ? {} : { trusted: false }) };
  store.entries = store.entries.map((e) => (e === entry ? changed : e));
  return [
    trusted
      ? `"${entry.label}" is trusted again: chains that end at it are accepted.`
      : `"${entry.label}" is kept but no longer trusted: a peer whose chain ends at it is refused (AMQ9633).`,
  ];
}

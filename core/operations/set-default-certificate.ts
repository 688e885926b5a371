/**
 * The default certificate (runmqakm -cert -setdefault, -default_cert yes on -cert -create,
 * -receive and -import): the personal certificate a GSKit application uses when it is
 * given no label (IBM HTTP Server without SSLServerCert, Db2 without SSL_SVR_LABEL). One
 * per store: marking one clears the others.
 *
 * Only a CMS .kdb has a place for it (bit 1 of the record flags, core/formats/cms.ts).
 * PKCS#12 and JKS have none, and an application reading one takes its key by alias or,
 * with none named, the only key there is. So there the request is met only when the entry
 * is the store's only personal certificate: a script's -setdefault then succeeds, with a
 * note that nothing is recorded; with several, it is refused, as saying "done" would be
 * untrue the moment the application picks another key.
 */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore, type PersonalEntry } from '../model/key-store';

const formatName = (store: KeyStore) => (store.format === 'pkcs12' ? 'PKCS#12' : store.format.toUpperCase());

export function setDefaultCertificate(store: KeyStore, label: string): string[] {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
  if (entry.kind !== 'personal') {
    throw new KeyDeskError('usage', `"${entry.label}" is not a personal certificate; only a certificate with its private key can be the default.`);
  }
  const personal = store.entries.filter((e): e is PersonalEntry => e.kind === 'personal');
  if (store.format !== 'cms') {
    if (personal.length > 1) {
      throw new KeyDeskError(
        'unsupported',
        `a ${formatName(store)} store has no default certificate, and this one holds ${personal.length} personal certificates, so an application given no label may take any of them. ` +
          `Name "${entry.label}" in the application's configuration, keep it as the store's only personal certificate, or keep the certificates in a CMS .kdb.`,
      );
    }
    return [`a ${formatName(store)} store records no default certificate; "${entry.label}" is its only personal certificate, so it is the one an application given no label uses.`];
  }
  if (entry.isDefault === true && personal.every((e) => e === entry || e.isDefault !== true)) {
    return [`"${entry.label}" is already the default certificate; nothing changed.`];
  }
  const before = personal.filter((e) => e !== entry && e.isDefault === true).map((e) => e.label);
  store.entries = store.entries.map((e) => {
    if (e.kind !== 'personal') return e;
    // The writer compares this with the record's flags and keeps GSKit's bytes where they agree.
    const copy: PersonalEntry = { ...e };
    delete copy.isDefault;
    if (e === entry) copy.isDefault = true;
    return copy;
  });
  return before.length === 0 ? [] : [`"${entry.label}" is now the default certificate, in place of ${before.map((l) => `"${l}"`).join(', ')}.`];
}

/** The store's default certificate: the marked one, or for a format with no mark, the only
 * personal certificate there is (see the header). Undefined when there is none. */
export function defaultCertificateOf(store: { format: KeyStore['format']; entries: { kind: string; isDefault?: boolean }[] }): number | undefined {
  const marked = store.entries.findIndex((e) => e.kind === 'personal' && e.isDefault === true);
  if (marked >= 0 || store.format === 'cms') return marked >= 0 ? marked : undefined;
  const personal = store.entries.flatMap((e, i) => (e.kind === 'personal' ? [i] : []));
  return personal.length === 1 ? personal[0] : undefined;
}

/** Delete: remove one entry (certificate, key, request) by label. */
import { KeyDeskError } from '../errors';
import { findEntry, type EntryKind, type KeyStore } from '../model/key-store';

const kindNames: Record<EntryKind, string> = {
  personal: 'a personal certificate',
  signer: 'a signer certificate',
  request: 'a pending request',
  secret: 'a secret key',
  unknown: 'an entry KeyDesk does not interpret',
};

/** `kind`, when given, guards against deleting the wrong thing (-certreq -delete). */
export function deleteEntry(store: KeyStore, label: string, kind?: EntryKind): string[] {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
  if (kind && entry.kind !== kind) throw new KeyDeskError('not-found', `"${entry.label}" is ${kindNames[entry.kind]}, not ${kindNames[kind]}; nothing was deleted.`);
  store.entries = store.entries.filter((e) => e !== entry);
  return [];
}

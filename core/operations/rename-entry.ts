/** Rename: give an entry a new label; what the entry holds is unchanged. */
import { KeyDeskError } from '../errors';
import { findEntry, type KeyStore } from '../model/key-store';
import { checkNewLabel } from './label-rules';

export function renameEntry(store: KeyStore, label: string, newLabel: string): string[] {
  const entry = findEntry(store, label);
  if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
  if (entry.kind === 'unknown') {
    throw new KeyDeskError('unsupported', `"${entry.label}" is kept exactly as read because KeyDesk cannot interpret it, so it cannot be renamed.`);
  }
  const warnings = checkNewLabel(store, newLabel, entry.label, entry.kind === 'signer');
  const renamed = { ...entry, label: newLabel };
  // The stored record carries the old label; a secret key's sealed record is all there is,
  // and its writer relabels it.
  if (renamed.kind !== 'secret') delete renamed.source;
  store.entries = store.entries.map((e) => (e === entry ? renamed : e));
  return warnings;
}

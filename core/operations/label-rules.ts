/**
 * Labels: unique ignoring case in every format (GSKit and keytool both look them up that
 * way), and fit for IBM MQ, which finds its certificate by an exact, case-sensitive label
 * of at most 64 characters (MQ.md). MQ's limits are warnings, not refusals: the store
 * accepts such labels, MQ just will not find them.
 */
import { KeyDeskError } from '../errors';
import type { KeyStore } from '../model/key-store';

/** Throws when `label` cannot be used in `store`; returns warnings worth telling the user. */
export function checkNewLabel(store: KeyStore, label: string, renaming?: string): string[] {
  if (label.trim() === '') throw new KeyDeskError('usage', 'a label cannot be empty.');
  const clash = store.entries.find((e) => e.label.toLowerCase() === label.toLowerCase() && e.label !== renaming);
  if (clash) throw new KeyDeskError('conflict', `the label "${clash.label}" is already in use; choose another label or delete that entry first.`);
  const warnings: string[] = [];
  if ([...label].length > 64) warnings.push(`the label "${label}" is longer than 64 characters: IBM MQ cannot use it as a certificate label.`);
  if (/\s/.test(label)) warnings.push(`the label "${label}" contains spaces, which some IBM MQ versions reject in CERTLABL.`);
  if (/^ibmwebspheremq/i.test(label) && label !== label.toLowerCase()) {
    warnings.push(`the label "${label}" has capitals: IBM MQ looks for ibmwebspheremq followed by the queue manager or user name in lower case.`);
  }
  return warnings;
}

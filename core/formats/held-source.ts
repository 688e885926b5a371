/**
 * Entries a reader keeps as stored bytes (a sealed JCEKS key, a PKCS#12 bag it does not
 * interpret) may be encrypted under the password the store was read with. Written back
 * unchanged under a new password, they would stay under the old one without a word, so
 * the reader notes beside the source record, in memory only, how to re-encrypt them.
 *
 * These fields ride on the source record because that is what the service copies with
 * an entry (structuredClone included) and what no summary for a front end ever reads.
 */
import { KeyDeskError } from '../errors';
import type { Entry, SourceRecord } from '../model/key-store';
import { passwordTag } from '../crypto/password-tag';

export interface HeldSource extends SourceRecord {
  /** passwordTag() of the password the store was read with. */
  readWith?: string;
  /** What the stored bytes hold once decrypted with that password, for re-encryption
   * under another; null when they do not open with it (the item has a password of its
   * own, which a change of the store's password leaves alone). Decrypted on first use. */
  opened?: Uint8Array | null;
  /** Set when the bytes may be under that password but KeyDesk cannot re-encrypt them:
   * what they are, for the refusal ("a private key encrypted with …"). */
  cannot?: string;
}

export type Hold = { open: () => Uint8Array | null } | { cannot: string };

/** `source` with what a writer needs to move it to another password. `open` runs at most
 * once, when first needed; a failure there counts as "does not open". */
export function holdSource(source: SourceRecord, password: string, hold: Hold): HeldSource {
  const held: HeldSource = { ...source, readWith: passwordTag(password) };
  if ('cannot' in hold) {
    held.cannot = hold.cannot;
    return held;
  }
  const settle = (value: Uint8Array | null): Uint8Array | null => {
    Object.defineProperty(held, 'opened', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  // Enumerable, so structuredClone (which drops closures) copies the opened value.
  Object.defineProperty(held, 'opened', {
    get: () => {
      let value: Uint8Array | null;
      try {
        value = hold.open();
      } catch {
        value = null;
      }
      return settle(value);
    },
    enumerable: true,
    configurable: true,
  });
  return held;
}

/** The entry's held source when it is being written under another password than it was
 * read with; undefined for a plain save or an entry nothing is known about. */
export function movingToNewPassword(entry: Entry, password: string): HeldSource | undefined {
  const held = entry.source as HeldSource | undefined;
  if (!held?.readWith || held.readWith === passwordTag(password)) return undefined;
  return held;
}

/** The refusal for an entry that cannot follow the store to a new password. */
export function cannotReencrypt(entry: Entry, what: string, remedy: string): KeyDeskError {
  return new KeyDeskError(
    'unsupported',
    `Nothing was written: "${entry.label}" is ${what} under the store's old password, and KeyDesk cannot re-encrypt it under the new one. ${remedy}`,
  );
}

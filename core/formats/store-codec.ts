import type { KeyStore, StoreFormat } from '../model/key-store';

/**
 * One single-file store format: a reader/writer pair over bytes. File I/O, atomic saves
 * and error wording with the file name belong to the caller (core/api), so every format
 * stays a pure function of its bytes and is trivially round-trip tested.
 *
 * Readers throw KeyDeskError with code 'wrong-password', 'not-a-keystore' or 'damaged'
 * and a message that does not name the file (the caller prefixes it).
 */
export interface StoreCodec<WriteOptions = Record<string, never>> {
  format: StoreFormat;
  /** Cheap check of magic bytes/structure: does this look like our format at all? */
  sniff(bytes: Uint8Array): boolean;
  read(bytes: Uint8Array, password: string, options?: StoreReadOptions): KeyStore;
  /** The file's bytes alone; what writeWithNotes would have said is dropped. */
  write(store: KeyStore, password: string, options?: WriteOptions): Uint8Array;
  /** The file's bytes and what the user must be told about them: anything of the
   * store's protection that could not be kept as it was read, saying what it became and
   * why. A change that cannot be written faithfully either way throws instead. */
  writeWithNotes(store: KeyStore, password: string, options?: WriteOptions): WrittenStore;
}

export interface WrittenStore {
  bytes: Uint8Array;
  /** Plain sentences, each complete; empty when the file is exactly what was asked for. */
  notes: string[];
}

export interface StoreReadOptions {
  /** 'when-used': decrypt each private key when something first reads it, not while
   * reading the file. For callers that list labels only: an IBM-made PKCS#12 spends
   * 100,000 key-derivation iterations on each key, and a listing shows none. A key that
   * then fails to decrypt (its own password) throws on that first read. Default 'on-read'. */
  privateKeys?: 'on-read' | 'when-used';
}

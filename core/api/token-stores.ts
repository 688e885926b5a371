/**
 * A PKCS#11 token behind the same contract as a file store. Opening logs in to the token
 * and reads its objects; a change is made to a copy of the store, as for a file, then
 * applied to the token object by object (core/tokens/token-store.ts) and read back.
 *
 * runmqakm's -secondaryDB: a CMS key database kept beside the token for the signer
 * certificates that go with it (the key database a queue manager's SSLKEYR names while its
 * keys are on the token). Its signers show with the token's; signers added go there, and
 * changes to them are saved to it as to any key database, atomically.
 */
import { KeyDeskError } from '../errors';
import type { Entry, KeyStore } from '../model/key-store';
import type { Credentials } from './contract';
import { loadStore, prefixed, type LoadedStore } from './store-files';
import { saveStore, withStoreLock } from './store-writer';
import { applyToToken, destroyEntryObjects, openToken, parseTokenPath, readTokenStore, type TokenConnection } from '../tokens/token-store';
import type { StoreIo } from '../io/file-system';
import { ckr, firstLine } from '../tokens/pkcs11-module';
import { systemIo } from '../io/file-system';

export { isTokenPath, tokenPath, listTokenSlots, type TokenSlot } from '../tokens/token-store';

/** What a token store holds open: the logged-in session, and the secondary database. */
export interface TokenHold {
  connection: TokenConnection;
  secondary?: LoadedStore;
}

const holds = new WeakMap<LoadedStore, TokenHold>();

export function tokenHoldOf(loaded: LoadedStore): TokenHold | undefined {
  return holds.get(loaded);
}

/** Credentials for a token: the PIN as the password, and the secondary database's own. */
export interface TokenCredentials extends Credentials {
  secondaryDb?: string;
  secondaryDbPassword?: string;
}

export function loadTokenStore(path: string, credentials: TokenCredentials, io: StoreIo = systemIo): LoadedStore {
  if (credentials.stashed) {
    throw new KeyDeskError('usage', `${path}: a token's PIN is not kept in a stash file; give it with -pw.`, undefined, `${path}: a token's PIN is not kept in a stash file; type it.`);
  }
  let secondary: LoadedStore | undefined;
  if (credentials.secondaryDb !== undefined) {
    secondary = loadStore(credentials.secondaryDb, credentials.secondaryDbPassword !== undefined ? { password: credentials.secondaryDbPassword } : { stashed: true }, { io });
    if (secondary.store.format !== 'cms') throw new KeyDeskError('unsupported', `${credentials.secondaryDb}: a secondary database is a CMS key database (.kdb), as runmqakm's -secondaryDB is.`);
  }
  const connection = openToken(parseTokenPath(path), credentials.password);
  const loaded: LoadedStore = { path, store: merged(readTokenStore(connection), secondary), password: '', snapshot: {}, files: new Map() };
  holds.set(loaded, { connection, secondary });
  return loaded;
}

/** The token's entries and the secondary database's signers, each marked where it lives. */
function merged(store: KeyStore, secondary: LoadedStore | undefined): KeyStore {
  if (!secondary) return store;
  const signers = secondary.store.entries.filter((e) => e.kind === 'signer').map((e) => ({ ...e, token: { secondaryDb: true } }));
  return { ...store, entries: [...store.entries, ...signers], properties: { ...store.properties, secondaryDb: secondary.path } };
}

const inSecondary = (e: Entry, hasSecondary: boolean) => e.kind === 'signer' && (e.token?.secondaryDb === true || (hasSecondary && e.token === undefined));

function withoutMark<T extends Entry>(e: T): T {
  const copy = { ...e };
  delete copy.token;
  return copy;
}

function sameSigners(a: Entry[], b: Entry[]): boolean {
  const key = (e: Entry) => (e.kind === 'signer' ? `${e.label}\0${Buffer.from(e.certificate).toString('hex')}\0${e.trusted !== false}` : '');
  return a.length === b.length && a.map(key).sort().join('\n') === b.map(key).sort().join('\n');
}

/**
 * A change to a token store: `apply` changes a copy (with the connection, for what must
 * happen on the token itself: generating a key); then the secondary database is saved, the
 * token's objects are changed, and both are read back.
 */
export async function changeTokenStore(
  loaded: LoadedStore,
  apply: (store: KeyStore, token: TokenConnection) => string[] | Promise<string[]>,
  io: StoreIo = systemIo,
): Promise<{ loaded: LoadedStore; notes: string[] }> {
  const hold = holds.get(loaded);
  if (!hold) throw new KeyDeskError('not-found', `${loaded.path}: the token is no longer open; open it again.`);
  const { connection } = hold;
  const working = structuredClone(loaded.store);
  const newKeys = () => working.entries.filter((e) => e.token?.id && !loaded.store.entries.some((b) => b.token?.id === e.token!.id));
  let notes: string[];
  try {
    notes = await apply(working, connection);
  } catch (e) {
    throw prefixed(loaded.path, e);
  }
  const has = hold.secondary !== undefined;
  let secondary = hold.secondary;
  try {
    if (secondary) {
      const before = loaded.store.entries.filter((e) => inSecondary(e, has));
      const after = working.entries.filter((e) => inSecondary(e, has));
      if (!sameSigners(before, after)) {
        const path = secondary.path;
        const target: KeyStore = { ...secondary.store, entries: [...secondary.store.entries.filter((e) => e.kind !== 'signer'), ...after.map(withoutMark)] };
        const current = secondary;
        const saved = await withStoreLock(path, () => saveStore(path, target, current.password, { expected: current.snapshot, io }), io);
        notes.push(...saved.notes, `${path} (the secondary database) saved.`);
        secondary = await withStoreLock(path, () => loadStore(path, { password: current.password }, { locked: true, io }), io);
      }
    }
    applyToToken(
      connection,
      { ...loaded.store, entries: loaded.store.entries.filter((e) => !inSecondary(e, has)) },
      { ...working, entries: working.entries.filter((e) => !inSecondary(e, has)) },
    );
  } catch (e) {
    // A key generated for this change is not left behind without its certificate.
    for (const entry of newKeys()) destroyEntryObjects(connection, entry.token!.id!, entry.label);
    throw prefixed(loaded.path, e);
  }
  const reloaded: LoadedStore = { ...loaded, store: merged(readTokenStore(connection), secondary) };
  holds.set(reloaded, { connection, secondary });
  return { loaded: reloaded, notes };
}

/** Ends the token session of a store that is closed. */
export function closeTokenStore(loaded: LoadedStore | undefined): void {
  if (!loaded) return;
  holds.get(loaded)?.connection.close();
}

/** The private key of a token's entry never leaves the token: refused in one line. */
export function refuseTokenKeyExport(loaded: LoadedStore, entries: Entry[]): void {
  if (loaded.store.format !== 'pkcs11') return;
  const keyed = entries.filter((e) => e.kind === 'personal' || e.kind === 'request');
  if (keyed.length === 0) return;
  throw new KeyDeskError(
    'unsupported',
    `${loaded.path}: the private key of ${keyed.map((e) => `"${e.label}"`).join(', ')} stays on the token (it was made not extractable), so it is not exported; nothing was written. Extract the certificate alone with -cert -extract.`,
    undefined,
    `${loaded.path}: the private key of ${keyed.map((e) => `"${e.label}"`).join(', ')} stays on the token (it was made not extractable), so it is not exported; nothing was written. Use Extract… for the certificate alone.`,
  );
}

/** runmqakm -keydb -changepw -crypto: a new user PIN, set with the current one (C_SetPIN). */
export function changeTokenPin(path: string, credentials: TokenCredentials, newPin: string): { written: string[]; notes: string[] } {
  const connection = openToken(parseTokenPath(path), credentials.password);
  try {
    try {
      connection.pkcs11.C_SetPIN(connection.session, credentials.password ?? '', newPin);
    } catch (e) {
      throw new KeyDeskError(ckr(e) === 'CKR_PIN_LEN_RANGE' ? 'usage' : 'io', `token "${connection.address.tokenLabel}": the PIN was not changed (${firstLine(e)}${ckr(e) === 'CKR_PIN_LEN_RANGE' ? ': the token refuses a PIN of that length' : ''}).`);
    }
    return { written: [], notes: [`token "${connection.address.tokenLabel}": the user PIN is changed.`] };
  } finally {
    connection.close();
  }
}

/**
 * A PKCS#11 module (a token vendor's .so/.dll) loaded through the pkcs11js addon, and the
 * plain lines for what goes wrong there: a module that does not load, a token that is
 * not there, a wrong PIN with the tries the token says are left, a locked token.
 *
 * pkcs11js is an optional dependency: it is a native addon, built at `npm ci`. Where it
 * did not build (no compiler), or was built for another runtime (Electron needs it
 * rebuilt, as Forge does), only tokens are unavailable; every file store still works.
 * So it is required here, lazily, and nowhere else.
 */
import { KeyDeskError } from '../errors';
import type * as Pkcs11Js from 'pkcs11js';

export type Pkcs11 = Pkcs11Js.PKCS11;
export type Handle = Pkcs11Js.Handle;
type Binding = typeof Pkcs11Js;

let binding: Binding | undefined;

/** The pkcs11js addon, or a plain line saying why tokens cannot be opened here. */
export function pkcs11Binding(): Binding {
  if (binding) return binding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require('pkcs11js') as Binding;
    return binding;
  } catch (e) {
    throw new KeyDeskError(
      'unsupported',
      `PKCS#11 tokens cannot be opened here: the pkcs11js addon KeyDesk uses for them is not built for this runtime (${firstLine(e)}). Run "npm ci" (or "npm rebuild pkcs11js") where a C++ compiler is installed; key database files work without it.`,
    );
  }
}

/** CK_TOKEN_INFO flags that say how the user PIN stands (PKCS#11 v2.40 §3.2). */
export const TOKEN_FLAGS = {
  loginRequired: 0x4,
  userPinInitialized: 0x8,
  tokenInitialized: 0x400,
  userPinCountLow: 0x10000,
  userPinFinalTry: 0x20000,
  userPinLocked: 0x40000,
} as const;

interface LoadedModule {
  pkcs11: Pkcs11;
  users: number;
}

const loaded = new Map<string, LoadedModule>();

/**
 * The module at `path`, initialized once per process and shared by every session on it.
 * Released when its last user closes (C_Finalize), so a module configured by environment
 * (SoftHSM's SOFTHSM2_CONF) reads its configuration afresh next time.
 */
export function acquireModule(path: string): { pkcs11: Pkcs11; release: () => void } {
  const pk = pkcs11Binding();
  let held = loaded.get(path);
  if (!held) {
    const pkcs11 = new pk.PKCS11();
    try {
      pkcs11.load(path);
    } catch (e) {
      throw new KeyDeskError(
        'file-not-found',
        `${path}: the PKCS#11 module did not load (${firstLine(e)}). Give the full path of the token vendor's PKCS#11 library, for example /usr/lib/softhsm/libsofthsm2.so.`,
      );
    }
    try {
      pkcs11.C_Initialize();
    } catch (e) {
      if (ckr(e) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        throw new KeyDeskError('io', `${path}: the PKCS#11 module loaded but did not start (${firstLine(e)}); check its configuration (SoftHSM: SOFTHSM2_CONF and its token folder).`);
      }
    }
    held = { pkcs11, users: 0 };
    loaded.set(path, held);
  }
  held.users++;
  let released = false;
  const module = held;
  return {
    pkcs11: held.pkcs11,
    release: () => {
      if (released) return;
      released = true;
      module.users--;
      if (module.users === 0 && loaded.get(path) === module) {
        loaded.delete(path);
        try {
          module.pkcs11.C_Finalize();
        } catch {
          // Already finalized or unloaded: nothing of ours is left to close.
        }
      }
    },
  };
}

/** The CKR_ name of a PKCS#11 error, if it is one. */
export function ckr(e: unknown): string | undefined {
  const message = e instanceof Error ? `${e.message} ${e.stack ?? ''}` : String(e);
  return /\b(CKR_[A-Z0-9_]+)/.exec(message)?.[1];
}

export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (ckr(e) ?? text.split('\n')[0] ?? text).trim();
}

/** PKCS#11 pads labels to 32 characters with spaces. */
export function trimLabel(value: string | undefined): string {
  return (value ?? '').replace(/[\s\0]+$/, '');
}

/**
 * What a wrong PIN leaves, in the token's own words (its CK_TOKEN_INFO flags, read after
 * the failed login). Tokens that count tries say "low" or "final try", not a number.
 */
export function pinStateLine(flags: number): string {
  if (flags & TOKEN_FLAGS.userPinLocked) return 'the token is now locked: its security officer must unlock it (set a new user PIN) before it opens again';
  if (flags & TOKEN_FLAGS.userPinFinalTry) return 'the token says one try is left before it locks';
  if (flags & TOKEN_FLAGS.userPinCountLow) return 'the token says few tries are left before it locks';
  return '';
}

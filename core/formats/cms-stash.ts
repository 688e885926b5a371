/**
 * GSKit stash files (`.sth`): the database password, obfuscated so a queue manager can
 * open its key database unattended. This is obfuscation, not encryption — anyone with the
 * file has the password — so callers write it with mode 0600 and say so.
 *
 * Layouts (FORMATS.md, checked against every native sample):
 * - 129 bytes (v1): password, 0x00, non-zero padding to 129 bytes; every byte XOR 0xF5.
 * - 193 bytes (v2, GSKit's current default): A(32) ‖ B(32) ‖ C(129) with A random,
 *   B = SHA-256(0x01 ‖ A), C = the v1 buffer XOR a keystream derived from A and B only
 *   (no machine secret, so a stash copied to another host still opens its database).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { KeyDeskError } from '../errors';

const V1_LENGTH = 129;
const V2_LENGTH = 193;
const XOR_BYTE = 0xf5;
/** 128 password bytes plus the terminating 0x00 fill the 129-byte buffer. */
const MAX_PASSWORD_BYTES = V1_LENGTH - 1;

// GSKit's fixed HMAC key for the v2 keystream (the same constant kdbcheck.py carries).
const STASH_CONST = Buffer.from(
  '13EC6D5C885056915AB35FAD2BDDF39F40D7C57B8B4D28F66B61B75F391446FDA' +
    '96751174DBD9713D02E0B38732E763501DBBB85EC60E437929ED2AA8981B36B',
  'ascii',
);

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const hmac256 = (key: Uint8Array, data: Uint8Array): Buffer => createHmac('sha256', key).update(data).digest();

/** The v2 keystream for A and B (exported for tests that build stashes byte by byte). */
export function stashKeystream(a: Uint8Array, b: Uint8Array, length: number): Buffer {
  let s = sha256(a, b);
  // GSKit iterates until a marker byte appears, then a fixed number more; the loop count
  // depends only on A and B, so it terminates (about 1 in 256 hashes hits the marker).
  while (s[8] !== 0x03) s = sha256(s);
  for (let i = 0; i < 64; i++) s = sha256(s);
  const seed = hmac256(s, STASH_CONST);
  let state = hmac256(seed, Uint8Array.of(1, 1, 2, 3, 5, 8));
  let ks = Buffer.alloc(0);
  while (ks.length < length) {
    ks = Buffer.concat([ks, hmac256(seed, state)]);
    state = Buffer.concat([ks, state]);
  }
  return ks.subarray(0, length);
}

/** The password a stash file holds. Throws KeyDeskError('damaged') for a stash whose
 * length or integrity check is wrong (typically an ASCII-mode transfer or a truncated copy). */
export function readStash(bytes: Uint8Array): string {
  let buffer: Uint8Array;
  if (bytes.length === V1_LENGTH) {
    buffer = bytes;
  } else if (bytes.length === V2_LENGTH) {
    const a = bytes.subarray(0, 32);
    const b = bytes.subarray(32, 64);
    const c = bytes.subarray(64);
    if (!sha256(Uint8Array.of(1), a).equals(b)) {
      throw new KeyDeskError(
        'damaged',
        'the stash file is damaged: its integrity check fails (was it edited or transferred in ASCII mode?); recreate it from the password',
      );
    }
    const ks = stashKeystream(a, b, c.length);
    buffer = c.map((x, i) => x ^ ks[i]!);
  } else {
    throw new KeyDeskError(
      'damaged',
      `a stash file is 129 or 193 bytes long, but this one is ${bytes.length} bytes — truncated, transferred in ASCII mode, or not a stash file; recreate it from the password`,
    );
  }
  const out: number[] = [];
  for (const c of buffer) {
    const p = c ^ XOR_BYTE;
    if (p === 0) break;
    out.push(p);
  }
  return Buffer.from(out).toString('utf8');
}

/** Non-zero random bytes: a zero inside the padding would end the password early for
 * any reader that scans from the end, and GSKit's own padding never contains one. */
function nonZeroRandom(length: number): Buffer {
  const out = randomBytes(length);
  for (let i = 0; i < length; i++) {
    while (out[i] === 0) out[i] = randomBytes(1)[0]!;
  }
  return out;
}

/** A stash for `password`: 'v2' (193 bytes, what current GSKit writes) or 'v1' (129 bytes,
 * for old GSKit releases). Refuses passwords a stash cannot hold rather than writing one
 * that silently fails to open the database (AMQ9660 at queue manager start). */
export function writeStash(password: string, form: 'v2' | 'v1' = 'v2'): Uint8Array {
  const pw = Buffer.from(password, 'utf8');
  if (pw.includes(0)) {
    throw new KeyDeskError('unsupported', 'a stash file cannot hold a password containing a NUL character');
  }
  if (pw.length > MAX_PASSWORD_BYTES) {
    throw new KeyDeskError(
      'unsupported',
      `a stash file holds at most ${MAX_PASSWORD_BYTES} bytes of password; this one has ${pw.length} (GSKit would cut it, and the stash would not open the database)`,
    );
  }
  const plain = Buffer.concat([pw, Buffer.of(0), nonZeroRandom(V1_LENGTH - pw.length - 1)]);
  const v1 = plain.map((x) => x ^ XOR_BYTE);
  if (form === 'v1') return new Uint8Array(v1);
  const a = randomBytes(32);
  const b = sha256(Uint8Array.of(1), a);
  const ks = stashKeystream(a, b, V1_LENGTH);
  const c = v1.map((x, i) => x ^ ks[i]!);
  return new Uint8Array(Buffer.concat([a, b, c]));
}

/**
 * Whether `bytes` have a stash's shape: a 193-byte file whose integrity check holds, or a
 * 129-byte one that decodes to a password, its 0x00 and non-zero padding to the end.
 * Used to refuse writing an output file over a stash, whatever its name.
 */
export function looksLikeStash(bytes: Uint8Array): boolean {
  if (bytes.length === V2_LENGTH) return sha256(Uint8Array.of(1), bytes.subarray(0, 32)).equals(bytes.subarray(32, 64));
  if (bytes.length !== V1_LENGTH) return false;
  const end = bytes.findIndex((c) => c === XOR_BYTE);
  return end > 0 && bytes.subarray(end + 1).every((c) => c !== XOR_BYTE);
}

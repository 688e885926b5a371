/**
 * Whether a store is written with the password it was read with. A reader that keeps
 * something bound to its password (a sealed JCEKS key, a PKCS#12 bag it cannot
 * interpret) records this tag beside it, so the writer can tell a password change from a
 * plain save without keeping the password itself on every entry.
 *
 * The key is made afresh in each process and never leaves it: a tag means nothing
 * anywhere else, and nothing stored on disk or sent to a front end may hold one.
 */
import { createHmac, randomBytes } from 'node:crypto';

const PROCESS_KEY = randomBytes(32);

export function passwordTag(password: string): string {
  return createHmac('sha256', PROCESS_KEY).update(password, 'utf8').digest('base64');
}

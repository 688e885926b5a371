/**
 * `-db key` without an extension. IBM's tools name a CMS database `key.kdb` when given
 * `key` (cli/RUNMQAKM.md §5: runmqckm created `-db key` and its notes go on with key.kdb),
 * so scripts written that way expect the file with the extension. A file that exists
 * under the name exactly as given is always taken as it is.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { ParsedCommand } from './arguments';

const EXTENSION_OF: Record<string, string> = { cms: '.kdb', kdb: '.kdb', pkcs12: '.p12', p12: '.p12', jks: '.jks', jceks: '.jceks' };

/** The store flags of a command, each with the flag that names its type. */
const STORE_FLAGS: [flag: string, typeFlag: string][] = [
  ['db', 'type'],
  ['new_db', 'new_format'],
  ['target', 'target_type'],
];

/**
 * Adds the extension to store paths given without one: for a new store (`creating`), the
 * one its type calls for (CMS by default, as runmqakm's default type is cms); for an
 * existing one, the first `<path>.<ext>` that exists. Rewrites `parsed` in place.
 */
export function completeStorePaths(parsed: ParsedCommand, creating: ReadonlySet<string>): void {
  for (const [flag, typeFlag] of STORE_FLAGS) {
    const given = parsed.values.get(flag);
    if (given === undefined || given === '' || extname(given) !== '' || existsSync(given)) continue;
    // -target is a store only where a type is named for it or the command makes one.
    if (flag === 'target' && !parsed.values.has(typeFlag)) continue;
    const type = parsed.values.get(typeFlag)?.toLowerCase();
    const wanted = type ? EXTENSION_OF[type] : '.kdb';
    if (!wanted) continue;
    if (creating.has(flag) || existsSync(`${given}${wanted}`)) parsed.values.set(flag, `${given}${wanted}`);
  }
}

/**
 * `-random -create -length N [-strong]`: a random password, alone on one line of stdout.
 *
 * IBM's guide names the command ("Create a random password of a specified length",
 * cli/RUNMQAKM.md §2.5) but its flags and output were not readable there; real scripts
 * show both: `runmqakm -random -create -length 125 -strong | tr -d … | cut -c 2-65` builds
 * a queue manager's key store password (index file ids 59154585655, 59158452483), and Db2's
 * `KEYSTOREPASS=$(gsk8capicmd_64 -random -create -length 16 -strong)` passes the whole
 * output on as -pw (index file id 29420761928). So: exactly N characters, nothing else.
 *
 * Characters: letters and digits; -strong adds a few punctuation marks and meets the rules
 * runmqakm's -strong checks on a new password (cli/RUNMQAKM.md §2.6: at least 14
 * characters, lower and upper case, a digit or special character, no character more than
 * three times, never three alike in a row). The punctuation is chosen from marks a shell
 * leaves alone, because scripts use the output unquoted (the Db2 script's
 * `echo ${KEYSTOREPASS}`): the tr filters above show IBM's own output holds quotes, `$`,
 * `*` and spaces, which such a script would mangle.
 */
import { randomInt } from 'node:crypto';
import { type ParsedCommand, required, usageError } from '../arguments';

type Out = (line: string) => void;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SPECIAL = '_.+=:,^%@';
const PLAIN = LOWER + UPPER + DIGITS;
const STRONG = PLAIN + SPECIAL;
/** runmqakm's -strong minimum. */
const STRONG_MIN = 14;
/** Each character at most three times (the -strong rule). */
const STRONG_MAX = STRONG.length * 3;
const PLAIN_MAX = 1024;

export function randomPassword(length: number, strong: boolean): string {
  if (!strong) return Array.from({ length }, () => PLAIN[randomInt(PLAIN.length)]).join('');
  for (;;) {
    const counts = new Map<string, number>();
    let out = '';
    for (let i = 0; i < length; i++) {
      const allowed = [...STRONG].filter((c) => (counts.get(c) ?? 0) < 3 && !(out.length >= 2 && out.endsWith(c + c)));
      const c = allowed[randomInt(allowed.length)]!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      out += c;
    }
    // Drawn again until every class is present: the rule asks for them, and a short
    // password drawn once would miss one often enough to matter.
    if ([LOWER, UPPER, DIGITS, SPECIAL].every((set) => [...out].some((c) => set.includes(c)))) return out;
  }
}

export const randomCreateSpec = { values: ['length'], switches: ['strong'] } as const;
export async function randomCreate(_api: unknown, parsed: ParsedCommand, out: Out): Promise<void> {
  const text = required(parsed, 'length');
  const strong = parsed.switches.has('strong');
  const [min, max] = strong ? [STRONG_MIN, STRONG_MAX] : [1, PLAIN_MAX];
  const length = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(length >= min && length <= max)) {
    throw usageError(`-length takes ${min} to ${max}${strong ? ' with -strong (its rules: at least 14 characters, none more than three times)' : ''}, not "${text}"`);
  }
  out(randomPassword(length, strong));
}

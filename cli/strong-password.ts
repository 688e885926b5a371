/**
 * runmqakm's -strong check on a new key database password (-keydb -create, -changepw).
 * The rules, from the Chinese edition of IBM MQ 9.4's "creating a key repository" page
 * (cli/RUNMQAKM.md §2.6; the English edition was not readable past -stash): at least 14
 * characters; a lowercase letter, an uppercase letter, and a digit or special character
 * (a space counts as special); no character more than three times; never three alike in a
 * row; printable ASCII only (0x20–0x7E).
 */
export const STRONG_MIN_LENGTH = 14;

/** Why `password` fails -strong, in words an operator can act on; undefined when it passes. */
export function strongPasswordProblem(password: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(password)) return 'it may hold printable ASCII characters only';
  if (password.length < STRONG_MIN_LENGTH) return `it needs at least ${STRONG_MIN_LENGTH} characters, not ${password.length}`;
  if (!/[a-z]/.test(password)) return 'it needs a lowercase letter';
  if (!/[A-Z]/.test(password)) return 'it needs an uppercase letter';
  if (!/[^a-zA-Z]/.test(password)) return 'it needs a digit or a special character';
  const counts = new Map<string, number>();
  for (const c of password) counts.set(c, (counts.get(c) ?? 0) + 1);
  const repeated = [...counts].find(([, n]) => n > 3);
  if (repeated) return `"${repeated[0]}" occurs ${repeated[1]} times, at most 3 are allowed`;
  const run = /(.)\1\1/.exec(password);
  if (run) return `"${run[1]}" stands three times in a row, at most twice is allowed`;
  return undefined;
}

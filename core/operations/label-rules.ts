/**
 * Labels: unique ignoring case in every format (GSKit and keytool both look them up that
 * way), and fit for IBM MQ, which finds its certificate by an exact, case-sensitive label
 * of at most 64 characters (MQ.md). MQ's limits are warnings, not refusals: the store
 * accepts such labels, MQ just will not find them. Control characters are refused: a
 * label is printed one per line by every listing and read back by scripts, so a line
 * break, tab or terminal escape in one splits or garbles what they read.
 */
import { KeyDeskError } from '../errors';
import type { KeyStore } from '../model/key-store';

/** C0 controls (TAB, LF, CR, ESC…), DEL, C1 controls, and the Unicode line and paragraph
 * separators, which some terminals and editors also break lines on. */
const unprintable = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
const unprintableAll = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/gu;

const named: Record<string, string> = { '\t': 'a tab', '\n': 'a line feed', '\r': 'a carriage return', '\u001B': 'an escape character' };
const shortEscapes: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The label as one printable line: control characters shown as `\n`, `\t`, `\r`, `\xHH`
 * or `\u2028`. For labels already in a store (written by another tool): they are kept as
 * they are, but a listing must not let one split its line or drive the terminal.
 */
export function printableLabel(label: string): string {
  return label.replace(unprintableAll, (c) => {
    const code = c.codePointAt(0)!;
    return shortEscapes[c] ?? (code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase()}`);
  });
}

/** Throws when `label` holds a character no new label may hold. */
export function checkLabelCharacters(label: string): void {
  const bad = unprintable.exec(label)?.[0];
  if (bad === undefined) return;
  throw new KeyDeskError(
    'usage',
    `the label "${printableLabel(label)}" holds ${named[bad] ?? `a control character`} (${codePoint(bad)}); labels are listed one per line and read by scripts, so choose one without control characters.`,
  );
}

/** Throws when `label` cannot be used in `store`; returns warnings worth telling the user.
 * `forSigner`: MQ's CERTLABL limits (length, spaces, case) concern the certificate a queue
 * manager presents, so a signer's label is not warned about them. */
export function checkNewLabel(store: KeyStore, label: string, renaming?: string, forSigner = false): string[] {
  if (label.trim() === '') throw new KeyDeskError('usage', 'a label cannot be empty.');
  checkLabelCharacters(label);
  const clash = store.entries.find((e) => e.label.toLowerCase() === label.toLowerCase() && e.label !== renaming);
  if (clash) throw new KeyDeskError('conflict', `the label "${clash.label}" is already in use; choose another label or delete that entry first.`, 'duplicate-label');
  const warnings: string[] = [];
  if (forSigner) return warnings;
  if ([...label].length > 64) warnings.push(`the label "${label}" is longer than 64 characters: IBM MQ cannot use it as a certificate label.`);
  if (/\s/.test(label)) warnings.push(`the label "${label}" contains spaces, which some IBM MQ versions reject in CERTLABL.`);
  if (/^ibmwebspheremq/i.test(label) && label !== label.toLowerCase()) {
    warnings.push(`the label "${label}" has capitals: IBM MQ looks for ibmwebspheremq followed by the queue manager or user name in lower case.`);
  }
  return warnings;
}

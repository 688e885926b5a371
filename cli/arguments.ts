/**
 * runmqakm's command line: an object (-keydb, -cert, -certreq), an action (-list, -create,
 * …), and flags, most of which take one value. As runmqakm does, flags may stand before
 * the action too (`-keydb -fips -stashpw -db key.kdb`), names are case-insensitive, and an
 * argv element holding several words is read as those words (IBM's MQ container passes
 * "-size 2048 -sig_alg sha512 -eku serverAuth" as one element). Scripts written for
 * runmqakm must run unchanged, so unknown flags are errors (a silently ignored -expire
 * would be worse than a refusal).
 */
import { KeyDeskError } from '../core/errors';

export interface ParsedCommand {
  object: string; // 'keydb' | 'cert' | 'certreq' | 'help' | 'version'
  action: string; // 'list' | 'details' | ...
  /** A bare word right after the action, as in `-cert -list personal`. */
  qualifier?: string;
  values: Map<string, string>;
  switches: Set<string>;
}

export interface CommandSpec {
  /** Flags that take a value. */
  values: readonly string[];
  /** Flags that stand alone. */
  switches: readonly string[];
  /** Allowed bare words after the action, if any. */
  qualifiers?: readonly string[];
  /** Flags whose value may be left out (`-expiry` or `-expiry 30`): the next word is
   * their value unless it is a flag; left out, the value is ''. */
  optionalValues?: readonly string[];
}

/** runmqakm switches scripts pass everywhere that change nothing in KeyDesk: accepted and
 * ignored so those scripts run (documented in -help). Each may carry a yes/no value
 * (`-fips false`, as IBM's MQ container passes it). */
const COMPATIBILITY_SWITCHES: readonly string[] = ['fips'];
const BOOLEAN_WORD = /^(true|false|yes|no|on|off)$/i;

/** Other spellings runmqakm accepts for a flag (its usage text: `-sig_alg | -sigalg`). */
const FLAG_ALIASES: Record<string, string> = { sigalg: 'sig_alg' };

const flagName = (arg: string) => {
  const name = arg.replace(/^-+/, '').toLowerCase();
  return FLAG_ALIASES[name] ?? name;
};

/** runmqakm's PKCS#11 flags: a cryptographic token (-crypto MODULE -tokenlabel LABEL) and
 * the secondary database kept beside one. Taken by the commands that work on a token
 * (cli/main.ts, `token`); on any other command they are refused by name, not as unknown. */
export const TOKEN_FLAGS = ['crypto', 'tokenlabel', 'secondarydb', 'secondarydbpw', 'secondarydbtype'] as const;
const TOKEN_REFUSAL =
  'KeyDesk opens a PKCS#11 token (-crypto, -tokenlabel, -secondaryDB) on the -cert and -certreq commands, -keydb -changepw and -keydb -check, not on this one (a token is initialized with its vendor\'s tool, such as softhsm2-util --init-token)';
const UNSUPPORTED_FLAGS: Record<string, string> = Object.fromEntries(TOKEN_FLAGS.map((flag) => [flag, TOKEN_REFUSAL]));

/** Flags that carry a password. Each also takes the form `-flag:file FILE` (see password.ts). */
export const passwordFlags = ['pw', 'new_pw', 'target_pw', 'key_pw', 'peer_pw', 'pw2'] as const;

export const fileForm = (flag: string) => `${flag}:file`;

/** The flag `name` takes a value in `spec`: listed there, or the `:file` form of a password flag listed there. */
function takesValue(spec: CommandSpec, name: string): boolean {
  if (spec.values.includes(name)) return true;
  const base = name.endsWith(':file') ? name.slice(0, -':file'.length) : undefined;
  return base !== undefined && (passwordFlags as readonly string[]).includes(base) && spec.values.includes(base);
}

export function usageError(message: string): KeyDeskError {
  return new KeyDeskError('usage', `${message} (keydesk -help lists the commands)`);
}

/** What the command table knows about one object, for finding its action among flags. */
export interface ObjectGrammar {
  actions: readonly string[];
  /** Every flag that takes a value in any of the object's commands. */
  valueFlags: ReadonlySet<string>;
}

/**
 * Finds the object and the action in argv, wherever the action stands among the flags,
 * and reads argv elements of several words as those words. `rest`: everything else, the
 * words right after the action first (a qualifier such as `-cert -list personal`).
 */
export function parseObjectAndAction(argv: readonly string[], grammarOf: (object: string) => ObjectGrammar | undefined): { object: string; action: string; rest: string[] } {
  const [first, ...others] = withoutStrayEmptyElements(argv);
  if (first === undefined) return { object: 'help', action: '', rest: [] };
  const object = flagName(first.trim().split(/\s+/)[0] ?? '');
  if (object === 'help' || object === 'h' || object === '?' || object === 'version') return { object, action: '', rest: [] };
  if (!first.startsWith('-')) throw usageError(`expected an object such as -cert or -keydb, not "${first}"`);
  const grammar = grammarOf(object);
  if (!grammar) throw usageError(`unknown object -${object}`);
  const words = [...first.trim().split(/\s+/).slice(1), ...others];
  const tokens = splitWords(words, grammar.valueFlags);
  let at = -1;
  for (let i = 0; i < tokens.length && at < 0; i++) {
    const name = flagName(tokens[i]!);
    if (!tokens[i]!.startsWith('-')) continue;
    if (grammar.actions.includes(name)) at = i;
    else if (grammar.valueFlags.has(name) || isPasswordFileFlag(name)) i++;
    else if (COMPATIBILITY_SWITCHES.includes(name) && BOOLEAN_WORD.test(tokens[i + 1] ?? '')) i++;
  }
  if (at < 0) throw usageError(`-${object} needs an action, for example -${object} -${grammar.actions[0] ?? 'list'}`);
  return { object, action: flagName(tokens[at]!), rest: [...tokens.slice(at + 1), ...tokens.slice(0, at)] };
}

/**
 * PowerShell's .Split(" ") leaves empty elements between double spaces
 * (letsencrypt-ihs.ps1: `-new_pw "" NewPass1`); runmqakm skips them. One empty element
 * stays: the value of a password flag followed by another flag or by nothing
 * (`-pw "" -target …`), the only way to say that a PKCS#12 has an empty password.
 */
function withoutStrayEmptyElements(argv: readonly string[]): string[] {
  const isPasswordFlag = (arg: string | undefined) => arg !== undefined && arg.startsWith('-') && (passwordFlags as readonly string[]).includes(flagName(arg));
  return argv.filter((arg, i) => {
    if (arg !== '') return true;
    if (!isPasswordFlag(argv[i - 1])) return false;
    const next = argv.slice(i + 1).find((a) => a !== '');
    return next === undefined || next.startsWith('-');
  });
}

const isPasswordFileFlag = (name: string) => name.endsWith(':file') && (passwordFlags as readonly string[]).includes(name.slice(0, -':file'.length));

/**
 * An element holding several words where a flag is expected ("-fips false", "-size 2048
 * -sig_alg sha512") is read as those words; an element in a value's place stays whole,
 * so a DN or a label with spaces is one value.
 */
function splitWords(elements: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let valueNext = false;
  const take = (word: string) => {
    if (valueNext) {
      out.push(word);
      valueNext = false;
      return;
    }
    out.push(word);
    const name = flagName(word);
    valueNext = word.startsWith('-') && (valueFlags.has(name) || isPasswordFileFlag(name));
  };
  for (const element of elements) {
    if (!valueNext && element.startsWith('-') && /\s/.test(element.trim())) element.trim().split(/\s+/).forEach(take);
    else take(element);
  }
  return out;
}

export function parseFlags(object: string, action: string, rest: readonly string[], spec: CommandSpec): ParsedCommand {
  const parsed: ParsedCommand = { object, action, values: new Map(), switches: new Set() };
  let i = 0;
  if (spec.qualifiers && rest[0] !== undefined && !rest[0].startsWith('-')) {
    const word = rest[0].toLowerCase();
    if (!spec.qualifiers.includes(word)) {
      throw usageError(`-${object} -${action} takes ${spec.qualifiers.join('|')}, not "${rest[0]}"`);
    }
    parsed.qualifier = word;
    i = 1;
  }
  for (; i < rest.length; i++) {
    const arg = rest[i]!;
    const name = flagName(arg);
    if (!arg.startsWith('-') || name === '') throw usageError(`unexpected "${arg}" in -${object} -${action}`);
    const unsupported = takesValue(spec, name) ? undefined : UNSUPPORTED_FLAGS[name];
    if (unsupported) throw new KeyDeskError('unsupported', `${unsupported}; nothing was done.`);
    if (COMPATIBILITY_SWITCHES.includes(name)) {
      if (BOOLEAN_WORD.test(rest[i + 1] ?? '')) i++;
      continue;
    } else if (spec.switches.includes(name)) {
      parsed.switches.add(name);
    } else if (spec.optionalValues?.includes(name)) {
      if (parsed.values.has(name)) throw usageError(`-${name} is given twice`);
      const next = rest[i + 1];
      const given = next !== undefined && !next.startsWith('-');
      parsed.values.set(name, given ? next : '');
      if (given) i++;
    } else if (takesValue(spec, name)) {
      const value = rest[i + 1];
      if (value === undefined) throw usageError(`-${name} needs a value`);
      if (parsed.values.has(name)) throw usageError(`-${name} is given twice`);
      parsed.values.set(name, value);
      i++;
    } else {
      throw usageError(`-${object} -${action} does not take -${name}`);
    }
  }
  return parsed;
}

/**
 * runmqakm's -expire, in days: a certificate's validity, or under -keydb the password's
 * lifetime (accepted for scripts, not enforced). IBM documents GSKit's key database password
 * expiry as 0 to 9999 days, 0 for none (z/OS System SSL, gskkyman); the same ceiling keeps a
 * certificate's end date a real date (the x509 builder has none), and refuses nothing a
 * runmqakm script can pass.
 */
export function expireDays(parsed: ParsedCommand, of: 'certificate' | 'password'): number | undefined {
  const value = parsed.values.get('expire');
  if (value === undefined) return undefined;
  const min = of === 'certificate' ? 1 : 0;
  const days = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(days >= min && days <= 9999)) {
    throw usageError(of === 'certificate' ? `-expire takes the certificate's validity in days, 1 to 9999, not "${value}"` : `-expire takes the password's lifetime in days, 0 to 9999 (0: none), not "${value}"`);
  }
  return days;
}

export function required(parsed: ParsedCommand, name: string): string {
  const value = parsed.values.get(name);
  if (value === undefined) throw usageError(`-${parsed.object} -${parsed.action} needs -${name}`);
  return value;
}

/** Keyword values runmqakm takes wherever the flag appears. A word outside the set is a
 * usage error, not silently ignored: `-type bogus` on a `-cert` command, where the file's
 * content decides the format, would otherwise hide a script's typo. */
const KEYWORD_VALUES: Record<string, readonly string[]> = {
  type: ['cms', 'kdb', 'pkcs12', 'p12', 'jks', 'jceks'],
  target_type: ['cms', 'kdb', 'pkcs12', 'p12', 'jks', 'jceks'],
  // The joint options table describes it for certificate export (cli/RUNMQAKM.md §2.6).
  encryption: ['strong', 'weak'],
};

export function checkKeywordValues(parsed: ParsedCommand): void {
  for (const [flag, words] of Object.entries(KEYWORD_VALUES)) {
    const value = parsed.values.get(flag);
    if (value !== undefined && !words.includes(value.toLowerCase())) throw usageError(`-${flag} takes ${words.join(', ')}, not "${value}"`);
  }
}

/**
 * Where a password comes from: `-pw PW` (taken literally, as runmqakm takes it, so a
 * password may start with `@`), `-pw:file FILE` (the first line of FILE), the KEYDESK_PW
 * environment variable, or the stash (`-stashed`). Every password flag has the `:file`
 * form (-new_pw:file, -target_pw:file, …): keytool, which IBM MQ ships as runmqktool, names
 * its password files the same way (-storepass:file). The file and environment forms keep
 * the password out of the process list, which runmqakm users often ask for.
 */
import { nodeChildProcess } from '../core/lazy-node-modules';
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Credentials } from '../core/api/contract';
import { KeyDeskError } from '../core/errors';
import { fileForm, passwordFlags, type ParsedCommand, usageError } from './arguments';

export { fileForm, passwordFlags };

/** A first line longer than this is not a password: it is the wrong file (or /dev/zero). */
const maxLine = 64 * 1024;

/**
 * The first line of a password file, without its CR/LF. Read in pieces up to the first
 * line break, so a pipe (`-pw:file <(pass show mq)`) works and an endless device does not
 * fill the memory.
 */
export function readPasswordFile(file: string, flag = 'pw'): string {
  const given = `(given as -${fileForm(flag)} ${file})`;
  let fd: number;
  try {
    if (statSync(file).isDirectory()) throw new KeyDeskError('usage', `${file} is a folder, not a password file ${given}.`);
    fd = openSync(file, 'r');
  } catch (e) {
    throw passwordFileError(e, file, given);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    const buffer = Buffer.alloc(4096);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const piece = Buffer.from(buffer.subarray(0, n));
      const newline = piece.indexOf(0x0a);
      chunks.push(newline === -1 ? piece : piece.subarray(0, newline));
      length += newline === -1 ? n : newline;
      if (newline !== -1) break;
      if (length > maxLine) throw new KeyDeskError('usage', `${file} has no line break in its first 64 KiB: it is not a password file ${given}.`);
    }
  } catch (e) {
    throw passwordFileError(e, file, given);
  } finally {
    closeSync(fd);
  }
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
  if (password === '') throw new KeyDeskError('usage', `${file} is empty: a password file holds the password on its first line ${given}.`);
  return password;
}

function passwordFileError(e: unknown, file: string, given: string): KeyDeskError {
  if (e instanceof KeyDeskError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new KeyDeskError('file-not-found', `${file}: no such password file ${given}.`);
  if (code === 'EACCES' || code === 'EPERM') return new KeyDeskError('io', `${file}: permission denied reading the password file ${given}.`);
  return new KeyDeskError('io', `${file}: the password file cannot be read (${code ?? (e as Error).message}) ${given}.`);
}

/** The password given with `-flag` or `-flag:file`, or undefined when neither is. */
export function passwordFrom(parsed: ParsedCommand, flag: string): string | undefined {
  const literal = parsed.values.get(flag);
  const file = parsed.values.get(fileForm(flag));
  if (literal !== undefined && file !== undefined) throw usageError(`give either -${flag} or -${fileForm(flag)}, not both`);
  return file !== undefined ? readPasswordFile(file, flag) : literal;
}

/** What runmqakm asks at a terminal for each password flag. Only "Target database
 * password :" was seen in a transcript (cli/RUNMQAKM.md §5); the others follow it. */
const PROMPTS: Record<string, string> = {
  pw: 'Database password :',
  new_pw: 'New database password :',
  target_pw: 'Target database password :',
  key_pw: 'Private key password :',
  peer_pw: 'Peer database password :',
  pw2: 'Second database password :',
};

/** `flag`s that set a password: asked twice at a terminal, as a typo would lock the store. */
const NEW_PASSWORD_FLAGS = new Set(['new_pw']);

export function requiredPassword(parsed: ParsedCommand, flag: string, sets = NEW_PASSWORD_FLAGS.has(flag)): string {
  const password = passwordFrom(parsed, flag) ?? askAtTerminal(flag, sets);
  if (password === undefined) throw usageError(`-${parsed.object} -${parsed.action} needs -${flag} or -${fileForm(flag)}`);
  return password;
}

/**
 * Without a password flag, runmqakm asks for it when a person is at the terminal, without
 * echoing what is typed. The terminal is read directly (/dev/tty), so a script's piped
 * stdin is never taken for a password; without a terminal (CI, a pipe) this returns
 * undefined and the caller refuses as before. Not on Windows (no stty): refused there too.
 */
export function askAtTerminal(flag: string, twice = false, tty: TerminalAccess | undefined = terminal): string | undefined {
  if (!tty?.available()) return undefined;
  const prompt = PROMPTS[flag] ?? `-${flag} :`;
  const first = tty.ask(`${prompt} `);
  if (!twice) return first;
  const again = tty.ask(`Re-enter ${prompt.charAt(0).toLowerCase()}${prompt.slice(1)} `);
  if (again !== first) throw new KeyDeskError('usage', `the two ${prompt.replace(/ :$/, '').toLowerCase()}s typed differ; nothing was done.`);
  return first;
}

export interface TerminalAccess {
  available(): boolean;
  /** Writes `prompt`, reads one line with echo off, returns it without its line break. */
  ask(prompt: string): string;
}

/** Set by runCli: the real terminal only for the real process (main), never in tests
 * that run the CLI in-process (a developer's terminal must not be asked mid-test). */
let terminal: TerminalAccess | undefined;
export function useTerminal(access: TerminalAccess | undefined): void {
  terminal = access;
}

export const systemTerminal: TerminalAccess = {
  available: () => process.platform !== 'win32' && process.stdin.isTTY === true && existsSync('/dev/tty'),
  ask(prompt) {
    const fd = openSync('/dev/tty', 'r+');
    const stty = (arg: string) => nodeChildProcess().spawnSync('stty', [arg], { stdio: [fd, 'ignore', 'ignore'] });
    try {
      // Echo off before the prompt shows, so nothing typed after it can be echoed.
      stty('-echo');
      writeSync(fd, prompt);
      const bytes: number[] = [];
      const one = Buffer.alloc(1);
      while (readSync(fd, one, 0, 1, null) === 1 && one[0] !== 0x0a) bytes.push(one[0]!);
      return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
    } finally {
      stty('echo');
      writeSync(fd, '\n');
      closeSync(fd);
    }
  },
};

/** Whether `-flag` or `-flag:file` was given, without reading the file. */
export function hasPassword(parsed: ParsedCommand, flag: string): boolean {
  return parsed.values.has(flag) || parsed.values.has(fileForm(flag));
}

export function credentialsFrom(parsed: ParsedCommand, env: NodeJS.ProcessEnv = process.env): Credentials {
  // runmqakm -secondaryDB beside a token (-crypto): its own password, or its stash.
  const secondaryDb = parsed.values.get('secondarydb');
  if (secondaryDb !== undefined) {
    const password = parsed.values.get('secondarydbpw');
    return { ...ownCredentials(parsed, env), secondaryDb, ...(password !== undefined ? { secondaryDbPassword: password } : {}) };
  }
  return ownCredentials(parsed, env);
}

function ownCredentials(parsed: ParsedCommand, env: NodeJS.ProcessEnv): Credentials {
  const stashed = parsed.switches.has('stashed');
  if (stashed && hasPassword(parsed, 'pw')) throw usageError(`give either -pw${parsed.values.has('pw') ? '' : ':file'} or -stashed, not both`);
  if (stashed) return { stashed: true };
  const pw = passwordFrom(parsed, 'pw');
  if (pw !== undefined) return { password: pw };
  if (env.KEYDESK_PW !== undefined) return { password: env.KEYDESK_PW };
  const typed = askAtTerminal('pw');
  if (typed !== undefined) return { password: typed };
  // No password at all: the store decides. A PKCS#12 made without one opens (real
  // playbooks pass none for it: real-command-lines.json #122, #124); anything else is
  // refused when it is opened, naming the file.
  return {};
}

/**
 * Earlier KeyDesk versions read `-pw @FILE` as a file. When such a value meets a refusal, or
 * becomes a new password, and FILE exists, the user is most likely running an old script:
 * say how to give the file now. Returns the hint, or undefined.
 */
export function atFileHint(parsed: ParsedCommand, flags: readonly string[] = passwordFlags): string | undefined {
  for (const flag of flags) {
    const value = parsed.values.get(flag);
    if (value === undefined || !value.startsWith('@') || value.length === 1) continue;
    const file = value.slice(1);
    if (existsSync(file)) return `-${flag} takes the password literally, as runmqakm does; if "${value}" names a password file, give -${fileForm(flag)} ${file}`;
  }
  return undefined;
}

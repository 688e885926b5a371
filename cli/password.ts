/**
 * Where a password comes from: `-pw PW`, `-pw @FILE` (first line of FILE), the KEYDESK_PW
 * environment variable, or the stash (`-stashed`). The @FILE and environment forms keep
 * the password out of the process list, which runmqakm users often ask for.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Credentials } from '../core/api/contract';
import { KeyDeskError } from '../core/errors';
import { type ParsedCommand, usageError } from './arguments';

export function passwordValue(value: string, flag: string): string {
  if (!value.startsWith('@')) return value;
  const file = value.slice(1);
  if (!existsSync(file)) throw new KeyDeskError('file-not-found', `${file}: no such password file (given as -${flag} @${file}).`);
  return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
}

export function credentialsFrom(parsed: ParsedCommand, env: NodeJS.ProcessEnv = process.env): Credentials {
  const pw = parsed.values.get('pw');
  const stashed = parsed.switches.has('stashed');
  if (pw !== undefined && stashed) throw usageError('give either -pw or -stashed, not both');
  if (stashed) return { stashed: true };
  if (pw !== undefined) return { password: passwordValue(pw, 'pw') };
  if (env.KEYDESK_PW !== undefined) return { password: env.KEYDESK_PW };
  throw usageError(`-${parsed.object} -${parsed.action} needs -pw, -stashed or KEYDESK_PW`);
}

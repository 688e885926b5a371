/**
 * Commands over two stores (-tls -test, -keydb -exchange, -keydb -compare) name the second
 * one with its own flags: -peer_db/-peer_pw/-peer_stashed, or -db2/-pw2/-stashed2.
 * KEYDESK_PW stands for the first store's password only: one variable cannot be two.
 */
import type { StoreRef } from '../../core/api/contract';
import { type ParsedCommand, required, usageError } from '../arguments';
import { fileForm, hasPassword, passwordFrom } from '../password';

export function secondStoreRef(parsed: ParsedCommand, flags: { db: string; pw: string; stashed: string }): StoreRef {
  const path = required(parsed, flags.db);
  const stashed = parsed.switches.has(flags.stashed);
  if (hasPassword(parsed, flags.pw) && stashed) throw usageError(`give either -${flags.pw} or -${flags.stashed}, not both`);
  if (stashed) return { path, stashed: true };
  const password = passwordFrom(parsed, flags.pw);
  if (password === undefined) throw usageError(`-${parsed.object} -${parsed.action} needs -${flags.pw}, -${fileForm(flags.pw)} or -${flags.stashed} for ${path}`);
  return { path, password };
}

export const peerFlags = { db: 'peer_db', pw: 'peer_pw', stashed: 'peer_stashed' } as const;
export const secondFlags = { db: 'db2', pw: 'pw2', stashed: 'stashed2' } as const;

/** -days N: a whole number of days. */
export function daysFrom(parsed: ParsedCommand): number | undefined {
  const value = parsed.values.get('days');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`-days takes a number of days, not "${value}"`);
  return Number(value);
}

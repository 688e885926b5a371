/**
 * `-cert -create` (New Self-Signed) and `-certreq -create` (New Request): the same flags
 * as runmqakm — -label, -dn, -size, -sig_alg, -expire, -san_dnsname, -san_ipaddr,
 * -san_emailaddr (comma-separated lists), -ca true.
 */
import type { KeyDeskApi, NewKeyOptions } from '../../core/api/contract';
import { expireDays, type ParsedCommand, required, usageError } from '../arguments';
import { changeSwitches, fileFormat, storeRefFrom } from './cert-change';

type Out = (line: string) => void;

const keyFlags = ['db', 'pw', 'type', 'label', 'dn', 'size', 'sig_alg', 'expire', 'san_dnsname', 'san_ipaddr', 'san_emailaddr', 'ca', 'x509version', 'default_cert'] as const;

function listFlag(parsed: ParsedCommand, name: string): string[] | undefined {
  const value = parsed.values.get(name);
  return value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean);
}

function numberFlag(parsed: ParsedCommand, name: string): number | undefined {
  const value = parsed.values.get(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`-${name} takes a whole number, not "${value}"`);
  return Number(value);
}

export function newKeyOptions(parsed: ParsedCommand): NewKeyOptions {
  const ca = parsed.values.get('ca')?.toLowerCase();
  if (ca !== undefined && ca !== 'true' && ca !== 'false') throw usageError(`-ca takes true or false, not "${ca}"`);
  const dns = listFlag(parsed, 'san_dnsname');
  const ip = listFlag(parsed, 'san_ipaddr');
  const email = listFlag(parsed, 'san_emailaddr');
  return {
    label: required(parsed, 'label'),
    dn: required(parsed, 'dn'),
    size: numberFlag(parsed, 'size'),
    sigAlg: parsed.values.get('sig_alg'),
    validityDays: expireDays(parsed, 'certificate'),
    subjectAltNames: dns || ip || email ? { dns, ip, email } : undefined,
    ca: ca === 'true',
  };
}

export const certCreateSpec = { values: keyFlags, switches: ['stashed', ...changeSwitches] } as const;
export async function certCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const changed = await api.createSelfSigned({ store: storeRefFrom(parsed), ...newKeyOptions(parsed) });
  changed.notes.forEach((n) => out(n));
}

export const certreqCreateSpec = { values: [...keyFlags, 'file', 'format'], switches: ['stashed', ...changeSwitches] } as const;
export async function certreqCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const changed = await api.createRequest({ store: storeRefFrom(parsed), target: required(parsed, 'file'), format: fileFormat(parsed), ...newKeyOptions(parsed) });
  changed.notes.forEach((n) => out(n));
}

export const certreqExtractSpec = { values: ['db', 'pw', 'type', 'label', 'target', 'format'], switches: ['stashed'] } as const;
/** -extract and -recreate: the request kept with its key is the request; write it again. */
export async function certreqExtract(api: KeyDeskApi, parsed: ParsedCommand): Promise<void> {
  await api.extractRequest({ store: storeRefFrom(parsed), label: required(parsed, 'label'), target: required(parsed, 'target'), format: fileFormat(parsed) });
}

export const certreqDeleteSpec = { values: ['db', 'pw', 'type', 'label'], switches: ['stashed', ...changeSwitches] } as const;
export async function certreqDelete(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  (await api.deleteEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label'), kind: 'request' })).notes.forEach((n) => out(n));
}

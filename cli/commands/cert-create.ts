/**
 * `-cert -create` (New Self-Signed) and `-certreq -create` (New Request): the same flags
 * as runmqakm — -label, -dn, -size, -sig_alg (or -sigalg), -expire, -san_dnsname,
 * -san_ipaddr, -san_emailaddr, -ku, -eku (comma-separated lists), -ca true, -ca_label,
 * -x509version 3, -default_cert yes|no.
 */
import type { KeyDeskApi, NewKeyOptions } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { expireDays, type ParsedCommand, required, usageError } from '../arguments';
import { changeSwitches, fileFormat, storeRefFrom } from './cert-change';

type Out = (line: string) => void;

const keyFlags = ['db', 'pw', 'type', 'label', 'dn', 'size', 'sig_alg', 'expire', 'san_dnsname', 'san_ipaddr', 'san_emailaddr', 'ca', 'x509version', 'ku', 'eku'] as const;

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

/** runmqakm's -default_cert yes|no (its usage text: `<yes | no>`; "The default is no"). */
export function defaultCertFrom(parsed: ParsedCommand): boolean {
  const value = parsed.values.get('default_cert');
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (v !== 'yes' && v !== 'no') throw usageError(`-default_cert takes yes or no, not "${value}"`);
  return v === 'yes';
}

/**
 * runmqakm's -x509version takes 1, 2 or 3. KeyDesk makes version 3 only: 1 and 2 have no
 * extensions, so no subject alternative name, key usage or CA flag, and no real script
 * seen asks for them (all pass 3, cli/testing/real-command-lines.json).
 */
function checkX509Version(parsed: ParsedCommand): void {
  const value = parsed.values.get('x509version');
  if (value === undefined || value === '3') return;
  if (value === '1' || value === '2') {
    throw new KeyDeskError('unsupported', `-x509version ${value} is not supported: KeyDesk makes X.509 version 3 certificates only (version ${value} cannot carry subject alternative names, key usage or basic constraints); use -x509version 3 or leave it out.`);
  }
  throw usageError(`-x509version takes 1, 2 or 3, not "${value}"`);
}

export function newKeyOptions(parsed: ParsedCommand): NewKeyOptions {
  const ca = parsed.values.get('ca')?.toLowerCase();
  if (ca !== undefined && ca !== 'true' && ca !== 'false') throw usageError(`-ca takes true or false, not "${ca}"`);
  checkX509Version(parsed);
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
    keyUsage: listFlag(parsed, 'ku'),
    extendedKeyUsage: listFlag(parsed, 'eku'),
  };
}

export const certCreateSpec = { values: [...keyFlags, 'ca_label', 'default_cert'], switches: ['stashed', ...changeSwitches] } as const;
export async function certCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const options: NewKeyOptions = { ...newKeyOptions(parsed), caLabel: parsed.values.get('ca_label'), isDefault: defaultCertFrom(parsed) };
  const changed = await api.createSelfSigned({ store: storeRefFrom(parsed), ...options });
  changed.notes.forEach((n) => out(n));
}

/** The request file: runmqakm's -file, or -target as some scripts write it. */
function requestTarget(parsed: ParsedCommand): string {
  const file = parsed.values.get('file');
  const target = parsed.values.get('target');
  if (file !== undefined && target !== undefined) throw usageError('-certreq -create takes the request file as -file or -target, not both');
  const path = file ?? target;
  if (path === undefined) throw usageError('-certreq -create needs -file (or -target) for the request file');
  return path;
}

export const certreqCreateSpec = { values: [...keyFlags, 'file', 'target', 'format', 'default_cert'], switches: ['stashed', ...changeSwitches] } as const;
export async function certreqCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const options: NewKeyOptions = { ...newKeyOptions(parsed), isDefault: defaultCertFrom(parsed) };
  const changed = await api.createRequest({ store: storeRefFrom(parsed), target: requestTarget(parsed), format: fileFormat(parsed), ...options });
  changed.notes.forEach((n) => out(n));
}

export const certreqExtractSpec = { values: ['db', 'pw', 'type', 'label', 'target', 'format'], switches: ['stashed'] } as const;
/** -extract: the pending request again. -recreate: the same, or for a personal certificate
 * a renewal request with its key and subject (Db2's renewal technote, mqsslsetup.sh). */
export async function certreqExtract(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const written = await api.extractRequest({
    store: storeRefFrom(parsed),
    label: required(parsed, 'label'),
    target: required(parsed, 'target'),
    format: fileFormat(parsed),
    renew: parsed.action === 'recreate',
  });
  written.notes.forEach((n) => out(n));
}

export const certreqDeleteSpec = { values: ['db', 'pw', 'type', 'label'], switches: ['stashed', ...changeSwitches] } as const;
export async function certreqDelete(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  (await api.deleteEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label'), kind: 'request' })).notes.forEach((n) => out(n));
}

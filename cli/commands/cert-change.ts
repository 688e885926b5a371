/**
 * `-cert` commands that change a store: -add, -delete, -rename — and -extract, which
 * writes a certificate file. Each is saved at once, atomically, with a .bak (as iKeyman
 * saves every change).
 */
import type { KeyDeskApi, StoreRef } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom } from '../password';

type Out = (line: string) => void;

export function storeRefFrom(parsed: ParsedCommand): StoreRef {
  return { path: required(parsed, 'db'), ...credentialsFrom(parsed) };
}

function report(result: { notes: string[] }, out: Out): void {
  for (const note of result.notes) out(note);
}

/** runmqakm's -format ascii|binary (PEM or DER). */
export function fileFormat(parsed: ParsedCommand, fallback: 'ascii' | 'binary' = 'ascii'): 'ascii' | 'binary' {
  const value = (parsed.values.get('format') ?? fallback).toLowerCase();
  if (value !== 'ascii' && value !== 'binary') throw usageError(`-format takes ascii or binary, not "${value}"`);
  return value;
}

const common = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed'] } as const;

export const certAddSpec = { ...common, values: [...common.values, 'file', 'format', 'trust'] } as const;
export async function certAdd(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  fileFormat(parsed); // content decides; the flag is accepted for runmqakm scripts and checked
  const trust = parsed.values.get('trust')?.toLowerCase();
  if (trust !== undefined && trust !== 'enable') {
    throw usageError(trust === 'disable' ? '-trust disable is not supported: KeyDesk adds signers as trusted' : `-trust takes enable or disable, not "${trust}"`);
  }
  report(await api.addCertificate({ store: storeRefFrom(parsed), label: required(parsed, 'label'), file: required(parsed, 'file') }), out);
}

export const certDeleteSpec = common;
export async function certDelete(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(await api.deleteEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label') }), out);
}

export const certRenameSpec = { ...common, values: [...common.values, 'new_label'] } as const;
export async function certRename(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(await api.renameEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label'), newLabel: required(parsed, 'new_label') }), out);
}

export const certExtractSpec = { ...common, values: [...common.values, 'target', 'format'] } as const;
export async function certExtract(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(
    await api.extractCertificate({ store: storeRefFrom(parsed), label: required(parsed, 'label'), target: required(parsed, 'target'), format: fileFormat(parsed) }),
    out,
  );
}

export const certModifySpec = { ...common, values: [...common.values, 'trust'] } as const;
/** GSKit keeps a per-signer trust switch whose encoding no public sample shows, and
 * PKCS#12 and JKS have none: refuse plainly rather than write a guess into a live store. */
export async function certModify(_api: KeyDeskApi, parsed: ParsedCommand): Promise<void> {
  required(parsed, 'label');
  throw new KeyDeskError('unsupported', 'changing a signer\'s trust is not supported yet: every signer KeyDesk keeps is trusted. To stop trusting one, delete it with -cert -delete (extract it first to keep a copy).');
}

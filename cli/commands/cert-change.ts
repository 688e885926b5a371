/**
 * `-cert` commands that change a store: -add, -delete, -rename — and -extract, which
 * writes a certificate file. Each is saved at once, atomically (as iKeyman saves every
 * change); a copy of the files it replaces is kept only with -backup.
 */
import type { KeyDeskApi, StoreRef } from '../../core/api/contract';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom } from '../password';

type Out = (line: string) => void;

/** KeyDesk's own switches for every command that changes a store (not in runmqakm):
 * -backup keeps `<file>.bak` copies, -drop_damaged saves a damaged version-3 database
 * without its damaged records. */
export const changeSwitches = ['backup', 'drop_damaged'] as const;

export function storeRefFrom(parsed: ParsedCommand): StoreRef {
  // Labels only: no command prints more of the store a change returns.
  return { path: required(parsed, 'db'), detail: 'labels', ...credentialsFrom(parsed), ...changeChoicesFrom(parsed) };
}

export function changeChoicesFrom(parsed: ParsedCommand): { backup?: boolean; dropDamaged?: boolean } {
  return {
    ...(parsed.switches.has('backup') ? { backup: true } : {}),
    ...(parsed.switches.has('drop_damaged') ? { dropDamaged: true } : {}),
  };
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

const common = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', ...changeSwitches] } as const;

export const certAddSpec = { ...common, values: [...common.values, 'file', 'format', 'trust'] } as const;
/** Without -label each certificate of the file is labelled with its subject DN, as
 * runmqakm does (IBM's MQ container adds its CA bundle this way, AddNoLabel). */
export async function certAdd(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  fileFormat(parsed); // content decides; the flag is accepted for runmqakm scripts and checked
  const trust = parsed.values.get('trust');
  const trusted = trust === undefined ? true : trustFrom(trust);
  report(await api.addCertificate({ store: storeRefFrom(parsed), label: parsed.values.get('label'), file: required(parsed, 'file'), trusted }), out);
}

export const certDeleteSpec = common;
export async function certDelete(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(await api.deleteEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label') }), out);
}

export const certRenameSpec = { ...common, values: [...common.values, 'new_label'] } as const;
export async function certRename(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(await api.renameEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label'), newLabel: required(parsed, 'new_label') }), out);
}

export const certExtractSpec = { values: [...common.values, 'target', 'file', 'format'], switches: ['stashed'] } as const;
/** The output file is -target, or -file as a stored version of covener/plugin-tools'
 * mergekdbs.sh writes it (cli/testing/REAL-SCRIPTS.md). */
export async function certExtract(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const target = parsed.values.get('target');
  const file = parsed.values.get('file');
  if (target !== undefined && file !== undefined) throw usageError('-cert -extract writes to -target or -file, not both');
  if (target === undefined && file === undefined) throw usageError('-cert -extract needs -target (or -file) for the certificate file');
  report(await api.extractCertificate({ store: storeRefFrom(parsed), label: required(parsed, 'label'), target: (target ?? file)!, format: fileFormat(parsed) }), out);
}

/** runmqakm's -trust enable|disable. */
function trustFrom(value: string): boolean {
  const v = value.toLowerCase();
  if (v !== 'enable' && v !== 'disable') throw usageError(`-trust takes enable or disable, not "${value}"`);
  return v === 'enable';
}

export const certModifySpec = { ...common, values: [...common.values, 'trust'] } as const;
/** -cert -modify -label L -trust enable|disable: GSKit's per-signer trust switch. */
export async function certModify(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const trusted = trustFrom(required(parsed, 'trust'));
  report(await api.setSignerTrust({ store: storeRefFrom(parsed), label: required(parsed, 'label'), trusted }), out);
}

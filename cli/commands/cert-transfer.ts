/**
 * Personal certificates with their keys between stores: `-cert -export` (this store's
 * entry into another) and `-cert -import` (runmqakm's direction: -db is the source and
 * -target the store that receives).
 */
import type { KeyDeskApi, WritableFormat } from '../../core/api/contract';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom, hasPassword, passwordFrom, requiredPassword } from '../password';
import { changeChoicesFrom, changeSwitches, storeRefFrom } from './cert-change';

type Out = (line: string) => void;

function targetFormat(value: string | undefined): WritableFormat {
  const v = (value ?? 'pkcs12').toLowerCase();
  if (v === 'p12' || v === 'pkcs12') return 'pkcs12';
  if (v === 'cms' || v === 'kdb') return 'cms';
  if (v === 'jks' || v === 'jceks') return v;
  throw usageError(`-target_type takes cms, pkcs12, jks or jceks, not "${value}"`);
}

export const certExportSpec = { values: ['db', 'pw', 'type', 'label', 'target', 'target_pw', 'target_type', 'encryption'], switches: ['stashed'] } as const;
export async function certExport(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const result = await api.exportEntry({
    store: storeRefFrom(parsed),
    label: required(parsed, 'label'),
    target: required(parsed, 'target'),
    targetPassword: requiredPassword(parsed, 'target_pw'),
    targetFormat: targetFormat(parsed.values.get('target_type')),
  });
  result.notes.forEach((n) => out(n));
}

export const certImportSpec = {
  values: ['db', 'pw', 'type', 'label', 'target', 'target_pw', 'target_type', 'new_label', 'file', 'keyfile', 'key_pw'],
  switches: ['stashed', 'target_stashed', ...changeSwitches],
} as const;
/** runmqakm's form (-db SOURCE … -target DB) copies personal entries between stores;
 * KeyDesk's -file CERT -keyfile KEY form makes one from separate files. */
export async function certImport(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const targetStashed = parsed.switches.has('target_stashed');
  if (hasPassword(parsed, 'target_pw') === targetStashed) throw usageError('-cert -import needs one of -target_pw, -target_pw:file or -target_stashed');
  const store = { path: required(parsed, 'target'), ...(targetStashed ? { stashed: true } : { password: requiredPassword(parsed, 'target_pw') }), ...changeChoicesFrom(parsed) };
  if (parsed.values.has('file')) {
    const result = await api.importKeyPair({
      store,
      label: required(parsed, 'label'),
      certificateFile: required(parsed, 'file'),
      keyFile: required(parsed, 'keyfile'),
      keyPassword: passwordFrom(parsed, 'key_pw'),
    });
    result.notes.forEach((n) => out(n));
    return;
  }
  const result = await api.importEntries({ source: { path: required(parsed, 'db'), ...credentialsFrom(parsed) }, label: parsed.values.get('label'), store });
  result.notes.forEach((n) => out(n));
}

/**
 * Certificates with their keys between stores: `-cert -export` (this store's entry, or
 * all of it, into another) and `-cert -import` (runmqakm's direction: the source is -db or
 * -file, -target the store that receives).
 */
import type { Credentials, KeyDeskApi, WritableFormat } from '../../core/api/contract';
import { isKeyDeskError } from '../../core/errors';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom, hasPassword, passwordFrom, requiredPassword } from '../password';
import { defaultCertFrom } from './cert-create';
import { changeChoicesFrom, changeSwitches, storeRefFrom } from './cert-change';

type Out = (line: string) => void;

function targetFormat(value: string | undefined): WritableFormat {
  const v = (value ?? 'pkcs12').toLowerCase();
  if (v === 'p12' || v === 'pkcs12') return 'pkcs12';
  if (v === 'cms' || v === 'kdb') return 'cms';
  if (v === 'jks' || v === 'jceks') return v;
  throw usageError(`-target_type takes cms, pkcs12, jks or jceks, not "${value}"`);
}

/** runmqakm's -type for a store that exists: checked, but the file's content decides. */
function checkType(parsed: ParsedCommand, flag: 'type' | 'target_type'): void {
  const value = parsed.values.get(flag);
  if (value !== undefined) targetFormat(value);
}

export const certExportSpec = { values: ['db', 'pw', 'type', 'label', 'target', 'target_pw', 'target_type', 'encryption'], switches: ['stashed'] } as const;
/** Without -label, every entry: an IHS script rebuilds a .kdb with
 * `-cert -export -db $KDB -stashed -target temp.kdb` (cli/RUNMQAKM.md §2.3). */
export async function certExport(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const result = await api.exportEntry({
    store: storeRefFrom(parsed),
    label: parsed.values.get('label'),
    target: required(parsed, 'target'),
    targetPassword: requiredPassword(parsed, 'target_pw'),
    targetFormat: targetFormat(parsed.values.get('target_type')),
  });
  result.notes.forEach((n) => out(n));
}

export const certImportSpec = {
  values: ['db', 'pw', 'type', 'label', 'target', 'target_pw', 'target_type', 'new_label', 'file', 'keyfile', 'key_pw', 'default_cert'],
  switches: ['stashed', 'target_stashed', ...changeSwitches],
} as const;

/**
 * runmqakm's form copies entries from a source store, given as -file (IBM's MQ container:
 * `-cert -import -file default.p12 -pw P -target key.kdb -target_pw P -target_type cms`) or
 * -db; KeyDesk's -file CERT -keyfile KEY form makes a personal entry from separate files.
 *
 * Passwords: -pw (or -stashed) opens the source, -target_pw or -target_stashed the target.
 * Scripts also write -stashed for the target when -pw is the source's
 * (`-import -db secretkey.p12 -pw secret -target keystore.p12 -stashed`, cli/RUNMQAKM.md
 * §2.3): -stashed belongs to the target whenever the target has no credential of its own.
 */
export async function certImport(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  checkType(parsed, 'type');
  checkType(parsed, 'target_type');
  const stashedForTarget = parsed.switches.has('stashed') && !hasPassword(parsed, 'target_pw') && !parsed.switches.has('target_stashed');
  const targetStashed = parsed.switches.has('target_stashed') || stashedForTarget;
  if (hasPassword(parsed, 'target_pw') && targetStashed) throw usageError('-cert -import takes one of -target_pw, -target_pw:file or -target_stashed, not both');
  const store = { path: required(parsed, 'target'), ...(targetStashed ? { stashed: true } : { password: requiredPassword(parsed, 'target_pw') }), ...changeChoicesFrom(parsed) };
  const isDefault = defaultCertFrom(parsed);
  const file = parsed.values.get('file');
  const db = parsed.values.get('db');
  if (file !== undefined && db !== undefined) throw usageError('-cert -import takes its source as -file or -db, not both');
  if (parsed.values.has('keyfile')) {
    if (file === undefined) throw usageError('-cert -import -keyfile KEY needs -file CERT, the certificate that goes with the key');
    const result = await api.importKeyPair({ store, label: required(parsed, 'label'), certificateFile: file, keyFile: required(parsed, 'keyfile'), keyPassword: passwordFrom(parsed, 'key_pw'), isDefault });
    result.notes.forEach((n) => out(n));
    return;
  }
  const sourcePath = file ?? db;
  if (sourcePath === undefined) throw usageError('-cert -import needs the source: -file STORE (a PKCS#12, say) or -db STORE, or -file CERT -keyfile KEY');
  // The source's -stashed went to the target above; what is left of it is -pw and the rest.
  const sourceCredentials = sourceCredentialsFrom(parsed, stashedForTarget);
  const result = await api.importEntries({
    source: { path: sourcePath, ...sourceCredentials },
    label: parsed.values.get('label'),
    newLabel: parsed.values.get('new_label'),
    isDefault,
    store,
  });
  result.notes.forEach((n) => out(n));
}

/** Without any password for the source, the service still looks at the file: a
 * certificate file given in a store's place (`-import -type p12 -file member1.pem`, a real
 * IHS script) is then named as such, and a store without a password is refused there. */
function sourceCredentialsFrom(parsed: ParsedCommand, stashedForTarget: boolean): Credentials {
  const switches = new Set(parsed.switches);
  if (stashedForTarget) switches.delete('stashed');
  try {
    return credentialsFrom({ ...parsed, switches });
  } catch (e) {
    if (isKeyDeskError(e) && e.code === 'usage' && !hasPassword(parsed, 'pw')) return {};
    throw e;
  }
}

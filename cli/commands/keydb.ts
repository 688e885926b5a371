/**
 * `-keydb` commands: create, stashpw, changepw, convert — runmqakm's flags and meaning.
 * runmqakm prints nothing on success; KeyDesk prints only what the user should know
 * (files written, versions changed, entries left behind).
 */
import type { KeyDeskApi, FilesWritten, WritableFormat } from '../../core/api/contract';
import { expireDays, type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom, hasPassword, passwordFrom, requiredPassword } from '../password';
import { changeChoicesFrom, changeSwitches } from './cert-change';

type Out = (line: string) => void;

function formatOf(value: string | undefined, flag: string): WritableFormat {
  const v = (value ?? 'cms').toLowerCase();
  if (v === 'cms' || v === 'kdb') return 'cms';
  if (v === 'pkcs12' || v === 'p12') return 'pkcs12';
  if (v === 'jks' || v === 'jceks') return v;
  throw usageError(`-${flag} takes cms, pkcs12, jks or jceks, not "${value}"`);
}

function versionOf(parsed: ParsedCommand): 4 | 6 | undefined {
  const v = parsed.values.get('version');
  if (v === undefined) return undefined;
  if (v === '4' || v === '6') return Number(v) as 4 | 6;
  throw usageError(`-version takes 4 or 6, not "${v}"`);
}

function report(result: FilesWritten, out: Out): void {
  for (const note of result.notes) out(note);
}

const stashForm = (parsed: ParsedCommand) => (parsed.switches.has('v1stash') ? 'v1' : 'v2') as 'v1' | 'v2';

// -expire (a password lifetime in days) is accepted for runmqakm scripts; KeyDesk does not expire passwords.
export const keydbCreateSpec = { values: ['db', 'pw', 'type', 'version', 'expire'], switches: ['stash', 'v1stash'] } as const;
export async function keydbCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  expireDays(parsed, 'password');
  const format = formatOf(parsed.values.get('type'), 'type');
  const cmsVersion = versionOf(parsed);
  if (cmsVersion !== undefined && format !== 'cms') throw usageError('-version applies to -type cms only');
  report(
    await api.createStore({
      path: required(parsed, 'db'),
      password: requiredPassword(parsed, 'pw'),
      format,
      cmsVersion,
      stash: parsed.switches.has('stash') || parsed.switches.has('v1stash'),
      stashForm: stashForm(parsed),
    }),
    out,
  );
}

export const keydbStashSpec = { values: ['db', 'pw'], switches: ['v1stash', 'backup'] } as const;
export async function keydbStash(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  report(await api.stashPassword({ path: required(parsed, 'db'), password: requiredPassword(parsed, 'pw'), stashForm: stashForm(parsed), ...changeChoicesFrom(parsed) }), out);
}

export const keydbChangePasswordSpec = { values: ['db', 'pw', 'new_pw', 'expire'], switches: ['stashed', 'stash', 'v1stash', ...changeSwitches] } as const;
export async function keydbChangePassword(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  expireDays(parsed, 'password');
  report(
    await api.changePassword({
      path: required(parsed, 'db'),
      ...credentialsFrom(parsed),
      newPassword: requiredPassword(parsed, 'new_pw'),
      stash: parsed.switches.has('stash') || parsed.switches.has('v1stash'),
      stashForm: stashForm(parsed),
      ...changeChoicesFrom(parsed),
    }),
    out,
  );
}

export const keydbConvertSpec = { values: ['db', 'pw', 'new_db', 'new_pw', 'new_format', 'version', 'old_format'], switches: ['stashed', 'stash'] } as const;
export async function keydbConvert(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const credentials = credentialsFrom(parsed);
  // Without -new_pw the converted store keeps the password given with -pw.
  const newPassword = passwordFrom(parsed, 'new_pw') ?? credentials.password ?? requiredPassword(parsed, 'new_pw');
  report(
    await api.convertStore({
      path: required(parsed, 'db'),
      ...credentials,
      newPath: required(parsed, 'new_db'),
      newPassword,
      newFormat: formatOf(required(parsed, 'new_format'), 'new_format'),
      cmsVersion: versionOf(parsed),
      stash: parsed.switches.has('stash'),
    }),
    out,
  );
}

export const keydbRepairSpec = { values: ['db', 'target', 'pw'], switches: ['stashed'] } as const;
/** KeyDesk's own: write the original of a file an ASCII-mode transfer broke. The password
 * is optional here: only a format with a MAC or keyed digest needs it (to verify the
 * repair), and the service says so when it is missing. */
export async function keydbRepair(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const given = hasPassword(parsed, 'pw') || parsed.switches.has('stashed') || process.env.KEYDESK_PW !== undefined;
  report(await api.repairTransferDamage({ path: required(parsed, 'db'), target: required(parsed, 'target'), ...(given ? credentialsFrom(parsed) : {}) }), out);
}

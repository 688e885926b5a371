/**
 * `-keydb` commands: create, stashpw, changepw, convert, delete, expiry, list — runmqakm's
 * flags and meaning. runmqakm prints nothing on success; KeyDesk prints only what the user
 * should know (files written, versions changed, entries left behind).
 */
import type { KeyDeskApi, FilesWritten, WritableFormat } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { stashPathFor, stemOf } from '../../core/api/store-files';
import { readStash } from '../../core/formats/cms-stash';
import { systemIo } from '../../core/io/file-system';
import { readRegularFile } from '../../core/io/store-commit';
import { expireDays, type ParsedCommand, required, usageError } from '../arguments';
import { askAtTerminal, credentialsFrom, hasPassword, passwordFrom, requiredPassword } from '../password';
import { strongPasswordProblem } from '../strong-password';
import { changeChoicesFrom, changeSwitches } from './cert-change';

type Out = (line: string) => void;

function formatOf(value: string | undefined, flag: string): WritableFormat {
  const v = (value ?? 'cms').toLowerCase();
  if (v === 'cms' || v === 'kdb') return 'cms';
  if (v === 'pkcs12' || v === 'p12') return 'pkcs12';
  if (v === 'jks' || v === 'jceks') return v;
  throw usageError(`-${flag} takes cms, pkcs12, jks or jceks, not "${value}"`);
}

/** Without -type, the file name says what to make: `-keydb -create -db key.p12` is a
 * PKCS#12, as GSKit takes the type from the name (cli/RUNMQAKM.md §2.6, [inferred]); a
 * CMS database under a .p12 name would be unreadable to every other tool. */
function typeFromExtension(db: string | undefined): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(db ?? '')?.[1]?.toLowerCase();
  if (extension === 'p12' || extension === 'pfx') return 'pkcs12';
  if (extension === 'jks' || extension === 'jceks') return extension;
  return undefined;
}

/** -strong: the new password must meet runmqakm's rules, or nothing is written. */
function checkedStrong(parsed: ParsedCommand, password: string): string {
  if (!parsed.switches.has('strong')) return password;
  const problem = strongPasswordProblem(password);
  if (problem) throw new KeyDeskError('unsupported', `the new password does not meet -strong's rules: ${problem}; nothing was written.`);
  return password;
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

/** `-pqc true|false` (GSKit 8.0.55+: true writes a post-quantum keystore, false "the PBE-based
 * format, which is compatible with Strict FIPS mode", cli/RUNMQAKM.md §2.2, Db2 11.5 I17).
 * KeyDesk writes only the PBE-based format, so false is what it does anyway. */
function checkPqc(parsed: ParsedCommand): void {
  const pqc = parsed.values.get('pqc');
  if (pqc === undefined || /^false$/i.test(pqc)) return;
  if (/^true$/i.test(pqc)) {
    throw new KeyDeskError('unsupported', 'KeyDesk writes the PBE-based key database (what -pqc false asks for), not the post-quantum one of -pqc true; nothing was written.');
  }
  throw usageError(`-pqc takes true or false, not "${pqc}"`);
}

/**
 * The password of a new store: -pw or -pw:file, else typed at a terminal (twice: a typo
 * would lock the store), else KEYDESK_PW. `-prompt` (IHS's "convert old KDB" script:
 * `-keydb -create -db temp.kdb -stash -pqc false -prompt`, index file id 6940517128) asks
 * for it at the terminal, which is what a missing -pw does anyway.
 */
function newStorePassword(parsed: ParsedCommand): string {
  const prompt = parsed.switches.has('prompt');
  const given = passwordFrom(parsed, 'pw');
  if (given !== undefined) {
    if (prompt) throw usageError('give either -pw or -prompt, not both');
    return given;
  }
  const typed = askAtTerminal('pw', true);
  if (typed !== undefined) return typed;
  if (process.env.KEYDESK_PW !== undefined) return process.env.KEYDESK_PW;
  throw usageError(
    prompt
      ? '-prompt asks for the password at a terminal, and there is none here: give -pw, -pw:file or KEYDESK_PW'
      : `-${parsed.object} -${parsed.action} needs -pw, -pw:file or KEYDESK_PW`,
  );
}

// -expire (a password lifetime in days) is accepted for runmqakm scripts; KeyDesk does not expire passwords.
// -stashpw is -stash as mqsslsetup.sh spells it (`-keydb -create … -expire 1095 -stashpw`, index file id 38553416580).
export const keydbCreateSpec = {
  values: ['db', 'pw', 'type', 'version', 'expire', 'pqc'],
  switches: ['stash', 'stashpw', 'v1stash', 'prompt', 'populate', 'ibmcloudtrust', 'strong'],
} as const;
export async function keydbCreate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  expireDays(parsed, 'password');
  checkPqc(parsed);
  const format = formatOf(parsed.values.get('type') ?? typeFromExtension(parsed.values.get('db')), 'type');
  const cmsVersion = versionOf(parsed);
  if (cmsVersion !== undefined && format !== 'cms') throw usageError('-version applies to -type cms only');
  const populate = parsed.switches.has('populate');
  if (parsed.switches.has('ibmcloudtrust') && !populate) throw usageError('-ibmcloudtrust goes with -populate');
  const path = required(parsed, 'db');
  const password = checkedStrong(parsed, newStorePassword(parsed));
  report(
    await api.createStore({
      path,
      password,
      format,
      cmsVersion,
      stash: ['stash', 'stashpw', 'v1stash'].some((s) => parsed.switches.has(s)),
      stashForm: stashForm(parsed),
    }),
    out,
  );
  if (!populate) return;
  // A second change: the store exists (empty) if this one fails, as it would after a plain create.
  (await api.populateSigners({ store: { path, password } })).notes.forEach((n) => out(n));
  // GSKit's IBM Cloud list was not found (cli/RUNMQAKM.md §2.2 names -populate only).
  if (parsed.switches.has('ibmcloudtrust')) out('-ibmcloudtrust adds nothing more: KeyDesk has one list of well-known CAs (Mozilla\'s, as Node ships it), not GSKit\'s IBM Cloud list.');
}

// -type as IBM's MQ container passes it (`-keydb "-fips false" -stashpw -type cms`,
// ibm-messaging/mq-container internal/keystore/keystore.go L130): checked, and the file's
// content decides, as everywhere in KeyDesk.
export const keydbStashSpec = { values: ['db', 'pw', 'type'], switches: ['v1stash', 'backup'] } as const;
export async function keydbStash(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  if (parsed.values.has('type')) formatOf(parsed.values.get('type'), 'type');
  report(await api.stashPassword({ path: required(parsed, 'db'), password: requiredPassword(parsed, 'pw'), stashForm: stashForm(parsed), ...changeChoicesFrom(parsed) }), out);
}

export const keydbChangePasswordSpec = { values: ['db', 'pw', 'new_pw', 'expire'], switches: ['stashed', 'stash', 'v1stash', 'strong', ...changeSwitches] } as const;
export async function keydbChangePassword(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  expireDays(parsed, 'password');
  report(
    await api.changePassword({
      path: required(parsed, 'db'),
      ...credentialsFrom(parsed),
      newPassword: checkedStrong(parsed, requiredPassword(parsed, 'new_pw')),
      stash: parsed.switches.has('stash') || parsed.switches.has('v1stash'),
      stashForm: stashForm(parsed),
      ...changeChoicesFrom(parsed),
    }),
    out,
  );
}

/** Where runmqckm and gsk7cmd put a conversion given no -new_db or -target (index file ids
 * 3647142035, 8906250475, 36686106797, 26571314298: `-convert -db key.kdb -pw P -old_format cms
 * -new_format jks`; IBM's MQ lab: "convert an existing CMS keystore to a new JKS keystore …
 * The existing CMS database remains intact"). The file name is not shown anywhere:
 * beside the source, with its stem and the new format's usual extension [inferred]. */
const EXTENSIONS: Record<WritableFormat, string> = { cms: '.kdb', pkcs12: '.p12', jks: '.jks', jceks: '.jceks' };

/** The password in the source's stash, or undefined where there is none to read (the
 * conversion itself then says what is wrong with it). */
function stashedPassword(source: string): string | undefined {
  try {
    const bytes = readRegularFile(systemIo, stashPathFor(source), 'stash file');
    return bytes ? readStash(bytes) : undefined;
  } catch {
    return undefined;
  }
}

function convertTarget(parsed: ParsedCommand, source: string, format: WritableFormat): { path: string; named: boolean } {
  const newDb = parsed.values.get('new_db');
  const target = parsed.values.get('target');
  if (newDb !== undefined && target !== undefined && newDb !== target) throw usageError('-new_db and -target name the same file (the converted store); give one of them');
  const named = newDb ?? target;
  if (named !== undefined) return { path: named, named: true };
  const path = `${stemOf(source)}${EXTENSIONS[format]}`;
  if (path === source) throw usageError(`-keydb -convert needs -new_db (or -target): ${source} is already a ${format} file, and its converted copy would have its name`);
  return { path, named: false };
}

/**
 * Every spelling real scripts use: `-new_db F -new_format T` (IBM's), `-old_format F -target T
 * -new_format T -stash` (IHS/Liberty plug-in scripts, index file ids 67147000165, 4651375463;
 * ACE, 36900261733), `-type kdb|p12` for the source (Keyfactor's orchestrator), no target at
 * all (above), and `-v1stash` (G16). -old_format and -type are checked and otherwise left
 * to the file's content, which is what KeyDesk reads by: ACE converts a JDK's cacerts
 * "-old_format jks" that recent JDKs ship as PKCS#12.
 */
export const keydbConvertSpec = {
  values: ['db', 'pw', 'new_db', 'target', 'new_pw', 'new_format', 'version', 'old_format', 'type'],
  switches: ['stashed', 'stash', 'v1stash'],
} as const;
export async function keydbConvert(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  for (const flag of ['old_format', 'type']) if (parsed.values.has(flag)) formatOf(parsed.values.get(flag), flag);
  const credentials = credentialsFrom(parsed);
  const source = required(parsed, 'db');
  const newFormat = formatOf(required(parsed, 'new_format'), 'new_format');
  const target = convertTarget(parsed, source, newFormat);
  // Without -new_pw the converted store keeps the source's password, given or stashed.
  const newPassword = passwordFrom(parsed, 'new_pw') ?? credentials.password ?? stashedPassword(source) ?? requiredPassword(parsed, 'new_pw');
  const v1 = parsed.switches.has('v1stash');
  const converted = await api.convertStore({
    path: source,
    ...credentials,
    newPath: target.path,
    newPassword,
    newFormat,
    cmsVersion: versionOf(parsed),
    stash: parsed.switches.has('stash') || v1,
  });
  report(converted, out);
  if (!target.named) out(`wrote ${target.path} (no -new_db or -target given: the source's name with ${EXTENSIONS[newFormat]}).`);
  // The 129-byte form over the stash just written: a crash between the two leaves the
  // 193-byte one, which opens the store all the same.
  if (v1) report(await api.stashPassword({ path: target.path, password: newPassword, stashForm: 'v1' }), out);
}

/**
 * `-keydb -delete -db F (-pw P | -stashed)`: the store and its companion files, removed as
 * one change once the password opens it (Db2 HADR renewal article, index file id 4556818175;
 * GSKit guide "Delete a key database (-delete)", cli/RUNMQAKM.md §2.2). Prints nothing.
 */
export const keydbDeleteSpec = { values: ['db', 'pw', 'type'], switches: ['stashed', 'backup'] } as const;
export async function keydbDelete(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  if (parsed.values.has('type')) formatOf(parsed.values.get('type'), 'type');
  const deleted = await api.deleteStore({ path: required(parsed, 'db'), ...credentialsFrom(parsed), ...changeChoicesFrom(parsed) });
  deleted.notes.forEach((n) => out(n));
}

/**
 * `-keydb -expiry`: GSKit's password expiry, deprecated in GSKit 8. KeyDesk never expires a
 * password (-expire is accepted and not recorded), so it prints what scripts read as "no
 * expiry": `Password Expiry Time : 0`. Two parsers of the real output agree on that value:
 * mqsslsetup.sh takes `grep -i password | cut -d: -f2` equal to " 0" as no expiry (index file
 * id 38553416580), and an IBM certificate scanner takes `Password Expiry Time : <n>` with
 * n = 0 as none (index file id 6120885998; its dated form is cli/RUNMQAKM.md §3.4). The store
 * is opened first: a wrong password fails here as it does in GSKit.
 */
export const keydbExpirySpec = { values: ['db', 'pw', 'type'], switches: ['stashed'] } as const;
export async function keydbExpiry(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const view = await api.openStore({ path: required(parsed, 'db'), ...credentialsFrom(parsed), detail: 'labels' });
  await api.closeStore({ storeId: view.storeId });
  out('Password Expiry Time : 0');
}

const TYPE_LINES: Record<WritableFormat, string> = {
  cms: 'cms     GSKit CMS key database: .kdb with its .rdb, .crl and .sth (-type kdb too); version 6, or 4 with -version 4',
  pkcs12: 'pkcs12  PKCS#12: .p12 or .pfx (-type p12 too)',
  jks: 'jks     Java KeyStore: .jks',
  jceks: 'jceks   Java JCEKS: .jceks, which may hold secret keys',
};

/**
 * `-keydb -list`: "List currently-supported types of key database" (IBM I1); its output was
 * not found (cli/RUNMQAKM.md §8), so KeyDesk prints one type a line, the -type word first.
 * With -db it names that store's type, one word (as -type takes it), so a script can test
 * it: a Japanese IBM i note checks a keystore's format with `gsk8capicmd_64 -keydb -list -db
 * PATH -pw PW` (index file id 10037191094).
 */
export const keydbListSpec = { values: ['db', 'pw', 'type'], switches: ['stashed'] } as const;
export async function keydbList(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const path = parsed.values.get('db');
  if (path === undefined) {
    Object.values(TYPE_LINES).forEach((line) => out(line));
    return;
  }
  const view = await api.openStore({ path, ...credentialsFrom(parsed), detail: 'labels' });
  await api.closeStore({ storeId: view.storeId });
  out(view.format);
}

export const keydbRepairSpec = { values: ['db', 'target', 'pw'], switches: ['stashed'] } as const;
/** KeyDesk's own: write the original of a file an ASCII-mode transfer broke. The password
 * is optional here: only a format with a MAC or keyed digest needs it (to verify the
 * repair), and the service says so when it is missing. */
export async function keydbRepair(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const given = hasPassword(parsed, 'pw') || parsed.switches.has('stashed') || process.env.KEYDESK_PW !== undefined;
  report(await api.repairTransferDamage({ path: required(parsed, 'db'), target: required(parsed, 'target'), ...(given ? credentialsFrom(parsed) : {}) }), out);
}

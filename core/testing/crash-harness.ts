/**
 * Crash at every step of every change: the harness behind core/io/crash-*.test.ts.
 *
 * For one store and one change, it first runs the change without crashing and counts the
 * steps that touch the disk. Then, for each step N, on a fresh copy of the store, it runs
 * the change with a file system that crashes at step N (core/testing/crash-io.ts), and
 * opens the store again as a new process would. The store must open, with one password
 * (the old or the new one) that its stash holds too, and hold exactly the entries from
 * before the change or those after it; nothing of the crashed save may be left over.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from '../api/service';
import { loadStore } from '../api/store-files';
import { readCmsStore } from '../formats/cms';
import { readStash } from '../formats/cms-stash';
import type { StoreIo } from '../io/file-system';
import type { WritableFormat } from '../api/contract';
import { isKeyDeskError } from '../errors';
import { crashingIo, SimulatedCrash } from './crash-io';
import { buildV3Files, type V3Record } from './cms-v3-builder';

export const OLD_PW = 'Old-pass1';
export const NEW_PW = 'New-pass2';

/** The prepared store: path inside `dir`, with a personal certificate ("qm1"), a signer
 * ("partner ca", the CA of `signed`), a pending request ("renewal") and a stash. */
export interface PreparedStore {
  dir: string;
  path: string;
  format: WritableFormat;
  /** A certificate for Add. */
  addFile: string;
  /** The CA's answer to the pending request, for Receive. */
  signedFile: string;
}

export type ChangeKind = 'add' | 'create' | 'delete' | 'rename' | 'receive' | 'changepw' | 'stashpw' | 'convert';
export const CHANGE_KINDS: ChangeKind[] = ['add', 'create', 'delete', 'rename', 'receive', 'changepw', 'stashpw', 'convert'];

const extension: Record<WritableFormat, string> = { cms: 'kdb', pkcs12: 'p12', jks: 'jks', jceks: 'jceks' };

/** Builds the store with KeyDesk itself (EC keys: fast, and every format holds them). */
export async function prepareStore(dir: string, format: WritableFormat, cmsVersion?: 4 | 6): Promise<PreparedStore> {
  mkdirSync(dir, { recursive: true });
  const api = new KeyDeskService();
  const path = join(dir, `key.${extension[format]}`);
  const ca = join(dir, 'ca.p12');
  const ec = { size: 256, sigAlg: 'EC_ecdsa_with_SHA256' };
  await api.createStore({ path: ca, password: 'ca-pw', format: 'pkcs12' });
  await api.createSelfSigned({ store: { path: ca, password: 'ca-pw' }, label: 'partner ca', dn: 'CN=Partner CA,O=Crash', ca: true, ...ec });
  await api.createSelfSigned({ store: { path: ca, password: 'ca-pw' }, label: 'other', dn: 'CN=Other,O=Crash', ...ec });
  const caFile = join(dir, 'partner-ca.pem');
  await api.extractCertificate({ store: { path: ca, password: 'ca-pw' }, label: 'partner ca', target: caFile, format: 'ascii' });
  const addFile = join(dir, 'other.pem');
  await api.extractCertificate({ store: { path: ca, password: 'ca-pw' }, label: 'other', target: addFile, format: 'ascii' });

  await api.createStore({ path, password: OLD_PW, format, cmsVersion, stash: true });
  const store = { path, password: OLD_PW };
  await api.createSelfSigned({ store, label: 'qm1', dn: 'CN=QM1,O=Crash', ...ec });
  await api.addCertificate({ store, label: 'partner ca', file: caFile });
  const csr = join(dir, 'renewal.csr');
  await api.createRequest({ store, label: 'renewal', dn: 'CN=Renewal,O=Crash', target: csr, ...ec });
  const signedFile = join(dir, 'renewal.pem');
  await api.signRequest({ store: { path: ca, password: 'ca-pw' }, caLabel: 'partner ca', file: csr, target: signedFile });
  return { dir, path, format, addFile, signedFile };
}

/**
 * The same store as a version-3 database (.kdb, .rdb and .sth, as the native v3 sample
 * has them): KeyDesk never writes version 3, so the records are rebuilt by the test
 * builder from what KeyDesk made. A change saves it as version 4.
 */
export async function prepareV3Store(dir: string): Promise<PreparedStore> {
  const prepared = await prepareStore(dir, 'cms', 6);
  const { store } = loadStore(prepared.path, { password: OLD_PW });
  const records: V3Record[] = store.entries.map((e) => {
    if (e.kind === 'personal') return { kind: 'personal', label: e.label, certificate: e.chain[0]!, privateKey: e.privateKey };
    if (e.kind === 'signer') return { kind: 'signer', label: e.label, certificate: e.certificate };
    if (e.kind === 'request') return { kind: 'request', label: e.label, csr: e.csr, privateKey: e.privateKey };
    throw new Error(`no v3 record for a ${e.kind} entry`);
  });
  const v3 = buildV3Files(records, OLD_PW);
  writeFileSync(prepared.path, v3.kdb.bytes);
  writeFileSync(join(dir, 'key.rdb'), v3.rdb.bytes);
  rmSync(join(dir, 'key.crl'));
  return prepared;
}

const otherFormat: Record<WritableFormat, WritableFormat> = { cms: 'pkcs12', pkcs12: 'jks', jks: 'jceks', jceks: 'cms' };
const convertedPath = (s: PreparedStore) => join(s.dir, `converted.${extension[otherFormat[s.format]]}`);

async function runChange(api: KeyDeskService, s: PreparedStore, kind: ChangeKind): Promise<unknown> {
  const store = { path: s.path, password: OLD_PW };
  switch (kind) {
    case 'add':
      return api.addCertificate({ store, label: 'added', file: s.addFile });
    case 'create':
      return api.createSelfSigned({ store, label: 'fresh', dn: 'CN=Fresh,O=Crash', size: 256, sigAlg: 'EC_ecdsa_with_SHA256' });
    case 'delete':
      return api.deleteEntry({ store, label: 'qm1' });
    case 'rename':
      return api.renameEntry({ store, label: 'partner ca', newLabel: 'partner root' });
    case 'receive':
      return api.receiveCertificate({ store, file: s.signedFile });
    case 'changepw':
      return api.changePassword({ path: s.path, password: OLD_PW, newPassword: NEW_PW });
    case 'stashpw':
      return api.stashPassword({ path: s.path, password: OLD_PW });
    case 'convert':
      return api.convertStore({ path: s.path, password: OLD_PW, newPath: convertedPath(s), newPassword: NEW_PW, newFormat: otherFormat[s.format], stash: true });
  }
}

/** What a user would compare: every entry's kind, label, certificate and key presence.
 * ("fresh" is made anew by each run of Create, so its certificate differs every time.) */
async function contents(path: string, credentials: { password?: string; stashed?: boolean }): Promise<string> {
  const api = new KeyDeskService();
  const view = await api.openStore({ path, ...credentials });
  return view.entries
    .map((e) => `${e.kind}:${e.label}:${e.label === 'fresh' ? e.subject : e.sha256 ?? ''}:${e.hasPrivateKey}`)
    .sort()
    .join('\n');
}

/** The store's password and contents, which must be the same through its stash. */
async function stateOf(path: string): Promise<{ password: string; contents: string } | { error: string }> {
  const attempts: string[] = [];
  for (const password of [OLD_PW, NEW_PW]) {
    try {
      const withPassword = await contents(path, { password });
      const withStash = await contents(path, { stashed: true });
      if (withStash !== withPassword) return { error: `the stash opens other contents than the password ${password}` };
      return { password, contents: withPassword };
    } catch (e) {
      if (!isKeyDeskError(e)) throw e;
      attempts.push(`${password}: ${e.message}`);
    }
  }
  return { error: `opens with neither password (${attempts.join('; ')})` };
}

/** Names a crashed save may leave, which the next open must have removed. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.keydesk-') || n.endsWith('.tmp') || n.endsWith('.bak'));
}

/** A copy of the prepared store's folder, with its paths. */
function copyPrepared(prepared: PreparedStore, dir: string): PreparedStore {
  cpSync(prepared.dir, dir, { recursive: true });
  const relocate = (p: string) => join(dir, p.slice(prepared.dir.length + 1));
  return { ...prepared, dir, path: relocate(prepared.path), addFile: relocate(prepared.addFile), signedFile: relocate(prepared.signedFile) };
}

export interface CrashReport {
  steps: number;
  /** One line per step that broke the rule (empty when every step was safe). */
  failures: string[];
  /** How many crashes left the old state and how many the new one. */
  old: number;
  new: number;
}

/**
 * Crashes `kind` at every one of its steps on copies of `prepared`, checking each
 * aftermath. `powerLoss` also drops data not yet fsynced at the crash.
 */
export async function crashAtEveryStep(prepared: PreparedStore, kind: ChangeKind, work: string, options: { powerLoss?: boolean } = {}): Promise<CrashReport> {
  const fresh = (name: string) => copyPrepared(prepared, join(work, name));
  const target = (s: PreparedStore) => (kind === 'convert' ? convertedPath(s) : s.path);

  const before = await stateOf(prepared.path);
  const counting = crashingIo(Infinity);
  const done = fresh('uncrashed');
  await runChange(new KeyDeskService(counting.io), done, kind);
  const after = await stateOf(target(done));
  if ('error' in before || 'error' in after) throw new Error(`the change itself does not work: ${JSON.stringify({ before, after })}`);

  const report: CrashReport = { steps: counting.steps(), failures: [], old: 0, new: 0 };
  for (let step = 1; step <= counting.steps(); step++) {
    const copy = fresh(`crash-${step}`);
    const crash = crashingIo(step, options);
    try {
      await runChange(new KeyDeskService(crash.io), copy, kind);
      report.failures.push(`step ${step}: the change finished without reaching its crash`);
      continue;
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) {
        report.failures.push(`step ${step} (${crash.log.at(-1)}): failed with ${(e as Error).message} instead of crashing`);
        continue;
      }
    }
    const where = `step ${step} of ${counting.steps()} (${crash.log.at(-1)?.replaceAll(copy.dir + '/', '')})`;
    if (kind === 'convert') {
      // The source is never touched; the new store exists whole or not at all.
      const source = await stateOf(copy.path);
      if ('error' in source || source.contents !== (before as { contents: string }).contents) report.failures.push(`${where}: the source store changed`);
    }
    const targetPath = target(copy);
    const state = await stateOf(targetPath).catch((e: Error) => ({ error: e.message }));
    if (kind === 'convert' && 'error' in state && !readdirSync(copy.dir).some((n) => n.startsWith('converted.'))) {
      report.old++;
    } else if ('error' in state) {
      report.failures.push(`${where}: ${state.error}`);
    } else if (kind !== 'convert' && state.password === before.password && state.contents === before.contents) {
      report.old++;
    } else if (state.password === after.password && state.contents === after.contents) {
      report.new++;
    } else {
      report.failures.push(`${where}: the store holds neither the old nor the new state (password ${state.password}):\n${state.contents}`);
    }
    const left = leftovers(copy.dir);
    if (left.length > 0) report.failures.push(`${where}: left behind after reopening: ${left.join(', ')}`);
  }
  return report;
}

/** The 1-based step at which `log` shows `what` happening. */
function stepWhere(log: string[], what: (line: string) => boolean): number {
  const i = log.findIndex(what);
  if (i < 0) throw new Error(`no such step in:\n${log.join('\n')}`);
  return i + 1;
}

/**
 * Why the journal matters: crashes a password change right after the .kdb was renamed
 * into place, and looks at the raw files (as GSKit would) before any KeyDesk open; then
 * opens it with KeyDesk, which completes the change.
 */
export async function crashSelfTest(prepared: PreparedStore, work: string): Promise<{ rawMix: boolean; afterOpen: { password: string; stashAgrees: boolean } | { error: string } }> {
  const probe = crashingIo(Infinity);
  await runChange(new KeyDeskService(probe.io), copyPrepared(prepared, join(work, 'probe')), 'changepw');
  const kdbRenamed = stepWhere(probe.log, (l) => l.startsWith('rename ') && l.endsWith(' -> ' + join(work, 'probe', 'key.kdb')));
  const copy = copyPrepared(prepared, join(work, 'crashed'));
  await runChange(new KeyDeskService(crashingIo(kdbRenamed + 1).io), copy, 'changepw').catch((e) => {
    if (!(e instanceof SimulatedCrash)) throw e;
  });
  const stash = readStash(readFileSync(join(copy.dir, 'key.sth')));
  let kdbNew = false;
  try {
    readCmsStore({ kdb: readFileSync(copy.path) }, NEW_PW);
    kdbNew = true;
  } catch {
    // still the old one
  }
  const state = await stateOf(copy.path);
  return { rawMix: kdbNew && stash === OLD_PW, afterOpen: 'error' in state ? state : { password: state.password, stashAgrees: true } };
}

/**
 * Crashes a password change just after its commit point, then crashes the next open's
 * completion of it at every one of that completion's steps; a final open must still
 * give the new store, whole. Returns the steps that broke the rule.
 */
export async function crashDuringRecovery(prepared: PreparedStore, work: string): Promise<string[]> {
  const probe = crashingIo(Infinity);
  await runChange(new KeyDeskService(probe.io), copyPrepared(prepared, join(work, 'probe')), 'changepw');
  const committed = stepWhere(probe.log, (l) => l.startsWith('rename ') && l.endsWith('.keydesk-journal'));
  const after = await stateOf(join(work, 'probe', 'key.kdb'));
  const crashed = copyPrepared(prepared, join(work, 'crashed'));
  await runChange(new KeyDeskService(crashingIo(committed + 1).io), crashed, 'changepw').catch((e) => {
    if (!(e instanceof SimulatedCrash)) throw e;
  });
  const open = (io: StoreIo, path: string) => loadStore(path, { password: NEW_PW }, { io });
  const counting = crashingIo(Infinity);
  open(counting.io, copyPrepared(crashed, join(work, 'count')).path);
  const failures: string[] = [];
  if (counting.steps() === 0) failures.push('opening did not complete the interrupted change');
  for (let step = 1; step <= counting.steps(); step++) {
    const copy = copyPrepared(crashed, join(work, `recover-${step}`));
    const crash = crashingIo(step);
    try {
      open(crash.io, copy.path);
      failures.push(`recovery step ${step}: finished without reaching its crash`);
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) failures.push(`recovery step ${step}: ${(e as Error).message}`);
    }
    const state = await stateOf(copy.path);
    if (JSON.stringify(state) !== JSON.stringify(after)) failures.push(`recovery step ${step} (${crash.log.at(-1)}): ${JSON.stringify(state)}`);
    const left = leftovers(copy.dir);
    if (left.length > 0) failures.push(`recovery step ${step}: left behind: ${left.join(', ')}`);
  }
  return failures;
}

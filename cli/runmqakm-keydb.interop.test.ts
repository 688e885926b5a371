/**
 * Issue 14, -keydb and friends as runmqakm scripts use them: the default certificate
 * (-cert -setdefault / -getdefault, and where a CMS record keeps it), -keydb -expiry,
 * -list, -delete, -stashpw -type, -create's other flags, -keydb -convert in every
 * spelling, and -random -create. Each form names its source: a section of
 * cli/RUNMQAKM.md, an index file id from the research, or an entry of
 * cli/testing/real-command-lines.json (#N, its position there), whose argv runs unchanged
 * but for its paths, which are moved into a temporary folder.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KeyDeskService } from '../core/api/service';
import { loadStore } from '../core/api/store-files';
import { readCmsStore, writeCmsStore, type CmsFiles } from '../core/formats/cms';
import { readStash } from '../core/formats/cms-stash';
import type { PersonalEntry } from '../core/model/key-store';
import { isKeyDeskError } from '../core/errors';
import { crashingIo, SimulatedCrash } from '../core/testing/crash-io';
import { leftovers, OLD_PW, prepareStore } from '../core/testing/crash-harness';
import { hasTool, haveKdbFixtures, kdbFixturesDir, kdbcheckPath, makeTempDir } from '../core/testing/peer-tools';
import { randomPassword } from './commands/random';
import { cli, notesOf, ok, okNotes } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
let folders = 0;
/** A fresh folder per test: each real script assumes it owns its paths. */
const folder = () => {
  const dir = join(temp.dir, `t${++folders}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const api = new KeyDeskService();
const ec = { size: 256, sigAlg: 'EC_ecdsa_with_SHA256' };

async function newStore(path: string, password: string, format: 'cms' | 'pkcs12' | 'jks' = 'cms', personal: string[] = []): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await api.createStore({ path, password, format, stash: true });
  for (const label of personal) await api.createSelfSigned({ store: { path, password }, label, dn: `CN=${label.replace(/[=,]/g, '-')},O=KeyDesk test`, ...ec });
}

async function listed(path: string, ...credentials: string[]): Promise<{ label: string; kind: string; isDefault?: boolean }[]> {
  return JSON.parse(await ok('-cert', '-list', '-db', path, ...credentials, '-json')).entries;
}
const defaults = async (path: string, ...credentials: string[]) => (await listed(path, ...credentials)).filter((e) => e.isDefault).map((e) => e.label);

const haveScript = spawnSync('script', ['--version']).error === undefined;

/** Runs the bundled CLI under script(1), typing each of `answers` when a password prompt shows. */
function atTerminal(launcher: string, args: string[], answers: string[]): Promise<string> {
  return new Promise((done) => {
    const command = [process.execPath, launcher, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    let asked = 0;
    const left = [...answers];
    child.stdout.on('data', (c: Buffer) => {
      seen += c.toString();
      const prompts = seen.match(/password : /g)?.length ?? 0;
      while (asked < prompts && left.length > 0) {
        asked++;
        child.stdin.write(`${left.shift()}\n`);
      }
    });
    child.on('exit', () => done(seen));
  });
}

// ---------------------------------------------------------------------------------------
// Real command lines

interface RealLine {
  tool: string;
  argv: string[];
  source: string;
}
const realLines = JSON.parse(readFileSync(resolve(__dirname, 'testing/real-command-lines.json'), 'utf8')) as RealLine[];

/** Flags whose value is a file: moved under `dir` (an absolute or Windows path keeps its
 * folders below the root, so /var/mqm/x.kdb becomes DIR/var/mqm/x.kdb). */
const PATH_FLAGS = new Set(['-db', '-target', '-new_db', '-file']);
function relocate(value: string, dir: string): string {
  const path = join(dir, value.replace(/^[A-Za-z]:\\/, '').replace(/\\/g, '/').replace(/^\/+/, ''));
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
/** Line #n of real-command-lines.json, its paths under `dir`, everything else as written. */
function real(n: number, dir: string): string[] {
  const { argv } = realLines[n]!;
  return argv.map((a, i) => (i > 0 && PATH_FLAGS.has(argv[i - 1]!.toLowerCase()) && a !== '' ? relocate(a, dir) : a));
}
/** Where line #n's `flag` points, under `dir`. */
function pathOf(n: number, flag: string, dir: string): string {
  const argv = real(n, dir);
  return argv[argv.indexOf(flag) + 1]!;
}

// ---------------------------------------------------------------------------------------
// The default certificate in a CMS record

const haveChecker = existsSync(kdbcheckPath) && hasTool('python3');
const fixture = (name: string) => new Uint8Array(readFileSync(join(kdbFixturesDir, name)));
const headerEnd = (kdb: Uint8Array) => 0x30 + 2 * (kdb[2] === 4 ? 20 : 48);
/** Bytes outside the header (salt, verifier, MAC) that differ: [offset, old, new]. */
function differences(a: Uint8Array, b: Uint8Array): number[][] {
  expect(b.length).toBe(a.length);
  const out: number[][] = [];
  for (let i = headerEnd(a); i < a.length; i++) if (a[i] !== b[i]) out.push([i, a[i]!, b[i]!]);
  return out;
}

describe.skipIf(!haveKdbFixtures)('the default certificate in GSKit\'s record flags (bit 1; inferred, core/formats/cms.ts)', () => {
  for (const stem of ['gsk-v6-chained', 'gsk-v6-mixed']) {
    it(`${stem}: untouched records come back byte for byte; marking one changes its flags 07 80 to 06 C0 and nothing else; clearing gives GSKit's file back`, () => {
      const files: CmsFiles = { kdb: fixture(`${stem}.kdb`) };
      const password = readStash(fixture(`${stem}.sth`));
      const store = readCmsStore(files, password);
      const personal = store.entries.filter((e): e is PersonalEntry => e.kind === 'personal');
      expect(personal.length).toBeGreaterThan(0);
      expect(personal.every((e) => e.isDefault === undefined)).toBe(true);
      expect(Buffer.from(writeCmsStore(store, password).kdb).equals(Buffer.from(files.kdb))).toBe(true);

      const target = personal[0]!;
      const marked = writeCmsStore({ ...store, entries: store.entries.map((e) => (e === target ? { ...target, isDefault: true } : e)) }, password).kdb;
      const changed = differences(files.kdb, marked);
      expect(changed.map(([, from, to]) => [from, to])).toEqual([
        [0x07, 0x06],
        [0x80, 0xc0],
      ]);
      expect(changed[1]![0]! - changed[0]![0]!).toBe(1);
      const reread = readCmsStore({ kdb: marked }, password);
      expect(reread.entries.filter((e) => e.kind === 'personal' && e.isDefault).map((e) => e.label)).toEqual([target.label]);

      const cleared = writeCmsStore({ ...reread, entries: reread.entries.map((e) => (e.kind === 'personal' ? { ...e, isDefault: undefined } : e)) }, password).kdb;
      expect(Buffer.from(cleared).equals(Buffer.from(files.kdb))).toBe(true);
    });
  }
});

describe('-cert -setdefault and -cert -getdefault (cli/RUNMQAKM.md §2.3; §3.1 shows `*-` for the default)', () => {
  it('marks one personal certificate, clears the one marked before, and keeps the mark through other changes', async () => {
    const db = join(folder(), 'key.kdb');
    await newStore(db, 'Passw0rd!', 'cms', ['first', 'second']);
    expect(await okNotes('-cert', '-setdefault', '-label', 'first', '-db', db, '-stashed')).toBe('');
    expect(await defaults(db, '-stashed')).toEqual(['first']);
    expect(await okNotes('-cert', '-setdefault', '-label', 'SECOND', '-db', db, '-stashed')).toMatch(/"second" is now the default certificate, in place of "first"/);
    expect(await defaults(db, '-stashed')).toEqual(['second']);
    // A password change re-encrypts every key: the mark stays with its record.
    await ok('-keydb', '-changepw', '-db', db, '-stashed', '-new_pw', 'N3w-passw0rd');
    await ok('-cert', '-rename', '-label', 'second', '-new_label', 'renamed', '-db', db, '-stashed');
    expect(await defaults(db, '-stashed')).toEqual(['renamed']);
  });

  it.skipIf(!haveChecker)('a store with a default passes kdbcheck.py, its record carrying flags 03 02 06 C0', async () => {
    const db = join(folder(), 'key.kdb');
    await newStore(db, 'Passw0rd!', 'cms', ['qm1', 'other']);
    await ok('-cert', '-setdefault', '-label', 'qm1', '-db', db, '-pw', 'Passw0rd!');
    const run = spawnSync('python3', [kdbcheckPath, db, '--pw', 'Passw0rd!'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { ok: boolean; records: { label: string; flags: string }[] };
    expect({ status: run.status, ok: report.ok }).toEqual({ status: 0, ok: true });
    expect(report.records.map((r) => [r.label, r.flags.slice(-8)])).toEqual([
      ['qm1', '030206c0'],
      ['other', '03020780'],
    ]);
  });

  it('refuses a signer, a missing label, and says "already" without changing the file', async () => {
    const dir = folder();
    const db = join(dir, 'key.kdb');
    await newStore(db, 'Passw0rd!', 'cms', ['qm1']);
    await newStore(join(dir, 'ca.p12'), 'Passw0rd!', 'pkcs12', ['ca']);
    await api.extractCertificate({ store: { path: join(dir, 'ca.p12'), password: 'Passw0rd!' }, label: 'ca', target: join(dir, 'ca.pem'), format: 'ascii' });
    await api.addCertificate({ store: { path: db, password: 'Passw0rd!' }, label: 'a signer', file: join(dir, 'ca.pem') });
    const signer = await cli('-cert', '-setdefault', '-label', 'a signer', '-db', db, '-stashed');
    // Exit 2, as -cert -modify -trust on a personal certificate: the wrong kind of entry for the command.
    expect(signer.code).toBe(2);
    expect(signer.err).toMatch(/"a signer" is not a personal certificate/);
    expect((await cli('-cert', '-setdefault', '-label', 'nope', '-db', db, '-stashed')).err).toMatch(/no entry labelled "nope"/);
    await ok('-cert', '-setdefault', '-label', 'qm1', '-db', db, '-stashed');
    const before = readFileSync(db);
    expect(await okNotes('-cert', '-setdefault', '-label', 'qm1', '-db', db, '-stashed')).toMatch(/already the default certificate; nothing changed/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('-getdefault prints -cert -details of the default (IBM IHS scanner, index file id 6600609124, reads both with one parser)', async () => {
    const db = join(folder(), 'key.kdb');
    await newStore(db, 'Passw0rd!', 'cms', ['first', 'second']);
    await ok('-cert', '-setdefault', '-label', 'second', '-db', db, '-stashed');
    const shown = await ok('-cert', '-getdefault', '-db', db, '-stashed');
    expect(shown).toBe(await ok('-cert', '-details', '-label', 'second', '-db', db, '-stashed'));
    expect(shown.split('\n')[0]).toBe('Label : second');
    expect(JSON.parse(await ok('-cert', '-getdefault', '-db', db, '-stashed', '-json'))).toMatchObject({ label: 'second', isDefault: true });
  });

  it('-getdefault with no default fails in one line (exit 1): a script reading details must not take nothing for a certificate', async () => {
    const db = join(folder(), 'key.kdb');
    await newStore(db, 'Passw0rd!', 'cms', ['first']);
    const none = await cli('-cert', '-getdefault', '-db', db, '-stashed');
    expect(none).toMatchObject({ code: 1, out: '' });
    expect(none.err).toMatch(/has no default certificate \(set one with -cert -setdefault -label LABEL\)\.$/);
    expect(none.err.split('\n')).toHaveLength(1);
  });

  for (const format of ['pkcs12', 'jks'] as const) {
    it(`${format}: no place for a default, so -setdefault succeeds only for the only personal certificate (saying so), and is refused with two`, async () => {
      const db = join(folder(), format === 'jks' ? 'key.jks' : 'key.p12');
      await newStore(db, 'Passw0rd!', format, ['only']);
      expect(await okNotes('-cert', '-setdefault', '-label', 'only', '-db', db, '-pw', 'Passw0rd!')).toMatch(/records no default certificate; "only" is its only personal certificate/);
      expect((await ok('-cert', '-getdefault', '-db', db, '-pw', 'Passw0rd!')).split('\n')[0]).toBe('Label : only');
      await api.createSelfSigned({ store: { path: db, password: 'Passw0rd!' }, label: 'second', dn: 'CN=Second', ...ec });
      const before = readFileSync(db);
      const refused = await cli('-cert', '-setdefault', '-label', 'only', '-db', db, '-pw', 'Passw0rd!');
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/has no default certificate, and this one holds 2 personal certificates/);
      expect(readFileSync(db).equals(before)).toBe(true);
      expect((await cli('-cert', '-getdefault', '-db', db, '-pw', 'Passw0rd!')).err).toMatch(/records none, and this one holds 2 personal certificates/);
    });
  }

  // Every -cert -setdefault / -getdefault line of real-command-lines.json, unchanged but for
  // its paths; the store and the labelled certificate an earlier step of the script made
  // are made here.
  const setDefaultLines: [number, string, string][] = [
    // [#, password (its -pw, or the stash's), label]
    [90, 'NewPass1', 'www.example.com'], // sharptree/letsencrypt-ihs letsencrypt-ihs.sh, gskcmd
    [123, 'stashed-pw', 'portail.laposte.fr'], // WebSEAL guide, index file id 57943786667, -stashed
    [132, 'Liberty26ctrl!', 'default'], // Liberty dynamic routing, index file id 67147000165
    [134, 'webAS', 'default'], // IHS + Liberty container, index file id 4651375463
    [142, 'A-very-secret-password', 'CN=*.martdj.nl'], // blog.martdj.nl, index file id 44226898552
    [149, 'db2test', 'localhost'], // Db2 container, index file id 53029670473
  ];
  for (const [n, password, label] of setDefaultLines) {
    it(`real-command-lines.json #${n} (${realLines[n]!.source.split(' ')[0]}): ${realLines[n]!.argv.join(' ')}`, async () => {
      const dir = folder();
      const db = pathOf(n, '-db', dir);
      await newStore(db, password, 'cms', ['other', label]);
      const run = await cli(...real(n, dir));
      expect({ code: run.code, out: run.out, err: run.err.split('\n').filter((l) => l && !notesOf(run).includes(l)) }).toEqual({ code: 0, out: '', err: [] });
      expect(await defaults(db, '-stashed')).toEqual([label]);
      // The `*-` line scripts grep for (covener list_expiry.sh `grep \*`; IBM's container `HasPrefix "*-"`).
      expect(await ok('-cert', '-list', '-db', db, '-stashed')).toContain(`*-\t${label.includes(' ') ? `"${label}"` : label}`);
    });
  }

  it('real-command-lines.json #171 (ikeycmd notes, index file id 34718861309): -cert -getdefault -db … -pw secportal#1', async () => {
    const dir = folder();
    const db = pathOf(171, '-db', dir);
    await newStore(db, 'secportal#1', 'cms', ['portal']);
    await api.setDefaultCertificate({ store: { path: db, password: 'secportal#1' }, label: 'portal' });
    expect((await ok(...real(171, dir))).split('\n')[0]).toBe('Label : portal');
  });
});

// ---------------------------------------------------------------------------------------
// -keydb -expiry, -list, -delete

describe('-keydb -expiry (deprecated in GSKit 8; cli/RUNMQAKM.md §3.4)', () => {
  it('real-command-lines.json #110 (mqsslsetup.sh menu 16): prints the "no expiry" line its parser reads as " 0"', async () => {
    const dir = folder();
    await newStore(pathOf(110, '-db', dir), 'password');
    const out = await ok(...real(110, dir));
    expect(out).toBe('Password Expiry Time : 0');
    // mqsslsetup.sh: `grep -i "password" | cut -d':' -f2`, then `[[ ${erg_str} == " 0" ]]`.
    expect(out.split('\n').filter((l) => /password/i.test(l)).map((l) => l.split(':')[1])).toEqual([' 0']);
    // The IBM scanner (index file id 6120885998): `(?:Validity|Password\s+Expiry\s+Time\s+):\s+(\d)+`, 0 = none.
    expect(/(?:Validity|Password\s+Expiry\s+Time\s+):\s+(\d)+/ism.exec(out)?.[1]).toBe('0');
  });

  it('opens the store first: a wrong password fails as in GSKit, and -expire given at create changes nothing', async () => {
    const db = join(folder(), 'key.p12');
    await ok('-keydb', '-create', '-db', db, '-pw', 'Passw0rd!', '-type', 'pkcs12', '-expire', '365');
    expect(await ok('-keydb', '-expiry', '-db', db, '-pw', 'Passw0rd!')).toBe('Password Expiry Time : 0');
    const wrong = await cli('-keydb', '-expiry', '-db', db, '-pw', 'wrong');
    expect(wrong).toMatchObject({ code: 1, out: '' });
    expect(wrong.err).toMatch(/the password is wrong/);
  });
});

describe('-keydb -list ("List currently-supported types of key database", IBM I1; output not found, §8)', () => {
  it('without -db: one type a line, the -type word first', async () => {
    const lines = (await ok('-keydb', '-list')).split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['cms', 'pkcs12', 'jks', 'jceks']);
  });

  it('with -db: that store\'s type, one word (an IBM i note checks a format with -keydb -list -db -pw, index file id 10037191094)', async () => {
    const dir = folder();
    await newStore(join(dir, 'a.kdb'), 'Passw0rd!');
    await newStore(join(dir, 'b.p12'), 'Passw0rd!', 'pkcs12');
    expect(await ok('-keydb', '-list', '-db', join(dir, 'a.kdb'), '-stashed')).toBe('cms');
    expect(await ok('-keydb', '-list', '-db', join(dir, 'b.p12'), '-pw', 'Passw0rd!')).toBe('pkcs12');
    expect((await cli('-keydb', '-list', '-db', join(dir, 'b.p12'), '-pw', 'nope')).code).toBe(1);
  });
});

describe('-keydb -delete (GSKit guide "Delete a key database (-delete)", §2.2)', () => {
  const storeFiles = (dir: string, stem: string) => readdirSync(dir).filter((n) => n === stem || n.startsWith(`${stem}.`) || n.startsWith(`.${stem}.`)).sort();

  it('real-command-lines.json #180 (Db2 HADR article, index file id 4556818175): removes the .kdb, .rdb, .crl and .sth, and leaves no lock or journal', async () => {
    const dir = folder();
    const db = pathOf(180, '-db', dir);
    await newStore(db, 'xxxxxx', 'cms', ['Primaryselfsigned']);
    const home = dirname(db);
    writeFileSync(join(home, 'Primarydb.arm'), 'not part of the store');
    expect(storeFiles(home, 'Primarydb')).toEqual(['Primarydb.arm', 'Primarydb.crl', 'Primarydb.kdb', 'Primarydb.rdb', 'Primarydb.sth']);
    expect(await okNotes(...real(180, dir))).toBe('');
    expect(readdirSync(home)).toEqual(['Primarydb.arm']);
  });

  it('a wrong password deletes nothing', async () => {
    const dir = folder();
    await newStore(join(dir, 'key.kdb'), 'Passw0rd!');
    const before = storeFiles(dir, 'key');
    const wrong = await cli('-keydb', '-delete', '-db', join(dir, 'key.kdb'), '-pw', 'wrong');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/the password is wrong/);
    expect(storeFiles(dir, 'key')).toEqual(before);
  });

  it('a PKCS#12 beside a .kdb of the same name goes alone: the .rdb, .crl and .sth are the .kdb\'s', async () => {
    const dir = folder();
    await newStore(join(dir, 'key.kdb'), 'Passw0rd!');
    await api.createStore({ path: join(dir, 'key.p12'), password: 'other-pw', format: 'pkcs12' });
    await ok('-keydb', '-delete', '-db', join(dir, 'key.p12'), '-pw', 'other-pw');
    expect(storeFiles(dir, 'key')).toEqual(['key.crl', 'key.kdb', 'key.rdb', 'key.sth']);
    await ok('-cert', '-list', '-db', join(dir, 'key.kdb'), '-stashed');
  });

  it('a PKCS#12 alone goes with its stash; -stashed opens it; -backup keeps copies and says what they hold', async () => {
    const dir = folder();
    await newStore(join(dir, 'trust.p12'), 'Passw0rd!', 'pkcs12', ['qm1']);
    const notes = await okNotes('-keydb', '-delete', '-db', join(dir, 'trust.p12'), '-stashed', '-backup');
    expect(notes).toMatch(/backup kept \(mode 0600\).*trust\.p12\.bak.*"qm1"/);
    expect(storeFiles(dir, 'trust')).toEqual(['trust.p12.bak', 'trust.sth.bak']);
    expect(statSync(join(dir, 'trust.p12.bak')).mode & 0o777).toBe(0o600);
  });

  it('a missing store is "no such key store", exit 1', async () => {
    const missing = await cli('-keydb', '-delete', '-db', join(folder(), 'gone.kdb'), '-pw', 'x');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no such key store/);
  });

  it('crashed at every step, the store is whole (opens, stash and all) or wholly gone', async () => {
    const work = folder();
    const prepared = await prepareStore(join(work, 'prepared'), 'cms');
    const files = ['key.kdb', 'key.rdb', 'key.crl', 'key.sth'];
    const copy = (name: string) => {
      const dir = join(work, name);
      cpSync(prepared.dir, dir, { recursive: true });
      return join(dir, 'key.kdb');
    };
    const counting = crashingIo(Infinity);
    await new KeyDeskService(counting.io).deleteStore({ path: copy('uncrashed'), password: OLD_PW });
    const failures: string[] = [];
    let whole = 0;
    let gone = 0;
    for (let step = 1; step <= counting.steps(); step++) {
      const path = copy(`crash-${step}`);
      const crash = crashingIo(step);
      await expect(new KeyDeskService(crash.io).deleteStore({ path, password: OLD_PW })).rejects.toBeInstanceOf(SimulatedCrash);
      const dir = dirname(path);
      try {
        // The next KeyDesk to open it completes or undoes the crashed change first.
        const opened = loadStore(path, { stashed: true });
        expect(opened.store.entries.length).toBe(3);
        whole++;
      } catch (e) {
        if (!isKeyDeskError(e) || e.code !== 'file-not-found') throw e;
        const left = files.filter((f) => existsSync(join(dir, f)));
        if (left.length > 0) failures.push(`step ${step} (${crash.log.at(-1)}): gone but ${left.join(', ')} left`);
        gone++;
      }
      const stray = leftovers(dir);
      if (stray.length > 0) failures.push(`step ${step}: left behind: ${stray.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(whole).toBeGreaterThan(0);
    expect(gone).toBeGreaterThan(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------
// -keydb -stashpw and -keydb -create: the flags real scripts add

describe('-keydb -stashpw -type (IBM\'s MQ container, cli/testing/REAL-SCRIPTS.md form 6)', () => {
  it('real-command-lines.json #10 (ibm-messaging/mq-container keystore.go L130): -keydb "-fips false" -stashpw -type cms', async () => {
    const dir = folder();
    const db = pathOf(10, '-db', dir);
    await api.createStore({ path: db, password: 'Ab3dEf6hIj9k', format: 'cms' });
    await ok(...real(10, dir));
    expect(readStash(readFileSync(db.replace(/\.kdb$/, '.sth')))).toBe('Ab3dEf6hIj9k');
  });

  it('real-command-lines.json #28-#29 (sgod1/mqjms README, runmqckm): create -db key, then -stashpw -db key.kdb -type cms', async () => {
    const dir = folder();
    // The README's relative names, in a folder of their own.
    const argv = (n: number) => realLines[n]!.argv.map((a) => (a === 'key' || a === 'key.kdb' ? join(dir, a) : a));
    await ok(...argv(28));
    await ok(...argv(29));
    expect(readStash(readFileSync(join(dir, 'key.sth')))).toBe('passw0rd');
  });

  it('an unknown -type is a usage error', async () => {
    const db = join(folder(), 'key.kdb');
    await newStore(db, 'Passw0rd!');
    expect((await cli('-keydb', '-stashpw', '-db', db, '-pw', 'Passw0rd!', '-type', 'webdb')).code).toBe(2);
  });
});

describe('-keydb -create with -stashpw, -pqc, -prompt, -populate', () => {
  it('real-command-lines.json #100 (mqsslsetup.sh menu 2): -stashpw as a switch is -stash', async () => {
    const dir = folder();
    await okNotes(...real(100, dir));
    const db = pathOf(100, '-db', dir);
    expect(statSync(db.replace(/\.kdb$/, '.sth')).size).toBe(193);
    await ok('-cert', '-list', '-db', db, '-stashed');
  });

  it('real-command-lines.json #136 (IHS "convert old KDB", index file id 6940517128): -stash -pqc false -prompt, the password from KEYDESK_PW where no terminal is', async () => {
    const dir = folder();
    const argv = realLines[136]!.argv.map((a) => (a === 'temp.kdb' ? join(dir, a) : a));
    const saved = process.env.KEYDESK_PW;
    delete process.env.KEYDESK_PW;
    try {
      const refused = await cli(...argv);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/-prompt asks for the password at a terminal, and there is none here/);
      process.env.KEYDESK_PW = 'Typed-elsewhere1';
      await okNotes(...argv);
    } finally {
      if (saved === undefined) delete process.env.KEYDESK_PW;
      else process.env.KEYDESK_PW = saved;
    }
    expect(readStash(readFileSync(join(dir, 'temp.sth')))).toBe('Typed-elsewhere1');
  });

  // The real process at a real terminal: script(1) gives it one (util-linux).
  it.skipIf(!haveScript)(`-prompt at a terminal asks twice, without echo, and a mismatch writes nothing${haveScript ? '' : ' (skipped: no script(1))'}`, async () => {
    const dir = folder();
    const launcher = join(dir, 'keydesk.js');
    await build({ entryPoints: [resolve(__dirname, 'main.ts')], outfile: join(dir, 'keydesk.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', external: ['pkcs11js'] });
    writeFileSync(launcher, "require('./keydesk.cjs').main();\n");
    const typed = await atTerminal(launcher, ['-keydb', '-create', '-db', join(dir, 'temp.kdb'), '-stash', '-pqc', 'false', '-prompt'], ['Typed-pw1', 'Typed-pw1']);
    expect(typed).toContain('Database password :');
    expect(typed).toContain('Re-enter database password :');
    expect(typed).not.toContain('Typed-pw1');
    expect(readStash(readFileSync(join(dir, 'temp.sth')))).toBe('Typed-pw1');
    const differ = await atTerminal(launcher, ['-keydb', '-create', '-db', join(dir, 'other.kdb'), '-prompt'], ['Typed-pw1', 'Typed-pw2']);
    expect(differ).toMatch(/typed differ; nothing was done/);
    expect(existsSync(join(dir, 'other.kdb'))).toBe(false);
  }, 60_000);

  it('-pqc true is refused plainly (KeyDesk writes the PBE-based format); another value is a usage error; -pw with -prompt is one', async () => {
    const dir = folder();
    const pqc = await cli('-keydb', '-create', '-db', join(dir, 'a.kdb'), '-pw', 'Passw0rd!', '-pqc', 'true');
    expect(pqc.code).toBe(1);
    expect(pqc.err).toMatch(/not the post-quantum one of -pqc true; nothing was written/);
    expect(existsSync(join(dir, 'a.kdb'))).toBe(false);
    expect((await cli('-keydb', '-create', '-db', join(dir, 'a.kdb'), '-pw', 'Passw0rd!', '-pqc', 'maybe')).code).toBe(2);
    expect((await cli('-keydb', '-create', '-db', join(dir, 'a.kdb'), '-pw', 'Passw0rd!', '-prompt')).code).toBe(2);
  });

  it('real-command-lines.json #156 (MQ truststore builder, index file id 18194015347): -type pkcs12 -populate -ibmcloudtrust -expire 365', async () => {
    const dir = folder();
    const notes = await okNotes(...real(156, dir));
    expect(notes).toMatch(/added \d+ well-known CA certificates as signers/);
    expect(notes).toMatch(/-ibmcloudtrust adds nothing more/);
    const entries = await listed(pathOf(156, '-db', dir), '-stashed');
    expect(entries.length).toBeGreaterThan(50);
    expect(entries.every((e) => e.kind === 'signer')).toBe(true);
    expect((await cli('-keydb', '-create', '-db', join(dir, 'x.p12'), '-pw', 'Passw0rd!', '-type', 'pkcs12', '-ibmcloudtrust')).code).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------
// -keydb -convert

describe('-keydb -convert in every spelling scripts use (cli/RUNMQAKM.md §2.2; REAL-SCRIPTS.md form 4)', () => {
  const labelsOf = async (path: string, ...credentials: string[]) => (await listed(path, ...credentials)).map((e) => `${e.kind}:${e.label}`).sort();

  // #133 converts /tmp/plugin-key.p12 to /tmp/plugin-key.kdb, GSKit's own habit (G21 in
  // cli/RUNMQAKM.md §2.2: `-convert -db X.p12 -new_db X.kdb`): a new .kdb may stand beside
  // the .p12 of its name (the create-only commit refuses any companion that exists).
  for (const [n, expected] of [
    [130, it],
    [133, it],
  ] as const) {
    expected(`real-command-lines.json #${n} (${n === 130 ? 'Liberty dynamic routing, index file id 67147000165' : 'IHS + Liberty container, index file id 4651375463'}): -old_format pkcs12 -target T -new_format cms -stash, then -cert -setdefault -label default (#${n === 130 ? 132 : 134})`, async () => {
      const dir = folder();
      const password = realLines[n]!.argv[realLines[n]!.argv.indexOf('-pw') + 1]!;
      const source = pathOf(n, '-db', dir);
      await newStore(source, password, 'pkcs12', ['default']);
      await okNotes(...real(n, dir));
      const target = pathOf(n, '-target', dir);
      expect(await labelsOf(target, '-stashed')).toEqual(['personal:default']);
      await okNotes(...real(n === 130 ? 132 : 134, dir));
      expect(await defaults(target, '-stashed')).toEqual(['default']);
    });
  }

  it('real-command-lines.json #150 (ACE image, index file id 36900261733): a JDK cacerts with no extension, -old_format jks -new_format kdb -target -stash', async () => {
    const dir = folder();
    const source = pathOf(150, '-db', dir);
    await newStore(`${source}.jks`, 'changeit', 'jks', ['a root']);
    renameSync(`${source}.jks`, source);
    await okNotes(...real(150, dir));
    expect(await labelsOf(pathOf(150, '-target', dir), '-stashed')).toEqual(['personal:a root']);
  });

  it('real-command-lines.json #151 (ACE image): -old_format p12 from keytool\'s PKCS#12', async () => {
    const dir = folder();
    await newStore(pathOf(151, '-db', dir), 'changeit', 'pkcs12', ['root']);
    await okNotes(...real(151, dir));
    expect(await labelsOf(pathOf(151, '-target', dir), '-stashed')).toEqual(['personal:root']);
  });

  it('real-command-lines.json #53 and #54 (Keyfactor remote-file-orchestrator): -type kdb to p12 and -type p12 back to kdb', async () => {
    const dir = folder();
    const kdb = pathOf(53, '-db', dir);
    await newStore(kdb, 'StorePass1', 'cms', ['web']);
    await okNotes(...real(53, dir));
    const p12 = pathOf(53, '-new_db', dir);
    expect(await ok('-keydb', '-list', '-db', p12, '-pw', 'StorePass1')).toBe('pkcs12');
    // The orchestrator replaces the .kdb with the converted copy: the old one is gone first.
    await ok('-keydb', '-delete', '-db', kdb, '-pw', 'StorePass1');
    await okNotes(...real(54, dir));
    expect(await labelsOf(kdb, '-pw', 'StorePass1')).toEqual(['personal:web']);
  });

  it('real-command-lines.json #175 (gsk7cmd Perl, index file id 3647142035): no -new_db or -target writes the source\'s name with the new extension [inferred]', async () => {
    const dir = folder();
    const kdb = pathOf(175, '-db', dir);
    await newStore(kdb, 'newpw', 'cms', ['user1']);
    const notes = await okNotes(...real(175, dir));
    const jks = kdb.replace(/\.kdb$/, '.jks');
    expect(notes).toContain(`wrote ${jks} (no -new_db or -target given: the source's name with .jks)`);
    expect(await ok('-keydb', '-list', '-db', jks, '-pw', 'newpw')).toBe('jks');
    // "The existing CMS database remains intact" (IBM MQ lab, index file id 26571314298).
    expect(await labelsOf(kdb, '-stashed')).toEqual(['personal:user1']);
    // Converting to the format the file already has would name the file itself.
    expect((await cli('-keydb', '-convert', '-db', kdb, '-pw', 'newpw', '-new_format', 'cms')).err).toMatch(/needs -new_db \(or -target\)/);
  });

  it('-v1stash (G16: -new_format p12 -v1stash) writes the 129-byte stash beside the converted store', async () => {
    const dir = folder();
    await newStore(join(dir, 'key.kdb'), 'Passw0rd!', 'cms', ['qm1']);
    await okNotes('-keydb', '-convert', '-db', join(dir, 'key.kdb'), '-stashed', '-new_db', join(dir, 'out.p12'), '-new_format', 'p12', '-v1stash');
    expect(statSync(join(dir, 'out.sth')).size).toBe(129);
    expect(await labelsOf(join(dir, 'out.p12'), '-stashed')).toEqual(['personal:qm1']);
  });

  it('-new_db and -target naming different files, or an unknown -old_format, are usage errors; nothing is written', async () => {
    const dir = folder();
    await newStore(join(dir, 'key.kdb'), 'Passw0rd!');
    const both = await cli('-keydb', '-convert', '-db', join(dir, 'key.kdb'), '-stashed', '-new_db', join(dir, 'a.p12'), '-target', join(dir, 'b.p12'), '-new_format', 'p12');
    expect(both.code).toBe(2);
    const webdb = await cli('-keydb', '-convert', '-db', join(dir, 'key.kdb'), '-stashed', '-old_format', 'webdb', '-new_db', join(dir, 'a.p12'), '-new_format', 'p12');
    expect(webdb.code).toBe(2);
    expect(readdirSync(dir).filter((n) => n.endsWith('.p12'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// -random -create

describe('-random -create -length N [-strong] (GSKit guide chapter "Random commands", §2.5; flags from real scripts)', () => {
  it('index file ids 59154585655 and 59158452483 (IIB/MQ set-up): -length 125 -strong, one line of exactly 125 characters, through their tr | cut', async () => {
    const out = await ok('-random', '-create', '-length', '125', '-strong');
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toHaveLength(125);
    // `tr -d "'" | tr -d '\\\$\%\`\~\&\@\!\|\\[\]\(\)\{\}\;" ' | cut -c 2-65`: 64 characters left for a password.
    const kept = out.replace(/['\\$%`~&@!|[\](){};" ]/g, '').slice(1, 65);
    expect(kept.length).toBe(64);
  });

  it('index file id 29420761928 (Db2): KEYSTOREPASS=$(gsk8capicmd_64 -random -create -length 16 -strong) becomes a store\'s -pw', async () => {
    const password = await ok('-random', '-create', '-length', '16', '-strong');
    const db = join(folder(), 'KeyStore.p12');
    await ok('-keydb', '-create', '-db', db, '-type', 'pkcs12', '-pw', password, '-stash');
    expect(readStash(readFileSync(db.replace(/\.p12$/, '.sth')))).toBe(password);
  });

  it('-strong meets runmqakm\'s -strong rules (§2.6) every time, in characters a shell leaves alone', () => {
    for (let i = 0; i < 200; i++) {
      const p = randomPassword(14 + (i % 50), true);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/^[A-Za-z0-9_.+=:,^%@]+$/);
      expect(p).not.toMatch(/(.)\1\1/);
      const counts = new Map<string, number>();
      for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(3);
    }
    expect(randomPassword(64, false)).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('a length out of range is a usage error (exit 2), -length is required', async () => {
    for (const args of [['-length', '0'], ['-length', 'ten'], ['-length', '10', '-strong'], ['-length', '300', '-strong'], ['-length', '5000'], []]) {
      expect((await cli('-random', '-create', ...args)).code, args.join(' ')).toBe(2);
    }
  });
});

// The real lines the tests above run, so a line added to the JSON is not silently skipped.
beforeAll(() => {
  for (const n of [10, 28, 29, 53, 54, 90, 100, 110, 123, 130, 132, 133, 134, 136, 142, 149, 150, 151, 156, 171, 175, 180]) expect(realLines[n], `line #${n}`).toBeDefined();
});

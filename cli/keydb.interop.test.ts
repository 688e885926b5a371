/**
 * -keydb commands on native GSKit files and on KeyDesk's own: every CMS file written
 * passes ../shared/tools/kdbcheck.py, converted stores open in openssl, stashes work.
 * Native files are copied into a temp folder at test time (never into the repository).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { copyWritable, hasTool, haveKdbFixtures, kdbFixturesDir, kdbcheckPath, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

async function labels(db: string, ...credentials: string[]): Promise<string[]> {
  const r = await cli('-cert', '-list', '-db', db, ...credentials, '-json');
  expect(r.err).toBe('');
  return JSON.parse(r.out).entries.map((e: { label: string; kind: string }) => `${e.kind}:${e.label}`).sort();
}

/** kdbcheck.py's verdict on a CMS file: exit 0 and ok=true, or the problems it found. */
function kdbcheck(file: string, ...credentials: string[]): { ok: boolean; version: number; problems: string[]; count: number } {
  const r = spawnSync('python3', [kdbcheckPath, file, ...credentials], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout);
  expect({ status: r.status, problems: report.problems }).toEqual({ status: 0, problems: [] });
  return report;
}

const canCheck = hasTool('python3') && existsSync(kdbcheckPath);
const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

/** Copies a native fixture set (kdb/rdb/crl/sth) into the temp folder under a new stem. */
function copyFixture(stem: string, newStem: string): string {
  for (const ext of ['.kdb', '.rdb', '.crl', '.sth']) {
    const from = join(kdbFixturesDir, `${stem}${ext}`);
    if (existsSync(from)) copyWritable(from, at(`${newStem}${ext}`));
  }
  return at(`${newStem}.kdb`);
}

describe('-keydb -create', () => {
  it.skipIf(!canCheck)('creates a version-6 CMS database with a 193-byte stash that kdbcheck.py accepts', async () => {
    const db = at('new6.kdb');
    const r = await cli('-keydb', '-create', '-db', db, '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    expect(r).toMatchObject({ code: 0, out: '', err: '' });
    expect(existsSync(at('new6.rdb'))).toBe(true);
    expect(statSync(at('new6.sth')).size).toBe(193);
    expect(statSync(at('new6.sth')).mode & 0o777).toBe(0o600);
    expect(kdbcheck(db).version).toBe(6);
    expect(kdbcheck(at('new6.rdb'), '--pw', 'Passw0rd!').count).toBe(0);
    expect(await labels(db, '-stashed')).toEqual([]);
  });

  it.skipIf(!canCheck)('creates version 4 on request, with the old 129-byte stash', async () => {
    const db = at('new4.kdb');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'pw4', '-type', 'cms', '-version', '4', '-v1stash')).code).toBe(0);
    expect(statSync(at('new4.sth')).size).toBe(129);
    expect(kdbcheck(db).version).toBe(4);
  });

  it.skipIf(!hasTool('openssl'))('creates an empty PKCS#12 that openssl opens', async () => {
    const db = at('new.p12');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'pw12', '-type', 'pkcs12')).code).toBe(0);
    runTool('openssl', ['pkcs12', '-in', db, '-info', '-noout', '-passin', 'pass:pw12']);
  });

  it('refuses to overwrite an existing database', async () => {
    const db = at('new6.kdb');
    const before = existsSync(db) ? readFileSync(db) : undefined;
    if (!before) expect((await cli('-keydb', '-create', '-db', db, '-pw', 'x', '-type', 'cms')).code).toBe(0);
    const again = await cli('-keydb', '-create', '-db', db, '-pw', 'other', '-type', 'cms');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
    if (before) expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe.skipIf(!haveKdbFixtures)('on native GSKit databases (../shared/fixtures/kdb)', () => {
  it.skipIf(!canCheck)('-changepw re-encrypts every key, updates the stash, leaves no copy under the old password, and the result passes kdbcheck', async () => {
    const db = copyFixture('gsk-v6-mixed', 'changepw');
    const original = readFileSync(db);
    const before = await labels(db, '-stashed');
    const r = await cli('-keydb', '-changepw', '-db', db, '-stashed', '-new_pw', 'N3w-secret');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('keydesk: note: ');
    expect(r.err).toContain('changepw.sth updated');
    expect(existsSync(`${db}.bak`)).toBe(false);
    expect(existsSync(at('changepw.sth.bak'))).toBe(false);
    expect(readFileSync(db).equals(original)).toBe(false);
    expect(await labels(db, '-pw', 'N3w-secret')).toEqual(before);
    expect(await labels(db, '-stashed')).toEqual(before);
    expect((await cli('-cert', '-list', '-db', db, '-pw', 'password')).code).toBe(1);
    expect(kdbcheck(db, '--pw', 'N3w-secret').version).toBe(6);
  });

  it.skipIf(!canCheck)('-stashpw writes a stash that opens the database, and refuses a wrong password', async () => {
    const db = copyFixture('gsk-v4-signer', 'stashpw');
    const sth = at('stashpw.sth');
    const old = readFileSync(sth);
    const wrong = await cli('-keydb', '-stashpw', '-db', db, '-pw', 'not-it');
    expect(wrong.code).toBe(1);
    expect(readFileSync(sth).equals(old)).toBe(true);
    expect((await cli('-keydb', '-stashpw', '-db', db, '-pw', 'senha')).code).toBe(0);
    expect(statSync(sth).size).toBe(193);
    kdbcheck(db, '--sth', sth);
    expect(await labels(db, '-stashed')).toEqual(['signer:AD Root CA']);
  });

  it.skipIf(!canCheck)('a version-3 database is saved as version 4 (GSKit 7 and 8 open it), and the user is told', async () => {
    const db = copyFixture('gsk-v3-empty', 'v3');
    const r = await cli('-keydb', '-changepw', '-db', db, '-pw', '123', '-new_pw', 'newer');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/saved as version 4 \(it was version 3/);
    expect(kdbcheck(db, '--pw', 'newer').version).toBe(4);
  });

  it.skipIf(!hasTool('openssl') || !canCheck)('-convert to PKCS#12 opens in openssl with every key matching its certificate, and back to CMS passes kdbcheck', async () => {
    const db = copyFixture('gsk-v6-mixed', 'convert');
    const p12 = at('converted.p12');
    const before = await labels(db, '-stashed');
    expect((await cli('-keydb', '-convert', '-db', db, '-stashed', '-new_db', p12, '-new_pw', 'p12pw', '-new_format', 'pkcs12')).code).toBe(0);
    expect(await labels(p12, '-pw', 'p12pw')).toEqual(before);

    const pem = runTool('openssl', ['pkcs12', '-in', p12, '-nodes', '-passin', 'pass:p12pw']).toString();
    const keys = [...pem.matchAll(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g)].map((m) => createPrivateKey(m[0]));
    const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
    expect(keys.map((k) => k.asymmetricKeyType).sort()).toEqual(['ec', 'rsa']);
    for (const key of keys) {
      const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
      expect(certs.some((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki))).toBe(true);
    }

    for (const version of ['6', '4']) {
      const back = at(`back${version}.kdb`);
      expect((await cli('-keydb', '-convert', '-db', p12, '-pw', 'p12pw', '-new_db', back, '-new_pw', 'kdbpw', '-new_format', 'cms', '-version', version)).code).toBe(0);
      expect(kdbcheck(back, '--pw', 'kdbpw').version).toBe(Number(version));
      expect(await labels(back, '-pw', 'kdbpw')).toEqual(before);
    }
  });
});

describe('a PKCS#12 saved beside a .kdb of the same name', () => {
  it('never touches the .kdb\'s request database, and a conversion carrying requests is refused', async () => {
    const kdb = at('same-stem.kdb');
    expect((await cli('-keydb', '-create', '-db', kdb, '-pw', 'kdb-pw', '-type', 'cms')).code).toBe(0);
    expect((await cli('-certreq', '-create', '-db', kdb, '-pw', 'kdb-pw', '-label', 'pending', '-dn', 'CN=pending', '-file', at('pending.csr'))).code).toBe(0);
    const rdbBefore = readFileSync(at('same-stem.rdb'));

    const refused = await cli('-keydb', '-convert', '-db', kdb, '-pw', 'kdb-pw', '-new_db', at('same-stem.p12'), '-new_pw', 'p12-pw', '-new_format', 'pkcs12');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('belongs to');
    expect(existsSync(at('same-stem.p12'))).toBe(false);

    // Without requests to carry, the PKCS#12 is written and the .kdb still opens with its .rdb.
    expect((await cli('-certreq', '-delete', '-db', kdb, '-pw', 'kdb-pw', '-label', 'pending')).code).toBe(0);
    const rdbAfterDelete = readFileSync(at('same-stem.rdb'));
    expect(rdbAfterDelete.equals(rdbBefore)).toBe(false);
    expect((await cli('-keydb', '-convert', '-db', kdb, '-pw', 'kdb-pw', '-new_db', at('same-stem.p12'), '-new_pw', 'p12-pw', '-new_format', 'pkcs12')).code).toBe(0);
    expect(readFileSync(at('same-stem.rdb')).equals(rdbAfterDelete)).toBe(true);
    expect((await cli('-cert', '-list', '-db', kdb, '-pw', 'kdb-pw')).code).toBe(0);
    expect((await cli('-cert', '-list', '-db', at('same-stem.p12'), '-pw', 'p12-pw')).code).toBe(0);
  });
});

describe.skipIf(!hasTool('openssl'))(`a legacy PKCS#12 after a change${missingNote('openssl')}`, () => {
  it('stays 3DES with its iterations, so an old GSKit or Java can still read it', async () => {
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('legacy.key'), '-out', at('legacy.pem'), '-subj', '/CN=legacy', '-days', '30']);
    runTool('openssl', ['pkcs12', '-export', '-legacy', '-iter', '50000', '-in', at('legacy.pem'), '-inkey', at('legacy.key'), '-name', 'legacy', '-out', at('legacy.p12'), '-passout', 'pass:pw']);
    expect((await cli('-cert', '-add', '-label', 'partner', '-file', at('legacy.pem'), '-db', at('legacy.p12'), '-pw', 'pw')).code).toBe(23); // same cert: refused, with GSKit's duplicate status
    expect((await cli('-cert', '-rename', '-label', 'legacy', '-new_label', 'legacy renamed', '-db', at('legacy.p12'), '-pw', 'pw')).code).toBe(0);
    // openssl prints what -info finds on stderr.
    const shown = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', at('legacy.p12'), '-passin', 'pass:pw'], { encoding: 'utf8' });
    expect(shown.status).toBe(0);
    const info = shown.stdout + shown.stderr;
    expect(info).toMatch(/3-KeyTripleDES/);
    expect(info).toMatch(/Iteration 50000/);
    expect(info).not.toMatch(/AES/);
  });
});

/**
 * A key store or certificate broken by an ASCII-mode FTP transfer is refused with that
 * explanation, and `-keydb -repair` writes the exact original back only when the repaired
 * bytes verify (issue 13 item 8): with the password, the MAC or keyed digest of a store
 * that has one. Every refusal is runmqakm's: exit 1, one plain line on stderr — and here,
 * nothing written.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveKdbFixtures, hasTool, kdbFixturesDir, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { writeStash } from '../core/formats/cms-stash';
import { cli } from './testing/run-cli';

/** What a text-mode transfer from Unix to Windows does: every LF becomes CR LF. */
const lfToCrlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
/** And from Windows to Unix: every CR LF becomes LF. */
const crlfToLf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

/** A refusal: exit 1, one line matching `message`, and no repaired file. */
async function expectRefused(argv: string[], target: string, message: RegExp): Promise<void> {
  const r = await cli('-keydb', '-repair', ...argv, '-target', target);
  expect(r.code).toBe(1);
  expect(r.err.split('\n')).toHaveLength(1);
  expect(r.err).toMatch(message);
  expect(existsSync(target)).toBe(false);
}

describe.skipIf(!haveKdbFixtures)('a GSKit database sent in ASCII mode', () => {
  it('is refused with the cause and the way out, and -keydb -repair with its password writes the original back', async () => {
    copyFileSync(join(kdbFixturesDir, 'gsk-v6-mixed.kdb'), at('mixed.kdb'));
    const original = readFileSync(at('mixed.kdb'));
    writeFileSync(at('mangled.kdb'), lfToCrlf(original));
    const r = await cli('-cert', '-list', '-db', at('mangled.kdb'), '-pw', 'password');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain('text (ASCII) mode');
    expect(r.err).toContain('binary mode');

    await expectRefused(['-db', at('mangled.kdb')], at('repaired.kdb'), /give -pw or -stashed/);
    expect((await cli('-keydb', '-repair', '-db', at('mangled.kdb'), '-target', at('repaired.kdb'), '-pw', 'password')).code).toBe(0);
    expect(readFileSync(at('repaired.kdb')).equals(original)).toBe(true);
    expect((await cli('-cert', '-list', '-db', at('repaired.kdb'), '-pw', 'password')).code).toBe(0);
  });
});

describe('-keydb -repair on a KeyDesk CMS database', () => {
  const pw = 'Qm1-repair-pw';

  /** qm.kdb with a personal certificate and a stash, made until it holds a LF to damage. */
  async function makeStore(): Promise<Buffer> {
    for (let attempt = 0; attempt < 20; attempt++) {
      for (const ext of ['kdb', 'rdb', 'crl', 'sth']) rmSync(at(`qm.${ext}`), { force: true });
      expect((await cli('-keydb', '-create', '-db', at('qm.kdb'), '-pw', pw, '-type', 'cms', '-stash')).code).toBe(0);
      expect((await cli('-cert', '-create', '-db', at('qm.kdb'), '-stashed', '-label', 'qm1', '-dn', 'CN=QM1,O=Bank', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256')).code).toBe(0);
      const kdb = readFileSync(at('qm.kdb'));
      if (kdb.includes(0x0a) && !kdb.includes('\r\n')) return kdb;
    }
    throw new Error('no store with a LF (and no CR LF) turned up');
  }

  it('refuses without a password, with a wrong one, and on random damage — one line each, nothing written', async () => {
    const original = await makeStore();
    writeFileSync(at('sent.kdb'), lfToCrlf(original));
    // runmqakm asks for -pw or -stashed before it reads a database; KeyDesk asks only when
    // the format has a MAC to verify the repair with, which a CMS v6 database has.
    await expectRefused(['-db', at('sent.kdb')], at('fixed.kdb'), /needs the password: give -pw or -stashed/);
    await expectRefused(['-db', at('sent.kdb'), '-pw', 'not-the-password'], at('fixed.kdb'), /password is wrong/);

    // Damage no transfer explains: one byte lost (not a CR) in the middle of the key record.
    let lost = 0x30 + 96 + 400;
    while (original[lost] === 0x0d) lost++;
    writeFileSync(at('broken.kdb'), Buffer.concat([original.subarray(0, lost), original.subarray(lost + 1)]));
    await expectRefused(['-db', at('broken.kdb'), '-pw', pw], at('fixed.kdb'), /damaged|does not verify|no repaired copy/);
  });

  it('takes the password from the stash beside the damaged file, and says so when that stash is damaged too', async () => {
    const original = await makeStore();
    writeFileSync(at('sent.kdb'), lfToCrlf(original));
    const stash = readFileSync(at('qm.sth'));

    writeFileSync(at('sent.sth'), stash.subarray(0, stash.length - 1)); // a stash cut short
    await expectRefused(['-db', at('sent.kdb'), '-stashed'], at('fixed.kdb'), /sent\.sth, the stash beside .*sent\.kdb, is damaged as well.*give it with -pw/);

    writeFileSync(at('sent.sth'), stash);
    const r = await cli('-keydb', '-repair', '-db', at('sent.kdb'), '-stashed', '-target', at('fixed.kdb'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^keydesk: note: .*its MAC verifies with the password/);
    expect(readFileSync(at('fixed.kdb')).equals(original)).toBe(true);
    expect((await cli('-cert', '-list', '-db', at('fixed.kdb'), '-pw', pw)).code).toBe(0);
  });

  it('never writes over the damaged file or a file that belongs with it', async () => {
    const original = await makeStore();
    writeFileSync(at('sent.kdb'), lfToCrlf(original));
    rmSync(at('sent.rdb'), { force: true });
    await expectRefused(['-db', at('sent.kdb'), '-pw', pw], at('sent.rdb'), /belongs with/);
    const r = await cli('-keydb', '-repair', '-db', at('sent.kdb'), '-pw', pw, '-target', at('sent.kdb'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is the damaged file itself/);
    expect(readFileSync(at('sent.kdb')).equals(lfToCrlf(original))).toBe(true);
  });
});

describe('a 129-byte stash sent in ASCII mode', () => {
  /** A v1 stash (random padding) with `count` LFs and no CR in it. */
  function stashWith(count: number): Buffer {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const stash = Buffer.from(writeStash('Qm1-stash-pw', 'v1'));
      if (stash.toString('latin1').split('\n').length - 1 === count && !stash.includes(0x0d)) return stash;
    }
    throw new Error(`no stash with ${count} LFs turned up`);
  }

  it('with one LF it is called damaged, and the way out is to recreate it from the password', async () => {
    // One CR LF is no evidence of a transfer: a stash's padding may have held it.
    writeFileSync(at('one.sth'), lfToCrlf(stashWith(1)));
    await expectRefused(['-db', at('one.sth')], at('one-fixed.sth'), /one\.sth: the stash file is damaged: .*Recreate it from the database password \(keydesk -keydb -stashpw -db DATABASE -pw PASSWORD\)/);
  });

  it('with two LFs or more it is named, and -keydb -repair writes the original back', async () => {
    const original = stashWith(2);
    writeFileSync(at('two.sth'), lfToCrlf(original));
    const r = await cli('-keydb', '-repair', '-db', at('two.sth'), '-target', at('two-fixed.sth'));
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toMatch(/^keydesk: note: .*two-fixed\.sth is .*two\.sth as it was before the text-mode transfer/);
    expect(readFileSync(at('two-fixed.sth')).equals(original)).toBe(true);
  });
});

describe.skipIf(!hasTool('openssl'))(`a PKCS#12 whose CR LF became LF${missingNote('openssl')}`, () => {
  it('is only called damaged, and comes back exactly once its MAC verifies with the password', async () => {
    // 3338 iterations = 0x0D0A: the CR LF sits in INTEGERs nothing but the MAC checks.
    runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'p.key', '-out', 'p.pem', '-subj', '/CN=P', '-days', '30'], { cwd: temp.dir });
    runTool('openssl', ['pkcs12', '-export', '-in', 'p.pem', '-inkey', 'p.key', '-iter', '3338', '-passout', 'pass:pw', '-out', 'p.p12'], { cwd: temp.dir });
    const original = readFileSync(at('p.p12'));
    writeFileSync(at('unix.p12'), crlfToLf(original));

    const open = await cli('-cert', '-list', '-db', at('unix.p12'), '-pw', 'pw');
    expect(open.code).toBe(1);
    expect(open.err.split('\n')).toHaveLength(1);
    expect(open.err).not.toContain('text (ASCII) mode');

    await expectRefused(['-db', at('unix.p12')], at('p-fixed.p12'), /give -pw or -stashed/);
    await expectRefused(['-db', at('unix.p12'), '-pw', 'wrong'], at('p-fixed.p12'), /no repaired copy verifies with the password given/);
    expect((await cli('-keydb', '-repair', '-db', at('unix.p12'), '-pw', 'pw', '-target', at('p-fixed.p12'))).code).toBe(0);
    expect(readFileSync(at('p-fixed.p12')).equals(original)).toBe(true);
    expect((await cli('-cert', '-list', '-db', at('p-fixed.p12'), '-pw', 'pw')).code).toBe(0);
  });
});

describe.skipIf(!hasTool('openssl'))(`a DER certificate and a PKCS#12 sent in ASCII mode${missingNote('openssl')}`, () => {
  it('are refused with that explanation when added or opened', async () => {
    // Keys, salts and signatures are random: make them until each file holds two LFs or
    // more, which the diagnosis names (one LF would be called damage, not a transfer:
    // transfer-damage.ts).
    const lfs = (b: Buffer): number => b.toString('latin1').split('\n').length - 1;
    let der = Buffer.alloc(0);
    let p12 = Buffer.alloc(0);
    for (let attempt = 0; attempt < 20 && (lfs(der) < 2 || lfs(p12) < 2); attempt++) {
      runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=Partner', '-days', '30'], { cwd: temp.dir });
      runTool('openssl', ['x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der'], { cwd: temp.dir });
      runTool('openssl', ['pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k.pem', '-out', 'c.p12', '-passout', 'pass:pw'], { cwd: temp.dir });
      der = readFileSync(at('c.der'));
      p12 = readFileSync(at('c.p12'));
    }
    expect(lfs(der)).toBeGreaterThanOrEqual(2);
    expect(lfs(p12)).toBeGreaterThanOrEqual(2);
    writeFileSync(at('mangled.der'), lfToCrlf(der));
    writeFileSync(at('mangled.p12'), lfToCrlf(p12));

    expect((await cli('-keydb', '-create', '-db', at('s.p12'), '-pw', 'pw', '-type', 'pkcs12')).code).toBe(0);
    const add = await cli('-cert', '-add', '-label', 'partner', '-file', at('mangled.der'), '-db', at('s.p12'), '-pw', 'pw');
    expect(add.code).toBe(1);
    expect(add.err).toContain(at('mangled.der'));
    expect(add.err).toContain('text (ASCII) mode');
    const open = await cli('-cert', '-list', '-db', at('mangled.p12'), '-pw', 'pw');
    expect(open.code).toBe(1);
    expect(open.err).toContain('text (ASCII) mode');
    expect(existsSync(at('mangled.p12'))).toBe(true);
  });
});

/**
 * Mistakes refused cleanly (issue 13, item 9): each a plain one-line refusal on stderr, exit
 * 1 (2 for a usage error), no stack trace, and nothing written — the folder is compared
 * byte for byte before and after.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hasTool, makeTempDir, runTool } from '../core/testing/peer-tools';
import { rendererBuildDir } from './commands/ui-serve';
import { cli, ok, okNotes, type CliRun } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

/** Every file under the folder with a hash of its bytes. */
function folderState(dir = temp.dir): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stat = statSync(path);
    state[name] = stat.isDirectory() ? 'folder' : `${stat.mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return state;
}

/** A refusal as the brief wants it: one line, the exit code, no stack. */
function expectRefusal(run: CliRun, code: 1 | 2, message: RegExp): void {
  expect(run.err.split('\n'), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^keydesk: /);
  expect(run.err).toMatch(message);
  expect(run.err).not.toMatch(/internal error|\n\s+at /);
  expect(run.code).toBe(code);
}

/** Runs a command that must be refused and must leave the folder as it was. */
async function refused(code: 1 | 2, message: RegExp, ...argv: string[]): Promise<CliRun> {
  const before = folderState();
  const run = await cli(...argv);
  expectRefusal(run, code, message);
  expect(folderState(), 'the folder changed').toEqual(before);
  return run;
}

describe('labels with control characters', () => {
  const bad = ['qm1\nrm -rf /', 'qm1\r', 'qm\t1', 'qm1\u001B[2J', 'qm\u009B1', 'qm\u20281'];
  const why = /holds .*\(U\+[0-9A-F]{4}\); labels are listed one per line and read by scripts/;

  beforeAll(async () => {
    await ok('-keydb', '-create', '-db', at('labels.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-stash');
    await ok('-cert', '-create', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-dn', 'CN=good', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256');
    await ok('-cert', '-extract', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-target', at('good.arm'));
    await ok('-keydb', '-create', '-db', at('other.p12'), '-pw', 'passw0rd', '-type', 'pkcs12');
  });

  for (const label of bad) {
    const shown = JSON.stringify(label);
    it(`-cert -create refuses ${shown}`, async () => {
      await refused(2, why, '-cert', '-create', '-db', at('labels.p12'), '-stashed', '-label', label, '-dn', 'CN=x', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256');
    });
  }

  it('-certreq -create, -cert -add, -cert -rename and -cert -import refuse them too', async () => {
    const label = 'partner\nca';
    await refused(2, why, '-certreq', '-create', '-db', at('labels.p12'), '-stashed', '-label', label, '-dn', 'CN=x', '-file', at('x.arm'));
    await refused(2, why, '-cert', '-add', '-db', at('other.p12'), '-pw', 'passw0rd', '-label', label, '-file', at('good.arm'));
    await refused(2, why, '-cert', '-rename', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-new_label', label);
  });

  it.skipIf(!hasTool('openssl'))('a store written elsewhere with such a label still opens, and the label can be renamed to a good one', async () => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'odd.key', '-out', 'odd.pem', '-subj', '/CN=odd', '-days', '30');
    o('pkcs12', '-export', '-in', 'odd.pem', '-inkey', 'odd.key', '-name', 'odd\nname', '-out', 'odd.p12', '-passout', 'pass:passw0rd');
    const listing = JSON.parse(await ok('-cert', '-list', '-db', at('odd.p12'), '-pw', 'passw0rd', '-json'));
    expect(listing.entries.map((e: { label: string }) => e.label)).toEqual(['odd\nname']);
    // Importing it elsewhere would bring the label along: refused like any new label.
    await refused(2, why, '-cert', '-import', '-db', at('odd.p12'), '-pw', 'passw0rd', '-target', at('other.p12'), '-target_pw', 'passw0rd');
    await ok('-cert', '-rename', '-db', at('odd.p12'), '-pw', 'passw0rd', '-label', 'odd\nname', '-new_label', 'odd-name');
    expect(await ok('-cert', '-list', '-db', at('odd.p12'), '-pw', 'passw0rd')).toContain('-\todd-name');
  });
});

describe('passwords: -pw is literal, files come with -pw:file', () => {
  const pwFile = () => at('pw.txt');

  beforeAll(async () => {
    writeFileSync(pwFile(), 'passw0rd\r\nsecond line is ignored\n');
    await ok('-keydb', '-create', '-db', at('pw.p12'), '-pw', 'passw0rd', '-type', 'pkcs12');
  });

  // These stores are empty; opening one prints runmqakm's single line for that (cli/RUNMQAKM.md §3.1, G4).
  const EMPTY = 'No certificates were found.';

  it('takes -pw @… literally, as runmqakm does: a password may start with @', async () => {
    await ok('-keydb', '-create', '-db', at('at.p12'), '-pw', '@no-such-file', '-type', 'pkcs12');
    expect(await ok('-cert', '-list', '-db', at('at.p12'), '-pw', '@no-such-file')).toBe(EMPTY);
    writeFileSync(at('at-pw.txt'), '@no-such-file\n');
    expect(await ok('-cert', '-list', '-db', at('at.p12'), '-pw:file', at('at-pw.txt'))).toBe(EMPTY);
  });

  it('reads the first line of -pw:file, without its CR/LF', async () => {
    expect(await ok('-cert', '-list', '-db', at('pw.p12'), '-pw:file', pwFile())).toBe(EMPTY);
    expect(await ok('-cert', '-list', '-db', at('pw.p12'), '-PW:FILE', pwFile())).toBe(EMPTY);
  });

  it('has the :file form for every password flag', async () => {
    writeFileSync(at('new-pw.txt'), 'n3wpassw0rd\n');
    await ok('-keydb', '-create', '-db', at('change.p12'), '-pw:file', pwFile(), '-type', 'pkcs12');
    await ok('-keydb', '-changepw', '-db', at('change.p12'), '-pw:file', pwFile(), '-new_pw:file', at('new-pw.txt'));
    expect(await ok('-cert', '-list', '-db', at('change.p12'), '-pw', 'n3wpassw0rd')).toBe(EMPTY);
    await ok('-keydb', '-compare', '-db', at('pw.p12'), '-pw:file', pwFile(), '-db2', at('change.p12'), '-pw2:file', at('new-pw.txt'));
    await ok('-keydb', '-convert', '-db', at('pw.p12'), '-pw:file', pwFile(), '-new_db', at('converted.jks'), '-new_pw:file', at('new-pw.txt'), '-new_format', 'jks');
    expect(await ok('-cert', '-list', '-db', at('converted.jks'), '-pw', 'n3wpassw0rd')).toBe(EMPTY);
  });

  it('refuses -pw and -pw:file together', async () => {
    await refused(2, /give either -pw or -pw:file, not both/, '-cert', '-list', '-db', at('pw.p12'), '-pw', 'passw0rd', '-pw:file', pwFile());
    await refused(2, /give either -pw:file or -stashed, not both/, '-cert', '-list', '-db', at('pw.p12'), '-stashed', '-pw:file', pwFile());
  });

  it('refuses a missing password file in one line naming it', async () => {
    await refused(1, /no-such\.txt: no such password file \(given as -pw:file /, '-cert', '-list', '-db', at('pw.p12'), '-pw:file', at('no-such.txt'));
    await refused(1, /no-such\.txt: no such password file \(given as -new_pw:file /, '-keydb', '-changepw', '-db', at('pw.p12'), '-pw', 'passw0rd', '-new_pw:file', at('no-such.txt'));
  });

  it('refuses a folder given as a password file', async () => {
    await refused(2, new RegExp(`${temp.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a folder, not a password file`), '-cert', '-list', '-db', at('pw.p12'), '-pw:file', temp.dir);
  });

  it('refuses an empty password file, or one whose first line is empty', async () => {
    writeFileSync(at('empty.txt'), '');
    writeFileSync(at('blank-first.txt'), '\r\npassw0rd\n');
    await refused(2, /empty\.txt is empty: a password file holds the password on its first line/, '-keydb', '-create', '-db', at('never.p12'), '-pw:file', at('empty.txt'), '-type', 'pkcs12');
    await refused(2, /blank-first\.txt is empty/, '-cert', '-list', '-db', at('pw.p12'), '-pw:file', at('blank-first.txt'));
  });

  it('refuses a device with no line break (/dev/zero) without reading it all', async () => {
    await refused(2, /\/dev\/zero has no line break in its first 64 KiB: it is not a password file/, '-cert', '-list', '-db', at('pw.p12'), '-pw:file', '/dev/zero');
  });

  const root = process.getuid?.() === 0;
  it.skipIf(root || process.platform === 'win32')(`refuses an unreadable password file${root ? ' (skipped: root reads any file; cli/password.test.ts covers EACCES)' : ''}`, async () => {
    writeFileSync(at('locked.txt'), 'passw0rd\n');
    chmodSync(at('locked.txt'), 0o000);
    try {
      await refused(1, /locked\.txt: permission denied reading the password file/, '-cert', '-list', '-db', at('pw.p12'), '-pw:file', at('locked.txt'));
    } finally {
      chmodSync(at('locked.txt'), 0o600);
    }
  });

  it('a wrong -pw @FILE, where FILE exists, says how to give the file now', async () => {
    const run = await refused(1, /the password is wrong/, '-cert', '-list', '-db', at('pw.p12'), '-pw', `@${pwFile()}`);
    expect(run.err).toContain(`Note: -pw takes the password literally, as runmqakm does; if "@${pwFile()}" names a password file, give -pw:file ${pwFile()}.`);
    const peer = await refused(1, /the password is wrong/, '-keydb', '-compare', '-db', at('pw.p12'), '-pw', 'passw0rd', '-db2', at('pw.p12'), '-pw2', `@${pwFile()}`);
    expect(peer.err).toContain(`give -pw2:file ${pwFile()}`);
  });

  it('a wrong -pw @word with no such file gets no hint', async () => {
    const run = await refused(1, /the password is wrong/, '-cert', '-list', '-db', at('pw.p12'), '-pw', '@nothing-here');
    expect(run.err).not.toContain('Note:');
  });

  it('a new password given as -pw @FILE, where FILE exists, is set literally, with a note saying so', async () => {
    const notes = await okNotes('-keydb', '-create', '-db', at('literal.p12'), '-pw', `@${pwFile()}`, '-type', 'pkcs12');
    expect(notes).toContain(`keydesk: note: -pw takes the password literally, as runmqakm does; if "@${pwFile()}" names a password file, give -pw:file ${pwFile()}.`);
    expect(await ok('-cert', '-list', '-db', at('literal.p12'), '-pw', `@${pwFile()}`)).not.toContain('note:');
  });

  it('-help documents -pw:file', async () => {
    const help = await ok('-help');
    expect(help).toContain('-pw:file FILE (the first line of FILE)');
    expect(help).toContain('taken literally');
  });
});

/**
 * -expire: IBM documents GSKit's key database password expiry as 0 to 9999 days, 0 meaning
 * it never expires (z/OS System SSL, "gskkyman" Database menu:
 * https://www.ibm.com/support/knowledgecenter/SSLTBW_2.3.0/com.ibm.zos.v2r3.gska100/sssl2gsk1756415.htm).
 * The same ceiling bounds a certificate's validity, so no end date overflows and no value a
 * runmqakm script passes is refused.
 */
describe('-expire out of range', () => {
  beforeAll(async () => {
    await ok('-keydb', '-create', '-db', at('expire.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-stash');
    await ok('-cert', '-create', '-db', at('expire.p12'), '-stashed', '-label', 'ca', '-dn', 'CN=ca', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-ca', 'true');
    await ok('-keydb', '-create', '-db', at('csr.p12'), '-pw', 'passw0rd', '-type', 'pkcs12');
    await ok('-certreq', '-create', '-db', at('csr.p12'), '-pw', 'passw0rd', '-label', 'app', '-dn', 'CN=app', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-file', at('app.csr'));
  });

  const certificate = /-expire takes the certificate's validity in days, 1 to 9999, not "/;
  for (const value of ['100000000', '10000', '0', '-5', '12.5', '1e3', '', ' 365', 'ten']) {
    it(`-cert -create -expire ${JSON.stringify(value)} is a usage error`, async () => {
      // An empty argv element is skipped, as runmqakm does (PowerShell leaves them): -expire then has no value.
      await refused(2, value === '' ? /-expire needs a value/ : certificate, '-cert', '-create', '-db', at('expire.p12'), '-stashed', '-label', 'x', '-dn', 'CN=x', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-expire', value);
    });
  }

  it('-cert -sign and -certreq -create check it the same way', async () => {
    await refused(2, certificate, '-cert', '-sign', '-db', at('expire.p12'), '-stashed', '-label', 'ca', '-file', at('app.csr'), '-target', at('app.pem'), '-expire', '100000000');
    await refused(2, certificate, '-certreq', '-create', '-db', at('csr.p12'), '-pw', 'passw0rd', '-label', 'b', '-dn', 'CN=b', '-file', at('b.csr'), '-expire', '0');
  });

  it('a password lifetime out of range is a usage error for -keydb -create and -changepw', async () => {
    const password = /-expire takes the password's lifetime in days, 0 to 9999 \(0: none\), not "100000000"/;
    await refused(2, password, '-keydb', '-create', '-db', at('never.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-expire', '100000000');
    await refused(2, password, '-keydb', '-changepw', '-db', at('expire.p12'), '-pw', 'passw0rd', '-new_pw', 'n3wpassw0rd', '-expire', '100000000');
  });

  it('accepts the ends of the ranges', async () => {
    await ok('-keydb', '-create', '-db', at('zero.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-expire', '0');
    await ok('-keydb', '-create', '-db', at('max.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-expire', '9999');
    await ok('-cert', '-create', '-db', at('expire.p12'), '-stashed', '-label', 'long', '-dn', 'CN=long', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-expire', '9999');
    await ok('-cert', '-create', '-db', at('expire.p12'), '-stashed', '-label', 'short', '-dn', 'CN=short', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-expire', '1');
    const details = JSON.parse(await ok('-cert', '-details', '-db', at('expire.p12'), '-stashed', '-label', 'long', '-json'));
    const days = (Date.parse(details.notAfter) - Date.parse(details.notBefore)) / 86_400_000;
    expect(Math.round(days)).toBe(9999);
  });
});

describe('-ui -serve -port', () => {
  for (const port of ['70000', '-1', 'http', '', ' 80', '0x50', '1e3', '8443.5']) {
    it(`refuses -port ${JSON.stringify(port)} as a usage error`, async () => {
      await refused(2, port === '' ? /-port needs a value/ : /-port takes a number from 0 to 65535 \(0: any free port\), not "/, '-ui', '-serve', '-port', port);
    });
  }

  const built = existsSync(join(rendererBuildDir, 'index.html'));
  it.skipIf(!built)(`refuses a port in use in one line, exit 1${built ? '' : ' (skipped: the UI is not built; npm run build:renderer)'}`, async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const used = (holder.address() as AddressInfo).port;
    try {
      await refused(1, new RegExp(`^keydesk: port ${used} on 127\\.0\\.0\\.1 is in use; choose another with -port$`), '-ui', '-serve', '-port', String(used));
    } finally {
      holder.close();
    }
  });
});

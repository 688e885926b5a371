/**
 * runmqakm's command-line forms that real scripts use (issue 14): flags before the action,
 * -fips with a value, and argv elements holding several words — IBM's MQ container
 * (ibm-messaging/mq-container, internal/keystore/keystore.go) passes "-fips false" and
 * "-size 2048 -sig_alg sha512 -eku serverAuth" each as one argument.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

describe('argument forms runmqakm accepts', () => {
  it('flags between the object and the action (-keydb -fips -stashpw)', async () => {
    await ok('-keydb', '-create', '-db', at('a.kdb'), '-pw', 'Passw0rd!', '-type', 'cms');
    await ok('-keydb', '-fips', '-stashpw', '-db', at('a.kdb'), '-pw', 'Passw0rd!');
    expect(existsSync(at('a.sth'))).toBe(true);
    await ok('-cert', '-db', at('a.kdb'), '-stashed', '-list');
  });

  it('-fips with a value, before or after the action', async () => {
    await ok('-keydb', '-create', '-fips', 'false', '-db', at('b.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    await ok('-cert', '-list', '-db', at('b.kdb'), '-stashed', '-fips', 'true');
  });

  it('argv elements holding several words, as the MQ container passes them', async () => {
    await ok('-keydb', '-create -fips false', '-db', at('c.kdb'), '-pw', 'Passw0rd!', '-type cms', '-stash');
    await ok('-cert', '-create', '-db', at('c.kdb'), '-stashed', '-label', 'qm1 label', '-dn', 'CN=QM1, O=Some Org', '-size 256 -sig_alg EC_ecdsa_with_SHA256');
    // A value with spaces stays one value: the label and the DN above.
    const listed = JSON.parse(await ok('-cert', '-details', '-label', 'qm1 label', '-db', at('c.kdb'), '-stashed', '-json'));
    expect(listed.subject).toMatch(/O=Some Org/);
  });

  it('an object without an action, or an unknown object, is a usage error in one line', async () => {
    const none = await cli('-keydb', '-db', at('a.kdb'), '-pw', 'x');
    expect(none).toMatchObject({ code: 2 });
    expect(none.err).toMatch(/^keydesk: -keydb needs an action/);
    const unknown = await cli('-nothing', '-list');
    expect(unknown.err).toMatch(/^keydesk: unknown object -nothing/);
  });
});

describe('spellings and forms seen in real scripts', () => {
  it('-sigalg is -sig_alg (runmqakm usage text: "-sig_alg | -sigalg", cli/RUNMQAKM.md §3.6)', async () => {
    await ok('-keydb', '-create', '-db', at('d.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    await ok('-cert', '-create', '-db', at('d.kdb'), '-stashed', '-label', 'qm1', '-dn', 'CN=QM1', '-size', '256', '-sigalg', 'EC_ecdsa_with_SHA384');
    expect(JSON.parse(await ok('-cert', '-details', '-label', 'qm1', '-db', at('d.kdb'), '-stashed', '-json')).signatureAlgorithm).toMatch(/384/);
  });

  it('empty argv elements are skipped, as PowerShell .Split(" ") leaves them (cli/testing/REAL-SCRIPTS.md)', async () => {
    await ok('-keydb', '-create', '', '-db', at('e.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash', '');
    await ok('-keydb', '-changepw', '-db', at('e.kdb'), '-pw', 'Passw0rd!', '-new_pw', '', 'N3w-Passw0rd!');
    await ok('-cert', '-list', '-db', at('e.kdb'), '-pw', 'N3w-Passw0rd!');
    // Kept only as a password flag's value before another flag or at the end: an empty password.
    // (A store is never made with one, so the refusal shows the password arrived empty.)
    const empty = await cli('-keydb', '-create', '-db', at('empty.kdb'), '-pw', '', '-type', 'cms');
    expect(empty).toMatchObject({ code: 2, out: '' });
    expect(empty.err).toMatch(/empty\.kdb: an empty password is not allowed/);
    expect(existsSync(at('empty.kdb'))).toBe(false);
  });

  it('-db without an extension means the .kdb, as IBM names it (cli/RUNMQAKM.md §5)', async () => {
    await ok('-keydb', '-create', '-db', at('noext'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    expect(existsSync(at('noext.kdb'))).toBe(true);
    expect(existsSync(at('noext'))).toBe(false);
    await ok('-cert', '-list', '-db', at('noext'), '-stashed');
  });

  it('a PKCS#11 module that does not load is named in one line; -crypto on a command that takes no token is refused by name', async () => {
    // The token commands themselves are in token.interop.test.ts (SoftHSM2).
    const run = await cli('-cert', '-list', '-crypto', '/usr/lib/no-such-pkcs11.so', '-tokenlabel', 'token1', '-pw', 'x');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^keydesk: (\/usr\/lib\/no-such-pkcs11\.so: the PKCS#11 module did not load|PKCS#11 tokens cannot be opened here)/);
    expect(run.err.split('\n')).toHaveLength(1);
    const create = await cli('-keydb', '-create', '-crypto', '/usr/lib/no-such-pkcs11.so', '-tokenlabel', 'token1', '-pw', 'x');
    expect(create.code).toBe(1);
    expect(create.err).toMatch(/^keydesk: KeyDesk opens a PKCS#11 token \(-crypto, -tokenlabel, -secondaryDB\) on the -cert and -certreq commands.*not on this one/);
    expect(create.err.split('\n')).toHaveLength(1);
  });
});

// The real process at a real terminal: `script` gives it one (util-linux).
const haveScript = spawnSync('script', ['--version']).error === undefined;
describe.skipIf(!haveScript)(`a missing password is asked for at a terminal, without echo${haveScript ? '' : ' (skipped: no script(1))'}`, () => {
  let launcher = '';
  beforeAll(async () => {
    await build({ entryPoints: [resolve(__dirname, 'main.ts')], outfile: at('cli/keydesk.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', external: ['pkcs11js'] });
    launcher = at('cli/keydesk.js');
    writeFileSync(launcher, "require('./keydesk.cjs').main();\n");
  }, 60_000);

  /** Runs keydesk under script(1), typing `typed` once its prompt is shown. */
  function atTerminal(args: string[], typed: string[]): Promise<string> {
    return new Promise((done) => {
      const command = [process.execPath, launcher, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let seen = '';
      const answers = [...typed];
      child.stdout.on('data', (c: Buffer) => {
        seen += c.toString();
        if (/password : $/.test(seen) && answers.length > 0) child.stdin.write(`${answers.shift()}\n`);
      });
      child.on('exit', () => done(seen));
    });
  }

  it('lists the store once the password is typed, and the password is not echoed', async () => {
    await ok('-keydb', '-create', '-db', at('tty.kdb'), '-pw', 'Typed-pw1', '-type', 'cms');
    const seen = await atTerminal(['-cert', '-list', '-db', at('tty.kdb')], ['Typed-pw1']);
    expect(seen).toContain('Database password :');
    expect(seen).not.toContain('Typed-pw1');
    expect(seen).toMatch(/No certificates were found|Certificates found/);
  }, 30_000);
});

describe.skipIf(!hasTool('openssl'))(`-cert -sign -sigalg, as G18's signing scripts pass it (cli/RUNMQAKM.md §2.3 -sign)${missingNote('openssl')}`, () => {
  it('signs with the algorithm asked for, and refuses one that does not fit the CA key', async () => {
    await ok('-keydb', '-create', '-db', at('ca.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    await ok('-cert', '-create', '-db', at('ca.kdb'), '-stashed', '-label', 'ca', '-dn', 'CN=Sign CA', '-ca', 'true');
    await ok('-keydb', '-create', '-db', at('app.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    await ok('-certreq', '-create', '-db', at('app.kdb'), '-stashed', '-label', 'app', '-dn', 'CN=App', '-file', at('app.csr'));
    const signed = await cli('-cert', '-sign', '-db', at('ca.kdb'), '-stashed', '-label', 'ca', '-file', at('app.csr'), '-target', at('app.pem'), '-format', 'ascii', '-expire', '30', '-sigalg', 'SHA512_WITH_RSA');
    expect(signed).toMatchObject({ code: 0, out: '' });
    expect(runTool('openssl', ['x509', '-in', at('app.pem'), '-noout', '-text']).toString()).toContain('Signature Algorithm: sha512WithRSAEncryption');
    const wrong = await cli('-cert', '-sign', '-db', at('ca.kdb'), '-stashed', '-label', 'ca', '-file', at('app.csr'), '-target', at('app2.pem'), '-sigalg', 'EC_ecdsa_with_SHA256');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/signs with ECDSA, but the key of "ca" is RSA/);
    expect(existsSync(at('app2.pem'))).toBe(false);
  });
});

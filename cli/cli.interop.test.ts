/**
 * The CLI against stores made at test time by openssl and keytool: what an operator
 * would check — the labels and marks runmqakm prints, and fingerprints equal openssl's.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasTool, makeTempDir, runTool } from '../core/testing/peer-tools';
import { writeStash } from '../core/formats/cms-stash';
import { cli } from './testing/run-cli';

const keydeskBin = resolve(__dirname, '../bin/keydesk');

/** `AA:BB:…` from openssl → the lowercase hex KeyDesk's JSON uses. */
function opensslFingerprint(pem: string, digest: 'sha1' | 'sha256'): string {
  const line = runTool('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', `-${digest}`]).toString();
  return line.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
}

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

describe.skipIf(!hasTool('openssl'))('stores made by openssl', () => {
  beforeAll(() => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=Test/CN=Test Root CA', '-days', '3650');
    o('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'qm.key', '-out', 'qm.csr', '-subj', '/O=Test/CN=QM1');
    o('x509', '-req', '-in', 'qm.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'qm.pem', '-days', '365');
    o('pkcs12', '-export', '-in', 'qm.pem', '-inkey', 'qm.key', '-name', 'ibmwebspheremqqm1', '-certfile', 'ca.pem', '-caname', 'Test Root CA', '-out', 'modern.p12', '-passout', 'pass:s3cret');
    o('pkcs12', '-export', '-legacy', '-in', 'qm.pem', '-inkey', 'qm.key', '-name', 'ibmwebspheremqqm1', '-certfile', 'ca.pem', '-caname', 'Test Root CA', '-out', 'legacy.p12', '-passout', 'pass:s3cret');
    writeFileSync(at('garbage.p12'), 'this is not a key store\n'.repeat(20));
  });

  for (const file of ['modern.p12', 'legacy.p12']) {
    it(`lists ${file} as runmqakm does`, async () => {
      const { code, out } = await cli('-cert', '-list', 'all', '-db', at(file), '-pw', 's3cret');
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines[0]).toBe('Certificates found');
      expect(lines).toContain('-\tibmwebspheremqqm1');
      // A label with a space is quoted, as runmqakm quotes it (cli/RUNMQAKM.md §3.1, G4/G6).
      expect(lines).toContain('!\t"Test Root CA"');
    });

    it(`gives ${file}'s facts as JSON, fingerprints equal to openssl's`, async () => {
      const { code, out } = await cli('-cert', '-list', '-db', at(file), '-pw', 's3cret', '-json');
      expect(code).toBe(0);
      const listing = JSON.parse(out);
      expect(listing.type).toBe('pkcs12');
      const qm = listing.entries.find((e: { label: string }) => e.label === 'ibmwebspheremqqm1');
      expect(qm).toMatchObject({ kind: 'personal', hasPrivateKey: true, keyAlgorithm: 'EC', curve: 'P-384', subject: 'CN=QM1,O=Test', issuer: 'CN=Test Root CA,O=Test' });
      expect(qm.sha1).toBe(opensslFingerprint(at('qm.pem'), 'sha1'));
      expect(qm.sha256).toBe(opensslFingerprint(at('qm.pem'), 'sha256'));
      const ca = listing.entries.find((e: { label: string }) => e.label === 'Test Root CA');
      expect(ca).toMatchObject({ kind: 'signer', hasPrivateKey: false, keyAlgorithm: 'RSA', keySize: 2048 });
      expect(ca.sha256).toBe(opensslFingerprint(at('ca.pem'), 'sha256'));
    });
  }

  it('filters personal and ca', async () => {
    const personal = await cli('-cert', '-list', 'personal', '-db', at('modern.p12'), '-pw', 's3cret');
    expect(personal.out).toContain('ibmwebspheremqqm1');
    expect(personal.out).not.toContain('Test Root CA');
    const ca = await cli('-cert', '-list', 'ca', '-db', at('modern.p12'), '-pw', 's3cret');
    expect(ca.out).toContain('Test Root CA');
    expect(ca.out).not.toContain('ibmwebspheremqqm1');
  });

  it('details a personal certificate with its chain', async () => {
    const { code, out } = await cli('-cert', '-details', '-label', 'ibmwebspheremqqm1', '-db', at('modern.p12'), '-pw', 's3cret', '-json');
    expect(code).toBe(0);
    const details = JSON.parse(out);
    expect(details.chain.map((c: { subject: string }) => c.subject)).toEqual(['CN=QM1,O=Test', 'CN=Test Root CA,O=Test']);
    const text = await cli('-cert', '-details', '-label', 'ibmwebspheremqqm1', '-db', at('modern.p12'), '-pw', 's3cret');
    // runmqakm's layout (cli/RUNMQAKM.md §3.2, G4): a heading, then the hash as indented hex lines.
    const opensslColons = runTool('openssl', ['x509', '-in', at('qm.pem'), '-noout', '-fingerprint', '-sha256']).toString().split('=')[1]!.trim();
    const lines = text.out.split('\n');
    const at256 = lines.indexOf('Fingerprint : SHA256 : ');
    expect(lines.slice(at256 + 1, at256 + 3).join(' ').trim().replace(/ +/g, ':')).toBe(opensslColons);
  });

  it('an unknown label is refused with one line naming it', async () => {
    const { code, err } = await cli('-cert', '-details', '-label', 'nope', '-db', at('modern.p12'), '-pw', 's3cret');
    expect(code).toBe(1);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain('"nope"');
  });

  it('takes the password from KEYDESK_PW, from -pw:file FILE and from a stash', async () => {
    writeFileSync(at('pw.txt'), 's3cret\n');
    expect((await cli('-cert', '-list', '-db', at('modern.p12'), '-pw:file', at('pw.txt'))).code).toBe(0);
    const env = spawnSync(keydeskBin, ['-cert', '-list', '-db', at('modern.p12')], { env: { ...process.env, KEYDESK_PW: 's3cret' } });
    expect(env.status).toBe(0);
    writeFileSync(at('modern.sth'), writeStash('s3cret'));
    expect((await cli('-cert', '-list', '-db', at('modern.p12'), '-stashed')).code).toBe(0);
  });

  it('a stash for another password says the stash does not open the store', async () => {
    writeFileSync(at('legacy.sth'), writeStash('other'));
    const { code, err } = await cli('-cert', '-list', '-db', at('legacy.p12'), '-stashed');
    expect(code).toBe(1);
    expect(err).toContain('legacy.sth does not open');
  });

  describe('bad input: one plain line, no trace, non-zero exit, file unchanged', () => {
    const run = (args: string[]) => spawnSync(keydeskBin, args, { encoding: 'utf8', env: { ...process.env, KEYDESK_DEBUG: '' } });

    it('wrong password', () => {
      const before = readFileSync(at('modern.p12'));
      const r = run(['-cert', '-list', '-db', at('modern.p12'), '-pw', 'wrong']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/password is wrong/i);
      expect(r.stderr).toContain(at('modern.p12'));
      expect(readFileSync(at('modern.p12')).equals(before)).toBe(true);
    });

    it('a file that is not a key store', () => {
      const r = run(['-cert', '-list', '-db', at('garbage.p12'), '-pw', 'x']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${at('garbage.p12')} is not a key store`);
    });

    it('a missing file', () => {
      const r = run(['-cert', '-list', '-db', at('missing.p12'), '-pw', 'x']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${at('missing.p12')}: no such key store`);
    });

    it('a truncated store', () => {
      const bytes = readFileSync(at('modern.p12'));
      writeFileSync(at('truncated.p12'), bytes.subarray(0, bytes.length - 100));
      const r = run(['-cert', '-list', '-db', at('truncated.p12'), '-pw', 's3cret']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('a usage error exits 2', () => {
      const r = run(['-cert', '-list', '-db', at('modern.p12'), '-pw', 's3cret', '-bogus']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});

describe.skipIf(!hasTool('keytool') || !hasTool('openssl'))('a store made by keytool (RSA, EC and a trusted entry)', () => {
  const store = () => at('java.p12');
  beforeAll(() => {
    const k = (...args: string[]) => runTool('keytool', [...args, '-keystore', store(), '-storetype', 'PKCS12', '-storepass', 'changeit', '-noprompt']);
    k('-genkeypair', '-alias', 'rsa-client', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=RSA Client,O=Test', '-validity', '30');
    k('-genkeypair', '-alias', 'ec-client', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=EC Client,O=Test', '-validity', '30');
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('trust.key'), '-out', at('trust.pem'), '-subj', '/CN=Trusted CA', '-days', '30']);
    k('-importcert', '-alias', 'trusted-ca', '-file', at('trust.pem'));
  });

  it('lists the entries keytool lists, with the kinds keytool gives them', async () => {
    const keytool = runTool('keytool', ['-list', '-keystore', store(), '-storetype', 'PKCS12', '-storepass', 'changeit']).toString();
    const { code, out } = await cli('-cert', '-list', '-db', store(), '-pw', 'changeit', '-json');
    expect(code).toBe(0);
    const entries: { label: string; kind: string; keyAlgorithm: string; curve?: string }[] = JSON.parse(out).entries;
    for (const e of entries) {
      const kind = e.kind === 'personal' ? 'PrivateKeyEntry' : 'trustedCertEntry';
      expect(keytool).toMatch(new RegExp(`^${e.label},.*${kind}`, 'm'));
    }
    expect(entries.map((e) => `${e.label}:${e.kind}`).sort()).toEqual(['ec-client:personal', 'rsa-client:personal', 'trusted-ca:signer']);
    expect(entries.find((e) => e.label === 'ec-client')).toMatchObject({ keyAlgorithm: 'EC', curve: 'P-256' });
    expect(entries.find((e) => e.label === 'trusted-ca')?.keyAlgorithm).toBe('RSA');
  });
});

describe('a reader that stops early (keydesk … | head)', () => {
  it('ends quietly: no stack trace, no error line', async () => {
    const db = at('many.p12');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'pw', '-type', 'pkcs12')).code).toBe(0);
    expect((await cli('-cert', '-populate', '-db', db, '-pw', 'pw')).code).toBe(0);
    // The JSON of 100+ CAs is far larger than a pipe's buffer, so keydesk is still writing when head leaves.
    const r = spawnSync('sh', ['-c', `"${keydeskBin}" -cert -list -db "${db}" -pw pw -json | head -c 10 > /dev/null`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
});

describe('runmqakm scripts', () => {
  it('may pass -fips anywhere: accepted and ignored', async () => {
    const db = at('fips.kdb');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'pw', '-type', 'cms', '-fips')).code).toBe(0);
    const r = await cli('-cert', '-list', 'all', '-db', db, '-pw', 'pw', '-fips');
    expect(r).toMatchObject({ code: 0, err: '' });
  });
});

/**
 * runmqakm -cert -modify -trust enable|disable and -cert -add -trust disable: a signer
 * kept but not trusted, as an operator checks it — the listing's "!" mark, the details,
 * validation of a partner certificate under it, the doctor, the bytes kdbcheck reads —
 * and the refusals (formats without a trust switch, non-signers) that change nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, kdbcheckPath, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli, ok, okNotes } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const canCheckCms = hasTool('python3') && existsSync(kdbcheckPath);

/** The 5000-byte record slots of a v6 .kdb (after its header: 0x30 bytes, the 48-byte verifier and MAC). */
function slots(file: string): Buffer[] {
  const bytes = readFileSync(file);
  const out: Buffer[] = [];
  for (let at = 0x30 + 2 * 48; at + 5000 <= bytes.length; at += 5000) out.push(bytes.subarray(at, at + 5000));
  return out;
}
/** The record flags that follow a label inside a slot: VisibleString label, BIT STRING. */
function flagsOf(file: string, label: string): string | undefined {
  const visible = Buffer.concat([Buffer.of(0x1a, label.length), Buffer.from(label)]);
  for (const slot of slots(file)) {
    const i = slot.indexOf(visible);
    if (i >= 0) return slot.subarray(i + visible.length, i + visible.length + 4).toString('hex');
  }
  return undefined;
}

describe.skipIf(!hasTool('openssl'))(`signer trust on and off${missingNote('openssl')}`, () => {
  const kdb = at('qm.kdb');
  const auth = ['-db', kdb, '-pw', 'Passw0rd'];
  beforeAll(async () => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=Partner/CN=Partner Root CA', '-days', '30');
    o('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'app.key', '-out', 'app.csr', '-subj', '/O=Partner/CN=APP1');
    o('x509', '-req', '-in', 'app.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'app.pem', '-days', '30');
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/CN=Other CA', '-days', '30');
    await ok('-keydb', '-create', '-db', kdb, '-pw', 'Passw0rd', '-type', 'cms', '-stash');
    await ok('-cert', '-add', '-label', 'partner root', '-file', at('ca.pem'), ...auth);
    await ok('-cert', '-add', '-label', 'app1', '-file', at('app.pem'), ...auth);
    await ok('-cert', '-create', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', ...auth);
  });

  it('disable: kept, unmarked in the listing, "Trust Status : Disabled", and a partner under it no longer validates', async () => {
    expect((await ok('-cert', '-validate', '-label', 'app1', ...auth))).toMatch(/valid/i);
    const before = slots(kdb);
    const r = await cli('-cert', '-modify', '-label', 'partner root', '-trust', 'disable', ...auth);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toMatch(/^keydesk: note: .*no longer trusted/);

    expect((await ok('-cert', '-list', ...auth)).split('\n').slice(2)).toEqual([' \t"partner root"', '!\tapp1', '-\tibmwebspheremqqm1']);
    // runmqakm's field (cli/RUNMQAKM.md §3.2, G1/G4); its "Disabled" spelling is inferred there.
    expect(await ok('-cert', '-details', '-label', 'partner root', ...auth)).toContain('\nTrust Status : Disabled');
    expect(JSON.parse(await ok('-cert', '-list', 'ca', ...auth, '-json')).entries.map((e: { label: string; trusted: boolean }) => [e.label, e.trusted])).toEqual([
      ['partner root', false],
      ['app1', true],
    ]);
    const validate = await cli('-cert', '-validate', '-label', 'app1', ...auth);
    expect(validate.code).not.toBe(0);
    expect(validate.out + validate.err).toContain('"partner root", whose trust is disabled');

    // On disk: only that record changed, its flag bit cleared; every other slot is the same.
    expect(flagsOf(kdb, 'partner root')).toBe('03020700');
    const after = slots(kdb);
    expect(after.filter((s, i) => !s.equals(before[i]!))).toHaveLength(1);
    expect(existsSync(`${kdb}.bak`)).toBe(false);
  });

  it.skipIf(!canCheckCms)(`the database with a disabled signer passes kdbcheck.py${canCheckCms ? '' : ' (skipped: python3 or kdbcheck.py missing)'}`, () => {
    const r = spawnSync('python3', [kdbcheckPath, kdb, '-pw', 'Passw0rd'], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('the doctor names the disabled signer with the command that enables it', async () => {
    const r = await cli('-keydb', '-check', '-db', kdb, '-stashed', '-json');
    const findings = JSON.parse(r.out).findings as Array<{ code: string; label?: string; severity: string; fix?: { action: string } }>;
    expect(findings.find((f) => f.code === 'SIGNER_NOT_TRUSTED')).toMatchObject({ label: 'partner root', severity: 'info', fix: { action: 'enable-trust' } });
    const text = await cli('-keydb', '-check', '-db', kdb, '-stashed');
    expect(text.out).toContain(`keydesk -cert -modify -db ${kdb} -label "partner root" -trust enable`);
  });

  it('a conversion names the disabled signer instead of making it trusted, and writes nothing', async () => {
    const r = await cli('-keydb', '-convert', ...auth, '-new_db', at('qm.p12'), '-new_pw', 'Passw0rd', '-new_format', 'pkcs12');
    expect(r.code).not.toBe(0);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain('signer certificate with its trust disabled "partner root"');
    expect(existsSync(at('qm.p12'))).toBe(false);
  });

  it('enable: trusted again, the record as it was, and the partner validates', async () => {
    expect(await okNotes('-cert', '-modify', '-label', 'partner root', '-trust', 'enable', ...auth)).toContain('trusted again');
    expect(flagsOf(kdb, 'partner root')).toBe('03020780');
    expect((await ok('-cert', '-list', ...auth)).split('\n')[2]).toBe('!\t"partner root"');
    expect(await ok('-cert', '-validate', '-label', 'app1', ...auth)).toMatch(/valid/i);
    expect(await okNotes('-cert', '-modify', '-label', 'partner root', '-trust', 'enable', ...auth)).toContain('already trusted');
  });

  it('-cert -add -trust disable adds the signer untrusted', async () => {
    await ok('-cert', '-add', '-label', 'other ca', '-file', at('other.pem'), '-trust', 'disable', ...auth);
    expect((await ok('-cert', '-list', 'ca', ...auth)).split('\n').slice(2)).toContain(' \t"other ca"');
  });

  it('refuses with one plain line, the database unchanged: a personal certificate, an unknown label, a bad -trust value', async () => {
    const before = readFileSync(kdb);
    for (const [args, message] of [
      [['-label', 'ibmwebspheremqqm1', '-trust', 'disable'], 'is not a signer certificate'],
      [['-label', 'nobody', '-trust', 'disable'], 'no entry labelled "nobody"'],
      [['-label', 'app1', '-trust', 'maybe'], '-trust takes enable or disable, not "maybe"'],
      [['-label', 'app1'], '-trust'],
    ] as const) {
      const r = await cli('-cert', '-modify', ...args, ...auth);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toContain(message);
    }
    expect(readFileSync(kdb).equals(before)).toBe(true);
  });

  for (const [format, file] of [['pkcs12', 'signers.p12'], ['jks', 'signers.jks']] as const) {
    it(`${format}: disabling is refused (no trust switch in the format), the store unchanged; enabling says it already is`, async () => {
      const db = at(file);
      const own = ['-db', db, '-pw', 'Passw0rd'];
      await ok('-keydb', '-create', ...own, '-type', format);
      await ok('-cert', '-add', '-label', 'partner root', '-file', at('ca.pem'), ...own);
      const before = readFileSync(db);
      for (const args of [['-cert', '-modify', '-label', 'partner root', '-trust', 'disable'], ['-cert', '-add', '-label', 'app1', '-file', at('app.pem'), '-trust', 'disable']]) {
        const r = await cli(...args, ...own);
        expect(r.code).not.toBe(0);
        expect(r.err.split('\n')).toHaveLength(1);
        expect(r.err).toContain('has no trust switch');
        expect(readFileSync(db).equals(before)).toBe(true);
      }
      expect(await okNotes('-cert', '-modify', '-label', 'partner root', '-trust', 'enable', ...own)).toContain('already trusted');
    });
  }
});

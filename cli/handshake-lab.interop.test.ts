/**
 * The handshake lab (-tls -test) and Exchange Signers (-keydb -exchange), as a trainer
 * runs them: two stores that do not trust each other fail, naming the missing signer by
 * DN; after the exchange the real handshake succeeds; a stranger is refused. RSA and EC,
 * self-signed and CA-signed. openssl's own `verify` must agree with the lab's verdict on
 * who trusts whom.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import type { ExchangeResult, HandshakeReport } from '../core/api/contract';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const opensslVerify = (caFile: string, cert: string) => {
  try {
    runTool('openssl', ['verify', '-CAfile', caFile, cert], { cwd: temp.dir });
    return 'OK';
  } catch (e) {
    return (e as Error).message;
  }
};
const subjectOf = (pem: string) => runTool('openssl', ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253'], { cwd: temp.dir }).toString().trim().replace(/^subject=/, '');

interface Pair {
  qm: string;
  app: string;
  qmLabel: string;
  appLabel: string;
}

const storeArgs = (p: Pair) => ['-db', p.qm, '-stashed', '-label', p.qmLabel, '-peer_db', p.app, '-peer_pw', 'app-pw', '-peer_label', p.appLabel];

async function lab(p: Pair, ...extra: string[]): Promise<{ code: number; report: HandshakeReport; err: string }> {
  const r = await cli('-tls', '-test', ...storeArgs(p), ...extra, '-json');
  return { code: r.code, report: JSON.parse(r.out) as HandshakeReport, err: r.err };
}

async function exchange(p: Pair): Promise<ExchangeResult> {
  return JSON.parse(await ok('-keydb', '-exchange', ...storeArgs(p), '-json')) as ExchangeResult;
}

async function signerSubjects(db: string, ...credentials: string[]): Promise<string[]> {
  return JSON.parse(await ok('-cert', '-list', 'ca', '-db', db, ...credentials, '-json')).entries.map((e: { subject: string }) => e.subject);
}

const KEYS = {
  RSA: ['-size', '2048', '-sig_alg', 'SHA256WithRSA'],
  EC: ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'],
} as const;

for (const keyType of ['RSA', 'EC'] as const) {
  const k = keyType.toLowerCase();
  const flags = KEYS[keyType];

  describe.skipIf(!hasTool('openssl'))(`${keyType}, self-signed: lab before and after Exchange Signers${missingNote('openssl')}`, () => {
    const p: Pair = { qm: at(`qm-${k}.kdb`), app: at(`app-${k}.p12`), qmLabel: 'ibmwebspheremqqm1', appLabel: 'ibmwebspheremqapp' };

    it('before: the handshake fails, and each side is told which certificate (by DN) it must add', async () => {
      await ok('-keydb', '-create', '-db', p.qm, '-pw', 'qm-pw', '-type', 'cms', '-stash');
      await ok('-keydb', '-create', '-db', p.app, '-pw', 'app-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', p.qm, '-stashed', '-label', p.qmLabel, '-dn', `CN=QM1,OU=${keyType},O=KeyDesk Class`, ...flags);
      await ok('-cert', '-create', '-db', p.app, '-pw', 'app-pw', '-label', p.appLabel, '-dn', `CN=app,OU=${keyType},O=KeyDesk Class`, ...flags);
      await ok('-cert', '-extract', '-db', p.qm, '-stashed', '-label', p.qmLabel, '-target', at(`qm-${k}.pem`));
      await ok('-cert', '-extract', '-db', p.app, '-pw', 'app-pw', '-label', p.appLabel, '-target', at(`app-${k}.pem`));
      const qmDn = subjectOf(`qm-${k}.pem`);
      const appDn = subjectOf(`app-${k}.pem`);

      const filesBefore = readdirSync(temp.dir).sort();
      const before = await lab(p);
      expect(before.code).toBe(1);
      expect(before.report.ok).toBe(false);
      const client = before.report.problems.find((x) => x.side === 'client');
      const server = before.report.problems.find((x) => x.side === 'queue manager');
      expect(client?.message).toContain(qmDn);
      expect(client?.message).toContain(p.app);
      expect(client?.amq).toMatch(/AMQ9633/);
      expect(server?.message).toContain(appDn);
      expect(before.err).toMatch(/^keydesk: the handshake failed: /);
      // Keys went to TLS in memory: nothing new appeared beside the stores.
      expect(readdirSync(temp.dir).sort()).toEqual(filesBefore);

      // The reverse case proves nothing while the client does not trust the queue manager.
      const reverse = await lab(p, '-reverse');
      expect(reverse.report.reverse).toMatchObject({ refused: false });
      expect(reverse.report.reverse!.message).toMatch(/inconclusive/);
    });

    it('the exchange lists extract, transfer, add both ways and the manual enable steps; each store now trusts the other', async () => {
      const result = await exchange(p);
      expect(result.steps.map((s) => `${s.action}:${s.status}`)).toEqual(['extract:done', 'transfer:done', 'add:done', 'extract:done', 'transfer:done', 'add:done', 'enable:manual', 'enable:manual']);
      expect(result.steps[0]!.command).toBe(`keydesk -cert -extract -db ${p.qm} -label ${p.qmLabel} -target ${p.qmLabel}.arm -format ascii`);
      expect(await signerSubjects(p.app, '-pw', 'app-pw')).toEqual([subjectOf(`qm-${k}.pem`)]);
      expect(await signerSubjects(p.qm, '-stashed')).toEqual([subjectOf(`app-${k}.pem`)]);
      // openssl agrees: each certificate now verifies against what the other side extracted.
      await ok('-cert', '-extract', '-db', p.app, '-pw', 'app-pw', '-label', 'QM1', '-target', at(`app-${k}-trusts.pem`));
      expect(opensslVerify(`app-${k}-trusts.pem`, `qm-${k}.pem`)).toBe('OK');

      // Once more: everything is already there and neither store is rewritten.
      const stamp = statSync(p.qm).mtimeMs;
      const again = await exchange(p);
      expect(again.steps.filter((s) => s.action === 'add').map((s) => s.status)).toEqual(['present', 'present']);
      expect(statSync(p.qm).mtimeMs).toBe(stamp);
    });

    it('after: the real handshake succeeds, TLS 1.3 by default; a stranger is refused (-reverse)', async () => {
      const after = await lab(p, '-reverse');
      expect(after.code).toBe(0);
      expect(after.report).toMatchObject({ ok: true, protocol: 'TLSv1.3', problems: [], settings: { cipherSpec: 'ANY_TLS12_OR_HIGHER', clientAuth: 'required' } });
      expect(after.report.reverse).toMatchObject({ refused: true });
      expect(after.report.reverse!.message).toContain('KeyDesk lab stranger');

      const text = await ok('-tls', '-test', ...storeArgs(p), '-reverse');
      expect(text).toMatch(/^Handshake OK \(ANY_TLS12_OR_HIGHER, SSLCAUTH\(REQUIRED\)\): TLSv1\.3, /);
      expect(text).toMatch(/Reverse case: as it must, the queue manager refused/);
    });

    it('a TLS 1.2 CipherSpec for the key negotiates exactly that suite; one for the other key type fails, saying so', async () => {
      const own = keyType === 'RSA' ? 'ECDHE_RSA_AES_256_GCM_SHA384' : 'ECDHE_ECDSA_AES_256_GCM_SHA384';
      const good = await lab(p, '-cipherspec', own);
      expect(good.report).toMatchObject({ ok: true, protocol: 'TLSv1.2', cipherSpec: own, cipher: keyType === 'RSA' ? 'ECDHE-RSA-AES256-GCM-SHA384' : 'ECDHE-ECDSA-AES256-GCM-SHA384' });
      const tls13 = await lab(p, '-cipherspec', 'TLS_AES_128_GCM_SHA256', '-cauth', 'optional');
      expect(tls13.report).toMatchObject({ ok: true, protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', settings: { clientAuth: 'optional' } });

      const other = keyType === 'RSA' ? 'ECDHE_ECDSA_AES_128_GCM_SHA256' : 'TLS_RSA_WITH_AES_128_GCM_SHA256';
      const bad = await lab(p, '-cipherspec', other);
      expect(bad.code).toBe(1);
      expect(bad.report.ok).toBe(false);
      expect(bad.report.problems).toHaveLength(1);
      expect(bad.report.problems[0]).toMatchObject({ side: 'queue manager' });
      expect(bad.report.problems[0]!.amq).toMatch(/AMQ9616/);
      expect(bad.report.problems[0]!.message).toContain(`has an ${keyType} key`);
      expect(bad.report.tls?.server).toBe('no shared cipher');

      const refused = await cli('-tls', '-test', ...storeArgs(p), '-cipherspec', 'TRIPLE_DES_SHA_US');
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/SSL 3\.0.*AMQ9616/);
    });
  });
}

describe.skipIf(!hasTool('openssl'))(`CA-signed, two different CAs: the exchange moves the CA certificates, not the personal ones${missingNote('openssl')}`, () => {
  const p: Pair = { qm: at('qm-ca.kdb'), app: at('app-ca.p12'), qmLabel: 'ibmwebspheremqqm2', appLabel: 'appcert' };

  async function ca(name: string, dn: string): Promise<string> {
    const db = at(`${name}.p12`);
    await ok('-keydb', '-create', '-db', db, '-pw', 'ca-pw', '-type', 'pkcs12');
    await ok('-cert', '-create', '-db', db, '-pw', 'ca-pw', '-label', name, '-dn', dn, ...KEYS.RSA, '-ca', 'true', '-expire', '3650');
    await ok('-cert', '-extract', '-db', db, '-pw', 'ca-pw', '-label', name, '-target', at(`${name}.pem`));
    return db;
  }

  /** Request in `db`, signed by `caDb`, the CA added, the certificate received. */
  async function signed(db: string, credentials: string[], label: string, dn: string, caName: string): Promise<void> {
    await ok('-certreq', '-create', '-db', db, ...credentials, '-label', label, '-dn', dn, ...KEYS.RSA, '-file', at(`${label}.csr`));
    await ok('-cert', '-sign', '-db', at(`${caName}.p12`), '-pw', 'ca-pw', '-label', caName, '-file', at(`${label}.csr`), '-target', at(`${label}.pem`));
    await ok('-cert', '-add', '-db', db, ...credentials, '-label', caName, '-file', at(`${caName}.pem`));
    await ok('-cert', '-receive', '-db', db, ...credentials, '-file', at(`${label}.pem`));
  }

  it('before: each side lacks the other CA, named by DN; openssl verify agrees', async () => {
    await ca('class-ca-1', 'CN=Class CA 1,O=KeyDesk Class');
    await ca('class-ca-2', 'CN=Class CA 2,O=KeyDesk Class');
    await ok('-keydb', '-create', '-db', p.qm, '-pw', 'qm-pw', '-type', 'cms', '-stash');
    await ok('-keydb', '-create', '-db', p.app, '-pw', 'app-pw', '-type', 'pkcs12');
    await signed(p.qm, ['-stashed'], p.qmLabel, 'CN=QM2,O=KeyDesk Class', 'class-ca-1');
    await signed(p.app, ['-pw', 'app-pw'], p.appLabel, 'CN=app2,O=KeyDesk Class', 'class-ca-2');

    const before = await lab(p);
    expect(before.report.ok).toBe(false);
    expect(before.report.problems.find((x) => x.side === 'client')?.message).toContain(`lacks the signer ${subjectOf('class-ca-1.pem')}`);
    expect(before.report.problems.find((x) => x.side === 'queue manager')?.message).toContain(`lacks the signer ${subjectOf('class-ca-2.pem')}`);
    expect(opensslVerify('class-ca-2.pem', `${p.qmLabel}.pem`)).toMatch(/unable to get local issuer certificate/);
  });

  it('the exchange adds each CA to the other store; the handshake then succeeds and a stranger is refused', async () => {
    const result = await exchange(p);
    const extracted = result.steps.filter((s) => s.action === 'extract').map((s) => s.subject);
    expect(extracted).toEqual([subjectOf('class-ca-1.pem'), subjectOf('class-ca-2.pem')]);
    expect((await signerSubjects(p.app, '-pw', 'app-pw')).sort()).toEqual([subjectOf('class-ca-1.pem'), subjectOf('class-ca-2.pem')].sort());
    expect((await signerSubjects(p.qm, '-stashed')).sort()).toEqual([subjectOf('class-ca-1.pem'), subjectOf('class-ca-2.pem')].sort());

    const after = await lab(p, '-reverse');
    expect(after.report).toMatchObject({ ok: true, reverse: { refused: true } });
    expect(after.code).toBe(0);
    await ok('-cert', '-extract', '-db', p.app, '-pw', 'app-pw', '-label', 'Class CA 1', '-target', at('app-trusts-ca1.pem'));
    expect(readFileSync(at('app-trusts-ca1.pem'), 'utf8')).toBe(readFileSync(at('class-ca-1.pem'), 'utf8'));
    expect(opensslVerify('app-trusts-ca1.pem', `${p.qmLabel}.pem`)).toBe('OK');
  });

  it('a client certificate whose CA the queue manager dropped again is refused, naming that CA', async () => {
    await ok('-cert', '-delete', '-db', p.qm, '-stashed', '-label', 'Class CA 2');
    const r = await lab(p);
    expect(r.code).toBe(1);
    expect(r.report.problems).toHaveLength(1);
    expect(r.report.problems[0]).toMatchObject({ side: 'queue manager' });
    expect(r.report.problems[0]!.message).toContain(subjectOf('class-ca-2.pem'));
    expect(r.report.tls?.server).toMatch(/refused the client's certificate/);
  });
});

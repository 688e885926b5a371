/**
 * `keydesk -tls -probe` against servers this test starts on 127.0.0.1, set up as queue
 * managers are: SSLCAUTH(REQUIRED) and OPTIONAL, TLS 1.2 only and TLS 1.3, RSA and EC, a
 * server that lists the CAs it accepts, one that sends an incomplete chain, `openssl
 * s_server` refusing a client certificate with an alert, ports that do not speak TLS, a
 * refused port, a silent one, and a name that cannot resolve (RFC 2606: .invalid).
 *
 * What the probe reports is checked against the peers: subjects as `openssl x509` prints
 * them, the CA list as the server was given it, the alert s_server sends.
 * AMQ9633 / AMQ9642 / AMQ9665 as IBM describes them: https://ibm.com/docs/en/SSFKSJ_9.3.0/reference/amq9.html
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { hasTool, makeTempDir, missingNote } from '../core/testing/peer-tools';
import { makeProbePki, refusedPort, startNodeTlsServer, startOpensslServer, startPlainServer, type ProbePki, type Running } from '../core/testing/tls-test-servers';
import type { TlsProbeReport } from '../core/api/contract';
import { KeyDeskService } from '../core/api/service';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
const running: Running[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
  temp.cleanup();
});
const keep = (r: Running) => (running.push(r), r);

async function probe(...args: string[]): Promise<{ code: number; report: TlsProbeReport; err: string }> {
  const r = await cli('-tls', '-probe', '-host', '127.0.0.1', ...args, '-json');
  return { code: r.code, report: JSON.parse(r.out) as TlsProbeReport, err: r.err };
}

describe.skipIf(!hasTool('openssl'))(`-tls -probe against local queue-manager-like servers${missingNote('openssl')}`, () => {
  let pki: ProbePki;
  const store = () => pki.at('app.p12');
  const storeArgs = () => ['-db', store(), '-pw', 'app-pw'];
  const label = 'ibmwebspheremqapp';

  beforeAll(async () => {
    pki = makeProbePki(temp.dir);
    // The application's store: its certificate from App CA, and the root of the queue
    // managers' PKI as its only server-side signer (not the intermediate).
    await ok('-keydb', '-create', '-db', store(), '-pw', 'app-pw', '-type', 'pkcs12');
    await ok('-cert', '-import', '-file', pki.at('app.pem'), '-keyfile', pki.at('app.key'), '-label', label, '-target', store(), '-target_pw', 'app-pw');
    await ok('-cert', '-add', '-label', 'appca', '-file', pki.at('appca.pem'), '-db', store(), '-pw', 'app-pw');
    await ok('-cert', '-add', '-label', 'probe root', '-file', pki.at('root.pem'), '-db', store(), '-pw', 'app-pw');
  }, 60_000);

  describe('TLS 1.2 only, RSA, SSLCAUTH(REQUIRED), lists App CA, sends its leaf without the intermediate', () => {
    let server: Running;
    beforeAll(async () => {
      server = keep(await startNodeTlsServer({ cert: [pki.at('qm.pem')], key: pki.at('qm.key'), ca: [pki.at('appca.pem')], clientAuth: 'required', maxVersion: 'TLSv1.2', greeting: 'MQ' }));
    });

    it('with the client certificate: the handshake succeeds, and the store is told which signer it lacks', async () => {
      const { code, report } = await probe('-port', String(server.port), ...storeArgs(), '-label', label);
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.protocol).toBe('TLSv1.2');
      expect(report.cipherSpecs[0]).toMatch(/^ECDHE_RSA_AES_(128|256)_GCM_SHA(256|384)$/);
      expect(report.cipherSpecs).toContain('ANY_TLS12');
      // The chain as sent: the leaf alone, which the store cannot verify.
      expect(report.chain.map((c) => c.subject)).toEqual([pki.subject('qm.pem')]);
      expect(report.chain[0]!.key).toBe('RSA 2048');
      expect(report.chain[0]!.trusted).toBe(false);
      expect(report.trust?.trusted).toBe(false);
      expect(report.trust?.missingSigner).toBe(pki.subject('inter.pem'));
      expect(report.trust?.message).toContain('incomplete chain');
      // The CertificateRequest, read off the wire.
      expect(report.clientAuth.requested).toBe(true);
      expect(report.clientAuth.acceptableCas).toEqual([pki.subject('appca.pem')]);
      expect(report.clientAuth.matches).toEqual([expect.objectContaining({ label, listed: true })]);
      expect(report.presented).toMatchObject({ label, outcome: 'accepted' });
    });

    it('without one: exit 1, one line saying the server requires a client certificate (AMQ9642)', async () => {
      const r = await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', String(server.port), ...storeArgs());
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/requires a client certificate/);
      expect(r.out).toMatch(/AMQ9642/);
      expect(r.out).toContain(`CAs the server accepts (1):\n    ${pki.subject('appca.pem')}`);
    });

    it('-cipherspec: a TLS 1.2 spec it has is agreed; a TLS 1.3 one is refused', async () => {
      const yes = await probe('-port', String(server.port), ...storeArgs(), '-label', label, '-cipherspec', 'ECDHE_RSA_AES_256_GCM_SHA384');
      expect(yes.code).toBe(0);
      expect(yes.report.cipherSpecAsked).toMatchObject({ name: 'ECDHE_RSA_AES_256_GCM_SHA384', agreed: true });
      expect(yes.report.cipher).toBe('ECDHE-RSA-AES256-GCM-SHA384');
      expect(yes.report.cipherSpecs[0]).toBe('ECDHE_RSA_AES_256_GCM_SHA384');
      const no = await probe('-port', String(server.port), ...storeArgs(), '-label', label, '-cipherspec', 'TLS_AES_256_GCM_SHA384');
      expect(no.code).toBe(1);
      expect(no.report.cipherSpecAsked).toMatchObject({ name: 'TLS_AES_256_GCM_SHA384', agreed: false });
      expect(no.err).toBe(`keydesk: 127.0.0.1(${server.port}): the server does not agree to TLS_AES_256_GCM_SHA384 (it answered protocol_version): the channel's SSLCIPH is another CipherSpec (AMQ9631 at the queue manager).`);
    });

    it('-cipherspec with an ECDSA spec against an RSA certificate: no cipher in common', async () => {
      const no = await probe('-port', String(server.port), '-cipherspec', 'ECDHE_ECDSA_AES_128_GCM_SHA256');
      expect(no.code).toBe(1);
      expect(no.report.cipherSpecAsked?.agreed).toBe(false);
      expect(no.report.chain).toEqual([]);
    });
  });

  describe('TLS 1.3, EC, full chain, SSLCAUTH(OPTIONAL)', () => {
    let server: Running;
    beforeAll(async () => {
      server = keep(await startNodeTlsServer({ cert: [pki.at('qm-ec.pem'), pki.at('inter.pem')], key: pki.at('qm-ec.key'), ca: [pki.at('appca.pem'), pki.at('otherca.pem')], clientAuth: 'optional', greeting: 'MQ' }));
    });

    it('the store trusts the chain; the CA list is read through a second TLS 1.2 hello', async () => {
      const { code, report } = await probe('-port', String(server.port), ...storeArgs(), '-label', label);
      expect(code).toBe(0);
      expect(report.protocol).toBe('TLSv1.3');
      expect(report.cipherSpecs).toEqual(expect.arrayContaining(['ANY_TLS13', 'ANY_TLS12_OR_HIGHER']));
      expect(report.chain.map((c) => c.subject)).toEqual([pki.subject('qm-ec.pem'), pki.subject('inter.pem')]);
      expect(report.chain[0]!.key).toBe('EC P-256');
      expect(report.chain.every((c) => c.trusted)).toBe(true);
      expect(report.trust).toMatchObject({ trusted: true });
      expect(report.trust?.message).toContain(pki.subject('root.pem'));
      expect(report.clientAuth.source).toMatch(/TLS 1\.2 hello/);
      expect(report.clientAuth.acceptableCas?.sort()).toEqual([pki.subject('appca.pem'), pki.subject('otherca.pem')].sort());
      expect(report.presented).toMatchObject({ label, outcome: 'accepted' });
    });

    it('with no store: the chain is shown, trust is not judged, and the handshake still succeeds', async () => {
      const { code, report } = await probe('-port', String(server.port));
      expect(code).toBe(0);
      expect(report.trust).toBeUndefined();
      expect(report.chain[0]!.trusted).toBeUndefined();
      expect(report.presented).toBeUndefined();
    });
  });

  describe('openssl s_server, SSLCAUTH(REQUIRED), trusting Other CA only', () => {
    let both: Running;
    let only13: Running;
    beforeAll(async () => {
      const common = { cwd: temp.dir, cert: 'qm.pem', key: 'qm.key', chain: 'inter.pem', caFile: 'otherca.pem', verify: 'required' as const };
      both = keep(await startOpensslServer(common));
      only13 = keep(await startOpensslServer({ ...common, tls13Only: true }));
    }, 30_000);

    it('refuses the certificate with unknown_ca: AMQ9633, and the store learns its CA is not listed', async () => {
      const { code, report, err } = await probe('-port', String(both.port), ...storeArgs(), '-label', label);
      expect(code).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.presented).toMatchObject({ label, outcome: 'refused', alert: 'unknown_ca' });
      expect(report.presented?.amq).toMatch(/AMQ9633/);
      expect(report.presented?.message).toContain(pki.subject('appca.pem'));
      expect(report.clientAuth.acceptableCas).toEqual([pki.subject('otherca.pem')]);
      expect(report.clientAuth.matches).toEqual([expect.objectContaining({ label, listed: false })]);
      expect(report.clientAuth.matches[0]!.message).toBe(`your ${label} is issued by a CA the server does not list (${pki.subject('appca.pem')}): the server will refuse it unless that CA is added to its key repository.`);
      expect(err).toMatch(/does not trust the issuer/);
    });

    it('TLS 1.3 only: says the CA list cannot be read, rather than guessing', async () => {
      const { report } = await probe('-port', String(only13.port), ...storeArgs(), '-label', label);
      expect(report.protocol).toBe('TLSv1.3');
      expect(report.clientAuth.acceptableCas).toBeUndefined();
      expect(report.clientAuth.source).toMatch(/cannot be read.*TLS 1\.3/);
    });
  });

  it('Add to Signers from the presented chain: the store then trusts the server', async () => {
    const server = keep(await startNodeTlsServer({ cert: [pki.at('qm.pem'), pki.at('inter.pem'), pki.at('root.pem')], key: pki.at('qm.key'), clientAuth: 'none' }));
    const copy = pki.at('bare.p12');
    await ok('-keydb', '-create', '-db', copy, '-pw', 'bare-pw', '-type', 'pkcs12');
    const api = new KeyDeskService();
    const ref = { path: copy, password: 'bare-pw' };
    const before = await api.probeTlsEndpoint({ host: '127.0.0.1', port: server.port, store: ref });
    expect(before.trust).toMatchObject({ trusted: false, missingSigner: pki.subject('root.pem') });
    const root = before.chain.find((c) => c.selfSigned)!;
    await api.addCertificate({ store: ref, label: 'probe root', pem: root.pem });
    const after = await api.probeTlsEndpoint({ host: '127.0.0.1', port: server.port, store: ref });
    expect(after.trust?.trusted).toBe(true);
    expect(after.chain.find((c) => c.selfSigned)?.signerLabel).toBe('probe root');
    expect(after.clientAuth.requested).toBe(false);
    // A label given to a server that does not ask: not sent, and said so.
    const withLabel = await api.probeTlsEndpoint({ host: '127.0.0.1', port: server.port, store: { path: store(), password: 'app-pw' }, label });
    expect(withLabel.ok).toBe(true);
    expect(withLabel.presented).toMatchObject({ label, outcome: 'not-requested' });
  });

  it('-sni reaches the server as the MQ channel name; an IP address alone sends none', async () => {
    const seen: (string | false | null)[] = [];
    const server = createTlsServer({ cert: readFileSync(pki.at('qm.pem')), key: readFileSync(pki.at('qm.key')) }, (socket) => {
      seen.push(socket.servername);
      socket.end('MQ');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    keep({ port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) });
    const port = String((server.address() as AddressInfo).port);
    const named = await probe('-port', port, '-sni', 'to2eqm1.chl.mq.ibm.com');
    expect(named.code).toBe(0);
    expect(named.report.sni).toBe('to2eqm1.chl.mq.ibm.com');
    expect((await probe('-port', port)).report.sni).toBeUndefined();
    expect(seen).toEqual(['to2eqm1.chl.mq.ibm.com', false]);
  });

  describe('ports that do not speak TLS, and the network failures a help desk meets', () => {
    it('an MQ listener answering in its own protocol (TSH)', async () => {
      const s = keep(await startPlainServer({ banner: Buffer.concat([Buffer.from('TSH '), Buffer.alloc(24, 0)]) }));
      const r = await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', String(s.port));
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(`keydesk: 127.0.0.1(${s.port}) answered in MQ's own protocol (a TSH header), not TLS: the channel it picked has no SSLCIPH. Set SSLCIPH on the channel, or connect without TLS.`);
    });

    it('another service, shown by its banner', async () => {
      const s = keep(await startPlainServer({ banner: 'SSH-2.0-OpenSSH_9.2\r\n' }));
      const { code, report } = await probe('-port', String(s.port));
      expect(code).toBe(1);
      expect(report.failure?.kind).toBe('not-tls');
      expect(report.banner).toMatch(/^SSH-2\.0-OpenSSH_9\.2/);
    });

    it('a port that hangs up at the TLS hello', async () => {
      const s = keep(await startPlainServer('close'));
      const { report } = await probe('-port', String(s.port));
      expect(report.failure?.kind).toBe('closed');
    });

    it('a port that accepts and says nothing: a timeout, in seconds given', async () => {
      const s = keep(await startPlainServer('silent'));
      const r = await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', String(s.port), '-timeout', '1');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/accepted the connection but sent nothing back to the TLS hello within 1 s/);
    });

    it('a refused port', async () => {
      const port = await refusedPort();
      const r = await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', String(port));
      expect(r.code).toBe(1);
      expect(r.err).toBe(`keydesk: 127.0.0.1(${port}) refused the connection: nothing listens on port ${port} there (is the listener started? check the port in CONNAME and DISPLAY LSSTATUS on the queue manager).`);
    });

    it('a host name that does not resolve (.invalid, RFC 2606)', async () => {
      const r = await cli('-tls', '-probe', '-host', 'qm1.keydesk.invalid', '-port', '1414', '-timeout', '20');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^keydesk: the host name qm1\.keydesk\.invalid does not resolve/);
    }, 30_000);

    it('usage: a bad port, a label without a store', async () => {
      expect((await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', '70000')).code).toBe(2);
      expect((await cli('-tls', '-probe', '-host', '127.0.0.1', '-port', '1414', '-label', 'x')).code).toBe(2);
    });
  });
});

/**
 * The two classic MQ TLS set-ups, start to finish with KeyDesk alone, checked by peers it
 * did not write: openssl verifies what it made, and Node's TLS (OpenSSL underneath) does a
 * real mutually authenticated handshake with the stores' exported keys.
 *   1. self-signed exchange: each side creates, extracts, adds the other's;
 *   2. CA-signed: request, sign (KeyDesk or openssl as the CA), add the CA, receive.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli, ok, okNotes } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const openssl = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir }).toString();

/** One mutually authenticated TLS handshake; resolves with who failed, if anyone. */
async function handshake(server: { pfx: string; ca: string }, client: { pfx: string; ca: string }): Promise<{ ok: boolean; serverError?: string; clientError?: string }> {
  const passphrase = 'export-pw';
  const tlsServer = createServer({ pfx: readFileSync(server.pfx), passphrase, ca: readFileSync(server.ca), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (socket) => socket.end('hello'));
  // The server's own verdict on the client's certificate, however the client notices it.
  const serverVerdict = new Promise<string | undefined>((resolve) => {
    tlsServer.once('tlsClientError', (e) => resolve(e.message));
    tlsServer.once('secureConnection', () => resolve(undefined));
  });
  const verdict = () => Promise.race([serverVerdict, new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000))]);
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  const { port } = tlsServer.address() as AddressInfo;
  try {
    return await new Promise((resolve) => {
      const socket: TLSSocket = connect({ host: '127.0.0.1', port, pfx: readFileSync(client.pfx), passphrase, ca: readFileSync(client.ca), checkServerIdentity: () => undefined, minVersion: 'TLSv1.2' });
      socket.once('data', () => {
        socket.end();
        resolve({ ok: true });
      });
      socket.once('error', (e) => void verdict().then((serverError) => resolve({ ok: false, serverError, clientError: e.message })));
      socket.once('end', () => void verdict().then((serverError) => resolve({ ok: false, serverError })));
    });
  } finally {
    tlsServer.close();
  }
}

for (const [keyName, sizeFlags] of [
  ['RSA', ['-size', '2048', '-sig_alg', 'SHA256WithRSA']],
  ['EC', ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256']],
] as const) {
  describe.skipIf(!hasTool('openssl'))(`${keyName}: the self-signed exchange${missingNote('openssl')}`, () => {
    const k = keyName.toLowerCase();
    it('each side creates, extracts and adds the other; a real TLS handshake succeeds, a stranger is refused', async () => {
      const qm = at(`qm-${k}.kdb`);
      const app = at(`app-${k}.p12`);
      await ok('-keydb', '-create', '-db', qm, '-pw', 'qm-pw', '-type', 'cms', '-stash');
      await ok('-keydb', '-create', '-db', app, '-pw', 'app-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', qm, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Class,C=GB', ...sizeFlags, '-san_dnsname', 'qm1.example');
      await ok('-cert', '-create', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-dn', 'CN=app,O=KeyDesk Class,C=GB', ...sizeFlags);
      await ok('-cert', '-extract', '-db', qm, '-stashed', '-label', 'ibmwebspheremqqm1', '-target', at(`qm-${k}.arm`), '-format', 'ascii');
      await ok('-cert', '-extract', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-target', at(`app-${k}.arm`), '-format', 'ascii');

      // openssl agrees the certificates are sound, self-signed, and fit for TLS both ways.
      openssl('verify', '-CAfile', `qm-${k}.arm`, `qm-${k}.arm`);
      const text = openssl('x509', '-in', `qm-${k}.arm`, '-noout', '-text');
      expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
      expect(text).toContain('DNS:qm1.example');
      expect(text).toContain(keyName === 'EC' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');

      await ok('-cert', '-add', '-db', qm, '-stashed', '-label', 'app', '-file', at(`app-${k}.arm`));
      await ok('-cert', '-add', '-db', app, '-pw', 'app-pw', '-label', 'qm1', '-file', at(`qm-${k}.arm`));

      // The keys leave as PKCS#12 for a TLS stack nobody here wrote.
      await ok('-cert', '-export', '-db', qm, '-stashed', '-label', 'ibmwebspheremqqm1', '-target', at(`qm-${k}-tls.p12`), '-target_pw', 'export-pw', '-target_type', 'pkcs12');
      await ok('-cert', '-export', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-target', at(`app-${k}-tls.p12`), '-target_pw', 'export-pw', '-target_type', 'pkcs12');
      await ok('-cert', '-extract', '-db', qm, '-stashed', '-label', 'app', '-target', at(`qm-${k}-trusts.pem`));
      await ok('-cert', '-extract', '-db', app, '-pw', 'app-pw', '-label', 'qm1', '-target', at(`app-${k}-trusts.pem`));
      const good = await handshake({ pfx: at(`qm-${k}-tls.p12`), ca: at(`qm-${k}-trusts.pem`) }, { pfx: at(`app-${k}-tls.p12`), ca: at(`app-${k}-trusts.pem`) });
      expect(good).toEqual({ ok: true });

      // A client whose certificate the queue manager never added is refused.
      const stranger = at(`stranger-${k}.p12`);
      await ok('-keydb', '-create', '-db', stranger, '-pw', 'x-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', stranger, '-pw', 'x-pw', '-label', 'stranger', '-dn', 'CN=stranger', ...sizeFlags);
      await ok('-cert', '-export', '-db', stranger, '-pw', 'x-pw', '-label', 'stranger', '-target', at(`stranger-${k}-tls.p12`), '-target_pw', 'export-pw');
      const bad = await handshake({ pfx: at(`qm-${k}-tls.p12`), ca: at(`qm-${k}-trusts.pem`) }, { pfx: at(`stranger-${k}-tls.p12`), ca: at(`app-${k}-trusts.pem`) });
      // The server refused the handshake (Node reports its verify failure only as a hang-up);
      // the one difference from the good case above is the client's untrusted certificate.
      expect(bad.ok).toBe(false);
      expect(bad.serverError).toBeDefined();
    });
  });

  describe.skipIf(!hasTool('openssl'))(`${keyName}: the CA-signed flow${missingNote('openssl')}`, () => {
    const k = keyName.toLowerCase();
    it('request, sign with KeyDesk as the CA, add the CA, receive, validate; openssl verifies', async () => {
      const ca = at(`class-ca-${k}.p12`);
      const qm = at(`qm-ca-${k}.kdb`);
      await ok('-keydb', '-create', '-db', ca, '-pw', 'ca-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-dn', 'CN=KeyDesk Class CA,O=KeyDesk Class', ...sizeFlags, '-ca', 'true', '-expire', '3650');
      await ok('-cert', '-extract', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-target', at(`class-ca-${k}.pem`));

      await ok('-keydb', '-create', '-db', qm, '-pw', 'qm-pw', '-type', 'cms');
      await ok('-certreq', '-create', '-db', qm, '-pw', 'qm-pw', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Class', ...sizeFlags, '-san_dnsname', 'qm1.example', '-file', at(`qm-${k}.csr`));
      expect(openssl('req', '-in', `qm-${k}.csr`, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253')).toContain('CN=QM1,O=KeyDesk Class');
      expect((await ok('-certreq', '-list', '-db', qm, '-pw', 'qm-pw')).split('\n')).toContain('\tibmwebspheremqqm1');

      await ok('-cert', '-sign', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-file', at(`qm-${k}.csr`), '-target', at(`qm-${k}-signed.arm`), '-expire', '365');
      openssl('verify', '-CAfile', `class-ca-${k}.pem`, `qm-${k}-signed.arm`);

      // iKeyman's rule: no receiving before the issuer is trusted, and it names the issuer.
      const before = readFileSync(qm);
      const early = await cli('-cert', '-receive', '-db', qm, '-pw', 'qm-pw', '-file', at(`qm-${k}-signed.arm`));
      expect(early.code).toBe(1);
      expect(early.err).toContain('CN=KeyDesk Class CA,O=KeyDesk Class');
      expect(readFileSync(qm).equals(before)).toBe(true);

      await ok('-cert', '-add', '-db', qm, '-pw', 'qm-pw', '-label', 'class ca', '-file', at(`class-ca-${k}.pem`));
      await ok('-cert', '-receive', '-db', qm, '-pw', 'qm-pw', '-file', at(`qm-${k}-signed.arm`));
      const listing = await ok('-cert', '-list', '-db', qm, '-pw', 'qm-pw');
      expect(listing.split('\n')).toEqual(expect.arrayContaining(['-\tibmwebspheremqqm1', '!\t"class ca"']));
      expect(await ok('-certreq', '-list', '-db', qm, '-pw', 'qm-pw')).not.toContain('ibmwebspheremqqm1');
      expect(await ok('-cert', '-validate', '-db', qm, '-pw', 'qm-pw', '-label', 'ibmwebspheremqqm1')).toContain('Validation successful');

      // The same certificate again matches no pending request any more... but it matches the
      // personal key, so it is accepted as a renewal; a certificate for another key is not.
      await ok('-cert', '-create', '-db', ca, '-pw', 'ca-pw', '-label', 'unrelated', '-dn', 'CN=unrelated', ...sizeFlags);
      await ok('-cert', '-extract', '-db', ca, '-pw', 'ca-pw', '-label', 'unrelated', '-target', at(`unrelated-${k}.pem`));
      const foreign = await cli('-cert', '-receive', '-db', qm, '-pw', 'qm-pw', '-file', at(`unrelated-${k}.pem`));
      expect(foreign.code).toBe(1);
      expect(foreign.err).toMatch(/no pending request or personal key .* matches/);
    });

    it('openssl as the outside CA: its certificate and chain file are received, the CA added as a signer', async () => {
      openssl('req', '-x509', '-newkey', keyName === 'EC' ? 'ec' : 'rsa:2048', ...(keyName === 'EC' ? ['-pkeyopt', 'ec_paramgen_curve:P-256'] : []), '-nodes', '-keyout', `ossl-ca-${k}.key`, '-out', `ossl-ca-${k}.pem`, '-subj', '/CN=Outside CA/O=Elsewhere', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign');
      const qm = at(`qm-ossl-${k}.jks`);
      await ok('-keydb', '-create', '-db', qm, '-pw', 'qm-pw', '-type', 'jks');
      await ok('-certreq', '-create', '-db', qm, '-pw', 'qm-pw', '-label', 'ibmwebspheremqqm2', '-dn', 'CN=QM2', ...sizeFlags, '-file', at(`qm2-${k}.csr`));
      openssl('x509', '-req', '-in', `qm2-${k}.csr`, '-CA', `ossl-ca-${k}.pem`, '-CAkey', `ossl-ca-${k}.key`, '-CAcreateserial', '-out', `qm2-${k}.pem`, '-days', '30');
      // The CA's answer with the chain in one file, as many CAs send it.
      const bundle = at(`qm2-${k}-chain.pem`);
      writeFileSync(bundle, readFileSync(at(`qm2-${k}.pem`), 'utf8') + readFileSync(at(`ossl-ca-${k}.pem`), 'utf8'));
      const notes = await okNotes('-cert', '-receive', '-db', qm, '-pw', 'qm-pw', '-file', bundle);
      expect(notes).toContain('added signer "Outside CA"');
      expect(await ok('-cert', '-validate', '-db', qm, '-pw', 'qm-pw', '-label', 'ibmwebspheremqqm2')).toContain('Validation successful');
      const details = JSON.parse(await ok('-cert', '-details', '-db', qm, '-pw', 'qm-pw', '-label', 'ibmwebspheremqqm2', '-json'));
      const caSubject = openssl('x509', '-in', `ossl-ca-${k}.pem`, '-noout', '-subject', '-nameopt', 'RFC2253').trim().replace(/^subject=/, '');
      expect(details.chain.map((c: { subject: string }) => c.subject)).toEqual(['CN=QM2', caSubject]);
    });
  });
}

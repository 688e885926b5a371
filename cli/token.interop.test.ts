/**
 * T. Rob's two MQ TLS flows (mq-tls-flows.interop.test.ts has them for files) with the
 * queue manager's key on a PKCS#11 token (SoftHSM2), from the CLI in runmqakm's syntax:
 * `-crypto MODULE -tokenlabel LABEL -pw PIN` — IBM MQ, "Commands for cryptographic device
 * operations", https://ibm.com/docs/SSFKSJ_9.3.0/secure/q083850_.html, and the options
 * table (-crypto: "Name of the module to manage a PKCS #11 cryptographic device"),
 * https://www.ibm.com/support/knowledgecenter/SSFKSJ_8.0.0/com.ibm.mq.ref.adm.doc/q083860_.htm.
 * -secondaryDB, "Optional if -crypto present" in runmqakm's usage text (cli/RUNMQAKM.md §3.6).
 *
 * Peers check what KeyDesk did: pkcs11-tool lists the objects it made (and that the key is
 * never extractable), openssl verifies certificates and requests the token signed, and
 * openssl s_server, with the key used through OpenSSL's PKCS#11 engine, completes a
 * mutually authenticated handshake with a client holding the partner store's key.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { engineHandshake, engineMissing, newSoftHsm, SOFTHSM_MODULE, softHsmMissing, softHsmNote, type SoftHsm } from '../core/testing/softhsm';
import { cli, ok, okNotes } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
let n = 0;
/** A folder and a SoftHSM2 of the test's own. */
function fresh(): { at: (name: string) => string; hsm: SoftHsm } {
  const dir = join(temp.dir, `t${++n}`);
  const hsm = newSoftHsm(dir);
  return { at: (name: string) => join(dir, name), hsm };
}
const token = (label: string, pin = '1234') => ['-crypto', SOFTHSM_MODULE, '-tokenlabel', label, '-pw', pin];
const openssl = (cwd: string, ...args: string[]) => runTool('openssl', args, { cwd }).toString();

function pkcs11Objects(hsm: SoftHsm, label: string): string {
  const r = spawnSync('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', label, '--login', '--pin', '1234', '-O'], { env: hsm.env, encoding: 'utf8' });
  return r.stdout + r.stderr;
}

const skip = softHsmMissing() !== undefined || !hasTool('openssl');
const note = softHsmNote() || missingNote('openssl');
const engineSkip = skip || engineMissing() !== undefined;
const engineNote = note || (engineMissing() ? ` (skipped: ${engineMissing()})` : '');

for (const [keyName, sizeFlags] of [
  ['RSA', ['-size', '2048', '-sig_alg', 'SHA256WithRSA']],
  ['EC', ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256']],
] as const) {
  describe.skipIf(engineSkip)(`${keyName}: the self-signed exchange with the queue manager's key on a token${engineNote}`, () => {
    it('the token makes and keeps the key, its certificate is exchanged with a .p12 partner, and openssl s_server completes a handshake with the key on the token', async () => {
      const { at, hsm } = fresh();
      hsm.initToken('qm1');
      const app = at('app.p12');
      await ok('-cert', '-create', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Class,C=GB', ...sizeFlags, '-san_dnsname', 'qm1.example');
      await ok('-keydb', '-create', '-db', app, '-pw', 'app-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-dn', 'CN=app,O=KeyDesk Class,C=GB', ...sizeFlags);

      // pkcs11-tool sees what KeyDesk made: the key pair and the certificate under one
      // label and CKA_ID, the private key sensitive and never extractable.
      const objects = pkcs11Objects(hsm, 'qm1');
      expect(objects).toMatch(/Private Key Object; (RSA|EC)[\s\S]*label:\s+ibmwebspheremqqm1[\s\S]*Access:\s+sensitive, always sensitive, never extractable, local/);
      expect(objects).toMatch(/Certificate Object; type = X\.509 cert\s+label:\s+ibmwebspheremqqm1/);
      const ids = [...objects.matchAll(/ID:\s+([0-9a-f]+)/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(1);

      expect((await ok('-cert', '-list', ...token('qm1'))).split('\n')).toContain('-\tibmwebspheremqqm1');
      await ok('-cert', '-extract', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-target', at('qm.arm'), '-format', 'ascii');
      await ok('-cert', '-extract', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-target', at('app.arm'), '-format', 'ascii');
      // Signed on the token: openssl checks the self-signature with the certificate's own key.
      openssl(at(''), 'verify', '-CAfile', 'qm.arm', 'qm.arm');
      const text = openssl(at(''), 'x509', '-in', 'qm.arm', '-noout', '-text');
      expect(text).toContain(keyName === 'EC' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');
      expect(text).toContain('DNS:qm1.example');

      await ok('-cert', '-add', ...token('qm1'), '-label', 'app', '-file', at('app.arm'));
      await ok('-cert', '-add', '-db', app, '-pw', 'app-pw', '-label', 'qm1', '-file', at('qm.arm'));
      expect((await ok('-cert', '-list', 'ca', ...token('qm1'))).split('\n')).toContain('!\tapp');
      expect(pkcs11Objects(hsm, 'qm1')).toMatch(/Certificate Object; type = X\.509 cert\s+label:\s+app/);

      // The key never leaves the token: export is refused, nothing is written.
      const exported = await cli('-cert', '-export', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-target', at('qm.p12'), '-target_pw', 'x-pw');
      expect(exported.code).toBe(1);
      expect(exported.err).toMatch(/the private key of "ibmwebspheremqqm1" stays on the token .* nothing was written/);
      expect(existsSync(at('qm.p12'))).toBe(false);

      // The partner side's key is a file's, exported the ordinary way for openssl.
      runTool('openssl', ['pkcs12', '-in', app, '-passin', 'pass:app-pw', '-nocerts', '-nodes', '-out', at('app.key')]);
      await ok('-cert', '-extract', ...token('qm1'), '-label', 'app', '-target', at('qm-trusts.pem'));
      await ok('-cert', '-extract', '-db', app, '-pw', 'app-pw', '-label', 'qm1', '-target', at('app-trusts.pem'));
      const good = await engineHandshake(hsm.env, at(''), { tokenLabel: 'qm1', keyLabel: 'ibmwebspheremqqm1', cert: at('qm.arm'), trusts: at('qm-trusts.pem') }, { cert: at('app.arm'), key: at('app.key'), trusts: at('app-trusts.pem') });
      expect(good.client).toContain('Verify return code: 0 (ok)');
      expect(good.server).toMatch(/depth=0 .*CN = app/);
      expect(good.server).toContain('1 server accepts that finished');

      // A client the queue manager never added is refused by the same server.
      const stranger = at('stranger.p12');
      await ok('-keydb', '-create', '-db', stranger, '-pw', 'x-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', stranger, '-pw', 'x-pw', '-label', 'stranger', '-dn', 'CN=stranger', ...sizeFlags);
      await ok('-cert', '-extract', '-db', stranger, '-pw', 'x-pw', '-label', 'stranger', '-target', at('stranger.arm'));
      runTool('openssl', ['pkcs12', '-in', stranger, '-passin', 'pass:x-pw', '-nocerts', '-nodes', '-out', at('stranger.key')]);
      const bad = await engineHandshake(hsm.env, at(''), { tokenLabel: 'qm1', keyLabel: 'ibmwebspheremqqm1', cert: at('qm.arm'), trusts: at('qm-trusts.pem') }, { cert: at('stranger.arm'), key: at('stranger.key'), trusts: at('app-trusts.pem') });
      expect(bad.server).not.toContain('1 server accepts that finished');
      expect(bad.server).toMatch(/unable to get local issuer certificate|self[- ]signed certificate|certificate verify failed/i);
    });
  });

  describe.skipIf(engineSkip)(`${keyName}: the CA-signed flow with the queue manager's key on a token${engineNote}`, () => {
    it('request on the token, signed by a KeyDesk CA, CA added, received onto the token, validated, renamed; openssl verifies and s_server handshakes', async () => {
      const { at, hsm } = fresh();
      hsm.initToken('qm1');
      const ca = at('class-ca.p12');
      await ok('-keydb', '-create', '-db', ca, '-pw', 'ca-pw', '-type', 'pkcs12');
      await ok('-cert', '-create', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-dn', 'CN=KeyDesk Class CA,O=KeyDesk Class', ...sizeFlags, '-ca', 'true', '-expire', '3650');
      await ok('-cert', '-extract', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-target', at('class-ca.pem'));

      await ok('-certreq', '-create', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Class', ...sizeFlags, '-san_dnsname', 'qm1.example', '-file', at('qm.csr'));
      // The token signed the request: openssl checks it with the request's own key.
      expect(openssl(at(''), 'req', '-in', 'qm.csr', '-noout', '-verify', '-subject', '-nameopt', 'RFC2253')).toContain('CN=QM1,O=KeyDesk Class');
      expect((await ok('-certreq', '-list', ...token('qm1'))).split('\n')).toContain('\tibmwebspheremqqm1');
      // -certreq -extract gives the same request again, kept on the token beside its key.
      await ok('-certreq', '-extract', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-target', at('again.csr'));
      expect(readFileSync(at('again.csr'), 'utf8')).toBe(readFileSync(at('qm.csr'), 'utf8'));

      await ok('-cert', '-sign', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-file', at('qm.csr'), '-target', at('qm-signed.arm'), '-expire', '365');
      const beforeRefusals = pkcs11Objects(hsm, 'qm1');
      const early = await cli('-cert', '-receive', ...token('qm1'), '-file', at('qm-signed.arm'));
      expect(early.code).toBe(1);
      expect(early.err).toContain('CN=KeyDesk Class CA,O=KeyDesk Class');
      // A refused change leaves the token as it was: no key made for a label already taken.
      const taken = await cli('-cert', '-create', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-dn', 'CN=again', ...sizeFlags);
      expect(taken.code).not.toBe(0);
      expect(taken.err).toContain('"ibmwebspheremqqm1" is already in use');
      expect(pkcs11Objects(hsm, 'qm1')).toBe(beforeRefusals);

      await ok('-cert', '-add', ...token('qm1'), '-label', 'class ca', '-file', at('class-ca.pem'));
      await ok('-cert', '-receive', ...token('qm1'), '-file', at('qm-signed.arm'));
      const listing = await ok('-cert', '-list', ...token('qm1'));
      expect(listing.split('\n')).toEqual(expect.arrayContaining(['-\tibmwebspheremqqm1', '!\t"class ca"']));
      expect(await ok('-certreq', '-list', ...token('qm1'))).not.toContain('ibmwebspheremqqm1');
      expect(await ok('-cert', '-validate', ...token('qm1'), '-label', 'ibmwebspheremqqm1')).toContain('Validation successful');
      const objects = pkcs11Objects(hsm, 'qm1');
      expect(objects).not.toContain('Data object');
      expect(objects).toMatch(/Certificate Object; type = X\.509 cert\s+label:\s+ibmwebspheremqqm1/);

      // The doctor reads the token as it reads a file.
      const doctor = JSON.parse(await ok('-keydb', '-check', ...token('qm1'), '-mqname', 'QM1', '-json'));
      expect(doctor.findings.map((f: { code: string }) => f.code)).not.toContain('NO_CERT_FOR_LABEL');

      // The partner, CA-signed too.
      const app = at('app.p12');
      await ok('-keydb', '-create', '-db', app, '-pw', 'app-pw', '-type', 'pkcs12');
      await ok('-certreq', '-create', '-db', app, '-pw', 'app-pw', '-label', 'ibmwebspheremqapp', '-dn', 'CN=app,O=KeyDesk Class', ...sizeFlags, '-file', at('app.csr'));
      await ok('-cert', '-sign', '-db', ca, '-pw', 'ca-pw', '-label', 'class ca', '-file', at('app.csr'), '-target', at('app-signed.arm'));
      await ok('-cert', '-add', '-db', app, '-pw', 'app-pw', '-label', 'class ca', '-file', at('class-ca.pem'));
      await ok('-cert', '-receive', '-db', app, '-pw', 'app-pw', '-file', at('app-signed.arm'));
      runTool('openssl', ['pkcs12', '-in', app, '-passin', 'pass:app-pw', '-nocerts', '-nodes', '-out', at('app.key')]);
      await ok('-cert', '-extract', ...token('qm1'), '-label', 'class ca', '-target', at('qm-trusts.pem'));
      const good = await engineHandshake(hsm.env, at(''), { tokenLabel: 'qm1', keyLabel: 'ibmwebspheremqqm1', cert: at('qm-signed.arm'), trusts: at('qm-trusts.pem') }, { cert: at('app-signed.arm'), key: at('app.key'), trusts: at('class-ca.pem') });
      expect(good.client).toContain('Verify return code: 0 (ok)');
      expect(good.server).toContain('1 server accepts that finished');

      // Rename changes CKA_LABEL on the certificate and both keys; Delete removes a signer.
      await ok('-cert', '-rename', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-new_label', 'ibmwebspheremqqm1-2026');
      const renamed = pkcs11Objects(hsm, 'qm1');
      expect(renamed.match(/label:\s+ibmwebspheremqqm1-2026/g)).toHaveLength(3);
      expect(renamed).not.toMatch(/label:\s+ibmwebspheremqqm1\n/);
      await ok('-cert', '-delete', ...token('qm1'), '-label', 'class ca');
      expect(pkcs11Objects(hsm, 'qm1')).not.toMatch(/label:\s+class ca/);
    });
  });
}

describe.skipIf(skip)(`a CA and a renewal with their keys on the token${note}`, () => {
  it('-cert -sign with a CA kept on the token, and -certreq -recreate for a certificate on it, are signed there; openssl verifies both', async () => {
    const { at, hsm } = fresh();
    hsm.initToken('ca1');
    await ok('-cert', '-create', ...token('ca1'), '-label', 'token ca', '-dn', 'CN=Token CA,O=KeyDesk Class', '-ca', 'true', '-size', '384', '-sig_alg', 'EC_ecdsa_with_SHA384');
    await ok('-cert', '-extract', ...token('ca1'), '-label', 'token ca', '-target', at('token-ca.pem'));
    runTool('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=leaf']);
    await ok('-cert', '-sign', ...token('ca1'), '-label', 'token ca', '-file', at('leaf.csr'), '-target', at('leaf.pem'));
    expect(openssl(at(''), 'verify', '-CAfile', 'token-ca.pem', 'leaf.pem')).toContain('leaf.pem: OK');

    // A renewal request: the certificate's key and subject, signed on the token.
    await ok('-certreq', '-recreate', ...token('ca1'), '-label', 'token ca', '-target', at('renew.csr'));
    expect(openssl(at(''), 'req', '-in', 'renew.csr', '-noout', '-verify', '-subject', '-nameopt', 'RFC2253')).toContain('CN=Token CA,O=KeyDesk Class');
    const requestKey = openssl(at(''), 'req', '-in', 'renew.csr', '-noout', '-pubkey');
    const certificateKey = openssl(at(''), 'x509', '-in', 'token-ca.pem', '-noout', '-pubkey');
    expect(requestKey).toBe(certificateKey);
    // The handshake lab uses Node's TLS, which cannot use a key on the token: said plainly.
    await ok('-keydb', '-create', '-db', at('peer.p12'), '-pw', 'p-pw');
    await ok('-cert', '-create', '-db', at('peer.p12'), '-pw', 'p-pw', '-label', 'peer', '-dn', 'CN=peer');
    const lab = await cli('-tls', '-test', ...token('ca1'), '-label', 'token ca', '-peer_db', at('peer.p12'), '-peer_pw', 'p-pw', '-peer_label', 'peer');
    expect(lab.code).toBe(1);
    expect(lab.err).toMatch(/the server key "token ca" is on the token, and the handshake lab \(Node's TLS\) can use only keys it can read; test it with openssl s_server -engine pkcs11/);
  });
});

describe.skipIf(skip)(`-secondaryDB: the signers kept beside a token in a CMS database${note}`, () => {
  it('signers added go to the secondary database and list with the token; the token itself gets none', async () => {
    const { at, hsm } = fresh();
    hsm.initToken('qm1');
    const kdb = at('qm1.kdb');
    await ok('-keydb', '-create', '-db', kdb, '-pw', 'kdb-pw', '-type', 'cms', '-stash');
    const other = at('other.p12');
    await ok('-keydb', '-create', '-db', other, '-pw', 'o-pw');
    await ok('-cert', '-create', '-db', other, '-pw', 'o-pw', '-label', 'partner', '-dn', 'CN=partner');
    await ok('-cert', '-extract', '-db', other, '-pw', 'o-pw', '-label', 'partner', '-target', at('partner.arm'));
    await ok('-cert', '-create', ...token('qm1'), '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1');

    const notes = await okNotes('-cert', '-add', ...token('qm1'), '-secondaryDB', kdb, '-secondaryDBpw', 'kdb-pw', '-label', 'partner', '-file', at('partner.arm'));
    expect(notes).toContain('(the secondary database) saved');
    expect((await ok('-cert', '-list', '-db', kdb, '-stashed')).split('\n')).toContain('!\tpartner');
    expect(pkcs11Objects(hsm, 'qm1')).not.toMatch(/label:\s+partner/);
    // With the secondary database (opened with its stash here) the token's list shows both.
    const both = (await ok('-cert', '-list', ...token('qm1'), '-secondaryDB', kdb)).split('\n');
    expect(both).toEqual(expect.arrayContaining(['-\tibmwebspheremqqm1', '!\tpartner']));
    expect((await ok('-cert', '-list', ...token('qm1'))).split('\n')).not.toContain('!\tpartner');

    await ok('-cert', '-delete', ...token('qm1'), '-secondaryDB', kdb, '-label', 'partner');
    expect((await ok('-cert', '-list', '-db', kdb, '-stashed')).split('\n')).not.toContain('!\tpartner');
  });
});

describe.skipIf(skip)(`plain lines for what goes wrong with a token${note}`, () => {
  it('wrong PIN (with what the token says of the tries left), no such token, a module that does not load, -db with -crypto, a PIN change', async () => {
    const { hsm } = fresh();
    hsm.initToken('qm1');
    const wrong = await cli('-cert', '-list', ...token('qm1', '0000'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^keydesk: token "qm1": wrong PIN(; the token says .* left before it locks)?\. Check the PIN and try again\.$/);

    const missing = await cli('-cert', '-list', ...token('qm9'));
    expect(missing.err).toBe(`keydesk: ${SOFTHSM_MODULE}: no token labelled "qm9"; the tokens there are "qm1".`);
    expect(missing.code).toBe(1);

    const module = await cli('-cert', '-list', '-crypto', '/nonexistent/libp11.so', '-tokenlabel', 'qm1', '-pw', '1234');
    expect(module.err).toMatch(/^keydesk: \/nonexistent\/libp11\.so: the PKCS#11 module did not load \(.*\)\. Give the full path of the token vendor's PKCS#11 library/);
    expect(module.err.split('\n')).toHaveLength(1);

    const both = await cli('-cert', '-list', '-db', 'key.kdb', ...token('qm1'));
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/give -db \(a key database file\) or -crypto/);

    // runmqakm -keydb -changepw -crypto: the new PIN opens the token, the old one does not.
    await ok('-keydb', '-changepw', ...token('qm1'), '-new_pw', '5678');
    expect((await cli('-cert', '-list', ...token('qm1', '1234'))).code).toBe(1);
    await ok('-cert', '-list', ...token('qm1', '5678'));
  });

  it('-tokenlabel may be left out where the module has one token, as runmqakm allows', async () => {
    const { hsm } = fresh();
    hsm.initToken('only');
    await ok('-cert', '-create', '-crypto', SOFTHSM_MODULE, '-pw', '1234', '-label', 'x', '-dn', 'CN=x', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256');
    expect((await ok('-cert', '-list', ...token('only'))).split('\n')).toContain('-\tx');
    hsm.initToken('second');
    const two = await cli('-cert', '-list', '-crypto', SOFTHSM_MODULE, '-pw', '1234');
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/has 2 tokens \(("only", "second"|"second", "only")\): name one with -tokenlabel/);
  });
});

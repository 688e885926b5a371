/**
 * runmqakm's certificate commands as IBM documents them and as real scripts run them
 * (issue 14): every -sig_alg value of the tool's usage text, -ku/-eku, -x509version,
 * -ca_label, -certreq -create -target and -recreate for a renewal, -cert -import from a
 * PKCS#12, -cert -add without -label, -cert -export of a whole store, -cert -extract
 * -file, -default_cert, and IBM's MQ container start-up end to end.
 *
 * Sources: cli/RUNMQAKM.md (section and source id given at each test) and
 * cli/testing/real-command-lines.json, whose argv are run unchanged; only file paths are
 * moved into a temporary folder (an absolute /x/y becomes <tmp>/x/y).
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli, notesOf, ok, okNotes, type CliRun } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (...parts: string[]) => join(temp.dir, ...parts);
const openssl = (args: string[], cwd = temp.dir) => runTool('openssl', args, { cwd }).toString();

interface RealLine {
  tool: string;
  argv: string[];
  source: string;
  sequence?: string;
  step?: number;
}
const realLines: RealLine[] = JSON.parse(readFileSync(join(__dirname, 'testing/real-command-lines.json'), 'utf8'));

/** The steps of one sequence in real-command-lines.json, in order. */
function sequence(name: string): RealLine[] {
  const steps = realLines.filter((l) => l.sequence === name).sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  expect(steps.length, `sequence ${name} in real-command-lines.json`).toBeGreaterThan(0);
  return steps;
}

/** The one line whose source and argv contain these texts. */
function realLine(source: string, ...argvHas: string[]): RealLine {
  const found = realLines.filter((l) => l.source.includes(source) && argvHas.every((a) => l.argv.includes(a)));
  expect(found, `${source} ${argvHas.join(' ')} in real-command-lines.json`).toHaveLength(1);
  return found[0]!;
}

const PATH_FLAGS = new Set(['-db', '-file', '-target', '-keyfile', '-new_db']);

/** The argv as the script passes it, with each file path moved under `root`. */
function rooted(argv: readonly string[], root: string): string[] {
  return argv.map((a, i) => {
    if (!PATH_FLAGS.has(argv[i - 1] ?? '')) return a;
    const path = isAbsolute(a) ? join(root, a) : join(root, a);
    mkdirSync(dirname(path), { recursive: true });
    return path;
  });
}

/** Runs a real line (paths moved under `root`), returning the run. */
async function run(line: RealLine, root: string, change: (argv: string[]) => string[] = (a) => a): Promise<CliRun> {
  return cli(...change(rooted(line.argv, root)));
}

/** A file a real line names, under `root`. */
function file(root: string, path: string): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  return full;
}

/** A CA (key, PEM) and a leaf it issued, made with openssl in `dir`. */
function makeCa(dir: string, name: string, subject: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject, '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}
function makeLeaf(dir: string, name: string, subject: string, ca: string): void {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-out', `${name}.pem`, '-days', '20'], dir);
}

/** openssl's text for a certificate a store holds. */
async function certificateText(db: string, credentials: string[], label: string): Promise<string> {
  const pem = `${db}.${label.replace(/\W/g, '_')}.pem`;
  await ok('-cert', '-extract', '-db', db, ...credentials, '-label', label, '-target', pem);
  return openssl(['x509', '-in', pem, '-noout', '-text']);
}

async function labels(db: string, ...credentials: string[]): Promise<{ label: string; kind: string }[]> {
  return JSON.parse(await ok('-cert', '-list', '-db', db, ...credentials, '-json')).entries.map((e: { label: string; kind: string }) => ({ label: e.label, kind: e.kind }));
}

async function newStore(path: string, type = 'cms', pw = 'Passw0rd1'): Promise<string[]> {
  mkdirSync(dirname(path), { recursive: true });
  await ok('-keydb', '-create', '-db', path, '-pw', pw, '-type', type, '-stash');
  return ['-stashed'];
}

describe.skipIf(!hasTool('openssl'))(`-sig_alg: every value of runmqakm's usage text${missingNote('openssl')}`, () => {
  // Verbatim from `gsk8capicmd_64 -cert -create -?` (cli/RUNMQAKM.md §2.6, source G8).
  const usage =
    '< | md5 | MD5_WITH_RSA | MD5WithRSA | sha1 | SHA_WITH_RSA | SHAWithRSA | SHA1WithRSA | sha224 | SHA224_WITH_RSA | SHA224WithRSA | sha256 | SHA256_WITH_RSA | SHA256WithRSA | sha3_256 | SHA3_256WithRSA | sha384 | SHA384_WITH_RSA | SHA384WithRSA | sha3_384 | SHA3_384WithRSA | sha512 | SHA512_WITH_RSA | SHA512WithRSA | sha3_512 | SHA3_512WithRSA | RSASSAPSS | RSASSAPSSPSS | SHA224_WITH_RSASSAPSS | SHA224WithRSASSAPSS | SHA256_WITH_RSASSAPSS | SHA256WithRSASSAPSS | SHA384_WITH_RSASSAPSS | SHA384WithRSASSAPSS | SHA512_WITH_RSASSAPSS | SHA512WithRSASSAPSS | SHA3_256WithRSASSAPSS | SHA3_384WithRSASSAPSS | SHA3_512WithRSASSAPSS | SHA_WITH_DSA | SHA1WithDSA | SHAWithDSA | SHA256WithDSA | SHA1WithECDSA | EC_ecdsa_with_SHA1 | SHA224WithECDSA | EC_ecdsa_with_SHA224 | SHA256WithECDSA | EC_ecdsa_with_SHA256 | SHA384WithECDSA | EC_ecdsa_with_SHA384 | SHA512WithECDSA | EC_ecdsa_with_SHA512 | SHA3_256WithECDSA | SHA3_384WithECDSA | SHA3_512WithECDSA | DH | Kyber | Dilithium | SHA256WithDilithium | SHA384WithDilithium | SHA512WithDilithium>';
  const values = usage.replace(/^<|>$/g, '').split('|').map((v) => v.trim()).filter(Boolean);

  /** What KeyDesk makes for a value, as -cert -details -json names the signature, or the refusal. */
  function expected(value: string): { signature: string; hash: string } | { refused: RegExp } {
    const v = value.toLowerCase().replace(/[_-]/g, '');
    if (/^md5/.test(v)) return { refused: /MD5/ };
    if (/^sha3(224|256|384|512)/.test(v)) return { refused: /SHA-3/ };
    if (/dsa$/.test(v) && !/ecdsa$/.test(v)) return { refused: /DSA/ };
    if (v === 'rsassapsspss') return { refused: /RSASSAPSSPSS/ };
    if (/^(dh|kyber|dilithium)$|dilithium$/.test(v)) return { refused: /post-quantum/ };
    const hash = /sha(1|224|256|384|512)/.exec(v)?.[1] ?? (/^sha(with|_)|^shawith/.test(v) ? '1' : '256');
    if (v.includes('rsassapss')) return { signature: 'RSASSA-PSS', hash };
    if (v.includes('ecdsa')) return { signature: `SHA${hash}withECDSA`, hash };
    return { signature: `SHA${hash}withRSA`, hash };
  }

  let db: string;
  beforeAll(async () => {
    db = at('sigalg.kdb');
    await newStore(db);
  });

  it('the list has the 61 values IBM prints, 35 of which KeyDesk makes', () => {
    expect(values).toHaveLength(61);
    expect(values.filter((v) => 'signature' in expected(v))).toHaveLength(35);
  });

  it('each value KeyDesk can make gives that signature; -sigalg is the same flag', async () => {
    for (const [i, value] of values.entries()) {
      const want = expected(value);
      if (!('signature' in want)) continue;
      // Half through -sigalg, the spelling of IBM HTTP Server and Db2 scripts (real-command-lines.json: index file ids 8853041251, 46928624180, 3427614366).
      const flag = i % 2 === 0 ? '-sig_alg' : '-sigalg';
      const notes = await okNotes('-cert', '-create', '-db', db, '-stashed', '-label', `v${i}`, '-dn', `CN=${value}`, flag, value);
      const details = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', `v${i}`, '-json'));
      expect(details.signatureAlgorithm, value).toBe(want.signature);
      expect(details.keyAlgorithm, value).toBe(want.signature.endsWith('ECDSA') ? 'EC' : 'RSA');
      // SHA-1 is made, as runmqakm makes it, with a warning on stderr.
      expect(notes.includes('SHA-1'), `${value}: ${notes}`).toBe(want.hash === '1');
      if (want.signature === 'RSASSA-PSS') {
        const text = await certificateText(db, ['-stashed'], `v${i}`);
        expect(text).toMatch(new RegExp(`Hash Algorithm: sha${want.hash}`));
        expect(text).toMatch(new RegExp(`Mask Algorithm: mgf1 with sha${want.hash}`));
      }
    }
  });

  it('MD5, DSA, SHA-3, RSASSAPSSPSS and the post-quantum names are refused in one line naming what is not supported, and nothing is written', async () => {
    const before = await labels(db, '-stashed');
    for (const value of values) {
      const want = expected(value);
      if (!('refused' in want)) continue;
      const r = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'refused', '-dn', 'CN=refused', '-sig_alg', value);
      expect(r.code, value).toBe(1);
      expect(r.err.split('\n'), value).toHaveLength(1);
      expect(r.err, value).toMatch(want.refused);
      expect(r.err, value).toContain(`-sig_alg ${value}`);
    }
    expect(await labels(db, '-stashed')).toEqual(before);
  });

  it('openssl reads the SHA-1, SHA-224 and ECDSA signatures as made', async () => {
    const names: [string, RegExp][] = [
      ['SHA1WithRSA', /Signature Algorithm: sha1WithRSAEncryption/],
      ['SHA224_WITH_RSA', /Signature Algorithm: sha224WithRSAEncryption/],
      ['EC_ecdsa_with_SHA1', /Signature Algorithm: ecdsa-with-SHA1/],
      ['SHA224WithECDSA', /Signature Algorithm: ecdsa-with-SHA224/],
    ];
    for (const [value, says] of names) {
      const i = values.indexOf(value);
      const text = await certificateText(db, ['-stashed'], `v${i}`);
      expect(text, value).toMatch(says);
      // Self-signed: the signature verifies with the certificate's own key.
      const pem = `${db}.v${i}.pem`;
      expect(openssl(['verify', '-CAfile', pem, '-check_ss_sig', pem])).toMatch(/OK/);
    }
  });
});

describe.skipIf(!hasTool('openssl'))(`weak keys made as IBM makes them, with a warning${missingNote('openssl')}`, () => {
  it('-size 1024 -sig_alg SHA1WithRSA (MbqIIB/isgFirstPro mliX-iFrendX-SSL.sh#L10) is made, warned about, and flagged by the doctor', async () => {
    const root = at('mbqiib');
    const line = realLine('MbqIIB/isgFirstPro', '-create', '1024');
    await newStore(file(root, 'var/mqm/qmgrs/MLI_ACCNT_QM/ssl/key.kdb'), 'cms', 'mli123');
    const r = await run(line, root);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(notesOf(r).join('\n')).toMatch(/-size 1024 .*WEAK_KEY/);
    expect(notesOf(r).join('\n')).toMatch(/SHA-1 .*WEAK_SIGNATURE/);
    const db = file(root, 'var/mqm/qmgrs/MLI_ACCNT_QM/ssl/key.kdb');
    const text = await certificateText(db, ['-pw', 'mli123'], 'ibmwebspheremqmli_accnt_qm');
    expect(text).toMatch(/Public-Key: \(1024 bit\)/);
    expect(text).toMatch(/sha1WithRSAEncryption/);
    const check = await cli('-keydb', '-check', '-db', db, '-pw', 'mli123', '-json');
    const codes = JSON.parse(check.out).findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['WEAK_KEY', 'WEAK_SIGNATURE']));
  });

  it('-size 512 is refused in one line (IHS 8.5.5 lists it, no real script uses it)', async () => {
    const db = at('small.kdb');
    await newStore(db);
    const r = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'tiny', '-dn', 'CN=tiny', '-size', '512');
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toMatch(/^keydesk: .*-size 512 is not supported/);
    expect(await labels(db, '-stashed')).toEqual([]);
  });
});

describe.skipIf(!hasTool('openssl'))(`-ku and -eku (cli/RUNMQAKM.md §2.6, source G8)${missingNote('openssl')}`, () => {
  it("IBM's MQ container CreateSelfSignedCertificate (keystore.go#L151): one argv element '-size 2048 -sig_alg sha512 -eku serverAuth', the EKU exactly serverAuth", async () => {
    const root = at('mq-selfsigned');
    const line = realLine('mq-container internal/keystore/keystore.go#L151', '-create');
    const db = file(root, 'run/runmqserver/tls/key.kdb');
    await newStore(db, 'cms', 'Ab3dEf6hIj9k');
    const r = await run(line, root);
    expect(r, r.err).toMatchObject({ code: 0, out: '' });
    const text = await certificateText(db, ['-stashed'], 'default');
    expect(text).toMatch(/X509v3 Extended Key Usage: *\n *TLS Web Server Authentication\n/);
    expect(text).toMatch(/DNS:qm1\.example\.com/);
    expect(text).toMatch(/sha512WithRSAEncryption/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    // No -ku: the TLS profile's key usage stays.
    expect(text).toMatch(/X509v3 Key Usage: critical\n *Digital Signature, Key Encipherment\n/);
  });

  it('every -ku and -eku name, comma-separated, becomes the X.509 KeyUsage and ExtendedKeyUsage openssl shows', async () => {
    const db = at('usage.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'all', '-dn', 'CN=all uses',
      '-ku', 'digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly',
      '-eku', 'ocspSigning, timeStamping, emailProtection, codeSigning, clientAuth, serverAuth, SSLStepUpApproval, any');
    const text = await certificateText(db, ['-stashed'], 'all');
    expect(text).toMatch(/X509v3 Key Usage: critical\n *Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment, Key Agreement, Certificate Sign, CRL Sign, Encipher Only, Decipher Only\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: *\n *OCSP Signing, Time Stamping, E-mail Protection, Code Signing, TLS Web Client Authentication, TLS Web Server Authentication, Netscape Server Gated Crypto, Any Extended Key Usage\n/);

    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'client', '-dn', 'CN=client only', '-ku', 'digitalSignature', '-eku', 'clientAuth');
    const client = await certificateText(db, ['-stashed'], 'client');
    expect(client).toMatch(/X509v3 Key Usage: critical\n *Digital Signature\n/);
    expect(client).toMatch(/X509v3 Extended Key Usage: *\n *TLS Web Client Authentication\n/);
  });

  it('-ku and -eku on -certreq -create are asked for in the request', async () => {
    const db = at('usage-req.kdb');
    await newStore(db);
    await ok('-certreq', '-create', '-db', db, '-stashed', '-label', 'req', '-dn', 'CN=req', '-ku', 'digitalSignature', '-eku', 'serverAuth,clientAuth', '-file', at('usage-req.csr'));
    const text = openssl(['req', '-in', at('usage-req.csr'), '-noout', '-text']);
    expect(text).toMatch(/Requested Extensions:[\s\S]*X509v3 Key Usage: critical\n *Digital Signature\n[\s\S]*X509v3 Extended Key Usage: *\n *TLS Web Server Authentication, TLS Web Client Authentication\n/);
  });

  it('an unknown -ku or -eku name is a usage error naming the choices', async () => {
    const db = at('usage-bad.kdb');
    await newStore(db);
    const ku = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'x', '-dn', 'CN=x', '-ku', 'digitalSignature,signEverything');
    expect(ku).toMatchObject({ code: 2 });
    expect(ku.err).toMatch(/-ku takes digitalSignature, .*not "signEverything"/);
    const eku = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'x', '-dn', 'CN=x', '-eku', 'webServer');
    expect(eku).toMatchObject({ code: 2 });
    expect(eku.err).toMatch(/-eku takes .*serverAuth.*not "webServer"/);
  });
});

describe(`-x509version (cli/RUNMQAKM.md §2.6: 1, 2 or 3)`, () => {
  it('3 is accepted, as DataDog prepare_tls.sh#L6 passes it; 1 and 2 are refused in one line, nothing written', async () => {
    const root = at('datadog');
    const line = realLine('DataDog/integrations-core ibm_mq/tests/compose/prepare_tls.sh#L6', '-create');
    await newStore(file(root, 'keys/qm1.kdb'), 'cms', 'Secret13');
    expect(await run(line, root)).toMatchObject({ code: 0, out: '' });
    for (const version of ['1', '2']) {
      const r = await run(line, root, (argv) => argv.map((a, i) => (argv[i - 1] === '-x509version' ? version : argv[i - 1] === '-label' ? 'other' : a)));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^keydesk: -x509version ${version} is not supported: KeyDesk makes X.509 version 3 certificates only`));
    }
    expect((await labels(file(root, 'keys/qm1.kdb'), '-pw', 'Secret13')).map((e) => e.label)).toEqual(['qm1']);
  });
});

describe.skipIf(!hasTool('openssl'))(`-ca_label: a CA of the same store signs the new certificate (cli/RUNMQAKM.md §3.6)${missingNote('openssl')}`, () => {
  it('signs with the CA, carries its chain, and openssl verifies it', async () => {
    const db = at('ca-label.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'team ca', '-dn', 'CN=Team CA,O=KeyDesk Test', '-ca', 'true', '-sig_alg', 'SHA384WithRSA');
    const notes = await okNotes('-cert', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Test', '-ca_label', 'team ca', '-san_dnsname', 'qm1.example.com', '-sig_alg', 'SHA256WithRSA');
    expect(notes).toMatch(/signed by "team ca"/);
    const details = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-json'));
    expect(details).toMatchObject({ issuer: 'CN=Team CA,O=KeyDesk Test', signatureAlgorithm: 'SHA256withRSA' });
    await ok('-cert', '-extract', '-db', db, '-stashed', '-label', 'team ca', '-target', at('team-ca.pem'));
    await ok('-cert', '-extract', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-target', at('qm1-by-ca.pem'));
    expect(openssl(['verify', '-CAfile', at('team-ca.pem'), at('qm1-by-ca.pem')])).toMatch(/OK/);
    // A partner that adds the CA as a signer trusts the new certificate.
    const partner = at('ca-label-partner.kdb');
    await newStore(partner);
    await ok('-cert', '-add', '-db', partner, '-stashed', '-label', 'team ca', '-file', at('team-ca.pem'));
    await ok('-cert', '-add', '-db', partner, '-stashed', '-label', 'qm1', '-file', at('qm1-by-ca.pem'));
    expect(await ok('-cert', '-validate', '-db', partner, '-stashed', '-label', 'qm1')).toMatch(/Validation successful/);
    expect(notes).toMatch(/Partners need "team ca"'s certificate as a signer/);
  });

  it('a label that is not a CA, or not there, is refused and nothing is written', async () => {
    const db = at('ca-label-bad.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'plain', '-dn', 'CN=plain');
    const notCa = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'x', '-dn', 'CN=x', '-ca_label', 'plain');
    expect(notCa.code).toBe(2);
    expect(notCa.err).toMatch(/not a CA certificate/);
    const missing = await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'x', '-dn', 'CN=x', '-ca_label', 'nobody');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/-ca_label: no entry labelled "nobody"/);
    expect((await labels(db, '-stashed')).map((e) => e.label)).toEqual(['plain']);
  });
});

describe.skipIf(!hasTool('openssl'))(`-certreq -create -target and -recreate for renewal${missingNote('openssl')}`, () => {
  it('-certreq -create takes the request file as -target too', async () => {
    const db = at('req-target.kdb');
    await newStore(db);
    await ok('-certreq', '-create', '-db', db, '-stashed', '-label', 'qm2', '-dn', 'CN=QM2,O=KeyDesk Test', '-target', at('qm2.csr'));
    expect(openssl(['req', '-in', at('qm2.csr'), '-noout', '-verify', '-subject', '-nameopt', 'RFC2253'])).toMatch(/subject=CN=QM2,O=KeyDesk Test/);
    const both = await cli('-certreq', '-create', '-db', db, '-stashed', '-label', 'qm3', '-dn', 'CN=QM3', '-target', at('a.csr'), '-file', at('b.csr'));
    expect(both.code).toBe(2);
  });

  it("mqsslsetup.sh's -certreq -recreate on a personal certificate (index file id 38553416580) makes a renewal request with the same key, subject and SANs; -cert -receive then renews it in place", async () => {
    const root = at('mqsslsetup');
    const db = file(root, 'var/mqm/qmgrs/QM1/ssl/key.kdb');
    await newStore(db, 'cms', 'password');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=DAI.SITE.MQ.PROD.QM1,OU=IT,O=Example,ST=BW,L=Stuttgart,C=DE', '-san_dnsname', 'qm1.example.com');
    const recreate = realLine('38553416580', '-recreate');
    const r = await run(recreate, root);
    expect(r, r.err).toMatchObject({ code: 0, out: '' });
    const csr = file(root, 'var/mqm/qmgrs/QM1/ssl/request_ssl_qm1.arm');
    const requestText = openssl(['req', '-in', csr, '-noout', '-verify', '-text', '-nameopt', 'RFC2253']);
    expect(requestText).toMatch(/Subject: CN=DAI.SITE.MQ.PROD.QM1,OU=IT,O=Example,ST=BW,L=Stuttgart,C=DE/);
    expect(requestText).toMatch(/DNS:qm1\.example\.com/);
    await ok('-cert', '-extract', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-target', at('qm1-old.pem'));
    expect(openssl(['req', '-in', csr, '-noout', '-pubkey'])).toBe(openssl(['x509', '-in', at('qm1-old.pem'), '-noout', '-pubkey']));
    // Nothing in the store changed: no pending request appeared.
    expect((await ok('-certreq', '-list', '-db', db, '-stashed'))).not.toMatch(/ibmwebspheremqqm1/);

    // The CA answers; mqsslsetup adds the CA and receives (its setup sequence, steps 2 and 4).
    const ca = at('renewal-ca.kdb');
    await newStore(ca);
    await ok('-cert', '-create', '-db', ca, '-stashed', '-label', 'corp root', '-dn', 'CN=Corp Root CA,O=Example', '-ca', 'true');
    await ok('-cert', '-sign', '-db', ca, '-stashed', '-label', 'corp root', '-file', csr, '-target', file(root, 'var/mqm/qmgrs/QM1/ssl/qm1_signed.cer'));
    await ok('-cert', '-extract', '-db', ca, '-stashed', '-label', 'corp root', '-target', file(root, 'opt/mw/mqm/cert/Corp-Root-CA.cer'), '-format', 'binary');
    const [, add, , receive] = sequence('mqsslsetup-setup');
    expect(await run(add!, root)).toMatchObject({ code: 0, out: '' });
    expect(await run(receive!, root)).toMatchObject({ code: 0, out: '' });
    const renewed = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-json'));
    expect(renewed).toMatchObject({ kind: 'personal', issuer: 'CN=Corp Root CA,O=Example', chainComplete: true });
    await ok('-cert', '-extract', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-target', at('qm1-new.pem'));
    expect(openssl(['x509', '-in', at('qm1-new.pem'), '-noout', '-pubkey'])).toBe(openssl(['x509', '-in', at('qm1-old.pem'), '-noout', '-pubkey']));
  });

  it('-certreq -extract on a personal certificate says -recreate is the command for it', async () => {
    const db = at('req-extract.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'me', '-dn', 'CN=me');
    const r = await cli('-certreq', '-extract', '-db', db, '-stashed', '-label', 'me', '-target', at('me.csr'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/-certreq -recreate makes a renewal request for it/);
  });
});

describe.skipIf(!hasTool('openssl'))(`-cert -import in IBM's form (cli/RUNMQAKM.md §2.3 -import)${missingNote('openssl')}`, () => {
  let pki: string;
  beforeAll(() => {
    pki = at('pki');
    mkdirSync(pki, { recursive: true });
    makeCa(pki, 'ca', '/O=KeyDesk Test/CN=Import Test CA');
    makeLeaf(pki, 'server', '/CN=server.example.com', 'ca');
    makeLeaf(pki, 'app1', '/CN=app1', 'ca');
  });
  /** A PKCS#12 as openssl writes it; without `name`, no friendly name, as Go's go-pkcs12 writes one. */
  function p12(out: string, leaf: string, pw: string, options: { name?: string; caName?: string; withoutCa?: boolean } = {}): void {
    mkdirSync(dirname(out), { recursive: true });
    openssl(['pkcs12', '-export', '-inkey', `${leaf}.key`, '-in', `${leaf}.pem`, ...(options.withoutCa ? [] : ['-certfile', 'ca.pem']), ...(options.name ? ['-name', options.name] : []), ...(options.caName ? ['-caname', options.caName] : []), '-out', out, '-passout', `pass:${pw}`], pki);
  }

  it("IBM's 2021 generate-test-cert (index file id 31214138614): -file server.p12 -type pkcs12 -target_stashed -target_type cms, then the application store", async () => {
    const root = at('ibm-2021');
    p12(file(root, 'server.p12'), 'server', 'password', { name: 'server' });
    p12(file(root, 'application.p12'), 'app1', 'password', { name: 'application' });
    writeFileSync(file(root, 'server.crt'), readFileSync(join(pki, 'server.pem')));
    for (const line of sequence('ibm-2021-generate-test-cert')) expect(await run(line, root), line.argv.join(' ')).toMatchObject({ code: 0, out: '' });
    // openssl names only the key (-name); the CA comes without a friendly name and is labelled
    // with its subject DN, RFC 4514, as GSKit labels it (cli/testing/REAL-SCRIPTS.md, martdj:
    // -cert -setdefault -label CN=*.martdj.nl after a GSKit import; cli/RUNMQAKM.md §3.1).
    expect(await labels(file(root, 'server.kdb'), '-stashed')).toEqual([
      { label: 'server', kind: 'personal' },
      { label: 'CN=Import Test CA,O=KeyDesk Test', kind: 'signer' },
    ]);
    expect(await labels(file(root, 'application.kdb'), '-stashed')).toEqual([
      { label: 'default', kind: 'signer' },
      { label: 'application', kind: 'personal' },
      { label: 'CN=Import Test CA,O=KeyDesk Test', kind: 'signer' },
    ]);
  });

  it("IBM's MQ TLS demo (index file id 16195568698): -new_label without -label renames the one personal certificate; a CA bundled under that name does not collide", async () => {
    const root = at('demo');
    await newStore(file(root, 'app1key.kdb'));
    // GSKit applies -new_label to every certificate and fails on the CA (CTGSK2021W); here the CA is named so on purpose.
    p12(file(root, 'app1.p12'), 'app1', 'password', { name: 'app1', caName: 'ibmwebspheremqemir' });
    const [importLine, listLine, detailsLine] = sequence('mq-demo-app1key');
    expect(await run(importLine!, root)).toMatchObject({ code: 0, out: '' });
    const list = await run(listLine!, root);
    expect(list.lines).toContain('-\tibmwebspheremqemir');
    expect(list.lines.filter((l) => l.startsWith('!'))).toHaveLength(1);
    expect(list.lines.some((l) => /^!\t"?ibmwebspheremqemir"?$/.test(l))).toBe(false);
    const details = await run(detailsLine!, root);
    expect(details.code).toBe(0);
    expect(details.out).toMatch(/CN=app1/);
  });

  it('-new_label without -label is refused, naming them, when the source holds several personal certificates', async () => {
    const db = at('two-keys.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'first', '-dn', 'CN=first');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'second', '-dn', 'CN=second');
    const target = at('two-keys-target.kdb');
    await newStore(target);
    const r = await cli('-cert', '-import', '-db', db, '-stashed', '-target', target, '-target_stashed', '-new_label', 'renamed');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds 2 personal certificates \("first", "second"\): name the one to import as "renamed" with -label/);
    expect(await labels(target, '-stashed')).toEqual([]);
  });

  it("ivansla (runmqckm): -file mqserver.pfx -type pkcs12 -target_stashed -target_type cms, the rename, and -cert -add without a label", async () => {
    const root = at('ivansla');
    p12(file(root, 'home/mqm/ssl/mqserver.pfx'), 'server', 'passw0rd', { name: 'mqserver', withoutCa: true });
    writeFileSync(file(root, 'home/mqm/ssl/ca-company.pem'), readFileSync(join(pki, 'ca.pem')));
    for (const line of sequence('ivansla-mq-kdb')) expect(await run(line, root), line.argv.join(' ')).toMatchObject({ code: 0 });
    expect(await labels(file(root, 'home/mqm/qmgrs/data/QMgr01/ssl/key.kdb'), '-stashed')).toEqual([
      { label: 'ibmwebspheremqqmgr01', kind: 'personal' },
      { label: 'CN=Import Test CA,O=KeyDesk Test', kind: 'signer' },
    ]);
    // Once more, as a rerun of the script would: a duplicate, refused as GSKit's CTGSK2021W.
    const again = await run(sequence('ivansla-mq-kdb')[5]!, root);
    expect(again).toMatchObject({ code: 23, out: 'CTGSK2021W A duplicate certificate already exists in the database.' });
    expect(again.err).toMatch(/already in the store, labelled "CN=Import Test CA,O=KeyDesk Test"/);
  });

  it('a signer-only PKCS#12 imports its signers (mq-truststores, index file id 18194015347); ITM imports one by -label with -new_label', async () => {
    const root = at('truststores');
    const p12Store = file(root, 'truststores/p12-truststore.p12');
    await newStore(p12Store, 'pkcs12', 'password');
    await ok('-cert', '-add', '-db', p12Store, '-pw', 'password', '-label', 'root', '-file', join(pki, 'ca.pem'));
    await newStore(file(root, 'truststores/CMS-truststore.kdb'), 'cms', 'password');
    const steps = sequence('mq-truststores-populate');
    expect(await run(steps[5]!, root)).toMatchObject({ code: 0, out: '' });
    expect(await labels(file(root, 'truststores/CMS-truststore.kdb'), '-stashed')).toEqual([{ label: 'root', kind: 'signer' }]);

    // ITM renewCert step 4: -import -db trust.p12 -label root -new_label root into a store without it.
    const itm = at('itm');
    const trustP12 = file(itm, 'opt/IBM/ITM/lx8266/iw/profiles/ITMProfile/config/cells/ITMCell/nodes/ITMNode/trust.p12');
    await newStore(trustP12, 'pkcs12', 'WebAS');
    await ok('-cert', '-add', '-db', trustP12, '-pw', 'WebAS', '-label', 'root', '-file', join(pki, 'ca.pem'));
    await ok('-cert', '-add', '-db', trustP12, '-pw', 'WebAS', '-label', 'other', '-file', join(pki, 'app1.pem'));
    await newStore(file(itm, 'opt/IBM/ITM/keyfiles/keyfile.kdb'));
    const itmSteps = sequence('itm-teps-renew-default-cert');
    expect(await run(itmSteps[3]!, itm)).toMatchObject({ code: 0, out: '' });
    expect(await labels(file(itm, 'opt/IBM/ITM/keyfiles/keyfile.kdb'), '-stashed')).toEqual([{ label: 'root', kind: 'signer' }]);
  });

  it("-db as the source with -stashed for the target (cli/RUNMQAKM.md §2.3, source G9), and KeyDesk's -file CERT -keyfile KEY form still", async () => {
    const source = at('g9/secretkey.p12');
    p12(source, 'server', 'secret', { name: 'mykey' });
    const target = at('g9/keystore.p12');
    await newStore(target, 'pkcs12');
    await ok('-cert', '-import', '-db', source, '-pw', 'secret', '-target', target, '-stashed', '-label', 'mykey');
    // The unnamed CA: its subject DN, as GSKit labels it (cli/testing/REAL-SCRIPTS.md, martdj).
    expect((await labels(target, '-stashed')).map((e) => e.label)).toEqual(['mykey', 'CN=Import Test CA,O=KeyDesk Test']);

    const pair = at('pair.kdb');
    await newStore(pair);
    await ok('-cert', '-import', '-file', join(pki, 'app1.pem'), '-keyfile', join(pki, 'app1.key'), '-label', 'app1', '-target', pair, '-target_stashed');
    expect(await labels(pair, '-stashed')).toEqual([{ label: 'app1', kind: 'personal' }]);
  });

  it('a certificate file in place of a store (index file id 39794041989: -type p12 -file member1.pem) is named as holding no key', async () => {
    const root = at('liberty');
    await newStore(file(root, 'opt/IBM/WebSphere/Plugins/config/webserver1/plugin-key.kdb'));
    writeFileSync(file(root, 'member1.pem'), readFileSync(join(pki, 'server.pem')));
    const r = await run(realLine('39794041989', '-import'), root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds certificates but no private key: add them as signers with -cert -add, or give their key with -keyfile/);
  });
});

describe.skipIf(!hasTool('openssl'))(`-cert -add without -label, -cert -export of a whole store, -cert -extract -file${missingNote('openssl')}`, () => {
  it("labels each certificate with its subject DN, as GSKit does (IBM Cloud's listing, cli/RUNMQAKM.md §3.1 G6: CN=R3,O=Let's Encrypt,C=US)", async () => {
    const dir = at('dn-labels');
    mkdirSync(dir, { recursive: true });
    makeCa(dir, 'r3', "/C=US/O=Let's Encrypt/CN=R3");
    makeCa(dir, 'x1', '/C=US/O=Internet Security Research Group/CN=ISRG Root X1');
    writeFileSync(join(dir, 'bundle.pem'), Buffer.concat([readFileSync(join(dir, 'r3.pem')), readFileSync(join(dir, 'x1.pem'))]));
    const db = at('dn-labels.kdb');
    await newStore(db);
    await ok('-cert', '-add', '-db', db, '-stashed', '-file', join(dir, 'bundle.pem'));
    expect(await labels(db, '-stashed')).toEqual([
      { label: "CN=R3,O=Let's Encrypt,C=US", kind: 'signer' },
      { label: 'CN=ISRG Root X1,O=Internet Security Research Group,C=US', kind: 'signer' },
    ]);
    // runmqakm quotes labels with spaces; a script strips the quotes (mq-container: strings.Trim(label, "\"")).
    const listed = (await ok('-cert', '-list', '-db', db, '-stashed')).split('\n').map((l) => l.replace(/"/g, ''));
    expect(listed).toContain("!\tCN=R3,O=Let's Encrypt,C=US");

    const again = await cli('-cert', '-add', '-db', db, '-stashed', '-file', join(dir, 'r3.pem'));
    expect(again.code).toBe(23);
    expect(again.err).toMatch(/already in the store, labelled "CN=R3,O=Let's Encrypt,C=US"/);
  });

  it('-cert -export with no -label copies every entry (IHS rebuild, index file id 6940517128; the target password answered as the prompt would be)', async () => {
    const root = at('ihs');
    const old = file(root, 'opt/IBM/HTTPServer/conf/key.kdb');
    await newStore(old);
    await ok('-cert', '-create', '-db', old, '-stashed', '-label', 'ihs server', '-dn', 'CN=ihs.example.com');
    await ok('-cert', '-add', '-db', old, '-stashed', '-label', 'partner', '-file', join(at('pki'), 'ca.pem'));
    await ok('-certreq', '-create', '-db', old, '-stashed', '-label', 'next year', '-dn', 'CN=ihs.example.com', '-file', at('ihs-next.csr'));
    const [, exportLine] = sequence('ihs-kdb-rebuild');
    await newStore(file(root, 'temp.kdb'), 'cms', 'Temp-passw0rd');
    const r = await run(exportLine!, root, (argv) => [...argv, '-target_pw', 'Temp-passw0rd']);
    expect(r, r.err).toMatchObject({ code: 0, out: '' });
    expect(await labels(file(root, 'temp.kdb'), '-stashed')).toEqual([
      { label: 'ihs server', kind: 'personal' },
      { label: 'partner', kind: 'signer' },
    ]);
    expect(await ok('-certreq', '-list', '-db', file(root, 'temp.kdb'), '-stashed')).toMatch(/next year/);
  });

  it('-cert -extract -file OUT, as a stored version of covener/plugin-tools list_ca_details.sh writes it', async () => {
    const root = at('covener');
    const line = realLine('covener/plugin-tools list_ca_details.sh', '-extract', '-file');
    const db = file(root, line.argv[line.argv.indexOf('-db') + 1]!);
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'server', '-dn', 'CN=server');
    expect(await run(line, root)).toMatchObject({ code: 0, out: '' });
    const out = file(root, line.argv[line.argv.indexOf('-file') + 1]!);
    expect(openssl(['x509', '-in', out, '-noout', '-subject'])).toMatch(/CN ?= ?server/);
  });
});

describe.skipIf(!hasTool('openssl'))(`-default_cert yes|no on -cert -create, -receive and -import (cli/RUNMQAKM.md §2.6: "The default is no")${missingNote('openssl')}`, () => {
  it('an IHS Dockerfile (index file id 46928624180): -sigalg SHA256WithRSA … -default_cert yes lists the certificate as *-', async () => {
    const root = at('ihs-docker');
    await newStore(file(root, 'opt/IBM/WebSphere/Plugins/config/key.kdb'), 'cms', 'wasadmin');
    const r = await run(realLine('46928624180', '-create', '-default_cert'), root);
    expect(r, r.err).toMatchObject({ code: 0, out: '' });
    const db = file(root, 'opt/IBM/WebSphere/Plugins/config/key.kdb');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'second', '-dn', 'CN=second', '-default_cert', 'no');
    expect((await ok('-cert', '-list', '-db', db, '-stashed')).split('\n')).toEqual(['Certificates found', '* default, - personal, ! trusted, # secret key', '*-\twebsphere', '-\tsecond']);
  });

  it('-cert -receive -default_cert yes marks the received certificate; -cert -import -default_cert yes the imported one, in place of the earlier default', async () => {
    const db = at('default.kdb');
    await newStore(db);
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'old default', '-dn', 'CN=old', '-default_cert', 'yes');
    const ca = at('default-ca.kdb');
    await newStore(ca);
    await ok('-cert', '-create', '-db', ca, '-stashed', '-label', 'ca', '-dn', 'CN=Default Test CA', '-ca', 'true');
    await ok('-cert', '-extract', '-db', ca, '-stashed', '-label', 'ca', '-target', at('default-ca.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-file', at('default-ca.pem'));
    await ok('-certreq', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', '-file', at('default-qm1.csr'));
    await ok('-cert', '-sign', '-db', ca, '-stashed', '-label', 'ca', '-file', at('default-qm1.csr'), '-target', at('default-qm1.arm'));
    const received = await okNotes('-cert', '-receive', '-db', db, '-stashed', '-file', at('default-qm1.arm'), '-default_cert', 'yes');
    expect(received).toMatch(/"ibmwebspheremqqm1" is now the default certificate, in place of "old default"/);
    expect((await ok('-cert', '-list', 'personal', '-db', db, '-stashed')).split('\n').slice(2)).toEqual(['-\t"old default"', '*-\tibmwebspheremqqm1']);

    const p12 = at('default-import.p12');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'default-import.key', '-out', 'default-import.pem', '-subj', '/CN=imported', '-days', '5']);
    openssl(['pkcs12', '-export', '-inkey', 'default-import.key', '-in', 'default-import.pem', '-out', p12, '-passout', 'pass:pw']);
    await ok('-cert', '-import', '-file', p12, '-pw', 'pw', '-target', db, '-target_stashed', '-default_cert', 'yes');
    const list = await ok('-cert', '-list', '-db', db, '-stashed');
    // No -name: labelled with the subject DN as GSKit does (cli/testing/REAL-SCRIPTS.md, martdj:
    // -cert -setdefault -label CN=*.martdj.nl); no space, so unquoted (cli/RUNMQAKM.md §3.1).
    expect(list.split('\n').filter((l) => l.startsWith('*-'))).toEqual(['*-\tCN=imported']);
  });

  it('on a request, -default_cert yes is refused with what to do; yes|no only', async () => {
    const db = at('default-req.kdb');
    await newStore(db);
    const r = await cli('-certreq', '-create', '-db', db, '-stashed', '-label', 'r', '-dn', 'CN=r', '-file', at('default-r.csr'), '-default_cert', 'yes');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give it to -cert -receive/);
    expect((await cli('-cert', '-create', '-db', db, '-stashed', '-label', 'x', '-dn', 'CN=x', '-default_cert', 'maybe')).code).toBe(2);
  });
});

describe.skipIf(!hasTool('openssl'))(`IBM's MQ container start-up, end to end (real-command-lines.json sequence mq-container-tls-startup)${missingNote('openssl')}`, () => {
  // ibm-messaging/mq-container internal/keystore/keystore.go and internal/tls/tls.go, re-implemented
  // in spirit: Go's strings.TrimLeft(s, cutset) strips any leading characters of the cutset.
  const trimLeft = (s: string, cutset: string) => s.replace(new RegExp(`^[${cutset.replace(/[-\\\]^]/g, '\\$&')}]+`), '');
  const trim = (s: string, cutset: string) => trimLeft(s, cutset).replace(new RegExp(`[${cutset.replace(/[-\\\]^]/g, '\\$&')}]+$`), '');
  const scanLines = (out: string) => out.split('\n').map((l) => l.replace(/\r$/, '')); // bufio.Scanner's ScanLines

  /** keystore.go GetCertificateLabels: personal certificates only. */
  function getCertificateLabels(out: string): string[] {
    return scanLines(out)
      .filter((s) => s.startsWith('-') || s.startsWith('*-'))
      .map((s) => trimLeft(s, '-*').trim());
  }
  /** keystore.go ListAllCertificates: personal and trusted. */
  function listAllCertificates(out: string): string[] {
    return scanLines(out)
      .filter((s) => s.startsWith('-') || s.startsWith('*-') || s.startsWith('!'))
      .map((s) => trimLeft(s, '-*!').trim());
  }

  it('creates both stores, imports the key set, relabels it, adds the trust bundle without labels, relabels Trust0…, and lists', async () => {
    const root = at('mq-container');
    const pkiDir = at('mq-container-pki');
    mkdirSync(pkiDir, { recursive: true });
    // /etc/mqm/pki/keys/default: tls.key, tls.crt and ca.crt; /etc/mqm/pki/trust/0: a partner CA.
    makeCa(pkiDir, 'ca', '/O=MQ Test/CN=ROOTCA');
    makeLeaf(pkiDir, 'tls', '/CN=localhost', 'ca');
    makeCa(pkiDir, 'partner', '/O=Elsewhere/CN=Partner CA');
    // tls.go processKeys: pkcs.Modern.Encode(privateKey, publicCertificate, caCertificate, pw) — no friendly name.
    const password = 'Ab3dEf6hIj9k';
    mkdirSync(file(root, 'run/runmqserver/tls'), { recursive: true });
    openssl(['pkcs12', '-export', '-inkey', 'tls.key', '-in', 'tls.pem', '-certfile', 'ca.pem', '-out', file(root, 'run/runmqserver/tls/default.p12'), '-passout', `pass:${password}`], pkiDir);
    // tls.go: the truststore gets the key set's CA and the trust directory's; the CMS store only
    // what it does not know yet (its CA came in with the PKCS#12).
    writeFileSync(file(root, 'tmp/trust.pem'), Buffer.concat([readFileSync(join(pkiDir, 'ca.pem')), readFileSync(join(pkiDir, 'partner.pem'))]));
    writeFileSync(file(root, 'tmp/cmsTrust.pem'), readFileSync(join(pkiDir, 'partner.pem')));

    const steps = sequence('mq-container-tls-startup');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [createKdb, createP12, importP12, listKdb, rename, addTrust, listTrust, renameTrust, addCmsTrust, listFinal] = steps as [RealLine, ...RealLine[]];
    // Go's exec: success is err == nil, i.e. exit status 0; output only appears in error text.
    const succeeds = async (line: RealLine, change?: (argv: string[]) => string[]) => {
      const r = await run(line, root, change);
      expect(r.code, `${line.argv.join(' ')}\n${r.err}`).toBe(0);
      return r;
    };
    await succeeds(createKdb!);
    await succeeds(createP12!);
    await succeeds(importP12!);

    // tls.go relabelCertificate: the first listed personal label not already known is renamed to the key set's name.
    const personal = getCertificateLabels((await succeeds(listKdb!)).out);
    expect(personal).toHaveLength(1);
    const withValue = (flag: string, value: string) => (argv: string[]) => argv.map((a, i) => (argv[i - 1] === flag ? value : a));
    await succeeds(rename!, (argv) => withValue('-label', trim(personal[0]!, '"'))(argv));

    // tls.go addCertificatesToTruststore: AddNoLabel, then every listed certificate i becomes Trust<i>.
    await succeeds(addTrust!);
    const trusted = listAllCertificates((await succeeds(listTrust!)).out);
    expect(trusted).toHaveLength(2);
    for (const [i, label] of trusted.entries()) {
      await succeeds(renameTrust!, (argv) => withValue('-new_label', `Trust${i}`)(withValue('-label', trim(label, '"').trim())(argv)));
    }
    await succeeds(addCmsTrust!);
    // tls.go ConfigureTLS: SSLKEYR is set only when the list is not empty.
    expect(listAllCertificates((await succeeds(listFinal!)).out).length).toBeGreaterThan(0);

    const kdb = file(root, 'run/runmqserver/tls/key.kdb');
    // The key set's CA came in the unnamed PKCS#12: its subject DN, as GSKit labels it
    // (cli/testing/REAL-SCRIPTS.md, martdj; cli/RUNMQAKM.md §3.1: CN=R3,O=Let's Encrypt,C=US).
    expect(await labels(kdb, '-pw', password)).toEqual([
      { label: 'default', kind: 'personal' },
      { label: 'CN=ROOTCA,O=MQ Test', kind: 'signer' },
      { label: 'CN=Partner CA,O=Elsewhere', kind: 'signer' },
    ]);
    expect(await ok('-cert', '-validate', '-db', kdb, '-pw', password, '-label', 'default')).toMatch(/Validation successful/);
    const p12Labels = await labels(file(root, 'run/runmqserver/tls/trust.p12'), '-pw', password);
    expect(p12Labels.map((e) => e.label).sort()).toEqual(['Trust0', 'Trust1']);
    // The queue manager's peers read the truststore with their own tools.
    const certs = openssl(['pkcs12', '-in', file(root, 'run/runmqserver/tls/trust.p12'), '-nokeys', '-passin', `pass:${password}`]);
    expect(certs.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(existsSync(file(root, 'run/runmqserver/tls/key.sth'))).toBe(true);
  });
});

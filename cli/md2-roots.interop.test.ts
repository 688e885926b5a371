/**
 * MD2-signed roots as a user meets them (issue 17): a key database holding VeriSign's
 * Class 3 Public Primary CA (MD2, as old GSKit databases ship it), an MD2 root made here
 * with a queue manager certificate issued under it, MD5 and SHA-1 roots, and MD2- and
 * MD5-signed certificates that are not roots. Every front end must agree: the roots are
 * roots (-cert -details -json, -chain, -cert -validate, the Doctor, the CSV and HTML
 * lists), their weak self-signatures are INFO whatever the digest, the digest is named as
 * it is, and a non-root MD2 or MD5 signature is an error. OpenSSL 3 cannot verify MD2
 * (`openssl x509 -text` still names it md2WithRSAEncryption), which is why this was wrong.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { copyWritable, hasTool, haveKdbFixtures, kdbFixturesDir, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { resignWithMd2 } from '../core/testing/md2-certificates';
import type { Finding } from '../core/checks/findings';
import type { HandshakeReport } from '../core/api/contract';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const openssl = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir }).toString();
const verisignFile = join(__dirname, '../core/x509/testdata/verisign-class3-pca-md2.pem');
const VERISIGN_DN = 'OU=Class 3 Public Primary Certification Authority,O=VeriSign\\, Inc.,C=US';

function pemFile(name: string, der: Uint8Array): string {
  const file = at(`${name}.pem`);
  writeFileSync(file, new X509Certificate(der).toString());
  return file;
}
const derOf = (name: string) => new Uint8Array(new X509Certificate(readFileSync(at(`${name}.pem`))).raw);
const keyOf = (name: string) => createPrivateKey(readFileSync(at(`${name}.key`)));

async function doctor(db: string): Promise<Finding[]> {
  const r = await cli('-keydb', '-check', '-db', db, '-stashed', '-json');
  expect(r.out, r.err).not.toBe('');
  return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

/** old.kdb: the VeriSign root, an MD2 root with "ibmwebspheremqqm1" issued under it, MD5
 * and SHA-1 roots, MD2- and MD5-signed partners; made once for every describe below. */
let made: Promise<void> | undefined;
function makeOldStore(): Promise<void> {
  made ??= (async () => {
    const db = at('old.kdb');
    writeFileSync(at('leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'md2root.key', '-out', 'md2root-sha256.pem', '-subj', '/O=Old Trust/OU=Class 3 Test Primary CA', '-days', '3650', '-extensions', 'v3_ca');
    pemFile('md2root', resignWithMd2(new Uint8Array(new X509Certificate(readFileSync(at('md2root-sha256.pem'))).raw), keyOf('md2root')));
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'qm1.key', '-out', 'qm1.csr', '-subj', '/CN=QM1/O=KeyDesk Tests');
    openssl('x509', '-req', '-in', 'qm1.csr', '-CA', 'md2root-sha256.pem', '-CAkey', 'md2root.key', '-set_serial', '11', '-days', '300', '-sha256', '-out', 'qm1.pem', '-extfile', 'leaf.ext');
    // Not roots: one MD2-signed by the MD2 root's key, one MD5-signed.
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'partner.key', '-out', 'partner.csr', '-subj', '/CN=Old Partner/O=KeyDesk Tests');
    openssl('x509', '-req', '-in', 'partner.csr', '-CA', 'md2root-sha256.pem', '-CAkey', 'md2root.key', '-set_serial', '12', '-days', '300', '-sha256', '-out', 'partner-sha256.pem');
    pemFile('md2partner', resignWithMd2(derOf('partner-sha256'), keyOf('md2root')));
    openssl('x509', '-req', '-in', 'partner.csr', '-CA', 'md2root-sha256.pem', '-CAkey', 'md2root.key', '-set_serial', '13', '-days', '300', '-md5', '-out', 'md5partner.pem');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'md5root.key', '-out', 'md5root.pem', '-subj', '/CN=MD5 Root/O=KeyDesk Tests', '-days', '3650', '-md5', '-extensions', 'v3_ca');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'sha1root.key', '-out', 'sha1root.pem', '-subj', '/CN=SHA-1 Root/O=KeyDesk Tests', '-days', '3650', '-sha1', '-extensions', 'v3_ca');

    await ok('-keydb', '-create', '-db', db, '-pw', 'old-pw', '-type', 'cms', '-stash');
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'verisign class 3 public primary certification authority', '-file', verisignFile);
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'md2 root', '-file', at('md2root.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'md5 root', '-file', at('md5root.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'sha1 root', '-file', at('sha1root.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'md2 partner', '-file', at('md2partner.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'md5 partner', '-file', at('md5partner.pem'));
    await ok('-cert', '-import', '-file', at('qm1.pem'), '-keyfile', at('qm1.key'), '-label', 'ibmwebspheremqqm1', '-target', db, '-target_stashed');
  })();
  return made;
}

describe.skipIf(!hasTool('openssl'))(`a store with MD2, MD5 and SHA-1 roots${missingNote('openssl')}`, () => {
  const db = at('old.kdb');
  beforeAll(makeOldStore);

  it('openssl names the roots\' signatures md2/md5/sha1 and OpenSSL cannot verify the MD2 one (the premise)', () => {
    expect(openssl('x509', '-in', verisignFile, '-noout', '-text')).toContain('Signature Algorithm: md2WithRSAEncryption');
    expect(openssl('x509', '-in', at('md2root.pem'), '-noout', '-text')).toContain('Signature Algorithm: md2WithRSAEncryption');
    expect(openssl('x509', '-in', at('md5root.pem'), '-noout', '-text')).toContain('Signature Algorithm: md5WithRSAEncryption');
    const x = new X509Certificate(readFileSync(verisignFile));
    expect(x.verify(x.publicKey)).toBe(false);
  });

  it('-cert -details -json: the MD2 roots are self-signed, "not checkable (MD2)"; the MD2 partner is not self-signed', async () => {
    for (const label of ['verisign class 3 public primary certification authority', 'md2 root']) {
      const details = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', label, '-json'));
      expect(details, label).toMatchObject({ signatureAlgorithm: 'MD2withRSA', selfSigned: true, selfSignatureNotCheckable: 'MD2', chainComplete: true });
    }
    const partner = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'md2 partner', '-json'));
    expect(partner).toMatchObject({ signatureAlgorithm: 'MD2withRSA', selfSigned: false, chainComplete: true });
    expect(partner.selfSignatureNotCheckable).toBeUndefined();
    expect(partner.chain.map((c: { subject: string }) => c.subject)).toEqual(['O=KeyDesk Tests,CN=Old Partner', 'OU=Class 3 Test Primary CA,O=Old Trust']);
  });

  it('-cert -details -chain: the queue manager\'s chain through the MD2 root is complete', async () => {
    const text = await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-chain');
    expect(text).toContain('Chain Certificate 2 of 2');
    expect(text.split('\n')).toContain('Chain Complete : Yes');
  });

  it('-cert -validate: the certificate under the MD2 root and the roots themselves validate; the MD2- and MD5-signed partners do not, naming their digest', async () => {
    for (const label of ['ibmwebspheremqqm1', 'verisign class 3 public primary certification authority', 'md2 root', 'md5 root', 'sha1 root']) {
      const r = await cli('-cert', '-validate', '-db', db, '-stashed', '-label', label);
      expect(r.out, `${label}: ${r.err}`).toContain('Validation successful');
      expect(r.code, label).toBe(0);
    }
    const md2 = await cli('-cert', '-validate', '-db', db, '-stashed', '-label', 'md2 partner');
    expect(md2.code).not.toBe(0);
    expect(md2.err).toContain('O=KeyDesk Tests,CN=Old Partner is signed with MD2withRSA');
    expect(md2.err).not.toMatch(/MD5|not among the signer/);
    expect(md2.err.trim().split('\n')).toHaveLength(1);
    const md5 = await cli('-cert', '-validate', '-db', db, '-stashed', '-label', 'md5 partner');
    expect(md5.code).not.toBe(0);
    expect(md5.err).toContain('is signed with MD5withRSA');
  });

  it('the Doctor: no MISSING_ISSUER; every weak root INFO, naming MD2, MD5 or SHA-1; the MD2 and MD5 partners ERROR, each naming its own digest', async () => {
    const findings = await doctor(db);
    expect(findings.filter((f) => f.code === 'MISSING_ISSUER')).toEqual([]);
    const weak = (label: string) => findings.filter((f) => f.code === 'WEAK_SIGNATURE' && f.label === label);
    const roots = { 'verisign class 3 public primary certification authority': 'MD2', 'md2 root': 'MD2', 'md5 root': 'MD5', 'sha1 root': 'SHA-1' } as const;
    for (const [label, digest] of Object.entries(roots)) {
      expect(weak(label), label).toHaveLength(1);
      expect(weak(label)[0]!.severity, label).toBe('info');
      expect(weak(label)[0]!.message, label).toContain(`own ${digest} signature is not checked in a handshake`);
    }
    expect(weak('md2 root')[0]!.message).toContain('signed with MD2withRSA (self-signature not checkable (MD2))');
    expect(weak('verisign class 3 public primary certification authority')[0]!.message).toContain(VERISIGN_DN);
    expect(weak('md2 partner')[0]).toMatchObject({ severity: 'error' });
    expect(weak('md2 partner')[0]!.message).toContain('refuse certificates signed with MD2');
    expect(weak('md2 partner')[0]!.message).not.toContain('MD5');
    expect(weak('md5 partner')[0]).toMatchObject({ severity: 'error' });
    expect(weak('md5 partner')[0]!.message).toContain('refuse certificates signed with MD5');
    // No fix offers to add a root's own DN as its missing issuer.
    expect(findings.filter((f) => f.fix?.action === 'add-issuer')).toEqual([]);
  });

  it('-cert -list -format csv and html: the MD2 root is a root whose self-signature is not checkable, the MD2 partner is weak', async () => {
    const csv = (await cli('-cert', '-list', 'all', '-db', db, '-stashed', '-format', 'csv')).stdout.split('\r\n');
    const status = (label: string) => csv.find((line) => line.startsWith(`${label},`))!.split(',').pop();
    expect(status('md2 root')).toBe('Trusted root CA; self-signature not checkable (MD2)');
    expect(status('verisign class 3 public primary certification authority')).toBe('Trusted self-signed; weak key; self-signature not checkable (MD2)') // 1024-bit RSA;
    expect(status('md5 root')).toBe('Trusted root CA');
    expect(status('md2 partner')).toBe('Trusted certificate; weak signature');
    const html = (await cli('-cert', '-list', 'all', '-db', db, '-stashed', '-format', 'html')).stdout;
    const row = (label: string) => html.split('\n').find((line) => line.startsWith(`<tr><td>${label}</td>`))!;
    expect(row('md2 root')).toContain('Trusted root CA; self-signature not checkable (MD2)');
    expect(row('md2 partner')).toContain('Trusted certificate; weak signature');
  });
});

describe.skipIf(!hasTool('openssl'))(`the handshake lab between stores that trust an MD2 root${missingNote('openssl')}`, () => {
  const qm = at('old.kdb');
  const lab = async (app: string) => {
    const r = await cli('-tls', '-test', '-db', qm, '-stashed', '-label', 'ibmwebspheremqqm1', '-peer_db', at(app), '-peer_pw', 'app-pw', '-peer_label', 'app', '-json');
    expect(r.out, r.err).not.toBe('');
    return { code: r.code, report: JSON.parse(r.out) as HandshakeReport };
  };
  beforeAll(async () => {
    await makeOldStore();
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'app.key', '-out', 'app.csr', '-subj', '/CN=app/O=KeyDesk Tests');
    openssl('x509', '-req', '-in', 'app.csr', '-CA', 'md2root-sha256.pem', '-CAkey', 'md2root.key', '-set_serial', '31', '-days', '300', '-sha256', '-out', 'app.pem', '-extfile', 'leaf.ext');
    pemFile('app-md2', resignWithMd2(derOf('app'), keyOf('md2root')));
    openssl('x509', '-req', '-in', 'app.csr', '-CA', 'md2root-sha256.pem', '-CAkey', 'md2root.key', '-set_serial', '32', '-days', '300', '-md5', '-out', 'app-md5.pem', '-extfile', 'leaf.ext');
    for (const [store, cert] of [['app.p12', 'app.pem'], ['app-md2.p12', 'app-md2.pem'], ['app-md5.p12', 'app-md5.pem']] as const) {
      await ok('-keydb', '-create', '-db', at(store), '-pw', 'app-pw', '-type', 'pkcs12');
      await ok('-cert', '-add', '-db', at(store), '-pw', 'app-pw', '-label', 'md2 root', '-file', at('md2root.pem'));
      await ok('-cert', '-import', '-file', at(cert), '-keyfile', at('app.key'), '-label', 'app', '-target', at(store), '-target_pw', 'app-pw');
    }
  });

  it('both sides chain to the MD2 root they trust: no problem foreseen, and the real handshake succeeds', async () => {
    const { code, report } = await lab('app.p12');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it.each([
    ['MD2', 'app-md2.p12'],
    ['MD5', 'app-md5.p12'],
  ])('a client certificate %s-signed by that root: the lab names the signature, not a missing issuer, and the handshake fails (no internal error)', async (digest, store) => {
    const { code, report } = await lab(store);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining('O=KeyDesk Tests,CN=app on the chain of the client\'s certificate "app"')]);
    expect(report.problems[0]!.message).toContain(`is signed with ${digest}withRSA`);
    // OpenSSL would not even load it to present it.
    expect(report.tls?.client).toMatch(/could not present its certificate: ca md too weak/);
  });
});

describe.skipIf(!haveKdbFixtures || !hasTool('openssl'))('MD2 roots and the real GSKit databases (../shared/fixtures/kdb)', () => {
  const fixtures = haveKdbFixtures ? ['gsk-v3-empty', 'gsk-v4-signer', 'gsk-v6-chained', 'gsk-v6-empty', 'gsk-v6-mixed'] : [];

  it('every MD2-signed signer in the fixtures is read as a root (none of the five holds one: then this says so)', async () => {
    const md2: string[] = [];
    for (const name of fixtures) {
      const db = at(`${name}.kdb`);
      copyWritable(join(kdbFixturesDir, `${name}.kdb`), db);
      copyWritable(join(kdbFixturesDir, `${name}.sth`), at(`${name}.sth`));
      const list = JSON.parse(await ok('-cert', '-list', 'all', '-db', db, '-stashed', '-json')) as { entries: { label: string; kind: string; signatureAlgorithm?: string; selfSigned?: boolean; subject?: string; issuer?: string }[] };
      for (const e of list.entries.filter((e) => e.signatureAlgorithm === 'MD2withRSA' && e.subject === e.issuer)) {
        md2.push(`${name}: ${e.label}`);
        expect(e.selfSigned, `${name}: ${e.label}`).toBe(true);
      }
    }
    if (md2.length === 0) console.info('No MD2-signed root in ../shared/fixtures/kdb: the real-database check below adds VeriSign\'s to a copy of one.');
  });

  it('VeriSign\'s MD2 root added to a copy of a real GSKit database: a root there too, the Doctor says INFO, and GSKit\'s own chain stays complete', async () => {
    const db = at('chained-copy.kdb');
    copyWritable(join(kdbFixturesDir, 'gsk-v6-chained.kdb'), db);
    copyWritable(join(kdbFixturesDir, 'gsk-v6-chained.sth'), at('chained-copy.sth'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'verisign class 3 public primary certification authority', '-file', verisignFile);
    const details = JSON.parse(await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'verisign class 3 public primary certification authority', '-json'));
    expect(details).toMatchObject({ selfSigned: true, selfSignatureNotCheckable: 'MD2', chainComplete: true });
    const findings = await doctor(db);
    expect(findings.filter((f) => f.code === 'MISSING_ISSUER')).toEqual([]);
    expect(findings.filter((f) => f.code === 'WEAK_SIGNATURE')).toMatchObject([{ severity: 'info', label: 'verisign class 3 public primary certification authority' }]);
    expect(await ok('-cert', '-details', '-db', db, '-stashed', '-label', 'server-cert', '-chain')).toContain('Chain Complete : Yes');
  });
});

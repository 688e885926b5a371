/**
 * The MQ doctor (-keydb -check) on stores with one planted problem each, made by openssl,
 * keytool and KeyDesk itself; every finding code must show up where it was planted, on
 * the entry it is about, and a clean store must give none. Where a finding has a fix, the
 * fix is applied with the command it names and the finding must go away.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import type { Finding, FindingCode } from '../core/checks/findings';
import { cli, ok } from './testing/run-cli';

/** Every code any check below reported, for the completeness test at the end. */
const seen = new Set<string>();

/** The doctor's JSON answer and exit code. */
async function check(...argv: string[]): Promise<{ code: number; findings: Finding[]; mqLabel?: string; mqNameFromPath?: string }> {
  const r = await cli('-keydb', '-check', ...argv, '-json');
  expect(r.out, r.err).not.toBe('');
  const report = JSON.parse(r.out) as { findings: Finding[] };
  for (const f of report.findings) seen.add(f.code);
  return { code: r.code, ...report };
}

const find = (findings: Finding[], code: string, label?: string) => findings.filter((f) => f.code === code && (label === undefined || f.label === label));
const codes = (findings: Finding[]) => [...new Set(findings.map((f) => f.code))].sort();

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const openssl = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir }).toString();
const keytool = (...args: string[]) => runTool('keytool', args, { cwd: temp.dir }).toString();
const subjectOf = (pem: string) => openssl('x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253').trim().replace(/^subject=/, '');

/** An openssl CA (RSA 2048, SHA-256) to sign planted certificates with. */
let caReady = false;
function opensslCa(): void {
  if (caReady) return;
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Planting CA/O=KeyDesk Tests', '-days', '60', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign');
  caReady = true;
}

/** A leaf signed by the openssl CA: `name.pem` and `name.key`. */
function signedLeaf(name: string, options: { digest?: string; serial?: string; key?: string[]; ext?: string } = {}): void {
  opensslCa();
  openssl('req', '-newkey', ...(options.key ?? ['rsa:2048']), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}/O=KeyDesk Tests`);
  const extra = options.ext ? ['-extfile', writeExt(name, options.ext)] : [];
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-days', '40', `-${options.digest ?? 'sha256'}`, ...(options.serial ? ['-set_serial', options.serial] : ['-CAcreateserial']), '-out', `${name}.pem`, ...extra);
}

function writeExt(name: string, text: string): string {
  const file = at(`${name}.ext`);
  writeFileSync(file, text);
  return file;
}

/** A new CMS store with a stash, as MQ keeps one. */
async function cmsStore(name: string): Promise<string> {
  const db = at(`${name}.kdb`);
  await ok('-keydb', '-create', '-db', db, '-pw', `${name}-pw`, '-type', 'cms', '-stash');
  return db;
}

const RSA = ['-size', '2048', '-sig_alg', 'SHA256WithRSA'];
const EC = ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'];

describe('a clean store', () => {
  it('self-signed, labelled for its queue manager, stashed: no findings at all and exit 0', async () => {
    const db = await cmsStore('clean');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=KeyDesk Tests', ...RSA);
    const report = await check('-db', db, '-stashed', '-mqname', 'QM1', '-cipherspec', 'ANY_TLS12_OR_HIGHER');
    expect(report).toMatchObject({ code: 0, findings: [], mqLabel: 'ibmwebspheremqqm1' });
    expect(await ok('-keydb', '-check', '-db', db, '-stashed', '-mqname', 'QM1')).toBe(`No problems found in ${db} (MQ certificate label "ibmwebspheremqqm1").`);
  });

  it('CA-signed with KeyDesk as the CA, chain complete: no findings, with an RSA CipherSpec', async () => {
    const ca = at('clean-ca.p12');
    await ok('-keydb', '-create', '-db', ca, '-pw', 'ca-pw', '-type', 'pkcs12');
    await ok('-cert', '-create', '-db', ca, '-pw', 'ca-pw', '-label', 'clean ca', '-dn', 'CN=Clean CA,O=KeyDesk Tests', ...RSA, '-ca', 'true', '-expire', '3650');
    await ok('-cert', '-extract', '-db', ca, '-pw', 'ca-pw', '-label', 'clean ca', '-target', at('clean-ca.pem'));
    const db = await cmsStore('clean-signed');
    await ok('-certreq', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm2', '-dn', 'CN=QM2,O=KeyDesk Tests', ...RSA, '-file', at('qm2.csr'));
    await ok('-cert', '-sign', '-db', ca, '-pw', 'ca-pw', '-label', 'clean ca', '-file', at('qm2.csr'), '-target', at('qm2.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'clean ca', '-file', at('clean-ca.pem'));
    await ok('-cert', '-receive', '-db', db, '-stashed', '-file', at('qm2.pem'));
    expect(await check('-db', db, '-stashed', '-mqname', 'QM2', '-cipherspec', 'ECDHE_RSA_AES_256_GCM_SHA384')).toMatchObject({ code: 0, findings: [] });
  });
});

describe('MQ labels', () => {
  it('MQ_LABEL_CASE: the label in capitals; renaming it as the fix says clears it', async () => {
    const db = await cmsStore('label-case');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'IBMWebSphereMQQM1', '-dn', 'CN=QM1', ...RSA);
    const report = await check('-db', db, '-stashed', '-mqname', 'QM1');
    expect(report.code).toBe(1);
    const [finding] = find(report.findings, 'MQ_LABEL_CASE', 'IBMWebSphereMQQM1');
    expect(finding).toMatchObject({ severity: 'error', fix: { action: 'rename', label: 'IBMWebSphereMQQM1', newLabel: 'ibmwebspheremqqm1' } });
    // Without the queue manager's name the capitals are still caught, by the convention.
    expect(find((await check('-db', db, '-stashed')).findings, 'MQ_LABEL_CASE')).toHaveLength(1);
    // The text form: one finding per line, tab-separated, the fix as a command.
    const text = await cli('-keydb', '-check', '-db', db, '-stashed', '-mqname', 'QM1');
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/1 error, 0 warnings/);
    const [line] = text.out.split('\n');
    expect(line!.split('\t').slice(0, 3)).toEqual(['ERROR', 'MQ_LABEL_CASE', 'IBMWebSphereMQQM1']);
    expect(line).toContain('Fix: keydesk -cert -rename');
    await ok('-cert', '-rename', '-db', db, '-stashed', '-label', 'IBMWebSphereMQQM1', '-new_label', 'ibmwebspheremqqm1');
    expect(await check('-db', db, '-stashed', '-mqname', 'QM1')).toMatchObject({ code: 0, findings: [] });
  });

  it('MQ_LABEL_MISSING: another name, a CERTLABL, a pending request; the queue manager read from the path', async () => {
    const db = await cmsStore('label-missing');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'qmcert', '-dn', 'CN=QM3', ...RSA);
    const missing = await check('-db', db, '-stashed', '-mqname', 'QM3');
    expect(find(missing.findings, 'MQ_LABEL_MISSING', 'ibmwebspheremqqm3')[0]).toMatchObject({ severity: 'error', fix: { action: 'rename', label: 'qmcert', newLabel: 'ibmwebspheremqqm3' } });
    // CERTLABL wins over the default label, and is matched exactly.
    expect(await check('-db', db, '-stashed', '-mqname', 'QM3', '-certlabel', 'qmcert')).toMatchObject({ code: 0, findings: [] });
    expect(find((await check('-db', db, '-stashed', '-certlabel', 'QMCert')).findings, 'MQ_LABEL_CASE', 'qmcert')).toHaveLength(1);
    await ok('-certreq', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm4', '-dn', 'CN=QM4', ...RSA, '-file', at('qm4.csr'));
    expect(find((await check('-db', db, '-stashed', '-mqname', 'QM4')).findings, 'MQ_LABEL_MISSING', 'ibmwebspheremqqm4')[0]!.message).toMatch(/pending request/);

    // A store where MQ keeps it: the queue manager's name comes from the path.
    const ssl = at('var/mqm/qmgrs/QM9/ssl');
    mkdirSync(ssl, { recursive: true });
    for (const ext of ['kdb', 'rdb', 'crl', 'sth']) copyFileSync(at(`label-missing.${ext}`), join(ssl, `key.${ext}`));
    const fromPath = await check('-db', join(ssl, 'key.kdb'), '-stashed');
    expect(fromPath).toMatchObject({ mqNameFromPath: 'QM9', mqLabel: 'ibmwebspheremqqm9' });
    expect(find(fromPath.findings, 'MQ_LABEL_MISSING', 'ibmwebspheremqqm9')).toHaveLength(1);
  });
});

describe('stash files', () => {
  it('STASH_MISSING and STASH_MISMATCH; -keydb -stashpw clears them', async () => {
    const db = at('nostash.kdb');
    await ok('-keydb', '-create', '-db', db, '-pw', 'right-pw', '-type', 'cms');
    const missing = await check('-db', db, '-pw', 'right-pw');
    expect(find(missing.findings, 'STASH_MISSING')[0]).toMatchObject({ severity: 'error', fix: { action: 'stash' } });
    expect(missing.code).toBe(1);
    // A stash for another password, as after a password change by hand.
    await ok('-keydb', '-create', '-db', at('other.kdb'), '-pw', 'other-pw', '-type', 'cms', '-stash');
    copyFileSync(at('other.sth'), at('nostash.sth'));
    expect(find((await check('-db', db, '-pw', 'right-pw')).findings, 'STASH_MISMATCH')[0]).toMatchObject({ severity: 'error', fix: { action: 'stash' } });
    // A truncated stash is as unusable.
    writeFileSync(at('nostash.sth'), Buffer.alloc(100, 1));
    expect(find((await check('-db', db, '-pw', 'right-pw')).findings, 'STASH_MISMATCH')[0]!.message).toMatch(/100 bytes/);
    await ok('-keydb', '-stashpw', '-db', db, '-pw', 'right-pw');
    expect(codes((await check('-db', db, '-stashed')).findings)).toEqual([]);
  });

  it('BACKUP_COPIES: a .bak beside the store (it may hold deleted keys or an old password)', async () => {
    const db = at('backup.kdb');
    await ok('-keydb', '-create', '-db', db, '-pw', 'right-pw', '-type', 'cms', '-stash');
    expect(codes((await check('-db', db, '-stashed')).findings)).toEqual([]);
    await ok('-keydb', '-changepw', '-db', db, '-stashed', '-new_pw', 'newer-pw', '-backup');
    const report = await check('-db', db, '-stashed');
    expect(find(report.findings, 'BACKUP_COPIES')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/backup\.kdb\.bak, .*backup\.sth\.bak are copies .*open with a password changed since/) });
    expect(report.code).toBe(0);
  });

  it('no stash finding for a PKCS#12 store', async () => {
    const db = at('nostash.p12');
    await ok('-keydb', '-create', '-db', db, '-pw', 'p12-pw', '-type', 'pkcs12');
    expect((await check('-db', db, '-pw', 'p12-pw')).findings).toEqual([]);
  });
});

describe('CipherSpecs', () => {
  it('CIPHERSPEC_KEY_MISMATCH both ways, CIPHERSPEC_UNKNOWN, CIPHERSPEC_DEPRECATED', async () => {
    const ec = await cmsStore('ec');
    await ok('-cert', '-create', '-db', ec, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...EC);
    const rsaSpec = await check('-db', ec, '-stashed', '-mqname', 'QM1', '-cipherspec', 'TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(find(rsaSpec.findings, 'CIPHERSPEC_KEY_MISMATCH', 'ibmwebspheremqqm1')[0]).toMatchObject({ severity: 'error' });
    expect(find(rsaSpec.findings, 'CIPHERSPEC_KEY_MISMATCH')[0]!.message).toMatch(/needs an RSA certificate, but "ibmwebspheremqqm1" has an EC key/);
    expect((await check('-db', ec, '-stashed', '-mqname', 'QM1', '-cipherspec', 'ECDHE_ECDSA_AES_256_GCM_SHA384')).findings).toEqual([]);
    expect((await check('-db', ec, '-stashed', '-mqname', 'QM1', '-cipherspec', 'TLS_AES_256_GCM_SHA384')).findings).toEqual([]);

    const rsa = await cmsStore('rsa');
    await ok('-cert', '-create', '-db', rsa, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...RSA);
    expect(codes((await check('-db', rsa, '-stashed', '-cipherspec', 'ECDHE_ECDSA_AES_128_CBC_SHA256')).findings)).toEqual(['CIPHERSPEC_KEY_MISMATCH']);
    expect(find((await check('-db', rsa, '-stashed', '-cipherspec', 'TLS_MADE_UP_SPEC')).findings, 'CIPHERSPEC_UNKNOWN')).toHaveLength(1);
    for (const old of ['TRIPLE_DES_SHA_US', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'ECDHE_RSA_NULL_SHA256']) {
      const r = await check('-db', rsa, '-stashed', '-cipherspec', old);
      expect(find(r.findings, 'CIPHERSPEC_DEPRECATED')[0], old).toMatchObject({ severity: 'error' });
      expect(r.code).toBe(1);
    }
  });
});

describe('dates', () => {
  it.skipIf(!hasTool('keytool'))(`EXPIRED and NOT_YET_VALID in a keytool PKCS#12 (-startdate)${missingNote('keytool')}`, async () => {
    const db = at('dates.p12');
    keytool('-genkeypair', '-alias', 'old', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=old', '-startdate', '-400d', '-validity', '30', '-keystore', db, '-storetype', 'pkcs12', '-storepass', 'dates-pw');
    keytool('-genkeypair', '-alias', 'future', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=future', '-startdate', '+30d', '-validity', '365', '-keystore', db, '-storetype', 'pkcs12', '-storepass', 'dates-pw');
    const report = await check('-db', db, '-pw', 'dates-pw');
    expect(find(report.findings, 'EXPIRED', 'old')[0]).toMatchObject({ severity: 'error' });
    expect(find(report.findings, 'NOT_YET_VALID', 'future')[0]).toMatchObject({ severity: 'error' });
    expect(find(report.findings, 'EXPIRED', 'future')).toEqual([]);
    expect(report.code).toBe(1);
  });

  it('EXPIRING_SOON within -days N (KeyDesk -expire 10), not with a shorter threshold', async () => {
    const db = await cmsStore('soon');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...RSA, '-expire', '10');
    const report = await check('-db', db, '-stashed');
    expect(find(report.findings, 'EXPIRING_SOON', 'ibmwebspheremqqm1')[0]).toMatchObject({ severity: 'warning' });
    expect(report.code).toBe(0); // a warning is not an error
    expect(find((await check('-db', db, '-stashed', '-days', '5')).findings, 'EXPIRING_SOON')).toEqual([]);
  });
});

describe.skipIf(!hasTool('openssl'))(`strength, duplicates, chains and usage (openssl-made certificates)${missingNote('openssl')}`, () => {
  it('WEAK_SIGNATURE (MD5 error, SHA-1 warning) and WEAK_KEY (RSA 1024 personal, EC P-224 signer)', async () => {
    signedLeaf('md5leaf', { digest: 'md5' });
    signedLeaf('sha1leaf', { digest: 'sha1' });
    openssl('req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', 'small.key', '-out', 'small.pem', '-subj', '/CN=small', '-days', '40');
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-224', '-nodes', '-keyout', 'p224.key', '-out', 'p224.pem', '-subj', '/CN=p224', '-days', '40');
    expect(openssl('x509', '-in', 'md5leaf.pem', '-noout', '-text')).toContain('md5WithRSAEncryption');
    const db = await cmsStore('weak');
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'planting ca', '-file', at('ca.pem'));
    for (const name of ['md5leaf', 'sha1leaf', 'small']) {
      await ok('-cert', '-import', '-file', at(`${name}.pem`), '-keyfile', at(`${name}.key`), '-label', name, '-target', db, '-target_stashed');
    }
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'p224', '-file', at('p224.pem'));
    const report = await check('-db', db, '-stashed');
    expect(find(report.findings, 'WEAK_SIGNATURE', 'md5leaf')[0]).toMatchObject({ severity: 'error' });
    expect(find(report.findings, 'WEAK_SIGNATURE', 'sha1leaf')[0]).toMatchObject({ severity: 'warning' });
    expect(find(report.findings, 'WEAK_KEY', 'small')[0]).toMatchObject({ severity: 'error' });
    expect(find(report.findings, 'WEAK_KEY', 'p224')[0]).toMatchObject({ severity: 'warning' });
    expect(find(report.findings, 'WEAK_KEY', 'p224')[0]!.message).toContain('P-224');
    // The SHA-256 CA and its leaves are not flagged for strength.
    expect(find(report.findings, 'WEAK_SIGNATURE', 'planting ca')).toEqual([]);
  });

  it('DUPLICATE_ISSUER_SERIAL: two certificates with one issuer and serial (-set_serial); deleting as the fix says clears it', async () => {
    signedLeaf('dup1', { serial: '4242' });
    signedLeaf('dup2', { serial: '4242' });
    expect(openssl('x509', '-in', 'dup1.pem', '-noout', '-serial')).toBe(openssl('x509', '-in', 'dup2.pem', '-noout', '-serial'));
    const db = await cmsStore('dup');
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'planting ca', '-file', at('ca.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'dup1', '-file', at('dup1.pem'));
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'dup2', '-file', at('dup2.pem'));
    const [finding] = find((await check('-db', db, '-stashed')).findings, 'DUPLICATE_ISSUER_SERIAL');
    expect(finding).toMatchObject({ severity: 'error' });
    expect(finding!.message).toContain(subjectOf('ca.pem'));
    expect(finding!.fix).toMatchObject({ action: 'delete' });
    const labels = (finding!.fix as { labels: string[] }).labels;
    expect(labels).toHaveLength(1);
    expect(['dup1', 'dup2']).toContain(labels[0]);
    await ok('-cert', '-delete', '-db', db, '-stashed', '-label', labels[0]!);
    expect(find((await check('-db', db, '-stashed')).findings, 'DUPLICATE_ISSUER_SERIAL')).toEqual([]);
  });

  it('MISSING_ISSUER: an openssl PKCS#12 without its CA names the issuer; adding it clears the finding', async () => {
    signedLeaf('orphan');
    openssl('pkcs12', '-export', '-in', 'orphan.pem', '-inkey', 'orphan.key', '-name', 'orphan', '-out', 'orphan.p12', '-passout', 'pass:orphan-pw');
    const report = await check('-db', at('orphan.p12'), '-pw', 'orphan-pw');
    const [finding] = find(report.findings, 'MISSING_ISSUER', 'orphan');
    expect(finding).toMatchObject({ severity: 'error', fix: { action: 'add-issuer', label: 'orphan', issuerDn: subjectOf('ca.pem') } });
    expect(report.code).toBe(1);
    await ok('-cert', '-add', '-db', at('orphan.p12'), '-pw', 'orphan-pw', '-label', 'planting ca', '-file', at('ca.pem'));
    expect((await check('-db', at('orphan.p12'), '-pw', 'orphan-pw')).findings).toEqual([]);
  });

  it('KEY_USAGE: keyCertSign without digitalSignature, codeSigning only; serverAuth only warns for a queue manager', async () => {
    signedLeaf('badusage', { ext: 'keyUsage=critical,keyCertSign\nextendedKeyUsage=codeSigning\n' });
    signedLeaf('ibmwebspheremqqm5', { ext: 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' });
    const db = await cmsStore('usage');
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'planting ca', '-file', at('ca.pem'));
    await ok('-cert', '-import', '-file', at('badusage.pem'), '-keyfile', at('badusage.key'), '-label', 'badusage', '-target', db, '-target_stashed');
    await ok('-cert', '-import', '-file', at('ibmwebspheremqqm5.pem'), '-keyfile', at('ibmwebspheremqqm5.key'), '-label', 'ibmwebspheremqqm5', '-target', db, '-target_stashed');
    const report = await check('-db', db, '-stashed', '-mqname', 'QM5');
    const bad = find(report.findings, 'KEY_USAGE', 'badusage');
    expect(bad.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(bad.map((f) => f.message).join(' ')).toMatch(/without digitalSignature.*codeSigning|codeSigning.*without digitalSignature/s);
    const serverOnly = find(report.findings, 'KEY_USAGE', 'ibmwebspheremqqm5');
    expect(serverOnly).toHaveLength(1);
    expect(serverOnly[0]).toMatchObject({ severity: 'warning' });
    expect(serverOnly[0]!.message).toMatch(/sender channels/);
  });
});

describe.skipIf(!hasTool('keytool'))(`UNTRUSTED_ROOT in a keytool JKS${missingNote('keytool')}`, () => {
  it('the key entry carries its root, but the root is no trusted entry', async () => {
    const ca = at('kt-ca.jks');
    const qm = at('kt-qm.jks');
    const pass = ['-storepass', 'kt-pass', '-keypass', 'kt-pass'];
    keytool('-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=Keytool CA,O=KeyDesk Tests', '-ext', 'bc:c', '-validity', '60', '-keystore', ca, '-storetype', 'jks', ...pass);
    keytool('-exportcert', '-rfc', '-alias', 'ca', '-file', at('kt-ca.pem'), '-keystore', ca, '-storepass', 'kt-pass');
    keytool('-genkeypair', '-alias', 'ibmwebspheremqqm6', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=QM6,O=KeyDesk Tests', '-validity', '60', '-keystore', qm, '-storetype', 'jks', ...pass);
    keytool('-certreq', '-alias', 'ibmwebspheremqqm6', '-file', at('kt-qm.csr'), '-keystore', qm, '-storepass', 'kt-pass');
    keytool('-gencert', '-alias', 'ca', '-infile', at('kt-qm.csr'), '-outfile', at('kt-qm.pem'), '-rfc', '-validity', '50', '-keystore', ca, '-storepass', 'kt-pass');
    keytool('-importcert', '-noprompt', '-alias', 'root', '-file', at('kt-ca.pem'), '-keystore', qm, '-storepass', 'kt-pass');
    keytool('-importcert', '-alias', 'ibmwebspheremqqm6', '-file', at('kt-qm.pem'), '-keystore', qm, '-storepass', 'kt-pass');
    expect((await check('-db', qm, '-pw', 'kt-pass', '-mqname', 'QM6')).findings).toEqual([]);
    keytool('-delete', '-alias', 'root', '-keystore', qm, '-storepass', 'kt-pass');
    // keytool itself still shows the two-link chain inside the key entry.
    expect(keytool('-list', '-v', '-alias', 'ibmwebspheremqqm6', '-keystore', qm, '-storepass', 'kt-pass')).toContain('Certificate chain length: 2');
    const [finding] = find((await check('-db', qm, '-pw', 'kt-pass', '-mqname', 'QM6')).findings, 'UNTRUSTED_ROOT', 'ibmwebspheremqqm6');
    expect(finding).toMatchObject({ fix: { action: 'add-issuer', issuerDn: subjectOf('kt-ca.pem') } });
    // A Java client may keep its CAs in a separate trust store, so in JKS it only warns.
    expect(finding!.severity).toBe('warning');
  });
});

describe('public CAs', () => {
  it('PUBLIC_CA_TRUSTED after -cert -populate, offering to delete every one of them', async () => {
    const db = await cmsStore('public');
    await ok('-cert', '-create', '-db', db, '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...RSA);
    await ok('-cert', '-populate', '-db', db, '-stashed');
    const listed = JSON.parse(await ok('-cert', '-list', 'ca', '-db', db, '-stashed', '-json')).entries.map((e: { label: string }) => e.label);
    const report = await check('-db', db, '-stashed', '-mqname', 'QM1');
    const [finding] = find(report.findings, 'PUBLIC_CA_TRUSTED');
    expect(finding).toMatchObject({ severity: 'warning', fix: { action: 'delete' } });
    expect([...(finding!.fix as { labels: string[] }).labels].sort()).toEqual([...listed].sort());
    expect(report.code).toBe(0);
  });
});

describe.skipIf(!hasTool('openssl'))(`signer trust${missingNote('openssl')}`, () => {
  it('SIGNER_NOT_TRUSTED for a signer whose trust was disabled: a warning when the store\'s own chain ends there, with the enable-trust fix', async () => {
    signedLeaf('trustqm');
    const db = await cmsStore('trust');
    await ok('-cert', '-add', '-db', db, '-stashed', '-label', 'planting ca', '-file', at('ca.pem'));
    await ok('-cert', '-import', '-file', at('trustqm.pem'), '-keyfile', at('trustqm.key'), '-label', 'ibmwebspheremqqm7', '-target', db, '-target_stashed');
    expect(find((await check('-db', db, '-stashed', '-mqname', 'QM7')).findings, 'SIGNER_NOT_TRUSTED')).toEqual([]);
    await ok('-cert', '-modify', '-db', db, '-stashed', '-label', 'planting ca', '-trust', 'disable');
    const [finding] = find((await check('-db', db, '-stashed', '-mqname', 'QM7')).findings, 'SIGNER_NOT_TRUSTED', 'planting ca');
    expect(finding).toMatchObject({ severity: 'warning', fix: { action: 'enable-trust', label: 'planting ca' } });
    expect(finding!.message).toContain(subjectOf('ca.pem'));
  });
});

describe('every finding code', () => {
  it('was planted and seen above (the list is checked against FindingCode at compile time)', () => {
    const every: Record<FindingCode, 'openssl' | 'keytool' | 'keydesk'> = {
      EXPIRED: 'keytool',
      NOT_YET_VALID: 'keytool',
      EXPIRING_SOON: 'keydesk',
      WEAK_SIGNATURE: 'openssl',
      WEAK_KEY: 'openssl',
      DUPLICATE_ISSUER_SERIAL: 'openssl',
      MISSING_ISSUER: 'openssl',
      UNTRUSTED_ROOT: 'keytool',
      SIGNER_NOT_TRUSTED: 'openssl',
      MQ_LABEL_MISSING: 'keydesk',
      MQ_LABEL_CASE: 'keydesk',
      PUBLIC_CA_TRUSTED: 'keydesk',
      STASH_MISSING: 'keydesk',
      STASH_MISMATCH: 'keydesk',
      CIPHERSPEC_KEY_MISMATCH: 'keydesk',
      CIPHERSPEC_UNKNOWN: 'keydesk',
      CIPHERSPEC_DEPRECATED: 'keydesk',
      KEY_USAGE: 'openssl',
      BACKUP_COPIES: 'keydesk',
    };
    const expected = Object.entries(every)
      .filter(([, tool]) => tool === 'keydesk' || hasTool(tool))
      .map(([code]) => code)
      .sort();
    expect([...seen].sort()).toEqual(expected);
  });
});

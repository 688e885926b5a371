/**
 * Never lose or leak a key (issue 13): an output file can never be the store or part of
 * it; a second writer cannot drop a pending request; no copy of a deleted key or of an
 * old password is left unless -backup asks for one; read-only stores, pipes and devices
 * are refused; a change keeps the store's mode and owner. Each refusal is one line, exit
 * 1, and the folder is compared byte for byte before and after.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from '../core/api/service';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { loadStore } from '../core/api/store-files';
import { readCertificates } from '../core/formats/certificate-file';
import { buildV3Files, type V3Record } from '../core/testing/cms-v3-builder';
import { javaGetKey } from '../core/testing/java-get-key';
import { cli, ok, okNotes, type CliRun } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const ec = ['-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'];

/** Every file under the folder: mode, owner and a hash of its bytes. */
function folderState(dir = temp.dir): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    state[name] = stat.isFile() ? `${stat.mode.toString(8)} ${stat.uid}:${stat.gid} ${createHash('sha256').update(readFileSync(path)).digest('hex')}` : stat.isDirectory() ? 'folder' : 'special';
  }
  return state;
}

/** A command refused in one line, exit 1, with the folder exactly as it was. */
async function refused(message: RegExp, ...argv: string[]): Promise<CliRun> {
  const before = folderState();
  const run = await cli(...argv);
  expect(run.err.split('\n'), run.err).toHaveLength(1);
  expect(run.err).toMatch(message);
  expect(run.err).not.toMatch(/internal error|\n\s+at /);
  expect(run.code, run.err).toBe(1);
  expect(folderState(), 'the folder changed').toEqual(before);
  return run;
}

const labelsOf = async (db: string) => JSON.parse(await ok('-cert', '-list', '-db', db, '-stashed', '-json')).entries.map((e: { label: string }) => e.label).sort();
const requestsOf = async (db: string) => JSON.parse(await ok('-certreq', '-list', '-db', db, '-stashed', '-json')).entries.map((e: { label: string }) => e.label).sort();

beforeAll(async () => {
  await ok('-keydb', '-create', '-db', at('key.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
  await ok('-cert', '-create', '-db', at('key.kdb'), '-stashed', '-label', 'qm1', '-dn', 'CN=QM1,O=Safety', ...ec);
  await ok('-cert', '-extract', '-db', at('key.kdb'), '-stashed', '-label', 'qm1', '-target', at('qm1.arm'));
  await ok('-keydb', '-create', '-db', at('other.p12'), '-pw', 'Passw0rd!', '-type', 'pkcs12', '-stash');
  await ok('-cert', '-create', '-db', at('other.p12'), '-stashed', '-label', 'partner', '-dn', 'CN=Partner', ...ec);
  await ok('-cert', '-extract', '-db', at('other.p12'), '-stashed', '-label', 'partner', '-target', at('partner.arm'));
  await ok('-certreq', '-create', '-db', at('key.kdb'), '-stashed', '-label', 'csr', '-dn', 'CN=CSR', '-file', at('csr.arm'), ...ec);
  await ok('-keydb', '-create', '-db', at('ca.p12'), '-pw', 'Passw0rd!', '-type', 'pkcs12', '-stash');
  await ok('-cert', '-create', '-db', at('ca.p12'), '-stashed', '-label', 'ca', '-dn', 'CN=CA', '-ca', 'true', ...ec);
});

describe('an output file is never the store, part of it, or another key store (item 1)', () => {
  const db = ['-db', at('key.kdb'), '-stashed'];

  it('-cert -extract -target key.kdb is refused, and key.kdb stays the key database', async () => {
    // The reported case: it exited 0 and replaced the database with a PEM certificate.
    await refused(/key\.kdb is the key store itself; nothing was written\. Choose another file for the certificate\./, '-cert', '-extract', '-label', 'qm1', '-target', at('key.kdb'), ...db);
    expect(await labelsOf(at('key.kdb'))).toEqual(['qm1']);
    expect(existsSync(at('key.kdb.bak'))).toBe(false);
  });

  it('refuses every file of the store, under any spelling of its path', async () => {
    for (const target of [at('key.sth'), at('key.rdb'), at('key.crl'), `${temp.dir}/./sub/../key.kdb`, at('key.kdb.bak')]) {
      mkdirSync(at('sub'), { recursive: true });
      await refused(/nothing was written/, '-cert', '-extract', '-label', 'qm1', '-target', target, ...db);
    }
    symlinkSync(at('key.kdb'), at('link-to-store.arm'));
    await refused(/link-to-store\.arm is another name \(a link\) for .*key\.kdb/, '-cert', '-extract', '-label', 'qm1', '-target', at('link-to-store.arm'), ...db);
    linkSync(at('key.sth'), at('hardlink.arm'));
    await refused(/another name \(a link\) for .*key\.sth/, '-cert', '-extract', '-label', 'qm1', '-target', at('hardlink.arm'), ...db);
  });

  it('refuses a name that would become part of the store (other.rdb beside a PKCS#12 that has none)', async () => {
    expect(existsSync(at('other.rdb'))).toBe(false);
    await refused(/other\.rdb is part of the key store .*other\.p12/, '-cert', '-extract', '-label', 'partner', '-target', at('other.rdb'), '-db', at('other.p12'), '-stashed');
  });

  it('refuses another existing key store or stash, whatever its name', async () => {
    await refused(/other\.p12 is an existing key store \(PKCS12\)/, '-cert', '-extract', '-label', 'qm1', '-target', at('other.p12'), ...db);
    writeFileSync(at('renamed-stash.arm'), readFileSync(at('other.sth')));
    await refused(/renamed-stash\.arm is a stash file/, '-cert', '-extract', '-label', 'qm1', '-target', at('renamed-stash.arm'), ...db);
  });

  it('-certreq -create -file key.kdb (or another store) is refused before the request is made', async () => {
    const before = await requestsOf(at('key.kdb'));
    await refused(/key\.kdb is the key store itself/, '-certreq', '-create', '-label', 'r2', '-dn', 'CN=R2', '-file', at('key.kdb'), ...ec, ...db);
    await refused(/other\.p12 is an existing key store/, '-certreq', '-create', '-label', 'r2', '-dn', 'CN=R2', '-file', at('other.p12'), ...ec, ...db);
    expect(await requestsOf(at('key.kdb'))).toEqual(before);
  });

  it('-certreq -extract, -cert -sign, -cert -export and -keydb -convert refuse the store too', async () => {
    await refused(/key\.rdb is part of the key store/, '-certreq', '-extract', '-label', 'csr', '-target', at('key.rdb'), ...db);
    await refused(/ca\.p12 is the key store itself/, '-cert', '-sign', '-label', 'ca', '-file', at('csr.arm'), '-target', at('ca.p12'), '-db', at('ca.p12'), '-stashed');
    await refused(/key\.kdb is the key store itself/, '-cert', '-export', '-label', 'qm1', '-target', at('key.kdb'), '-target_pw', 'Passw0rd!', '-target_type', 'cms', ...db);
    await refused(/key\.sth is part of the key store/, '-keydb', '-convert', '-new_db', at('key.sth'), '-new_pw', 'Passw0rd!', '-new_format', 'pkcs12', ...db);
  });

  it('-cert -export into another existing store still adds to it (runmqakm -target DB)', async () => {
    await ok('-cert', '-export', '-label', 'qm1', '-target', at('other.p12'), '-target_pw', 'Passw0rd!', ...db);
    expect(await labelsOf(at('other.p12'))).toEqual(['partner', 'qm1']);
    await ok('-cert', '-delete', '-label', 'qm1', '-db', at('other.p12'), '-stashed');
  });

  it('a pipe or a folder as the target is refused without hanging', async () => {
    spawnSync('mkfifo', [at('pipe.arm')]);
    await refused(/pipe\.arm is not a regular file/, '-cert', '-extract', '-label', 'qm1', '-target', at('pipe.arm'), ...db);
    await refused(/sub is a folder/, '-cert', '-extract', '-label', 'qm1', '-target', at('sub'), ...db);
  });

  it('reports and scans written from the UI refuse the store as their file', async () => {
    const api = new KeyDeskService();
    const view = await api.openStore({ path: at('key.kdb'), stashed: true });
    const before = folderState();
    for (const request of [
      () => api.storeReport({ store: { storeId: view.storeId }, format: 'csv', target: at('key.kdb') }),
      () => api.storeReport({ store: { storeId: view.storeId }, format: 'html', target: at('other.p12') }),
      () => api.scanFolder({ path: temp.dir, htmlTarget: at('key.sth') }),
    ]) {
      await expect(request()).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/nothing was written/) });
    }
    expect(folderState()).toEqual(before);
  });
});

describe('a second writer never drops a pending request (item 2)', () => {
  it('a store open in the UI is refused after a CLI request-only change, and the request survives', async () => {
    await ok('-keydb', '-create', '-db', at('two.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    const ui = new KeyDeskService();
    const view = await ui.openStore({ path: at('two.kdb'), stashed: true });
    const kdbBefore = readFileSync(at('two.kdb'));
    await ok('-certreq', '-create', '-db', at('two.kdb'), '-stashed', '-label', 'renewal', '-dn', 'CN=Renewal', '-file', at('renewal.arm'), ...ec);
    // The condition that fooled the old check: the request went into two.rdb alone.
    expect(readFileSync(at('two.kdb')).equals(kdbBefore)).toBe(true);
    const stale = ui.addCertificate({ store: { storeId: view.storeId }, label: 'partner', file: at('partner.arm') });
    await expect(stale).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/two\.rdb changed on disk since it was opened; nothing was written/) });
    expect(await requestsOf(at('two.kdb'))).toEqual(['renewal']);
    expect(await labelsOf(at('two.kdb'))).toEqual([]);
  });
});

describe('no copy of a deleted key or of an old password stays behind (item 5)', () => {
  it('-cert -delete and -keydb -changepw leave no .bak; -backup keeps one, 0600, and says what it holds', async () => {
    await ok('-keydb', '-create', '-db', at('bak.kdb'), '-pw', 'Old-pw1', '-type', 'cms', '-stash');
    chmodSync(at('bak.kdb'), 0o644);
    await ok('-cert', '-create', '-db', at('bak.kdb'), '-stashed', '-label', 'gone', '-dn', 'CN=Gone', ...ec);
    await ok('-cert', '-create', '-db', at('bak.kdb'), '-stashed', '-label', 'kept', '-dn', 'CN=Kept', ...ec);
    await ok('-cert', '-delete', '-db', at('bak.kdb'), '-stashed', '-label', 'kept');
    await ok('-keydb', '-changepw', '-db', at('bak.kdb'), '-stashed', '-new_pw', 'Mid-pw2');
    expect(readdirSync(temp.dir).filter((n) => n.startsWith('bak.') && n.endsWith('.bak'))).toEqual([]);

    const deleted = await okNotes('-cert', '-delete', '-db', at('bak.kdb'), '-stashed', '-label', 'gone', '-backup');
    expect(deleted).toMatch(/backup kept \(mode 0600\): .*bak\.kdb\.bak.* hold the store as it was before this change, with the private key of "gone", which the store no longer holds; delete them when no longer needed\./);
    expect(statSync(at('bak.kdb.bak')).mode & 0o777).toBe(0o600);
    expect(statSync(at('bak.kdb')).mode & 0o777).toBe(0o644);
    expect(await labelsOf(at('bak.kdb'))).toEqual([]);
    // What the note says is true: the copy still opens, and holds the deleted key.
    const copy = JSON.parse(await ok('-cert', '-list', '-db', at('bak.kdb.bak'), '-pw', 'Mid-pw2', '-json'));
    expect(copy.entries.map((e: { label: string; hasPrivateKey: boolean }) => [e.label, e.hasPrivateKey])).toEqual([['gone', true]]);

    const changed = await okNotes('-keydb', '-changepw', '-db', at('bak.kdb'), '-stashed', '-new_pw', 'New-pw3', '-backup');
    expect(changed).toMatch(/backup kept \(mode 0600\): .*bak\.sth\.bak.* under the old password/);
    expect((await cli('-cert', '-list', '-db', at('bak.kdb.bak'), '-pw', 'Mid-pw2')).code).toBe(0);
    expect((await cli('-cert', '-list', '-db', at('bak.kdb'), '-pw', 'New-pw3')).code).toBe(0);
  });
});

describe('mistakes refused cleanly, nothing written (item 9)', () => {
  it('a read-only store is refused, not replaced', async () => {
    await ok('-keydb', '-create', '-db', at('ro.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    chmodSync(at('ro.kdb'), 0o444);
    await refused(/ro\.kdb is read-only \(mode 0444\); nothing was written/, '-cert', '-add', '-label', 'partner', '-file', at('partner.arm'), '-db', at('ro.kdb'), '-stashed');
    chmodSync(at('ro.kdb'), 0o600);
  });

  it('a pipe, a device or a huge file as -db or -file is refused at once', async () => {
    spawnSync('mkfifo', [at('pipe.kdb')]);
    await refused(/pipe\.kdb is not a regular file/, '-cert', '-list', '-db', at('pipe.kdb'), '-pw', 'x');
    await refused(/\/dev\/zero is not a regular file/, '-cert', '-list', '-db', '/dev/zero', '-pw', 'x');
    await refused(/pipe\.arm is not a regular file/, '-cert', '-add', '-label', 'p', '-file', at('pipe.arm'), '-db', at('key.kdb'), '-stashed');
    writeFileSync(at('huge.p12'), '');
    truncateSync(at('huge.p12'), 300 * 1024 * 1024); // sparse: no disk used
    await refused(/huge\.p12 is 300 MB, larger than any key store KeyDesk reads/, '-cert', '-list', '-db', at('huge.p12'), '-pw', 'x');
  });

  it('a damaged stash given with -stashed names the command that recreates it', async () => {
    await ok('-keydb', '-create', '-db', at('badstash.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    writeFileSync(at('badstash.sth'), Buffer.alloc(193, 7));
    await refused(/badstash\.sth: the stash file is damaged: .*\(keydesk -keydb -stashpw -db .*badstash\.kdb -pw PASSWORD\)\.$/, '-cert', '-list', '-db', at('badstash.kdb'), '-stashed');
  });

  it('-keydb -create that fails (a password too long for a stash) leaves no file', async () => {
    await refused(/stash file holds at most 128 bytes of password/, '-keydb', '-create', '-db', at('long.kdb'), '-pw', 'x'.repeat(5000), '-type', 'cms', '-stash');
    expect(readdirSync(temp.dir).filter((n) => n.startsWith('long.'))).toEqual([]);
  });
});

describe('a change keeps the store\'s mode and owner (item 10)', () => {
  it('mode 0640 stays 0640 on every file that changes', async () => {
    await ok('-keydb', '-create', '-db', at('mode.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    for (const ext of ['kdb', 'rdb', 'crl', 'sth']) chmodSync(at(`mode.${ext}`), 0o640);
    await ok('-cert', '-add', '-label', 'partner', '-file', at('partner.arm'), '-db', at('mode.kdb'), '-stashed');
    await ok('-keydb', '-changepw', '-db', at('mode.kdb'), '-stashed', '-new_pw', 'Other-pw1');
    for (const ext of ['kdb', 'rdb', 'crl', 'sth']) expect(statSync(at(`mode.${ext}`)).mode & 0o777, ext).toBe(0o640);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)(`owner and group stay those of the file replaced${root ? '' : ' (skipped: only root may give a file to another user)'}`, async () => {
    await ok('-keydb', '-create', '-db', at('owner.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    for (const ext of ['kdb', 'rdb', 'crl', 'sth']) chownSync(at(`owner.${ext}`), 1234, 2345);
    await ok('-cert', '-add', '-label', 'partner', '-file', at('partner.arm'), '-db', at('owner.kdb'), '-stashed');
    await ok('-keydb', '-changepw', '-db', at('owner.kdb'), '-stashed', '-new_pw', 'Other-pw1');
    for (const ext of ['kdb', 'rdb', 'crl', 'sth']) expect([statSync(at(`owner.${ext}`)).uid, statSync(at(`owner.${ext}`)).gid], ext).toEqual([1234, 2345]);
  });
});

describe('a damaged version-3 database is reported and never saved unasked (item 7)', () => {
  it('the listing names the damaged record; a change is refused; -drop_damaged saves without it', async () => {
    const store = loadStore(at('key.kdb'), { stashed: true }).store;
    const qm1 = store.entries.find((e) => e.label === 'qm1');
    if (qm1?.kind !== 'personal') throw new Error('qm1 is missing');
    const partner = new Uint8Array(readFileSync(at('partner.arm')));
    const records: V3Record[] = [
      { kind: 'personal', label: 'qm1', certificate: qm1.chain[0]!, privateKey: qm1.privateKey },
      { kind: 'signer', label: 'partner', certificate: readCertificates(partner, 'partner.arm').certificates[0]! },
    ];
    const v3 = buildV3Files(records, 'Passw0rd!');
    // One byte of the signer's certificate changed, as a bad disk or copy would.
    const bytes = Buffer.from(v3.kdb.bytes);
    const slot = v3.kdb.slots[1]!;
    bytes[slot.start + 200] = bytes[slot.start + 200]! ^ 0x01;
    writeFileSync(at('old3.kdb'), bytes);
    writeFileSync(at('old3.rdb'), v3.rdb.bytes);
    const listed = await cli('-cert', '-list', '-db', at('old3.kdb'), '-pw', 'Passw0rd!');
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n').slice(2)).toEqual(['-\tqm1', '?\tpartner']);
    expect(listed.err).toMatch(/^keydesk: warning: .*record 2 .*partner/);
    await refused(/nothing was saved: this store was read from a version-3 database with 1 damaged record \(record 2 \("partner"\)/, '-cert', '-rename', '-label', 'qm1', '-new_label', 'qm2', '-db', at('old3.kdb'), '-pw', 'Passw0rd!');
    const saved = await okNotes('-cert', '-rename', '-label', 'qm1', '-new_label', 'qm2', '-db', at('old3.kdb'), '-pw', 'Passw0rd!', '-drop_damaged');
    expect(saved).toMatch(/left out 1 damaged record of the version-3 database/);
    expect(saved).toMatch(/saved as version 4/);
    expect(JSON.parse(await ok('-cert', '-list', '-db', at('old3.kdb'), '-pw', 'Passw0rd!', '-json')).entries.map((e: { label: string }) => e.label)).toEqual(['qm2']);
  });
});

describe('labels read from a file that hold line breaks or escapes (item 9)', () => {
  it.skipIf(!hasTool('openssl'))(`list on one line each, escaped${missingNote('openssl')}`, async () => {
    runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=odd', '-keyout', at('odd.key'), '-out', at('odd.pem')]);
    runTool('openssl', ['pkcs12', '-export', '-in', at('odd.pem'), '-inkey', at('odd.key'), '-name', 'odd\nname\u001b[2J', '-out', at('odd.p12'), '-passout', 'pass:Passw0rd!']);
    const listed = await ok('-cert', '-list', '-db', at('odd.p12'), '-pw', 'Passw0rd!');
    expect(listed.split('\n').slice(2)).toEqual(['-\todd\\nname\\x1B[2J']);
  });
});

describe('a change keeps an IBM-made PKCS#12\'s protection (item 10)', () => {
  it.skipIf(!hasTool('openssl'))(`RC2-40 certificates, 3DES key, SHA-1 MAC and 100,000 iterations stay so after -cert -add and -keydb -changepw${missingNote('openssl')}`, async () => {
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=ibm', '-keyout', at('ibm.key'), '-out', at('ibm.pem')]);
    const ibmStyle = ['-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-3DES', '-iter', '100000', '-macalg', 'sha1'];
    runTool('openssl', ['pkcs12', '-export', '-in', at('ibm.pem'), '-inkey', at('ibm.key'), '-name', 'ibmwebspheremqqm1', '-out', at('ibm.p12'), '-passout', 'pass:Passw0rd!', ...ibmStyle]);
    // openssl prints these facts on stderr.
    const protection = (password: string) =>
      spawnSync('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', at('ibm.p12'), '-passin', `pass:${password}`], { encoding: 'utf8' })
        .stderr.split('\n')
        .filter((l) => /^(MAC|PKCS7 Encrypted data|Shrouded Keybag)/.test(l))
        .sort();
    const before = protection('Passw0rd!');
    expect(before).toEqual(expect.arrayContaining(['MAC: sha1, Iteration 100000', 'PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 100000']));
    await ok('-cert', '-add', '-label', 'partner', '-file', at('partner.arm'), '-db', at('ibm.p12'), '-pw', 'Passw0rd!');
    expect(protection('Passw0rd!')).toEqual(before);
    await ok('-keydb', '-changepw', '-db', at('ibm.p12'), '-pw', 'Passw0rd!', '-new_pw', 'Other-pw1');
    expect(protection('Other-pw1')).toEqual(before);
  });
});

describe('a password change re-encrypts every key, secret keys included (item 6)', () => {
  const java = hasTool('keytool') && hasTool('java');
  it.skipIf(!java)(`a keytool -genseckey AES key in a JCEKS opens with the new password only${java ? '' : ' (skipped: keytool or java missing)'}`, async () => {
    const store = at('secret.jceks');
    runTool('keytool', ['-genseckey', '-alias', 'aes', '-keyalg', 'AES', '-keysize', '256', '-storetype', 'jceks', '-keystore', store, '-storepass', 'Old-pw1', '-keypass', 'Old-pw1']);
    const before = javaGetKey(temp.dir, 'JCEKS', store, 'Old-pw1', 'aes', 'Old-pw1');
    expect(before).toMatchObject({ algorithm: 'AES' });
    await ok('-keydb', '-changepw', '-db', store, '-pw', 'Old-pw1', '-new_pw', 'New-pw2');
    expect(javaGetKey(temp.dir, 'JCEKS', store, 'New-pw2', 'aes', 'New-pw2')).toEqual(before);
    expect(javaGetKey(temp.dir, 'JCEKS', store, 'New-pw2', 'aes', 'Old-pw1')).toHaveProperty('refused');
  });
});

describe('a .crl that holds CRLs follows a password change (item 4)', () => {
  it('its records are kept byte for byte under the new password, so the store opens whole', async () => {
    await ok('-keydb', '-create', '-db', at('crl.kdb'), '-pw', 'Old-pw1', '-type', 'cms', '-stash');
    // KeyDesk never writes a CRL record; plant one slot as GSKit's .crl would hold it.
    const empty = readFileSync(at('crl.crl'));
    const slot = Buffer.alloc(5000);
    slot.writeUInt32BE(1, 0);
    slot.writeUInt32BE(1, 4);
    slot.write('a CRL record, kept as it is', 12, 'latin1');
    const planted = Buffer.concat([empty, slot]);
    planted.writeUInt32BE(1, 0x14);
    // FORMATS.md, version 6: verifier and MAC are HMAC-SHA384 keyed with the password.
    planted.set(createHmac('sha384', 'Old-pw1').update(planted.subarray(0, 0x30)).digest(), 0x30);
    planted.set(createHmac('sha384', 'Old-pw1').update(planted.subarray(0, 0x60)).update(planted.subarray(0x90)).digest(), 0x60);
    writeFileSync(at('crl.crl'), planted);
    expect(JSON.parse(await ok('-cert', '-list', '-db', at('crl.kdb'), '-stashed', '-json')).properties.crlCount).toBe(1);

    await ok('-keydb', '-changepw', '-db', at('crl.kdb'), '-stashed', '-new_pw', 'New-pw2');
    const listed = JSON.parse(await ok('-cert', '-list', '-db', at('crl.kdb'), '-pw', 'New-pw2', '-json'));
    expect(listed.properties).toMatchObject({ crlCount: 1, macChecked: true });
    expect(readFileSync(at('crl.crl')).subarray(0x90).equals(slot)).toBe(true);
    expect((await cli('-cert', '-list', '-db', at('crl.kdb'), '-stashed')).code).toBe(0);
  });
});

/** Pending requests in a CMS .rdb appear under -certreq, not among certificates. */
import { describe, it, expect, afterAll } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmptyCmsStore, writeCmsStore } from '../core/formats/cms';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

describe.skipIf(!hasTool('openssl'))(`requests in a CMS .rdb${missingNote('openssl')}`, () => {
  it('lists and details a pending request with -certreq, and keeps it out of -cert -list', async () => {
    runTool('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'req.key', '-out', 'req.csr', '-outform', 'DER', '-subj', '/O=Test/CN=QM2', '-addext', 'subjectAltName=DNS:qm2.example'], { cwd: temp.dir });
    const store = createEmptyCmsStore();
    store.entries.push({
      kind: 'request',
      label: 'ibmwebspheremqqm2',
      csr: new Uint8Array(readFileSync(join(temp.dir, 'req.csr'))),
      privateKey: new Uint8Array(createPrivateKey(readFileSync(join(temp.dir, 'req.key'))).export({ format: 'der', type: 'pkcs8' })),
    });
    const files = writeCmsStore(store, 'pw');
    const db = join(temp.dir, 'key.kdb');
    writeFileSync(db, files.kdb);
    writeFileSync(join(temp.dir, 'key.rdb'), files.rdb);

    const list = await cli('-certreq', '-list', '-db', db, '-pw', 'pw');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out.split('\n')).toContain('\tibmwebspheremqqm2');
    expect((await cli('-cert', '-list', '-db', db, '-pw', 'pw')).out).not.toContain('ibmwebspheremqqm2');

    const details = JSON.parse((await cli('-certreq', '-details', '-label', 'ibmwebspheremqqm2', '-db', db, '-pw', 'pw', '-json')).out);
    const opensslSubject = runTool('openssl', ['req', '-in', join(temp.dir, 'req.csr'), '-inform', 'DER', '-noout', '-subject', '-nameopt', 'RFC2253']).toString().trim().replace(/^subject=/, '');
    expect(details).toMatchObject({ kind: 'request', hasPrivateKey: true, subject: opensslSubject, keyAlgorithm: 'EC', curve: 'P-256', subjectAltNames: ['DNS:qm2.example'] });
  });

  it('writes request files with GSKit\'s NEW CERTIFICATE REQUEST header (RUNMQAKM.md §3.3, G4), which openssl reads', async () => {
    const db = join(temp.dir, 'new.kdb');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'pw', '-type', 'cms')).code).toBe(0);
    const file = join(temp.dir, 'qm3.arm');
    expect((await cli('-certreq', '-create', '-db', db, '-pw', 'pw', '-label', 'qm3', '-dn', 'CN=QM3', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256', '-file', file)).code).toBe(0);
    expect(readFileSync(file, 'latin1')).toMatch(/^-----BEGIN NEW CERTIFICATE REQUEST-----\r?\n/);
    expect(runTool('openssl', ['req', '-in', file, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253']).toString()).toContain('subject=CN=QM3');
  });
});

/**
 * The SSLPEER helper from the command line: the value for a certificate, and a filter
 * tested against a store, on certificates openssl made (the rules themselves are tested
 * in core/checks/sslpeer.test.ts).
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const db = at('peers.p12');
const creds = ['-db', db, '-pw', 'peers-pw'];

describe.skipIf(!hasTool('openssl'))(`-cert -sslpeer and -keydb -sslpeer${missingNote('openssl')}`, () => {
  beforeAll(async () => {
    expect((await cli('-keydb', '-create', ...creds, '-type', 'pkcs12')).code).toBe(0);
    for (const [name, subj] of [
      ['app1', '/C=GB/O=Bars/OU=Payments/CN=app1.bars'],
      ['app2', '/C=GB/O=Bars/OU=Trading/CN=app2.bars'],
      ['qm', '/C=GB/O=Bars, Inc./CN=QM1'],
    ] as const) {
      runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subj, '-days', '30'], { cwd: temp.dir });
      expect((await cli('-cert', '-add', ...creds, '-label', name, '-file', at(`${name}.pem`))).code).toBe(0);
    }
  });

  it('-cert -sslpeer prints the filter on its own line, then the MQSC attribute', async () => {
    const r = await cli('-cert', '-sslpeer', ...creds, '-label', 'qm');
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['CN=QM1,O="Bars, Inc.",C=GB', `MQSC: SSLPEER('CN=QM1,O="Bars, Inc.",C=GB')`]);
    // The printed value selects exactly that certificate.
    const check = await cli('-keydb', '-sslpeer', ...creds, '-filter', r.lines[0]!);
    expect(check.lines.filter((l) => l.startsWith('match\t')).map((l) => l.split('\t')[1])).toEqual(['qm']);
  });

  it('-keydb -sslpeer lists who matches and why the others do not; exit 1 when nobody matches, 2 for a filter MQ refuses', async () => {
    const r = await cli('-keydb', '-sslpeer', ...creds, '-filter', 'CN=app*, O=bars; OU=Payments');
    expect(r.code).toBe(0);
    expect(r.lines).toContain('match\tapp1\tCN=app1.bars,OU=Payments,O=Bars,C=GB');
    expect(r.lines).toContain('no match\tapp2\tCN=app2.bars,OU=Trading,O=Bars,C=GB\tOU number 1 is "Trading", not "Payments" (the order of OU values counts)');
    const none = await cli('-keydb', '-sslpeer', ...creds, '-filter', 'CN=nobody');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no certificate in .* matches SSLPEER "CN=nobody"/);
    const bad = await cli('-keydb', '-sslpeer', ...creds, '-filter', 'CN=ap*p');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/neither at the start nor at the end/);
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { hasTool, makeTempDir, runTool } from '../testing/peer-tools';
import { buildChain } from './chain-builder';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const der = (name: string) => new Uint8Array(new X509Certificate(readFileSync(join(temp.dir, `${name}.pem`))).raw);
const subjectOf = (bytes: Uint8Array) => new X509Certificate(bytes).subject.replace(/\n/g, ',');

describe.skipIf(!hasTool('openssl'))('chain building (certificates made by openssl)', () => {
  beforeAll(() => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    const ext = join(temp.dir, 'ca.ext');
    writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n');
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/CN=Root', '-days', '30');
    // Same name, other key: a chain built on names alone would take it.
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'fake.key', '-out', 'fake.pem', '-subj', '/CN=Root', '-days', '30');
    o('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Intermediate');
    o('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-extfile', ext);
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=QM1');
    o('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30');
  });

  it('walks leaf → intermediate → root by signature, skipping a same-named impostor', () => {
    const built = buildChain(der('leaf'), [der('fake'), der('int'), der('root')]);
    expect(built.chain.map(subjectOf)).toEqual(['CN=QM1', 'CN=Intermediate', 'CN=Root']);
    expect(Buffer.from(built.chain[2]!).equals(Buffer.from(der('root')))).toBe(true);
    expect(built.complete).toBe(true);
  });

  it('stops, incomplete, where the intermediate is missing', () => {
    const built = buildChain(der('leaf'), [der('root'), der('fake')]);
    expect(built.chain.map(subjectOf)).toEqual(['CN=QM1']);
    expect(built.complete).toBe(false);
  });
});

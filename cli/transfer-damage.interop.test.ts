/**
 * A key store or certificate broken by an ASCII-mode FTP transfer is refused with that
 * explanation, and the exact original is written back only on request.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveKdbFixtures, hasTool, kdbFixturesDir, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

/** What a text-mode transfer from Unix to Windows does: every LF becomes CR LF. */
const lfToCrlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

describe.skipIf(!haveKdbFixtures)('a GSKit database sent in ASCII mode', () => {
  it('is refused with the cause and the way out, and -keydb -repair writes the original back', async () => {
    copyFileSync(join(kdbFixturesDir, 'gsk-v6-mixed.kdb'), at('mixed.kdb'));
    const original = readFileSync(at('mixed.kdb'));
    writeFileSync(at('mangled.kdb'), lfToCrlf(original));
    const r = await cli('-cert', '-list', '-db', at('mangled.kdb'), '-pw', 'password');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain('text (ASCII) mode');
    expect(r.err).toContain('binary mode');

    expect((await cli('-keydb', '-repair', '-db', at('mangled.kdb'), '-target', at('repaired.kdb'))).code).toBe(0);
    expect(readFileSync(at('repaired.kdb')).equals(original)).toBe(true);
    expect((await cli('-cert', '-list', '-db', at('repaired.kdb'), '-pw', 'password')).code).toBe(0);
  });
});

describe.skipIf(!hasTool('openssl'))(`a DER certificate and a PKCS#12 sent in ASCII mode${missingNote('openssl')}`, () => {
  it('are refused with that explanation when added or opened', async () => {
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=Partner', '-days', '30'], { cwd: temp.dir });
    runTool('openssl', ['x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der'], { cwd: temp.dir });
    runTool('openssl', ['pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k.pem', '-out', 'c.p12', '-passout', 'pass:pw'], { cwd: temp.dir });
    // Keep mangling until the sample actually holds a line feed byte (random keys decide).
    const der = readFileSync(at('c.der'));
    const p12 = readFileSync(at('c.p12'));
    writeFileSync(at('mangled.der'), lfToCrlf(der));
    writeFileSync(at('mangled.p12'), lfToCrlf(p12));

    expect((await cli('-keydb', '-create', '-db', at('s.p12'), '-pw', 'pw', '-type', 'pkcs12')).code).toBe(0);
    if (der.includes(0x0a)) {
      const add = await cli('-cert', '-add', '-label', 'partner', '-file', at('mangled.der'), '-db', at('s.p12'), '-pw', 'pw');
      expect(add.code).toBe(1);
      expect(add.err).toContain(at('mangled.der'));
      expect(add.err).toContain('text (ASCII) mode');
    }
    if (p12.includes(0x0a)) {
      const open = await cli('-cert', '-list', '-db', at('mangled.p12'), '-pw', 'pw');
      expect(open.code).toBe(1);
      expect(open.err).toContain('text (ASCII) mode');
    }
    expect(existsSync(at('mangled.p12'))).toBe(true);
  });
});

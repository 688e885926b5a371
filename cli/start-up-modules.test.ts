/**
 * What a plain listing loads. Node compiles each built-in module on first require, and the
 * bundle hoists every static import to start-up: one `import { connect } from 'node:tls'`
 * in any module made every call, `-cert -list` included, load node's TLS, network and
 * socket machinery (issue 16 found tls-probe.ts doing so, and `process.stdin` touched at
 * start-up loading the fs stream and readline modules). Modules that open sockets or
 * processes are loaded when used (core/lazy-node-modules.ts); this keeps it so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { makeTempDir } from '../core/testing/peer-tools';
import { pkcs12Codec } from '../core/formats/pkcs12';
import { buildCertificate } from '../core/x509/certificate-builder';
import { parseDistinguishedName } from '../core/x509/distinguished-name-parse';
import { generateKeyPairSync } from 'node:crypto';

const temp = makeTempDir('keydesk-startup-');
afterAll(() => temp.cleanup());

describe('a -cert -list loads no networking or process modules', () => {
  it('lists a PKCS#12 without loading node:tls, node:net, node:http, node:child_process, node:fs/promises or readline', () => {
    // The bundle as scripts/build-cli.mjs makes it, so what is measured is what ships.
    const bundle = join(temp.dir, 'cli/keydesk.cjs');
    buildSync({ entryPoints: [resolve(__dirname, 'main.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['pkcs11js'], logLevel: 'error' });
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const certificate = buildCertificate({
      subject: parseDistinguishedName('CN=startup.example.com,O=KeyDesk'),
      issuer: { name: parseDistinguishedName('CN=startup.example.com,O=KeyDesk'), privateKey: new Uint8Array(key.privateKey.export({ format: 'der', type: 'pkcs8' })) },
      subjectPublicKey: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })),
      hash: 'sha256',
      validityDays: 30,
      profile: 'ca',
    });
    const store = join(temp.dir, 'signers.p12');
    writeFileSync(store, pkcs12Codec.write({ format: 'pkcs12', entries: [{ kind: 'signer', label: 'startup', certificate }], properties: {} }, 'startup-pw1'));
    // Written at exit to a file: writing to a piped stderr would itself load node:net.
    const loaded = join(temp.dir, 'loaded.json');
    const recorder = join(temp.dir, 'record-modules.cjs');
    writeFileSync(recorder, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`);
    const launcher = join(temp.dir, 'cli/launch.cjs');
    writeFileSync(launcher, `require('./keydesk.cjs').main();\n`);
    // Output to files, as from a terminal or a redirect: a pipe is itself a node:net socket.
    const out = join(temp.dir, 'out.txt');
    const err = join(temp.dir, 'err.txt');
    const [outFd, errFd] = [openSync(out, 'w'), openSync(err, 'w')];
    const run = spawnSync(process.execPath, ['-r', recorder, launcher, '-cert', '-list', '-db', store, '-pw', 'startup-pw1'], { stdio: ['ignore', outFd, errFd] });
    [outFd, errFd].forEach(closeSync);
    expect(run.status).toBe(0);
    expect(readFileSync(err, 'utf8')).toBe('');
    const modules = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
    // The run did list (so the module list is a listing's), through node:crypto.
    expect(readFileSync(out, 'utf8')).toContain('startup');
    expect(modules).toContain('crypto');
    for (const module of ['tls', 'net', 'http', 'child_process', 'internal/fs/promises', 'internal/readline/interface']) expect(modules, module).not.toContain(module);
  });
});

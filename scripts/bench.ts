/**
 * npm run bench: KeyDesk beside openssl and keytool on the same files, as ratios.
 * Stores of 10 … 10,000 entries are generated here (PKCS#12, CMS, JKS), plus the JDK's
 * cacerts and an IBM-style 100,000-iteration PKCS#12. Times are medians of whole
 * commands, as an operator would run them. Nothing here is a test: it prints.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pkcs12Codec } from '../core/formats/pkcs12';
import { jksCodec } from '../core/formats/jks';
import { writeCmsStore } from '../core/formats/cms';
import type { KeyStore, SignerEntry } from '../core/model/key-store';
import { buildCertificate } from '../core/x509/certificate-builder';
import { parseDistinguishedName } from '../core/x509/distinguished-name-parse';

const keydesk = resolve(__dirname, '../bin/keydesk');
// Time the bundled CLI that `npm ci` builds, not tsx compiling sources edited since.
spawnSync(process.execPath, [resolve(__dirname, 'build-cli.mjs')], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'keydesk-bench-'));
const PW = 'bench-pw1';
const has = (tool: string) => spawnSync(tool, tool === 'openssl' ? ['version'] : ['-help'], { stdio: 'ignore' }).error === undefined;
const haveOpenssl = has('openssl');
const haveKeytool = has('keytool');

/** Median wall time of a command in ms; undefined when it fails. */
function time(cmd: string, args: string[], runs = 5, warmUp = true): number | undefined {
  const samples: number[] = [];
  // One untimed run first, for both sides: files in the page cache, and KeyDesk's code
  // cache written (bin/keydesk makes it on a first run, as after any install).
  for (let i = warmUp ? 0 : 1; i <= runs; i++) {
    const start = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KEYDESK_PW: PW } });
    if (r.status !== 0) {
      process.stderr.write(`${cmd} ${args.join(' ')} failed: ${r.stderr}\n`);
      return undefined;
    }
    if (i > 0) samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function signers(count: number): SignerEntry[] {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caKey = new Uint8Array(ca.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const issuer = parseDistinguishedName('CN=Bench Issuing CA,O=KeyDesk');
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(leaf.publicKey.export({ format: 'der', type: 'spki' }));
  return Array.from({ length: count }, (_, i) => ({
    kind: 'signer' as const,
    label: `signer ${i + 1}`,
    // One key, distinct subjects and serials: distinct certificates are what stores hold.
    certificate: buildCertificate({ subject: parseDistinguishedName(`CN=Bench ${i + 1},O=KeyDesk`), issuer: { name: issuer, privateKey: caKey }, subjectPublicKey: spki, hash: 'sha256', validityDays: 365, profile: 'tls' }),
  }));
}

interface Row {
  case: string;
  entries: number;
  keydesk?: number;
  peer?: string;
  peerMs?: number;
  target?: string;
}
const rows: Row[] = [];
const fmt = (ms?: number) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`);

const pool = signers(10_000);
for (const n of [10, 100, 1000, 10_000]) {
  const entries = pool.slice(0, n);
  const store = (format: KeyStore['format']): KeyStore => ({ format, properties: {}, entries });
  const p12 = join(dir, `s${n}.p12`);
  writeFileSync(p12, pkcs12Codec.write(store('pkcs12'), PW));
  const jks = join(dir, `s${n}.jks`);
  writeFileSync(jks, jksCodec.write(store('jks'), PW));
  const kdb = join(dir, `s${n}.kdb`);
  writeFileSync(kdb, writeCmsStore(store('cms'), PW).kdb);

  rows.push({
    case: 'PKCS#12 open + list',
    entries: n,
    keydesk: time(keydesk, ['-cert', '-list', '-db', p12]),
    peer: 'openssl pkcs12 -nokeys',
    peerMs: haveOpenssl ? time('openssl', ['pkcs12', '-in', p12, '-nokeys', '-passin', `pass:${PW}`, '-out', '/dev/null']) : undefined,
    target: n === 1000 ? '≤ 1.5x' : undefined,
  });
  rows.push({
    case: 'JKS open + list',
    entries: n,
    keydesk: time(keydesk, ['-cert', '-list', '-db', jks]),
    peer: 'keytool -list',
    peerMs: haveKeytool ? time('keytool', ['-list', '-keystore', jks, '-storetype', 'JKS', '-storepass', PW]) : undefined,
  });
  rows.push({ case: 'CMS .kdb open + list', entries: n, keydesk: time(keydesk, ['-cert', '-list', '-db', kdb]), peer: '(no GSKit here)' });
}

// The JDK's own trust store.
if (haveKeytool) {
  const keytoolPath = realpathSync(spawnSync('sh', ['-c', 'command -v keytool']).stdout.toString().trim());
  const cacerts = join(dirname(keytoolPath), '../lib/security/cacerts');
  if (existsSync(cacerts)) {
    rows.push({
      case: 'JDK cacerts open + list',
      entries: Number(spawnSync('keytool', ['-list', '-cacerts', '-storepass', 'changeit']).stdout.toString().match(/contains (\d+) entries/)?.[1] ?? 0),
      keydesk: time(keydesk, ['-cert', '-list', '-db', cacerts, '-pw', 'changeit']),
      peer: 'keytool -list -cacerts',
      peerMs: time('keytool', ['-list', '-cacerts', '-storepass', 'changeit']),
      target: '≤ 0.5x',
    });
  }
}

// An IBM-style PKCS#12: 3DES/RC2 with 100,000 iterations for encryption and MAC.
if (haveOpenssl) {
  const o = (...args: string[]) => spawnSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ibm.key', '-out', 'ibm.pem', '-subj', '/CN=ibm', '-days', '30');
  o('pkcs12', '-export', '-legacy', '-iter', '100000', '-maciter', '-in', 'ibm.pem', '-inkey', 'ibm.key', '-out', 'ibm.p12', '-passout', `pass:${PW}`);
  rows.push({
    case: 'IBM-style PKCS#12 (100k iterations)',
    entries: 1,
    keydesk: time(keydesk, ['-cert', '-list', '-db', join(dir, 'ibm.p12')]),
    peer: 'openssl pkcs12 -nokeys -legacy',
    peerMs: time('openssl', ['pkcs12', '-legacy', '-in', join(dir, 'ibm.p12'), '-nokeys', '-passin', `pass:${PW}`, '-out', '/dev/null']),
    target: '≤ 4x',
  });
}

// Add + save on the 10,000-entry CMS database, as the CLI does it (load, add, save, re-read).
writeFileSync(join(dir, 'extra.der'), signers(1)[0]!.certificate);
const bigKdb = join(dir, 's10000.kdb');
rows.push({ case: 'CMS add + save (10,000 entries)', entries: 10_000, keydesk: time(keydesk, ['-cert', '-add', '-label', 'extra', '-file', join(dir, 'extra.der'), '-db', bigKdb], 1, false) });

const header = ['case', 'entries', 'KeyDesk', 'peer', 'peer time', 'ratio', 'target'];
const lines = rows.map((r) => {
  const ratio = r.keydesk !== undefined && r.peerMs !== undefined ? `${(r.keydesk / r.peerMs).toFixed(2)}x` : '—';
  return [r.case, String(r.entries), fmt(r.keydesk), r.peer ?? '', fmt(r.peerMs), ratio, r.target ?? ''];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const print = (cells: string[]) => console.log(`| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
console.log(`KeyDesk bench — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
print(header);
print(widths.map((w) => '-'.repeat(w)));
lines.forEach(print);

// Growth: time per entry as stores grow, so a regression in scaling shows.
console.log('\nCost growth (KeyDesk, ms per 1,000 entries above the 10-entry baseline):');
for (const kind of ['PKCS#12 open + list', 'JKS open + list', 'CMS .kdb open + list']) {
  const base = rows.find((r) => r.case === kind && r.entries === 10)?.keydesk ?? 0;
  const growth = rows.filter((r) => r.case === kind && r.entries > 10).map((r) => `${r.entries}: ${(((r.keydesk ?? 0) - base) / (r.entries / 1000)).toFixed(0)}`);
  console.log(`  ${kind}: ${growth.join(', ')}`);
}
rmSync(dir, { recursive: true, force: true });

// The renderer: open and render a 10,000-entry store, scroll, filter and sort, in Chromium.
console.log('\nRenderer (Chromium, browser mode): 10,000 entries — open and render, filter keystroke, sort');
const renderer = spawnSync('npx', ['playwright', 'test', 'e2e/ten-thousand-entries.spec.ts', '--reporter=json'], {
  cwd: resolve(__dirname, '..'),
  env: { ...process.env, KEYDESK_BENCH: '1', PLAYWRIGHT_JSON_OUTPUT_NAME: '' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
interface PwTest { title: string; results: { status: string; duration: number; annotations?: { type: string; description?: string }[] }[]; annotations?: { type: string; description?: string }[] }
interface PwSuite { specs?: { title: string; tests: PwTest[] }[]; suites?: PwSuite[] }
const walk = (suite: PwSuite): void => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) {
      const result = t.results[0];
      const notes = [...new Set([...(t.annotations ?? []), ...(result?.annotations ?? [])].filter((a) => a.description).map((a) => `${a.type}: ${a.description}`))];
      console.log(`  ${result?.status === 'passed' ? 'met' : (result?.status ?? 'not run')} — ${spec.title}${notes.length ? ` (${notes.join('; ')})` : ''}`);
    }
  }
  (suite.suites ?? []).forEach(walk);
};
try {
  (JSON.parse(renderer.stdout) as { suites: PwSuite[] }).suites.forEach(walk);
} catch {
  console.log(`  could not run the renderer bench: ${renderer.stderr.split('\n')[0] ?? ''}`);
}

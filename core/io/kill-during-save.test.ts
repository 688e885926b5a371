/**
 * A save killed at any moment (kill -9) leaves the old store or the new one, never a
 * broken one; the next open completes or removes what it left. (Every single step of a
 * save is crashed deterministically in core/io/crash-at-every-step.test.ts; this one
 * kills a real process.)
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { loadStore } from '../api/store-files';
import { saveStore, withStoreLock } from '../api/store-writer';
import { createEmptyCmsStore } from '../formats/cms';
import { buildCertificate } from '../x509/certificate-builder';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import { makeTempDir } from '../testing/peer-tools';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const store = join(temp.dir, 'key.kdb');
const certificateFile = join(temp.dir, 'signer.der');

function makeStore(): Promise<unknown> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificate = buildCertificate({
    subject: parseDistinguishedName('CN=Crash Test CA'),
    subjectPublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    subjectPrivateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    hash: 'sha256',
    validityDays: 30,
    profile: 'ca',
  });
  writeFileSync(certificateFile, certificate);
  return withStoreLock(store, () => saveStore(store, createEmptyCmsStore(), 'crash-pw', { createOnly: true }));
}

/**
 * Starts the save loop, lets it save for `ms` after it says it is ready, kills it with
 * SIGKILL; returns the counts it reported. Timed from "ready", not from the spawn: on a
 * loaded machine tsx's start-up alone outlasted every kill time, and no save was ever hit.
 */
function runAndKill(ms: number): Promise<number[]> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../testing/save-loop.ts'), store, 'crash-pw', certificateFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const saved: number[] = [];
    let killTimer: NodeJS.Timeout | undefined;
    // A loop that never gets ready still ends, and the test then fails on its counts.
    const startUpLimit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (killTimer === undefined && text.includes('ready')) {
        clearTimeout(startUpLimit);
        killTimer = setTimeout(() => child.kill('SIGKILL'), ms);
      }
      for (const m of text.matchAll(/saved (\d+)/g)) saved.push(Number(m[1]));
    });
    child.on('exit', () => {
      clearTimeout(startUpLimit);
      done(saved);
    });
  });
}

describe('saves killed with kill -9', () => {
  it('always leave a store that opens with the old or the new entries, and the next open cleans up', async () => {
    await makeStore();
    let lastSeen = 0;
    // Kill times spread over the loop's first load and its saves; fixed so a failure replays.
    for (const ms of [0, 15, 40, 75, 120, 180, 260, 360, 500, 700]) {
      const saved = await runAndKill(ms);
      const reported = saved.length > 0 ? saved[saved.length - 1]! : lastSeen;
      const opened = loadStore(store, { password: 'crash-pw' });
      const count = opened.store.entries.length;
      // The file holds the last save reported or the one after it (done, not yet reported).
      expect([reported, reported + 1]).toContain(count);
      expect(opened.store.entries.map((e) => e.label)).toEqual(Array.from({ length: count }, (_, i) => `signer ${i + 1}`));
      // No temporary file, journal or dead writer's lock is left, and no copy of the store.
      expect(readdirSync(temp.dir).filter((f) => f.includes('keydesk-') || f.endsWith('.tmp') || f.endsWith('.bak'))).toEqual([]);
      lastSeen = count;
    }
    expect(lastSeen).toBeGreaterThan(0);
  }, 600_000);

});

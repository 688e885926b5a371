/**
 * Many writers on one store at once (issue 13, items 2 and 3): real keydesk processes,
 * two and four at a time, plus the browser-mode server with the store open in the UI.
 * Every change is either applied (exit 0, and it is in the store afterwards) or refused
 * truthfully (exit 1, "nothing was written", and it is not in the store). Before the fix,
 * 3 of 20 rounds of two plain -cert -add commands lost a change with both exiting 0.
 *
 * Rounds: KEYDESK_CONCURRENCY_ROUNDS (default 15 of each kind; fixed, so a failure replays
 * the same commands).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { KeyDeskService } from '../core/api/service';
import { makeTempDir } from '../core/testing/peer-tools';
import { buildCertificate } from '../core/x509/certificate-builder';
import { parseDistinguishedName } from '../core/x509/distinguished-name-parse';
import { createBrowserModeServer, listen } from '../server/http-server';
import { ok } from './testing/run-cli';

const ROUNDS = Number(process.env.KEYDESK_CONCURRENCY_ROUNDS ?? 15);
const temp = makeTempDir();
const at = (name: string) => join(temp.dir, name);
let launcher = '';

beforeAll(async () => {
  // The CLI as npm ci installs it (one bundle), built here so the test never runs a stale one.
  await build({ entryPoints: [resolve(__dirname, 'main.ts')], outfile: at('cli/keydesk.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', external: ['pkcs11js'] });
  launcher = at('cli/keydesk.js');
  writeFileSync(launcher, "require('./keydesk.cjs').main();\n");
}, 60_000);
afterAll(() => temp.cleanup());

let serial = 0;
/** A distinct signer certificate file (an EC CA of its own). */
function certificateFile(): string {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = buildCertificate({
    subject: parseDistinguishedName(`CN=Writer ${++serial},O=Concurrency`),
    subjectPublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    subjectPrivateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    hash: 'sha256',
    validityDays: 30,
    profile: 'ca',
  });
  const file = at(`writer-${serial}.der`);
  writeFileSync(file, der);
  return file;
}

interface Outcome {
  what: string;
  /** The label this writer adds (a signer, or a pending request). */
  label: string;
  kind: 'signer' | 'request';
  code: number;
  err: string;
}

function keydesk(args: string[], what: Omit<Outcome, 'code' | 'err'>): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [launcher, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => done({ ...what, code: code ?? -1, err: err.trim() }));
  });
}

/** What is in the store now: signers and pending requests, by label. */
async function contents(db: string): Promise<{ signers: string[]; requests: string[] }> {
  const signers = JSON.parse(await ok('-cert', '-list', '-db', db, '-stashed', '-json')).entries.map((e: { label: string }) => e.label);
  const requests = JSON.parse(await ok('-certreq', '-list', '-db', db, '-stashed', '-json')).entries.map((e: { label: string }) => e.label);
  return { signers, requests };
}

/** Applied means present; refused means one true line and absent. */
function judge(outcomes: Outcome[], now: { signers: string[]; requests: string[] }): string[] {
  const wrong: string[] = [];
  for (const o of outcomes) {
    const present = (o.kind === 'signer' ? now.signers : now.requests).includes(o.label);
    if (o.code === 0 && !present) wrong.push(`${o.what} exited 0 but "${o.label}" is not in the store (a lost change)`);
    if (o.code !== 0 && present) wrong.push(`${o.what} was refused (${o.err}) but "${o.label}" is in the store`);
    if (o.code !== 0 && !/nothing was written/.test(o.err)) wrong.push(`${o.what} failed without saying nothing was written: ${o.code} ${o.err}`);
  }
  return wrong;
}

async function newStore(name: string): Promise<string> {
  const db = at(name);
  await ok('-keydb', '-create', '-db', db, '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
  return db;
}

describe('concurrent writers on one CMS store', () => {
  for (const writers of [2, 4]) {
    it(`${ROUNDS} rounds of ${writers} keydesk processes (adds and a request) lose nothing`, async () => {
      const db = await newStore(`cli-${writers}.kdb`);
      const wrong: string[] = [];
      let applied = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const outcomes = await Promise.all(
          Array.from({ length: writers }, (_, w) => {
            const label = `r${round}-w${w}`;
            // The last writer of each round makes a request: a change to the .rdb alone.
            if (w === writers - 1 && writers > 2) {
              return keydesk(['-certreq', '-create', '-db', db, '-stashed', '-label', label, '-dn', `CN=${label}`, '-file', at(`${label}.csr`), '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'], {
                what: `round ${round} writer ${w} (-certreq -create)`,
                label,
                kind: 'request',
              });
            }
            return keydesk(['-cert', '-add', '-db', db, '-stashed', '-label', label, '-file', certificateFile()], { what: `round ${round} writer ${w} (-cert -add)`, label, kind: 'signer' });
          }),
        );
        wrong.push(...judge(outcomes, await contents(db)));
        applied += outcomes.filter((o) => o.code === 0).length;
      }
      expect(wrong).toEqual([]);
      // Writers wait for each other rather than fail: plain concurrent adds all succeed.
      expect(applied).toBe(ROUNDS * writers);
    }, 120_000);
  }

  it(`${ROUNDS} rounds of the browser-mode UI (store open) against two keydesk processes`, async () => {
    const db = await newStore('ui.kdb');
    const token = 'concurrency-token';
    const server = createBrowserModeServer({ api: new KeyDeskService(), staticDir: temp.dir, token });
    await listen(server, { token });
    const port = (server.address() as AddressInfo).port;
    const call = (operation: string, body: unknown) =>
      new Promise<{ ok: boolean; value?: { storeId: string }; error?: { code: string; message: string } }>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: `/api/${operation}`, method: 'POST', headers: { host: `127.0.0.1:${port}`, 'x-keydesk-token': token, 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => done(JSON.parse(text)));
        });
        req.on('error', fail);
        req.end(JSON.stringify(body));
      });
    try {
      const wrong: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        // The UI opened the store a moment ago; then everyone changes it at once.
        const opened = await call('openStore', { path: db, stashed: true });
        const storeId = opened.value!.storeId;
        const ui = (async (): Promise<Outcome> => {
          const label = `r${round}-ui`;
          const r = await call('addCertificate', { store: { storeId }, label, file: certificateFile() });
          return { what: `round ${round} UI add`, label, kind: 'signer', code: r.ok ? 0 : 1, err: r.error?.message ?? '' };
        })();
        const clis = [0, 1].map((w) => {
          const label = `r${round}-cli${w}`;
          return w === 0
            ? keydesk(['-cert', '-add', '-db', db, '-stashed', '-label', label, '-file', certificateFile()], { what: `round ${round} CLI add`, label, kind: 'signer' })
            : keydesk(['-certreq', '-create', '-db', db, '-stashed', '-label', label, '-dn', `CN=${label}`, '-file', at(`${label}.csr`), '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256'], {
                what: `round ${round} CLI request`,
                label,
                kind: 'request',
              });
        });
        const outcomes = await Promise.all([ui, ...clis]);
        wrong.push(...judge(outcomes, await contents(db)));
        const refusal = outcomes.find((o) => o.code !== 0 && o.what.includes('UI'));
        // A UI refused for a stale view says so, and the change it refused is not lost silently.
        if (refusal) expect(refusal.err).toMatch(/changed on disk since it was opened; nothing was written/);
        await call('closeStore', { storeId });
      }
      expect(wrong).toEqual([]);
    } finally {
      server.close();
    }
  }, 120_000);
});

/**
 * Mistakes refused cleanly (issue 13, item 9): each a plain one-line refusal on stderr, exit
 * 1 (2 for a usage error), no stack trace, and nothing written — the folder is compared
 * byte for byte before and after.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, runTool } from '../core/testing/peer-tools';
import { cli, ok, type CliRun } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

/** Every file under the folder with a hash of its bytes. */
function folderState(dir = temp.dir): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stat = statSync(path);
    state[name] = stat.isDirectory() ? 'folder' : `${stat.mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return state;
}

/** A refusal as the brief wants it: one line, the exit code, no stack. */
function expectRefusal(run: CliRun, code: 1 | 2, message: RegExp): void {
  expect(run.err.split('\n'), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^keydesk: /);
  expect(run.err).toMatch(message);
  expect(run.err).not.toMatch(/internal error|\n\s+at /);
  expect(run.code).toBe(code);
}

/** Runs a command that must be refused and must leave the folder as it was. */
async function refused(code: 1 | 2, message: RegExp, ...argv: string[]): Promise<CliRun> {
  const before = folderState();
  const run = await cli(...argv);
  expectRefusal(run, code, message);
  expect(folderState(), 'the folder changed').toEqual(before);
  return run;
}

describe('labels with control characters', () => {
  const bad = ['qm1\nrm -rf /', 'qm1\r', 'qm\t1', 'qm1\u001B[2J', 'qm\u009B1', 'qm\u20281'];
  const why = /holds .*\(U\+[0-9A-F]{4}\); labels are listed one per line and read by scripts/;

  beforeAll(async () => {
    await ok('-keydb', '-create', '-db', at('labels.p12'), '-pw', 'passw0rd', '-type', 'pkcs12', '-stash');
    await ok('-cert', '-create', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-dn', 'CN=good', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256');
    await ok('-cert', '-extract', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-target', at('good.arm'));
    await ok('-keydb', '-create', '-db', at('other.p12'), '-pw', 'passw0rd', '-type', 'pkcs12');
  });

  for (const label of bad) {
    const shown = JSON.stringify(label);
    it(`-cert -create refuses ${shown}`, async () => {
      await refused(2, why, '-cert', '-create', '-db', at('labels.p12'), '-stashed', '-label', label, '-dn', 'CN=x', '-size', '256', '-sig_alg', 'EC_ecdsa_with_SHA256');
    });
  }

  it('-certreq -create, -cert -add, -cert -rename and -cert -import refuse them too', async () => {
    const label = 'partner\nca';
    await refused(2, why, '-certreq', '-create', '-db', at('labels.p12'), '-stashed', '-label', label, '-dn', 'CN=x', '-file', at('x.arm'));
    await refused(2, why, '-cert', '-add', '-db', at('other.p12'), '-pw', 'passw0rd', '-label', label, '-file', at('good.arm'));
    await refused(2, why, '-cert', '-rename', '-db', at('labels.p12'), '-stashed', '-label', 'good', '-new_label', label);
  });

  it.skipIf(!hasTool('openssl'))('a store written elsewhere with such a label still opens, and the label can be renamed to a good one', async () => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'odd.key', '-out', 'odd.pem', '-subj', '/CN=odd', '-days', '30');
    o('pkcs12', '-export', '-in', 'odd.pem', '-inkey', 'odd.key', '-name', 'odd\nname', '-out', 'odd.p12', '-passout', 'pass:passw0rd');
    const listing = JSON.parse(await ok('-cert', '-list', '-db', at('odd.p12'), '-pw', 'passw0rd', '-json'));
    expect(listing.entries.map((e: { label: string }) => e.label)).toEqual(['odd\nname']);
    // Importing it elsewhere would bring the label along: refused like any new label.
    await refused(2, why, '-cert', '-import', '-db', at('odd.p12'), '-pw', 'passw0rd', '-target', at('other.p12'), '-target_pw', 'passw0rd');
    await ok('-cert', '-rename', '-db', at('odd.p12'), '-pw', 'passw0rd', '-label', 'odd\nname', '-new_label', 'odd-name');
    expect(await ok('-cert', '-list', '-db', at('odd.p12'), '-pw', 'passw0rd')).toContain('-\todd-name');
  });
});

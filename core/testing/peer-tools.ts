/**
 * Test helpers for the real peers nobody here wrote: openssl, keytool, python3 (for
 * ../shared/tools/kdbcheck.py). Tests that need one skip, saying so, when it is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const found = new Map<string, boolean>();

/** True when `tool` runs on this machine. */
export function hasTool(tool: 'openssl' | 'keytool' | 'python3' | 'java'): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    const probe = tool === 'openssl' ? ['version'] : tool === 'python3' ? ['--version'] : ['-help'];
    ok = spawnSync(tool, probe, { stdio: 'ignore' }).error === undefined;
    found.set(tool, ok);
  }
  return ok;
}

/** A suffix for a test's name that says why it was skipped, or '' when `tool` is here. */
export function missingNote(tool: Parameters<typeof hasTool>[0]): string {
  return hasTool(tool) ? '' : ` (skipped: ${tool} is not installed)`;
}

/** Runs a peer tool and returns stdout; throws with its stderr when it fails. */
export function runTool(tool: string, args: string[], options: { cwd?: string; input?: string | Buffer } = {}): Buffer {
  try {
    return execFileSync(tool, args, { cwd: options.cwd, input: options.input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr?.toString() || err.message}`);
  }
}

/** A fresh temporary folder; call the returned `cleanup` in afterAll/afterEach. */
export function makeTempDir(prefix = 'keydesk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `../shared` beside the repository, where the GSKit fixtures and kdbcheck.py live. */
export const sharedDir = resolve(__dirname, '../../../shared');
export const kdbFixturesDir = join(sharedDir, 'fixtures/kdb');
export const kdbcheckPath = join(sharedDir, 'tools/kdbcheck.py');
export const haveKdbFixtures = existsSync(kdbFixturesDir);

/**
 * Copies a file as an operator's own writable copy (0600). The GSKit fixtures are
 * read-only (0444), and KeyDesk refuses to change a read-only store, as it should.
 */
export function copyWritable(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
}

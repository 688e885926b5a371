/**
 * CI's security gate for the Electron code: scripts/electronegativity.mjs must pass on
 * electron/ and must fail on a main process that turns the protections off (so a passing
 * run means the checks ran, not that the tool found nothing to read).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../scripts/electronegativity.mjs');
const runGate = (folder?: string) => spawnSync(process.execPath, folder ? [script, folder] : [script], { encoding: 'utf8', timeout: 120_000 });

const insecure = mkdtempSync(join(tmpdir(), 'keydesk-eng-'));
afterAll(() => rmSync(insecure, { recursive: true, force: true }));

describe('electronegativity gate', () => {
  it('finds nothing of HIGH severity in electron/', () => {
    const result = runGate();
    expect(result.stdout).toContain('OK: no finding of HIGH severity');
    expect(result.stdout).not.toContain('NOT PARSED');
    expect(result.status).toBe(0);
  });

  it('fails on a window without context isolation or navigation limits', () => {
    writeFileSync(
      join(insecure, 'main.ts'),
      [
        "import { app, BrowserWindow } from 'electron';",
        'app.whenReady().then(() => {',
        '  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
        "  void w.loadURL('http://example.com/');",
        '});',
      ].join('\n'),
    );
    const result = runGate(insecure);
    expect(result.stdout).toMatch(/HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(result.stdout).toContain('FAILED');
    expect(result.status).toBe(1);
  });
});

import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '../core/testing/peer-tools';

// bin/keydesk in a root of its own, with a stand-in bundle, to see which code it runs.
const temp = makeTempDir('keydesk-bin-');
afterAll(() => temp.cleanup());
const root = temp.dir;
for (const dir of ['bin', 'core', 'cli', 'server', '.cache/cli']) mkdirSync(join(root, dir), { recursive: true });
copyFileSync(resolve(__dirname, '../bin/keydesk'), join(root, 'bin/keydesk'));
const bundle = join(root, '.cache/cli/keydesk.cjs');

function writeBundle(word: string, mtime: Date): void {
  // Same length for every word: V8 alone would take one bundle's code cache for another's.
  writeFileSync(bundle, `exports.main = () => console.log(${JSON.stringify(word)} + ' ' + require('node:path').basename(__dirname));\n`);
  utimesSync(bundle, mtime, mtime);
}
const run = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(root, 'bin/keydesk')], { encoding: 'utf8', env: { ...process.env, KEYDESK_DEBUG: '', ...env } });
const caches = () => readdirSync(join(root, '.cache/cli')).filter((n) => n.endsWith('.v8cache'));

describe('bin/keydesk runs the bundle with a V8 code cache', () => {
  it('writes a cache on the first run and runs the same code with it', () => {
    writeBundle('alpha', new Date(2026, 0, 1));
    expect(run()).toMatchObject({ status: 0, stdout: 'alpha cli\n', stderr: '' });
    expect(caches()).toHaveLength(1);
    expect(run()).toMatchObject({ status: 0, stdout: 'alpha cli\n', stderr: '' });
    expect(caches()).toHaveLength(1);
  });

  it('runs a rebuilt bundle of the same length as it is, not the old code from the cache', () => {
    writeBundle('bravo', new Date(2026, 0, 2));
    expect(run()).toMatchObject({ status: 0, stdout: 'bravo cli\n' });
    expect(run()).toMatchObject({ status: 0, stdout: 'bravo cli\n' });
  });

  it('runs without the cache under KEYDESK_DEBUG=1 (source maps), with the same result', () => {
    expect(run({ KEYDESK_DEBUG: '1' })).toMatchObject({ status: 0, stdout: 'bravo cli\n' });
  });
});

describe('bin/keydesk runs the bundle only while no source it was built from is newer', () => {
  // No tsx in this root: where bin/keydesk turns to the sources, the run fails instead.
  const sourcesList = join(root, '.cache/cli/keydesk.sources.json');
  const source = join(root, 'core/store.ts');

  it('stats the sources the build listed: an edited one sends the call to the sources', () => {
    writeFileSync(source, 'export {};\n');
    utimesSync(source, new Date(2026, 0, 1), new Date(2026, 0, 1));
    writeFileSync(sourcesList, JSON.stringify(['core/store.ts']));
    writeBundle('charlie', new Date(2026, 0, 3));
    expect(run()).toMatchObject({ status: 0, stdout: 'charlie cli\n' });
    utimesSync(source, new Date(2026, 0, 4), new Date(2026, 0, 4));
    expect(run().stdout).not.toContain('charlie');
  });

  it('treats a listed source that is gone as changed', () => {
    writeFileSync(sourcesList, JSON.stringify(['core/removed.ts']));
    writeBundle('delta', new Date(2026, 0, 5));
    expect(run().stdout).not.toContain('delta');
  });

  it('without a list (an older build), walks the folders: a newer .ts anywhere counts', () => {
    rmSync(sourcesList);
    writeBundle('echo', new Date(2026, 0, 5));
    expect(run()).toMatchObject({ status: 0, stdout: 'echo cli\n' });
    writeFileSync(join(root, 'server/new.ts'), 'export {};\n');
    utimesSync(join(root, 'server/new.ts'), new Date(2026, 0, 6), new Date(2026, 0, 6));
    expect(run().stdout).not.toContain('echo');
  });
});

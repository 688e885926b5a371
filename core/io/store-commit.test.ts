/**
 * Readers and writers around an unfinished save: a reader never removes the temporary
 * files of a save still running (one writer's clean-up once deleted the other's), waits
 * for a running save's journal, and refuses plainly where a journal cannot be read.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { spawn } from 'node:child_process';
import { loadStore, storeFileSet } from '../api/store-files';
import { saveStore, withStoreLock } from '../api/store-writer';
import { createEmptyCmsStore } from '../formats/cms';
import { makeTempDir } from '../testing/peer-tools';
import { processToken, systemIo, systemProcessTable } from './file-system';
import { tryLockStore } from './store-lock';
import { commitStoreFiles } from './store-commit';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

async function newStore(name: string): Promise<string> {
  const path = join(temp.dir, name);
  await withStoreLock(path, () => saveStore(path, createEmptyCmsStore(), 'pw', { createOnly: true }));
  return path;
}

describe('a save in progress, seen from outside', () => {
  it("a reader leaves a running writer's temporary files alone", async () => {
    const path = await newStore('busy.kdb');
    const release = tryLockStore(storeFileSet(path).stem, systemIo) as () => void;
    const temporary = join(temp.dir, '.busy.keydesk-0123456789ab.busy.kdb.new');
    writeFileSync(temporary, 'half of a new key database');
    expect(loadStore(path, { password: 'pw' }).store.entries).toEqual([]);
    expect(existsSync(temporary)).toBe(true);
    release();
    // Once no one holds the lock, what is left is a dead save's, and the next open clears it.
    loadStore(path, { password: 'pw' });
    expect(existsSync(temporary)).toBe(false);
  });

  it("a reader waits while a running writer's journal is there, and reads the finished store", async () => {
    const path = await newStore('journal.kdb');
    const journal = join(temp.dir, '.journal.keydesk-journal');
    // Held by this (running) process; another process hands it over to a dead owner after
    // 300 ms, as a writer that was killed would leave it. Reading blocks, so it must be
    // another process that changes the file.
    writeFileSync(journal, JSON.stringify({ txid: 'x', owner: systemProcessTable.self(), renames: [], removes: [] }));
    const dead = JSON.stringify({ txid: 'x', owner: processToken(hostname(), 2 ** 30, 'x'), renames: [], removes: [] });
    const child = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(journal)}, ${JSON.stringify(dead)}), 300)`]);
    await new Promise((r) => child.once('spawn', r));
    const started = Date.now();
    loadStore(path, { password: 'pw' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(existsSync(journal)).toBe(false);
  });

  it('a journal that cannot be read is refused in one line, and nothing is guessed', async () => {
    const path = await newStore('torn.kdb');
    const journal = join(temp.dir, '.torn.keydesk-journal');
    writeFileSync(journal, '{"txid":');
    const before = readFileSync(path);
    expect(() => loadStore(path, { password: 'pw' })).toThrow(/its save journal .*torn\.keydesk-journal is unreadable, so an interrupted change cannot be completed safely/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(journal)).toBe(true);
  });
});

describe('a change to a file read moments ago is refused when the file changed since', () => {
  // The commit compares the disk with the bytes the caller read, 1 MB at a time, instead of
  // reading the file whole again: a change past the first piece, one of the same size, and
  // one that only grows the file must all still be seen.
  const original = (): Uint8Array => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    return bytes;
  };
  const commit = (path: string, read: Uint8Array) =>
    commitStoreFiles(storeFileSet(path), [{ path, bytes: Uint8Array.of(1, 2, 3) }], { expectedFiles: new Map([[path, read]]) }, systemIo);

  for (const [what, alter] of [
    ['one byte in the third megabyte, same length', (b: Buffer) => b.writeUInt8(b.readUInt8(2 * 1024 * 1024 + 5) ^ 1, 2 * 1024 * 1024 + 5)],
    ['the last byte, same length', (b: Buffer) => b.writeUInt8(b.readUInt8(b.length - 1) ^ 1, b.length - 1)],
    ['one byte appended', (b: Buffer) => Buffer.concat([b, Buffer.of(0)])],
    ['cut short by one byte', (b: Buffer) => b.subarray(0, b.length - 1)],
  ] as const) {
    it(`${what}: refused, nothing written`, () => {
      const path = join(temp.dir, `big-${what.replace(/\W+/g, '-')}.kdb`);
      const read = original();
      writeFileSync(path, read);
      const onDisk = Buffer.from(read);
      const changed = alter(onDisk);
      const other = typeof changed === 'number' ? onDisk : changed;
      writeFileSync(path, other);
      expect(() => commit(path, read)).toThrow(/changed on disk since it was opened; nothing was written/);
      expect(readFileSync(path).equals(other)).toBe(true);
      expect(readdirSync(temp.dir).filter((n) => n.startsWith('.big-') && !n.includes('keydesk-lock'))).toEqual([]);
    });
  }

  it('unchanged: committed, and the result holds the new bytes without reading them back', () => {
    const path = join(temp.dir, 'big-same.kdb');
    const read = original();
    writeFileSync(path, read);
    const result = commit(path, read);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect([...(result.files.get(path) ?? [])]).toEqual([1, 2, 3]);
  });
});

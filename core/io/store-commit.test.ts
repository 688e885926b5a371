/**
 * Readers and writers around an unfinished save: a reader never removes the temporary
 * files of a save still running (one writer's clean-up once deleted the other's), waits
 * for a running save's journal, and refuses plainly where a journal cannot be read.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { spawn } from 'node:child_process';
import { loadStore, storeFileSet } from '../api/store-files';
import { saveStore, withStoreLock } from '../api/store-writer';
import { createEmptyCmsStore } from '../formats/cms';
import { makeTempDir } from '../testing/peer-tools';
import { processToken, systemIo, systemProcessTable } from './file-system';
import { tryLockStore } from './store-lock';

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

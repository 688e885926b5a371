/**
 * The store lock cannot be taken twice: not by a second writer while the first holds it,
 * not by treating a live writer's entry as dead (an empty lock file once was), and a
 * dead writer's entry is taken over (issue 13, item 3).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeTempDir } from '../testing/peer-tools';
import { processToken, systemIo, systemProcessTable } from './file-system';
import { lockHolders, lockStore, tryLockStore, type StoreStem } from './store-lock';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const stem = (base: string): StoreStem => ({ dir: temp.dir, base, display: join(temp.dir, `${base}.kdb`) });
const entries = (base: string) => readdirSync(temp.dir).filter((n) => n.startsWith(`.${base}.keydesk-lock.`));

describe('the store lock', () => {
  it('is refused to a second writer while the first holds it, and free again after', () => {
    const first = tryLockStore(stem('one'), systemIo);
    expect(typeof first).toBe('function');
    const second = tryLockStore(stem('one'), systemIo);
    expect(second).toEqual({ heldBy: systemProcessTable.self() });
    // The refused writer leaves nothing behind; the holder's entry is the only one.
    expect(entries('one')).toHaveLength(1);
    (first as () => void)();
    expect(entries('one')).toEqual([]);
    const third = tryLockStore(stem('one'), systemIo);
    expect(typeof third).toBe('function');
    (third as () => void)();
  });

  it('counts an empty entry of a running process as held (its content is never what decides)', () => {
    // The old lock file was read for its pid; an empty one (created, pid not yet written)
    // looked dead and was deleted under the writer that was about to fill it.
    const live = join(temp.dir, `.empty.keydesk-lock.${systemProcessTable.self()}.abcd1234`);
    writeFileSync(live, '');
    expect(tryLockStore(stem('empty'), systemIo)).toEqual({ heldBy: systemProcessTable.self() });
    expect(entries('empty')).toEqual([`.empty.keydesk-lock.${systemProcessTable.self()}.abcd1234`]);
  });

  it('takes over the entry of a process that is gone, and removes it', () => {
    // A pid above any pid_max cannot be running: a writer killed with kill -9.
    const dead = processToken(hostname(), 2 ** 30, 'x');
    writeFileSync(join(temp.dir, `.dead.keydesk-lock.${dead}.0000ffff`), '{"pid":1073741824}');
    expect(lockHolders(stem('dead'), systemIo)).toEqual([]);
    const release = tryLockStore(stem('dead'), systemIo);
    expect(typeof release).toBe('function');
    expect(entries('dead')).toHaveLength(1);
    expect(entries('dead')[0]).toContain(systemProcessTable.self());
    (release as () => void)();
  });

  it('a pid now used by another program does not hold the lock (Linux: the start time differs)', () => {
    const reused = processToken(hostname(), process.pid, '0000000012345');
    expect(systemProcessTable.isRunning(reused)).toBe(process.platform !== 'linux');
  });

  it('an entry from another host is never taken over (KeyDesk cannot tell whether it runs)', () => {
    const elsewhere = processToken('another-host.example', 4242, 'x');
    expect(systemProcessTable.isRunning(elsewhere)).toBe(true);
  });

  it('a waiting writer gets the lock once the holder releases it, and gives up truthfully otherwise', async () => {
    const holder = tryLockStore(stem('wait'), systemIo) as () => void;
    setTimeout(holder, 150);
    const release = await lockStore(stem('wait'), systemIo, 5_000);
    release();
    const again = tryLockStore(stem('wait'), systemIo) as () => void;
    await expect(lockStore(stem('wait'), systemIo, 200)).rejects.toThrow(/is being changed by another KeyDesk \(process \d+\); nothing was written/);
    again();
  });

  it('of many writers in one process, exactly one holds it at a time', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await lockStore(stem('many'), systemIo, 10_000);
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
        release();
      }),
    );
    expect(most).toBe(1);
    expect(entries('many')).toEqual([]);
  });
});

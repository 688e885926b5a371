/** Open Recent remembers opened stores only, newest first, and survives a bad file. */
import { describe, it, expect, vi, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyDeskApi } from '../core/api/contract';
import { RecentStores, maxRecentStores, rememberingOpenedStores } from './recent-stores';

vi.mock('electron', () => ({}));

const dir = mkdtempSync(join(tmpdir(), 'keydesk-recent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RecentStores', () => {
  it('keeps the newest first, without duplicates, at most ten', () => {
    const file = join(dir, 'a.json');
    const recent = new RecentStores(file);
    for (let i = 0; i < 12; i++) recent.add(`/stores/${i}.kdb`);
    recent.add('/stores/5.kdb');
    expect(recent.list()[0]).toBe('/stores/5.kdb');
    expect(recent.list()).toHaveLength(maxRecentStores);
    expect(new Set(recent.list()).size).toBe(maxRecentStores);
    expect(new RecentStores(file).list()).toEqual(recent.list());
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('clears', () => {
    const file = join(dir, 'b.json');
    const recent = new RecentStores(file);
    recent.add('/x.p12');
    recent.clear();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('starts empty from a damaged or foreign file', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, '{not json');
    expect(new RecentStores(file).list()).toEqual([]);
    writeFileSync(file, JSON.stringify(['/ok.kdb', 42, { path: '/no' }]));
    expect(new RecentStores(file).list()).toEqual(['/ok.kdb']);
  });
});

describe('rememberingOpenedStores', () => {
  it('notes stores that opened and passes every other call through', async () => {
    const service = {
      prefix: 'svc',
      openStore: vi.fn(async ({ path }: { path: string }) => {
        if (path.includes('bad')) throw new Error('wrong password');
        return { storeId: '1', path, format: 'cms', properties: {}, entries: [] };
      }),
      closeStore: vi.fn(async function (this: { prefix: string }) {
        return { closed: this.prefix === 'svc' };
      }),
    } as unknown as KeyDeskApi;
    const opened: string[] = [];
    const api = rememberingOpenedStores(service, (p) => opened.push(p));
    await api.openStore({ path: '/good.kdb', stashed: true });
    await expect(api.openStore({ path: '/bad.kdb', password: 'x' })).rejects.toThrow('wrong password');
    expect(opened).toEqual(['/good.kdb']);
    expect(await api.closeStore({ storeId: '1' })).toEqual({ closed: true });
  });
});

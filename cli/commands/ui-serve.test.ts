/** -ui -serve -db: the page finds the store opened at start without ever holding its password. */
import { describe, it, expect, vi } from 'vitest';
import type { KeyDeskApi, StoreView } from '../../core/api/contract';
import { withStoreOpenedAtStart } from './ui-serve';

const opened: StoreView = { storeId: 'at-start', path: '/var/mqm/key.kdb', format: 'cms', properties: {}, entries: [] };

function service() {
  return {
    openStore: vi.fn(async ({ path }: { path: string }) => ({ ...opened, storeId: 'fresh', path })),
    closeStore: vi.fn(async () => ({ closed: true })),
    listDirectory: vi.fn(async function (this: unknown) {
      return { path: '/', entries: [], self: this };
    }),
  };
}

describe('withStoreOpenedAtStart', () => {
  it('answers an openStore of that path without credentials with the open store', async () => {
    const inner = service();
    const api = withStoreOpenedAtStart(inner as unknown as KeyDeskApi, opened);
    expect(await api.openStore({ path: '/var/mqm/key.kdb' })).toBe(opened);
    expect(inner.openStore).not.toHaveBeenCalled();
  });

  it('sends everything else to the service: other paths, and any call with credentials', async () => {
    const inner = service();
    const api = withStoreOpenedAtStart(inner as unknown as KeyDeskApi, opened);
    expect((await api.openStore({ path: '/other.p12' })).storeId).toBe('fresh');
    expect((await api.openStore({ path: '/var/mqm/key.kdb', password: 'x' })).storeId).toBe('fresh');
    expect((await api.openStore({ path: '/var/mqm/key.kdb', stashed: true })).storeId).toBe('fresh');
    const listing = (await api.listDirectory({})) as unknown as { self: unknown };
    expect(listing.self).toBe(inner);
  });

  it('forgets the store once the page closes it', async () => {
    const inner = service();
    const api = withStoreOpenedAtStart(inner as unknown as KeyDeskApi, opened);
    await api.closeStore({ storeId: 'at-start' });
    expect(inner.closeStore).toHaveBeenCalledWith({ storeId: 'at-start' });
    expect((await api.openStore({ path: '/var/mqm/key.kdb' })).storeId).toBe('fresh');
  });
});

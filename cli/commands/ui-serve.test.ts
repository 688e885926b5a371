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

  it('forgets the store when a reloaded page resumes (the service closed it)', async () => {
    const inner = { ...service(), recentStores: vi.fn(async () => ({ stores: [], startFolder: '/' })) };
    const api = withStoreOpenedAtStart(inner as unknown as KeyDeskApi, opened);
    await api.recentStores({});
    expect(await api.openStore({ path: '/var/mqm/key.kdb' })).toBe(opened);
    await api.recentStores({ resume: true });
    expect(inner.recentStores).toHaveBeenCalledWith({ resume: true });
    expect((await api.openStore({ path: '/var/mqm/key.kdb' })).storeId).toBe('fresh');
  });

  it('forgets the store once the page closes it', async () => {
    const inner = service();
    const api = withStoreOpenedAtStart(inner as unknown as KeyDeskApi, opened);
    await api.closeStore({ storeId: 'at-start' });
    expect(inner.closeStore).toHaveBeenCalledWith({ storeId: 'at-start' });
    expect((await api.openStore({ path: '/var/mqm/key.kdb' })).storeId).toBe('fresh');
  });
});

describe('-ui -serve where the UI was never built', () => {
  // The README's headless form after a clone whose build folder is missing: serve builds
  // the page first, then serves it. The build goes to a folder of this test's own.
  it('builds the page into the missing folder, then serves it and the API', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join, resolve } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-ui-'));
    const uiDir = join(dir, 'not-built-yet');
    const child = spawn(process.execPath, [resolve(__dirname, '../../bin/keydesk'), '-ui', '-serve', '-port', '0'], {
      env: { ...process.env, KEYDESK_UI_DIR: uiDir, KEYDESK_TOKEN: 'unbuilt-test-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((found, failed) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /KeyDesk UI: (\S+)/.exec(output);
          if (match) found(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code) => failed(new Error(`keydesk -ui -serve ended (${code}): ${output}`)));
      });
      expect(output).toMatch(/Building the UI into .*not-built-yet/);
      expect(existsSync(join(uiDir, 'index.html'))).toBe(true);
      const origin = new URL(url).origin;
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      const api = await fetch(`${origin}/api/recentStores`, { method: 'POST', headers: { 'X-KeyDesk-Token': 'unbuilt-test-token' }, body: '{}' });
      expect(await api.json()).toMatchObject({ ok: true, value: { stores: [] } });
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

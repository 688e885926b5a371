/** The main process answers only its own windows, one handler per operation. */
import { describe, it, expect, vi } from 'vitest';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { operationNames, type KeyDeskApi } from '../core/api/contract';
import { registerIpcHandlers, trustedSenderCheck } from './ipc-handlers';

vi.mock('electron', () => ({}));

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>>();
  const ipcMain = { handle: (channel: string, fn: never) => handlers.set(channel, fn) } as unknown as IpcMain;
  return { ipcMain, handlers };
}

const eventFrom = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

describe('IPC handlers', () => {
  const api = {
    openStore: vi.fn(async () => ({ storeId: 's1', path: '/x.p12', format: 'pkcs12', properties: {}, entries: [] })),
    closeStore: vi.fn(async () => ({ closed: true })),
    entryDetails: vi.fn(),
  } as unknown as KeyDeskApi;
  const { ipcMain, handlers } = fakeIpcMain();
  registerIpcHandlers(ipcMain, api, trustedSenderCheck((url) => url.startsWith('file:///app/')));

  it('registers one channel per operation', () => {
    expect([...handlers.keys()].sort()).toEqual(operationNames.map((n) => `keydesk:${n}`).sort());
  });

  it('answers the app window', async () => {
    const result = await handlers.get('keydesk:openStore')!(eventFrom('file:///app/index.html'), { path: '/x.p12', password: 'p' });
    expect(result).toMatchObject({ ok: true, value: { storeId: 's1' } });
  });

  it('drops requests from other pages and from subframes', async () => {
    const foreign = await handlers.get('keydesk:openStore')!(eventFrom('https://evil.example/'), {});
    const subframe = await handlers.get('keydesk:openStore')!(eventFrom('file:///app/index.html', {}), {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(subframe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(api.openStore).toHaveBeenCalledTimes(1);
  });
});

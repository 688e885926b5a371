/** Native dialogs: the window asks by kind and title, gets a path or nothing, and nothing else. */
import { describe, it, expect, vi } from 'vitest';
import type { BaseWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { chooseFile, filtersFor, registerFileDialogHandler } from './file-dialogs';
import { shellChannels } from './shell-api';

vi.mock('electron', () => ({}));

const window = {} as BaseWindow;

function fakeDialog(result: { open?: string[]; save?: string; canceled?: boolean }) {
  return {
    showOpenDialog: vi.fn(async () => ({ canceled: Boolean(result.canceled), filePaths: result.open ?? [] })),
    showSaveDialog: vi.fn(async () => ({ canceled: Boolean(result.canceled), filePath: result.save ?? '' })),
  } as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'> & { showOpenDialog: ReturnType<typeof vi.fn>; showSaveDialog: ReturnType<typeof vi.fn> };
}

describe('chooseFile', () => {
  it('opens with key-store filters and returns the chosen path', async () => {
    const dialog = fakeDialog({ open: ['/var/mqm/key.kdb'] });
    const chosen = await chooseFile(dialog, window, { mode: 'open', title: 'Open key database', kind: 'key-store', defaultPath: '/var/mqm' });
    expect(chosen).toBe('/var/mqm/key.kdb');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(window, {
      title: 'Open key database',
      defaultPath: '/var/mqm',
      filters: filtersFor('key-store'),
      properties: ['openFile'],
    });
    expect(filtersFor('key-store')[0]!.extensions).toEqual(['kdb', 'p12', 'pfx', 'jks', 'jceks']);
  });

  it('saves, asking before overwriting', async () => {
    const dialog = fakeDialog({ save: '/tmp/qm1.arm' });
    expect(await chooseFile(dialog, window, { mode: 'save', title: 'Extract certificate', kind: 'certificate' })).toBe('/tmp/qm1.arm');
    expect(dialog.showSaveDialog.mock.calls[0]![1].properties).toContain('showOverwriteConfirmation');
  });

  it('chooses a folder, without file filters', async () => {
    const dialog = fakeDialog({ open: ['/var/mqm/qmgrs'] });
    expect(await chooseFile(dialog, window, { mode: 'folder', title: 'Scan a folder', kind: 'key-store', defaultPath: '/var/mqm' })).toBe('/var/mqm/qmgrs');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(window, { title: 'Scan a folder', defaultPath: '/var/mqm', properties: ['openDirectory'] });
  });

  it('returns nothing when cancelled', async () => {
    expect(await chooseFile(fakeDialog({ canceled: true }), window, { mode: 'open', title: 't', kind: 'any' })).toBeUndefined();
    expect(await chooseFile(fakeDialog({ canceled: true }), window, { mode: 'save', title: 't', kind: 'any' })).toBeUndefined();
  });
});

describe('registerFileDialogHandler', () => {
  function setUp(trusted: boolean) {
    let handler: ((event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>) | undefined;
    const ipcMain = { handle: (channel: string, fn: never) => channel === shellChannels.chooseFile && (handler = fn) } as unknown as IpcMain;
    const dialog = fakeDialog({ open: ['/chosen.kdb'] });
    registerFileDialogHandler(
      ipcMain,
      dialog,
      () => window,
      () => trusted,
    );
    return { call: (request: unknown) => handler!({} as IpcMainInvokeEvent, request), dialog };
  }

  it('answers a well-formed request from our window', async () => {
    const { call } = setUp(true);
    expect(await call({ mode: 'open', title: 'Open key database', kind: 'key-store' })).toBe('/chosen.kdb');
  });

  it('shows no dialog for a foreign sender or a malformed request', async () => {
    const foreign = setUp(false);
    expect(await foreign.call({ mode: 'open', title: 'x', kind: 'any' })).toBeUndefined();
    const trusted = setUp(true);
    for (const bad of [
      null,
      'open',
      { mode: 'delete', title: 'x', kind: 'any' },
      { mode: 'open', title: 'x', kind: 'keys' },
      { mode: 'open', title: 1, kind: 'any' },
    ]) {
      expect(await trusted.call(bad)).toBeUndefined();
    }
    expect(foreign.dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(trusted.dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});

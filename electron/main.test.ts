/**
 * The main process wired together, with Electron mocked: a secure window, the contract and
 * the file dialog on IPC, the menu installed, files from the command line handed to the
 * page once it has loaded, and a second launch joining the first.
 */
import { describe, it, expect, vi, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationNames } from '../core/api/contract';
import { shellChannels } from './shell-api';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const appListeners = new Map<string, Listener>();
  const windows: FakeWindow[] = [];
  class FakeWindow {
    static getAllWindows = () => windows;
    static getFocusedWindow = () => null;
    static fromWebContents = () => windows[0] ?? null;
    options: Record<string, unknown>;
    loaded?: { file?: string; url?: string };
    sent: [string, unknown][] = [];
    contentsOnce = new Map<string, Listener>();
    webContents = {
      send: (channel: string, value: unknown) => this.sent.push([channel, value]),
      once: (name: string, fn: Listener) => this.contentsOnce.set(name, fn),
    };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      windows.push(this);
    }
    once() {}
    on() {}
    isDestroyed = () => false;
    isMinimized = () => false;
    focus = vi.fn();
    loadFile = (file: string) => ((this.loaded = { file }), Promise.resolve());
    loadURL = (url: string) => ((this.loaded = { url }), Promise.resolve());
  }
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => (readyResolve = r));
  return {
    appListeners,
    windows,
    readyResolve,
    ipcHandlers: new Map<string, unknown>(),
    menuTemplate: undefined as unknown,
    session: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    },
    FakeWindow,
    ready,
    userData: '',
  };
});

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => true,
    on: (name: string, fn: (...args: unknown[]) => void) => electron.appListeners.set(name, fn),
    whenReady: () => electron.ready,
    getPath: () => electron.userData,
    getName: () => 'KeyDesk',
    getVersion: () => '0.1.0',
    isPackaged: true,
    addRecentDocument: vi.fn(),
    clearRecentDocuments: vi.fn(),
    quit: vi.fn(),
  },
  BrowserWindow: electron.FakeWindow,
  ipcMain: { handle: (channel: string, fn: unknown) => electron.ipcHandlers.set(channel, fn) },
  dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showMessageBox: vi.fn() },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (electron.menuTemplate = m) },
  session: { defaultSession: electron.session },
}));

beforeAll(async () => {
  electron.userData = mkdtempSync(join(tmpdir(), 'keydesk-userdata-'));
  vi.stubGlobal('MAIN_WINDOW_VITE_DEV_SERVER_URL', undefined);
  vi.stubGlobal('MAIN_WINDOW_VITE_NAME', 'main_window');
  const argv = process.argv;
  process.argv = ['/opt/KeyDesk/keydesk-app', '/var/mqm/ssl/key.kdb'];
  await import('./main');
  process.argv = argv;
  electron.readyResolve();
  await new Promise((r) => setTimeout(r, 0));
});

describe('main process', () => {
  it('opens one isolated, sandboxed window without Node', () => {
    expect(electron.windows).toHaveLength(1);
    const prefs = electron.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(prefs.preload)).toMatch(/preload\.js$/);
    expect(electron.windows[0]!.loaded?.file).toMatch(/renderer\/main_window\/index\.html$/);
  });

  it('answers the contract and the file dialog on IPC', () => {
    for (const name of operationNames) expect(electron.ipcHandlers.has(`keydesk:${name}`)).toBe(true);
    expect(electron.ipcHandlers.has(shellChannels.chooseFile)).toBe(true);
  });

  it('locks down the session and installs the menu', () => {
    expect(electron.session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(electron.session.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect((electron.menuTemplate as { label?: string }[]).map((m) => m.label)).toEqual(expect.arrayContaining(['File', 'Create', 'View', 'Help']));
    expect(electron.appListeners.has('web-contents-created')).toBe(true);
  });

  it('hands the command-line store to the page once it has loaded, and a second launch too', () => {
    const window = electron.windows[0]!;
    expect(window.sent).toEqual([]);
    window.contentsOnce.get('did-finish-load')!();
    expect(window.sent).toEqual([[shellChannels.command, { type: 'open-path', path: '/var/mqm/ssl/key.kdb' }]]);
    electron.appListeners.get('second-instance')!({}, ['/opt/KeyDesk/keydesk-app', 'client.p12'], '/home/mq');
    expect(window.sent.at(-1)).toEqual([shellChannels.command, { type: 'open-path', path: '/home/mq/client.p12' }]);
    expect(window.focus).toHaveBeenCalled();
  });

  it('refuses the contract to pages that are not its own', async () => {
    const handler = electron.ipcHandlers.get('keydesk:listDirectory') as (event: unknown, request: unknown) => Promise<unknown>;
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

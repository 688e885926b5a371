/**
 * The KeyDesk window. The page is untrusted as far as the main process is concerned: it
 * runs isolated and sandboxed, without Node, and reaches key stores only through the
 * preload's contract methods.
 */
import { BrowserWindow } from 'electron';
import type { ShellCommand } from './shell-api';
import { shellChannels } from './shell-api';

export interface MainWindowOptions {
  preloadPath: string;
  /** The renderer's dev-server URL (forge start) or its built index.html. */
  page: { url: string } | { file: string };
  onClosed?: () => void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 640,
    minHeight: 480,
    title: 'KeyDesk',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise open links in new windows (Electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (options.onClosed) window.on('closed', options.onClosed);
  if ('url' in options.page) void window.loadURL(options.page.url);
  else void window.loadFile(options.page.file);
  return window;
}

export function sendCommand(window: Pick<BrowserWindow, 'webContents' | 'isDestroyed'>, command: ShellCommand): void {
  if (!window.isDestroyed()) window.webContents.send(shellChannels.command, command);
}

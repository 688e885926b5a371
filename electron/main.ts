/**
 * Electron main process: owns key-store files and crypto; the window only sees metadata.
 * One window holds every open store as a tab; a second launch hands its files to it.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import path from 'node:path';
import { KeyDeskService } from '../core/api/service';
import { registerIpcHandlers, trustedSenderCheck } from './ipc-handlers';
import { buildMenuTemplate } from './app-menu';
import { registerFileDialogHandler } from './file-dialogs';
import { PendingPaths, storePathsFromArgv } from './launch-paths';
import { createMainWindow, sendCommand } from './main-window';
import { RecentStores, rememberingOpenedStores } from './recent-stores';
import { hardenSession, hardenWebContents } from './window-security';
import type { ShellCommand } from './shell-api';

// MAIN_WINDOW_VITE_DEV_SERVER_URL and MAIN_WINDOW_VITE_NAME are set by Forge's Vite
// plugin at build time (declared in forge-env.d.ts); the URL is empty in a packaged app.
// e2e/electron-app.ts sets them the same way when it builds the unpackaged app.

const rendererFile = () => path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);

function isOwnUrl(url: string): boolean {
  if (MAIN_WINDOW_VITE_DEV_SERVER_URL) return url.startsWith(MAIN_WINDOW_VITE_DEV_SERVER_URL);
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' && decodeURIComponent(parsed.pathname).endsWith(`/renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
  } catch {
    return false;
  }
}

const pendingPaths = new PendingPaths();
let mainWindow: BrowserWindow | undefined;

// One app, one window: a store opened from the file manager joins the open ones as a tab.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingPaths.add(storePathsFromArgv(process.argv, { workingDirectory: process.cwd(), defaultApp: Boolean(process.defaultApp) }));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    pendingPaths.add(storePathsFromArgv(argv, { workingDirectory, defaultApp: Boolean(process.defaultApp) }));
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  // macOS delivers files opened with the app (Finder, dock) this way, possibly before ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    pendingPaths.add([file]);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isOwnUrl));
  void app.whenReady().then(start);
}

function send(command: ShellCommand): void {
  const window = BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (window) sendCommand(window, command);
}

function start(): void {
  hardenSession(session.defaultSession, isOwnUrl, { addCspHeader: !MAIN_WINDOW_VITE_DEV_SERVER_URL });
  const recent = new RecentStores(path.join(app.getPath('userData'), 'recent-stores.json'));
  const installMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          appName: app.getName(),
          platform: process.platform,
          recentStores: recent.list(),
          isPackaged: app.isPackaged,
          send,
          clearRecentStores: () => {
            recent.clear();
            app.clearRecentDocuments();
            installMenu();
          },
          showAbout: () => {
            void dialog.showMessageBox({
              type: 'info',
              title: `About ${app.getName()}`,
              message: `${app.getName()} ${app.getVersion()}`,
              detail: 'Key stores for IBM MQ: CMS (.kdb), PKCS#12, JKS and JCEKS. Open source (Apache-2.0).',
            });
          },
        }),
      ),
    );
  installMenu();

  const api = rememberingOpenedStores(new KeyDeskService(), (opened) => {
    recent.add(opened);
    app.addRecentDocument(opened);
    installMenu();
  });
  const isTrustedSender = trustedSenderCheck(isOwnUrl);
  registerIpcHandlers(ipcMain, api, isTrustedSender);
  registerFileDialogHandler(ipcMain, dialog, (event) => BrowserWindow.fromWebContents(event.sender), isTrustedSender);

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

function openWindow(): void {
  const window = createMainWindow({
    preloadPath: path.join(__dirname, 'preload.js'),
    page: MAIN_WINDOW_VITE_DEV_SERVER_URL ? { url: MAIN_WINDOW_VITE_DEV_SERVER_URL } : { file: rendererFile() },
    onClosed: () => {
      pendingPaths.disconnect();
      mainWindow = undefined;
    },
  });
  mainWindow = window;
  // The page subscribes to commands while its scripts run, before the load finishes.
  window.webContents.once('did-finish-load', () => pendingPaths.connect((p) => sendCommand(window, { type: 'open-path', path: p })));
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

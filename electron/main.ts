/**
 * Electron main process: owns key-store files and crypto; windows only see metadata.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import path from 'node:path';
import { KeyDeskService } from '../core/api/service';
import { registerIpcHandlers, trustedSenderCheck } from './ipc-handlers';
import { contentSecurityPolicy } from '../renderer/content-security-policy';

// MAIN_WINDOW_VITE_DEV_SERVER_URL and MAIN_WINDOW_VITE_NAME are set by Forge's Vite
// plugin at build time (declared in forge-env.d.ts); the URL is empty in a packaged app.

const rendererFile = () => path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);

function isOwnUrl(url: string): boolean {
  if (MAIN_WINDOW_VITE_DEV_SERVER_URL) return url.startsWith(MAIN_WINDOW_VITE_DEV_SERVER_URL);
  return url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).endsWith(`/renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'KeyDesk',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // Key stores are local files: nothing in the window may navigate away or open others.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (MAIN_WINDOW_VITE_DEV_SERVER_URL) void window.loadURL(MAIN_WINDOW_VITE_DEV_SERVER_URL);
  else void window.loadFile(rendererFile());
}

void app.whenReady().then(() => {
  if (!MAIN_WINDOW_VITE_DEV_SERVER_URL) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });
  }
  registerIpcHandlers(ipcMain, new KeyDeskService(), trustedSenderCheck(isOwnUrl));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

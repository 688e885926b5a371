/**
 * The native menu bar, laid out as iKeyman's (Key Database File, Create, View, Help) but
 * named as desktop apps name things. Every KeyDesk item only sends a typed command to the
 * focused window; the window decides what to do, so the menu and the window's own buttons
 * cannot drift apart. Built as a plain template so it can be tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellCommand } from './shell-api';

export interface MenuContext {
  appName: string;
  platform: NodeJS.Platform;
  /** Most recent first. */
  recentStores: readonly string[];
  /** Developer tools only in an unpackaged build: a packaged app holding keys has no console. */
  isPackaged: boolean;
  send(command: ShellCommand): void;
  clearRecentStores(): void;
  showAbout(): void;
}

export function buildMenuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  const isMac = context.platform === 'darwin';
  const item = (label: string, command: ShellCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => context.send(command),
  });

  const openRecent: MenuItemConstructorOptions[] =
    context.recentStores.length === 0
      ? [{ label: 'No recent key stores', enabled: false }]
      : [
          ...context.recentStores.map((path) => item(path, { type: 'open-path', path })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => context.clearRecentStores() },
        ];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New…', { type: 'new-store' }, 'CmdOrCtrl+N'),
      item('Open…', { type: 'open-store' }, 'CmdOrCtrl+O'),
      // iKeyman's Key Database File → Open cryptographic token: a PKCS#11 token as a store.
      item('Open Cryptographic Token…', { type: 'open-token' }),
      { label: 'Open Recent', submenu: openRecent },
      item('Close', { type: 'close-store' }, 'CmdOrCtrl+W'),
      { type: 'separator' },
      // KeyStore Explorer's Examine File: no store needs to be open.
      item('Examine Certificate…', { type: 'examine-certificate' }, 'CmdOrCtrl+E'),
      { type: 'separator' },
      item('Save As / Convert…', { type: 'save-as' }, 'CmdOrCtrl+Shift+S'),
      item('Change Password…', { type: 'change-password' }),
      item('Stash Password…', { type: 'stash-password' }),
      ...(isMac ? [] : [{ type: 'separator' } as const, { label: 'Quit', role: 'quit', accelerator: 'Ctrl+Q' } as const]),
    ],
  };

  const create: MenuItemConstructorOptions = {
    label: 'Create',
    submenu: [item('New Self-Signed…', { type: 'new-self-signed' }), item('New Request…', { type: 'new-request' })],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Personal Certificates', { type: 'show-pane', pane: 'personal' }, 'CmdOrCtrl+1'),
      item('Signer Certificates', { type: 'show-pane', pane: 'signer' }, 'CmdOrCtrl+2'),
      item('Personal Certificate Requests', { type: 'show-pane', pane: 'request' }, 'CmdOrCtrl+3'),
      { type: 'separator' },
      item('View Details', { type: 'view-details' }, 'CmdOrCtrl+I'),
      { type: 'separator' },
      // Projector-sized text for classes: zoom is the trainer's main control.
      { role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
      { role: 'zoomOut' },
      { role: 'resetZoom' },
      { role: 'togglefullscreen' },
      ...(context.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const]),
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: 'Help',
    submenu: [
      item('Keyboard Shortcuts', { type: 'show-shortcuts' }, 'F1'),
      ...(isMac ? [] : [{ label: `About ${context.appName}`, click: () => context.showAbout() }]),
    ],
  };

  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  const appMenu: MenuItemConstructorOptions[] = isMac ? [{ role: 'appMenu' }] : [];
  return [...appMenu, file, edit, create, view, ...(isMac ? [{ role: 'windowMenu' } as const] : []), help];
}

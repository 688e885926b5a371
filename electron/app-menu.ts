/**
 * The native menu bar, laid out as iKeyman's (Key Database File, Create, View, Help) but
 * named as desktop apps name things, with a Certificate menu for the panes' buttons on the
 * selected entry, which iKeyman has only as buttons. Every KeyDesk item only sends a typed command to the
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
      item('Open Read-Only…', { type: 'open-read-only' }),
      // iKeyman's Key Database File → Open cryptographic token: a PKCS#11 token as a store.
      item('Open Cryptographic Token…', { type: 'open-token' }),
      { label: 'Open Recent', submenu: openRecent },
      item('Close', { type: 'close-store' }, 'CmdOrCtrl+W'),
      { type: 'separator' },
      // KeyStore Explorer's Examine File: no store needs to be open.
      item('Examine Certificate File…', { type: 'examine-certificate' }, 'CmdOrCtrl+E'),
      item('Examine Clipboard…', { type: 'examine-clipboard' }),
      // A live queue manager's listener: what it presents and asks for (issue 17).
      item('Examine TLS Endpoint…', { type: 'examine-tls-endpoint' }),
      // A help desk's sweep of a server: every store under a folder, read only.
      item('Scan Folder…', { type: 'scan-folder' }),
      { type: 'separator' },
      item('Save As / Convert…', { type: 'save-as' }, 'CmdOrCtrl+Shift+S'),
      item('Change Password…', { type: 'change-password' }),
      item('Stash Password…', { type: 'stash-password' }),
      item('Export List…', { type: 'export-list' }),
      { type: 'separator' },
      // A file a text-mode transfer damaged: no store needs to be open, and it is not opened.
      item('Repair…', { type: 'repair' }),
      ...(isMac ? [] : [{ type: 'separator' } as const, { label: 'Quit', role: 'quit', accelerator: 'Ctrl+Q' } as const]),
    ],
  };

  const create: MenuItemConstructorOptions = {
    label: 'Create',
    submenu: [
      item('New Self-Signed…', { type: 'new-self-signed' }),
      item('New Request…', { type: 'new-request' }),
      { type: 'separator' },
      // What arrives from outside: Personal Certificates' Receive and Import, Signer Certificates' Add and Populate.
      item('Receive…', { type: 'entry-action', action: 'receive' }),
      item('Import…', { type: 'entry-action', action: 'import' }),
      item('Add…', { type: 'entry-action', action: 'add' }),
      item('Populate…', { type: 'entry-action', action: 'populate' }),
    ],
  };

  // The pane's buttons for the selected entry; no Delete key accelerator, which a text field needs.
  const certificate: MenuItemConstructorOptions = {
    label: 'Certificate',
    submenu: [
      item('Validate', { type: 'entry-action', action: 'validate' }),
      item('Extract…', { type: 'entry-action', action: 'extract' }),
      item('Export…', { type: 'entry-action', action: 'export' }),
      item('Recreate Request…', { type: 'entry-action', action: 'recreate' }),
      item('Set as Default…', { type: 'entry-action', action: 'set-default' }),
      item('Sign…', { type: 'entry-action', action: 'sign' }),
      { type: 'separator' },
      item('Rename…', { type: 'entry-action', action: 'rename' }),
      item('Delete…', { type: 'entry-action', action: 'delete' }),
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Personal Certificates', { type: 'show-pane', pane: 'personal' }, 'CmdOrCtrl+1'),
      item('Signer Certificates', { type: 'show-pane', pane: 'signer' }, 'CmdOrCtrl+2'),
      item('Personal Certificate Requests', { type: 'show-pane', pane: 'request' }, 'CmdOrCtrl+3'),
      item('Doctor', { type: 'show-tool', tool: 'doctor' }, 'CmdOrCtrl+4'),
      item('Validity Timeline', { type: 'show-tool', tool: 'timeline' }, 'CmdOrCtrl+5'),
      { type: 'separator' },
      item('View Details', { type: 'view-details' }, 'CmdOrCtrl+I'),
      item('Columns…', { type: 'choose-columns' }),
      { type: 'separator' },
      // Exchange mode: two stores, then what the bar under them does.
      item('Side by Side', { type: 'side-by-side' }),
      item('Exchange Signers…', { type: 'exchange-action', action: 'exchange-signers' }),
      item('Test Connection…', { type: 'exchange-action', action: 'test-connection' }),
      item('Compare', { type: 'exchange-action', action: 'compare' }),
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
  return [...appMenu, file, edit, create, certificate, view, ...(isMac ? [{ role: 'windowMenu' } as const] : []), help];
}

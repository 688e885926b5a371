/** The menu bar: iKeyman's items, each sending one typed command; no dev tools when packaged. */
import { describe, it, expect, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuContext } from './app-menu';
import type { ShellCommand } from './shell-api';

vi.mock('electron', () => ({}));

function context(overrides: Partial<MenuContext> = {}) {
  const sent: ShellCommand[] = [];
  const ctx: MenuContext = {
    appName: 'KeyDesk',
    platform: 'linux',
    recentStores: [],
    isPackaged: true,
    send: (c) => sent.push(c),
    clearRecentStores: vi.fn(),
    showAbout: vi.fn(),
    ...overrides,
  };
  return { ctx, sent };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === label);
  if (!menu) throw new Error(`no ${label} menu`);
  return menu.submenu as MenuItemConstructorOptions[];
}

const labels = (items: MenuItemConstructorOptions[]) => items.filter((i) => i.label).map((i) => i.label);
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as () => void)();

describe('application menu', () => {
  it('has the File items of iKeyman, in order', () => {
    const { ctx } = context();
    expect(labels(submenu(buildMenuTemplate(ctx), 'File'))).toEqual([
      'New…',
      'Open…',
      'Open Recent',
      'Close',
      'Examine Certificate…',
      'Save As / Convert…',
      'Change Password…',
      'Stash Password…',
      'Quit',
    ]);
  });

  it('has Create, View and Help', () => {
    const { ctx } = context();
    const template = buildMenuTemplate(ctx);
    expect(labels(submenu(template, 'Create'))).toEqual(['New Self-Signed…', 'New Request…']);
    expect(labels(submenu(template, 'View'))).toEqual(['Personal Certificates', 'Signer Certificates', 'Personal Certificate Requests', 'View Details']);
    expect(labels(submenu(template, 'Help'))).toEqual(['Keyboard Shortcuts', 'About KeyDesk']);
  });

  it('sends each item as a typed command', () => {
    const { ctx, sent } = context();
    const template = buildMenuTemplate(ctx);
    for (const label of ['New…', 'Open…', 'Close', 'Examine Certificate…', 'Save As / Convert…', 'Change Password…', 'Stash Password…']) {
      click(submenu(template, 'File').find((i) => i.label === label));
    }
    click(submenu(template, 'Create').find((i) => i.label === 'New Self-Signed…'));
    click(submenu(template, 'Create').find((i) => i.label === 'New Request…'));
    click(submenu(template, 'View').find((i) => i.label === 'Signer Certificates'));
    expect(sent).toEqual([
      { type: 'new-store' },
      { type: 'open-store' },
      { type: 'close-store' },
      { type: 'examine-certificate' },
      { type: 'save-as' },
      { type: 'change-password' },
      { type: 'stash-password' },
      { type: 'new-self-signed' },
      { type: 'new-request' },
      { type: 'show-pane', pane: 'signer' },
    ]);
  });

  it('lists recent stores, opens one by path, and can clear them', () => {
    const { ctx, sent } = context({ recentStores: ['/var/mqm/qmgrs/QM1/ssl/key.kdb', '/home/mq/client.p12'] });
    const recent = submenu(submenu(buildMenuTemplate(ctx), 'File'), 'Open Recent');
    expect(labels(recent)).toEqual(['/var/mqm/qmgrs/QM1/ssl/key.kdb', '/home/mq/client.p12', 'Clear Recent']);
    click(recent[1]);
    expect(sent).toEqual([{ type: 'open-path', path: '/home/mq/client.p12' }]);
    click(recent.find((i) => i.label === 'Clear Recent'));
    expect(ctx.clearRecentStores).toHaveBeenCalledOnce();
  });

  it('says so when there is nothing recent', () => {
    const { ctx } = context();
    const recent = submenu(submenu(buildMenuTemplate(ctx), 'File'), 'Open Recent');
    expect(recent).toEqual([{ label: 'No recent key stores', enabled: false }]);
  });

  it('offers developer tools only in an unpackaged build', () => {
    const roles = (ctx: MenuContext) => submenu(buildMenuTemplate(ctx), 'View').map((i) => i.role);
    expect(roles(context({ isPackaged: true }).ctx)).not.toContain('toggleDevTools');
    expect(roles(context({ isPackaged: false }).ctx)).toContain('toggleDevTools');
  });

  it('uses the macOS app menu for Quit and About there', () => {
    const { ctx } = context({ platform: 'darwin' });
    const template = buildMenuTemplate(ctx);
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(labels(submenu(template, 'File'))).not.toContain('Quit');
  });

  it('gives the usual shortcuts', () => {
    const { ctx } = context();
    const file = submenu(buildMenuTemplate(ctx), 'File');
    expect(file.find((i) => i.label === 'Open…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(file.find((i) => i.label === 'Close')?.accelerator).toBe('CmdOrCtrl+W');
  });
});

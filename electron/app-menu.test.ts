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
      'Open Cryptographic Token…',
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

/**
 * The desktop shell cannot be launched here (no Electron binary), so its menu is held to
 * the window by this test: every item's command runs in the renderer's dispatcher and does
 * something there, and every action iKeyman has in its menus is on the menu, doing what the
 * window's own button does. Dialogs are caught at showDialog, by the component they render.
 */
const opened = vi.hoisted(() => ({ dialogs: [] as unknown[] }));
vi.mock('../renderer/keydesk-client', () => ({
  keydesk: new Proxy({}, { get: () => () => new Promise(() => {}) }),
  isDesktop: false,
  desktopShell: undefined,
}));
vi.mock('../renderer/launch-parameters', () => ({ launchParameters: { token: 'test' } }));
vi.mock('../renderer/dialog-stack', async (original) => ({
  ...(await original<typeof import('../renderer/dialog-stack')>()),
  showDialog: (render: (close: () => void) => unknown) => {
    const element = render(() => {}) as { type: { name: string }; props: { title?: string } };
    // A dialog is its component, or, for a plain ModalDialog, its title.
    opened.dialogs.push({ name: element.type.name === 'ModalDialog' ? `ModalDialog “${element.props.title}”` : element.type.name });
    return () => {};
  },
}));

describe('the menu against the window', async () => {
  // Node is not a browser: the few globals the window's modules read as they load.
  if (typeof navigator === 'undefined') vi.stubGlobal('navigator', { platform: 'Linux x86_64' });
  const { useAppState } = await import('../renderer/app-state');
  const { runShellCommand, shellCommandHandlers } = await import('../renderer/shell-commands');
  const { paneActions } = await import('../renderer/actions/pane-actions');
  const { NewSelfSignedAction } = await import('../renderer/actions/NewSelfSignedAction');
  const { NewRequestAction } = await import('../renderer/actions/NewRequestAction');
  const { ViewDetailsAction } = await import('../renderer/actions/ViewDetailsAction');

  const view = {
    storeId: 's1',
    path: '/var/mqm/qmgrs/QM1/ssl/key.kdb',
    format: 'cms' as const,
    properties: {},
    entries: [{ label: 'ibmwebspheremqqm1', kind: 'personal', hasPrivateKey: true }] as never[],
  };
  const closeStore = vi.fn(async (_storeId: string) => {});

  function freshWindow() {
    opened.dialogs = [];
    closeStore.mockClear();
    useAppState.setState({ stores: [], activeStoreId: undefined, message: undefined, sideBySide: undefined });
    useAppState.getState().adoptStore(view, 'password');
    useAppState.setState({ closeStore });
    useAppState.getState().selectEntry('ibmwebspheremqqm1');
  }

  /** What one command did in the window: the dialog it opened, or the state it changed. */
  async function effectOf(command: ShellCommand): Promise<string> {
    freshWindow();
    const pane = () => useAppState.getState().stores[0]?.pane;
    // A pane command starts from another pane, so that showing its pane is seen.
    if (command.type === 'show-pane') useAppState.getState().showPane(command.pane === 'signer' ? 'request' : 'signer');
    const paneBefore = pane();
    runShellCommand(command);
    await new Promise((r) => setTimeout(r, 0));
    const effects: string[] = opened.dialogs.map((d) => `dialog ${(d as { name: string }).name}`);
    if (closeStore.mock.calls.length > 0) effects.push(`closeStore ${String(closeStore.mock.calls[0]![0])}`);
    if (pane() !== paneBefore) effects.push(`pane ${pane()}`);
    const message = useAppState.getState().message;
    if (message) effects.push(`message ${message.text}`);
    return effects.join('; ');
  }

  function clickable(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    return items.flatMap((i) => [...(i.click ? [i] : []), ...(Array.isArray(i.submenu) ? clickable(i.submenu) : [])]);
  }

  function menuCommands(): { label: string; command: ShellCommand }[] {
    const { ctx, sent } = context({ recentStores: ['/home/mq/client.p12'], isPackaged: false });
    const result: { label: string; command: ShellCommand }[] = [];
    for (const item of clickable(buildMenuTemplate(ctx))) {
      const before = sent.length;
      click(item);
      if (sent.length > before) result.push({ label: String(item.label), command: sent[sent.length - 1]! });
    }
    return result;
  }

  it('every menu item sends a command the window handles, each opening its dialog or changing the view', async () => {
    const commands = menuCommands();
    const effects = new Map<string, string>();
    for (const { label, command } of commands) {
      expect(Object.keys(shellCommandHandlers), label).toContain(command.type);
      const effect = await effectOf(command);
      expect(effect, `${label} does nothing in the window`).not.toBe('');
      expect(effect, label).not.toMatch(/^message /);
      effects.set(label, effect);
    }
    expect(Object.fromEntries(effects)).toEqual({
      'New…': 'dialog NewStoreDialog',
      'Open…': 'dialog FileBrowserDialog',
      'Open Cryptographic Token…': 'dialog OpenTokenDialog',
      'Examine Certificate…': 'dialog ExamineCertificateDialog',
      '/home/mq/client.p12': 'dialog PasswordDialog',
      'Close': 'closeStore s1',
      'Save As / Convert…': 'dialog SaveAsDialog',
      'Change Password…': 'dialog ChangePasswordDialog',
      'Stash Password…': 'dialog StashPasswordDialog',
      'New Self-Signed…': 'dialog NewSelfSignedDialog',
      'New Request…': 'dialog NewRequestDialog',
      'Personal Certificates': 'pane personal',
      'Signer Certificates': 'pane signer',
      'Personal Certificate Requests': 'pane request',
      'View Details': 'dialog EntryDetailsDialog',
      'Keyboard Shortcuts': 'dialog ModalDialog “Keyboard shortcuts”',
    });
  });

  it('every action iKeyman has in its menus is on the menu and does what the window’s button does', async () => {
    const commands = menuCommands();
    const commandOf = (label: string) => commands.find((c) => c.label === label)?.command;

    // View: one item per pane of the window.
    const paneItems = { personal: 'Personal Certificates', signer: 'Signer Certificates', request: 'Personal Certificate Requests' } as const;
    expect(Object.keys(paneActions).sort()).toEqual(Object.keys(paneItems).sort());
    for (const [pane, label] of Object.entries(paneItems)) expect(commandOf(label), label).toEqual({ type: 'show-pane', pane });

    // Create, and View Details: the pane's own button and the menu item open the same dialog.
    freshWindow();
    const store = useAppState.getState().stores[0]!;
    const buttonOpens = async (Action: (props: never) => unknown, label?: string) => {
      freshWindow();
      const button = Action({ store: useAppState.getState().stores[0]!, pane: 'personal', selectedLabel: label } as never) as { props: { onClick(): void } };
      button.props.onClick();
      return `dialog ${(opened.dialogs[0] as { name: string } | undefined)?.name}`;
    };
    expect(store).toBeDefined();
    for (const [Action, label] of [
      [NewSelfSignedAction, 'New Self-Signed…'],
      [NewRequestAction, 'New Request…'],
      [ViewDetailsAction, 'View Details'],
    ] as const) {
      expect(paneActions.personal.create.includes(Action as never) || paneActions.personal.selected.includes(Action as never)).toBe(true);
      const command = commandOf(label);
      expect(command, `${label} is on the menu`).toBeDefined();
      expect(await effectOf(command!)).toBe(await buttonOpens(Action as never, 'ibmwebspheremqqm1'));
    }

    // Key Database File: iKeyman's New, Open, Close, Save As, Change Password, Stash Password.
    for (const label of ['New…', 'Open…', 'Close', 'Save As / Convert…', 'Change Password…', 'Stash Password…']) expect(commandOf(label), label).toBeDefined();
  });
});

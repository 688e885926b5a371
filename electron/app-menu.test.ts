/** The menu bar: iKeyman's items, each sending one typed command; no dev tools when packaged. */
import { describe, it, expect, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuContext } from './app-menu';
import type { EntryActionName, PaneName, ShellCommand } from './shell-api';

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
      'Open Read-Only…',
      'Open Cryptographic Token…',
      'Open Recent',
      'Close',
      'Examine Certificate File…',
      'Examine Clipboard…',
      'Examine TLS Endpoint…',
      'Scan Folder…',
      'Save As / Convert…',
      'Change Password…',
      'Stash Password…',
      'Export List…',
      'Repair…',
      'Quit',
    ]);
  });

  it('has Create, Certificate, View and Help', () => {
    const { ctx } = context();
    const template = buildMenuTemplate(ctx);
    expect(labels(submenu(template, 'Create'))).toEqual(['New Self-Signed…', 'New Request…', 'Receive…', 'Import…', 'Add…', 'Populate…']);
    expect(labels(submenu(template, 'Certificate'))).toEqual(['Validate', 'Extract…', 'Export…', 'Recreate Request…', 'Set as Default…', 'Sign…', 'Rename…', 'Delete…']);
    expect(labels(submenu(template, 'View'))).toEqual([
      'Personal Certificates',
      'Signer Certificates',
      'Personal Certificate Requests',
      'Doctor',
      'Validity Timeline',
      'View Details',
      'Columns…',
      'Side by Side',
      'Exchange Signers…',
      'Test Connection…',
      'Compare',
    ]);
    expect(labels(submenu(template, 'Help'))).toEqual(['Keyboard Shortcuts', 'About KeyDesk']);
  });

  it('sends each item as a typed command', () => {
    const { ctx, sent } = context();
    const template = buildMenuTemplate(ctx);
    for (const label of ['New…', 'Open…', 'Close', 'Examine Certificate File…', 'Examine TLS Endpoint…', 'Scan Folder…', 'Save As / Convert…', 'Change Password…', 'Stash Password…']) {
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
      { type: 'examine-tls-endpoint' },
      { type: 'scan-folder' },
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
 * something there, and every button the window has — each pane's, the key database's, the
 * exchange bar's, the app bar's — is on the menu, doing what the button does. A button added
 * without its menu item fails here. Dialogs are caught at showDialog, by the component they render.
 */
const opened = vi.hoisted(() => ({ dialogs: [] as string[] }));
vi.mock('../renderer/keydesk-client', () => ({
  keydesk: new Proxy({}, { get: () => () => new Promise(() => {}) }),
  isDesktop: false,
  desktopShell: undefined,
}));
vi.mock('../renderer/launch-parameters', () => ({ launchParameters: { token: 'test' } }));
vi.mock('../renderer/dialog-stack', async (original) => ({
  ...(await original<typeof import('../renderer/dialog-stack')>()),
  showDialog: (render: (close: () => void) => unknown) => {
    const element = render(() => {}) as { type: { name: string }; props: { title?: string; request?: { title: string }; source?: string } };
    // A dialog is its component, or, for a plain ModalDialog, its title; a file chooser by
    // its title, and Examine by where it starts (a file or pasted text).
    const { name } = element.type;
    const detail = name === 'ModalDialog' ? element.props.title : name === 'FileBrowserDialog' ? element.props.request?.title : name === 'ExamineCertificateDialog' ? element.props.source : undefined;
    opened.dialogs.push(detail === undefined ? name : `${name} “${detail}”`);
    return () => {};
  },
}));

describe('the menu against the window', async () => {
  // Node is not a browser: the few globals the window's modules read as they load.
  if (typeof navigator === 'undefined') vi.stubGlobal('navigator', { platform: 'Linux x86_64' });
  const { useAppState } = await import('../renderer/app-state');
  const { runShellCommand, shellCommandHandlers } = await import('../renderer/shell-commands');
  const { paneActions, entryMenuActions } = await import('../renderer/actions/pane-actions');
  type PaneActionProps = import('../renderer/actions/pane-actions').PaneActionProps;
  const { NewSelfSignedAction } = await import('../renderer/actions/NewSelfSignedAction');
  const { NewRequestAction } = await import('../renderer/actions/NewRequestAction');
  const { ViewDetailsAction } = await import('../renderer/actions/ViewDetailsAction');
  const { storeActions } = await import('../renderer/components/StoreHeader');
  const { exchangeActions } = await import('../renderer/components/ExchangeBar');
  const { toolTabs } = await import('../renderer/components/PaneSelector');
  const { paneTitles } = await import('../renderer/entry-rows');

  // A CA's own certificate (so Sign… is there), a signer and a pending request: one entry in each pane.
  const selectedIn = { personal: 'ibmwebspheremqqm1', signer: 'class-ca', request: 'ibmwebspheremqqm1-renewal' } as const;
  const view = (storeId: string, path: string) => ({
    storeId,
    path,
    format: 'cms' as const,
    properties: {},
    entries: [
      { label: selectedIn.personal, kind: 'personal', hasPrivateKey: true, basicConstraints: { ca: true } },
      { label: selectedIn.signer, kind: 'signer', hasPrivateKey: false },
      { label: selectedIn.request, kind: 'request', hasPrivateKey: true },
    ] as never[],
  });
  const closeStore = vi.fn(async (_storeId: string) => {});

  /** Two stores side by side (the exchange bar's actions need both), the first one active, on `pane`. */
  function freshWindow(pane: PaneName = 'personal') {
    opened.dialogs = [];
    closeStore.mockClear();
    useAppState.setState({ stores: [], activeStoreId: undefined, message: undefined, sideBySide: undefined });
    useAppState.getState().adoptStore(view('s2', '/home/mq/client.kdb'), 'password');
    useAppState.getState().adoptStore(view('s1', '/var/mqm/qmgrs/QM1/ssl/key.kdb'), 'password');
    useAppState.setState({ closeStore, sideBySide: ['s1', 's2'] });
    useAppState.getState().showPane(pane);
    useAppState.getState().selectEntry(selectedIn[pane]);
  }

  /** What happened in the window since freshWindow: the dialog opened, or the view changed. */
  function effects(before: { pane?: string; tool?: string; sideBySide?: string }): string {
    const store = useAppState.getState().stores.find((s) => s.view.storeId === 's1');
    const found: string[] = opened.dialogs.map((d) => `dialog ${d}`);
    if (closeStore.mock.calls.length > 0) found.push(`closeStore ${String(closeStore.mock.calls[0]![0])}`);
    if (store?.pane !== before.pane) found.push(`pane ${store?.pane}`);
    if (store?.tool !== before.tool) found.push(`tool ${store?.tool}`);
    if (String(useAppState.getState().sideBySide) !== before.sideBySide) found.push(`side by side ${useAppState.getState().sideBySide ? 'on' : 'off'}`);
    const message = useAppState.getState().message;
    if (message) found.push(`message ${message.text}`);
    return found.join('; ');
  }

  const snapshot = () => {
    const store = useAppState.getState().stores.find((s) => s.view.storeId === 's1');
    return { pane: store?.pane, tool: store?.tool, sideBySide: String(useAppState.getState().sideBySide) };
  };

  /** What one command did in the window, on `pane` with its entry selected. */
  async function effectOf(command: ShellCommand, pane: PaneName = 'personal'): Promise<string> {
    freshWindow(pane);
    // A pane command starts from another pane, so that showing its pane is seen.
    if (command.type === 'show-pane') useAppState.getState().showPane(command.pane === 'signer' ? 'request' : 'signer');
    const before = snapshot();
    runShellCommand(command);
    await new Promise((r) => setTimeout(r, 0));
    return effects(before);
  }

  /** What a button's click does, on `pane` with its entry selected. */
  async function clickEffect(click: () => void, pane: PaneName = 'personal'): Promise<string> {
    freshWindow(pane);
    const before = snapshot();
    click();
    await new Promise((r) => setTimeout(r, 0));
    return effects(before);
  }

  const activeStore = () => useAppState.getState().stores.find((s) => s.view.storeId === 's1')!;

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
  const commandOf = (label: string) => menuCommands().find((c) => c.label === label)?.command;

  it('every menu item sends a command the window handles, each opening its dialog or changing the view', async () => {
    const effectsByLabel = new Map<string, string>();
    for (const { label, command } of menuCommands()) {
      expect(Object.keys(shellCommandHandlers), label).toContain(command.type);
      const effect = await effectOf(command);
      expect(effect, `${label} does nothing in the window`).not.toBe('');
      expect(effect, label).not.toMatch(/^message /);
      effectsByLabel.set(label, effect);
    }
    expect(Object.fromEntries(effectsByLabel)).toEqual({
      'New…': 'dialog NewStoreDialog',
      'Open…': 'dialog FileBrowserDialog “Open key database”',
      'Open Read-Only…': 'dialog FileBrowserDialog “Open key database read-only”',
      'Examine Certificate File…': 'dialog ExamineCertificateDialog “file”',
      'Examine Clipboard…': 'dialog ExamineCertificateDialog “text”',
      'Examine TLS Endpoint…': 'dialog ExamineTlsEndpointDialog',
      'Scan Folder…': 'dialog ScanFolderDialog',
      'Open Cryptographic Token…': 'dialog OpenTokenDialog',
      '/home/mq/client.p12': 'dialog PasswordDialog',
      'Close': 'closeStore s1',
      'Save As / Convert…': 'dialog SaveAsDialog',
      'Change Password…': 'dialog ChangePasswordDialog',
      'Stash Password…': 'dialog StashPasswordDialog',
      'Export List…': 'dialog ExportListDialog',
      'Repair…': 'dialog FileBrowserDialog “Repair a key database damaged in transfer”',
      'New Self-Signed…': 'dialog NewSelfSignedDialog',
      'New Request…': 'dialog NewRequestDialog',
      'Receive…': 'dialog ReceiveDialog',
      'Import…': 'dialog ImportDialog',
      // Signer Certificates' own buttons: the menu shows that pane first.
      'Add…': 'dialog AddDialog; pane signer',
      'Populate…': 'dialog PopulateDialog; pane signer',
      'Validate': 'dialog ValidateDialog',
      'Extract…': 'dialog ExtractDialog',
      'Export…': 'dialog ExportDialog',
      'Recreate Request…': 'dialog RenewalRequestDialog',
      'Set as Default…': 'dialog SetDefaultDialog',
      'Sign…': 'dialog SignDialog',
      'Rename…': 'dialog RenameDialog',
      'Delete…': 'dialog DeleteDialog',
      'Personal Certificates': 'pane personal',
      'Signer Certificates': 'pane signer',
      'Personal Certificate Requests': 'pane request',
      'Doctor': 'tool doctor',
      'Validity Timeline': 'tool timeline',
      'View Details': 'dialog EntryDetailsDialog',
      'Columns…': 'dialog ColumnsDialog',
      'Side by Side': 'side by side off',
      'Exchange Signers…': 'dialog ExchangeSignersDialog',
      'Test Connection…': 'dialog TestConnectionDialog',
      'Compare': 'dialog CompareDialog',
      'Keyboard Shortcuts': 'dialog ModalDialog “Keyboard shortcuts”',
    });
  });

  it('every pane button is on the menu and does there what it does in its pane', async () => {
    const paneItems = { personal: 'Personal Certificates', signer: 'Signer Certificates', request: 'Personal Certificate Requests' } as const;
    expect(Object.keys(paneActions).sort()).toEqual(Object.keys(paneItems).sort());
    for (const [pane, label] of Object.entries(paneItems)) expect(commandOf(label), label).toEqual({ type: 'show-pane', pane });

    // The buttons the menu has under commands of their own; every other one by its entry action.
    const ownCommands = new Map<unknown, ShellCommand>([
      [NewSelfSignedAction, { type: 'new-self-signed' }],
      [NewRequestAction, { type: 'new-request' }],
      [ViewDetailsAction, { type: 'view-details' }],
    ]);
    const sentByMenu = menuCommands().map((c) => JSON.stringify(c.command));
    for (const pane of Object.keys(paneItems) as PaneName[]) {
      for (const Action of [...paneActions[pane].create, ...paneActions[pane].selected]) {
        const name = (Object.keys(entryMenuActions) as EntryActionName[]).find((n) => entryMenuActions[n].component === Action);
        const command = ownCommands.get(Action) ?? (name ? { type: 'entry-action' as const, action: name } : undefined);
        expect(command, `${paneTitles[pane]}: ${Action.name} has no menu command`).toBeDefined();
        expect(sentByMenu, `${paneTitles[pane]}: ${Action.name} is not on the menu`).toContain(JSON.stringify(command));
        const button = () => {
          // Every pane action is a function component without hooks: its button, as rendered.
          const render = Action as (props: PaneActionProps) => unknown;
          const element = render({ store: activeStore(), pane, selectedLabel: selectedIn[pane] }) as { props: { onClick(): void } } | null;
          expect(element, `${Action.name} shows no button in ${paneTitles[pane]}`).not.toBeNull();
          element!.props.onClick();
        };
        expect(await effectOf(command!, pane), `${Action.name} in ${paneTitles[pane]}`).toBe(await clickEffect(button, pane));
      }
    }
  });

  it('the key database’s, the exchange bar’s and the app bar’s buttons are on the menu and do the same', async () => {
    freshWindow();
    const labelsOnMenu = menuCommands().map((c) => c.label);
    for (const { text, run } of storeActions(activeStore())) {
      expect(labelsOnMenu, text).toContain(text);
      expect(await effectOf(commandOf(text)!), text).toBe(await clickEffect(() => run()));
    }
    for (const { text, run } of exchangeActions) {
      expect(labelsOnMenu, text).toContain(text);
      const [a, b] = useAppState.getState().sideBySide!.map((id) => useAppState.getState().stores.find((s) => s.view.storeId === id)!);
      expect(await effectOf(commandOf(text)!), text).toBe(await clickEffect(() => run(a!, b!)));
    }
    for (const { title, tool } of toolTabs) expect(commandOf(title), title).toEqual({ type: 'show-tool', tool });
    // The app bar: Side by Side, Examine…; each pane's toolbar: Columns.
    expect(commandOf('Side by Side')).toEqual({ type: 'side-by-side' });
    expect(commandOf('Examine Certificate File…')).toEqual({ type: 'examine-certificate' });
    expect(await effectOf(commandOf('Side by Side')!)).toBe(await clickEffect(() => useAppState.getState().toggleSideBySide()));
    expect(commandOf('Columns…')).toEqual({ type: 'choose-columns' });
    // Key Database File: iKeyman's New, Open, Close, Save As, Change Password, Stash Password.
    for (const label of ['New…', 'Open…', 'Close', 'Save As / Convert…', 'Change Password…', 'Stash Password…']) expect(commandOf(label), label).toBeDefined();
  });

  it('refuses a pane button from the menu as the button is off: no selection, a read-only store, not a CA', async () => {
    freshWindow();
    useAppState.getState().selectEntry(undefined);
    runShellCommand({ type: 'entry-action', action: 'rename' });
    expect(opened.dialogs).toEqual([]);
    expect(useAppState.getState().message?.text).toBe('Select an entry in Personal Certificates first, then Rename…');

    freshWindow();
    useAppState.setState({ stores: useAppState.getState().stores.map((s) => ({ ...s, view: { ...s.view, readOnly: true } })) });
    runShellCommand({ type: 'entry-action', action: 'populate' });
    expect(opened.dialogs).toEqual([]);
    expect(useAppState.getState().message?.text).toMatch(/^Opened read-only/);

    freshWindow('signer');
    runShellCommand({ type: 'entry-action', action: 'sign' });
    expect(opened.dialogs).toEqual([]);
    expect(useAppState.getState().message?.text).toBe('Sign… acts on an entry in Personal Certificates: select one there first.');
  });
});

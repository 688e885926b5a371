/**
 * What the desktop shell adds to the contract: menu commands pushed to the window and
 * native file dialogs. Shared by main, preload and renderer, so it imports nothing from
 * Electron. Only commands and paths cross here — never file contents, keys or passwords.
 */

export type PaneName = 'personal' | 'signer' | 'request';

/** The panes' own buttons, which the menu offers too (Create and Certificate), by what they do. */
export type EntryActionName = 'receive' | 'import' | 'add' | 'populate' | 'validate' | 'extract' | 'export' | 'recreate' | 'set-default' | 'rename' | 'delete' | 'sign';
export const entryActionNames: readonly EntryActionName[] = ['receive', 'import', 'add', 'populate', 'validate', 'extract', 'export', 'recreate', 'set-default', 'rename', 'delete', 'sign'];

/** The checks shown in a store's place: the Doctor and the Validity Timeline. */
export type StoreToolName = 'doctor' | 'timeline';

/** Exchange mode's buttons, under two stores side by side. */
export type ExchangeActionName = 'exchange-signers' | 'test-connection' | 'compare';
const exchangeActionNames: readonly ExchangeActionName[] = ['exchange-signers', 'test-connection', 'compare'];

/** A menu item (or a file given to the app) as the window receives it. */
export type ShellCommand =
  | { type: 'new-store' }
  | { type: 'open-store' }
  /** A file picked from Open Recent, dropped on the dock icon or passed on the command line. */
  | { type: 'open-path'; path: string }
  | { type: 'close-store' }
  | { type: 'save-as' }
  | { type: 'change-password' }
  | { type: 'stash-password' }
  | { type: 'new-self-signed' }
  | { type: 'new-request' }
  | { type: 'show-pane'; pane: PaneName }
  | { type: 'view-details' }
  | { type: 'show-shortcuts' }
  | { type: 'examine-certificate' }
  | { type: 'examine-tls-endpoint' }
  | { type: 'examine-clipboard' }
  | { type: 'open-read-only' }
  | { type: 'repair' }
  | { type: 'export-list' }
  /** A pane's button, on the active store's pane (and its selected entry). */
  | { type: 'entry-action'; action: EntryActionName }
  | { type: 'show-tool'; tool: StoreToolName }
  | { type: 'choose-columns' }
  | { type: 'side-by-side' }
  | { type: 'exchange-action'; action: ExchangeActionName }
  | { type: 'scan-folder' }

  | { type: 'open-token' };

export type ShellCommandType = ShellCommand['type'];

/** Which kind of file a dialog offers first; the main process turns it into filters. */
export type FileKind = 'key-store' | 'certificate' | 'request' | 'any';

export interface FileChoiceRequest {
  /** 'folder': a folder to work on as a whole (Scan Folder…). */
  mode: 'open' | 'save' | 'folder';
  /** The dialog's title, e.g. "Open key database". */
  title: string;
  kind: FileKind;
  /** A folder or a file name to start from. */
  defaultPath?: string;
}

/** `window.keydeskShell`: present only in the Electron app. */
export interface KeyDeskShell {
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onCommand(listener: (command: ShellCommand) => void): () => void;
  /** A native open or save dialog; resolves with the chosen path, or undefined if cancelled. */
  chooseFile(request: FileChoiceRequest): Promise<string | undefined>;
  /** The path of a file dropped on the window (Electron no longer puts it on File). */
  pathOfDroppedFile(file: File): string;
}

export const shellChannels = {
  command: 'keydesk-shell:command',
  chooseFile: 'keydesk-shell:choose-file',
} as const;

const commandTypes: readonly ShellCommandType[] = [
  'new-store',
  'open-store',
  'open-path',
  'close-store',
  'save-as',
  'change-password',
  'stash-password',
  'new-self-signed',
  'new-request',
  'show-pane',
  'view-details',
  'show-shortcuts',
  'examine-certificate',
  'examine-tls-endpoint',
  'examine-clipboard',
  'open-read-only',
  'repair',
  'export-list',
  'entry-action',
  'show-tool',
  'choose-columns',
  'side-by-side',
  'exchange-action',
  'scan-folder',
  'open-token',
];

const paneNames: readonly PaneName[] = ['personal', 'signer', 'request'];

/** The preload passes on only well-formed commands, whatever reaches its channel. */
export function isShellCommand(value: unknown): value is ShellCommand {
  if (typeof value !== 'object' || value === null) return false;
  const command = value as { type?: unknown; path?: unknown; pane?: unknown; action?: unknown; tool?: unknown };
  if (!commandTypes.includes(command.type as ShellCommandType)) return false;
  if (command.type === 'open-path') return typeof command.path === 'string' && command.path !== '';
  if (command.type === 'show-pane') return paneNames.includes(command.pane as PaneName);
  if (command.type === 'entry-action') return entryActionNames.includes(command.action as EntryActionName);
  if (command.type === 'exchange-action') return exchangeActionNames.includes(command.action as ExchangeActionName);
  if (command.type === 'show-tool') return command.tool === 'doctor' || command.tool === 'timeline';
  return true;
}

/** The main process trusts nothing a window sends: a dialog request is checked field by field. */
export function isFileChoiceRequest(value: unknown): value is FileChoiceRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Record<string, unknown>;
  return (
    (request.mode === 'open' || request.mode === 'save' || request.mode === 'folder') &&
    typeof request.title === 'string' &&
    request.title.length <= 200 &&
    ['key-store', 'certificate', 'request', 'any'].includes(request.kind as string) &&
    (request.defaultPath === undefined || (typeof request.defaultPath === 'string' && request.defaultPath.length <= 4096))
  );
}

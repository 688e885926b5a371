/**
 * What each menu command does in the window. The desktop menu sends them; browser mode's
 * keyboard shortcuts send the same ones, so both front ends behave alike.
 */
import type { ShellCommand, ShellCommandType } from '../electron/shell-api';
import { useAppState } from './app-state';
import { askPasswordAndOpen, chooseAndOpenStore } from './actions/OpenStoreAction';
import { closeActiveStore } from './actions/CloseStoreAction';
import { viewSelectedDetails } from './actions/ViewDetailsAction';
import { showShortcuts } from './actions/ShortcutsDialog';
import { newStore } from './actions/NewStoreAction';
import { changePassword } from './actions/ChangePasswordAction';
import { stashPassword } from './actions/StashPasswordAction';
import { saveAs } from './actions/SaveAsAction';
import { newSelfSigned } from './actions/NewSelfSignedAction';
import { newRequest } from './actions/NewRequestAction';
import { activeStore } from './app-state';
import { examineCertificate } from './actions/ExamineCertificateAction';
import { openToken } from './actions/OpenTokenAction';
import { readOnlyReason } from './actions/pane-actions';

/** Menu items and shortcuts that change the active store: refused at once for one opened read-only. */
const changingCommands: ReadonlySet<ShellCommand['type']> = new Set(['change-password', 'stash-password', 'new-self-signed', 'new-request']);

type Handlers = { [T in ShellCommandType]: (command: Extract<ShellCommand, { type: T }>) => void };

/** One handler per command type: a command the menu can send and the window ignores does not compile. */
export const shellCommandHandlers: Handlers = {
  'open-store': () => void chooseAndOpenStore(),
  'open-path': (command) => askPasswordAndOpen(command.path),
  'close-store': () => closeActiveStore(),
  'show-pane': (command) => useAppState.getState().showPane(command.pane),
  'view-details': () => {
    if (!viewSelectedDetails()) useAppState.getState().showMessage({ tone: 'info', text: 'Select an entry in the list first, then View Details.' });
  },
  'show-shortcuts': () => showShortcuts(),
  'examine-certificate': () => examineCertificate(),
  'open-token': () => openToken(),
  'new-store': () => newStore(),
  'save-as': () => saveAs(),
  'change-password': () => changePassword(),
  'stash-password': () => stashPassword(),
  'new-self-signed': () => withActiveStore(newSelfSigned),
  'new-request': () => withActiveStore(newRequest),
};

function withActiveStore(action: (store: NonNullable<ReturnType<typeof activeStore>>) => void): void {
  const store = activeStore();
  if (store) action(store);
  else useAppState.getState().showMessage({ tone: 'info', text: 'Open a key database first (or make one with New…).' });
}

export function runShellCommand(command: ShellCommand): void {
  if (changingCommands.has(command.type) && activeStore()?.view.readOnly) {
    useAppState.getState().showMessage({ tone: 'info', text: readOnlyReason });
    return;
  }
  (shellCommandHandlers[command.type] as (command: ShellCommand) => void)(command);
}

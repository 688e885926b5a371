/**
 * What each menu command does in the window. The desktop menu sends them; browser mode's
 * keyboard shortcuts send the same ones, so both front ends behave alike.
 */
import type { ShellCommand } from '../electron/shell-api';
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
import { readOnlyReason } from './actions/pane-actions';

/** Menu items and shortcuts that change the active store: refused at once for one opened read-only. */
const changingCommands: ReadonlySet<ShellCommand['type']> = new Set(['change-password', 'stash-password', 'new-self-signed', 'new-request']);

export function runShellCommand(command: ShellCommand): void {
  const state = useAppState.getState();
  if (changingCommands.has(command.type) && activeStore()?.view.readOnly) {
    state.showMessage({ tone: 'info', text: readOnlyReason });
    return;
  }
  switch (command.type) {
    case 'open-store':
      void chooseAndOpenStore();
      return;
    case 'open-path':
      askPasswordAndOpen(command.path);
      return;
    case 'close-store':
      closeActiveStore();
      return;
    case 'show-pane':
      state.showPane(command.pane);
      return;
    case 'view-details':
      if (!viewSelectedDetails()) state.showMessage({ tone: 'info', text: 'Select an entry in the list first, then View Details.' });
      return;
    case 'show-shortcuts':
      showShortcuts();
      return;
    case 'new-store':
      newStore();
      return;
    case 'save-as':
      saveAs();
      return;
    case 'change-password':
      changePassword();
      return;
    case 'stash-password':
      stashPassword();
      return;
    case 'new-self-signed':
    case 'new-request': {
      const store = activeStore();
      if (!store) {
        state.showMessage({ tone: 'info', text: 'Open a key database first (or make one with New…).' });
        return;
      }
      if (command.type === 'new-self-signed') newSelfSigned(store);
      else newRequest(store);
      return;
    }
  }
}

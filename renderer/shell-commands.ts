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
import { explainNotBuiltYet } from './actions/not-built-yet';

export function runShellCommand(command: ShellCommand): void {
  const state = useAppState.getState();
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
    case 'save-as':
    case 'change-password':
    case 'stash-password':
    case 'new-self-signed':
    case 'new-request':
      explainNotBuiltYet(command.type);
      return;
  }
}

/**
 * What each menu command does in the window. The desktop menu sends them; browser mode's
 * keyboard shortcuts send the same ones, so both front ends behave alike.
 */
import type { ShellCommand, ShellCommandType } from '../electron/shell-api';
import { useAppState } from './app-state';
import { askPasswordAndOpen, chooseAndOpenStore, chooseAndRepair } from './actions/OpenStoreAction';
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
import { examineTlsEndpoint } from './actions/ExamineTlsEndpointAction';
import { changesStore, entryMenuActions, panesWith, readOnlyReason } from './actions/pane-actions';
import { exportList } from './actions/ExportListAction';
import { exchangeActions } from './components/ExchangeBar';
import { showColumnsDialog } from './panes/ColumnChooser';
import { filterRows, paneTitles } from './entry-rows';
import type { EntryActionName, ExchangeActionName } from '../electron/shell-api';
import { scanFolder } from './actions/ScanFolderAction';
import { openToken } from './actions/OpenTokenAction';

/** Menu items and shortcuts that change the active store: refused at once for one opened read-only. */
const changingCommands: ReadonlySet<ShellCommand['type']> = new Set(['change-password', 'stash-password', 'new-self-signed', 'new-request']);

const tell = (text: string) => useAppState.getState().showMessage({ tone: 'info', text });

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
  'examine-tls-endpoint': () => examineTlsEndpoint(),
  'scan-folder': () => scanFolder(),
  'open-token': () => openToken(),
  'new-store': () => newStore(),
  'save-as': () => saveAs(),
  'change-password': () => changePassword(),
  'stash-password': () => stashPassword(),
  'new-self-signed': () => withActiveStore(newSelfSigned),
  'new-request': () => withActiveStore(newRequest),
  'examine-clipboard': () => examineCertificate('text'),
  'open-read-only': () => void chooseAndOpenStore({ readOnly: true }),
  repair: () => void chooseAndRepair(),
  'export-list': () => withActiveStore(exportList),
  'entry-action': (command) => withActiveStore((store) => runEntryAction(store, command.action)),
  'show-tool': (command) => withActiveStore(() => useAppState.getState().showTool(command.tool)),
  'choose-columns': () =>
    withActiveStore((store) => {
      const state = useAppState.getState();
      // The columns are the table's: with a check shown in its place, the pane comes back first.
      if (store.tool) state.showPane(store.pane);
      showColumnsDialog(store.pane, paneTitles[store.pane]);
    }),
  'side-by-side': () => {
    const state = useAppState.getState();
    if (!state.sideBySide && state.stores.length < 2) tell('Side by Side shows two open key databases next to each other: open another one first.');
    else state.toggleSideBySide();
  },
  'exchange-action': (command) => runExchangeAction(command.action),
};

/**
 * A pane's button from the menu, on the active store as its button would run: in a pane
 * that has the button (shown first when the button is not the pane's own), on the entry
 * selected there and in view, and refused with the button's own reason when it is off.
 */
function runEntryAction(store: NonNullable<ReturnType<typeof activeStore>>, name: EntryActionName): void {
  const action = entryMenuActions[name];
  const panes = panesWith(action.component);
  const state = useAppState.getState();
  const { text } = action;
  if (store.view.readOnly && changesStore.has(action.component)) return tell(readOnlyReason);
  if (!action.onEntry) {
    if (!panes.includes(store.pane) || store.tool) state.showPane(panes.includes(store.pane) ? store.pane : panes[0]!);
    return action.run(store);
  }
  if (!panes.includes(store.pane)) return tell(`${text} acts on an entry in ${panes.map((p) => paneTitles[p]).join(' or ')}: select one there first.`);
  const view = store.panes[store.pane];
  const shown = filterRows(store.rows[store.pane], view.filter);
  const label = shown.some((r) => r.label === view.selectedLabel) ? view.selectedLabel : undefined;
  const refusal = action.refusal?.(store, label) ?? (label ? undefined : `Select an entry in ${paneTitles[store.pane]} first, then ${text}`);
  if (refusal || !label) return tell(refusal ?? `Select an entry first, then ${text}`);
  action.run(store, label, store.pane);
}


function runExchangeAction(name: ExchangeActionName): void {
  const state = useAppState.getState();
  const [a, b] = (state.sideBySide ?? []).map((id) => state.stores.find((s) => s.view.storeId === id));
  const { text, run } = exchangeActions.find((e) => e.action === name)!;
  if (!a || !b) return tell(`${text} works on two key databases side by side: open both, then turn on Side by Side.`);
  run(a, b);
}

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

/**
 * The action bar of each pane, in iKeyman's order. Each action is one file in actions/
 * exporting a component that gets the store, the pane and the selected label; a dialog
 * action opens its dialog with showDialog.
 */
import type { ComponentType } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import type { EntryActionName } from '../../electron/shell-api';
import { AddAction, addCertificate } from './AddAction';
import { DeleteAction, deleteEntry } from './DeleteAction';
import { ExportAction, exportEntry } from './ExportAction';
import { ExtractAction, extract } from './ExtractAction';
import { ImportAction, importEntries } from './ImportAction';
import { NewRequestAction, newRequest } from './NewRequestAction';
import { NewSelfSignedAction, newSelfSigned } from './NewSelfSignedAction';
import { PopulateAction, populate } from './PopulateAction';
import { ReceiveAction, receive } from './ReceiveAction';
import { RecreateAction, recreateRequest } from './RecreateAction';
import { RenameAction, rename } from './RenameAction';
import { SetDefaultAction, setAsDefault, setDefaultRefusal } from './SetDefaultAction';
import { SignAction, sign, signRefusal } from './SignAction';
import { ValidateAction, validate } from './ValidateAction';
import { ViewDetailsAction, viewDetails } from './ViewDetailsAction';

export interface PaneActionProps {
  store: OpenStore;
  pane: PaneName;
  /** The label selected in the pane, if any. */
  selectedLabel?: string;
}

/** Actions that make something, then actions on the selected entry (disabled without one). */
export const paneActions: Record<PaneName, { create: ComponentType<PaneActionProps>[]; selected: ComponentType<PaneActionProps>[] }> = {
  personal: {
    create: [NewSelfSignedAction, NewRequestAction, ReceiveAction, ImportAction],
    selected: [ViewDetailsAction, ValidateAction, ExtractAction, ExportAction, RecreateAction, SetDefaultAction, RenameAction, DeleteAction, SignAction],
  },
  signer: { create: [AddAction, PopulateAction], selected: [ViewDetailsAction, ExtractAction, RenameAction, DeleteAction] },
  request: { create: [NewRequestAction], selected: [ViewDetailsAction, ExtractAction, RecreateAction, DeleteAction] },
};

/** Actions that change the store: off for a store opened read-only (the service refuses them anyway). */
export const changesStore: ReadonlySet<ComponentType<PaneActionProps>> = new Set([NewSelfSignedAction, NewRequestAction, ReceiveAction, ImportAction, AddAction, PopulateAction, SetDefaultAction, RenameAction, DeleteAction]);

export const readOnlyReason = 'Opened read-only: close it and open it again without “Open read-only” to change it.';

/**
 * The pane buttons the menu bar offers too (Create and Certificate), each run as its button
 * runs it: `refusal` is why the button is off (or absent) for this selection. An entry
 * action needs a selected entry; the others only the pane, which the menu shows first.
 */
export type EntryMenuAction =
  | { component: ComponentType<PaneActionProps>; text: string; onEntry: false; run: (store: OpenStore) => void }
  | {
      component: ComponentType<PaneActionProps>;
      text: string;
      onEntry: true;
      run: (store: OpenStore, label: string, pane: PaneName) => void;
      refusal?: (store: OpenStore, label: string | undefined) => string | undefined;
    };

export const entryMenuActions: Record<EntryActionName, EntryMenuAction> = {
  receive: { text: 'Receive…', component: ReceiveAction, onEntry: false, run: receive },
  import: { text: 'Import…', component: ImportAction, onEntry: false, run: importEntries },
  add: { text: 'Add…', component: AddAction, onEntry: false, run: addCertificate },
  populate: { text: 'Populate…', component: PopulateAction, onEntry: false, run: populate },
  validate: { text: 'Validate', component: ValidateAction, onEntry: true, run: validate },
  extract: { text: 'Extract…', component: ExtractAction, onEntry: true, run: extract },
  export: { text: 'Export…', component: ExportAction, onEntry: true, run: exportEntry },
  recreate: { text: 'Recreate Request…', component: RecreateAction, onEntry: true, run: recreateRequest },
  'set-default': { text: 'Set as Default…', component: SetDefaultAction, onEntry: true, run: setAsDefault, refusal: setDefaultRefusal },
  rename: { text: 'Rename…', component: RenameAction, onEntry: true, run: rename },
  delete: { text: 'Delete…', component: DeleteAction, onEntry: true, run: deleteEntry },
  sign: { text: 'Sign…', component: SignAction, onEntry: true, run: sign, refusal: signRefusal },
};

/** The panes whose bar has this button. */
export function panesWith(component: ComponentType<PaneActionProps>): PaneName[] {
  return (Object.keys(paneActions) as PaneName[]).filter((p) => paneActions[p].create.includes(component) || paneActions[p].selected.includes(component));
}

/** The buttons that make or open something without an entry action of the menu's own. */
const ownMenuActions: EntryMenuAction[] = [
  { component: NewSelfSignedAction, text: 'New Self-Signed…', onEntry: false, run: newSelfSigned },
  { component: NewRequestAction, text: 'New Request…', onEntry: false, run: newRequest },
  { component: ViewDetailsAction, text: 'View Details', onEntry: true, run: (store, label) => viewDetails(store.view.storeId, label) },
];

/** A pane's button as an item of a menu: its words, why it is off now (as the button would
 * be), and what it does; undefined where the button is not shown at all (Sign… on an entry
 * that is not a CA). */
export function paneMenuItem(component: ComponentType<PaneActionProps>, store: OpenStore, pane: PaneName, selectedLabel: string | undefined): { text: string; refusal?: string; run: () => void } | undefined {
  const action = [...Object.values(entryMenuActions), ...ownMenuActions].find((a) => a.component === component);
  if (!action) return undefined;
  const text = component === RecreateAction && pane === 'request' ? 'Recreate…' : action.text;
  if (store.view.readOnly && changesStore.has(component)) return { text, refusal: readOnlyReason, run: () => undefined };
  if (!action.onEntry) return { text, run: () => action.run(store) };
  const refusal = action.refusal?.(store, selectedLabel) ?? (selectedLabel ? undefined : 'Select an entry first');
  if (component === SignAction && refusal) return undefined;
  return { text, refusal, run: () => selectedLabel && action.run(store, selectedLabel, pane) };
}

/** Side by side, half a projector's width has room for one row: these stay buttons, the
 * rest of the pane's actions are in its More menu. What an exchange needs: the details of
 * what is there, extracting one's own certificate, adding the partner's. */
export const sideBySideButtons: Record<PaneName, ComponentType<PaneActionProps>[]> = {
  personal: [ViewDetailsAction, ExtractAction],
  signer: [ViewDetailsAction, AddAction],
  request: [ViewDetailsAction, ExtractAction],
};

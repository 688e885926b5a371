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
import { NewRequestAction } from './NewRequestAction';
import { NewSelfSignedAction } from './NewSelfSignedAction';
import { PopulateAction, populate } from './PopulateAction';
import { ReceiveAction, receive } from './ReceiveAction';
import { RecreateAction, recreateRequest } from './RecreateAction';
import { RenameAction, rename } from './RenameAction';
import { SetDefaultAction, setAsDefault, setDefaultRefusal } from './SetDefaultAction';
import { SignAction, sign, signRefusal } from './SignAction';
import { ValidateAction, validate } from './ValidateAction';
import { ViewDetailsAction } from './ViewDetailsAction';

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
  | { component: ComponentType<PaneActionProps>; onEntry: false; run: (store: OpenStore) => void }
  | {
      component: ComponentType<PaneActionProps>;
      onEntry: true;
      run: (store: OpenStore, label: string, pane: PaneName) => void;
      refusal?: (store: OpenStore, label: string | undefined) => string | undefined;
    };

export const entryMenuActions: Record<EntryActionName, EntryMenuAction> = {
  receive: { component: ReceiveAction, onEntry: false, run: receive },
  import: { component: ImportAction, onEntry: false, run: importEntries },
  add: { component: AddAction, onEntry: false, run: addCertificate },
  populate: { component: PopulateAction, onEntry: false, run: populate },
  validate: { component: ValidateAction, onEntry: true, run: validate },
  extract: { component: ExtractAction, onEntry: true, run: extract },
  export: { component: ExportAction, onEntry: true, run: exportEntry },
  recreate: { component: RecreateAction, onEntry: true, run: recreateRequest },
  'set-default': { component: SetDefaultAction, onEntry: true, run: setAsDefault, refusal: setDefaultRefusal },
  rename: { component: RenameAction, onEntry: true, run: rename },
  delete: { component: DeleteAction, onEntry: true, run: deleteEntry },
  sign: { component: SignAction, onEntry: true, run: sign, refusal: signRefusal },
};

/** The panes whose bar has this button. */
export function panesWith(component: ComponentType<PaneActionProps>): PaneName[] {
  return (Object.keys(paneActions) as PaneName[]).filter((p) => paneActions[p].create.includes(component) || paneActions[p].selected.includes(component));
}

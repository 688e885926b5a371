/**
 * The action bar of each pane, in iKeyman's order. Each action is one file in actions/
 * exporting a component that gets the store, the pane and the selected label; a dialog
 * action opens its dialog with showDialog.
 */
import type { ComponentType } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { AddAction } from './AddAction';
import { DeleteAction } from './DeleteAction';
import { ExportAction } from './ExportAction';
import { ExtractAction } from './ExtractAction';
import { ImportAction } from './ImportAction';
import { NewRequestAction } from './NewRequestAction';
import { NewSelfSignedAction } from './NewSelfSignedAction';
import { PopulateAction } from './PopulateAction';
import { ReceiveAction } from './ReceiveAction';
import { RecreateAction } from './RecreateAction';
import { RenameAction } from './RenameAction';
import { SetDefaultAction } from './SetDefaultAction';
import { SignAction } from './SignAction';
import { ValidateAction } from './ValidateAction';
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

/**
 * The action bar of each pane, in iKeyman's order. Each action is one file in actions/
 * exporting a component that gets the store, the pane and the selected label; a dialog
 * action opens its dialog with showDialog. Issue 7's actions (New Self-Signed…, Receive…,
 * Add…, Extract…, Rename…, Delete, …) are added to these lists.
 */
import type { ComponentType } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { ViewDetailsAction } from './ViewDetailsAction';

export interface PaneActionProps {
  store: OpenStore;
  pane: PaneName;
  /** The label selected in the pane, if any. */
  selectedLabel?: string;
}

export const paneActions: Record<PaneName, ComponentType<PaneActionProps>[]> = {
  personal: [ViewDetailsAction],
  signer: [ViewDetailsAction],
  request: [ViewDetailsAction],
};

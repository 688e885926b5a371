/** "View Details" for the selected entry (also double-click, Enter, and View → View Details). */
import { activeStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { EntryDetailsDialog } from './EntryDetailsDialog';
import type { PaneActionProps } from './pane-actions';

export function viewDetails(storeId: string, label: string): void {
  showDialog((close) => <EntryDetailsDialog storeId={storeId} label={label} onClose={close} />);
}

/** From the menu: the selected entry of the pane shown, if any. */
export function viewSelectedDetails(): boolean {
  const store = activeStore();
  const label = store?.panes[store.pane].selectedLabel;
  if (!store || !label) return false;
  viewDetails(store.view.storeId, label);
  return true;
}

export function ViewDetailsAction({ store, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      disabled={!selectedLabel}
      onClick={() => selectedLabel && viewDetails(store.view.storeId, selectedLabel)}
      title={selectedLabel ? undefined : 'Select an entry first'}
    >
      View Details
    </button>
  );
}

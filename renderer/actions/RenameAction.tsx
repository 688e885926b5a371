/**
 * Rename…: a new label for an entry — typically to the ibmwebspheremq… name a queue
 * manager looks for, in lower case.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { TextField } from '../components/FormFields';
import { reportChange } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function RenameDialog({ store, label, pane, onClose }: { store: OpenStore; label: string; pane: PaneName; onClose: () => void }) {
  const [newLabel, setNewLabel] = useState(label);
  const { busy, error, run } = useActionRun();
  const wanted = newLabel.trim();
  // A change of case alone is a rename too: MQ looks for the label in lower case.
  const clash = store.view.entries.some((e) => e.label !== label && e.label.toLowerCase() === wanted.toLowerCase());
  const problem =
    wanted === '' ? 'New label is required' : wanted === label ? 'Type a label different from the current one' : clash ? `The label “${wanted}” is already used in this key database` : undefined;
  const mqHint = pane === 'personal' && /[A-Z]/.test(wanted) && wanted.toLowerCase().startsWith('ibmwebspheremq') ? 'IBM MQ looks for this label in lower case.' : undefined;

  function submit() {
    return run('Renaming…', async () => {
      const changed = await keydesk.renameEntry({ store: { storeId: store.view.storeId }, label, newLabel: wanted });
      reportChange(store, changed, `Renamed “${label}” to “${wanted}”.`, { pane, label: wanted });
      onClose();
    });
  }

  return (
    <ActionDialog title={`Rename: ${label}`} subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} problem={problem} busy={busy} error={error} size="small">
      <TextField label="New label" value={newLabel} onChange={setNewLabel} error={problem === 'Type a label different from the current one' ? undefined : problem} hint={mqHint} autoFocus mono />
    </ActionDialog>
  );
}

export function rename(store: OpenStore, label: string, pane: PaneName): void {
  showDialog((close) => <RenameDialog store={store} label={label} pane={pane} onClose={close} />);
}

export function RenameAction({ store, pane, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select an entry first'}
      onClick={() => selectedLabel && rename(store, selectedLabel, pane)}
    >
      Rename…
    </button>
  );
}

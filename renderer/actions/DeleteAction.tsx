/**
 * Delete: asks first, naming the label and what goes with it. No copy is kept unless the
 * operator asks for one: a .bak would still hold the private key being deleted.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { CheckboxField } from '../components/FormFields';
import { reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

const what: Record<PaneName, string> = {
  personal: 'the personal certificate',
  signer: 'the signer certificate',
  request: 'the certificate request',
};

function DeleteDialog({ store, label, pane, onClose }: { store: OpenStore; label: string; pane: PaneName; onClose: () => void }) {
  const { busy, error, run } = useActionRun();
  const [backup, setBackup] = useState(false);

  function submit() {
    return run('Deleting…', async () => {
      const changed = await keydesk.deleteEntry({ store: { storeId: store.view.storeId, backup }, label, kind: pane });
      reportChange(store, changed, `Deleted ${what[pane]} “${label}” from ${storeName(store)}.`);
      onClose();
    });
  }

  const consequence =
    pane === 'personal'
      ? 'Its private key goes with it: a queue manager using this label can no longer start its TLS channels.'
      : pane === 'signer'
        ? 'Partners whose certificates this CA signed will no longer be trusted.'
        : 'Its private key goes with it: the CA’s answer to this request can then no longer be received.';

  return (
    <ActionDialog title="Delete" subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error} size="small" cancelFirst>
      <p className="confirm-question">
        Delete {what[pane]} <strong className="mono">“{label}”</strong> from {storeName(store)}?
      </p>
      <p className="hint">{consequence}</p>
      <CheckboxField
        label="Keep a backup copy of the store (.bak)"
        checked={backup}
        onChange={setBackup}
        hint={pane === 'signer' ? 'Readable only by you.' : 'Readable only by you; it still holds this private key until you delete it.'}
      />
    </ActionDialog>
  );
}

export function deleteEntry(store: OpenStore, label: string, pane: PaneName): void {
  showDialog((close) => <DeleteDialog store={store} label={label} pane={pane} onClose={close} />);
}

export function DeleteAction({ store, pane, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary danger"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select an entry first'}
      onClick={() => selectedLabel && deleteEntry(store, selectedLabel, pane)}
    >
      Delete
    </button>
  );
}

/**
 * Delete: asks first, naming the label and what goes with it (a personal certificate's
 * private key cannot be recovered from anywhere but the .bak KeyDesk keeps).
 */
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
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

  function submit() {
    return run('Deleting…', async () => {
      const changed = await keydesk.deleteEntry({ store: { storeId: store.view.storeId }, label, kind: pane });
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
    <ActionDialog title="Delete" subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error} size="small">
      <p className="confirm-question">
        Delete {what[pane]} <strong className="mono">“{label}”</strong> from {storeName(store)}?
      </p>
      <p className="hint">{consequence} KeyDesk keeps the previous file as a .bak copy.</p>
    </ActionDialog>
  );
}

export function DeleteAction({ store, pane, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary danger"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select an entry first'}
      onClick={() => selectedLabel && showDialog((close) => <DeleteDialog store={store} label={selectedLabel} pane={pane} onClose={close} />)}
    >
      Delete
    </button>
  );
}

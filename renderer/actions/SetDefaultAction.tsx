/**
 * Set as Default (Personal Certificates): the certificate a GSKit application uses when it
 * is given no label (IBM HTTP Server without SSLServerCert, Db2 without SSL_SVR_LABEL).
 * A queue manager goes by its label, so the dialog says that before anything is marked.
 */
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { reportChange } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function SetDefaultDialog({ store, label, onClose }: { store: OpenStore; label: string; onClose: () => void }) {
  const { busy, error, run } = useActionRun();
  const current = store.view.entries.find((e) => e.kind === 'personal' && e.isDefault);

  function submit() {
    return run('Marking the default certificate…', async () => {
      const changed = await keydesk.setDefaultCertificate({ store: { storeId: store.view.storeId }, label });
      // The note says which certificate it replaces; the sentence before it only says done.
      reportChange(store, changed, 'Default certificate set.', { pane: 'personal', label });
      onClose();
    });
  }

  return (
    <ActionDialog
      title={`Set as Default: ${label}`}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={busy}
      error={error}
      okText="Set as Default"
    >
      <p>
        The default certificate is the one an application uses when it is given no label. It is marked <strong className="default-mark inline">*</strong> in the list.
      </p>
      <p className="hint">
        {current && current.label !== label ? `“${current.label}” is the default now; it will no longer be. ` : ''}
        IBM MQ does not use the default: a queue manager looks for its own label (ibmwebspheremq and its name, or CERTLABL).
      </p>
    </ActionDialog>
  );
}

/** Why Set as Default… is off for this selection, if it is. */
export function setDefaultRefusal(store: OpenStore, label: string | undefined): string | undefined {
  if (!label) return 'Select a personal certificate first';
  return store.view.entries.some((e) => e.label === label && e.isDefault) ? 'This is already the default certificate' : undefined;
}

export function setAsDefault(store: OpenStore, label: string): void {
  showDialog((close) => <SetDefaultDialog store={store} label={label} onClose={close} />);
}

export function SetDefaultAction({ store, selectedLabel }: PaneActionProps) {
  const refusal = setDefaultRefusal(store, selectedLabel);
  return (
    <button type="button" className="secondary" disabled={refusal !== undefined} title={refusal} onClick={() => selectedLabel && setAsDefault(store, selectedLabel)}>
      Set as Default…
    </button>
  );
}

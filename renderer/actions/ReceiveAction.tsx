/**
 * Receive…: the certificate the CA signed, matched to its pending request (or to a
 * personal key, for a renewal). CA certificates in the same file become signers. Refused,
 * naming the issuer, while the CA is not yet a signer: that refusal is shown as it comes.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { FileField } from '../components/FormFields';
import { besideStore, reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function ReceiveDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [file, setFile] = useState('');
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required: the certificate your CA returned' : undefined;
  const pending = store.rows.request.map((r) => r.label);

  function submit() {
    return run('Receiving the certificate…', async () => {
      const before = new Set(store.view.entries.filter((e) => e.kind === 'personal').map((e) => `${e.label}\n${e.sha256}`));
      const changed = await keydesk.receiveCertificate({ store: { storeId: store.view.storeId }, file: file.trim() });
      const received = changed.entries.find((e) => e.kind === 'personal' && !before.has(`${e.label}\n${e.sha256}`));
      const label = received?.label;
      reportChange(store, changed, `Received ${label ? `“${label}”` : 'the certificate'} into ${storeName(store)}.`, label ? { pane: 'personal', label } : undefined);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Receive Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={fileError}
      busy={busy}
      error={error}
    >
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'open', title: 'Receive a certificate', kind: 'certificate', defaultPath: besideStore(store, '') }}
        error={fileError}
        hint="PEM, DER or PKCS#7, recognised from the content. CA certificates in the same file are added as signer certificates."
        />
      <p className="hint">
        {pending.length > 0 ? `Pending requests: ${pending.join(', ')}. ` : 'No pending request: a certificate for an existing personal key is received as a renewal. '}
        The CA that signed the certificate must already be in Signer Certificates (use Add… first), or be in the same file.
      </p>
    </ActionDialog>
  );
}

export function ReceiveAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => showDialog((close) => <ReceiveDialog store={store} onClose={close} />)}>
      Receive…
    </button>
  );
}

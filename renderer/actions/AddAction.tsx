/**
 * Add… (Signer Certificates): a CA's certificate, or a partner's self-signed one, becomes
 * trusted by this store. The second half of the self-signed exchange.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { FileField, TextField } from '../components/FormFields';
import { fileNameOf, stemOf } from '../paths';
import { allLabels, besideStore, reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function AddDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [file, setFile] = useState('');
  // The file's name is a fair first label, as iKeyman leaves the label to the user.
  const [label, setLabel] = useState<string>();
  const { busy, error, run } = useActionRun();
  const shownLabel = label ?? (file.trim() ? stemOf(fileNameOf(file.trim())) : '');
  const used = allLabels(store).some((l) => l.toLowerCase() === shownLabel.trim().toLowerCase());
  const fileError = file.trim() === '' ? 'File is required: the certificate to trust' : undefined;
  const labelError = shownLabel.trim() === '' ? 'Label is required' : used ? `The label “${shownLabel.trim()}” is already used in this key database` : undefined;

  function submit() {
    return run('Adding the certificate…', async () => {
      const changed = await keydesk.addCertificate({ store: { storeId: store.view.storeId }, label: shownLabel.trim(), file: file.trim() });
      reportChange(store, changed, `Added “${shownLabel.trim()}” to the signer certificates of ${storeName(store)}.`, { pane: 'signer', label: shownLabel.trim() });
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Add Signer Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, labelError)}
      busy={busy}
      error={error}
    >
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'open', title: 'Add a signer certificate', kind: 'certificate', defaultPath: besideStore(store, '') }}
        error={fileError}
        hint="PEM, DER or PKCS#7, recognised from the content. A file with several certificates adds each of them."
      />
      <TextField label="Label" value={shownLabel} onChange={setLabel} error={labelError} mono />
    </ActionDialog>
  );
}

export function AddAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => showDialog((close) => <AddDialog store={store} onClose={close} />)}>
      Add…
    </button>
  );
}

/**
 * Export…: a personal certificate with its private key and chain into another key store
 * (PKCS#12 for most tools, or a CMS/JKS store). An existing file gets the entry added,
 * opened with the password given here.
 */
import { useState } from 'react';
import type { WritableFormat } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { FileField, NewPasswordFields, newPasswordErrors } from '../components/FormFields';
import { besideStore, fileNameFor, reportDone, requestDatabaseClash } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';
import { StoreTypeField } from '../components/StoreTypeField';

function ExportDialog({ store, label, onClose }: { store: OpenStore; label: string; onClose: () => void }) {
  const [format, setFormat] = useState<WritableFormat>('pkcs12');
  const [file, setFile] = useState(besideStore(store, fileNameFor(label, '.p12')));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required' : file.trim() === store.view.path ? 'Choose another file than this key database' : requestDatabaseClash(store.view.path, file);
  const passwordErrors = newPasswordErrors(password, confirm);

  function submit() {
    return run('Exporting…', async () => {
      const done = await keydesk.exportEntry({ store: { storeId: store.view.storeId }, label, target: file.trim(), targetPassword: password, targetFormat: format });
      reportDone(`Exported “${label}” with its private key to ${done.written.join(', ')}.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title={`Export: ${label}`}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, passwordErrors.password, passwordErrors.confirm)}
      busy={busy}
      error={error}
    >
      <StoreTypeField label="Target type" format={format} onFormat={setFormat} onFile={setFile} />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'Export to key store', kind: 'key-store' }} error={fileError} hint="The certificate, its private key and its CA chain. If the file exists, the entry is added to it and the password must be that file's." />
      <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={passwordErrors} />
    </ActionDialog>
  );
}

export function exportEntry(store: OpenStore, label: string): void {
  showDialog((close) => <ExportDialog store={store} label={label} onClose={close} />);
}

export function ExportAction({ store, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select a personal certificate first'}
      onClick={() => selectedLabel && exportEntry(store, selectedLabel)}
    >
      Export…
    </button>
  );
}

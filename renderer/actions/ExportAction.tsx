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
import { FileField, NewPasswordFields, SelectField, newPasswordErrors } from '../components/FormFields';
import { besideStore, fileNameFor, reportDone, requestDatabaseClash } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

export const storeTypeOptions: { value: WritableFormat; text: string; extension: string }[] = [
  { value: 'pkcs12', text: 'PKCS#12 (.p12)', extension: '.p12' },
  { value: 'cms', text: 'CMS key database (.kdb)', extension: '.kdb' },
  { value: 'jks', text: 'JKS (.jks)', extension: '.jks' },
  { value: 'jceks', text: 'JCEKS (.jceks)', extension: '.jceks' },
];

export function extensionOf(format: WritableFormat): string {
  return storeTypeOptions.find((o) => o.value === format)!.extension;
}

/** Keeps a path's extension in step with the chosen type, when it is one of ours. */
export function retype(path: string, to: WritableFormat): string {
  const known = storeTypeOptions.find((o) => path.toLowerCase().endsWith(o.extension));
  return known ? path.slice(0, -known.extension.length) + extensionOf(to) : path;
}

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
      <SelectField
        label="Target type"
        value={format}
        options={storeTypeOptions}
        onChange={(v) => {
          setFormat(v as WritableFormat);
          setFile((f) => retype(f, v as WritableFormat));
        }}
      />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'Export to key store', kind: 'key-store' }} error={fileError} hint="The certificate, its private key and its CA chain. If the file exists, the entry is added to it and the password must be that file's." />
      <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={passwordErrors} />
    </ActionDialog>
  );
}

export function ExportAction({ store, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select a personal certificate first'}
      onClick={() => selectedLabel && showDialog((close) => <ExportDialog store={store} label={selectedLabel} onClose={close} />)}
    >
      Export…
    </button>
  );
}

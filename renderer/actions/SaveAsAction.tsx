/**
 * Save As / Convert…: the whole store written to a new file, in the same or another format
 * (a CMS key.kdb to PKCS#12 for a Java client, say), which then opens in its own tab. The
 * original is left as it was.
 */
import { useState } from 'react';
import type { WritableFormat } from '../../core/api/contract';
import { activeStore, useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { CheckboxField, FileField, NewPasswordFields, newPasswordErrors } from '../components/FormFields';
import { reportDone, requestDatabaseClash } from './action-support';
import { useActionRun } from './use-action-run';
import { fileNameOf, folderOf, joinPath, stemOf } from '../paths';
import { StoreTypeField, extensionOf } from '../components/StoreTypeField';
import { CurrentPasswordField, credentialsOf, currentPasswordError } from './store-credentials';

function SaveAsDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [format, setFormat] = useState<WritableFormat>(store.view.format === 'cms' ? 'pkcs12' : 'cms');
  // Another stem than the original's: the two would otherwise share one .rdb.
  const [file, setFile] = useState(() => {
    const name = stemOf(fileNameOf(store.view.path));
    return joinPath(folderOf(store.view.path), `${name}-converted${extensionOf(store.view.format === 'cms' ? 'pkcs12' : 'cms')}`);
  });
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  // On, as in New…: a queue manager opens its key database with the stash.
  const [stash, setStash] = useState(true);
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required' : file.trim() === store.view.path ? 'Choose a new file: the original stays as it is' : requestDatabaseClash(store.view.path, file);
  const passwordErrors = newPasswordErrors(password, confirm);

  function submit() {
    const newPath = file.trim();
    return run('Writing the new key database…', async () => {
      const done = await keydesk.convertStore({ path: store.view.path, ...credentialsOf(store, current), newPath, newPassword: password, newFormat: format, stash });
      const opened = await useAppState.getState().openStore(newPath, { password }, 'password');
      if (!opened.ok) throw new Error(opened.message);
      reportDone(`Saved as ${done.written.join(', ')}; it is open in a new tab.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Save As / Convert"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(currentPasswordError(store, current), fileError, passwordErrors.password, passwordErrors.confirm)}
      busy={busy}
      error={error}
    >
      <CurrentPasswordField store={store} value={current} onChange={setCurrent} />
      <StoreTypeField label="Target type" format={format} onFormat={setFormat} onFile={setFile} />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'Save key database as', kind: 'key-store' }} error={fileError} />
      <fieldset className="field-group">
        <legend>Password of the new file</legend>
        <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={passwordErrors} />
      </fieldset>
      <CheckboxField label="Stash password to a file" checked={stash} onChange={setStash} />
    </ActionDialog>
  );
}

export function saveAs(store = activeStore()): void {
  if (store) showDialog((close) => <SaveAsDialog store={store} onClose={close} />);
  else useAppState.getState().showMessage({ tone: 'info', text: 'Open a key database first, then Save As / Convert….' });
}

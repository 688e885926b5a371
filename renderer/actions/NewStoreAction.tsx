/**
 * File → New…: an empty key database (CMS key.kdb with its stash by default, as a queue
 * manager wants it), opened in a new tab.
 */
import { useState } from 'react';
import type { WritableFormat } from '../../core/api/contract';
import { activeStore, useAppState } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { folderOf, joinPath } from '../paths';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { CheckboxField, FileField, NewPasswordFields, newPasswordErrors } from '../components/FormFields';
import { reportDone } from './action-support';
import { useActionRun } from './use-action-run';
import { StoreTypeField } from '../components/StoreTypeField';
import { PasswordExpiryField } from '../components/PasswordExpiryField';

function NewStoreDialog({ onClose }: { onClose: () => void }) {
  const current = activeStore();
  const [format, setFormat] = useState<WritableFormat>('cms');
  const [file, setFile] = useState(current ? joinPath(folderOf(current.view.path), 'key.kdb') : '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [stash, setStash] = useState(true);
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required: where the new key database is written' : undefined;
  const passwordErrors = newPasswordErrors(password, confirm);

  function submit() {
    const path = file.trim();
    return run('Creating the key database…', async () => {
      const done = await keydesk.createStore({ path, password, format, stash });
      const opened = await useAppState.getState().openStore(path, { password }, 'password');
      if (!opened.ok) throw new Error(opened.message);
      reportDone(`Created ${done.written.join(', ')}.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="New key database"
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, passwordErrors.password, passwordErrors.confirm)}
      busy={busy}
      error={error}
    >
      <StoreTypeField
        label="Key database type"
        format={format}
        onFormat={setFormat}
        onFile={setFile}
        hint="IBM MQ on Linux, AIX and Windows uses a CMS key.kdb; Java clients use PKCS#12 or JKS."
      />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'New key database', kind: 'key-store' }} error={fileError} />
      <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={passwordErrors} />
      {format === 'cms' && <PasswordExpiryField />}
      <CheckboxField label="Stash password to a file" checked={stash} onChange={setStash} hint="A queue manager opens its key.kdb with the stash (key.sth) beside it." />
    </ActionDialog>
  );
}

export function newStore(): void {
  showDialog((close) => <NewStoreDialog onClose={close} />);
}

export function NewStoreButton() {
  return (
    <button type="button" className="secondary" onClick={newStore}>
      New…
    </button>
  );
}

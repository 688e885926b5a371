/**
 * Change Password…: every key re-encrypted under the new password, and a stash beside the
 * store updated with it (a stale stash would stop the queue manager at its next start).
 * The tab then holds the store as reopened with the new password.
 */
import { useState } from 'react';
import { activeStore, useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { CheckboxField, NewPasswordFields, newPasswordErrors } from '../components/FormFields';
import { reportDone, storeName } from './action-support';
import { CurrentPasswordField, credentialsOf, currentPasswordError } from './store-credentials';
import { useActionRun } from './use-action-run';
import { PasswordExpiryField } from '../components/PasswordExpiryField';

function ChangePasswordDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [stash, setStash] = useState(store.unlockedWith === 'stash');
  const [backup, setBackup] = useState(false);
  const { busy, error, run } = useActionRun();
  const passwordErrors = newPasswordErrors(password, confirm);

  function submit() {
    return run('Re-encrypting the key database…', async () => {
      const done = await keydesk.changePassword({ path: store.view.path, ...credentialsOf(store, current), newPassword: password, stash, backup });
      // The session held the old file; the store is opened again as it now is on disk.
      await keydesk.closeStore({ storeId: store.view.storeId }).catch(() => undefined);
      const view = await keydesk.openStore({ path: store.view.path, password });
      useAppState.getState().replaceStore(store.view.storeId, view, 'password');
      reportDone(`Changed the password of ${storeName(store)}; wrote ${done.written.join(', ')}.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Change Password"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(currentPasswordError(store, current), passwordErrors.password, passwordErrors.confirm)}
      busy={busy}
      error={error}
    >
      <CurrentPasswordField store={store} value={current} onChange={setCurrent} />
      <fieldset className="field-group">
        <legend>New password</legend>
        <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={passwordErrors} />
        {store.view.format === 'cms' && <PasswordExpiryField />}
      </fieldset>
      <CheckboxField label="Stash password to a file" checked={stash} onChange={setStash} hint="A stash already beside the key database is always updated." />
      <CheckboxField
        label="Keep a backup copy under the old password (.bak)"
        checked={backup}
        onChange={setBackup}
        hint="Off by default: such a copy opens every key with the old password. Readable only by you."
      />
    </ActionDialog>
  );
}

export function changePassword(store = activeStore()): void {
  if (store) showDialog((close) => <ChangePasswordDialog store={store} onClose={close} />);
  else useAppState.getState().showMessage({ tone: 'info', text: 'Open a key database first, then Change Password….' });
}

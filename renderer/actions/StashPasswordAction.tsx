/**
 * Stash Password…: writes `<stem>.sth` beside the store, so a queue manager (or KeyDesk)
 * opens it without typing. The password is checked against the store first.
 */
import { useState } from 'react';
import { activeStore, useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { stashFileNameFor } from '../paths';
import { ActionDialog } from '../components/ActionDialog';
import { TextField } from '../components/FormFields';
import { reportDone } from './action-support';
import { useActionRun } from './use-action-run';

function StashPasswordDialog({ store, onClose, onStashed }: { store: OpenStore; onClose: () => void; onStashed?: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, run } = useActionRun();
  const problem = password === '' ? 'Password is required: the key database’s password' : undefined;

  function submit() {
    return run('Writing the stash file…', async () => {
      const done = await keydesk.stashPassword({ path: store.view.path, password });
      reportDone(`Stashed the password in ${done.written.join(', ')}.`, done.notes);
      onClose();
      onStashed?.();
    });
  }

  return (
    <ActionDialog title="Stash Password" subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} problem={problem} busy={busy} error={error} size="small">
      <TextField label="Password" type="password" value={password} onChange={setPassword} error={problem} autoFocus hint={`Written to ${stashFileNameFor(store.view.path)} beside the key database. Anyone who can read that file can open the store: keep it readable by the queue manager only.`} />
    </ActionDialog>
  );
}

/** `onStashed`: what to do once the stash is written (the doctor checks again). */
export function stashPassword(store = activeStore(), onStashed?: () => void): void {
  if (store) showDialog((close) => <StashPasswordDialog store={store} onClose={close} onStashed={onStashed} />);
  else useAppState.getState().showMessage({ tone: 'info', text: 'Open a key database first, then Stash Password….' });
}

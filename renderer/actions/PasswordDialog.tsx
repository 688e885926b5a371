/**
 * The password for a store being opened. When GSKit's stash file (`<stem>.sth`) is beside
 * it, it is offered and chosen already: that is how queue managers open their key.kdb, and
 * how a help desk opens a store sent with only its stash. A wrong password keeps the dialog
 * open with the reason, so the user can try again.
 */
import { useEffect, useId, useState } from 'react';
import { ModalDialog } from '../components/ModalDialog';
import { useAppState } from '../app-state';
import { keydesk } from '../keydesk-client';
import { fileNameOf, folderOf, stashFileNameFor } from '../paths';
import { RepairButton } from './RepairAction';

type StashState = 'looking' | 'present' | 'absent';

export interface PasswordDialogProps {
  path: string;
  onClose: () => void;
  /** Shown above the fields, e.g. why the password is asked again. */
  reason?: string;
}

export function PasswordDialog({ path, onClose, reason }: PasswordDialogProps) {
  const openStore = useAppState((s) => s.openStore);
  const [stash, setStash] = useState<StashState>('looking');
  const [useStash, setUseStash] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(reason);
  const [busy, setBusy] = useState(false);
  const [repairable, setRepairable] = useState(false);
  const stashName = stashFileNameFor(path);
  const noteId = useId();

  useEffect(() => {
    let current = true;
    keydesk
      .listDirectory({ path: folderOf(path) || undefined })
      .then((listing) => listing.entries.some((e) => e.kind === 'file' && e.name === stashName))
      .catch(() => false)
      .then((present) => {
        if (!current) return;
        setStash(present ? 'present' : 'absent');
        setUseStash(present);
      });
    return () => {
      current = false;
    };
  }, [path, stashName]);

  async function submit() {
    if (!useStash && password === '') {
      setError('Type the password, or use the stash file if there is one.');
      return;
    }
    setBusy(true);
    const result = await openStore(path, useStash ? { stashed: true } : { password }, useStash ? 'stash' : 'password');
    setBusy(false);
    if (result.ok) return onClose();
    setError(result.message);
    setRepairable(result.reason === 'transfer-damaged');
    // A stash that does not open the store: the password is the way left.
    if (result.code === 'stash-mismatch') setUseStash(false);
    if (result.code === 'wrong-password') setPassword('');
  }

  return (
    <ModalDialog
      title="Open key database"
      subtitle={<span className="path">{path}</span>}
      size="small"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || stash === 'looking'}>
            {busy ? 'Opening…' : 'OK'}
          </button>
        </>
      }
    >
      {stash === 'present' && (
        <label className="checkbox">
          <input type="checkbox" checked={useStash} onChange={(e) => setUseStash(e.target.checked)} />
          Use the stash file {stashName}
        </label>
      )}
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          value={password}
          disabled={useStash}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="off"
          autoFocus
          aria-describedby={noteId}
        />
      </label>
      <p className="hint" id={noteId}>
        {stash === 'looking' && 'Looking for a stash file…'}
        {stash === 'present' && (useStash ? `The password is read from ${stashName}, beside ${fileNameOf(path)}.` : 'Passwords are case-sensitive.')}
        {stash === 'absent' && `No stash file (${stashName}) beside ${fileNameOf(path)}. Passwords are case-sensitive.`}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {repairable && (
        <div className="repair-offer">
          <RepairButton
            path={path}
            onRepaired={() => {
              setRepairable(false);
              onClose();
            }}
          />
        </div>
      )}
    </ModalDialog>
  );
}

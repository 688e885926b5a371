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
  /** Open Read-Only checked at first (a store reopened as it was last opened). */
  readOnly?: boolean;
}

export function PasswordDialog({ path, onClose, reason, readOnly: readOnlyAtFirst }: PasswordDialogProps) {
  const openStore = useAppState((s) => s.openStore);
  const [stash, setStash] = useState<StashState>('looking');
  const [useStash, setUseStash] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(reason);
  const [busy, setBusy] = useState(false);
  const [repairable, setRepairable] = useState(false);
  const [readOnly, setReadOnly] = useState(readOnlyAtFirst === true);
  /** Why this file is best opened read-only (a system trust store, not writable by this user). */
  const [readOnlyAdvice, setReadOnlyAdvice] = useState<string>();
  const stashName = stashFileNameFor(path);
  const noteId = useId();

  useEffect(() => {
    let current = true;
    keydesk
      .listDirectory({ path: folderOf(path) || undefined })
      .then((listing) => ({
        present: listing.entries.some((e) => e.kind === 'file' && e.name === stashName),
        advice: listing.entries.find((e) => e.kind === 'file' && e.name === fileNameOf(path))?.readOnlyReason,
      }))
      .catch(() => ({ present: false, advice: undefined }))
      .then(({ present, advice }) => {
        if (!current) return;
        setStash(present ? 'present' : 'absent');
        setUseStash(present);
        setReadOnlyAdvice(advice);
        if (advice) setReadOnly(true);
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
    const result = await openStore(path, { ...(useStash ? { stashed: true } : { password }), ...(readOnly ? { readOnly: true } : {}) }, useStash ? 'stash' : 'password');
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
      <label className="checkbox">
        <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
        Open read-only
      </label>
      <p className="hint">
        {readOnlyAdvice
          ? `Checked because ${readOnlyAdvice}: you can look, extract and compare; nothing can be changed.`
          : 'Read-only: you can look, extract and compare; KeyDesk refuses every change.'}
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

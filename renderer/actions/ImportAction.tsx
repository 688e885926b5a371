/**
 * Import…: personal certificates with their keys from another key store (a PKCS#12 from a
 * CA's portal, another queue manager's key.kdb), all of them or one label.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { FileField, TextField } from '../components/FormFields';
import { besideStore, reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function ImportDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [file, setFile] = useState('');
  const [password, setPassword] = useState('');
  const [label, setLabel] = useState('');
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required: the key store to import from' : file.trim() === store.view.path ? 'Choose another file than this key database' : undefined;
  const passwordError = password === '' ? "Password is required: the password of the file you import from" : undefined;

  function submit() {
    return run('Importing…', async () => {
      const before = new Set(store.view.entries.map((e) => e.label));
      const changed = await keydesk.importEntries({ store: { storeId: store.view.storeId }, source: { path: file.trim(), password }, label: label.trim() || undefined });
      const added = changed.entries.filter((e) => e.kind === 'personal' && !before.has(e.label)).map((e) => e.label);
      reportChange(store, changed, `Imported ${added.map((l) => `“${l}”`).join(', ') || 'the certificate'} into ${storeName(store)}.`, added[0] ? { pane: 'personal', label: added[0] } : undefined);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Import Personal Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, passwordError)}
      busy={busy}
      error={error}
    >
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'open', title: 'Import from key store', kind: 'key-store', defaultPath: besideStore(store, '') }}
        error={fileError}
        hint="PKCS#12, CMS (.kdb), JKS or JCEKS, recognised from the content."
      />
      <TextField label="Password" type="password" value={password} onChange={setPassword} error={passwordError} />
      <TextField label="Key label" value={label} onChange={setLabel} hint="Leave empty to import every personal certificate in the file." mono />
    </ActionDialog>
  );
}

export function importEntries(store: OpenStore): void {
  showDialog((close) => <ImportDialog store={store} onClose={close} />);
}

export function ImportAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => importEntries(store)}>
      Import…
    </button>
  );
}

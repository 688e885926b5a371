/**
 * Repair… : a key store broken by a text-mode (ASCII) FTP transfer, written back as it was
 * to a NEW file the user picks — never over the damaged one, so the original stays for a
 * second look or a fresh transfer. The copy is written only if it verifies (its MAC or
 * keyed digest with the password, where the format has one), so the password is asked.
 * Offered where the refusal is shown: the open dialog, when the file cannot be opened.
 */
import { useEffect, useState } from 'react';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { FileField, TextField } from '../components/FormFields';
import { fileNameOf, folderOf, joinPath, stashFileNameFor } from '../paths';
import { reportDone } from './action-support';
import { useActionRun } from './use-action-run';

/** key.kdb → key-repaired.kdb, beside it: another stem, so GSKit's .rdb/.crl/.sth of the
 * damaged store are never the repaired one's. */
export function repairedNameFor(path: string): string {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf('.');
  const repaired = dot > 0 ? `${name.slice(0, dot)}-repaired${name.slice(dot)}` : `${name}-repaired`;
  return joinPath(folderOf(path), repaired);
}

function RepairDialog({ path, onClose, onRepaired }: { path: string; onClose: () => void; onRepaired?: (target: string) => void }) {
  const [target, setTarget] = useState(repairedNameFor(path));
  const [password, setPassword] = useState('');
  const [useStash, setUseStash] = useState(false);
  const [stashPresent, setStashPresent] = useState(false);
  const { busy, error, run } = useActionRun();
  const stashName = stashFileNameFor(path);

  // Offered only when there is one; the same transfer may have broken it, which the repair says.
  useEffect(() => {
    let live = true;
    keydesk
      .listDirectory({ path: folderOf(path) || undefined })
      .then((listing) => live && setStashPresent(listing.entries.some((e) => e.kind === 'file' && e.name === stashName)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path, stashName]);
  const wanted = target.trim();
  const problem = wanted === '' ? 'Repaired copy is required' : wanted === path ? 'Choose a new file: the damaged one is never overwritten' : undefined;

  function submit() {
    return run('Repairing and verifying…', async () => {
      const credentials = useStash ? { stashed: true } : password !== '' ? { password } : {};
      const done = await keydesk.repairTransferDamage({ path, target: wanted, ...credentials });
      reportDone(`Wrote the repaired copy of ${fileNameOf(path)} to ${done.written.join(', ')}; ${fileNameOf(path)} is unchanged.`, done.notes);
      onClose();
      onRepaired?.(done.written[0] ?? wanted);
    });
  }

  return (
    <ActionDialog
      title={`Repair: ${fileNameOf(path)}`}
      subtitle={<span className="path">{path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={problem}
      busy={busy}
      error={error}
      okText="Write Repaired Copy"
    >
      <p className="hint">
        This file was transferred in text (ASCII) mode, which changed its line-end bytes. KeyDesk undoes that and writes the result to a new file, only if it verifies with the
        password. The damaged file is left as it is.
      </p>
      <FileField label="Repaired copy" value={target} onChange={setTarget} choose={{ mode: 'save', title: 'Save the repaired copy', kind: 'key-store' }} error={problem} />
      {stashPresent && (
        <label className="checkbox">
          <input type="checkbox" checked={useStash} onChange={(e) => setUseStash(e.target.checked)} />
          Use the stash file {stashName}
        </label>
      )}
      {!useStash && <TextField label="Password" type="password" value={password} onChange={setPassword} hint="Needed to verify the repaired copy where the format has an integrity check." />}
    </ActionDialog>
  );
}

export function showRepairDialog(path: string, onRepaired?: (target: string) => void): void {
  showDialog((close) => <RepairDialog path={path} onClose={close} onRepaired={onRepaired} />);
}

/** The button beside the refusal that names a text-mode transfer. */
export function RepairButton({ path, onRepaired }: { path: string; onRepaired?: (target: string) => void }) {
  return (
    <button type="button" className="secondary" onClick={() => showRepairDialog(path, onRepaired)}>
      Repair…
    </button>
  );
}

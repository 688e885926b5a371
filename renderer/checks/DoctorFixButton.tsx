/**
 * The fix a doctor finding suggests, as one button doing the operation it maps onto:
 * rename → Rename to the MQ label; delete → Delete the entries (after saying which);
 * stash → Stash Password…; add-issuer → Add the issuer from a file the user picks.
 */
import { readOnlyReason } from '../actions/pane-actions';
import { useState } from 'react';
import type { FindingFix } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { chooseFile } from '../actions/choose-file';
import { besideStore, errorText, reportChange, storeName } from '../actions/action-support';
import { stashPassword } from '../actions/StashPasswordAction';

/** A label for an added issuer: its common name, as iKeyman users name CA signers. */
function issuerLabel(issuerDn: string, store: OpenStore): string {
  const cn = /(?:^|,)\s*CN=((?:[^,\\]|\\.)+)/i.exec(issuerDn)?.[1]?.trim() ?? 'issuer';
  const used = new Set(store.view.entries.map((e) => e.label.toLowerCase()));
  let label = cn;
  for (let n = 2; used.has(label.toLowerCase()); n++) label = `${cn} (${n})`;
  return label;
}

function DeleteEntriesDialog({ store, labels, onClose, onDeleted }: { store: OpenStore; labels: string[]; onClose: () => void; onDeleted: () => void }) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  async function submit() {
    setError(undefined);
    try {
      let last;
      for (const label of labels) {
        setBusy(`Deleting “${label}”…`);
        last = await keydesk.deleteEntry({ store: { storeId: store.view.storeId }, label });
      }
      if (last) reportChange(store, last, `Deleted ${labels.map((l) => `“${l}”`).join(', ')} from ${storeName(store)}.`);
      onClose();
      onDeleted();
    } catch (e) {
      setError(errorText(e));
      setBusy(undefined);
    }
  }
  return (
    <ActionDialog title="Delete" subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} busy={busy} error={error} okText="Delete" size="small">
      <p>
        Delete {labels.length === 1 ? 'this entry' : `these ${labels.length} entries`} from {storeName(store)}? No copy is kept.
      </p>
      <ul className="delete-list">
        {labels.map((l) => (
          <li key={l} className="mono">
            “{l}”
          </li>
        ))}
      </ul>
    </ActionDialog>
  );
}

export function DoctorFixButton({ store, fix, onFixed }: { store: OpenStore; fix: FindingFix; onFixed: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const storeRef = { storeId: store.view.storeId };

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      onFixed();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  let button;
  switch (fix.action) {
    case 'rename':
      button = (
        <button type="button" disabled={busy} onClick={() => void run(async () => reportChange(store, await keydesk.renameEntry({ store: storeRef, label: fix.label, newLabel: fix.newLabel }), `Renamed “${fix.label}” to “${fix.newLabel}”.`))}>
          Rename to “{fix.newLabel}”
        </button>
      );
      break;
    case 'delete':
      button = (
        <button type="button" disabled={busy} onClick={() => showDialog((close) => <DeleteEntriesDialog store={store} labels={fix.labels} onClose={close} onDeleted={onFixed} />)}>
          {fix.labels.length === 1 ? `Delete “${fix.labels[0]}”…` : `Delete ${fix.labels.length} entries…`}
        </button>
      );
      break;
    case 'stash':
      button = (
        <button type="button" disabled={busy} onClick={() => stashPassword(store, onFixed)}>
          Stash Password…
        </button>
      );
      break;
    case 'enable-trust':
      button = (
        <button type="button" disabled={busy} onClick={() => void run(async () => reportChange(store, await keydesk.setSignerTrust({ store: storeRef, label: fix.label, trusted: true }), `“${fix.label}” is trusted again.`))}>
          Trust “{fix.label}”
        </button>
      );
      break;
    case 'add-issuer':
      button = (
        <button
          type="button"
          disabled={busy}
          title={`The file must hold the certificate of ${fix.issuerDn}`}
          onClick={() =>
            void (async () => {
              const file = await chooseFile({ mode: 'open', title: `Add the issuer ${fix.issuerDn}`, kind: 'certificate', defaultPath: besideStore(store, '') });
              if (!file) return;
              const label = issuerLabel(fix.issuerDn, store);
              await run(async () => reportChange(store, await keydesk.addCertificate({ store: storeRef, label, file }), `Added “${label}” to the signer certificates of ${storeName(store)}.`));
            })()
          }
        >
          Add Issuer from File…
        </button>
      );
      break;
  }
  return (
    <div className="finding-fix">
      {store.view.readOnly ? (
        // Every fix changes the store: off for one opened read-only (issue 15).
        <>
          <fieldset className="read-only-off" disabled title={readOnlyReason}>
            {button}
          </fieldset>
          <p className="hint">{readOnlyReason}</p>
        </>
      ) : (
        button
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

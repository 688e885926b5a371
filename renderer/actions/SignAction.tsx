/**
 * Sign…: KeyDesk as the class's small CA. A request file from a queue manager or client is
 * signed with the selected CA certificate and its key, and the certificate written to a
 * file to send back for Receive…. Offered only on a personal certificate that is a CA.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { fileNameOf, folderOf, joinPath, stemOf } from '../paths';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { DataTypeField, FileField, TextField, type DataType } from '../components/FormFields';
import { besideStore, reportDone } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

const extension: Record<DataType, string> = { ascii: '.arm', binary: '.der' };

/** qm1-request.arm → qm1-signed.arm, beside the request. */
function signedNameFor(request: string, dataType: DataType): string {
  const stem = stemOf(fileNameOf(request)).replace(/-?(request|req|csr)$/i, '') || 'certificate';
  return joinPath(folderOf(request), `${stem}-signed${extension[dataType]}`);
}

function SignDialog({ store, caLabel, onClose }: { store: OpenStore; caLabel: string; onClose: () => void }) {
  const [request, setRequest] = useState('');
  const [target, setTarget] = useState<string>();
  const [dataType, setDataType] = useState<DataType>('ascii');
  const [days, setDays] = useState('365');
  const { busy, error, run } = useActionRun();
  const shownTarget = target ?? (request.trim() ? signedNameFor(request.trim(), dataType) : '');
  const requestError = request.trim() === '' ? 'Certificate request file is required' : undefined;
  const targetError = shownTarget.trim() === '' ? 'Signed certificate file is required' : undefined;
  const daysError = /^\d+$/.test(days.trim()) && Number(days) >= 1 && Number(days) <= 7300 ? undefined : 'Validity period must be a whole number of days from 1 to 7300';

  function submit() {
    return run('Signing…', async () => {
      const done = await keydesk.signRequest({ store: { storeId: store.view.storeId }, caLabel, file: request.trim(), target: shownTarget.trim(), format: dataType, validityDays: Number(days) });
      reportDone(`Signed the request with “${caLabel}” and wrote the certificate to ${done.written.join(', ')}. Receive… it into the store that made the request, after adding this CA's certificate as a signer there.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title={`Sign a Request with ${caLabel}`}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(requestError, targetError, daysError)}
      busy={busy}
      error={error}
    >
      <FileField
        label="Certificate request file"
        value={request}
        onChange={setRequest}
        choose={{ mode: 'open', title: 'Certificate request to sign', kind: 'request', defaultPath: besideStore(store, '') }}
        error={requestError}
      />
      <FileField label="Signed certificate file" value={shownTarget} onChange={setTarget} choose={{ mode: 'save', title: 'Save the signed certificate', kind: 'certificate' }} error={targetError} />
      <div className="field-row">
        <DataTypeField
          value={dataType}
          onChange={(next) => {
            setDataType(next);
            if (target !== undefined) setTarget(target.replace(new RegExp(`\\${extension[dataType]}$`), extension[next]));
          }}
        />
        <TextField label="Validity period (days)" value={days} onChange={setDays} error={daysError} inputMode="numeric" />
      </div>
    </ActionDialog>
  );
}

/** Sign… is there only for a CA's personal certificate: what signs a request. */
export function signRefusal(store: OpenStore, label: string | undefined): string | undefined {
  const entry = store.view.entries.find((e) => e.label === label && e.kind === 'personal');
  return entry?.basicConstraints?.ca ? undefined : 'Sign… signs a request with a CA’s key: select a personal certificate that is a CA (made with New Self-Signed… as a CA) first';
}

export function sign(store: OpenStore, caLabel: string): void {
  showDialog((close) => <SignDialog store={store} caLabel={caLabel} onClose={close} />);
}

export function SignAction({ store, selectedLabel }: PaneActionProps) {
  if (!selectedLabel || signRefusal(store, selectedLabel)) return null;
  return (
    <button type="button" className="secondary" onClick={() => sign(store, selectedLabel)}>
      Sign…
    </button>
  );
}

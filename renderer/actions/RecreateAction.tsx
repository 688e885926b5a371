/**
 * Recreate… (Personal Certificate Requests): the pending request written to a file again,
 * same key, same subject — for when the file sent to the CA was lost.
 *
 * Recreate Request… (Personal Certificates): a renewal request for a certificate already
 * in use — its key, subject and alternative names — as runmqakm -certreq -recreate makes
 * it. The store does not change: Receive later puts the CA's new certificate in place of
 * the old one, under the same label, which is the label the queue manager looks for. A
 * second entry holding the same key (a pending request beside the certificate) would
 * leave Receive to guess which of the two to replace.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { DataTypeField, FileField, type DataType } from '../components/FormFields';
import { besideStore, fileNameFor, reportDone } from './action-support';
import { ExtractDialog } from './ExtractAction';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

const extension: Record<DataType, string> = { ascii: '.arm', binary: '.der' };

function RenewalRequestDialog({ store, label, onClose }: { store: OpenStore; label: string; onClose: () => void }) {
  const [dataType, setDataType] = useState<DataType>('ascii');
  const [file, setFile] = useState(besideStore(store, fileNameFor(`${label}-renewal`, '.arm')));
  const { busy, error, run } = useActionRun();
  const entry = store.view.entries.find((e) => e.label === label);
  const fileError = file.trim() === '' ? 'File is required' : undefined;

  function submit() {
    return run('Writing the request…', async () => {
      const done = await keydesk.extractRequest({ store: { storeId: store.view.storeId }, label, target: file.trim(), format: dataType, renew: true });
      reportDone(`Wrote the renewal request for “${label}” to ${done.written.join(', ')}.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title={`Recreate Request: ${label}`}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={fileError}
      busy={busy}
      error={error}
    >
      <p className="hint">
        A renewal request for this certificate: the same key, subject{entry?.subjectAltNames?.length ? ' and alternative names' : ''}. Send it to your CA; when the new certificate comes
        back, Receive it and it takes the place of the old one under the same label. Nothing in the key database changes now.
      </p>
      {entry?.subject && (
        <dl className="facts">
          <div>
            <dt>Subject</dt>
            <dd className="mono">{entry.subject}</dd>
          </div>
          {entry.subjectAltNames && entry.subjectAltNames.length > 0 && (
            <div>
              <dt>Alternative names</dt>
              <dd className="mono">{entry.subjectAltNames.join(', ')}</dd>
            </div>
          )}
        </dl>
      )}
      <DataTypeField
        value={dataType}
        onChange={(next) => {
          setDataType(next);
          setFile((f) => f.replace(new RegExp(`\\${extension[dataType]}$`), extension[next]));
        }}
      />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'Save the certificate request', kind: 'request' }} error={fileError} />
    </ActionDialog>
  );
}

export function recreateRequest(store: OpenStore, label: string, pane: PaneName): void {
  showDialog((close) =>
    pane === 'personal' ? (
      <RenewalRequestDialog store={store} label={label} onClose={close} />
    ) : (
      <ExtractDialog
        store={store}
        label={label}
        pane="request"
        onClose={close}
        title={`Recreate Request: ${label}`}
        intro="Writes the pending request to a file again, with the same key and subject, for when the first file was lost. Nothing in the key database changes."
      />
    ),
  );
}

export function RecreateAction({ store, pane, selectedLabel }: PaneActionProps) {
  const renewal = pane === 'personal';
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? (renewal ? 'A request to renew this certificate: same key, subject and alternative names' : undefined) : renewal ? 'Select a personal certificate first' : 'Select a request first'}
      onClick={() => selectedLabel && recreateRequest(store, selectedLabel, pane)}
    >
      {renewal ? 'Recreate Request…' : 'Recreate…'}
    </button>
  );
}

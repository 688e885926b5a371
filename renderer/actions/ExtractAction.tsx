/**
 * Extract…: an entry's certificate (never its key) to a file for a partner or a CA, or,
 * in Personal Certificate Requests, the pending request again.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { DataTypeField, FileField, type DataType } from '../components/FormFields';
import { besideStore, fileNameFor, reportDone } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

const extension: Record<DataType, string> = { ascii: '.arm', binary: '.der' };

export interface ExtractDialogProps {
  store: OpenStore;
  label: string;
  pane: PaneName;
  onClose: () => void;
  /** Recreate… uses this dialog with its own title and words. */
  title?: string;
  intro?: string;
}

export function ExtractDialog({ store, label, pane, onClose, title, intro }: ExtractDialogProps) {
  const isRequest = pane === 'request';
  const [dataType, setDataType] = useState<DataType>('ascii');
  const [file, setFile] = useState(besideStore(store, fileNameFor(isRequest ? `${label}-request` : label, '.arm')));
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required' : undefined;

  function submit() {
    return run('Writing the file…', async () => {
      const ref = { storeId: store.view.storeId };
      const done = isRequest
        ? await keydesk.extractRequest({ store: ref, label, target: file.trim(), format: dataType })
        : await keydesk.extractCertificate({ store: ref, label, target: file.trim(), format: dataType });
      reportDone(`Wrote ${isRequest ? 'the request' : 'the certificate'} “${label}” to ${done.written.join(', ')}.`, done.notes);
      onClose();
    });
  }

  return (
    <ActionDialog
      title={title ?? (isRequest ? `Extract Request: ${label}` : `Extract Certificate: ${label}`)}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={fileError}
      busy={busy}
      error={error}
    >
      {intro && <p className="hint">{intro}</p>}
      <DataTypeField
        value={dataType}
        onChange={(next) => {
          setDataType(next);
          setFile((f) => f.replace(new RegExp(`\\${extension[dataType]}$`), extension[next]));
        }}
      />
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'save', title: isRequest ? 'Save the certificate request' : 'Save the certificate', kind: isRequest ? 'request' : 'certificate' }}
        error={fileError}
        hint={isRequest ? undefined : 'Only the certificate is written, never the private key: this is the file a partner adds as a signer.'}
      />
    </ActionDialog>
  );
}

export function extract(store: OpenStore, label: string, pane: PaneName): void {
  showDialog((close) => <ExtractDialog store={store} label={label} pane={pane} onClose={close} />);
}

export function ExtractAction({ store, pane, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select an entry first'}
      onClick={() => selectedLabel && extract(store, selectedLabel, pane)}
    >
      Extract…
    </button>
  );
}

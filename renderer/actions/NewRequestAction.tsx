/**
 * New Request…: a key kept in the store as a pending request, and the request written to
 * a file for the CA. The certificate comes back later through Receive….
 */
import { useMemo, useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { DataTypeField, FileField, type DataType } from '../components/FormFields';
import { emptyKeyForm, toNewKeyOptions, validateKeyForm } from '../forms/key-form';
import { KeyFields } from './KeyFields';
import { generatingText } from './NewSelfSignedAction';
import { allLabels, besideStore, fileNameFor, reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

const extension: Record<DataType, string> = { ascii: '.arm', binary: '.der' };

function NewRequestDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [form, setForm] = useState(emptyKeyForm);
  const [dataType, setDataType] = useState<DataType>('ascii');
  // Follows the label until the user picks a file of their own.
  const [file, setFile] = useState<string>();
  const { busy, error, run } = useActionRun();
  const errors = useMemo(() => validateKeyForm(form, { existingLabels: allLabels(store), withValidity: false }), [form, store]);
  const target = file ?? besideStore(store, fileNameFor(form.label ? `${form.label}-request` : 'certreq', extension[dataType]));
  const fileError = target.trim() === '' ? 'File is required: where the request is written for your CA' : undefined;

  function submit() {
    return run(generatingText(form), async () => {
      const options = toNewKeyOptions(form, false);
      const changed = await keydesk.createRequest({ store: { storeId: store.view.storeId }, target: target.trim(), format: dataType, ...options });
      reportChange(
        store,
        changed,
        `Created the request “${options.label}” in ${storeName(store)} and wrote it to ${changed.written.join(', ')}. Send that file to your CA, then use Receive… with the certificate it returns.`,
        { pane: 'request', label: options.label },
      );
      onClose();
    });
  }

  return (
    <ActionDialog
      title="New Certificate Request"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(errors.mqName, errors.label, errors.cn, errors.o, errors.ou, errors.l, errors.st, errors.c, errors.sans, fileError)}
      busy={busy}
      error={error}
      size="large"
    >
      <KeyFields form={form} errors={errors} onChange={setForm} withValidity={false} withCa={false} />
      <fieldset className="field-group">
        <legend>Request file for the CA</legend>
        <div className="field-row file-row">
          <FileField value={target} onChange={setFile} choose={{ mode: 'save', title: 'Save the certificate request', kind: 'request' }} error={fileError} />
          <DataTypeField
            value={dataType}
            onChange={(next) => {
              setDataType(next);
              if (file !== undefined) setFile(file.replace(new RegExp(`\\${extension[dataType]}$`), extension[next]));
            }}
          />
        </div>
      </fieldset>
    </ActionDialog>
  );
}

export function newRequest(store: OpenStore): void {
  showDialog((close) => <NewRequestDialog store={store} onClose={close} />);
}

export function NewRequestAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => newRequest(store)}>
      New Request…
    </button>
  );
}

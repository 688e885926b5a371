/**
 * New Self-Signed…: a key and a certificate signed by itself, saved into the store at
 * once. The first step of the self-signed exchange, and how a class makes its small CA.
 */
import { useMemo, useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { emptyKeyForm, toNewKeyOptions, validateKeyForm, type KeyForm } from '../forms/key-form';
import { KeyFields } from './KeyFields';
import { allLabels, reportChange, storeName } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

/** What the progress line says: an RSA 4096 key takes seconds, and the class should know why. */
export function generatingText(form: KeyForm): string {
  const key = form.keyType === 'RSA' ? `${form.keySize}-bit RSA key` : `EC key on P-${form.keySize}`;
  return `Generating a ${key}…`;
}

function NewSelfSignedDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [form, setForm] = useState(emptyKeyForm);
  const { busy, error, run } = useActionRun();
  const errors = useMemo(() => validateKeyForm(form, { existingLabels: allLabels(store), withValidity: true }), [form, store]);

  function submit() {
    return run(generatingText(form), async () => {
      const options = toNewKeyOptions(form, true);
      const changed = await keydesk.createSelfSigned({ store: { storeId: store.view.storeId }, ...options });
      reportChange(store, changed, `Created the self-signed certificate “${options.label}” (${options.dn}) in ${storeName(store)}.`, { pane: 'personal', label: options.label });
      onClose();
    });
  }

  return (
    <ActionDialog
      title="New Self-Signed Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(errors.mqName, errors.label, errors.cn, errors.o, errors.ou, errors.l, errors.st, errors.c, errors.validityDays, errors.sans)}
      busy={busy}
      error={error}
      size="large"
    >
      <KeyFields form={form} errors={errors} onChange={setForm} withValidity withCa />
    </ActionDialog>
  );
}

export function newSelfSigned(store: OpenStore): void {
  showDialog((close) => <NewSelfSignedDialog store={store} onClose={close} />);
}

export function NewSelfSignedAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => newSelfSigned(store)}>
      New Self-Signed…
    </button>
  );
}

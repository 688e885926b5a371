/**
 * Add… (Signer Certificates): a CA's certificate, or a partner's self-signed one, becomes
 * trusted by this store. The second half of the self-signed exchange. Before OK, the
 * dialog shows what is about to be trusted — each certificate of the file, with the
 * fingerprint to compare with the one its owner gave — and labels it by its CN.
 */
import { useState } from 'react';
import type { ExaminedCertificate } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { FileField, TextField } from '../components/FormFields';
import { commonNameOf } from '../entry-rows';
import { allLabels, besideStore, reportChange, storeName } from './action-support';
import { CertificateSummary } from './certificate-facts';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';
import { useExaminedFile } from './use-examined-file';

function heading(c: ExaminedCertificate, index: number, count: number): string {
  const name = commonNameOf(c.subject) || c.subject;
  return count === 1 ? name : `${index + 1} of ${count}: ${name}`;
}

/** Each certificate the file holds, as it will be added (or why it will not). */
function CertificatesToTrust({ certificates, firstLabel }: { certificates: ExaminedCertificate[]; firstLabel?: string }) {
  return (
    <section className="trust-preview" aria-label="Certificates to trust">
      <h3>{certificates.length === 1 ? 'Certificate to trust' : `${certificates.length} certificates in this file, each to be trusted`}</h3>
      <div className="trust-preview-items">
        {certificates.map((c, i) => (
          <div className="trust-preview-item" key={c.sha256}>
            {certificates.length > 1 && <h4>{heading(c, i, certificates.length)}</h4>}
            <CertificateSummary
              certificate={c}
              label={`Certificate ${i + 1}: ${commonNameOf(c.subject) || c.subject}`}
              extra={[
                [
                  'In this store',
                  c.heldAs !== undefined ? (
                    <strong>Already here, as “{c.heldAs}”{i > 0 ? ' (skipped)' : ''}</strong>
                  ) : (
                    `Added as “${i === 0 && firstLabel ? firstLabel : c.proposedLabel}”`
                  ),
                ],
              ]}
            />
          </div>
        ))}
      </div>
    </section>
  );
}

function AddDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [file, setFile] = useState('');
  // The certificate's CN, made unique, as GSKit's users name signers; the user may type another.
  const [label, setLabel] = useState<string>();
  const { busy, error, run } = useActionRun();
  const read = useExaminedFile(file, { storeId: store.view.storeId });
  const certificates = read?.examined?.certificates ?? [];
  const [first] = certificates;
  const shownLabel = label ?? first?.proposedLabel ?? '';
  const used = allLabels(store).some((l) => l.toLowerCase() === shownLabel.trim().toLowerCase());
  const fileError =
    file.trim() === ''
      ? 'File is required: the certificate to trust'
      : read?.error
        ? read.error
        : read?.examined?.request
          ? 'This file holds a certificate request, not a certificate: add the certificate the CA signed'
          : first?.heldAs !== undefined
            ? `This certificate is already in this key database as “${first.heldAs}”`
            : undefined;
  const reading = file.trim() !== '' && !read ? 'Wait while the file is read' : undefined;
  const labelError = shownLabel.trim() === '' ? 'Label is required' : used ? `The label “${shownLabel.trim()}” is already used in this key database` : undefined;

  function submit() {
    return run('Adding the certificate…', async () => {
      const changed = await keydesk.addCertificate({ store: { storeId: store.view.storeId }, label: shownLabel.trim(), file: file.trim() });
      reportChange(store, changed, `Added “${shownLabel.trim()}” to the signer certificates of ${storeName(store)}.`, { pane: 'signer', label: shownLabel.trim() });
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Add Signer Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, reading, labelError)}
      busy={busy}
      error={error}
      // A chain is shown side by side, so each certificate of it can be read at once.
      size={certificates.length > 1 ? 'large' : 'medium'}
    >
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'open', title: 'Add a signer certificate', kind: 'certificate', defaultPath: besideStore(store, '') }}
        error={fileError}
        hint="PEM, DER or PKCS#7, recognised from the content. A file with several certificates adds each of them."
      />
      <TextField label="Label" value={shownLabel} onChange={setLabel} error={labelError} mono hint={label === undefined && first ? 'The certificate’s common name (CN); type another if you prefer.' : undefined} />
      {certificates.length > 0 && <CertificatesToTrust certificates={certificates} firstLabel={shownLabel.trim()} />}
      {certificates.length > 0 && (
        <p className="hint">Compare the SHA-256 fingerprint with the one the CA or partner gave you before you press OK: once added, the store trusts what this certificate signs.</p>
      )}
    </ActionDialog>
  );
}

export function addCertificate(store: OpenStore): void {
  showDialog((close) => <AddDialog store={store} onClose={close} />);
}

export function AddAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => addCertificate(store)}>
      Add…
    </button>
  );
}

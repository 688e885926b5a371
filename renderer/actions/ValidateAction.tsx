/**
 * Validate: would a peer accept this certificate? The chain, as this store builds it, must
 * reach one of its signers, every link within its dates. The answer is shown in words,
 * with what to do when it fails (usually: Add… the missing CA).
 */
import { useEffect, useState } from 'react';
import type { Validation } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ModalDialog } from '../components/ModalDialog';
import { errorText } from './action-support';
import type { PaneActionProps } from './pane-actions';

function ValidateDialog({ store, label, onClose }: { store: OpenStore; label: string; onClose: () => void }) {
  const [result, setResult] = useState<Validation>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    keydesk
      .validateEntry({ store: { storeId: store.view.storeId }, label })
      .then((r) => current && setResult(r))
      .catch((e: unknown) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [store, label]);

  return (
    <ModalDialog
      title={`Validate: ${label}`}
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      }
    >
      {!result && !error && (
        <p className="busy" role="status">
          <progress aria-label="Validating" />
          Validating…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className={`verdict ${result.valid ? 'good' : 'bad'}`} role="status">
            <span aria-hidden="true">{result.valid ? '✓ ' : '✕ '}</span>
            {result.valid ? 'Validation successful: the chain reaches a signer certificate of this store and every certificate is within its dates.' : 'Validation failed.'}
          </p>
          {result.problems.length > 0 && (
            <ul className="problems">
              {(result.guiProblems ?? result.problems).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <section aria-labelledby="validate-chain">
            <h3 id="validate-chain">Chain, from this certificate to its root</h3>
            <ol className="validated-chain">
              {result.chain.map((subject) => (
                <li key={subject} className="mono">
                  {subject}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </ModalDialog>
  );
}

export function validate(store: OpenStore, label: string): void {
  showDialog((close) => <ValidateDialog store={store} label={label} onClose={close} />);
}

export function ValidateAction({ store, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select an entry first'}
      onClick={() => selectedLabel && validate(store, selectedLabel)}
    >
      Validate
    </button>
  );
}

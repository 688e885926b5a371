/**
 * Populate… (Signer Certificates): well-known public CAs as signers, as iKeyman's
 * Populate adds them — but only the ones ticked. None is ticked at first and there is no
 * "select all": a queue manager that trusts every public CA accepts any certificate any
 * of them ever issued, which is rarely what an MQ store should do.
 */
import { useEffect, useMemo, useState } from 'react';
import type { WellKnownCa } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog } from '../components/ActionDialog';
import { reportChange, errorText } from './action-support';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';

function PopulateDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [cas, setCas] = useState<WellKnownCa[]>();
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const { busy, error, setError, run } = useActionRun();

  useEffect(() => {
    let live = true;
    keydesk
      .wellKnownCas({ store: { storeId: store.view.storeId } })
      .then((r) => live && setCas(r.cas))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [store.view.storeId, setError]);

  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return (cas ?? []).filter((ca) => words.every((w) => `${ca.label}\n${ca.subject}`.toLowerCase().includes(w)));
  }, [cas, filter]);

  const toggle = (fingerprint: string) =>
    setChosen((now) => {
      const next = new Set(now);
      if (next.has(fingerprint)) next.delete(fingerprint);
      else next.add(fingerprint);
      return next;
    });

  const problem = !cas ? 'Wait for the list of CAs' : chosen.size === 0 ? 'Tick the CA certificates this store should trust' : undefined;

  function submit() {
    return run('Adding the CA certificates…', async () => {
      const changed = await keydesk.populateSigners({ store: { storeId: store.view.storeId }, fingerprints: [...chosen] });
      const first = cas?.find((ca) => chosen.has(ca.fingerprint));
      const label = first && changed.entries.find((e) => e.kind === 'signer' && e.subject === first.subject)?.label;
      reportChange(store, changed, `Added ${chosen.size} well-known CA certificate${chosen.size === 1 ? '' : 's'}.`, label ? { pane: 'signer', label } : undefined);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Populate: well-known CA certificates"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={problem}
      busy={busy}
      error={error}
      size="large"
      okText={chosen.size > 0 ? `Add ${chosen.size}` : 'Add'}
    >
      <p className="warning-box">
        Trust only the CAs this store needs. A queue manager that trusts a public CA accepts every certificate that CA ever issued, unless SSLPEER or CHLAUTH rules narrow it down.
      </p>
      <div className="field">
        <label htmlFor="populate-filter">Filter</label>
        <input id="populate-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name of the CA, e.g. DigiCert" autoFocus spellCheck={false} autoComplete="off" />
      </div>
      <p className="hint" role="status">
        {!cas ? 'Loading the list…' : `${shown.length} of ${cas.length} CAs shown, ${chosen.size} ticked.`}
      </p>
      <ul className="ca-choices" aria-label="Well-known CA certificates">
        {shown.map((ca) => (
          <li key={ca.fingerprint}>
            <label className={`checkbox${ca.presentAs !== undefined ? ' present' : ''}`}>
              <input type="checkbox" checked={chosen.has(ca.fingerprint)} disabled={ca.presentAs !== undefined} onChange={() => toggle(ca.fingerprint)} />
              <span className="ca-name">
                {ca.label}
                <span className="ca-meta">
                  {ca.presentAs !== undefined ? `already a signer here, as “${ca.presentAs}”` : `valid to ${ca.notAfter.slice(0, 10)}`}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </ActionDialog>
  );
}

export function populate(store: OpenStore): void {
  showDialog((close) => <PopulateDialog store={store} onClose={close} />);
}

export function PopulateAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => populate(store)}>
      Populate…
    </button>
  );
}

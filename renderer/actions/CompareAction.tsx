/**
 * Compare: what one store holds that the other does not, side by side in two columns —
 * only in A, only in B, the same label holding different certificates, and the same
 * certificates (matched by fingerprint, whatever their labels).
 */
import { useEffect, useState } from 'react';
import type { ComparedEntry, StoreComparison } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ModalDialog } from '../components/ModalDialog';
import { errorText, storeName } from './action-support';

const kindWords: Record<string, string> = { personal: 'Personal', signer: 'Signer', request: 'Request', secret: 'Secret key', unknown: 'Unreadable' };

function EntryCell({ entry }: { entry?: ComparedEntry }) {
  if (!entry) return <div className="compare-cell compare-empty" aria-label="nothing">—</div>;
  return (
    <div className="compare-cell">
      <span className="compare-label mono">{entry.label}</span>
      <span className="compare-kind">{kindWords[entry.kind] ?? entry.kind}</span>
      {entry.subject && <span className="compare-subject">{entry.subject}</span>}
      {entry.sha256 && <span className="compare-fingerprint mono" title={`SHA-256 ${entry.sha256}`}>SHA-256 {entry.sha256.slice(0, 16)}…</span>}
    </div>
  );
}

function Section({ title, rows, tone }: { title: string; rows: { a?: ComparedEntry; b?: ComparedEntry }[]; tone: 'differs' | 'same' }) {
  return (
    <section className={`compare-section compare-${tone}`} aria-label={`${title} (${rows.length})`}>
      <h3>
        {title} <span className="count">{rows.length}</span>
      </h3>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <div className="compare-rows">
          {rows.map((r, i) => (
            <div className="compare-row" key={i}>
              <EntryCell entry={r.a} />
              <EntryCell entry={r.b} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function CompareDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const [comparison, setComparison] = useState<StoreComparison>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    keydesk.compareStores({ a: { storeId: a.view.storeId }, b: { storeId: b.view.storeId } }).then(setComparison, (e: unknown) => setError(errorText(e)));
  }, [a.view.storeId, b.view.storeId]);

  return (
    <ModalDialog
      title="Compare Key Databases"
      size="large"
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="compare-heads" aria-hidden="true">
        <div className="compare-head">
          <strong>A: {storeName(a)}</strong>
          <span className="path">{a.view.path}</span>
        </div>
        <div className="compare-head">
          <strong>B: {storeName(b)}</strong>
          <span className="path">{b.view.path}</span>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!comparison && !error && (
        <p className="busy" role="status">
          <progress aria-label="Comparing" /> Comparing…
        </p>
      )}
      {comparison && (
        <div className="compare-view">
          <Section title={`Only in A (${storeName(a)})`} tone="differs" rows={comparison.onlyInA.map((e) => ({ a: e }))} />
          <Section title={`Only in B (${storeName(b)})`} tone="differs" rows={comparison.onlyInB.map((e) => ({ b: e }))} />
          <Section title="Same label, different certificate" tone="differs" rows={comparison.sameLabelDifferentCertificate} />
          <Section title="Same in both" tone="same" rows={comparison.same} />
          {comparison.notes.map((n, i) => (
            <p key={i} className="hint">
              {n}
            </p>
          ))}
        </div>
      )}
    </ModalDialog>
  );
}

export function compareStores(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <CompareDialog a={a} b={b} onClose={close} />);
}

/**
 * Exchange mode, under two stores side by side: Exchange Signers…, Test Connection… and
 * Compare, then the exchange's steps as a checklist (extract, transfer, add, enable) and
 * the last connection test — protocol and cipher, or what each side lacks in MQ's terms.
 */
import { useState } from 'react';
import type { ExchangeStep } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { exchangeSigners } from '../actions/ExchangeSignersAction';
import { testConnection } from '../actions/TestConnectionAction';
import { compareStores } from '../actions/CompareAction';
import { storeName } from '../actions/action-support';
import { forPair, useExchangeState } from '../checks/exchange-state';

const actionWords: Record<ExchangeStep['action'], string> = { extract: 'Extract', transfer: 'Transfer', add: 'Add', enable: 'Enable' };
const statusWords: Record<ExchangeStep['status'], { mark: string; words: string }> = {
  done: { mark: '✓', words: 'Done' },
  present: { mark: '✓', words: 'Already there' },
  manual: { mark: '☐', words: 'To do' },
};

export function ExchangeBar({ a, b }: { a: OpenStore; b: OpenStore }) {
  const exchange = useExchangeState((s) => forPair(s.exchange, a.view.storeId, b.view.storeId));
  const connection = useExchangeState((s) => forPair(s.connection, a.view.storeId, b.view.storeId));
  const report = connection?.report;
  // On a projector the checklist would push both stores' tables out of view; the trainer
  // folds it away once the class has seen the steps.
  const [showResults, setShowResults] = useState(true);
  const hasResults = Boolean(exchange || report);
  return (
    <section className="exchange-bar" aria-label="Exchange mode">
      <div className="exchange-actions">
        <h2>
          Exchange mode <span className="muted">A: {storeName(a)} (queue manager) · B: {storeName(b)} (client)</span>
        </h2>
        <div role="group" aria-label="Exchange actions" className="action-group">
          <button type="button" onClick={() => exchangeSigners(a, b)}>
            Exchange Signers…
          </button>
          <button type="button" onClick={() => testConnection(a, b)}>
            Test Connection…
          </button>
          <button type="button" className="secondary" onClick={() => compareStores(a, b)}>
            Compare
          </button>
          {hasResults && (
            <button type="button" className="secondary" aria-expanded={showResults} aria-controls="exchange-results" onClick={() => setShowResults(!showResults)}>
              {showResults ? 'Hide Steps' : 'Show Steps'}
            </button>
          )}
        </div>
      </div>
      {hasResults && showResults && (
        <div className="exchange-results" id="exchange-results">
          {exchange && (
            <ol className="exchange-steps" aria-label="Exchange checklist">
              {exchange.steps.map((step, i) => {
                const status = statusWords[step.status];
                return (
                  <li key={i} className={`exchange-step step-${step.status}`}>
                    <span className="step-mark" aria-hidden="true">
                      {status.mark}
                    </span>
                    <span className="step-action">{actionWords[step.action]}</span>
                    <span className="step-status">{status.words}</span>
                    <span className="step-message">
                      {step.message}
                      {step.command && <code className="step-command">{step.command}</code>}
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
          {report && (
            <div className={`connection-result ${report.ok ? 'connection-ok' : 'connection-failed'}`} role="status" aria-label="Connection test">
              <p className="connection-verdict">
                <span aria-hidden="true">{report.ok ? '✓ ' : '✕ '}</span>
                {report.ok ? 'Connection test passed' : 'Connection test failed'}
                <span className="muted">
                  {' '}
                  — {connection.serverLabel} (A) ⇄ {connection.clientLabel} (B), SSLCAUTH({report.settings.clientAuth.toUpperCase()}), {report.settings.cipherSpec}
                </span>
              </p>
              {report.ok && (
                <dl className="connection-facts">
                  <dt>Protocol</dt>
                  <dd>{report.protocol}</dd>
                  <dt>Cipher</dt>
                  <dd className="mono">
                    {report.cipher}
                    {report.cipherSpec && report.cipherSpec !== report.cipher ? ` (${report.cipherSpec})` : ''}
                  </dd>
                </dl>
              )}
              {report.problems.length > 0 && (
                <ul className="connection-problems">
                  {report.problems.map((p, i) => (
                    <li key={i}>
                      <strong>{p.side === 'queue manager' ? 'Queue manager (A)' : 'Client (B)'}</strong> <span className="mono">{p.amq}</span>: {p.message}
                    </li>
                  ))}
                </ul>
              )}
              {report.notes.map((n, i) => (
                <p key={i} className="hint">
                  {n}
                </p>
              ))}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

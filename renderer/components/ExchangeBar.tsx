/**
 * Exchange mode, under two stores side by side: Exchange Signers…, Test Connection… and
 * Compare, then the exchange's steps as a checklist (extract, transfer, add, enable) and
 * the last connection test — protocol and cipher, or what each side lacks in MQ's terms.
 *
 * On a 1366x768 projector the stores' tables need the height, so each step is one short
 * chip ("✓ Add “QM1” to B"), the connection verdict one line, and the full wording with
 * the commands a click away (Step Details). Both are judged against the stores as they
 * are now (checks/exchange-state.ts), never left saying what was true before a change.
 */
import { useState } from 'react';
import type { MqRole } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { exchangeSigners } from '../actions/ExchangeSignersAction';
import { testConnection } from '../actions/TestConnectionAction';
import { compareStores } from '../actions/CompareAction';
import { entriesStamp, forPair, liveSteps, roleOf, useExchangeState, type LiveStatus, type LiveStep } from '../checks/exchange-state';
import { distinctNames } from '../store-names';
import type { ExchangeActionName } from '../../electron/shell-api';

/** The exchange's buttons, which the View menu offers too while two stores are side by side. */
export const exchangeActions: { action: ExchangeActionName; text: string; primary: boolean; run: (a: OpenStore, b: OpenStore) => void }[] = [
  { action: 'exchange-signers', text: 'Exchange Signers…', primary: true, run: exchangeSigners },
  { action: 'test-connection', text: 'Test Connection…', primary: true, run: testConnection },
  { action: 'compare', text: 'Compare', primary: false, run: compareStores },
];

const actionWords: Record<LiveStep['action'], string> = {
  extract: 'Extract',
  transfer: 'Transfer',
  add: 'Add',
  enable: 'Enable',
};
const statusWords: Record<LiveStatus, { mark: string; words: string }> = {
  done: { mark: '✓', words: 'Done' },
  present: { mark: '✓', words: 'Already there' },
  manual: { mark: '☐', words: 'To do' },
  missing: { mark: '✕', words: 'Missing now' },
};

const cnOf = (subject?: string) => /(?:^|,)\s*CN=([^,]+)/.exec(subject ?? '')?.[1] ?? subject ?? '';

/** The step in a few words: what, from or to which side. */
function shortText(step: LiveStep, roles: { a: MqRole; b: MqRole }): string {
  switch (step.action) {
    case 'extract':
      if (step.status === 'manual') return `chain of “${step.label}” incomplete in ${step.from}`;
      return step.label ? `“${step.label}” from ${step.from}` : `CA ${cnOf(step.subject)} from ${step.from}`;
    case 'transfer':
      return `${step.from} → ${step.to}`;
    case 'add':
      return `“${step.label}” to ${step.to}`;
    case 'enable':
      return (step.to === 'B' ? roles.b : roles.a) === 'queue manager' ? `${step.to}: REFRESH SECURITY TYPE(SSL)` : `${step.to}: restart the application`;
  }
}

export function ExchangeBar({ a, b }: { a: OpenStore; b: OpenStore }) {
  const exchange = useExchangeState((s) => forPair(s.exchange, a.view.storeId, b.view.storeId));
  const connection = useExchangeState((s) => forPair(s.connection, a.view.storeId, b.view.storeId));
  const roleA = useExchangeState((s) => roleOf(s.roles, a, 'A', b));
  const roleB = useExchangeState((s) => roleOf(s.roles, b, 'B', a));
  const [nameA, nameB] = distinctNames([a.view.path, b.view.path]) as [string, string];
  const names = { A: nameA, B: nameB };
  const report = connection?.report;
  // A test run before the stores last changed no longer says anything about them.
  const stale = connection ? connection.stamp !== entriesStamp(a, b) : false;
  const steps = exchange ? liveSteps(exchange, a, b, names) : [];
  const runRoles = exchange?.roles ?? { a: roleA, b: roleB };
  const [showResults, setShowResults] = useState(true);
  const [details, setDetails] = useState(false);
  const hasResults = Boolean(exchange || report);
  const serverSide = connection?.serverSide ?? 'A';
  const clientSide = serverSide === 'A' ? 'B' : 'A';
  const sideRole = (side: 'A' | 'B') => (side === 'A' ? roleA : roleB);
  return (
    <section className="exchange-bar" aria-label="Exchange mode">
      <div className="exchange-actions">
        <h2>
          <span className="visually-hidden">Exchange mode: </span>
          <span className="exchange-name">
            A: {nameA} <span className="muted">({sideRole('A')})</span>
          </span>{' '}
          <span aria-hidden="true">⇄</span>{' '}
          <span className="exchange-name">
            B: {nameB} <span className="muted">({sideRole('B')})</span>
          </span>
        </h2>
        <div role="group" aria-label="Exchange actions" className="action-group">
          {exchangeActions.map(({ action, text, primary, run }) => (
            <button key={action} type="button" className={primary ? undefined : 'secondary'} onClick={() => run(a, b)}>
              {text}
            </button>
          ))}
          {exchange && showResults && (
            <button type="button" className="secondary" aria-pressed={details} onClick={() => setDetails(!details)} title="Each step in full, with the command that does it alone">
              Details
            </button>
          )}
          {hasResults && (
            <button type="button" className="secondary" aria-expanded={showResults} aria-controls="exchange-results" onClick={() => setShowResults(!showResults)}>
              {showResults ? 'Hide Steps' : 'Show Steps'}
            </button>
          )}
        </div>
      </div>
      {hasResults && showResults && (
        <div className={`exchange-results${details ? ' exchange-details' : ''}`} id="exchange-results">
          {/* The connection test is the checklist's last step: IBM's set-up ends by proving it. */}
          <ol className="exchange-steps" aria-label="Exchange checklist">
            {steps.map((step, i) => {
              const status = statusWords[step.live];
              const full = step.now ?? step.message;
              return (
                <li key={i} className={`exchange-step step-${step.live}`} title={details ? undefined : full}>
                  <span className="step-mark" aria-hidden="true">
                    {status.mark}
                  </span>
                  <span className="step-action">{actionWords[step.action]}</span> <span className="step-short">{shortText(step, runRoles)}</span>
                  {step.live === 'manual' ? <span className="visually-hidden"> {status.words}</span> : step.live !== 'done' && <span className="step-status"> {status.words}</span>}
                  {details ? (
                    <span className="step-message">
                      {full}
                      {step.command && step.live !== 'missing' && <code className="step-command">{step.command}</code>}
                    </span>
                  ) : (
                    step.live === 'missing' && <span className="visually-hidden">: {full}</span>
                  )}
                </li>
              );
            })}
            {report && connection && (
              <li className="exchange-step step-test">
                <div className={`connection-result ${stale ? 'connection-stale' : report.ok ? 'connection-ok' : 'connection-failed'}`} role="status" aria-label="Connection test">
                  <p className="connection-verdict">
                    <span aria-hidden="true">{stale ? '↻ ' : report.ok ? '✓ ' : '✕ '}</span>
                    {stale ? 'Out of date: ' : ''}
                    {report.ok ? 'Connection test passed' : 'Connection test failed'}
                    {report.ok && (
                      <span className="connection-cipher">
                        {' '}
                        — {report.protocol}, <span className="mono">{report.cipherSpec ?? report.cipher}</span>
                      </span>
                    )}
                  </p>
                  {!stale && report.reverse && (
                    <p className={`connection-extra ${report.reverse.refused ? 'extra-good' : 'extra-bad'}`}>
                      <span aria-hidden="true">{report.reverse.refused ? '✓ ' : '✕ '}</span>
                      {report.reverse.refused ? 'Stranger refused' : 'Stranger not refused'}
                      <span className={details || !report.reverse.refused ? undefined : 'visually-hidden'}>: {report.reverse.message}</span>
                    </p>
                  )}
                  {!stale && connection.sslPeer && (
                    <p className={`connection-extra ${connection.sslPeer.matches ? 'extra-good' : 'extra-bad'}`}>
                      <span aria-hidden="true">{connection.sslPeer.matches ? '✓ ' : '✕ '}</span>
                      SSLPEER('{connection.sslPeer.filter}') {connection.sslPeer.matches ? `matches “${connection.clientLabel}”` : `would stop the channel: ${connection.sslPeer.reason}`}
                    </p>
                  )}
                  {stale && <p className="connection-stale-note">The stores changed after this test: run Test Connection… again.</p>}
                  <p className={details ? 'connection-settings muted' : 'visually-hidden'}>
                    {connection.serverLabel} ({serverSide}, {sideRole(serverSide) === 'queue manager' && sideRole(clientSide) === 'queue manager' ? 'receiving queue manager' : 'queue manager'}) ⇄{' '}
                    {connection.clientLabel} ({clientSide}
                    {sideRole(clientSide) === 'queue manager' ? ', sending queue manager' : ', client'}
                    ), SSLCAUTH({report.settings.clientAuth.toUpperCase()}), {report.settings.cipherSpec}
                  </p>
                  {!stale && report.problems.length > 0 && (
                    <ul className="connection-problems">
                      {report.problems.map((p, i) => (
                        <li key={i}>
                          <strong>
                            {p.side === 'queue manager' ? `Queue manager (${serverSide})` : `${sideRole(clientSide) === 'queue manager' ? 'Sending queue manager' : 'Client'} (${clientSide})`}
                          </strong>{' '}
                          <span className="mono">{p.amq}</span>: {p.message}
                        </li>
                      ))}
                    </ul>
                  )}
                  {!stale &&
                    (details || !report.ok) &&
                    report.notes.map((n, i) => (
                      <p key={i} className="hint">
                        {n}
                      </p>
                    ))}
                </div>
              </li>
            )}
          </ol>
        </div>
      )}
    </section>
  );
}

/**
 * The MQ doctor for one store: what a queue manager will make of it, before a channel
 * fails. Optional questions (queue manager name, CERTLABL, SSLCIPH, days) sharpen the
 * check; each finding says its severity in colour and in words, its code, the entry, what
 * is wrong, and — where KeyDesk can do it — offers the fix, then checks again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DoctorReport, Finding, Severity } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { keydesk } from '../keydesk-client';
import { TextField } from '../components/FormFields';
import { errorText } from '../actions/action-support';
import { DoctorFixButton } from './DoctorFixButton';
import { SslPeerStoreTest } from './SslPeerHelper';
import { visibleFindings } from './finding-groups';

const severityWords: Record<Severity, { mark: string; words: string }> = {
  error: { mark: '✕', words: 'Error' },
  warning: { mark: '⚠', words: 'Warning' },
  info: { mark: 'ℹ', words: 'Information' },
};

export interface DoctorQuestions {
  mqName: string;
  certLabel: string;
  cipherSpec: string;
  days: string;
}

function daysError(days: string): string | undefined {
  return days.trim() === '' || /^\d{1,5}$/.test(days.trim()) ? undefined : 'Days must be a whole number';
}

function FindingCard({ store, finding, onFixed }: { store: OpenStore; finding: Finding; onFixed: () => void }) {
  const severity = severityWords[finding.severity];
  return (
    <li className={`finding finding-${finding.severity}`}>
      <div className="finding-head">
        <span className={`severity severity-${finding.severity}`}>
          <span aria-hidden="true">{severity.mark} </span>
          {severity.words}
        </span>
        <code className="finding-code">{finding.code}</code>
        {finding.label !== undefined && <span className="finding-label mono">{finding.label}</span>}
      </div>
      <p className="finding-message">{finding.message.charAt(0).toUpperCase() + finding.message.slice(1)}</p>
      {finding.fix && <DoctorFixButton store={store} fix={finding.fix} onFixed={onFixed} />}
    </li>
  );
}

export function DoctorPanel({ store }: { store: OpenStore }) {
  const [questions, setQuestions] = useState<DoctorQuestions>({ mqName: '', certLabel: '', cipherSpec: '', days: '' });
  const [report, setReport] = useState<DoctorReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Codes whose every finding is shown (Show all pressed); a new report keeps the choice.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const set = (key: keyof DoctorQuestions) => (value: string) => setQuestions((q) => ({ ...q, [key]: value }));
  const storeId = store.view.storeId;

  const check = useCallback(
    async (q: DoctorQuestions) => {
      if (daysError(q.days)) return;
      setBusy(true);
      setError(undefined);
      try {
        const next = await keydesk.checkStore({
          store: { storeId },
          ...(q.mqName.trim() ? { mqName: q.mqName.trim() } : {}),
          ...(q.certLabel.trim() ? { certLabel: q.certLabel.trim() } : {}),
          ...(q.cipherSpec.trim() ? { cipherSpec: q.cipherSpec.trim() } : {}),
          ...(q.days.trim() ? { days: Number(q.days.trim()) } : {}),
        });
        setReport(next);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [storeId],
  );

  // Check at once with what is known; again after every change to the store.
  useEffect(() => {
    void check(questions);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [check, store.view.entries]);

  const counts = (report?.findings ?? []).reduce<Record<Severity, number>>((c, f) => ({ ...c, [f.severity]: c[f.severity] + 1 }), { error: 0, warning: 0, info: 0 });

  return (
    <div className="doctor">
      <form
        className="doctor-questions"
        aria-label="Doctor questions"
        onSubmit={(e) => {
          e.preventDefault();
          void check(questions);
        }}
        noValidate
      >
        <TextField label="Queue manager name" value={questions.mqName} onChange={set('mqName')} placeholder={report?.mqNameFromPath ?? 'QM1'} mono />
        <TextField label="Certificate label" value={questions.certLabel} onChange={set('certLabel')} placeholder="CERTLABL" mono />
        <TextField label="CipherSpec" value={questions.cipherSpec} onChange={set('cipherSpec')} placeholder="SSLCIPH" mono />
        <TextField label="Days" value={questions.days} onChange={set('days')} placeholder="30" inputMode="numeric" error={daysError(questions.days)} className="doctor-days" />
        <button type="submit" disabled={busy || Boolean(daysError(questions.days))}>
          Check
        </button>
      </form>
      <div className="doctor-summary" role="status">
        {busy ? (
          <span className="busy">
            <progress aria-label="Checking" /> Checking…
          </span>
        ) : report ? (
          <>
            {report.findings.length === 0 ? (
              <span className="severity severity-ok">
                <span aria-hidden="true">✓ </span>No findings: nothing here will stop a channel
              </span>
            ) : (
              <span>
                {counts.error} {counts.error === 1 ? 'error' : 'errors'}, {counts.warning} {counts.warning === 1 ? 'warning' : 'warnings'}, {counts.info} for information
              </span>
            )}
            {report.mqLabel && (
              <span className="muted">
                {' '}
                · MQ looks for the label <span className="mono">{report.mqLabel}</span>
                {report.mqNameFromPath && ` (queue manager ${report.mqNameFromPath}, from the path)`}
              </span>
            )}
          </>
        ) : null}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {report && report.findings.length > 0 && (
        <ul className="findings" aria-label="Findings">
          {visibleFindings(report.findings, expanded).map((item) =>
            'finding' in item ? (
              <FindingCard key={`${item.finding.code}-${item.finding.label ?? ''}-${item.index}`} store={store} finding={item.finding} onFixed={() => void check(questions)} />
            ) : (
              <li key={`more-${item.moreOf}`} className="finding-more">
                <span>
                  {item.hidden.toLocaleString('en-US')} more <code className="finding-code">{item.moreOf}</code> {item.hidden === 1 ? 'finding' : 'findings'} not shown.
                </span>
                <button type="button" className="secondary" onClick={() => setExpanded((codes) => new Set([...codes, item.moreOf]))}>
                  Show All {item.moreOf}
                </button>
              </li>
            ),
          )}
        </ul>
      )}
      <SslPeerStoreTest storeId={storeId} />
    </div>
  );
}

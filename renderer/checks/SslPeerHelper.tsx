/**
 * The SSLPEER helper in the window (the CLI's `-cert -sslpeer` and `-keydb -sslpeer`):
 * the value that matches a certificate's subject, ready to copy into a channel definition,
 * and a field to try a value the partner or the change ticket gives, answered with MQ's
 * verdict and the first reason it would refuse. The rules are core's (core/checks/sslpeer.ts,
 * after IBM MQ's SSLPEER rules, https://ibm.com/docs/SSFKSJ_9.3.0/reference/q049310_.html);
 * nothing is judged here.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { SslPeerMatches, SslPeerValue } from '../../core/api/contract';
import { keydesk } from '../keydesk-client';
import { errorText } from '../actions/action-support';

type CopyState = 'idle' | 'copied' | 'manual';

/** Copies one line of text; where the clipboard is refused, says to select it by hand. */
export function CopyTextButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => setState('idle'), [text]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('manual');
    }
  }
  return (
    <>
      <button type="button" className="secondary small" onClick={() => void copy()} aria-label={`Copy ${what}`}>
        Copy
      </button>
      {/* A live region, not a status: the dialog's own status line stays the one status. */}
      <span aria-live="polite" className="copy-status">
        {state === 'copied' && '✓ Copied'}
        {state === 'manual' && 'The clipboard is not available here: select the text and press Ctrl+C.'}
      </span>
    </>
  );
}

/** "SSLPEER for this certificate": the value, its MQSC form, and what had to be left out. */
export function SslPeerValueView({ storeId, label, heading = 'SSLPEER for this certificate' }: { storeId: string; label: string; heading?: string }) {
  const [value, setValue] = useState<SslPeerValue>();
  const [error, setError] = useState<string>();
  const headingId = useId();
  useEffect(() => {
    let current = true;
    setValue(undefined);
    setError(undefined);
    keydesk.sslPeerValue({ store: { storeId }, label }).then(
      (v) => current && setValue(v),
      (e) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [storeId, label]);
  return (
    <div className="sslpeer-value" role="group" aria-labelledby={headingId}>
      <p className="sslpeer-heading" id={headingId}>
        {heading}
      </p>
      {!value && !error && <p className="hint">Reading the subject…</p>}
      {error && <p className="form-error">{error}</p>}
      {value && (
        <>
          <p className="sslpeer-line">
            <code className="mono sslpeer-text" aria-label={`SSLPEER value for ${label}`}>
              {value.sslpeer}
            </code>
            <CopyTextButton text={value.sslpeer} what={`SSLPEER value for ${label}`} />
          </p>
          <p className="sslpeer-line">
            <span className="muted">MQSC:</span>{' '}
            <code className="mono sslpeer-text" aria-label={`MQSC attribute for ${label}`}>
              {value.mqsc}
            </code>
            <CopyTextButton text={value.mqsc} what={`MQSC attribute for ${label}`} />
          </p>
          {value.omitted.map((note, i) => (
            <p key={i} className="hint">
              {note}
            </p>
          ))}
        </>
      )}
    </div>
  );
}

type Verdict = { filter: string; result: SslPeerMatches } | { filter: string; refused: string };

async function tryFilter(storeId: string, filter: string): Promise<Verdict> {
  try {
    return { filter, result: await keydesk.matchSslPeer({ store: { storeId }, filter }) };
  } catch (e) {
    // A value MQ would refuse when the channel is defined (a * in the middle, a type in
    // lower case): the refusal is the answer, not a failure of the check.
    return { filter, refused: errorText(e) };
  }
}

/**
 * "Test an SSLPEER value": against one certificate (`label`, in View Details and the
 * exchange view) or against every certificate of the store (the Doctor tab).
 */
export function SslPeerPatternTest({ storeId, label, fieldLabel = 'Test an SSLPEER value' }: { storeId: string; label?: string; fieldLabel?: string }) {
  const [filter, setFilter] = useState('');
  const [verdict, setVerdict] = useState<Verdict>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => setVerdict(undefined), [storeId, label]);

  async function test() {
    const text = filter.trim();
    if (text === '') return;
    setBusy(true);
    setVerdict(await tryFilter(storeId, text));
    setBusy(false);
  }
  // Inside a dialog that is not a form (View Details), Enter would do nothing.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void test();
    }
  };

  return (
    <div className="sslpeer-test">
      <label htmlFor={id}>{fieldLabel}</label>
      <div className="sslpeer-test-row">
        <input
          id={id}
          type="text"
          className="mono"
          value={filter}
          placeholder="CN=QM1,OU=*,O=Example"
          onChange={(e) => {
            setFilter(e.target.value);
            setVerdict(undefined);
          }}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-hint`}
        />
        <button type="button" className="secondary" onClick={() => void test()} disabled={busy || filter.trim() === ''}>
          Test
        </button>
      </div>
      <p className="hint" id={`${id}-hint`}>
        As MQ reads it: attribute types in upper case, values compared ignoring case, * only at the start or end of a value, OU and DC in the certificate’s order.
      </p>
      <div aria-live="polite">
        {verdict && <VerdictView verdict={verdict} label={label} />}
      </div>
    </div>
  );
}

function VerdictView({ verdict, label }: { verdict: Verdict; label?: string }) {
  if ('refused' in verdict) {
    return (
      <p className="sslpeer-verdict verdict-refused">
        <span aria-hidden="true">✕ </span>MQ would refuse this value when the channel is defined: {verdict.refused.replace(/^SSLPEER "[^"]*" is not valid: /, '')}
      </p>
    );
  }
  const notes = verdict.result.notes.map((n, i) => (
    <p key={i} className="hint">
      {n}
    </p>
  ));
  if (label !== undefined) {
    const entry = verdict.result.entries.find((e) => e.label === label);
    if (!entry) return <p className="form-error">“{label}” is no longer in this store.</p>;
    return (
      <>
        {entry.matches ? (
          <p className="sslpeer-verdict verdict-match">
            <span aria-hidden="true">✓ </span>Matches: a channel with SSLPEER('{verdict.filter}') accepts this certificate.
          </p>
        ) : (
          <p className="sslpeer-verdict verdict-no-match">
            <span aria-hidden="true">✕ </span>Does not match: {entry.reason}. With this SSLPEER the channel does not start when this certificate is presented.
          </p>
        )}
        {notes}
      </>
    );
  }
  const matching = verdict.result.entries.filter((e) => e.matches);
  return (
    <>
      <p className={`sslpeer-verdict ${matching.length > 0 ? 'verdict-match' : 'verdict-no-match'}`}>
        <span aria-hidden="true">{matching.length > 0 ? '✓ ' : '✕ '}</span>
        {matching.length === 0
          ? `No certificate in this store matches SSLPEER('${verdict.filter}').`
          : `${matching.length} of ${verdict.result.entries.length} certificates match SSLPEER('${verdict.filter}').`}
      </p>
      {notes}
      {verdict.result.entries.length > 0 && (
        <table className="sslpeer-matches">
          <caption className="visually-hidden">Certificates tested against SSLPEER('{verdict.filter}')</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Kind</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {verdict.result.entries.map((e) => (
              <tr key={`${e.kind}:${e.label}`} className={e.matches ? 'verdict-match' : 'verdict-no-match'}>
                <th scope="row" className="mono">
                  {e.label}
                  <span className="sslpeer-subject muted">{e.subject}</span>
                </th>
                <td>{e.kind === 'personal' ? 'Personal' : 'Signer'}</td>
                <td>{e.matches ? '✓ Matches' : `✕ ${e.reason!.charAt(0).toUpperCase()}${e.reason!.slice(1)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The View Details section: the value, and the test against this certificate. */
export function SslPeerSection({ storeId, label }: { storeId: string; label: string }) {
  return (
    <section className="details-wide sslpeer" aria-labelledby="details-sslpeer">
      <h3 id="details-sslpeer">SSLPEER</h3>
      <SslPeerValueView storeId={storeId} label={label} />
      <SslPeerPatternTest storeId={storeId} label={label} />
    </section>
  );
}

/** The Doctor tab's section: which certificates of this store a channel's SSLPEER lets in. */
export function SslPeerStoreTest({ storeId }: { storeId: string }) {
  return (
    <section className="sslpeer sslpeer-store" aria-labelledby={`sslpeer-store-${storeId}`}>
      <h2 id={`sslpeer-store-${storeId}`}>SSLPEER check</h2>
      <p className="hint">Which certificates of this store would a channel’s SSLPEER (or a client’s SSLPEERNAME) let through, and why not the others.</p>
      <SslPeerPatternTest storeId={storeId} fieldLabel="SSLPEER value to test" />
    </section>
  );
}

/** One certificate against one value, for Test Connection: matches, or the reason it does not. */
export async function judgeSslPeer(storeId: string, label: string, filter: string): Promise<{ filter: string; matches: boolean; reason?: string }> {
  const verdict = await tryFilter(storeId, filter);
  if ('refused' in verdict) return { filter, matches: false, reason: `MQ refuses the value itself: ${verdict.refused.replace(/^SSLPEER "[^"]*" is not valid: /, '')}` };
  const entry = verdict.result.entries.find((e) => e.label === label);
  if (!entry) return { filter, matches: false, reason: `“${label}” is no longer in the store` };
  return entry.matches ? { filter, matches: true } : { filter, matches: false, reason: entry.reason };
}

/** The value that matches one certificate, fetched for a field that offers to use it. */
export function useSslPeerValue(storeId: string, label: string): SslPeerValue | undefined {
  const [value, setValue] = useState<SslPeerValue>();
  useEffect(() => {
    let current = true;
    setValue(undefined);
    if (label)
      keydesk.sslPeerValue({ store: { storeId }, label }).then(
        (v) => current && setValue(v),
        () => undefined,
      );
    return () => {
      current = false;
    };
  }, [storeId, label]);
  return value;
}

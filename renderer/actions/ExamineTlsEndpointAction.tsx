/**
 * Examine TLS Endpoint… (File menu, the store header, the welcome page): connect to a
 * live queue manager's listener, or any TLS port, and show in MQ's terms what it presented,
 * what it asked for and what became of the client's certificate. The open store is chosen
 * beforehand: its signers judge the server's chain, and its personal certificate can be
 * presented. A certificate the server presented can be added to the store's signers from
 * here (the same addCertificate operation Add… uses, given as PEM); the endpoint is then
 * examined again, so the verdict shown is the store's new one.
 *
 * The connection is made by the server process (the desktop's main process, or the
 * browser-mode server): the page sends host, port and labels, never a key or password.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppState, activeStore, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { SelectField, TextField } from '../components/FormFields';
import { personalLabels } from '../checks/personal-labels';
import { allCipherSpecs, cipherSpecAliases } from '../../core/checks/cipher-specs';
import type { PresentedCertificate, TlsProbeReport } from '../../core/api/contract';
import { ColonHex, Facts } from './certificate-facts';
import { errorText, reportChange, storeName } from './action-support';
import { readOnlyReason } from './pane-actions';
import { distinctNames } from '../store-names';
import { useActionRun } from './use-action-run';

/** What was typed last time, so a second look at the same listener needs no retyping. */
let last = { host: '', port: '1414', sni: '', timeout: '10', cipherSpec: '' };

const cipherSpecOptions = [
  { value: '', text: 'Any — what the server chooses' },
  ...cipherSpecAliases.map((a) => ({ value: a.name, text: a.name })),
  ...allCipherSpecs.filter((s) => s.status === 'enabled').map((s) => ({ value: s.name, text: s.name })),
];

function portProblem(port: string): string | undefined {
  if (!/^\d+$/.test(port.trim()) || Number(port) < 1 || Number(port) > 65535) return 'Give the port as a number from 1 to 65535 (MQ listeners often use 1414)';
  return undefined;
}

function timeoutProblem(timeout: string): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(timeout.trim()) || Number(timeout) <= 0) return 'Give the timeout in seconds';
  return undefined;
}

function ExamineTlsEndpointDialog({ initialStoreId, onClose }: { initialStoreId?: string; onClose: () => void }) {
  const stores = useAppState((s) => s.stores);
  const [host, setHost] = useState(last.host);
  const [port, setPort] = useState(last.port);
  const [sni, setSni] = useState(last.sni);
  const [timeout, setTimeoutText] = useState(last.timeout);
  const [cipherSpec, setCipherSpec] = useState(last.cipherSpec);
  const [storeId, setStoreId] = useState(initialStoreId ?? '');
  const store = stores.find((s) => s.view.storeId === storeId);
  const [label, setLabel] = useState(store ? (personalLabels(store)[0] ?? '') : '');
  const [report, setReport] = useState<TlsProbeReport>();
  const { busy, error, run, setBusy } = useActionRun();
  const names = distinctNames(stores.map((s) => s.view.path));
  const problem = firstProblem(host.trim() ? undefined : 'Type the host name or IP address of the queue manager', portProblem(port), timeoutProblem(timeout));

  function chooseStore(id: string) {
    setStoreId(id);
    const chosen = stores.find((s) => s.view.storeId === id);
    setLabel(chosen ? (personalLabels(chosen)[0] ?? '') : '');
  }

  function examine() {
    last = { host, port, sni, timeout, cipherSpec };
    return run(`Connecting to ${host.trim()}(${port.trim()})…`, async () => {
      setReport(
        await keydesk.probeTlsEndpoint({
          host: host.trim(),
          port: Number(port),
          ...(store ? { store: { storeId: store.view.storeId } } : {}),
          ...(store && label ? { label } : {}),
          ...(cipherSpec ? { cipherSpec } : {}),
          ...(sni.trim() ? { sni: sni.trim() } : {}),
          timeoutSeconds: Number(timeout),
        }),
      );
      // The dialog stays open on its answer, ready for another look.
      setBusy(undefined);
    });
  }

  return (
    <ActionDialog
      title="Examine TLS Endpoint"
      subtitle="Connect to a queue manager’s listener (or any TLS port) and see what it presents and asks for."
      onClose={onClose}
      onSubmit={() => void examine()}
      problem={problem}
      busy={busy}
      error={error}
      okText={report ? 'Connect Again' : 'Connect'}
      size="large"
    >
      <div className="field-row three">
        <TextField label="Host" value={host} onChange={setHost} autoFocus placeholder="mq1.example.com" mono />
        <TextField label="Port" value={port} onChange={setPort} inputMode="numeric" mono />
        <TextField label="Timeout (seconds)" value={timeout} onChange={setTimeoutText} inputMode="numeric" />
      </div>
      <div className="field-row three">
        <SelectField
          label="Key store"
          value={storeId}
          options={[{ value: '', text: '(none — do not judge trust)' }, ...stores.map((s, i) => ({ value: s.view.storeId, text: names[i] ?? s.view.path }))]}
          onChange={chooseStore}
          hint="Its signers judge the server’s chain."
        />
        <SelectField
          label="Client certificate"
          value={label}
          options={[{ value: '', text: '(none — present no certificate)' }, ...(store ? personalLabels(store).map((l) => ({ value: l, text: l })) : [])]}
          onChange={setLabel}
          hint="Presented as the MQ client’s (CERTLABL)."
        />
        <SelectField label="CipherSpec" value={cipherSpec} options={cipherSpecOptions} onChange={setCipherSpec} hint="SSLCIPH to offer; Any shows what the server picks." className="mono-select" />
      </div>
      <TextField label="Server name (SNI, optional)" value={sni} onChange={setSni} mono hint="The host name by default. An MQ client sends <channel>.chl.mq.ibm.com to pick a channel’s certificate." />
      {report && <ProbeResult report={report} store={store} onAdded={() => void examine()} />}
    </ActionDialog>
  );
}

function TrustBadge({ c }: { c: PresentedCertificate }) {
  if (c.trusted === undefined) return null;
  return c.trusted ? <span className="badge badge-good">Trusted by the store</span> : <span className="badge badge-expired">Not trusted by the store</span>;
}

function AddToSigners({ c, store, onAdded }: { c: PresentedCertificate; store: OpenStore; onAdded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();
  if (c.signerLabel) return <span className="muted">In the store as signer “{c.signerLabel}”</span>;
  const readOnly = store.view.readOnly === true;
  async function add() {
    setBusy(true);
    setFailed(undefined);
    try {
      const changed = await keydesk.addCertificate({ store: { storeId: store.view.storeId }, pem: c.pem });
      reportChange(store, changed, `Added ${c.subject} to the signer certificates of ${storeName(store)}.`);
      onAdded();
    } catch (e) {
      setFailed(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="secondary small" disabled={busy || readOnly} title={readOnly ? readOnlyReason : `Add ${c.subject} to the Signer Certificates of ${storeName(store)}. Compare its SHA-256 fingerprint with the one the queue manager’s administrator gives you first.`} onClick={() => void add()}>
        Add to Signers
      </button>
      {failed && (
        <span className="form-error" role="alert">
          {failed}
        </span>
      )}
    </>
  );
}

function ProbeResult({ report: r, store, onAdded }: { report: TlsProbeReport; store?: OpenStore; onAdded: () => void }) {
  const suite = [r.protocol, r.cipher].filter(Boolean).join(', ');
  const ca = r.clientAuth;
  const section = useRef<HTMLElement>(null);
  // Each answer is brought into view: it is what the user connected for, and it replaces the last.
  useEffect(() => {
    section.current?.scrollIntoView({ block: 'start' });
  }, [r]);
  return (
    <section className="probe-result" aria-label="What the server said" ref={section}>
      <p className={`verdict ${r.ok ? 'good' : 'bad'}`} role="status">
        {r.ok ? `Handshake OK with ${r.host}(${r.port})${suite ? ` — ${suite}` : ''}` : `Failed: ${r.failure?.message ?? 'the handshake failed.'}`}
      </p>
      {(r.cipherSpecs.length > 0 || r.cipherSpecAsked) && (
        <Facts
          label="Agreed"
          facts={[
            ['Protocol and cipher', suite],
            ['MQ CipherSpec', r.cipherSpecs.length > 0 ? <code>{r.cipherSpecs[0]}</code> : undefined],
            ['Also reached by', r.cipherSpecs.slice(1).join(', ')],
            ['CipherSpec asked for', r.cipherSpecAsked?.message],
          ]}
        />
      )}
      {r.trust && (
        <p className={r.trust.trusted ? 'verdict good' : 'warning-box'}>
          {r.trust.message}
          {r.trust.amq && !r.trust.trusted ? ` (${r.trust.amq})` : ''}
        </p>
      )}
      {(r.protocol || r.chain.length > 0) && (
        <>
          <h3>Client certificate</h3>
          <p>
            {ca.requested === 'unknown' ? 'Whether the server asks for one is not known' : ca.requested ? 'The server asks for a client certificate' : 'The server does not ask for a client certificate'}{' '}
            <span className="muted">({ca.source})</span>
          </p>
          {ca.acceptableCas && ca.acceptableCas.length > 0 && (
            <>
              <p>CAs the server accepts:</p>
              <ul className="probe-cas">
                {ca.acceptableCas.map((dn) => (
                  <li key={dn}>
                    <code>{dn}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          {ca.matches.length > 0 && (
            <ul className="problems">
              {ca.matches.map((m) => (
                <li key={m.label} className={m.listed ? undefined : 'probe-unlisted'}>
                  {m.message}
                </li>
              ))}
            </ul>
          )}
          {r.presented && (
            <p className={r.presented.outcome === 'refused' ? 'warning-box' : undefined}>
              Your certificate: {r.presented.message}
              {r.presented.amq ? ` (${r.presented.amq})` : ''}
            </p>
          )}
        </>
      )}
      {r.problems.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul className="problems">
            {r.problems.map((p) => (
              <li key={p.message}>
                {p.message}
                {p.amq ? ` (${p.amq})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.chain.length > 0 && (
        <>
          <h3>Certificates the server presented</h3>
          <ol className="probe-chain">
            {r.chain.map((c) => (
              <li key={c.sha256}>
                <p className="probe-subject">
                  <strong>{c.subject}</strong> <TrustBadge c={c} />
                </p>
                <p className="probe-facts">
                  Issued by {c.issuer}
                  <br />
                  Valid {c.notBefore.slice(0, 10)} to {c.notAfter.slice(0, 10)} · {c.key}
                  {c.isCa ? ' (CA)' : ''} · {c.signatureAlgorithm}
                  <br />
                  SHA-256 <ColonHex hex={c.sha256} />
                </p>
                {/* A CA, or a self-signed server certificate: what a store trusts. A CA-signed
                    server certificate itself is never the signer to add. */}
                {store && (c.signerLabel || (c.trusted === false && (c.isCa || c.selfSigned))) && <AddToSigners c={c} store={store} onAdded={onAdded} />}
              </li>
            ))}
          </ol>
        </>
      )}
      {r.notes.map((n) => (
        <p className="hint" key={n}>
          Note: {n}
        </p>
      ))}
    </section>
  );
}

/** With `store` chosen (the store shown, from the menu), when there is one. */
export function examineTlsEndpoint(store: OpenStore | undefined = activeStore()): void {
  showDialog((close) => <ExamineTlsEndpointDialog initialStoreId={store?.view.storeId} onClose={close} />);
}

/** On the welcome page: a listener can be examined before any store is open. */
export function ExamineTlsEndpointButton() {
  return (
    <button type="button" className="secondary small" onClick={() => examineTlsEndpoint()} title="Connect to a queue manager’s TLS listener and see what it presents and asks for">
      Examine TLS Endpoint…
    </button>
  );
}

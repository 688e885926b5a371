/**
 * Test Connection…: a real TLS handshake on 127.0.0.1 between the two stores side by side.
 * The queue manager side (as the trainer set the roles) is the TLS server; with two queue
 * managers, A receives and B's sender channel connects. SSLCAUTH(REQUIRED) unless chosen
 * otherwise; the CipherSpec is chosen from MQ's names, those both keys fit first. Between
 * two queue managers the channel can be turned round (which one receives). "Also check that
 * a stranger is refused" is the CLI's `-tls -test -reverse`: the queue manager must refuse a
 * client certificate nobody trusts, or it lets anyone in. An SSLPEER for the queue manager's
 * channel is judged against the client's certificate by MQ's rules (the value that matches
 * it exactly is offered), since a handshake that works still fails a channel whose SSLPEER
 * does not match. The
 * answer (protocol and cipher, or what each side lacks in MQ's terms) is shown under the
 * two stores.
 */
import { useId, useState } from 'react';
import { useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { CheckboxField, SelectField, TextField } from '../components/FormFields';
import { judgeSslPeer, useSslPeerValue } from '../checks/SslPeerHelper';
import { labelOptions, personalLabels } from '../checks/personal-labels';
import { entriesStamp, roleOf, useExchangeState } from '../checks/exchange-state';
import { cipherSpecGroups } from '../checks/cipher-spec-choices';
import { distinctNames } from '../store-names';
import type { ClientAuth } from '../../core/api/contract';
import { DEFAULT_CIPHER_SPEC } from '../../core/checks/cipher-specs';
import { useActionRun } from './use-action-run';

const clientAuthOptions = [
  { value: 'required', text: 'Required — SSLCAUTH(REQUIRED), MQ’s default' },
  { value: 'optional', text: 'Optional — SSLCAUTH(OPTIONAL)' },
] as const;

function CipherSpecField({ value, onChange, serverKey, clientKey }: { value: string; onChange: (v: string) => void; serverKey?: string; clientKey?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>CipherSpec</label>
      <select id={id} className="mono" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`}>
        {cipherSpecGroups(serverKey, clientKey).map((group) => (
          <optgroup key={group.title} label={group.title}>
            {group.names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        SSLCIPH of the channel, the same on both ends. Those that fit both certificates’ keys come first.
      </p>
    </div>
  );
}

const keyOf = (store: OpenStore, label: string) => store.view.entries.find((e) => e.label === label)?.keyAlgorithm;

function TestConnectionDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const { exchange: exchanged, roles } = useExchangeState.getState();
  const roleA = roleOf(roles, a, 'A', b);
  const roleB = roleOf(roles, b, 'B', a);
  const bothQm = roleA === 'queue manager' && roleB === 'queue manager';
  // The queue manager listens; with two, A receives unless the user turns the channel round.
  const [serverSide, setServerSide] = useState<'A' | 'B'>(roleA === 'queue manager' || roleB !== 'queue manager' ? 'A' : 'B');
  const serverIsA = serverSide === 'A';
  const [server, client] = serverIsA ? [a, b] : [b, a];
  const [nameA, nameB] = distinctNames([a.view.path, b.view.path]) as [string, string];
  const [serverName, clientName] = serverIsA ? [`A, ${nameA}`, `B, ${nameB}`] : [`B, ${nameB}`, `A, ${nameA}`];
  const lastLabel = (store: OpenStore) => (exchanged?.aStoreId === a.view.storeId && exchanged.bStoreId === b.view.storeId ? (store === a ? exchanged.aLabel : exchanged.bLabel) : undefined);
  // Per side, so turning a QM-to-QM channel round keeps each store's choice.
  const [labelA, setLabelA] = useState(lastLabel(a) ?? personalLabels(a)[0] ?? '');
  const [labelB, setLabelB] = useState(lastLabel(b) ?? personalLabels(b)[0] ?? '');
  const [serverLabel, setServerLabel] = serverIsA ? [labelA, setLabelA] : [labelB, setLabelB];
  const [clientLabel, setClientLabel] = serverIsA ? [labelB, setLabelB] : [labelA, setLabelA];
  const [cipherSpec, setCipherSpec] = useState(DEFAULT_CIPHER_SPEC);
  const [clientAuth, setClientAuth] = useState<ClientAuth>('required');
  const [reverse, setReverse] = useState(false);
  const [sslPeer, setSslPeer] = useState('');
  const matching = useSslPeerValue(client.view.storeId, clientLabel);
  const { busy, error, run } = useActionRun();
  const problem = firstProblem(
    roleA === 'client' && roleB === 'client' ? 'Both sides are set as clients: a client connects to a queue manager, so set A or B to Queue manager (above its store)' : undefined,
    serverLabel ? undefined : `${server === a ? nameA : nameB} has no personal certificate for the queue manager`,
    clientLabel ? undefined : `${client === a ? nameA : nameB} has no personal certificate for the ${bothQm ? 'sending queue manager' : 'client'}`,
  );

  function submit() {
    return run(reverse ? 'Connecting on 127.0.0.1, then as a stranger…' : 'Connecting on 127.0.0.1…', async () => {
      const report = await keydesk.testHandshake({
        server: { storeId: server.view.storeId },
        serverLabel,
        client: { storeId: client.view.storeId },
        clientLabel,
        cipherSpec,
        clientAuth,
        ...(reverse ? { reverse: true } : {}),
      });
      // SSLPEER is the queue manager's check of the client's DN, made once the handshake is done.
      const peer = sslPeer.trim() ? await judgeSslPeer(client.view.storeId, clientLabel, sslPeer.trim()) : undefined;
      useExchangeState.setState({
        connection: {
          aStoreId: a.view.storeId,
          bStoreId: b.view.storeId,
          serverSide,
          serverLabel,
          clientLabel,
          report,
          ...(peer ? { sslPeer: peer } : {}),
          stamp: entriesStamp(a, b),
        },
      });
      const peerWords = peer ? (peer.matches ? ` SSLPEER matches “${clientLabel}”.` : ` SSLPEER would stop the channel: ${peer.reason}.`) : '';
      const reverseWords = report.reverse ? (report.reverse.refused ? ' A stranger was refused, as it must be.' : ` Reverse case: ${report.reverse.message}`) : '';
      useAppState.getState().showMessage({
        tone: report.ok && (!report.reverse || report.reverse.refused) && (!peer || peer.matches) ? 'info' : 'error',
        text:
          (report.ok
            ? `Connection test passed: ${report.protocol ?? ''} ${report.cipherSpec ?? report.cipher ?? ''}.`.replace(/\s+\./, '.')
            : `Connection test failed: ${report.problems[0]?.message ?? 'see the problems under the two stores.'}`) + peerWords + reverseWords,
      });
      onClose();
    });
  }

  const directionOptions = [
    { value: 'A', text: `A receives: B’s sender channel connects to A` },
    { value: 'B', text: `B receives: A’s sender channel connects to B` },
  ] as const;

  return (
    <ActionDialog
      title="Test Connection"
      subtitle="A TLS handshake on this computer, as the channel would make it."
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={problem}
      busy={busy}
      error={error}
      okText="Test"
    >
      {bothQm && (
        <SelectField
          label="Channel direction"
          value={serverSide}
          options={directionOptions}
          onChange={(v) => setServerSide(v as 'A' | 'B')}
          hint="The receiving queue manager is the TLS server; the sender’s certificate is checked against its signers."
        />
      )}
      <SelectField label={`${bothQm ? 'Receiving queue manager' : 'Queue manager'} certificate (${serverName})`} value={serverLabel} options={labelOptions(server)} onChange={setServerLabel} />
      <SelectField label={`${bothQm ? 'Sending queue manager' : 'Client'} certificate (${clientName})`} value={clientLabel} options={labelOptions(client)} onChange={setClientLabel} />
      <CipherSpecField value={cipherSpec} onChange={setCipherSpec} serverKey={keyOf(server, serverLabel)} clientKey={keyOf(client, clientLabel)} />
      <SelectField label="Client authentication" value={clientAuth} options={clientAuthOptions} onChange={(v) => setClientAuth(v as ClientAuth)} />
      <TextField
        label={`SSLPEER on the ${bothQm ? 'receiving ' : ''}queue manager’s channel (optional)`}
        value={sslPeer}
        onChange={setSslPeer}
        mono
        placeholder="CN=app1,O=Example"
        hint={
          <>
            Checked against “{clientLabel || 'the client'}” as the channel would, after the handshake.
            {matching && (
              <>
                {' '}
                Matching it exactly: <code className="mono">{matching.sslpeer}</code>{' '}
                <button type="button" className="secondary small" onClick={() => setSslPeer(matching.sslpeer)}>
                  Use This Value
                </button>
              </>
            )}
          </>
        }
      />
      <CheckboxField
        label="Also check that a stranger is refused"
        checked={reverse}
        onChange={setReverse}
        hint={`A second handshake with a throw-away certificate made in memory, which no signer in ${serverName} vouches for: the ${bothQm ? 'receiving ' : ''}queue manager must refuse it (AMQ9633). Proves the channel keeps out partners it does not know.`}
      />
    </ActionDialog>
  );
}

export function testConnection(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <TestConnectionDialog a={a} b={b} onClose={close} />);
}

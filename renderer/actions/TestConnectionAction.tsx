/**
 * Test Connection…: a real TLS handshake on 127.0.0.1 between the two stores side by side,
 * A as the queue manager and B as the client, with SSLCAUTH(REQUIRED) unless chosen
 * otherwise. The answer (protocol and cipher, or what each side lacks in MQ's terms) is
 * shown under the two stores.
 */
import { useState } from 'react';
import { useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { SelectField, TextField } from '../components/FormFields';
import { labelOptions, personalLabels } from '../checks/personal-labels';
import { useExchangeState } from '../checks/exchange-state';
import { storeName } from './action-support';
import type { ClientAuth } from '../../core/api/contract';
import { useActionRun } from './use-action-run';

const clientAuthOptions = [
  { value: 'required', text: 'Required — SSLCAUTH(REQUIRED), MQ’s default' },
  { value: 'optional', text: 'Optional — SSLCAUTH(OPTIONAL)' },
] as const;

function TestConnectionDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const exchanged = useExchangeState.getState().exchange;
  const [serverLabel, setServerLabel] = useState(exchanged?.aStoreId === a.view.storeId ? exchanged.aLabel : (personalLabels(a)[0] ?? ''));
  const [clientLabel, setClientLabel] = useState(exchanged?.bStoreId === b.view.storeId ? exchanged.bLabel : (personalLabels(b)[0] ?? ''));
  const [cipherSpec, setCipherSpec] = useState('');
  const [clientAuth, setClientAuth] = useState<ClientAuth>('required');
  const { busy, error, run } = useActionRun();
  const problem = firstProblem(
    serverLabel ? undefined : `${storeName(a)} has no personal certificate for the queue manager`,
    clientLabel ? undefined : `${storeName(b)} has no personal certificate for the client`,
  );

  function submit() {
    return run('Connecting on 127.0.0.1…', async () => {
      const report = await keydesk.testHandshake({
        server: { storeId: a.view.storeId },
        serverLabel,
        client: { storeId: b.view.storeId },
        clientLabel,
        ...(cipherSpec.trim() ? { cipherSpec: cipherSpec.trim() } : {}),
        clientAuth,
      });
      useExchangeState.setState({ connection: { aStoreId: a.view.storeId, bStoreId: b.view.storeId, serverLabel, clientLabel, report } });
      useAppState.getState().showMessage({
        tone: report.ok ? 'info' : 'error',
        text: report.ok ? `Connection test passed: ${report.protocol ?? ''} ${report.cipherSpec ?? report.cipher ?? ''}.`.replace(/\s+\./, '.') : `Connection test failed: ${report.problems[0]?.message ?? 'see the problems under the two stores.'}`,
      });
      onClose();
    });
  }

  return (
    <ActionDialog title="Test Connection" subtitle="A TLS handshake on this computer, as the channel would make it." onClose={onClose} onSubmit={() => void submit()} problem={problem} busy={busy} error={error} okText="Test">
      <SelectField label={`Queue manager certificate (A, ${storeName(a)})`} value={serverLabel} options={labelOptions(a)} onChange={setServerLabel} />
      <SelectField label={`Client certificate (B, ${storeName(b)})`} value={clientLabel} options={labelOptions(b)} onChange={setClientLabel} />
      <TextField label="CipherSpec" value={cipherSpec} onChange={setCipherSpec} placeholder="ANY_TLS12_OR_HIGHER" hint="SSLCIPH of the channel; empty for ANY_TLS12_OR_HIGHER." mono />
      <SelectField label="Client authentication" value={clientAuth} options={clientAuthOptions} onChange={(v) => setClientAuth(v as ClientAuth)} />
    </ActionDialog>
  );
}

export function testConnection(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <TestConnectionDialog a={a} b={b} onClose={close} />);
}

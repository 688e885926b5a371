/**
 * Exchange Signers…: with two stores side by side, each side's personal certificate (or,
 * CA-signed, its CA) becomes a signer in the other store — the extract, transfer and add
 * steps of IBM's set-up checklists done in one go, with the enable steps left to say.
 */
import { useState } from 'react';
import { useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { SelectField } from '../components/FormFields';
import { labelOptions, personalLabels } from '../checks/personal-labels';
import { useExchangeState } from '../checks/exchange-state';
import { storeName } from './action-support';
import { useActionRun } from './use-action-run';

function ExchangeSignersDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const [aLabel, setALabel] = useState(personalLabels(a)[0] ?? '');
  const [bLabel, setBLabel] = useState(personalLabels(b)[0] ?? '');
  const { busy, error, run } = useActionRun();
  const problem = firstProblem(
    aLabel ? undefined : `${storeName(a)} has no personal certificate: create one with New Self-Signed… first`,
    bLabel ? undefined : `${storeName(b)} has no personal certificate: create one with New Self-Signed… first`,
  );

  function submit() {
    return run('Exchanging the signer certificates…', async () => {
      const result = await keydesk.exchangeSigners({ a: { storeId: a.view.storeId }, aLabel, b: { storeId: b.view.storeId }, bLabel });
      const state = useAppState.getState();
      state.applyChange(a.view.storeId, result.a);
      state.applyChange(b.view.storeId, result.b);
      useExchangeState.setState({ exchange: { aStoreId: a.view.storeId, bStoreId: b.view.storeId, aLabel, bLabel, steps: result.steps }, connection: undefined });
      const notes = [...result.a.notes, ...result.b.notes];
      state.showMessage({ tone: 'info', text: `Exchanged signer certificates between ${storeName(a)} and ${storeName(b)}; both are saved.${notes.length ? ` ${notes.join(' ')}` : ''}` });
      onClose();
    });
  }

  return (
    <ActionDialog title="Exchange Signers" subtitle="Each side’s certificate (or its CA) is added to the other side’s signer certificates." onClose={onClose} onSubmit={() => void submit()} problem={problem} busy={busy} error={error}>
      <SelectField label={`Personal certificate of ${storeName(a)} (A)`} value={aLabel} options={labelOptions(a)} onChange={setALabel} hint={<span className="path">{a.view.path}</span>} />
      <SelectField label={`Personal certificate of ${storeName(b)} (B)`} value={bLabel} options={labelOptions(b)} onChange={setBLabel} hint={<span className="path">{b.view.path}</span>} />
    </ActionDialog>
  );
}

export function exchangeSigners(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <ExchangeSignersDialog a={a} b={b} onClose={close} />);
}

/**
 * Exchange Signers…: with two stores side by side, each side's personal certificate (or,
 * CA-signed, its CA) becomes a signer in the other store — the extract, transfer and add
 * steps of IBM's set-up checklists done in one go, with the enable steps left to say.
 * What is added is labelled with its certificate's CN (made unique if the store already
 * uses it), the rule Add… follows too, and the message says what was added where.
 */
import { useState } from 'react';
import type { ExchangeStep } from '../../core/api/contract';
import { useAppState, type OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { SelectField } from '../components/FormFields';
import { labelOptions, personalLabels } from '../checks/personal-labels';
import { roleOf, useExchangeState } from '../checks/exchange-state';
import { distinctNames } from '../store-names';
import { useActionRun } from './use-action-run';

/** "Added “QM1” to key.kdb — qm2/ssl and “QM2” to key.kdb — qm1/ssl", or that nothing needed adding. */
export function exchangeOutcome(steps: readonly ExchangeStep[], names: { A: string; B: string }): string {
  const adds = steps.filter((s) => s.action === 'add');
  const added = (to: 'A' | 'B') => adds.filter((s) => s.to === to && s.status === 'done').map((s) => `“${s.label}”`);
  const parts = (['B', 'A'] as const).flatMap((to) => {
    const labels = added(to);
    return labels.length ? [`${labels.join(' and ')} to ${names[to]}’s Signer Certificates`] : [];
  });
  if (parts.length === 0) return `Nothing needed adding: ${names.A} and ${names.B} already trust each other’s certificates. Nothing was written.`;
  const already = (['B', 'A'] as const).filter((to) => adds.some((s) => s.to === to) && added(to).length === 0);
  const rest = already.map((to) => ` ${names[to]} already trusted the other side; it is unchanged.`).join('');
  return `Added ${parts.join(', and ')}; saved.${rest}`;
}

function ExchangeSignersDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const [aLabel, setALabel] = useState(personalLabels(a)[0] ?? '');
  const [bLabel, setBLabel] = useState(personalLabels(b)[0] ?? '');
  const { busy, error, run } = useActionRun();
  const [nameA, nameB] = distinctNames([a.view.path, b.view.path]) as [string, string];
  const problem = firstProblem(
    aLabel ? undefined : `${nameA} has no personal certificate: create one with New Self-Signed… first`,
    bLabel ? undefined : `${nameB} has no personal certificate: create one with New Self-Signed… first`,
  );

  function submit() {
    return run('Exchanging the signer certificates…', async () => {
      const { roles: chosen } = useExchangeState.getState();
      const roles = {
        a: roleOf(chosen, a, 'A', b),
        b: roleOf(chosen, b, 'B', a),
      };
      const result = await keydesk.exchangeSigners({
        a: { storeId: a.view.storeId },
        aLabel,
        b: { storeId: b.view.storeId },
        bLabel,
        roles,
      });
      const state = useAppState.getState();
      state.applyChange(a.view.storeId, result.a);
      state.applyChange(b.view.storeId, result.b);
      useExchangeState.setState({
        exchange: {
          aStoreId: a.view.storeId,
          bStoreId: b.view.storeId,
          aLabel,
          bLabel,
          roles,
          steps: result.steps,
        },
        connection: undefined,
      });
      // Each "added signer …" note is already in the sentence, with the store it went to.
      const notes = [...result.a.notes, ...result.b.notes].filter((n) => !n.startsWith('added signer '));
      state.showMessage({
        tone: 'info',
        text: `${exchangeOutcome(result.steps, { A: nameA, B: nameB })}${notes.length ? ` ${notes.join(' ')}` : ''}`,
      });
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Exchange Signers"
      subtitle="Each side’s certificate (or its CA) is added to the other side’s Signer Certificates, labelled with its CN."
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={problem}
      busy={busy}
      error={error}
    >
      <SelectField label={`Personal certificate of ${nameA} (A)`} value={aLabel} options={labelOptions(a)} onChange={setALabel} hint={<span className="path">{a.view.path}</span>} />
      <SelectField label={`Personal certificate of ${nameB} (B)`} value={bLabel} options={labelOptions(b)} onChange={setBLabel} hint={<span className="path">{b.view.path}</span>} />
    </ActionDialog>
  );
}

export function exchangeSigners(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <ExchangeSignersDialog a={a} b={b} onClose={close} />);
}

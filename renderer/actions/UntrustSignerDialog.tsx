/**
 * The question View Details asks before its trust checkbox stops trusting a signer: the
 * change is saved at once, and the store's own personal certificates whose chain goes
 * through that CA stop validating, so they are named first, with Cancel focused.
 */
import type { EntryDetails } from '../../core/api/contract';
import { ActionDialog } from '../components/ActionDialog';
import { showDialog } from '../dialog-stack';
import { commonNameOf } from '../entry-rows';

function UntrustSignerDialog({ details, onAnswer }: { details: EntryDetails; onAnswer: (untrust: boolean) => void }) {
  const relying = details.reliedOnBy ?? [];
  const name = commonNameOf(details.subject) || details.label;
  return (
    <ActionDialog
      title={`Stop trusting “${details.label}”?`}
      subtitle={details.subject}
      onClose={() => onAnswer(false)}
      onSubmit={() => onAnswer(true)}
      okText="Stop trusting"
      cancelFirst
    >
      {relying.length > 0 ? (
        <div className="warning-box" role="note">
          <p className="untrust-lead">
            {relying.length === 1 ? 'This personal certificate' : `These ${relying.length} personal certificates`} of this key database{' '}
            {relying.length === 1 ? 'has its' : 'have their'} chain through “{name}” and will stop validating:
          </p>
          <ul className="untrust-list" aria-label="Personal certificates that will stop validating">
            {relying.map((label) => (
              <li key={label}>{label}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>No personal certificate of this key database has its chain through “{name}”.</p>
      )}
      <p>
        Partners whose certificate chain ends at it will be refused (AMQ9633). The change is saved at once; you can trust it again from View Details.
      </p>
    </ActionDialog>
  );
}

/** Resolves true when the user chose Stop trusting. */
export function confirmUntrust(details: EntryDetails): Promise<boolean> {
  return new Promise((resolve) => {
    showDialog((close) => (
      <UntrustSignerDialog
        details={details}
        onAnswer={(untrust) => {
          close();
          resolve(untrust);
        }}
      />
    ));
  });
}

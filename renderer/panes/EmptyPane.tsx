/** What an empty pane says: why it is empty and what to do, in the words IBM's documentation uses. */
import type { PaneName } from '../entry-rows';

const emptyText: Record<PaneName, { title: string; advice: string }> = {
  personal: {
    title: 'No personal certificates in this key database.',
    advice:
      'A queue manager or client needs one to identify itself: make one with New Self-Signed…, or with New Request… for a CA to sign, then Receive… the signed certificate.',
  },
  signer: {
    title: 'No signer certificates in this key database.',
    advice: 'Add the certificates of the CAs that sign your partners’ certificates (or a partner’s self-signed certificate), so this store can trust them.',
  },
  request: {
    title: 'No pending certificate requests.',
    advice: 'New Request… makes a key and a request to send to your CA; the request waits here until you Receive… the signed certificate.',
  },
};

export function EmptyPane({ pane }: { pane: PaneName }) {
  const text = emptyText[pane];
  return (
    <div className="empty-state">
      <p className="empty-title">{text.title}</p>
      <p>{text.advice}</p>
    </div>
  );
}

export function NoMatch({ filter, onClear }: { filter: string; onClear: () => void }) {
  return (
    <div className="empty-state">
      <p className="empty-title">No entries match “{filter}”.</p>
      <p>
        The filter looks in labels, subject and issuer names, key types and status.{' '}
        <button type="button" className="secondary" onClick={onClear}>
          Clear filter
        </button>
      </p>
    </div>
  );
}

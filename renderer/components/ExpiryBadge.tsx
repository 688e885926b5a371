/**
 * Expiry in words and colour together: colour alone says nothing to a colour-blind user or
 * on a washed-out projector. Compact in the table ("13 days left"), full in details.
 */
import type { Expiry } from '../entry-rows';

function words(expiry: Expiry, compact: boolean): string {
  switch (expiry.state) {
    case 'expired':
      return compact ? 'Expired' : expiry.note.charAt(0).toUpperCase() + expiry.note.slice(1);
    case 'expiring':
      if (!compact) return expiry.note.charAt(0).toUpperCase() + expiry.note.slice(1);
      return expiry.days === 0 ? 'Expires today' : `${expiry.days} day${expiry.days === 1 ? '' : 's'} left`;
    case 'not-yet-valid':
      return 'Not yet valid';
    default:
      return '';
  }
}

export function ExpiryBadge({ expiry, compact = false }: { expiry: Expiry; compact?: boolean }) {
  const text = words(expiry, compact);
  if (!text) return null;
  return (
    <span className={`badge badge-${expiry.state}`} title={expiry.note}>
      <span aria-hidden="true">{expiry.state === 'expired' ? '✕ ' : '⚠ '}</span>
      {text}
    </span>
  );
}

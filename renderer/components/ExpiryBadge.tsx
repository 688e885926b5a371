/**
 * Expiry in words and colour together: colour alone says nothing to a colour-blind user or
 * on a washed-out projector. Compact in the table ("13 days left"), full in details.
 */
import { compactExpiryText, type Expiry } from '../entry-rows';

function words(expiry: Expiry, compact: boolean): string {
  if (expiry.state === 'valid' || expiry.state === 'none') return '';
  if (compact) return compactExpiryText(expiry);
  return expiry.note.charAt(0).toUpperCase() + expiry.note.slice(1);
}

export function ExpiryBadge({ expiry, compact = false }: { expiry: Expiry; compact?: boolean }) {
  const text = words(expiry, compact);
  if (!text) return null;
  return (
    <span className={`badge badge-${expiry.state}`} title={expiry.note}>
      <span aria-hidden="true">{expiry.state === 'expired' ? '✕ ' : '⚠ '}</span>
      {/* "Expiring" is the word the filter takes; a screen reader hears it too. */}
      {compact && expiry.state === 'expiring' && <span className="visually-hidden">Expiring: </span>}
      {text}
    </span>
  );
}

/** One of iKeyman's three panes: a list of labels of one kind, with key facts beside. */
import type { EntrySummary } from '../../core/api/contract';
import { useAppState, type PaneName } from '../app-state';

export const paneTitles: Record<PaneName, string> = {
  personal: 'Personal Certificates',
  signer: 'Signer Certificates',
  request: 'Personal Certificate Requests',
};

function expiresSoon(entry: EntrySummary): 'expired' | 'soon' | undefined {
  if (!entry.notAfter) return undefined;
  const left = Date.parse(entry.notAfter) - Date.now();
  if (left < 0) return 'expired';
  return left < 30 * 24 * 3600 * 1000 ? 'soon' : undefined;
}

export function EntryPane({ pane, entries }: { pane: PaneName; entries: EntrySummary[] }) {
  const selectEntry = useAppState((s) => s.selectEntry);
  const selected = useAppState((s) => s.selected);
  if (entries.length === 0) return <p className="empty">No {paneTitles[pane].toLowerCase()} in this key database.</p>;
  return (
    <table className="entries" aria-label={paneTitles[pane]}>
      <thead>
        <tr>
          <th>Label</th>
          <th>Subject</th>
          <th>Key</th>
          <th>Expires</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const expiry = expiresSoon(entry);
          return (
            <tr
              key={entry.label}
              className={selected?.label === entry.label ? 'selected' : undefined}
              onClick={() => void selectEntry(entry.label)}
              tabIndex={0}
              onKeyDown={(e) => e.key === 'Enter' && void selectEntry(entry.label)}
            >
              <td>{entry.label}</td>
              <td>{entry.subject ?? entry.reason ?? ''}</td>
              <td>{entry.curve ? `${entry.keyAlgorithm} ${entry.curve}` : entry.keySize ? `${entry.keyAlgorithm} ${entry.keySize}` : (entry.keyAlgorithm ?? '')}</td>
              <td className={expiry}>
                {entry.notAfter?.slice(0, 10) ?? ''}
                {expiry === 'expired' ? ' (expired)' : expiry === 'soon' ? ' (soon)' : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

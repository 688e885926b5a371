/** Which store this is, how it was unlocked, and that nothing in it is left unsaved. */
import type { OpenStore } from '../app-state';
import { formatNames } from '../store-format';
import { changePassword } from '../actions/ChangePasswordAction';
import { stashPassword } from '../actions/StashPasswordAction';
import { saveAs } from '../actions/SaveAsAction';
import { exportList } from '../actions/ExportListAction';
import { readOnlyReason } from '../actions/pane-actions';

const unlockedWords: Record<OpenStore['unlockedWith'], string> = {
  password: 'Opened with its password',
  stash: 'Opened with its stash file',
  'at start': 'Opened when KeyDesk started',
};

/** `compact`: side by side, where half a window has no room for every fact. */
export function StoreHeader({ store, compact = false }: { store: OpenStore; compact?: boolean }) {
  const { view } = store;
  const version = view.format === 'cms' && typeof view.properties.version === 'number' ? ` version ${view.properties.version}` : '';
  const shown = store.rows.personal.length + store.rows.signer.length + store.rows.request.length;
  const hidden = view.entries.length - shown;
  return (
    <div className="store-header">
      <div className="store-title-row">
        <p className="store-path" title={view.path}>
          {view.path}
        </p>
        <div className="store-actions" role="group" aria-label="Key database actions">
          <button type="button" className="secondary small" disabled={view.readOnly} title={view.readOnly ? readOnlyReason : undefined} onClick={() => changePassword(store)}>
            Change Password…
          </button>
          <button type="button" className="secondary small" disabled={view.readOnly} title={view.readOnly ? readOnlyReason : undefined} onClick={() => stashPassword(store)}>
            Stash Password…
          </button>
          <button type="button" className="secondary small" onClick={() => saveAs(store)}>
            Save As / Convert…
          </button>
          <button type="button" className="secondary small" onClick={() => exportList(store)}>
            Export List…
          </button>
        </div>
      </div>
      <ul className={`store-facts${compact ? ' store-facts-compact' : ''}`} aria-label="About this key database">
        <li className="fact-format">
          {formatNames[view.format]}
          {version}
        </li>
        {view.readOnly && (
          <li className="fact-read-only" title={readOnlyReason}>
            Read-only{!compact && <span className="fact-read-only-reason"> — changes are off; to change it, close it and open it again without “Open read-only”</span>}
          </li>
        )}
        <li>{unlockedWords[store.unlockedWith]}</li>
        {!compact && <li title="KeyDesk writes every change to disk as soon as it is made, all of the store's files as one; no copy of the old files is left behind.">
          <span aria-hidden="true">✓ </span>No unsaved changes
        </li>}
        {hidden > 0 && (
          <li className="fact-warning">
            {hidden} other {hidden === 1 ? 'entry' : 'entries'} (secret keys or entries KeyDesk cannot read) kept unchanged, not listed
          </li>
        )}
      </ul>
    </div>
  );
}

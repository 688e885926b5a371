/** The buttons of a pane (iKeyman's right-hand column), from actions/pane-actions.ts. */
import type { OpenStore } from '../app-state';
import { paneActions } from '../actions/pane-actions';
import { paneTitles, type PaneName } from '../entry-rows';

export function PaneActionBar({ store, pane, selectedLabel }: { store: OpenStore; pane: PaneName; selectedLabel?: string }) {
  const { create, selected } = paneActions[pane];
  return (
    <div className="action-bar" role="group" aria-label={`${paneTitles[pane]} actions`}>
      <div className="action-group">
        {create.map((Action, i) => (
          <Action key={i} store={store} pane={pane} selectedLabel={selectedLabel} />
        ))}
      </div>
      <div className="action-group" aria-label={selectedLabel ? `On “${selectedLabel}”` : 'On the selected entry'} role="group">
        {selected.map((Action, i) => (
          <Action key={i} store={store} pane={pane} selectedLabel={selectedLabel} />
        ))}
      </div>
    </div>
  );
}

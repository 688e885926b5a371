/** The buttons of a pane (iKeyman's right-hand column), from actions/pane-actions.ts. */
import type { OpenStore } from '../app-state';
import { changesStore, paneActions, readOnlyReason, type PaneActionProps } from '../actions/pane-actions';
import type { ComponentType } from 'react';
import { paneTitles, type PaneName } from '../entry-rows';

export function PaneActionBar({ store, pane, selectedLabel }: { store: OpenStore; pane: PaneName; selectedLabel?: string }) {
  const { create, selected } = paneActions[pane];
  // A disabled fieldset turns off every button inside, whatever the action's own rule.
  const shown = (Action: ComponentType<PaneActionProps>, i: number) =>
    store.view.readOnly && changesStore.has(Action) ? (
      <fieldset key={i} className="read-only-off" disabled title={readOnlyReason}>
        <Action store={store} pane={pane} selectedLabel={selectedLabel} />
      </fieldset>
    ) : (
      <Action key={i} store={store} pane={pane} selectedLabel={selectedLabel} />
    );
  return (
    <div className="action-bar" role="group" aria-label={`${paneTitles[pane]} actions`}>
      <div className="action-group">
        {create.map(shown)}
      </div>
      <div className="action-group" aria-label={selectedLabel ? `On “${selectedLabel}”` : 'On the selected entry'} role="group">
        {selected.map(shown)}
      </div>
    </div>
  );
}

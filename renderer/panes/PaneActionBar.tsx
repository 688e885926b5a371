/**
 * The buttons of a pane (iKeyman's right-hand column), from actions/pane-actions.ts.
 * `compact` (side by side): a few buttons and a More menu holding the rest and Columns…,
 * so the toolbar stays one row in half a 1024-pixel projector.
 */
import type { OpenStore } from '../app-state';
import { changesStore, paneActions, paneMenuItem, readOnlyReason, sideBySideButtons, type PaneActionProps } from '../actions/pane-actions';
import type { ComponentType } from 'react';
import { paneTitles, type PaneName } from '../entry-rows';
import { StoreActionsMenu, type MenuAction } from '../components/StoreActionsMenu';
import { showColumnsDialog } from './ColumnChooser';
import type { EntryColumnId } from './entry-columns';

export function PaneActionBar({
  store,
  pane,
  selectedLabel,
  compact = false,
  hiddenColumns,
}: {
  store: OpenStore;
  pane: PaneName;
  selectedLabel?: string;
  compact?: boolean;
  /** Compact only: the columns the panel is too narrow for, off in Columns…. */
  hiddenColumns?: readonly EntryColumnId[];
}) {
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
  if (compact) {
    const buttons = sideBySideButtons[pane];
    const more: MenuAction[] = [...create, ...selected]
      .filter((Action) => !buttons.includes(Action))
      .flatMap((Action) => paneMenuItem(Action, store, pane, selectedLabel) ?? []);
    more.push({ text: 'Columns…', run: () => showColumnsDialog(pane, paneTitles[pane], hiddenColumns) });
    return (
      <div className="action-bar action-bar-compact" role="group" aria-label={`${paneTitles[pane]} actions`}>
        {[...create, ...selected].filter((Action) => buttons.includes(Action)).map(shown)}
        <StoreActionsMenu label="More" menuLabel={`More ${paneTitles[pane]} actions`} actions={more} />
      </div>
    );
  }
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

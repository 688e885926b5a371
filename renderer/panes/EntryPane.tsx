/** One of iKeyman's three panes: a filter, the pane's actions, and its entries. */
import { useId, useMemo, useState } from 'react';
import { useAppState, type OpenStore } from '../app-state';
import { paneTitles, RowFilter, sortRows, type PaneName } from '../entry-rows';
import { viewDetails } from '../actions/ViewDetailsAction';
import { EntryTable } from './EntryTable';
import { EmptyPane, NoMatch } from './EmptyPane';
import { PaneActionBar } from './PaneActionBar';
import { ColumnChooser } from './ColumnChooser';
import type { EntryColumnId } from './entry-columns';

/** `compact`: side by side — the actions in one row with a More menu, and `hiddenColumns`
 * left out of the table for the panel's width (StorePanel). */
export function EntryPane({ store, pane, compact = false, hiddenColumns }: { store: OpenStore; pane: PaneName; compact?: boolean; hiddenColumns?: readonly EntryColumnId[] }) {
  const { setFilter, sortBy, selectEntry } = useAppState.getState();
  const view = store.panes[pane];
  const allRows = store.rows[pane];
  // Sorted once per order, then filtered (a filter keeps the order): a keystroke in the
  // filter of 9,000 rows must not sort them again with the collator each time.
  const sortedRows = useMemo(() => sortRows(allRows, view.sort), [allRows, view.sort]);
  // Each keystroke searches only the rows the text before it matched (entry-rows.ts).
  const [rowFilter] = useState(() => new RowFilter());
  // Filtered in the keystroke's own render, not deferred (useDeferredValue): a search now
  // costs about a millisecond and the table draws only the rows in view, so one render and
  // one frame show the result sooner than a render of the old rows, a frame, then another.
  const rows = useMemo(() => rowFilter.rows(sortedRows, view.filter), [rowFilter, sortedRows, view.filter]);
  const countId = useId();
  // An action acts on what the user can see: a selection hidden by the filter is no selection.
  const selectedLabel = rows.some((r) => r.label === view.selectedLabel) ? view.selectedLabel : undefined;
  const title = paneTitles[pane];

  return (
    <div className="pane">
      <div className="pane-toolbar">
        <label className="filter">
          <span className="visually-hidden">Filter {title}</span>
          <input
            type="search"
            value={view.filter}
            onChange={(e) => setFilter(e.target.value)}
            // Side by side the box is narrow: a cut-off hint reads as a fault on a projector.
            placeholder={compact ? 'Filter…' : 'Filter: a label, name, key, or expired, expiring, weak…'}
            aria-describedby={countId}
            disabled={allRows.length === 0}
          />
        </label>
        <span id={countId} className="shown-count" role="status">
          {view.filter ? `${rows.length} of ${allRows.length} shown` : `${allRows.length} ${allRows.length === 1 ? 'entry' : 'entries'}`}
        </span>
        {allRows.length > 0 && !compact && <ColumnChooser columnsKey={pane} />}
        <PaneActionBar store={store} pane={pane} selectedLabel={selectedLabel} compact={compact} hiddenColumns={hiddenColumns} />
      </div>
      {allRows.length === 0 ? (
        <EmptyPane pane={pane} />
      ) : rows.length === 0 ? (
        <NoMatch filter={view.filter} onClear={() => setFilter('')} />
      ) : (
        <EntryTable
          title={title}
          rows={rows}
          sort={view.sort}
          onSort={sortBy}
          selectedLabel={view.selectedLabel}
          onSelect={selectEntry}
          columnsKey={pane}
          hiddenColumns={hiddenColumns}
          measureRows={allRows}
          onOpen={(label) => {
            selectEntry(label);
            viewDetails(store.view.storeId, label);
          }}
        />
      )}
    </div>
  );
}

/**
 * A pane's entries as an ARIA grid, virtualised so a 10,000-entry store scrolls smoothly:
 * only the rows in view (and a few around) are in the DOM, while aria-rowcount and
 * aria-rowindex tell assistive technology where each one sits in the whole list.
 *
 * Keyboard: the selected row is the one tab stop; arrows, Page Up/Down, Home and End move
 * the selection; Enter opens its details. Header buttons sort.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EntryRow, SortColumn, SortOrder } from '../entry-rows';
import { ExpiryBadge } from '../components/ExpiryBadge';

/** Expiry right after the label: it is what an operator scans for, and it must stay in view
 * when a zoomed window shows only the first columns. */
export const entryColumns: { column: SortColumn; title: string }[] = [
  { column: 'label', title: 'Label' },
  { column: 'expiry', title: 'Expires' },
  { column: 'subject', title: 'Subject CN' },
  { column: 'issuer', title: 'Issuer CN' },
  { column: 'key', title: 'Key' },
  { column: 'status', title: 'Status' },
];

/** Row and header heights are in rem in the stylesheet; the virtualiser needs pixels. */
function useRemPixels(): number {
  const [px] = useState(() => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
  return px;
}

export interface EntryTableProps {
  title: string;
  rows: readonly EntryRow[];
  sort: SortOrder;
  onSort: (column: SortColumn) => void;
  selectedLabel?: string;
  onSelect: (label: string) => void;
  onOpen: (label: string) => void;
}

export function EntryTable({ title, rows, sort, onSort, selectedLabel, onSelect, onOpen }: EntryTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rem = useRemPixels();
  const rowHeight = Math.round(2.75 * rem);
  const headerHeight = Math.round(3 * rem);
  const [focusRequest, setFocusRequest] = useState<{ index: number }>();

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
    getItemKey: (index) => rows[index]!.label,
    // React 19 warns about flushSync inside lifecycle methods; smooth enough without it.
    useFlushSync: false,
  });

  const selectedIndex = selectedLabel === undefined ? -1 : rows.findIndex((r) => r.label === selectedLabel);
  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items[items.length - 1]?.index ?? -1;
  // One tab stop: the selected row when it is rendered, otherwise the first rendered row.
  const tabStop = selectedIndex >= firstShown && selectedIndex <= lastShown ? selectedIndex : firstShown;

  // A new filter or sort: bring the selection back into view.
  useLayoutEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    // Only when the list itself changes, not on every selection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows]);

  useEffect(() => {
    if (!focusRequest) return;
    let frames = 0;
    const tryFocus = () => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusRequest.index}"]`);
      if (row) row.focus({ preventScroll: true });
      else if (frames++ < 10) requestAnimationFrame(tryFocus);
    };
    tryFocus();
  }, [focusRequest]);

  function moveTo(index: number) {
    if (rows.length === 0) return;
    const target = Math.max(0, Math.min(rows.length - 1, index));
    onSelect(rows[target]!.label);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    setFocusRequest({ index: target });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>, index: number) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(index + 1),
      ArrowUp: () => moveTo(index - 1),
      PageDown: () => moveTo(index + page),
      PageUp: () => moveTo(index - page),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => onOpen(rows[index]!.label),
      ' ': () => onSelect(rows[index]!.label),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  return (
    <div className="grid-scroller" ref={scrollRef}>
      <div role="grid" aria-label={title} aria-rowcount={rows.length + 1} aria-colcount={entryColumns.length} className="entry-grid">
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row">
            {entryColumns.map(({ column, title: columnTitle }) => {
              const sorted = sort.column === column ? sort.direction : undefined;
              return (
                <div role="columnheader" key={column} aria-sort={sorted ?? 'none'} className="grid-cell">
                  <button type="button" className="sort-button" onClick={() => onSort(column)}>
                    {columnTitle}
                    <span className="sort-mark" aria-hidden="true">
                      {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const selected = item.index === selectedIndex;
            return (
              <div
                role="row"
                key={item.key}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                tabIndex={item.index === tabStop ? 0 : -1}
                className={`grid-row entry-row${selected ? ' selected' : ''} expiry-${row.expiry.state}`}
                style={{ height: rowHeight, transform: `translateY(${item.start - headerHeight}px)` }}
                onClick={() => onSelect(row.label)}
                onFocus={() => selectedLabel === undefined && onSelect(row.label)}
                onDoubleClick={() => onOpen(row.label)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                <div role="gridcell" className="grid-cell cell-label" title={row.isDefault ? `${row.label} (default certificate)` : row.label}>
                  {row.isDefault && (
                    // The Status column says "Default" in words; the mark is for the eye and keeps the cell's name the label.
                    <span className="default-mark" aria-hidden="true" title="Default certificate">
                      *
                    </span>
                  )}
                  {row.label}
                </div>
                <div role="gridcell" className="grid-cell cell-expiry">
                  <span className="expiry-date">{row.expiry.date || <span className="muted">—</span>}</span>
                  <ExpiryBadge expiry={row.expiry} compact />
                </div>
                <div role="gridcell" className="grid-cell" title={row.subjectCn}>
                  {row.subjectCn}
                </div>
                <div role="gridcell" className="grid-cell" title={row.issuerCn}>
                  {row.issuerCn || (row.kind === 'request' ? <span className="muted">not issued yet</span> : '')}
                </div>
                <div role="gridcell" className="grid-cell">
                  {row.keyText}
                </div>
                <div role="gridcell" className="grid-cell" title={row.status}>
                  {row.status}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

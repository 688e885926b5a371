/**
 * A pane's entries as an ARIA grid, virtualised so a 10,000-entry store scrolls smoothly:
 * only the rows in view (and a few around) are in the DOM, while aria-rowcount and
 * aria-rowindex tell assistive technology where each one sits in the whole list.
 *
 * Keyboard: the selected row is the one tab stop; arrows, Page Up/Down, Home and End move
 * the selection; Enter opens its details. Header buttons sort; the divider after each
 * header is a splitter (drag, or focus it and press Left/Right; double-click or Enter fits
 * the column to its content). What a focused row's cells cut short is shown in full below it.
 *
 * Columns are laid out in pixels from their content (measured for every row, not only the
 * rendered ones), since each virtual row is its own grid and cannot size columns by itself.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EntryRow, SortColumn, SortOrder } from '../entry-rows';
import { ExpiryBadge } from '../components/ExpiryBadge';
import { allEntryColumns, choiceOf, layoutColumns, minimumRem, shownColumns, standardColumnIds, useColumnChoices, type EntryColumn, type EntryColumnId, type NaturalWidth } from './entry-columns';

/** The standard columns, in order (kept for callers that list them). */
export const entryColumns: { column: SortColumn; title: string }[] = allEntryColumns.filter((c) => standardColumnIds.includes(c.id)).map((c) => ({ column: c.id, title: c.title }));

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
  /** Whose column choice this table shows and changes (a pane name); one shared choice by default. */
  columnsKey?: string;
  /** Every row of the pane, filter aside: columns are fitted to these so typing in the
   * filter does not make them jump. The shown rows by default. */
  measureRows?: readonly EntryRow[];
  /** Columns left out whatever the user chose (a narrow side-by-side panel). */
  hiddenColumns?: readonly EntryColumnId[];
}

let canvas: HTMLCanvasElement | undefined;

/** Rows whose cells the canvas found widest, measured again as real cells: canvas and
 * layout differ (a synthesised bold is wider on screen), and every row as a DOM cell
 * would be too slow for 10,000. */
const exactlyMeasured = 8;

/** The width each column needs for its widest content and its header, in pixels. */
function naturalWidths(columns: readonly EntryColumn[], rows: readonly EntryRow[], element: HTMLElement, rem: number): Map<EntryColumnId, NaturalWidth> {
  canvas ??= document.createElement('canvas');
  const context = canvas.getContext('2d');
  const widths = new Map<EntryColumnId, NaturalWidth>();
  if (!context) return widths;
  const family = getComputedStyle(element).fontFamily;
  const mono = getComputedStyle(element).getPropertyValue('--mono').trim() || 'monospace';
  const measure = (text: string, font: string) => {
    context.font = font;
    return context.measureText(text).width;
  };
  const badgeFont = `700 ${0.85 * rem}px ${family}`;
  const headerFont = `600 ${0.98 * rem}px ${family}`;
  const headerExtra = 0.9 * rem + 1.2 * rem; // button and cell padding with the divider (a sort mark may be cut when sorted)
  const probe = document.createElement('div');
  probe.className = 'grid-row entry-row column-probe';
  probe.setAttribute('aria-hidden', 'true');
  element.appendChild(probe);
  try {
    for (const column of columns) {
      const font = column.mono ? `400 ${0.9 * rem}px ${mono}` : `${column.id === 'label' ? 600 : 400} ${rem}px ${family}`;
      const rough = rows.map((row, index) => {
        const badge = column.badge?.(row);
        return { index, width: measure(column.text(row), font) + (badge ? measure(`⚠ ${badge}`, badgeFont) + 2 * rem : 0) };
      });
      rough.sort((a, b) => b.width - a.width);
      // Canvas draws a synthesised bold narrower than the page does: a tenth spare.
      const header = Math.ceil(measure(column.title, headerFont) * 1.1 + headerExtra) + 2;
      let widest = header;
      for (const { index } of rough.slice(0, exactlyMeasured)) {
        const row = rows[index]!;
        const cell = document.createElement('div');
        cell.className = `grid-cell cell-${column.id}${column.mono ? ' cell-mono' : ''}`;
        const text = document.createElement('span');
        text.className = column.id === 'expiry' ? 'expiry-date' : 'cell-text';
        text.textContent = column.text(row);
        const badge = column.badge?.(row);
        if (badge) {
          const b = document.createElement('span');
          b.className = 'badge';
          b.textContent = `⚠ ${badge}`;
          if (column.id === 'expiry') cell.append(text, b);
          else cell.append(b, text);
        } else {
          cell.append(text);
        }
        // The row's class too: an expiring or expired row's date is bold.
        probe.className = `grid-row entry-row column-probe expiry-${row.expiry.state}`;
        probe.replaceChildren(cell);
        // Each part on its own, summed with the cell's padding and gap: what the parts need
        // side by side, whatever the flex layout would squeeze in a probe.
        const style = getComputedStyle(cell);
        const parts = Array.from(cell.children).map((child) => child.getBoundingClientRect().width);
        const gap = style.display.includes('flex') ? (parseFloat(style.columnGap) || 0) * (parts.length - 1) : 0;
        const needed = parts.reduce((a, b) => a + b, 0) + gap + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        widest = Math.max(widest, Math.ceil(needed));
      }
      // A pixel or two spare: sub-pixel layout must not cut the last letter.
      widths.set(column.id, { width: widest + 2, header });
    }
  } finally {
    probe.remove();
  }
  return widths;
}

/** A cell's text with what its badges say, for the focused row's cut-short line. */
function fullText(column: EntryColumn, row: EntryRow): string {
  if (column.id === 'expiry') return [row.expiry.date, row.expiry.note].filter(Boolean).join(', ');
  if (column.id === 'status' && row.weakness) return `${row.status}; ${row.weakness.words.toLowerCase()} (${row.weakness.why})`;
  return column.text(row);
}

function cellContent(column: EntryColumn, row: EntryRow) {
  switch (column.id) {
    case 'expiry':
      return (
        <>
          <span className="expiry-date">{row.expiry.date || <span className="muted">—</span>}</span>
          <ExpiryBadge expiry={row.expiry} compact />
        </>
      );
    case 'label':
      return row.isDefault ? (
        <>
          {/* The Status column says "Default" in words; the mark is for the eye and keeps the cell's name the label. */}
          <span className="default-mark" aria-hidden="true" title="Default certificate">
            *
          </span>
          {row.label}
        </>
      ) : (
        row.label
      );
    case 'issuer':
      return row.issuerCn || (row.kind === 'request' ? <span className="muted">not issued yet</span> : '');
    case 'status':
      return (
        <>
          {row.weakness && (
            <span className="badge badge-weak" title={row.weakness.why}>
              <span aria-hidden="true">⚠ </span>
              {row.weakness.words}
            </span>
          )}
          <span className="cell-text">{row.status}</span>
        </>
      );
    default:
      return column.text(row);
  }
}

export function EntryTable({ title, rows, sort, onSort, selectedLabel, onSelect, onOpen, columnsKey = 'entries', measureRows, hiddenColumns }: EntryTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rem = useRemPixels();
  const rowHeight = Math.round(2.75 * rem);
  const headerHeight = Math.round(3 * rem);
  const [focusRequest, setFocusRequest] = useState<{ index: number }>();
  const choice = useColumnChoices((s) => choiceOf(s.choices, columnsKey));
  const { setWidth } = useColumnChoices.getState();
  const columns = useMemo(() => shownColumns(choice, hiddenColumns), [choice, hiddenColumns]);
  const [available, setAvailable] = useState(0);
  const [natural, setNatural] = useState<Map<EntryColumnId, NaturalWidth>>();
  const [dragging, setDragging] = useState<{ id: EntryColumnId; px: number }>();
  const [focusedIndex, setFocusedIndex] = useState<number>();
  const [cutShort, setCutShort] = useState<{ index: number; columns: EntryColumn[] }>();
  const fitted = measureRows ?? rows;

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    // The scroller's inner width, less the vertical scroll bar it may show.
    const measure = () => setAvailable(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (scrollRef.current) setNatural(naturalWidths(columns, fitted, scrollRef.current, rem));
  }, [columns, fitted, rem]);

  const widths = useMemo(() => {
    if (!natural || available === 0) return undefined;
    const px = layoutColumns(columns, natural, choice.widths, available, rem);
    if (dragging) {
      const i = columns.findIndex((c) => c.id === dragging.id);
      if (i >= 0) px[i] = dragging.px;
    }
    return px;
  }, [columns, natural, choice.widths, available, rem, dragging]);
  const gridStyle = widths
    ? ({ '--grid-columns': widths.map((w) => `${w}px`).join(' '), '--grid-min-width': `${widths.reduce((a, b) => a + b, 0)}px` } as CSSProperties)
    : undefined;

  // The same function while the rows stay the same: the virtualizer rebuilds every row's
  // measurement whenever getItemKey changes, which for 9,000 rows was work on each render,
  // a scroll's included.
  const getItemKey = useCallback((index: number) => rows[index]!.label, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
    getItemKey,
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

  // Which cells of the keyboard-focused row are cut short, once the row is laid out.
  useLayoutEffect(() => {
    if (focusedIndex === undefined) return setCutShort(undefined);
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusedIndex}"]`);
    if (!row) return setCutShort(undefined);
    const cut = columns.filter((c) => {
      const cell = row.querySelector<HTMLElement>(`[data-column="${c.id}"]`);
      if (!cell) return false;
      // Badges and texts inside a cell may shrink and cut themselves short too.
      return [cell, ...Array.from(cell.querySelectorAll<HTMLElement>('.cell-text, .badge, .expiry-date'))].some((e) => e.scrollWidth > e.clientWidth + 1);
    });
    setCutShort(cut.length > 0 ? { index: focusedIndex, columns: cut } : undefined);
  }, [focusedIndex, columns, widths, rows]);

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

  const widthOf = (id: EntryColumnId) => widths?.[columns.findIndex((c) => c.id === id)] ?? 0;
  const fitToContent = (id: EntryColumnId) => setWidth(columnsKey, id, Math.min(60 * rem, natural?.get(id)?.width ?? widthOf(id)) / rem);

  function startDrag(event: PointerEvent<HTMLDivElement>, id: EntryColumnId) {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = widthOf(id);
    let px = startWidth;
    const move = (e: globalThis.PointerEvent) => {
      px = Math.max(minimumRem(id) * rem, startWidth + e.clientX - startX);
      setDragging({ id, px });
    };
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
      setDragging(undefined);
      if (px !== startWidth) setWidth(columnsKey, id, px / rem);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  }

  function onDividerKey(event: KeyboardEvent<HTMLDivElement>, id: EntryColumnId) {
    const step = (event.shiftKey ? 4 : 1) * rem;
    const current = widthOf(id);
    const keys: Record<string, () => void> = {
      ArrowRight: () => setWidth(columnsKey, id, (current + step) / rem),
      ArrowLeft: () => setWidth(columnsKey, id, Math.max(minimumRem(id) * rem, current - step) / rem),
      Enter: () => fitToContent(id),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  const tooltipId = `${columnsKey}-cut-short`;
  const cutItem = cutShort ? items.find((i) => i.index === cutShort.index) : undefined;
  const scroller = scrollRef.current;
  // Below the row, or above it when the row sits in the lower half of the view.
  const above = cutItem && scroller ? cutItem.start - headerHeight - scroller.scrollTop > (scroller.clientHeight - headerHeight) / 2 : false;

  return (
    <div className="grid-scroller" ref={scrollRef}>
      <div role="grid" aria-label={title} aria-rowcount={rows.length + 1} aria-colcount={columns.length} className={`entry-grid${dragging ? ' resizing' : ''}`} style={gridStyle}>
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row">
            {columns.map(({ id, title: columnTitle }) => {
              const sorted = sort.column === id ? sort.direction : undefined;
              const width = Math.round(widthOf(id));
              return (
                <div role="columnheader" key={id} aria-sort={sorted ?? 'none'} className="grid-cell" data-column={id}>
                  {/* The whole title on hover: a 1024-pixel window cuts a squeezed header to “Su…”. */}
                  <button type="button" className="sort-button" title={columnTitle} onClick={() => onSort(id)}>
                    <span className="sort-title">{columnTitle}</span>
                    <span className="sort-mark" aria-hidden="true">
                      {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                    </span>
                  </button>
                  <div
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={`${columnTitle} column width`}
                    aria-valuenow={width}
                    aria-valuemin={Math.round(minimumRem(id) * rem)}
                    aria-valuemax={Math.round(80 * rem)}
                    aria-valuetext={`${width} pixels; Left and Right arrows resize, Enter fits the content`}
                    tabIndex={0}
                    className="column-divider"
                    onPointerDown={(e) => startDrag(e, id)}
                    onDoubleClick={() => fitToContent(id)}
                    onKeyDown={(e) => onDividerKey(e, id)}
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const selected = item.index === selectedIndex;
            const describes = cutShort?.index === item.index;
            return (
              <div
                role="row"
                key={item.key}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                aria-describedby={describes ? tooltipId : undefined}
                tabIndex={item.index === tabStop ? 0 : -1}
                className={`grid-row entry-row${selected ? ' selected' : ''} expiry-${row.expiry.state}`}
                style={{ height: rowHeight, transform: `translateY(${item.start - headerHeight}px)` }}
                onClick={() => onSelect(row.label)}
                onFocus={(e) => {
                  if (selectedLabel === undefined) onSelect(row.label);
                  // Keyboard focus only: a click already has the pointer's hover titles.
                  setFocusedIndex(e.currentTarget.matches(':focus-visible') ? item.index : undefined);
                }}
                onBlur={() => setFocusedIndex(undefined)}
                onDoubleClick={() => onOpen(row.label)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                {columns.map((column) => (
                  <div
                    role="gridcell"
                    key={column.id}
                    data-column={column.id}
                    className={`grid-cell cell-${column.id}${column.mono ? ' cell-mono' : ''}`}
                    title={column.id === 'expiry' ? row.expiry.note || undefined : column.id === 'label' && row.isDefault ? `${row.label} (default certificate)` : column.text(row) || undefined}
                  >
                    {cellContent(column, row)}
                  </div>
                ))}
              </div>
            );
          })}
          {cutShort && cutItem && (
            <div className={`cut-short-anchor${above ? ' above' : ''}`} style={{ top: above ? cutItem.start - headerHeight : cutItem.start - headerHeight + rowHeight }}>
              <div id={tooltipId} role="tooltip" className="cut-short">
                {cutShort.columns.map((c) => (
                  <div key={c.id}>
                    <span className="cut-short-name">{c.title}:</span> {fullText(c, rows[cutShort.index]!)}
                  </div>
                ))}
              </div>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

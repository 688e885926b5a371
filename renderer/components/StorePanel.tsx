/**
 * One open store as the workspace shows it: its header, the pane selector (iKeyman's three
 * panes, then the Doctor and the Validity Timeline) and what is selected. Side by side
 * there are two; pointing at or tabbing into one makes it the active store, so every
 * action, filter and selection acts on the side the user is working in.
 *
 * Side by side the table keeps fewer columns, by the panel's width (sideBySideHidden): the
 * table lays out the ones it shows, and the column chooser says which the panel leaves out.
 */
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { allEntryColumns, type EntryColumnId } from '../panes/entry-columns';
import { useAppState, type OpenStore } from '../app-state';
import { DoctorPanel } from '../checks/DoctorPanel';
import { ValidityTimelinePanel } from '../checks/ValidityTimelinePanel';
import { EntryPane } from '../panes/EntryPane';
import { PaneSelector, panePanelId, paneTabId } from './PaneSelector';
import { StoreHeader } from './StoreHeader';
import { storePanelId, storeTabId } from './StoreTabs';

export function StorePanel({ store, side }: { store: OpenStore; side?: 'left' | 'right' }) {
  const storeId = store.view.storeId;
  const active = useAppState((s) => s.activeStoreId === storeId);
  const activate = () => {
    if (useAppState.getState().activeStoreId !== storeId) useAppState.getState().activateStore(storeId);
  };
  const shown = store.tool ?? store.pane;
  const panelRef = useRef<HTMLDivElement>(null);
  const widthRem = usePanelWidthRem(panelRef, Boolean(side));
  const hiddenKey = side ? sideBySideHidden(widthRem).join(' ') : undefined;
  // One array per set of columns: the table measures its columns again whenever it changes.
  const hiddenColumns = useMemo(() => (hiddenKey === undefined ? undefined : (hiddenKey.split(' ') as EntryColumnId[])), [hiddenKey]);
  return (
    <div
      ref={panelRef}
      className={`store${side ? ` store-side store-${side}` : ''}${side && active ? ' store-active' : ''}`}
      role="tabpanel"
      id={storePanelId(storeId)}
      aria-labelledby={storeTabId(storeId)}
      onPointerDownCapture={activate}
      onFocusCapture={activate}
    >
      <StoreHeader store={store} side={side === 'left' ? 'A' : side === 'right' ? 'B' : undefined} />
      <PaneSelector store={store} compact={Boolean(side)} />
      <section className="pane-panel" role="tabpanel" id={panePanelId(storeId)} aria-labelledby={paneTabId(storeId, shown)}>
        {store.tool === 'doctor' ? (
          <DoctorPanel key={`${storeId}-doctor`} store={store} />
        ) : store.tool === 'timeline' ? (
          <ValidityTimelinePanel store={store} />
        ) : (
          <EntryPane key={`${storeId}-${store.pane}`} store={store} pane={store.pane} compact={Boolean(side)} hiddenColumns={hiddenColumns} />
        )}
      </section>
    </div>
  );
}

/** The columns side by side shows, by the panel's width in rem: the label and expiry always;
 * Issuer CN (who signed it: the class CA after Receive) from 36rem; Subject CN and Key from
 * 52rem. Status and the chosen extra columns never: the whole window has room for them. */
const sideBySideTiers: { fromRem: number; columns: EntryColumnId[] }[] = [
  { fromRem: 0, columns: ['label', 'expiry'] },
  { fromRem: 36, columns: ['issuer'] },
  { fromRem: 52, columns: ['subject', 'key'] },
];

export function sideBySideHidden(widthRem: number): EntryColumnId[] {
  const shown = new Set(sideBySideTiers.filter((t) => widthRem >= t.fromRem).flatMap((t) => t.columns));
  return allEntryColumns.map((c) => c.id).filter((id) => !shown.has(id));
}

/** The panel's width in rem while `measure` holds (side by side), kept current as the window resizes or zooms. */
function usePanelWidthRem(ref: RefObject<HTMLDivElement | null>, measure: boolean): number {
  const [widthRem, setWidthRem] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!measure || !element) return;
    const update = () => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      // Whole rem steps: a pixel's change does not lay the table out again.
      setWidthRem(Math.floor(element.getBoundingClientRect().width / rem));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, measure]);
  return widthRem;
}

/**
 * One open store as the workspace shows it: its header, the pane selector (iKeyman's three
 * panes, then the Doctor and the Validity Timeline) and what is selected. Side by side
 * there are two; pointing at or tabbing into one makes it the active store, so every
 * action, filter and selection acts on the side the user is working in.
 *
 * Side by side the table keeps fewer columns (styles.css, by the panel's width) and its
 * label column is as wide as the pane's longest label, so "ibmwebspheremqqm1" and
 * "ibmwebspheremqqm2" are never both cut to "ibmwebsphere…".
 */
import type { CSSProperties } from 'react';
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
  const longestLabel = side ? Math.max(8, ...store.rows[store.pane].map((r) => r.label.length)) : 0;
  const style = side ? ({ '--side-label-chars': longestLabel } as CSSProperties) : undefined;
  return (
    <div
      className={`store${side ? ` store-side store-${side}` : ''}${side && active ? ' store-active' : ''}`}
      role="tabpanel"
      id={storePanelId(storeId)}
      aria-labelledby={storeTabId(storeId)}
      onPointerDownCapture={activate}
      onFocusCapture={activate}
      style={style}
    >
      <StoreHeader store={store} side={side === 'left' ? 'A' : side === 'right' ? 'B' : undefined} />
      <PaneSelector store={store} compact={Boolean(side)} />
      <section className="pane-panel" role="tabpanel" id={panePanelId(storeId)} aria-labelledby={paneTabId(storeId, shown)}>
        {store.tool === 'doctor' ? (
          <DoctorPanel key={`${storeId}-doctor`} store={store} />
        ) : store.tool === 'timeline' ? (
          <ValidityTimelinePanel store={store} />
        ) : (
          <EntryPane key={`${storeId}-${store.pane}`} store={store} pane={store.pane} />
        )}
      </section>
    </div>
  );
}

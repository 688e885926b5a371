/**
 * iKeyman's pane selector as tabs named exactly "Personal Certificates", "Signer
 * Certificates" and "Personal Certificate Requests" (the names in IBM's documentation),
 * each with its count shown beside the name and given as the tab's description.
 */
import type { KeyboardEvent } from 'react';
import { useAppState, type OpenStore, type StoreTool } from '../app-state';
import { paneNames, paneTitles, type PaneName } from '../entry-rows';

/** The Doctor and the Validity Timeline follow the three panes as tabs of their own. */
export const toolTabs: { tool: StoreTool; title: string }[] = [
  { tool: 'doctor', title: 'Doctor' },
  { tool: 'timeline', title: 'Validity Timeline' },
];

type TabName = PaneName | StoreTool;

export const paneTabId = (storeId: string, tab: TabName) => `pane-tab-${storeId}-${tab}`;
export const panePanelId = (storeId: string) => `pane-panel-${storeId}`;

/**
 * `compact`: side by side, where the three panes must fit one row of half a projector's
 * width; the Doctor and the Validity Timeline are then opened from the Key Database menu
 * and get a tab only while shown.
 */
export function PaneSelector({ store, compact = false }: { store: OpenStore; compact?: boolean }) {
  const { showPane, showTool } = useAppState.getState();
  const storeId = store.view.storeId;
  const show = (tab: TabName) => ((paneNames as readonly string[]).includes(tab) ? showPane(tab as PaneName) : showTool(tab as StoreTool));
  const shown: TabName = store.tool ?? store.pane;
  const tools = compact ? toolTabs.filter((t) => t.tool === store.tool) : toolTabs;
  const tabNames: TabName[] = [...paneNames, ...tools.map((t) => t.tool)];

  function onKeyDown(event: KeyboardEvent, index: number) {
    const go = (i: number) => {
      event.preventDefault();
      const tab = tabNames[(i + tabNames.length) % tabNames.length]!;
      show(tab);
      document.getElementById(paneTabId(storeId, tab))?.focus();
    };
    if (event.key === 'ArrowRight') go(index + 1);
    else if (event.key === 'ArrowLeft') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(tabNames.length - 1);
  }

  return (
    <div className="pane-tabs" role="tablist" aria-label="Certificate panes">
      {paneNames.map((pane, index) => {
        const count = store.rows[pane].length;
        const selected = shown === pane;
        return (
          <button
            key={pane}
            type="button"
            role="tab"
            id={paneTabId(storeId, pane)}
            aria-selected={selected}
            aria-controls={panePanelId(storeId)}
            aria-label={paneTitles[pane]}
            aria-describedby={`${paneTabId(storeId, pane)}-count`}
            tabIndex={selected ? 0 : -1}
            className="pane-tab"
            onClick={() => showPane(pane)}
            onKeyDown={(e) => onKeyDown(e, index)}
          >
            <span className="pane-tab-title">{paneTitles[pane]}</span>
            <span className="count" id={`${paneTabId(storeId, pane)}-count`}>
              {count}
              <span className="visually-hidden"> {count === 1 ? 'entry' : 'entries'}</span>
            </span>
          </button>
        );
      })}
      {tools.map(({ tool, title }, i) => {
        const selected = shown === tool;
        return (
          <button
            key={tool}
            type="button"
            role="tab"
            id={paneTabId(storeId, tool)}
            aria-selected={selected}
            aria-controls={panePanelId(storeId)}
            tabIndex={selected ? 0 : -1}
            className={`pane-tab tool-tab${i === 0 ? ' tool-tab-first' : ''}`}
            onClick={() => showTool(tool)}
            onKeyDown={(e) => onKeyDown(e, paneNames.length + i)}
          >
            <span className="pane-tab-title">{title}</span>
          </button>
        );
      })}
    </div>
  );
}

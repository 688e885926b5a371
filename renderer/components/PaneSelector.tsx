/**
 * iKeyman's pane selector as tabs named exactly "Personal Certificates", "Signer
 * Certificates" and "Personal Certificate Requests" (the names in IBM's documentation),
 * each with its count shown beside the name and given as the tab's description.
 */
import type { KeyboardEvent } from 'react';
import { useAppState, type OpenStore } from '../app-state';
import { paneNames, paneTitles, type PaneName } from '../entry-rows';

export const paneTabId = (pane: PaneName) => `pane-tab-${pane}`;
export const panePanelId = 'pane-panel';

export function PaneSelector({ store }: { store: OpenStore }) {
  const showPane = useAppState((s) => s.showPane);

  function onKeyDown(event: KeyboardEvent, index: number) {
    const go = (i: number) => {
      event.preventDefault();
      const pane = paneNames[(i + paneNames.length) % paneNames.length]!;
      showPane(pane);
      document.getElementById(paneTabId(pane))?.focus();
    };
    if (event.key === 'ArrowRight') go(index + 1);
    else if (event.key === 'ArrowLeft') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(paneNames.length - 1);
  }

  return (
    <div className="pane-tabs" role="tablist" aria-label="Certificate panes">
      {paneNames.map((pane, index) => {
        const count = store.rows[pane].length;
        const selected = store.pane === pane;
        return (
          <button
            key={pane}
            type="button"
            role="tab"
            id={paneTabId(pane)}
            aria-selected={selected}
            aria-controls={panePanelId}
            aria-label={paneTitles[pane]}
            aria-describedby={`${paneTabId(pane)}-count`}
            tabIndex={selected ? 0 : -1}
            className="pane-tab"
            onClick={() => showPane(pane)}
            onKeyDown={(e) => onKeyDown(e, index)}
          >
            <span className="pane-tab-title">{paneTitles[pane]}</span>
            <span className="count" id={`${paneTabId(pane)}-count`}>
              {count}
              <span className="visually-hidden"> {count === 1 ? 'entry' : 'entries'}</span>
            </span>
          </button>
        );
      })}
    </div>
  );
}

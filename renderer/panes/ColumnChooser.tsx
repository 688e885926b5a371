/**
 * Which columns a pane's table shows: the standard six, plus signature algorithm, key
 * size, serial, SHA-256 and not-before for whoever compares stores field by field. The
 * choice is kept per pane (entry-columns.ts). A disclosure, not a menu: checkboxes keep
 * their usual keys, and the panel stays open while several are ticked.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { allEntryColumns, choiceOf, useColumnChoices, type EntryColumnId } from './entry-columns';

export function ColumnChooser({ columnsKey, hiddenColumns = [] }: { columnsKey: string; hiddenColumns?: readonly EntryColumnId[] }) {
  const [open, setOpen] = useState(false);
  const choice = useColumnChoices((s) => choiceOf(s.choices, columnsKey));
  const { setShown, resetWidths } = useColumnChoices.getState();
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  return (
    <div
      className="column-chooser"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (open && !rootRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button type="button" className="secondary small" ref={buttonRef} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        Columns
      </button>
      {open && (
        <div className="column-chooser-panel" id={panelId}>
          <fieldset>
            <legend>Columns shown</legend>
            {allEntryColumns.map((column) => (
              <label key={column.id}>
                <input
                  type="checkbox"
                  checked={column.id === 'label' || choice.shown.includes(column.id)}
                  disabled={column.id === 'label' || hiddenColumns.includes(column.id)}
                  onChange={(e) => setShown(columnsKey, column.id, e.target.checked)}
                />
                {column.title}
              </label>
            ))}
          </fieldset>
          <button type="button" className="secondary small" disabled={Object.keys(choice.widths).length === 0} onClick={() => resetWidths(columnsKey)}>
            Reset column widths
          </button>
        </div>
      )}
    </div>
  );
}

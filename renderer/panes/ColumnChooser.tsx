/**
 * Which columns a pane's table shows: the standard six, plus signature algorithm, key
 * size, serial, SHA-256 and not-before for whoever compares stores field by field. The
 * choice is kept per pane (entry-columns.ts). A disclosure, not a menu: checkboxes keep
 * their usual keys, and the panel stays open while several are ticked.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { showDialog } from '../dialog-stack';
import { ModalDialog } from '../components/ModalDialog';
import { allEntryColumns, choiceOf, useColumnChoices, type EntryColumnId } from './entry-columns';

export function ColumnChooser({ columnsKey, hiddenColumns = [] }: { columnsKey: string; hiddenColumns?: readonly EntryColumnId[] }) {
  const [open, setOpen] = useState(false);
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
          <ColumnChoiceFields columnsKey={columnsKey} hiddenColumns={hiddenColumns} />
        </div>
      )}
    </div>
  );
}

/** The boxes and the reset, in the toolbar's disclosure or in View → Columns…'s dialog.
 * `hiddenColumns`: left out where the table is drawn (a narrow side-by-side panel), so off here. */
export function ColumnChoiceFields({ columnsKey, hiddenColumns = [] }: { columnsKey: string; hiddenColumns?: readonly EntryColumnId[] }) {
  const choice = useColumnChoices((s) => choiceOf(s.choices, columnsKey));
  const { setShown, resetWidths } = useColumnChoices.getState();
  return (
    <>
      <fieldset>
        <legend>Columns shown</legend>
        {allEntryColumns.map((column) => (
          <label key={column.id} title={hiddenColumns.includes(column.id) ? 'Not shown in a panel this narrow: widen the window or leave Side by Side' : undefined}>
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
    </>
  );
}

/** View → Columns…: the same choice for the pane shown, as a dialog. */
export function ColumnsDialog({ columnsKey, paneTitle, hiddenColumns, onClose }: { columnsKey: string; paneTitle: string; hiddenColumns?: readonly EntryColumnId[]; onClose: () => void }) {
  return (
    <ModalDialog
      title={`Columns: ${paneTitle}`}
      size="small"
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="column-chooser-panel column-chooser-dialog">
        <ColumnChoiceFields columnsKey={columnsKey} hiddenColumns={hiddenColumns} />
      </div>
    </ModalDialog>
  );
}

export function showColumnsDialog(columnsKey: string, paneTitle: string, hiddenColumns?: readonly EntryColumnId[]): void {
  showDialog((close) => <ColumnsDialog columnsKey={columnsKey} paneTitle={paneTitle} hiddenColumns={hiddenColumns} onClose={close} />);
}

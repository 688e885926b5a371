/**
 * Recreate… (Personal Certificate Requests): the pending request written to a file again,
 * same key, same subject — for when the file sent to the CA was lost.
 */
import { showDialog } from '../dialog-stack';
import { ExtractDialog } from './ExtractAction';
import type { PaneActionProps } from './pane-actions';

export function RecreateAction({ store, selectedLabel }: PaneActionProps) {
  return (
    <button
      type="button"
      className="secondary"
      disabled={!selectedLabel}
      title={selectedLabel ? undefined : 'Select a request first'}
      onClick={() =>
        selectedLabel &&
        showDialog((close) => (
          <ExtractDialog
            store={store}
            label={selectedLabel}
            pane="request"
            onClose={close}
            title={`Recreate Request: ${selectedLabel}`}
            intro="Writes the pending request to a file again, with the same key and subject, for when the first file was lost. Nothing in the key database changes."
          />
        ))
      }
    >
      Recreate…
    </button>
  );
}

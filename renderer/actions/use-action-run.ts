/**
 * The life of an action dialog's OK: show what is being done, run it, and on a refusal
 * show its one plain line and let the user try again. Shared so every dialog behaves alike.
 *
 * A long run (a 4096-bit key, a big save) can be cancelled with Escape or Cancel. The
 * contract has no way to stop an operation the main process has started, so cancelling
 * means the window stops waiting and says so; the operation goes on to its end, and then
 * its result (or its refusal, which changed nothing: every write is atomic) is applied to
 * the store as usual, so the window shows the file as it really is.
 */
import { useContext, useState } from 'react';
import { errorText } from './action-support';
import { useAppState } from '../app-state';
import { DialogIdContext } from '../dialog-stack';

/** The run each open dialog is waiting for, by dialog id. */
const waiting = new Map<number, () => void>();

/** Escape or Cancel in a busy dialog: stop waiting for its run. False when nothing was running. */
export function cancelRunIn(dialogId: number | undefined): boolean {
  const cancel = dialogId === undefined ? undefined : waiting.get(dialogId);
  cancel?.();
  return cancel !== undefined;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const withoutEllipsis = (text: string) => text.replace(/…$/, '');

export function useActionRun() {
  const dialogId = useContext(DialogIdContext);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  /** Runs `work` with `busyText` shown; `work` closes the dialog itself when it succeeds. */
  async function run(busyText: string, work: () => Promise<void>): Promise<void> {
    setBusy(busyText);
    setError(undefined);
    let cancelled = false;
    const doing = lowerFirst(withoutEllipsis(busyText));
    const key = dialogId ?? -1;
    waiting.set(key, () => {
      cancelled = true;
      waiting.delete(key);
      setBusy(undefined);
      useAppState.getState().showMessage({
        tone: 'info',
        text: `Cancelled: KeyDesk stopped waiting for ${doing}, but cannot stop it once started. If it still finishes, the store shows its result; if it fails, the file stays as it was.`,
      });
    });
    const before = useAppState.getState().message;
    try {
      await work();
      if (cancelled) {
        // The work reported its own result; say that it is the cancelled one's.
        const after = useAppState.getState().message;
        const text = after && after !== before ? ` ${after.text}` : '';
        useAppState.getState().showMessage({ tone: 'info', text: `The cancelled operation (${doing}) finished after all.${text}`, storeId: after?.storeId });
      }
    } catch (e) {
      if (cancelled) {
        useAppState.getState().showMessage({ tone: 'error', text: `The cancelled operation (${doing}) failed, and nothing was changed: ${errorText(e)}` });
      } else {
        setError(errorText(e));
        setBusy(undefined);
      }
    } finally {
      if (!cancelled) waiting.delete(key);
    }
  }
  return { busy, error, setBusy, setError, run };
}

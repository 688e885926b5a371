/**
 * The life of an action dialog's OK: show what is being done, run it, and on a refusal
 * show its one plain line and let the user try again. Shared so every dialog behaves alike.
 */
import { useState } from 'react';
import { errorText } from './action-support';

export function useActionRun() {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  /** Runs `work` with `busyText` shown; `work` closes the dialog itself when it succeeds. */
  async function run(busyText: string, work: () => Promise<void>): Promise<void> {
    setBusy(busyText);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
      setBusy(undefined);
    }
  }
  return { busy, error, setBusy, setError, run };
}

/**
 * Dialogs open on top of each other (a file browser over a form, a password prompt over
 * nothing): each is a React element in this stack, rendered by DialogHost. An action file
 * opens its dialog with showDialog and gets a `close` to call when done.
 */
import { createContext, type ReactElement } from 'react';
import { create } from 'zustand';

interface OpenDialog {
  id: number;
  element: ReactElement;
}

interface DialogStack {
  dialogs: OpenDialog[];
}

export const useDialogStack = create<DialogStack>(() => ({ dialogs: [] }));

let nextId = 1;

export function showDialog(render: (close: () => void) => ReactElement): () => void {
  const id = nextId++;
  const close = () => useDialogStack.setState((s) => ({ dialogs: s.dialogs.filter((d) => d.id !== id) }));
  useDialogStack.setState((s) => ({ dialogs: [...s.dialogs, { id, element: render(close) }] }));
  return close;
}

export function isAnyDialogOpen(): boolean {
  return useDialogStack.getState().dialogs.length > 0;
}

/** Which open dialog a component is in, so an operation started there is cancelled from there. */
export const DialogIdContext = createContext<number | undefined>(undefined);

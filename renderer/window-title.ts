/**
 * The window title names the store shown, its type and its folder, so a trainer's class
 * (and the task bar) can tell two open stores apart. Electron takes the page title as the
 * window title.
 */
import { useEffect } from 'react';
import { useActiveStore } from './app-state';
import { fileNameOf, folderOf } from './paths';
import { formatNames } from './store-format';

export function useWindowTitle(): void {
  const store = useActiveStore();
  const title = store ? `${fileNameOf(store.view.path)} (${formatNames[store.view.format]}) — ${folderOf(store.view.path)} — KeyDesk` : 'KeyDesk';
  useEffect(() => {
    document.title = title;
  }, [title]);
}

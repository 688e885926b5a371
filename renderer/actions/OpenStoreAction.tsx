/**
 * File → Open…: choose a key store, then unlock it (password or stash). Also how files
 * dropped on the window, picked from Open Recent, named on the command line or given to
 * `keydesk -ui -serve -db` arrive.
 */
import { activeStore, useAppState } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { folderOf } from '../paths';
import { chooseFile } from './choose-file';
import { PasswordDialog } from './PasswordDialog';
import { showRepairDialog } from './RepairAction';
import type { RecentStores } from '../../core/api/contract';

/** `readOnly`: File → Open Read-Only…, the password dialog's box ticked already. */
export async function chooseAndOpenStore(options: { readOnly?: boolean } = {}): Promise<void> {
  const current = activeStore();
  const path = await chooseFile({
    mode: 'open',
    title: options.readOnly ? 'Open key database read-only' : 'Open key database',
    kind: 'key-store',
    defaultPath: current ? folderOf(current.view.path) : undefined,
  });
  if (path) askPasswordAndOpen(path, options);
}

/** File → Repair…: a damaged file chosen first (the password dialog offers Repair… itself once it refuses one). */
export async function chooseAndRepair(): Promise<void> {
  const current = activeStore();
  const path = await chooseFile({ mode: 'open', title: 'Repair a key database damaged in transfer', kind: 'key-store', defaultPath: current ? folderOf(current.view.path) : undefined });
  if (path) showRepairDialog(path, (target) => askPasswordAndOpen(target));
}

export function askPasswordAndOpen(path: string, options: { readOnly?: boolean; reason?: string } = {}): void {
  const state = useAppState.getState();
  const already = state.stores.find((s) => s.view.path === path);
  if (already) {
    state.activateStore(already.view.storeId);
    return;
  }
  showDialog((close) => <PasswordDialog path={path} onClose={close} readOnly={options.readOnly} reason={options.reason} />);
}

/**
 * Browser mode after a reload: the stores the page had open, opened again as they were
 * (read-only or not). One opened with its stash opens from the stash; one opened with a
 * typed password asks for it again, since the browser never keeps a password.
 */
export async function reopenAfterReload(recent: RecentStores): Promise<void> {
  const state = useAppState.getState();
  // Oldest first, so the store opened last is the one shown, as before the reload.
  for (const store of recent.stores.filter((s) => s.wasOpen).reverse()) {
    const readOnly = store.readOnly ? { readOnly: true } : {};
    if (store.unlockedWith === 'stash') {
      const opened = await state.openStore(store.path, { stashed: true, ...readOnly }, 'stash');
      if (opened.ok) continue;
      askPasswordAndOpen(store.path, { readOnly: store.readOnly, reason: `Not reopened from its stash after the reload: ${opened.message}` });
    } else {
      askPasswordAndOpen(store.path, { readOnly: store.readOnly, reason: 'The page was reloaded: type the password again to reopen this key database (the browser never keeps it).' });
    }
  }
}

/**
 * `-ui -serve -db FILE -pw …|-stashed`: the server opened the store before serving and
 * answers an openStore of that path without credentials. If it has not (or not any more),
 * the password dialog asks.
 */
export async function openStoreGivenAtStart(path: string): Promise<void> {
  try {
    const view = await keydesk.openStore({ path });
    useAppState.getState().adoptStore(view, 'at start');
  } catch {
    askPasswordAndOpen(path);
  }
}

export function OpenStoreButton({ prominent = false }: { prominent?: boolean }) {
  return (
    <button type="button" className={prominent ? 'large' : 'secondary'} onClick={() => void chooseAndOpenStore()}>
      Open…
    </button>
  );
}

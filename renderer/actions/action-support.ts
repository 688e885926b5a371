/**
 * What every action dialog does around its one API call: name the store, word the result
 * in the message bar, and show the entry it made or changed.
 */
import type { StoreChanged } from '../../core/api/contract';
import { useAppState, type OpenStore } from '../app-state';
import type { PaneName } from '../entry-rows';
import { fileNameOf, folderOf, joinPath, stemOf } from '../paths';

/** The refusal as the one plain line the API sends (never a stack). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Core's notes are clauses ("the label … contains spaces"); shown after a sentence they start one. */
function sentences(text: string, notes: readonly string[]): string {
  return [text, ...notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1))].join(' ');
}

export function reportChange(store: OpenStore, changed: StoreChanged, text: string, show?: { pane: PaneName; label: string }): void {
  const state = useAppState.getState();
  state.applyChange(store.view.storeId, changed, show);
  state.showMessage({ tone: 'info', text: sentences(text, changed.notes), storeId: store.view.storeId });
}

export function reportDone(text: string, notes: readonly string[] = []): void {
  useAppState.getState().showMessage({ tone: 'info', text: sentences(text, notes) });
}

/** A file name from a label: labels may hold spaces and slashes, file names should not. */
export function fileNameFor(label: string, extension: string): string {
  const base = label.trim().replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'certificate';
  return `${base}${extension}`;
}

/** Beside the store: where an MQ operator keeps key.kdb's requests and certificates. */
export function besideStore(store: OpenStore, name: string): string {
  return joinPath(folderOf(store.view.path), name);
}

export function storeName(store: OpenStore): string {
  return fileNameOf(store.view.path);
}

export function allLabels(store: OpenStore): string[] {
  return store.view.entries.map((e) => e.label);
}

/** Swaps a default file name's extension when the data type changes, unless the user typed their own. */
export function withExtension(path: string, from: string, to: string): string {
  return path.toLowerCase().endsWith(from) ? path.slice(0, -from.length) + to : path;
}

/**
 * Pending requests live in `<stem>.rdb` beside a store, whatever its format, so key.kdb and
 * key.p12 in one folder would share key.rdb: writing the second (Save As, Export) replaces
 * the first one's request database under another password, and key.kdb no longer opens.
 */
export function sharesRequestDatabase(storePath: string, otherPath: string): boolean {
  const stem = (p: string) => joinPath(folderOf(p), stemOf(fileNameOf(p))).toLowerCase();
  return storePath !== otherPath && stem(storePath) === stem(otherPath.trim());
}

export function requestDatabaseClash(storePath: string, otherPath: string): string | undefined {
  if (!sharesRequestDatabase(storePath, otherPath)) return undefined;
  const rdb = `${stemOf(fileNameOf(storePath))}.rdb`;
  return `${fileNameOf(otherPath.trim())} would share ${rdb} (where pending requests are kept) with ${fileNameOf(storePath)}: choose another file name`;
}

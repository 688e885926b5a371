/**
 * Browser mode's file dialog: the server's folders (the files KeyDesk will read or write
 * are on the server, not on the machine running the browser), with a path field for
 * those who know where they are going. Likely files are shown first; the rest on request.
 */
import { openToken } from './OpenTokenAction';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DirectoryEntry, DirectoryListing } from '../../core/api/directory-listing';
import type { FileChoiceRequest, FileKind } from '../../electron/shell-api';
import { ModalDialog } from '../components/ModalDialog';
import { FileIcon, FolderIcon, KeyIcon } from '../components/icons';
import { keydesk } from '../keydesk-client';
import { fileNameOf, folderOf, joinPath } from '../paths';

const hintsShown: Record<FileKind, DirectoryEntry['hint'][]> = {
  'key-store': ['key store'],
  certificate: ['certificate'],
  request: ['request'],
  any: [],
};

const kindWords: Record<FileKind, string> = {
  'key-store': 'key stores',
  certificate: 'certificates',
  request: 'certificate requests',
  any: 'files',
};

function describeEntry(entry: DirectoryEntry): string {
  if (entry.kind === 'folder') return 'Folder';
  const hint = entry.hint ? entry.hint[0]!.toUpperCase() + entry.hint.slice(1) : 'File';
  return entry.size === undefined ? hint : `${hint}, ${formatSize(entry.size)}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

export interface FileBrowserDialogProps {
  request: FileChoiceRequest;
  onDone: (path: string | undefined) => void;
}

export function FileBrowserDialog({ request, onDone }: FileBrowserDialogProps) {
  const [listing, setListing] = useState<DirectoryListing>();
  const [pathText, setPathText] = useState(request.defaultPath ?? '');
  const [error, setError] = useState<string>();
  const [showAll, setShowAll] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();

  async function load(path: string | undefined, then?: (l: DirectoryListing) => void): Promise<boolean> {
    try {
      const loaded = await keydesk.listDirectory({ path });
      setListing(loaded);
      setActive(0);
      setError(undefined);
      then?.(loaded);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  }

  useEffect(() => {
    const start = request.defaultPath;
    void (async () => {
      if (start && (await load(start))) return;
      if (start && (await load(folderOf(start)))) return;
      // The server remembers the last folder used (a reload keeps it), else starts where
      // KeyDesk was started or in the folder of the store it was given.
      const startFolder = await keydesk.recentStores({}).then((r) => r.startFolder, () => undefined);
      if (startFolder && (await load(startFolder))) return;
      await load(undefined);
    })();
    // Runs once, on opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const entries = useMemo(() => {
    if (!listing) return [];
    const wanted = hintsShown[request.kind];
    // Like native dialogs: hidden folders and unlikely files only on request.
    return listing.entries.filter((e) => showAll || (e.kind === 'folder' ? !e.name.startsWith('.') : request.kind === 'any' || wanted.includes(e.hint)));
  }, [listing, showAll, request.kind]);
  const hiddenCount = (listing?.entries.length ?? 0) - entries.length;

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choosingFolder = request.mode === 'folder';

  function enter(entry: DirectoryEntry) {
    if (entry.kind === 'folder') void load(entry.path, () => setPathText(''));
    else if (!choosingFolder) onDone(entry.path);
  }

  function activate(index: number) {
    const entry = entries[index];
    setActive(index);
    if (entry?.kind === (choosingFolder ? 'folder' : 'file')) setPathText(entry.path);
  }

  /** Folder mode: the folder selected or typed, else the one shown; it must exist. */
  async function submitFolder(text: string) {
    if (text === '') return listing && onDone(listing.path);
    const path = isAbsolute(text) || !listing ? text : joinPath(listing.path, text);
    try {
      onDone((await keydesk.listDirectory({ path })).path);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function submit() {
    const text = pathText.trim();
    if (choosingFolder) return submitFolder(text);
    if (text === '') {
      setError(`Choose a file in the list, or type its path.`);
      return;
    }
    const path = isAbsolute(text) || !listing ? text : joinPath(listing.path, text);
    const listed = listing?.entries.find((e) => e.path === path);
    if (listed) return enter(listed);
    // A typed folder is opened; a typed file must be in its folder (open) or its folder must exist (save).
    if (await load(path, () => setPathText(''))) return;
    try {
      const parent = await keydesk.listDirectory({ path: folderOf(path) || undefined });
      const name = fileNameOf(path);
      const file = parent.entries.find((e) => e.name === name);
      if (request.mode === 'open' && !file) {
        setError(`${path}: no such file.`);
        return;
      }
      if (file?.kind === 'folder') return;
      onDone(path);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function onListKey(event: KeyboardEvent) {
    const last = entries.length - 1;
    const move = (index: number) => {
      event.preventDefault();
      activate(Math.max(0, Math.min(last, index)));
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(last);
    else if (event.key === 'PageDown') move(active + 10);
    else if (event.key === 'PageUp') move(active - 10);
    else if (event.key === 'Enter' && entries[active]) {
      event.preventDefault();
      enter(entries[active]);
    } else if (event.key === 'Backspace' && listing?.parent) {
      event.preventDefault();
      void load(listing.parent);
    }
  }

  const activeId = entries[active] ? `${listId}-${active}` : undefined;

  return (
    <ModalDialog
      title={request.title}
      subtitle="Files on the machine running KeyDesk"
      size="large"
      onClose={() => onDone(undefined)}
      onSubmit={() => void submit()}
      footer={
        <>
          {/* Browser mode has no menu bar: File → Open Cryptographic Token… is offered here. */}
          {request.mode === 'open' && request.kind === 'key-store' && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                onDone(undefined);
                openToken();
              }}
            >
              Cryptographic Token…
            </button>
          )}
          <button type="button" className="secondary" onClick={() => onDone(undefined)}>
            Cancel
          </button>
          <button type="submit">{request.mode === 'open' ? 'Open' : request.mode === 'folder' ? 'Choose Folder' : 'Save'}</button>
        </>
      }
    >
      <div className="file-browser">
        <div className="folder-bar">
          <button type="button" className="secondary" disabled={!listing?.parent} onClick={() => listing?.parent && void load(listing.parent)}>
            <span aria-hidden="true">↑ </span>Parent folder
          </button>
          <button type="button" className="secondary" onClick={() => void load(undefined)}>
            Home folder
          </button>
          <span className="current-folder" title={listing?.path}>
            {listing?.path ?? 'Loading…'}
          </span>
        </div>
        <div
          ref={listRef}
          id={listId}
          className="file-list"
          role="listbox"
          aria-busy={!listing || undefined}
          tabIndex={0}
          aria-label={listing ? `Contents of ${listing.path}` : 'Folder contents'}
          aria-activedescendant={activeId}
          onKeyDown={onListKey}
        >
          {entries.length === 0 && listing && (
            // A listbox holds only options: an empty folder says so as one that cannot be chosen.
            <p className="file-list-empty" role="option" aria-selected="false" aria-disabled="true">
              No folders or {kindWords[request.kind]} here.
              {hiddenCount > 0 && ` ${hiddenCount} other item${hiddenCount === 1 ? '' : 's'} not shown.`}
            </p>
          )}
          {entries.map((entry, index) => (
            <div
              key={entry.path}
              id={`${listId}-${index}`}
              data-index={index}
              role="option"
              aria-selected={index === active}
              className={`file-entry ${entry.kind}${index === active ? ' active' : ''}`}
              onClick={() => activate(index)}
              onDoubleClick={() => enter(entry)}
            >
              <span className="file-icon" aria-hidden="true">
                {entry.kind === 'folder' ? <FolderIcon /> : entry.hint === 'key store' ? <KeyIcon /> : <FileIcon />}
              </span>
              <span className="file-name">{entry.name}</span>
              <span className="file-kind">{describeEntry(entry)}</span>
            </div>
          ))}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          {request.kind === 'any' ? 'Show hidden files and folders' : 'Show all files and hidden folders'}
          {!showAll && hiddenCount > 0 ? ` (${hiddenCount} not shown)` : ''}
        </label>
        <label className="field">
          <span>Path</span>
          <input
            value={pathText}
            onChange={(e) => setPathText(e.target.value)}
            placeholder={request.mode === 'open' ? '/var/mqm/qmgrs/QM1/ssl/key.kdb' : request.mode === 'folder' ? 'empty: the folder shown; or a folder’s path' : 'file name or full path'}
            spellCheck={false}
            autoComplete="off"
            autoFocus
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </ModalDialog>
  );
}

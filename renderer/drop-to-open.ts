/**
 * Dropping a key store on the window opens it (desktop app: the shell gives the dropped
 * file's path). In browser mode the dropped file is on the user's machine, not on the
 * server KeyDesk reads, so the page says so instead of uploading key material.
 */
import { useEffect, useState } from 'react';
import { askPasswordAndOpen } from './actions/OpenStoreAction';
import { useAppState } from './app-state';
import { desktopShell } from './keydesk-client';

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

/** Installs the window's drop handling; returns whether a file is being dragged over it. */
export function useDropToOpen(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = desktopShell ? 'copy' : 'none';
    };
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the browser would navigate to the dropped file.
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (!desktopShell) {
        useAppState.getState().showMessage({
          tone: 'info',
          text: 'In browser mode KeyDesk reads files on the server it runs on, not on this computer. Use Open… to choose the store there.',
        });
        return;
      }
      for (const file of files) {
        const path = desktopShell.pathOfDroppedFile(file);
        if (path) askPasswordAndOpen(path);
      }
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return dragging;
}

/**
 * "Browse…" for every action: the native dialog in the desktop app, the in-app browser
 * of the server's files in browser mode. Either way the answer is a path or nothing.
 */
import type { FileChoiceRequest } from '../../electron/shell-api';
import { showDialog } from '../dialog-stack';
import { desktopShell } from '../keydesk-client';
import { FileBrowserDialog } from './FileBrowserDialog';

export function chooseFile(request: FileChoiceRequest): Promise<string | undefined> {
  if (desktopShell) return desktopShell.chooseFile(request);
  return new Promise((resolve) => {
    showDialog((close) => (
      <FileBrowserDialog
        request={request}
        onDone={(path) => {
          close();
          resolve(path);
        }}
      />
    ));
  });
}

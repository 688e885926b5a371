/**
 * Native open and save dialogs for the window. The window asks with a kind of file and a
 * title; it gets back a path or nothing. The file itself is read later by the main process,
 * through the contract, so nothing but the path ever crosses to the window.
 */
import type { BaseWindow, Dialog, FileFilter, IpcMain, IpcMainInvokeEvent } from 'electron';
import { isFileChoiceRequest, shellChannels, type FileChoiceRequest, type FileKind } from './shell-api';
import type { SenderCheck } from './ipc-handlers';

const filtersByKind: Record<FileKind, FileFilter[]> = {
  'key-store': [
    { name: 'Key stores (*.kdb, *.p12, *.pfx, *.jks, *.jceks)', extensions: ['kdb', 'p12', 'pfx', 'jks', 'jceks'] },
    { name: 'All files', extensions: ['*'] },
  ],
  certificate: [
    { name: 'Certificates (*.arm, *.pem, *.crt, *.cer, *.der, *.p7b)', extensions: ['arm', 'pem', 'crt', 'cer', 'der', 'p7b'] },
    { name: 'All files', extensions: ['*'] },
  ],
  request: [
    { name: 'Certificate requests (*.arm, *.csr, *.req, *.pem)', extensions: ['arm', 'csr', 'req', 'pem'] },
    { name: 'All files', extensions: ['*'] },
  ],
  any: [{ name: 'All files', extensions: ['*'] }],
};

export function filtersFor(kind: FileKind): FileFilter[] {
  return filtersByKind[kind];
}

/** Shows the dialog the request asks for, attached to the asking window. */
export async function chooseFile(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: BaseWindow,
  request: FileChoiceRequest,
): Promise<string | undefined> {
  if (request.mode === 'folder') {
    const result = await dialog.showOpenDialog(window, { title: request.title, defaultPath: request.defaultPath, properties: ['openDirectory'] });
    return result.canceled ? undefined : result.filePaths[0];
  }
  const common = { title: request.title, defaultPath: request.defaultPath, filters: filtersFor(request.kind) };
  if (request.mode === 'open') {
    const result = await dialog.showOpenDialog(window, { ...common, properties: ['openFile'] });
    return result.canceled ? undefined : result.filePaths[0];
  }
  const result = await dialog.showSaveDialog(window, { ...common, properties: ['createDirectory', 'showOverwriteConfirmation'] });
  return result.canceled || !result.filePath ? undefined : result.filePath;
}

export function registerFileDialogHandler(
  ipcMain: Pick<IpcMain, 'handle'>,
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  windowOf: (event: IpcMainInvokeEvent) => BaseWindow | null,
  isTrustedSender: SenderCheck,
): void {
  ipcMain.handle(shellChannels.chooseFile, async (event, request: unknown): Promise<string | undefined> => {
    if (!isTrustedSender(event) || !isFileChoiceRequest(request)) return undefined;
    const window = windowOf(event);
    return window ? chooseFile(dialog, window, request) : undefined;
  });
}

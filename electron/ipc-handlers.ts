/**
 * Registers one ipcMain handler per operation. Requests from any frame that is not one
 * of our own windows' top frames are dropped (Electron Fiddle does the same): a
 * navigated or embedded page must not reach the key-store API.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { operationNames, type KeyDeskApi } from '../core/api/contract';
import { dispatch, type WireResult } from '../core/api/wire-error';
import { channelOf } from './ipc-channels';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function registerIpcHandlers(ipcMain: IpcMain, api: KeyDeskApi, isTrustedSender: SenderCheck): void {
  for (const name of operationNames) {
    ipcMain.handle(channelOf(name), async (event, request: unknown): Promise<WireResult<unknown>> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'request refused: it did not come from a KeyDesk window.' } };
      }
      return dispatch(api, name, request as never);
    });
  }
}

/** Trusted: the top frame of a window we made, showing our own page. */
export function trustedSenderCheck(isOwnUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isOwnUrl(frame.url);
  };
}

/**
 * The contract as the renderer reaches it: through the preload bridge in Electron, or
 * over HTTP in browser mode. Both speak WireResult envelopes; this hides which.
 */
import type { KeyDeskApi, OperationName } from '../core/api/contract';
import { apiOverTransport, type WireResult } from '../core/api/wire-error';
import type { KeyDeskShell } from '../electron/shell-api';
import { launchParameters } from './launch-parameters';

type Bridge = Record<OperationName, (request: unknown) => Promise<WireResult<unknown>>>;

declare global {
  interface Window {
    keydesk?: Bridge;
    keydeskShell?: KeyDeskShell;
  }
}

function httpTransport(): KeyDeskApi {
  return apiOverTransport(async (name, request) => {
    let response: Response;
    try {
      response = await fetch(`api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-KeyDesk-Token': launchParameters.token },
        body: JSON.stringify(request),
      });
    } catch {
      return {
        ok: false,
        error: { code: 'io', message: 'KeyDesk is not answering: the keydesk -ui -serve process has stopped, or the SSH tunnel is closed.' },
      };
    }
    try {
      return (await response.json()) as WireResult<unknown>;
    } catch {
      return { ok: false, error: { code: 'io', message: `KeyDesk answered ${response.status} ${response.statusText} without a result. Reload the page.` } };
    }
  });
}

/** True in the desktop app, false in browser mode. */
export const isDesktop = window.keydesk !== undefined;

/** Menus, native dialogs and dropped-file paths: only the desktop app has them. */
export const desktopShell: KeyDeskShell | undefined = window.keydeskShell;

export const keydesk: KeyDeskApi = window.keydesk ? apiOverTransport((name, request) => window.keydesk![name](request)) : httpTransport();

/**
 * The contract as the renderer reaches it: through the preload bridge in Electron, or
 * over HTTP in browser mode. Both speak WireResult envelopes; this hides which.
 */
import type { KeyDeskApi, OperationName } from '../core/api/contract';
import { apiOverTransport, type WireResult } from '../core/api/wire-error';

type Bridge = Record<OperationName, (request: unknown) => Promise<WireResult<unknown>>>;

declare global {
  interface Window {
    keydesk?: Bridge;
  }
}

/** Browser mode hands the session token in the URL; keep it for reloads, out of sight. */
function sessionToken(): string {
  const given = new URLSearchParams(window.location.search).get('token') ?? new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (given) {
    sessionStorage.setItem('keydesk-token', given);
    history.replaceState(null, '', window.location.pathname);
    return given;
  }
  return sessionStorage.getItem('keydesk-token') ?? '';
}

function httpTransport(): KeyDeskApi {
  const token = sessionToken();
  return apiOverTransport(async (name, request) => {
    const response = await fetch(`api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-KeyDesk-Token': token },
      body: JSON.stringify(request),
    });
    return (await response.json()) as WireResult<unknown>;
  });
}

export const keydesk: KeyDeskApi = window.keydesk
  ? apiOverTransport((name, request) => window.keydesk![name](request))
  : httpTransport();

/**
 * What the page was started with, read once and then removed from the address bar:
 * browser mode's session token (kept in sessionStorage so a reload still works) and the
 * store `keydesk -ui -serve -db FILE` asks it to open. The URL never carries a password.
 */

export interface LaunchParameters {
  token: string;
  /** A store path to open at start (`-db`), if any. */
  storeToOpen?: string;
}

function readLaunchParameters(): LaunchParameters {
  const query = new URLSearchParams(window.location.search);
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const given = query.get('token') ?? fragment.get('token');
  const storeToOpen = query.get('db') ?? fragment.get('db') ?? undefined;
  if (given) sessionStorage.setItem('keydesk-token', given);
  if (given || storeToOpen) history.replaceState(null, '', window.location.pathname);
  return { token: given ?? sessionStorage.getItem('keydesk-token') ?? '', storeToOpen: storeToOpen || undefined };
}

export const launchParameters: LaunchParameters = readLaunchParameters();

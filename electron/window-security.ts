/**
 * The rules every web page in the app lives under. KeyDesk shows only its own page from
 * disk; anything else (a link in a certificate field, a dropped HTML file, an injected
 * script) must not navigate away, open windows, embed webviews or get device permissions.
 */
import type { Event, HandlerDetails, Session, WebContents } from 'electron';
import { contentSecurityPolicy } from '../renderer/content-security-policy';

export type OwnUrlCheck = (url: string) => boolean;

/** The one permission the page uses: writing text to the clipboard for "Copy PEM". */
const allowedPermissions = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, isOwnUrl: OwnUrlCheck): boolean {
  return allowedPermissions.has(permission) && isOwnUrl(requestingUrl);
}

export function hardenSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>,
  isOwnUrl: OwnUrlCheck,
  options: { addCspHeader: boolean },
): void {
  session.setPermissionRequestHandler((webContents, permission, callback) => {
    callback(isPermissionAllowed(permission, webContents.getURL(), isOwnUrl));
  });
  session.setPermissionCheckHandler((webContents, permission) => isPermissionAllowed(permission, webContents?.getURL() ?? '', isOwnUrl));
  if (options.addCspHeader) {
    // The page also carries the policy in a meta tag (file:// has no headers to set);
    // the header adds frame-ancestors, which a meta tag cannot.
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });
  }
}

/** Applied to every WebContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, isOwnUrl: OwnUrlCheck): void {
  const stayHome = (event: Event<{ url: string }>) => {
    if (!isOwnUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler((_details: HandlerDetails) => ({ action: 'deny' }));
}

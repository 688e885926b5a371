/** No page in the app may leave KeyDesk's own page, open windows, embed webviews or get permissions. */
import { describe, it, expect, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { hardenSession, hardenWebContents, isPermissionAllowed } from './window-security';
import { contentSecurityPolicy } from '../renderer/content-security-policy';

vi.mock('electron', () => ({}));

const own = (url: string) => url.startsWith('file:///app/');

function fakeContents() {
  const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
  let openHandler: ((details: unknown) => unknown) | undefined;
  const contents = {
    on: (name: string, fn: never) => listeners.set(name, fn),
    setWindowOpenHandler: (fn: never) => (openHandler = fn),
  } as unknown as WebContents;
  const fire = (name: string, url: string) => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)!(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('hardenWebContents', () => {
  const { contents, fire, open } = (() => {
    const made = fakeContents();
    hardenWebContents(made.contents, own);
    return made;
  })();

  it('blocks navigation and redirects away from our page', () => {
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///app/index.html')).toBe(false);
    expect(contents).toBeDefined();
  });

  it('refuses new windows and webviews', () => {
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview', 'file:///app/index.html')).toBe(true);
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const handlers: { request?: Function; check?: Function; headers?: Function } = {};
    const session = {
      setPermissionRequestHandler: (fn: Function) => (handlers.request = fn),
      setPermissionCheckHandler: (fn: Function) => (handlers.check = fn),
      webRequest: { onHeadersReceived: (fn: Function) => (handlers.headers = fn) },
    } as unknown as Session;
    return { session, handlers };
  }
  const page = (url: string) => ({ getURL: () => url });

  it('grants only clipboard writing, only to our page', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session, own, { addCspHeader: false });
    const ask = (permission: string, url: string) => {
      let granted: boolean | undefined;
      handlers.request!(page(url), permission, (g: boolean) => (granted = g));
      return granted;
    };
    expect(ask('clipboard-sanitized-write', 'file:///app/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem']) {
      expect(ask(p, 'file:///app/index.html')).toBe(false);
    }
    expect(handlers.check!(page('file:///app/index.html'), 'clipboard-read')).toBe(false);
    expect(handlers.check!(null, 'clipboard-sanitized-write')).toBe(false);
    expect(handlers.headers).toBeUndefined();
    expect(isPermissionAllowed('clipboard-sanitized-write', 'file:///app/x', own)).toBe(true);
  });

  it('adds the Content-Security-Policy header to every response of a built app', () => {
    const { session, handlers } = fakeSession();
    hardenSession(session, own, { addCspHeader: true });
    let headers: Record<string, string[]> | undefined;
    handlers.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] });
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain('unsafe');
  });
});

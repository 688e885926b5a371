import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { contentSecurityPolicy } from './renderer/content-security-policy';

/** One renderer build serves both Electron (file://) and browser mode (HTTP). */
export const rendererOutDir = path.join(__dirname, '.vite/renderer/main_window');

/**
 * The built page carries its Content-Security-Policy in a meta tag too: a page loaded from
 * file:// gets no response headers in some Electron versions. frame-ancestors is ignored in
 * a meta tag (the HTTP header and Electron's session header carry it). Not in dev: Vite's
 * dev server injects inline scripts the policy would block.
 */
function contentSecurityPolicyMeta(): Plugin {
  const policy = contentSecurityPolicy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'keydesk-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root: path.join(__dirname, 'renderer'),
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: { outDir: rendererOutDir, emptyOutDir: true },
});

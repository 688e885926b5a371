/**
 * `-ui -serve [-port N] [-db FILE (-pw PW | -stashed)]`: browser mode — the desktop UI over
 * HTTP on loopback. With -db the store is opened here, before serving, so a wrong password
 * or a stale stash is said on the terminal at once; the page is told only the path (in the
 * printed URL) and finds the store already open. No password ever goes into the URL.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { nodeChildProcess } from '../../core/lazy-node-modules';
import type { KeyDeskApi, OpenStoreRequest, StoreView } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { createBrowserModeServer, listen } from '../../server/http-server';
import { type ParsedCommand, usageError } from '../arguments';
import { credentialsFrom, hasPassword } from '../password';

export const uiServeSpec = { values: ['port', 'db', 'pw'], switches: ['stashed'] } as const;

const projectRoot = resolve(__dirname, '../..');

/** Where `npm run build:renderer` (and Forge) put the renderer; KEYDESK_UI_DIR elsewhere. */
export const rendererBuildDir = process.env.KEYDESK_UI_DIR ? resolve(process.env.KEYDESK_UI_DIR) : join(projectRoot, '.vite/renderer/main_window');

/**
 * Builds the page where it is missing (a clone where `npm ci` ran without its prepare
 * script, or a build folder removed), so the README's headless form works on first use.
 * Vite runs as its own process: the CLI bundle must not carry a bundler.
 */
export async function buildRenderer(outDir: string, out: (line: string) => void): Promise<void> {
  const vite = join(projectRoot, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    throw new KeyDeskError('unsupported', `the UI is not built (${outDir} is missing) and cannot be built here (no ${vite}): run npm ci, then npm run build:renderer.`);
  }
  out(`Building the UI into ${outDir} (first start; this takes a moment)…`);
  const args = [vite, 'build', '--config', join(projectRoot, 'vite.renderer.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'];
  const child = nodeChildProcess().spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0 || !existsSync(join(outDir, 'index.html'))) {
    const first = errors.trim().split('\n')[0] ?? '';
    throw new KeyDeskError('io', `the UI could not be built into ${outDir}${first ? ` (${first})` : ''}: run npm run build:renderer to see why.`);
  }
}

/**
 * The contract as the page gets it when a store was opened at start: an openStore of that
 * path without credentials is answered with the store already open. Every other call, and
 * an openStore with credentials, goes to the service unchanged. Anyone who can make that
 * call holds the session token, which already reaches the open store.
 */
export function withStoreOpenedAtStart(api: KeyDeskApi, opened: StoreView): KeyDeskApi {
  let current: StoreView | undefined = opened;
  return new Proxy(api, {
    get(target, property) {
      if (property === 'openStore') {
        return async (request: OpenStoreRequest) => {
          const asksForOpened = current && request.path === current.path && request.password === undefined && !request.stashed;
          return asksForOpened ? current : target.openStore(request);
        };
      }
      if (property === 'recentStores') {
        // A reloaded page: the service closes every session, this one included.
        return async (request: { resume?: boolean }) => {
          if (request.resume) current = undefined;
          return target.recentStores(request);
        };
      }
      if (property === 'closeStore') {
        return async (request: { storeId: string }) => {
          if (request.storeId === current?.storeId) current = undefined;
          return target.closeStore(request);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function uiServe(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void): Promise<void> {
  const portText = parsed.values.get('port') ?? '0';
  // Digits only: Number() would take "", " 80", "0x50" and "1e3" as ports.
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw usageError(`-port takes a number from 0 to 65535 (0: any free port), not "${portText}"`);
  if (!existsSync(join(rendererBuildDir, 'index.html'))) await buildRenderer(rendererBuildDir, out);

  const db = parsed.values.get('db');
  if (db === undefined && (hasPassword(parsed, 'pw') || parsed.switches.has('stashed'))) throw usageError('-pw, -pw:file and -stashed go with -db FILE');
  let served = api;
  let opened: StoreView | undefined;
  if (db !== undefined) {
    opened = await api.openStore({ path: resolve(db), ...credentialsFrom(parsed) });
    served = withStoreOpenedAtStart(api, opened);
  }

  // A fixed token only for tests that must know the URL in advance.
  const token = process.env.KEYDESK_TOKEN || randomBytes(24).toString('base64url');
  const server = createBrowserModeServer({ api: served, staticDir: rendererBuildDir, token });
  const url = await listen(server, { port, token });
  out(`KeyDesk UI: ${opened ? `${url}&db=${encodeURIComponent(opened.path)}` : url}`);
  if (opened) out(`Opened ${opened.path} (${opened.entries.length} entries); the page shows it when it loads.`);
  out('Only this machine can connect (loopback). Over SSH: ssh -L PORT:127.0.0.1:PORT host. Ctrl+C stops.');
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

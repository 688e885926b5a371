/**
 * Browser mode: the renderer served over HTTP on loopback, with the contract at
 * `POST /api/<operation>`. For operators on headless servers (through an SSH tunnel) and
 * for the e2e suite. Only loopback is bound; every API call must carry the session token
 * (given to the user in the URL; the page keeps it and removes it from the address bar),
 * the Host header must name loopback (no DNS rebinding) and an Origin, when a browser
 * sends one, must be the page's own (no cross-site calls).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { nodeFsPromises, nodeHttp } from '../core/lazy-node-modules';
import { extname, join, normalize, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { KeyDeskApi } from '../core/api/contract';
import { dispatch, isOperationName } from '../core/api/wire-error';
import { KeyDeskError } from '../core/errors';
import { contentSecurityPolicy } from '../renderer/content-security-policy';

export interface BrowserModeOptions {
  api: KeyDeskApi;
  /** The built renderer (vite build output). */
  staticDir: string;
  token: string;
  port?: number;
  host?: '127.0.0.1' | '::1';
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Far above any real request (the largest carries a few paths and a password). */
export const maxBody = 1024 * 1024;
/** A larger body is read to its end only up to here, so the 413 reaches the client; past it the connection is cut. */
const maxDrained = 16 * maxBody;

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host);
}

/** Browsers send Origin on cross-site requests; only our own page may call the API. */
function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`].includes(origin);
}

type Body = { text: string } | { tooLarge: true } | { cut: true };

/** The request body, or that it was too large. Reading on after the limit (discarding) lets
 * the client finish sending and then read the refusal instead of a reset connection. */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
      else if (size > maxDrained) req.destroy();
    });
    req.on('end', () => resolve(size > maxBody ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') }));
    req.on('close', () => resolve({ cut: true }));
    req.on('error', reject);
  });
}

const refusal = (code: string, message: string) => JSON.stringify({ ok: false, error: { code, message } });

async function handleApi(req: IncomingMessage, res: ServerResponse, name: string, options: BrowserModeOptions): Promise<void> {
  const forbidden = (message: string) => send(res, 403, JSON.stringify({ ok: false, error: { code: 'forbidden', message } }));
  if (req.method !== 'POST') return send(res, 405, JSON.stringify({ ok: false, error: { code: 'usage', message: 'use POST' } }));
  if (!sameToken(req.headers['x-keydesk-token'] as string | undefined, options.token)) {
    return forbidden('request refused: missing or wrong session token. Open the URL KeyDesk printed when it started.');
  }
  if (!isOperationName(name)) return send(res, 404, JSON.stringify({ ok: false, error: { code: 'usage', message: `no operation ${name}` } }));
  const body = await readBody(req);
  if ('cut' in body) return;
  if ('tooLarge' in body) return send(res, 413, refusal('usage', `request body is larger than ${maxBody / 1024 / 1024} MiB; no KeyDesk request is that large.`));
  let request: unknown;
  try {
    request = JSON.parse(body.text || '{}');
  } catch {
    return send(res, 400, refusal('usage', 'request body is not JSON.'));
  }
  // Every operation takes one object; null, a number or an array would reach it as garbage.
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return send(res, 400, refusal('usage', `request body must be a JSON object, not ${request === null ? 'null' : Array.isArray(request) ? 'an array' : `a ${typeof request}`}.`));
  }
  send(res, 200, JSON.stringify(await dispatch(options.api, name, request as never)));
}

async function handleStatic(res: ServerResponse, urlPath: string, staticDir: string): Promise<void> {
  const relative = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '');
  const file = normalize(join(staticDir, relative));
  if (!file.startsWith(normalize(staticDir) + sep)) return send(res, 404, 'not found', 'text/plain');
  try {
    send(res, 200, await nodeFsPromises().readFile(file), contentTypes[extname(file)] ?? 'application/octet-stream');
  } catch {
    send(res, 404, 'not found', 'text/plain');
  }
}

export function createBrowserModeServer(options: BrowserModeOptions): Server {
  const server = nodeHttp().createServer((req, res) => {
    const port = (server.address() as { port: number } | null)?.port ?? 0;
    if (!isLoopbackHost(req.headers.host, port) || !isOwnOrigin(req.headers.origin, port)) {
      return send(res, 403, 'KeyDesk answers only to its own page on 127.0.0.1 or localhost.', 'text/plain');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api = /^\/api\/([A-Za-z]+)$/.exec(url.pathname);
    const work = api ? handleApi(req, res, api[1]!, options) : handleStatic(res, url.pathname, options.staticDir);
    work.catch((e: Error) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ ok: false, error: { code: 'internal', message: e.message } }));
    });
  });
  return server;
}

/** Starts listening; resolves with the URL to open, token included. A port that cannot be
 * had is refused as the user's to change, in one line. */
export function listen(server: Server, options: Pick<BrowserModeOptions, 'port' | 'host' | 'token'>): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `port ${options.port ?? 0} on ${host}`;
      if (e.code === 'EADDRINUSE') reject(new KeyDeskError('conflict', `${where} is in use; choose another with -port`));
      else if (e.code === 'EACCES') reject(new KeyDeskError('io', `${where} needs privileges this user does not have; choose one from 1024 up with -port`));
      else reject(e);
    });
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as { port: number };
      const shown = host === '::1' ? '[::1]' : host;
      resolve(`http://${shown}:${port}/?token=${options.token}`);
    });
  });
}

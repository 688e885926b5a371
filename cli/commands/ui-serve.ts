/** `-ui -serve [-port N]`: browser mode — the desktop UI over HTTP on loopback. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KeyDeskApi } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { createBrowserModeServer, listen } from '../../server/http-server';
import { type ParsedCommand, usageError } from '../arguments';

export const uiServeSpec = { values: ['port'], switches: [] } as const;

/** Where `npm run build:renderer` (and Forge) put the renderer. */
export const rendererBuildDir = resolve(__dirname, '../../.vite/renderer/main_window');

export async function uiServe(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void): Promise<void> {
  if (!existsSync(join(rendererBuildDir, 'index.html'))) {
    throw new KeyDeskError('unsupported', `the UI is not built (${rendererBuildDir} is missing): run npm run build:renderer first.`);
  }
  const portText = parsed.values.get('port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`-port takes a number from 0 to 65535, not "${portText}"`);
  // A fixed token only for tests that must know the URL in advance.
  const token = process.env.KEYDESK_TOKEN || randomBytes(24).toString('base64url');
  const server = createBrowserModeServer({ api, staticDir: rendererBuildDir, token });
  const url = await listen(server, { port, token });
  out(`KeyDesk UI: ${url}`);
  out('Only this machine can connect (loopback). Over SSH: ssh -L PORT:127.0.0.1:PORT host. Ctrl+C stops.');
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

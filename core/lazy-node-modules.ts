/**
 * Node's networking and process modules, loaded on first use. A `-cert -list` never opens
 * a socket, yet importing node:tls, node:net, node:http, node:child_process and
 * node:fs/promises at start-up costs every CLI call about 5 ms of CPU (node compiles them
 * and their stream machinery), a tenth of what KeyDesk adds to node's own start. The
 * bundle (scripts/build-cli.mjs) hoists every static import to start-up, so code that
 * needs one of these asks here instead, when it runs.
 */
import { createRequire } from 'node:module';

// Built-in modules resolve the same from any base path; '/' works under tsx, vitest and the bundle.
const requireBuiltin = createRequire('/');

export const nodeTls = (): typeof import('node:tls') => requireBuiltin('node:tls');
export const nodeNet = (): typeof import('node:net') => requireBuiltin('node:net');
export const nodeHttp = (): typeof import('node:http') => requireBuiltin('node:http');
export const nodeFsPromises = (): typeof import('node:fs/promises') => requireBuiltin('node:fs/promises');
export const nodeStream = (): typeof import('node:stream') => requireBuiltin('node:stream');
export const nodeChildProcess = (): typeof import('node:child_process') => requireBuiltin('node:child_process');

/**
 * Errors cross IPC and HTTP as `{code, message}` envelopes: Electron would otherwise
 * wrap the message in "Error invoking remote method…", and a stack must never reach a
 * window. Unforeseen errors keep their message but are marked as ours to fix.
 */
import { KeyDeskError, isKeyDeskError, type ErrorCode, type ErrorReason } from '../errors';
import type { OperationName, RequestOf, ResponseOf, KeyDeskApi, WireError } from './contract';
import { operationNames } from './contract';
import { inWindowWords } from '../wording';

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function toWireError(e: unknown): WireError {
  // Every wire reaches a window (Electron IPC, browser mode); the CLI calls the service directly.
  if (isKeyDeskError(e)) return { code: e.code, message: inWindowWords(e.gui ?? e.message), ...(e.reason ? { reason: e.reason } : {}) };
  if (process.env.KEYDESK_DEBUG === '1') console.error(e);
  return { code: 'internal', message: `internal error: ${(e as Error)?.message ?? String(e)} — please report it.` };
}

export function fromWireError(error: WireError): KeyDeskError {
  return new KeyDeskError(error.code as ErrorCode, error.message, error.reason as ErrorReason | undefined);
}

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && (operationNames as readonly string[]).includes(name);
}

/** The fields of a response that carry sentences for the user (a store's notes, a check's findings). */
const sentenceKeys = new Set(['notes', 'warnings', 'problems', 'guiProblems', 'message']);

/** The response with its sentences in the window's words; labels, paths and entries untouched,
 * and the response itself not changed (the service may hold on to it). */
function inWindowWordsDeep(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return sentenceKeys.has(key) ? inWindowWords(value) : value;
  if (depth > 5 || value === null || typeof value !== 'object' || key === 'entries') return value;
  if (Array.isArray(value)) {
    const mapped = value.map((v) => inWindowWordsDeep(v, key, depth + 1));
    return mapped.some((v, i) => v !== value[i]) ? mapped : value;
  }
  let changed: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const mapped = inWindowWordsDeep(v, k, depth + 1);
    if (mapped !== v) (changed ??= { ...(value as Record<string, unknown>) })[k] = mapped;
  }
  return changed ?? value;
}

/** Runs one operation and wraps its outcome for a transport. */
export async function dispatch<K extends OperationName>(api: KeyDeskApi, name: K, request: RequestOf<K>): Promise<WireResult<ResponseOf<K>>> {
  try {
    const call = api[name] as (r: RequestOf<K>) => Promise<ResponseOf<K>>;
    return { ok: true, value: inWindowWordsDeep(await call.call(api, request)) as ResponseOf<K> };
  } catch (e) {
    return { ok: false, error: toWireError(e) };
  }
}

/** Builds a client-side KeyDeskApi from one `send` function (IPC invoke or fetch). */
export function apiOverTransport(send: (name: OperationName, request: unknown) => Promise<WireResult<unknown>>): KeyDeskApi {
  const api = {} as Record<OperationName, (request: unknown) => Promise<unknown>>;
  for (const name of operationNames) {
    api[name] = async (request) => {
      const result = await send(name, request);
      if (!result.ok) throw fromWireError(result.error);
      return result.value;
    };
  }
  return api as unknown as KeyDeskApi;
}

/**
 * The IPC side of the contract: channel names are the operation names, prefixed so they
 * cannot collide with Electron's own. Shared by preload (invoke) and main (handle).
 */
import type { OperationName } from '../core/api/contract';

export const channelOf = (name: OperationName): string => `keydesk:${name}`;

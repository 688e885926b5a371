/**
 * Exposes the contract to the renderer as `window.keydesk`, one method per operation.
 * The renderer never gets ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { KeyDeskApi, OperationName, RequestOf, ResponseOf } from '../core/api/contract';
import type { WireResult } from '../core/api/wire-error';
import { channelOf } from './ipc-channels';

async function invoke<K extends OperationName>(name: K, request: RequestOf<K>): Promise<WireResult<ResponseOf<K>>> {
  return ipcRenderer.invoke(channelOf(name), request);
}

const api: { [K in OperationName]: (request: RequestOf<K>) => Promise<WireResult<ResponseOf<K>>> } = {
  openStore: (request) => invoke('openStore', request),
  closeStore: (request) => invoke('closeStore', request),
  entryDetails: (request) => invoke('entryDetails', request),
  createStore: (request) => invoke('createStore', request),
  stashPassword: (request) => invoke('stashPassword', request),
  changePassword: (request) => invoke('changePassword', request),
  convertStore: (request) => invoke('convertStore', request),
};

contextBridge.exposeInMainWorld('keydesk', api);
export type PreloadApi = typeof api;
export type { KeyDeskApi };

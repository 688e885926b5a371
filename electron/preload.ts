/**
 * The bridge between the sandboxed page and the main process. It exposes
 * `window.keydesk` (the contract, one method per operation) and `window.keydeskShell`
 * (menu commands, native file dialogs, dropped-file paths). The page never gets
 * ipcRenderer itself, nor an event object: only the values named in the types.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { KeyDeskApi, OperationName, RequestOf, ResponseOf } from '../core/api/contract';
import type { WireResult } from '../core/api/wire-error';
import { channelOf } from './ipc-channels';
import { isShellCommand, shellChannels, type FileChoiceRequest, type KeyDeskShell, type ShellCommand } from './shell-api';

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
  deleteEntry: (request) => invoke('deleteEntry', request),
  renameEntry: (request) => invoke('renameEntry', request),
  addCertificate: (request) => invoke('addCertificate', request),
  setSignerTrust: (request) => invoke('setSignerTrust', request),
  extractCertificate: (request) => invoke('extractCertificate', request),
  createSelfSigned: (request) => invoke('createSelfSigned', request),
  createRequest: (request) => invoke('createRequest', request),
  extractRequest: (request) => invoke('extractRequest', request),
  receiveCertificate: (request) => invoke('receiveCertificate', request),
  signRequest: (request) => invoke('signRequest', request),
  validateEntry: (request) => invoke('validateEntry', request),
  exportEntry: (request) => invoke('exportEntry', request),
  importEntries: (request) => invoke('importEntries', request),
  importKeyPair: (request) => invoke('importKeyPair', request),
  populateSigners: (request) => invoke('populateSigners', request),
  setDefaultCertificate: (request) => invoke('setDefaultCertificate', request),
  deleteStore: (request) => invoke('deleteStore', request),
  recentStores: (request) => invoke('recentStores', request),
  certificatePem: (request) => invoke('certificatePem', request),
  repairTransferDamage: (request) => invoke('repairTransferDamage', request),
  listDirectory: (request) => invoke('listDirectory', request),
  checkStore: (request) => invoke('checkStore', request),
  sslPeerValue: (request) => invoke('sslPeerValue', request),
  matchSslPeer: (request) => invoke('matchSslPeer', request),
  testHandshake: (request) => invoke('testHandshake', request),
  exchangeSigners: (request) => invoke('exchangeSigners', request),
  probeTlsEndpoint: (request) => invoke('probeTlsEndpoint', request),
  compareStores: (request) => invoke('compareStores', request),
  storeReport: (request) => invoke('storeReport', request),
  scanFolder: (request) => invoke('scanFolder', request),
  examineFile: (request) => invoke('examineFile', request),
  wellKnownCas: (request) => invoke('wellKnownCas', request),
  listTokens: (request) => invoke('listTokens', request),
};

const shell: KeyDeskShell = {
  onCommand(listener: (command: ShellCommand) => void): () => void {
    const relay = (_event: IpcRendererEvent, command: unknown) => {
      if (isShellCommand(command)) listener(command);
    };
    ipcRenderer.on(shellChannels.command, relay);
    return () => {
      ipcRenderer.removeListener(shellChannels.command, relay);
    };
  },
  chooseFile: (request: FileChoiceRequest) => ipcRenderer.invoke(shellChannels.chooseFile, request) as Promise<string | undefined>,
  pathOfDroppedFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('keydesk', api);
contextBridge.exposeInMainWorld('keydeskShell', shell);
export type PreloadApi = typeof api;
export type { KeyDeskApi };

/**
 * The one API every front end speaks: Electron IPC (preload → main), HTTP on loopback
 * (browser mode, e2e) and direct calls (CLI). Each operation is named once here with its
 * request and response; transports are generic over this map, so adding an operation
 * means adding a line here and a method in the service — nothing else.
 *
 * Everything in a response is metadata: no private key and no password ever crosses it.
 */
import type { EntryKind, StoreFormat } from '../model/key-store';
import type { CertificateDetails } from '../x509/certificate-details';
import type { NewKeyOptions } from '../operations/new-key-request';
import type { Validation } from '../operations/validate-entry';
import type { DirectoryListing } from './directory-listing';

export type { NewKeyOptions, Validation, DirectoryListing };

/** How the password for a store is given. Exactly one of them. */
export interface Credentials {
  password?: string;
  /** Read the password from `<stem>.sth` beside the store, as runmqakm's -stashed. */
  stashed?: boolean;
}

export interface OpenStoreRequest extends Credentials {
  path: string;
}

/** One entry as a list shows it: the certificate's facts flattened beside the label. */
export interface EntrySummary extends Partial<CertificateDetails> {
  label: string;
  kind: EntryKind;
  hasPrivateKey: boolean;
  /** Certificates in the entry's chain, the entry's own included (personal entries). */
  chainLength?: number;
  /** For `unknown` entries: why KeyDesk could not interpret it (it is kept as is). */
  reason?: string;
  /** For `secret` entries. */
  algorithm?: string;
}

export interface EntryDetails extends EntrySummary {
  /** The entry's certificate first, then its issuers as found in the store. */
  chain: CertificateDetails[];
  /** True when the chain reaches a self-signed root within the store. */
  chainComplete: boolean;
}

export interface StoreView {
  storeId: string;
  path: string;
  format: StoreFormat;
  properties: Record<string, string | number | boolean>;
  entries: EntrySummary[];
}

export type WritableFormat = StoreFormat;

export interface CreateStoreRequest {
  path: string;
  password: string;
  format: WritableFormat;
  /** CMS: 6 unless an old GSKit needs 4. */
  cmsVersion?: 4 | 6;
  /** Also write `<stem>.sth`. */
  stash?: boolean;
  stashForm?: 'v1' | 'v2';
}

export interface StashPasswordRequest {
  path: string;
  password: string;
  stashForm?: 'v1' | 'v2';
}

export interface ChangePasswordRequest extends OpenStoreRequest {
  newPassword: string;
  stash?: boolean;
  stashForm?: 'v1' | 'v2';
}

export interface ConvertStoreRequest extends OpenStoreRequest {
  newPath: string;
  newPassword: string;
  newFormat: WritableFormat;
  cmsVersion?: 4 | 6;
  stash?: boolean;
}

/** What a file operation wrote, and what the user should be told about it. */
export interface FilesWritten {
  written: string[];
  notes: string[];
}

/** A store to act on: one open in this session, or a file with its credentials (CLI). */
export type StoreRef = { storeId: string } | OpenStoreRequest;

/** After a change, saved at once (as iKeyman does): the store as it now is. */
export interface StoreChanged {
  entries: EntrySummary[];
  properties: Record<string, string | number | boolean>;
  /** Things the user should be told: warnings, entries added on the side, versions. */
  notes: string[];
}

export interface Operations {
  openStore: { request: OpenStoreRequest; response: StoreView };
  closeStore: { request: { storeId: string }; response: { closed: boolean } };
  entryDetails: { request: { storeId: string; label: string }; response: EntryDetails };
  createStore: { request: CreateStoreRequest; response: FilesWritten };
  stashPassword: { request: StashPasswordRequest; response: FilesWritten };
  changePassword: { request: ChangePasswordRequest; response: FilesWritten };
  convertStore: { request: ConvertStoreRequest; response: FilesWritten };
  deleteEntry: { request: { store: StoreRef; label: string; kind?: EntryKind }; response: StoreChanged };
  renameEntry: { request: { store: StoreRef; label: string; newLabel: string }; response: StoreChanged };
  /** Add a signer certificate (or every certificate of a bundle) from a file. */
  addCertificate: { request: { store: StoreRef; label: string; file: string }; response: StoreChanged };
  /** Extract an entry's certificate to a file, PEM ("ascii") or DER ("binary"). */
  extractCertificate: { request: { store: StoreRef; label: string; target: string; format: 'ascii' | 'binary' }; response: FilesWritten };
  createSelfSigned: { request: { store: StoreRef } & NewKeyOptions; response: StoreChanged };
  /** New Request: keeps the key as a pending request and writes the request to `target`. */
  createRequest: { request: { store: StoreRef; target: string; format?: 'ascii' | 'binary' } & NewKeyOptions; response: StoreChanged & FilesWritten };
  /** The pending request again, to `target` (runmqakm -certreq -extract and -recreate). */
  extractRequest: { request: { store: StoreRef; label: string; target: string; format?: 'ascii' | 'binary' }; response: FilesWritten };
  receiveCertificate: { request: { store: StoreRef; file: string }; response: StoreChanged };
  /** Sign a request file with a personal CA certificate of the store, writing the certificate. */
  signRequest: {
    request: { store: StoreRef; caLabel: string; file: string; target: string; format?: 'ascii' | 'binary'; validityDays?: number; ca?: boolean };
    response: FilesWritten;
  };
  validateEntry: { request: { store: StoreRef; label: string }; response: Validation };
  /** A personal entry with its key and chain into another store (made if absent). */
  exportEntry: {
    request: { store: StoreRef; label: string; target: string; targetPassword: string; targetFormat: WritableFormat };
    response: FilesWritten;
  };
  /** Personal entries with keys from another store into this one (all, or one label). */
  importEntries: { request: { store: StoreRef; source: OpenStoreRequest; label?: string }; response: StoreChanged };
  /** A personal certificate from a certificate file and a private-key file (PEM/DER, PKCS#8/#1, SEC1). */
  importKeyPair: { request: { store: StoreRef; label: string; certificateFile: string; keyFile: string; keyPassword?: string }; response: StoreChanged };
  populateSigners: { request: { store: StoreRef }; response: StoreChanged };
  /** An entry's certificate (and its chain) as PEM text, for "Copy PEM": public data only. */
  certificatePem: { request: { store: StoreRef; label: string }; response: { pem: string } };
  /** Writes the exact original of a file broken by a text-mode transfer, when it is certain. */
  repairTransferDamage: { request: { path: string; target: string }; response: FilesWritten };
  /** Browser mode's file dialog: the server's folders (names only). Home folder by default. */
  listDirectory: { request: { path?: string }; response: DirectoryListing };
}

export type OperationName = keyof Operations;
export type RequestOf<K extends OperationName> = Operations[K]['request'];
export type ResponseOf<K extends OperationName> = Operations[K]['response'];

/** The contract as an object with one async method per operation. */
export type KeyDeskApi = { [K in OperationName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

/** The operation names at run time, for transports that register handlers per name. */
export const operationNames: readonly OperationName[] = [
  'openStore',
  'closeStore',
  'entryDetails',
  'createStore',
  'stashPassword',
  'changePassword',
  'convertStore',
  'deleteEntry',
  'renameEntry',
  'addCertificate',
  'extractCertificate',
  'createSelfSigned',
  'createRequest',
  'extractRequest',
  'receiveCertificate',
  'signRequest',
  'validateEntry',
  'exportEntry',
  'importEntries',
  'importKeyPair',
  'populateSigners',
  'certificatePem',
  'repairTransferDamage',
  'listDirectory',
];

/** How an error crosses a transport: the code and the one plain line, never a stack. */
export interface WireError {
  code: string;
  message: string;
}

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
import type { DoctorReport, Finding, FindingCode, FindingFix, Severity } from '../checks/findings';
import type { SslPeerCandidate, SslPeerMatches, SslPeerValue } from '../checks/sslpeer';
import type { ClientAuth, HandshakeProblem, HandshakeReport, ReverseCase } from '../checks/handshake-lab';
import type { ExchangeStep, MqRole } from '../checks/exchange';
import type { ComparedEntry, EntryPair, StoreComparison } from '../checks/compare';
import type { Expiry, FleetScan, ScannedStore } from '../checks/fleet-scan';
import type { ExaminedCertificate, ExaminedFile } from '../operations/examine-file';
import type { PresentedCertificate, ProbeProblem, TlsProbeReport } from '../checks/tls-probe';
import type { TokenSlot } from '../tokens/token-store';
export type { TokenSlot };

export type { NewKeyOptions, Validation, DirectoryListing };
export type { DoctorReport, Finding, FindingCode, FindingFix, Severity, SslPeerCandidate, SslPeerMatches, SslPeerValue, ClientAuth, HandshakeProblem, HandshakeReport, ReverseCase };
export type { ExchangeStep, MqRole, ComparedEntry, EntryPair, StoreComparison, Expiry, FleetScan, ScannedStore };
export type { ExaminedCertificate, ExaminedFile };
export type { PresentedCertificate, ProbeProblem, TlsProbeReport };

/** Examine TLS Endpoint (issue 17): connect to a live server, a queue manager's listener say. */
export interface TlsProbeRequest {
  host: string;
  port: number;
  /** Judges the server's chain and is matched against the CAs the server lists. */
  store?: StoreRef;
  /** A personal certificate of `store` to present as the client's. */
  label?: string;
  cipherSpec?: string;
  sni?: string;
  timeoutSeconds?: number;
}

/** Examine: a certificate file or pasted PEM text (exactly one), read without importing
 * it. With a store, each certificate also says how it stands there (held, label, issuer). */
export interface ExamineRequest {
  file?: string;
  text?: string;
  store?: StoreRef;
}
import type { WellKnownCa } from '../operations/populate-signers';
export type { WellKnownCa };

/** How the password for a store is given. Exactly one of them. */
export interface Credentials {
  password?: string;
  /** Read the password from `<stem>.sth` beside the store, as runmqakm's -stashed. */
  stashed?: boolean;
  /** A token only (path `pkcs11:token=…?module-path=…`, the password its PIN): runmqakm's
   * -secondaryDB, the CMS database kept beside it for its signer certificates, opened with
   * `secondaryDbPassword` (-secondaryDBpw), or its stash when that is not given. */
  secondaryDb?: string;
  secondaryDbPassword?: string;
}

export interface OpenStoreRequest extends Credentials {
  path: string;
  /** 'labels': entries with label and kind only, for a caller that shows no more (a plain
   * runmqakm listing) — parsing every certificate of a 10,000-entry store is wasted there. */
  detail?: 'full' | 'labels';
  /** Open Read-Only: every change to this store is refused while this session holds it. */
  readOnly?: boolean;
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
  /** For signers: false when trust is disabled (kept, but no chain may end there). */
  trusted?: boolean;
  /** For personal certificates: the store's default certificate (`*` in runmqakm's list). */
  isDefault?: boolean;
}

export interface EntryDetails extends EntrySummary {
  /** The entry's certificate first, then its issuers as found in the store. */
  chain: CertificateDetails[];
  /** True when the chain reaches a self-signed root within the store. */
  chainComplete: boolean;
  /** For signers: the personal certificates whose chain passes through this one. */
  reliedOnBy?: string[];
}

export interface StoreView {
  storeId: string;
  path: string;
  format: StoreFormat;
  properties: Record<string, string | number | boolean>;
  entries: EntrySummary[];
  /** Opened read-only: changes are refused by the service, not only hidden by the page. */
  readOnly?: boolean;
}

/** A store opened in this process, as the recent list keeps it: its path and how it was
 * opened, never its password. */
export interface RecentStore {
  path: string;
  unlockedWith: 'password' | 'stash';
  readOnly: boolean;
  /** A page had it open when that page went away (reload): offer to open it again. */
  wasOpen: boolean;
}

export interface RecentStores {
  stores: RecentStore[];
  /** Where a file dialog starts: the last folder used, else the folder of the store given
   * at start, else the folder KeyDesk was started in. */
  startFolder: string;
}

/** The formats a file store is written in (a PKCS#11 token is no file). */
export type WritableFormat = Exclude<StoreFormat, 'pkcs11'>;

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

/** What a change may do beyond the change itself, only when the user says so. */
export interface BackupChoice {
  /** Keep each file the change replaces as `<file>.bak` (mode 0600). Off by default: a
   * backup is a copy of what the change removed — a deleted key, the old password. */
  backup?: boolean;
  /** Save a store read from a damaged version-3 .kdb, leaving its damaged records out
   * (refused otherwise, so damage is never sealed under a fresh integrity check). */
  dropDamaged?: boolean;
}

export interface StashPasswordRequest extends BackupChoice {
  path: string;
  password: string;
  stashForm?: 'v1' | 'v2';
}

export interface ChangePasswordRequest extends OpenStoreRequest, BackupChoice {
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

/** -keydb -delete: the store and every file that belongs to it, once its password opens it. */
export type DeleteStoreRequest = OpenStoreRequest & BackupChoice;

export interface StoreDeleted {
  /** The files removed (.kdb, .rdb, .crl, .sth, as the store had them). */
  removed: string[];
  notes: string[];
}

/** What a file operation wrote, and what the user should be told about it. */
export interface FilesWritten {
  written: string[];
  notes: string[];
}

/** A store to act on: one open in this session, or a file with its credentials (CLI). */
export type StoreRef = ({ storeId: string } | OpenStoreRequest) & BackupChoice;

/** After a change, saved at once (as iKeyman does): the store as it now is. */
export interface StoreChanged {
  entries: EntrySummary[];
  properties: Record<string, string | number | boolean>;
  /** Things the user should be told: warnings, entries added on the side, versions. */
  notes: string[];
}

/** The MQ doctor's questions: which queue manager (for its label), which CipherSpec. */
export interface CheckStoreRequest {
  store: StoreRef;
  /** Queue manager name: MQ looks for `ibmwebspheremq` + name in lower case. Taken from
   * the path (…/qmgrs/NAME/ssl/…) when neither this nor certLabel is given. */
  mqName?: string;
  /** CERTLABL, which wins over the default label. */
  certLabel?: string;
  /** SSLCIPH of the channels that use the store. */
  cipherSpec?: string;
  /** EXPIRING_SOON threshold; 30 days by default. */
  days?: number;
}

/** Handshake lab: `server` plays the queue manager, `client` the MQ client (or the other
 * queue manager's sender channel). */
export interface HandshakeRequest {
  server: StoreRef;
  serverLabel: string;
  client: StoreRef;
  clientLabel: string;
  /** SSLCIPH on both ends; ANY_TLS12_OR_HIGHER by default. */
  cipherSpec?: string;
  /** SSLCAUTH; REQUIRED by default, as MQ's default. */
  clientAuth?: ClientAuth;
  /** Also show that a client the queue manager does not trust is refused. */
  reverse?: boolean;
}

/** Exchange Signers: each side's personal certificate (self-signed) or its CA chain
 * becomes a signer in the other store; both stores are saved. */
export interface ExchangeRequest {
  a: StoreRef;
  aLabel: string;
  b: StoreRef;
  bLabel: string;
  /** Which side is the queue manager (both, for QM-to-QM); A the queue manager and B the
   * client when not given. Only the enable steps' wording depends on it. */
  roles?: { a: MqRole; b: MqRole };
}

export interface ExchangeResult {
  /** extract, transfer, add for A→B, then B→A, then the manual enable steps. */
  steps: ExchangeStep[];
  a: StoreChanged;
  b: StoreChanged;
}

export interface StoreReportRequest {
  store: StoreRef;
  /** Which entries, as -cert -list: all (default), personal, or ca (signers). */
  filter?: 'all' | 'personal' | 'ca';
  format: 'csv' | 'html';
  /** "Expiring soon" threshold for the HTML report; 30 by default. */
  days?: number;
  /** Also write the report to this file ("Export List…"). */
  target?: string;
}

export interface StoreReport {
  content: string;
  mediaType: 'text/csv' | 'text/html';
  written: string[];
}

export interface ScanFolderRequest {
  path: string;
  /** Tried where a store has no stash, or its stash does not open it. */
  password?: string;
  days?: number;
  /** Also write the HTML report to this file. */
  htmlTarget?: string;
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
  /** Without a label, each certificate is labelled with its subject DN, as runmqakm does. */
  /** `pem` instead of `file`: certificates a page already holds (a TLS server's chain), as PEM text. */
  addCertificate: { request: { store: StoreRef; label?: string; file?: string; pem?: string; trusted?: boolean }; response: StoreChanged };
  /** Trust on or off for a signer (runmqakm -cert -modify -trust); off is CMS only. */
  setSignerTrust: { request: { store: StoreRef; label: string; trusted: boolean }; response: StoreChanged };
  /** Extract an entry's certificate to a file, PEM ("ascii") or DER ("binary"). */
  extractCertificate: { request: { store: StoreRef; label: string; target: string; format: 'ascii' | 'binary' }; response: FilesWritten };
  createSelfSigned: { request: { store: StoreRef } & NewKeyOptions; response: StoreChanged };
  /** New Request: keeps the key as a pending request and writes the request to `target`. */
  createRequest: { request: { store: StoreRef; target: string; format?: 'ascii' | 'binary' } & NewKeyOptions; response: StoreChanged & FilesWritten };
  /** The pending request again, to `target` (runmqakm -certreq -extract and -recreate). */
  /** `renew` (runmqakm -certreq -recreate): for a personal certificate, a renewal request with its key and subject. */
  extractRequest: { request: { store: StoreRef; label: string; target: string; format?: 'ascii' | 'binary'; renew?: boolean }; response: FilesWritten };
  /** `isDefault`: runmqakm -default_cert yes. `caFile`: the CA certificate(s) the user chose
   * to trust with this receive; those its chain uses become signers in the same change. */
  receiveCertificate: { request: { store: StoreRef; file: string; isDefault?: boolean; caFile?: string }; response: StoreChanged };
  /** Sign a request file with a personal CA certificate of the store, writing the certificate. */
  signRequest: {
    request: { store: StoreRef; caLabel: string; file: string; target: string; format?: 'ascii' | 'binary'; validityDays?: number; ca?: boolean; sigAlg?: string };
    response: FilesWritten;
  };
  validateEntry: { request: { store: StoreRef; label: string }; response: Validation };
  /** A personal entry with its key and chain into another store (made if absent). */
  exportEntry: {
    /** Without a label, every certificate and key of the store (runmqakm -cert -export with no -label). */
    request: { store: StoreRef; label?: string; target: string; targetPassword: string; targetFormat: WritableFormat };
    response: FilesWritten;
  };
  /** Entries from another store (a PKCS#12 file, say) into this one: every personal certificate with
   * its CA certificates as signers, and every signer; or the one labelled. `newLabel` renames the
   * one personal certificate imported (runmqakm -new_label). */
  importEntries: { request: { store: StoreRef; source: OpenStoreRequest; label?: string; newLabel?: string; isDefault?: boolean }; response: StoreChanged };
  /** A personal certificate from a certificate file and a private-key file (PEM/DER, PKCS#8/#1, SEC1). */
  importKeyPair: { request: { store: StoreRef; label: string; certificateFile: string; keyFile: string; keyPassword?: string; isDefault?: boolean }; response: StoreChanged };
  /** `fingerprints` (SHA-256, as wellKnownCas lists them): only those; every one without (runmqakm -populate). */
  populateSigners: { request: { store: StoreRef; fingerprints?: string[] }; response: StoreChanged };
  /** The well-known CAs Populate can add, each marked with its label where the store already holds it. */
  wellKnownCas: { request: { store?: StoreRef }; response: { cas: WellKnownCa[] } };
  /** The default certificate (runmqakm -cert -setdefault): one personal entry marked, the others cleared. */
  setDefaultCertificate: { request: { store: StoreRef; label: string }; response: StoreChanged };
  /** Removes the store's files as one change, after checking the password opens it. */
  deleteStore: { request: DeleteStoreRequest; response: StoreDeleted };
  /** An entry's certificate (and its chain) as PEM text, for "Copy PEM": public data only. */
  certificatePem: { request: { store: StoreRef; label: string }; response: { pem: string } };
  /** Writes the exact original of a file broken by a text-mode transfer, only when it
   * verifies: its MAC or keyed digest with the password where the format has one (so the
   * credentials are needed there), its full structure where it has none. */
  repairTransferDamage: { request: { path: string; target: string } & Credentials; response: FilesWritten };
  /** Browser mode's file dialog: the server's folders (names only). Home folder by default. */
  listDirectory: { request: { path?: string }; response: DirectoryListing };
  /** The MQ doctor: findings with codes, severities and fixes that map onto the operations above. */
  checkStore: { request: CheckStoreRequest; response: DoctorReport };
  /** The SSLPEER value that matches an entry's certificate subject. */
  sslPeerValue: { request: { store: StoreRef; label: string }; response: SslPeerValue };
  /** Which certificates in a store an SSLPEER filter lets through, and why the others fail. */
  matchSslPeer: { request: { store: StoreRef; filter: string }; response: SslPeerMatches };
  /** A real TLS handshake on 127.0.0.1 between two stores, explained in MQ terms. */
  testHandshake: { request: HandshakeRequest; response: HandshakeReport };
  exchangeSigners: { request: ExchangeRequest; response: ExchangeResult };
  /** Connects to a live TLS endpoint and explains, in MQ terms, its chain, its client-certificate request and the outcome. */
  probeTlsEndpoint: { request: TlsProbeRequest; response: TlsProbeReport };
  compareStores: { request: { a: StoreRef; b: StoreRef }; response: StoreComparison };
  /** The certificate list as CSV or a printable HTML page with an expiry timeline. */
  storeReport: { request: StoreReportRequest; response: StoreReport };
  /** Every key store under a folder: doctor findings, expiries, and why some did not open. */
  scanFolder: { request: ScanFolderRequest; response: FleetScan & { written: string[] } };
  /** What a certificate file or pasted PEM holds (certificates, a chain, a request); nothing is written. */
  examineFile: { request: ExamineRequest; response: ExaminedFile };
  /** The stores opened in this process, most recent first, and where file dialogs start.
   * `resume`: a reloaded page asks; the stores its previous page had open are closed here
   * (that page is gone) and marked `wasOpen`, to be opened again with their credentials.
   * `storeIds`: the sessions the reloaded page held; other tabs' stores stay open. */
  recentStores: { request: { resume?: boolean; storeIds?: string[] }; response: RecentStores };
  /** The slots a PKCS#11 module reports and the token in each, for Open Cryptographic Token…;
   * the token is then opened with openStore, its path `pkcs11:token=LABEL?module-path=MODULE`. */
  listTokens: { request: { module: string }; response: { slots: TokenSlot[] } };
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
  'setSignerTrust',
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
  'checkStore',
  'sslPeerValue',
  'matchSslPeer',
  'testHandshake',
  'exchangeSigners',
  'probeTlsEndpoint',
  'compareStores',
  'storeReport',
  'scanFolder',
  'setDefaultCertificate',
  'deleteStore',
  'examineFile',
  'wellKnownCas',
  'recentStores',
  'listTokens',
];

/** How an error crosses a transport: the code and the one plain line, never a stack. */
export interface WireError {
  code: string;
  message: string;
  /** What the window can offer for it (a Repair… button for 'transfer-damaged'). */
  reason?: string;
}

/**
 * The contract, implemented once. Electron's main process, the browser-mode server and
 * the CLI all call this object; they differ only in how requests reach it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isKeyDeskError, KeyDeskError } from '../errors';
import { findEntry, type KeyStore } from '../model/key-store';
import { createEmptyCmsStore } from '../formats/cms';
import { canHold, describeKind } from '../formats/capabilities';
import { deleteEntry } from '../operations/delete-entry';
import { renameEntry } from '../operations/rename-entry';
import { setSignerTrust } from '../operations/set-signer-trust';
import { addSigners, addSignersBySubject, labelHolding } from '../operations/add-signer';
import { createSelfSigned } from '../operations/create-self-signed';
import { createRequest, pendingRequest, renewalRequest } from '../operations/create-request';
import { receiveCertificate } from '../operations/receive-certificate';
import { signRequest } from '../operations/sign-request';
import { validateEntry, type Validation } from '../operations/validate-entry';
import { populateSigners, wellKnownCas, type WellKnownCa } from '../operations/populate-signers';
import { setDefaultCertificate } from '../operations/set-default-certificate';
import { repairTransferDamageFile, type RepairTransferDamageRequest } from '../operations/repair-transfer-damage';
import { importKeyPair } from '../operations/import-key-pair';
import { readPrivateKey } from '../formats/private-key-file';
import { checkNewLabel } from '../operations/label-rules';
import { buildChain } from '../x509/chain-builder';
import { readCertificationRequest, writeCertificationRequest } from '../formats/certification-request-file';
import type { NewKeyOptions } from '../operations/new-key-request';
import { encodePem } from '../formats/pem';
import { listDirectory, type DirectoryListing } from './directory-listing';
import type { Entry, EntryKind, PersonalEntry, SignerEntry } from '../model/key-store';
import { uniqueLabel } from '../model/key-store';
import { labelFromSubject } from '../x509/certificate-label';
import { readCertificates, writeCertificate } from '../formats/certificate-file';
import { examineBytes, pastedBytes, type ExaminedFile } from '../operations/examine-file';
import { writeFileAtomic } from '../io/atomic-file';
import type {
  WritableFormat,
  StoreChanged,
  StoreRef,
  ChangePasswordRequest,
  ConvertStoreRequest,
  CreateStoreRequest,
  FilesWritten,
  KeyDeskApi,
  OpenStoreRequest,
  RecentStores,
  StashPasswordRequest,
  StoreView,
} from './contract';
import { detailEntry, labelOnly, summarizeEntry } from './entry-view';
import { statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { CheckStoreRequest, ExchangeRequest, ExchangeResult, HandshakeRequest, ScanFolderRequest, StoreReport, StoreReportRequest } from './contract';
import type { DeleteStoreRequest, StoreDeleted } from './contract';
import type { ExamineRequest, TlsProbeRequest } from './contract';
import { probeTlsEndpoint, type TlsProbeReport } from '../checks/tls-probe';
import { ownsRequestDatabase, stemOf } from './store-files';
import type { DoctorReport } from '../checks/findings';
import { checkLoadedStore } from '../checks/store-check';
import { matchSslPeer, sslPeerValueFor, type SslPeerMatches, type SslPeerValue } from '../checks/sslpeer';
import { runHandshakeLab, type HandshakeReport } from '../checks/handshake-lab';
import { addHandover, directionSteps, enableSteps, handoverOf, missingFrom, type Added } from '../checks/exchange';
import { compareStores, type StoreComparison } from '../checks/compare';
import { entriesCsv, entriesHtml } from '../checks/list-report';
import { scanFolder, type FleetScan } from '../checks/fleet-scan';
import { fleetScanHtml } from '../checks/fleet-report';
import { loadStore, prefixed, stashPathFor, throwIfTransferDamaged, type LoadedStore } from './store-files';
import { commitChanges, saveStore, stashChange, withStoreLock, type SaveResult } from './store-writer';
import { checkOutputTarget } from './output-target';
import { systemIo, type StoreIo } from '../io/file-system';
import { readRegularFile } from '../io/store-commit';
import { worded } from '../wording';
import { changeTokenPin, changeTokenStore, closeTokenStore, isTokenPath, listTokenSlots, refuseTokenKeyExport, type TokenSlot } from './token-stores';
import { createRequestOnToken, createSelfSignedOnToken } from '../tokens/token-operations';
import { signerForKey, type TokenConnection } from '../tokens/token-store';
import { tokenHoldOf } from './token-stores';
import type { KeyHoldingSigner } from '../x509/certificate-builder';

export class KeyDeskService implements KeyDeskApi {
  private readonly open = new Map<string, LoadedStore>();
  /** Sessions opened with Open Read-Only (issue 15): no change reaches their files. */
  private readonly readOnly = new Set<string>();
  /** Paths only, most recent first: how each store was opened, never with what password. */
  private recent: { path: string; unlockedWith: 'password' | 'stash'; readOnly: boolean }[] = [];
  private lastFolder?: string;

  /** `io`: the file system and process table every save goes through (tests inject crashes). */
  constructor(private readonly io: StoreIo = systemIo) {}

  async openStore(request: OpenStoreRequest): Promise<StoreView> {
    // A labels-only listing shows no keys, so it does not pay for decrypting them.
    const loaded = loadStore(request.path, request, { privateKeys: request.detail === 'labels' ? 'when-used' : 'on-read', io: this.io });
    const storeId = randomUUID();
    this.open.set(storeId, loaded);
    if (request.readOnly) this.readOnly.add(storeId);
    const opened = { path: loaded.path, unlockedWith: request.stashed ? ('stash' as const) : ('password' as const), readOnly: request.readOnly === true };
    this.recent = [opened, ...this.recent.filter((r) => r.path !== loaded.path)].slice(0, 10);
    return {
      storeId,
      path: loaded.path,
      format: loaded.store.format,
      properties: loaded.store.properties,
      entries: loaded.store.entries.map(request.detail === 'labels' ? labelOnly : summarizeEntry),
      ...(request.readOnly ? { readOnly: true } : {}),
    };
  }

  async closeStore({ storeId }: { storeId: string }): Promise<{ closed: boolean }> {
    this.readOnly.delete(storeId);
    closeTokenStore(this.open.get(storeId));
    return { closed: this.open.delete(storeId) };
  }

  async recentStores({ resume, storeIds }: { resume?: boolean; storeIds?: string[] }): Promise<RecentStores> {
    // The page that held these sessions is gone; its successor opens them again, asking for
    // the password where one was typed. Only its own (`storeIds`, as the page kept them):
    // another tab's stores stay open for that tab.
    const resumed = resume ? [...this.open.entries()].filter(([id]) => (Array.isArray(storeIds) ? storeIds.includes(id) : storeIds === undefined)) : [];
    const openPaths = new Set(resumed.map(([, loaded]) => loaded.path));
    for (const [id, loaded] of resumed) {
      closeTokenStore(loaded);
      this.open.delete(id);
      this.readOnly.delete(id);
    }
    const first = this.recent[0];
    return {
      stores: this.recent.map((r) => ({ ...r, wasOpen: resume === true && openPaths.has(r.path) })),
      startFolder: this.lastFolder ?? (first ? dirname(first.path) : process.cwd()),
    };
  }

  /** A change to a store some session opened read-only is refused here, whoever asks. */
  private refuseIfReadOnly(path: string): void {
    const target = resolvePath(path);
    for (const id of this.readOnly) {
      const loaded = this.open.get(id);
      if (loaded && resolvePath(loaded.path) === target) {
        throw new KeyDeskError('unsupported', `${loaded.path} is open read-only, so nothing was written: close it and open it again without "Open read-only" to change it.`);
      }
    }
  }

  async entryDetails({ storeId, label }: { storeId: string; label: string }) {
    const loaded = this.loaded(storeId);
    const entry = findEntry(loaded.store, label);
    if (!entry) {
      throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${label}". List the store to see its labels.`, 'label-not-found');
    }
    return detailEntry(entry, loaded.store);
  }

  async createStore(request: CreateStoreRequest): Promise<FilesWritten> {
    requirePassword(request.password, request.path);
    const store: KeyStore = request.format === 'cms' ? createEmptyCmsStore() : { format: request.format, entries: [], properties: {} };
    // The stash is encoded with the store, so a password it cannot hold refuses the whole
    // create before any file exists.
    const saved = await this.locked(request.path, () =>
      saveStore(request.path, store, request.password, {
        cmsVersion: request.cmsVersion ?? 6,
        createOnly: true,
        stash: request.stash ? { password: request.password, form: request.stashForm } : undefined,
        io: this.io,
      }),
    );
    return { written: saved.written, notes: saved.notes };
  }

  async stashPassword(request: StashPasswordRequest): Promise<FilesWritten> {
    if (isTokenPath(request.path)) throw new KeyDeskError('unsupported', `${request.path}: a token's PIN is not kept in a stash file; nothing was written.`);
    this.refuseIfReadOnly(request.path);
    return this.locked(request.path, () => {
      // Open first: a stash that does not open its store is worse than none.
      const loaded = loadStore(request.path, { password: request.password }, { locked: true, io: this.io });
      const saved = commitChanges(request.path, [stashChange(request.path, request.password, request.stashForm)], [], { expected: loaded.snapshot, backup: request.backup, io: this.io });
      return { written: saved.written, notes: [...saved.notes, ...backupNotes(saved, { oldPassword: true })] };
    });
  }

  async changePassword(request: ChangePasswordRequest): Promise<FilesWritten> {
    requirePassword(request.newPassword, request.path);
    this.refuseIfReadOnly(request.path);
    // runmqakm -keydb -changepw -crypto: the token's user PIN (C_SetPIN).
    if (isTokenPath(request.path)) return this.locked(request.path, () => changeTokenPin(request.path, request, request.newPassword));
    return this.locked(request.path, () => {
      const loaded = loadStore(request.path, request, { locked: true, io: this.io });
      const stashPath = stashPathFor(request.path);
      const stashed = loaded.snapshot[stashPath] != null;
      // A stash left with the old password would stop the queue manager at its next start,
      // so it changes in the same commit as the store. An existing 129-byte stash stays one.
      const form = request.stashForm ?? (stashed && readRegularFile(this.io, stashPath, 'stash file')?.length === 129 ? 'v1' : 'v2');
      const version = loaded.store.properties.version;
      const saved = saveStore(request.path, loaded.store, request.newPassword, {
        cmsVersion: version === 4 || version === 6 ? version : undefined,
        expected: loaded.snapshot,
        stash: request.stash || stashed ? { password: request.newPassword, form } : undefined,
        currentPassword: loaded.password,
        backup: request.backup,
        dropDamaged: request.dropDamaged,
        io: this.io,
      });
      const notes = [...saved.notes];
      if (stashed && !request.stash) notes.push(`${stashPath} updated to the new password.`);
      return { written: saved.written, notes: [...notes, ...backupNotes(saved, { oldPassword: true })] };
    });
  }

  async convertStore(request: ConvertStoreRequest): Promise<FilesWritten> {
    requirePassword(request.newPassword, request.newPath);
    const loaded = loadStore(request.path, request, { io: this.io });
    refuseTokenKeyExport(loaded, loaded.store.entries);
    checkOutputTarget(request.newPath, 'the converted store', [request.path], this.io, { newStore: true });
    const carried = loaded.store.entries.filter((e) => canHold(request.newFormat, e));
    const refused = loaded.store.entries.filter((e) => !canHold(request.newFormat, e));
    if (refused.length > 0) {
      const names = refused.map((e) => `${describeKind(e)} "${e.label}"`).join(', ');
      throw new KeyDeskError('unsupported', `${request.newPath} not written: ${request.newFormat.toUpperCase()} cannot hold ${names}.`);
    }
    // Records of the source format mean nothing to another writer; drop them.
    const entries = carried.map((e) => (e.source?.format === request.newFormat ? e : { ...e, source: undefined }));
    const target: KeyStore = { format: request.newFormat, entries: entries as KeyStore['entries'], properties: {} };
    const saved = await this.locked(request.newPath, () =>
      saveStore(request.newPath, target, request.newPassword, {
        cmsVersion: request.cmsVersion ?? 6,
        createOnly: true,
        stash: request.stash ? { password: request.newPassword } : undefined,
        io: this.io,
      }),
    );
    return { written: saved.written, notes: saved.notes };
  }

  async deleteEntry({ store, label, kind }: { store: StoreRef; label: string; kind?: EntryKind }): Promise<StoreChanged> {
    return this.change(store, (s) => deleteEntry(s, label, kind));
  }

  async renameEntry({ store, label, newLabel }: { store: StoreRef; label: string; newLabel: string }): Promise<StoreChanged> {
    return this.change(store, (s) => renameEntry(s, label, newLabel));
  }

  async addCertificate({ store, label, file, pem, trusted = true }: { store: StoreRef; label?: string; file?: string; pem?: string; trusted?: boolean }): Promise<StoreChanged> {
    if ((file === undefined) === (pem === undefined)) throw new KeyDeskError('usage', 'add certificates from a file or from PEM text, one of the two.');
    const { certificates } = file !== undefined ? readInputFile(file, (bytes) => readCertificates(bytes, file)) : readCertificates(pastedBytes(pem!));
    return this.change(store, (s) => {
      const added = label === undefined ? addSignersBySubject(s, certificates) : { labels: [label], notes: addSigners(s, label, certificates) };
      // Added as runmqakm -trust disable does: kept, not trusted (refused where the format cannot say so).
      return trusted ? added.notes : [...added.notes, ...added.labels.flatMap((l) => setSignerTrust(s, l, false))];
    });
  }

  async setSignerTrust({ store, label, trusted }: { store: StoreRef; label: string; trusted: boolean }): Promise<StoreChanged> {
    return this.change(store, (s) => setSignerTrust(s, label, trusted));
  }

  async extractCertificate(request: { store: StoreRef; label: string; target: string; format: 'ascii' | 'binary' }): Promise<FilesWritten> {
    const loaded = this.resolve(request.store);
    const entry = findEntry(loaded.store, request.label);
    const der = entry?.kind === 'signer' ? entry.certificate : entry?.kind === 'personal' ? entry.chain[0] : undefined;
    if (!entry) throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${request.label}".`, 'label-not-found');
    if (!der) throw new KeyDeskError('unsupported', `${loaded.path}: "${entry.label}" holds no certificate to extract.`);
    checkOutputTarget(request.target, 'the certificate', [loaded.path], this.io);
    writeFileAtomic(request.target, writeCertificate(der, request.format), { mode: 0o644, io: this.io });
    return { written: [request.target], notes: [] };
  }

  async createSelfSigned({ store, ...options }: { store: StoreRef } & NewKeyOptions): Promise<StoreChanged> {
    // On a token the key pair is generated there, and the token signs.
    return this.change(store, (s, token) => (token ? createSelfSignedOnToken(token, s, options) : createSelfSigned(s, options)));
  }

  /** The slots a PKCS#11 module reports, with the token in each (Open Cryptographic Token…). */
  async listTokens({ module }: { module: string }): Promise<{ slots: TokenSlot[] }> {
    if (!module) throw new KeyDeskError('usage', 'give the path of the PKCS#11 module (the token vendor\'s library, a .so or .dll).');
    return { slots: listTokenSlots(module) };
  }

  async createRequest({ store, target, format, ...options }: { store: StoreRef; target: string; format?: 'ascii' | 'binary' } & NewKeyOptions): Promise<StoreChanged & FilesWritten> {
    // Checked before the store changes: a refused target must leave nothing written.
    checkOutputTarget(target, 'the certificate request', [this.pathOf(store)], this.io);
    let csr: Uint8Array | undefined;
    const changed = await this.change(store, async (s, token) => {
      const made = token ? createRequestOnToken(token, s, options) : await createRequest(s, options);
      csr = made.csr;
      return made.notes;
    });
    // The key is safe in the store before the request goes anywhere.
    writeFileAtomic(target, writeCertificationRequest(csr!, format ?? 'ascii'), { mode: 0o644, io: this.io });
    return { ...changed, written: [target] };
  }

  async extractRequest({ store, label, target, format, renew }: { store: StoreRef; label: string; target: string; format?: 'ascii' | 'binary'; renew?: boolean }): Promise<FilesWritten> {
    const loaded = this.resolve(store);
    const pending = pendingRequest(loaded.store, label);
    let csr = pending;
    try {
      if (!csr && renew) csr = renewalRequest(loaded.store, label, keyOnTokenOf(loaded));
    } catch (e) {
      throw prefixed(loaded.path, e);
    }
    if (!csr) {
      const personal = findEntry(loaded.store, label)?.kind === 'personal';
      throw new KeyDeskError(
        'not-found',
        renew
          ? `${loaded.path}: no pending request or personal certificate labelled "${label}".`
          : `${loaded.path}: no pending request labelled "${label}".${personal ? ' It is a personal certificate: -certreq -recreate makes a renewal request for it.' : ''}`,
        personal ? undefined : 'label-not-found',
        renew ? undefined : `${loaded.path}: no pending request labelled "${label}".${personal ? ' It is a personal certificate: Recreate Request… (Personal Certificates) makes a renewal request for it.' : ''}`,
      );
    }
    checkOutputTarget(target, 'the certificate request', [loaded.path], this.io);
    writeFileAtomic(target, writeCertificationRequest(csr, format ?? 'ascii'), { mode: 0o644, io: this.io });
    const notes = pending ? [] : [`${target}: a request to renew "${label}" with its key and subject; when the CA answers, Receive its new certificate and it takes the place of the old one.`];
    return { written: [target], notes };
  }

  async receiveCertificate({ store, file, isDefault, caFile }: { store: StoreRef; file: string; isDefault?: boolean; caFile?: string }): Promise<StoreChanged> {
    const { certificates } = readInputFile(file, (bytes) => readCertificates(bytes, file));
    const issuers = caFile === undefined ? undefined : { certificates: readInputFile(caFile, (bytes) => readCertificates(bytes, caFile)).certificates, from: caFile };
    return this.change(store, (s) => {
      const before = new Set(s.entries);
      const notes = receiveCertificate(s, certificates, issuers);
      // Receive replaces the entry that held the key; the new object is the one received.
      const received = isDefault ? s.entries.find((e) => e.kind === 'personal' && !before.has(e)) : undefined;
      return received ? [...notes, ...setDefaultCertificate(s, received.label)] : notes;
    });
  }

  async signRequest(request: { store: StoreRef; caLabel: string; file: string; target: string; format?: 'ascii' | 'binary'; validityDays?: number; ca?: boolean; sigAlg?: string }): Promise<FilesWritten> {
    const loaded = this.resolve(request.store);
    const csr = readInputFile(request.file, readCertificationRequest);
    checkOutputTarget(request.target, 'the signed certificate', [loaded.path], this.io);
    const notes: string[] = [];
    let certificate: Uint8Array;
    try {
      certificate = signRequest(loaded.store, request.caLabel, csr, { validityDays: request.validityDays, ca: request.ca, sigAlg: request.sigAlg, warnings: notes, keyOnToken: keyOnTokenOf(loaded) });
    } catch (e) {
      throw prefixed(loaded.path, e);
    }
    writeFileAtomic(request.target, writeCertificate(certificate, request.format ?? 'ascii'), { mode: 0o644, io: this.io });
    return { written: [request.target], notes };
  }

  async validateEntry({ store, label }: { store: StoreRef; label: string }): Promise<Validation> {
    const loaded = this.resolve(store);
    try {
      return validateEntry(loaded.store, label);
    } catch (e) {
      throw prefixed(loaded.path, e);
    }
  }

  async exportEntry(request: { store: StoreRef; label?: string; target: string; targetPassword: string; targetFormat: WritableFormat }): Promise<FilesWritten> {
    const loaded = this.resolve(request.store);
    let exported: Entry[];
    if (request.label !== undefined) {
      const entry = findEntry(loaded.store, request.label);
      if (!entry) throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${request.label}".`, 'label-not-found');
      if (entry.kind !== 'personal') {
        throw new KeyDeskError('unsupported', `${loaded.path}: "${entry.label}" is not a personal certificate; use -cert -extract for a certificate alone.`, undefined, `${loaded.path}: "${entry.label}" is not a personal certificate; use Extract… for a certificate alone.`);
      }
      exported = [withFullChain(entry, loaded.store)];
    } else {
      // runmqakm -cert -export with no -label copies the whole store (an IHS script rebuilds a
      // .kdb this way, cli/RUNMQAKM.md §2.3): every entry, or none if any cannot go.
      exported = loaded.store.entries.map((e) => (e.kind === 'personal' ? withFullChain(e, loaded.store) : e));
      if (exported.length === 0) throw new KeyDeskError('not-found', `${loaded.path} holds nothing to export.`);
    }
    refuseTokenKeyExport(loaded, exported);
    // Into another store (new or existing), never into this one or its files.
    checkOutputTarget(request.target, 'the exported key', [loaded.path], this.io, { intoStore: true });
    if (existsSync(request.target)) {
      const result = await this.change({ path: request.target, password: request.targetPassword }, (s) => addExported(s, exported, request.label !== undefined));
      return { written: [request.target], notes: result.notes };
    }
    requirePassword(request.targetPassword, request.target);
    const target: KeyStore = request.targetFormat === 'cms' ? createEmptyCmsStore() : { format: request.targetFormat, entries: [], properties: {} };
    const notes = addExported(target, exported, request.label !== undefined);
    const saved = await this.locked(request.target, () => saveStore(request.target, target, request.targetPassword, { createOnly: true, io: this.io }));
    return { written: saved.written, notes: [...notes, ...saved.notes] };
  }

  async importEntries({ store, source, label, newLabel, isDefault }: { store: StoreRef; source: OpenStoreRequest; label?: string; newLabel?: string; isDefault?: boolean }): Promise<StoreChanged> {
    let from: LoadedStore;
    try {
      from = loadStore(source.path, source, { io: this.io });
    } catch (e) {
      // runmqakm -cert -import reads a store; a certificate file alone has no key to import.
      if (isKeyDeskError(e) && e.code === 'not-a-keystore' && holdsCertificates(source.path)) {
        throw new KeyDeskError(
          'usage',
          `${source.path} holds certificates but no private key: add them as signers with -cert -add, or give their key with -keyfile.`,
          undefined,
          `${source.path} holds certificates but no private key: add them with Add… (Signer Certificates), or choose a PKCS#12 file or key database that holds the key.`,
        );
      }
      throw e;
    }
    let chosen: ImportPlan;
    try {
      chosen = planImport(from.store, label, newLabel);
    } catch (e) {
      throw prefixed(source.path, e);
    }
    refuseTokenKeyExport(from, chosen.entries);
    return this.change(store, (s) => {
      const imported = importPlanned(s, from.store, chosen);
      if (!isDefault) return imported.notes;
      // runmqakm -default_cert yes marks one certificate; which of several is meant would be a guess.
      if (imported.personal.length !== 1) {
        throw new KeyDeskError(
          'usage',
          imported.personal.length === 0
            ? worded(`-default_cert yes: ${source.path} brings no personal certificate to make the default.`, `${source.path} brings no personal certificate to make the default.`)
            : worded(
                `-default_cert yes: ${source.path} brings ${imported.personal.length} personal certificates (${imported.personal.map((l) => `"${l}"`).join(', ')}); import the default one with -label, or mark it afterwards with -cert -setdefault.`,
                `${source.path} brings ${imported.personal.length} personal certificates (${imported.personal.map((l) => `"${l}"`).join(', ')}); import the default one by its label, or mark it afterwards with Set as Default….`,
              ),
        );
      }
      return [...imported.notes, ...setDefaultCertificate(s, imported.personal[0]!)];
    });
  }

  async importKeyPair(request: { store: StoreRef; label: string; certificateFile: string; keyFile: string; keyPassword?: string; isDefault?: boolean }): Promise<StoreChanged> {
    const { certificates } = readInputFile(request.certificateFile, (bytes) => readCertificates(bytes, request.certificateFile));
    const privateKey = readInputFile(request.keyFile, (bytes) => readPrivateKey(bytes, request.keyPassword));
    return this.change(request.store, (s) => {
      const notes = importKeyPair(s, request.label, certificates, privateKey);
      return request.isDefault ? [...notes, ...setDefaultCertificate(s, request.label)] : notes;
    });
  }

  async populateSigners({ store, fingerprints }: { store: StoreRef; fingerprints?: string[] }): Promise<StoreChanged> {
    return this.change(store, (s) => populateSigners(s, fingerprints));
  }

  async wellKnownCas({ store }: { store?: StoreRef }): Promise<{ cas: WellKnownCa[] }> {
    return { cas: wellKnownCas(store ? this.resolve(store).store : undefined) };
  }

  async setDefaultCertificate({ store, label }: { store: StoreRef; label: string }): Promise<StoreChanged> {
    return this.change(store, (s) => setDefaultCertificate(s, label));
  }

  async deleteStore(request: DeleteStoreRequest): Promise<StoreDeleted> {
    if (isTokenPath(request.path)) throw new KeyDeskError('unsupported', `${request.path}: KeyDesk does not delete a token; delete its entries, or re-initialize it with the vendor's tool (softhsm2-util --init-token).`);
    this.refuseIfReadOnly(request.path);
    return this.locked(request.path, () => {
      // As runmqakm asks for the password: only someone who can open the store deletes it.
      const loaded = loadStore(request.path, request, { locked: true, privateKeys: 'when-used', io: this.io });
      const removed = filesToDelete(request.path, loaded.store.format).filter((f) => loaded.snapshot[f] != null);
      const saved = commitChanges(request.path, removed.map((path) => ({ path, bytes: null })), [], { expected: loaded.snapshot, backup: request.backup, io: this.io });
      return { removed, notes: [...saved.notes, ...backupNotes(saved, { removedKeys: keyLabels(loaded.store) })] };
    });
  }

  async certificatePem({ store, label }: { store: StoreRef; label: string }): Promise<{ pem: string }> {
    const loaded = this.resolve(store);
    const entry = findEntry(loaded.store, label);
    if (!entry) throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${label}".`, 'label-not-found');
    const ders = entry.kind === 'personal' ? withFullChain(entry, loaded.store).chain : entry.kind === 'signer' ? [entry.certificate] : [];
    if (ders.length === 0) throw new KeyDeskError('unsupported', `${loaded.path}: "${entry.label}" holds no certificate.`);
    return { pem: ders.map((der) => encodePem('CERTIFICATE', der)).join('') };
  }

  async repairTransferDamage(request: RepairTransferDamageRequest): Promise<FilesWritten> {
    // Written only when the repaired bytes verify: see core/operations/repair-transfer-damage.ts.
    return repairTransferDamageFile(request, { io: this.io });
  }

  async listDirectory({ path }: { path?: string }): Promise<DirectoryListing> {
    const listing = listDirectory(path);
    this.lastFolder = listing.path;
    return listing;
  }

  async checkStore(request: CheckStoreRequest): Promise<DoctorReport> {
    const loaded = this.resolve(request.store);
    return checkLoadedStore(loaded, { mqName: request.mqName, certLabel: request.certLabel, cipherSpec: request.cipherSpec, days: request.days });
  }

  async sslPeerValue({ store, label }: { store: StoreRef; label: string }): Promise<SslPeerValue> {
    const loaded = this.resolve(store);
    const entry = findEntry(loaded.store, label);
    const der = entry?.kind === 'personal' ? entry.chain[0] : entry?.kind === 'signer' ? entry.certificate : undefined;
    if (!entry) throw new KeyDeskError('not-found', `${loaded.path}: no entry labelled "${label}".`, 'label-not-found');
    if (!der) throw new KeyDeskError('unsupported', `${loaded.path}: "${entry.label}" holds no certificate.`);
    try {
      return sslPeerValueFor(entry.label, der);
    } catch (e) {
      throw prefixed(loaded.path, e);
    }
  }

  async matchSslPeer({ store, filter }: { store: StoreRef; filter: string }): Promise<SslPeerMatches> {
    return matchSslPeer(this.resolve(store).store, filter);
  }

  async testHandshake(request: HandshakeRequest): Promise<HandshakeReport> {
    const server = this.resolve(request.server);
    const client = this.resolve(request.client);
    for (const [side, loaded, label] of [['server', server, request.serverLabel], ['client', client, request.clientLabel]] as const) {
      if (findEntry(loaded.store, label)?.token?.id) {
        // Node's TLS takes a private key as PEM; node 20's OpenSSL 3 gives tls no engine or
        // provider keys, so a key that never leaves the token cannot serve this lab.
        throw new KeyDeskError(
          'unsupported',
          `${loaded.path}: the ${side} key "${label}" is on the token, and the handshake lab (Node's TLS) can use only keys it can read; test it with openssl s_server -engine pkcs11 -keyform engine -key "pkcs11:token=…;object=${label};type=private" (the README shows how).`,
        );
      }
    }
    return runHandshakeLab(
      { path: server.path, store: server.store, label: request.serverLabel },
      { path: client.path, store: client.store, label: request.clientLabel },
      { cipherSpec: request.cipherSpec, clientAuth: request.clientAuth, reverse: request.reverse },
    );
  }

  async probeTlsEndpoint(request: TlsProbeRequest): Promise<TlsProbeReport> {
    const loaded = request.store ? this.resolve(request.store) : undefined;
    if (request.label !== undefined && !loaded) throw new KeyDeskError('usage', worded('a client certificate label needs the store that holds it (-db).', 'a client certificate needs the key store that holds it.'));
    return probeTlsEndpoint({
      host: request.host,
      port: request.port,
      sni: request.sni,
      cipherSpec: request.cipherSpec,
      ...(request.timeoutSeconds !== undefined ? { timeoutMs: request.timeoutSeconds * 1000 } : {}),
      ...(loaded ? { store: { path: loaded.path, store: loaded.store, label: request.label } } : {}),
    });
  }

  async exchangeSigners(request: ExchangeRequest): Promise<ExchangeResult> {
    const a = this.resolve(request.a);
    const b = this.resolve(request.b);
    if (resolvePath(a.path) === resolvePath(b.path)) throw new KeyDeskError('usage', `${a.path} is given for both sides; an exchange needs two key stores.`);
    // Both sides are read and checked before either store is written.
    const fromA = handoverOf('A', a.path, a.store, request.aLabel);
    const fromB = handoverOf('B', b.path, b.store, request.bLabel);
    const toB = await this.addHandoverTo(request.b, b, fromA.certificates);
    const toA = await this.addHandoverTo(request.a, a, fromB.certificates);
    return {
      steps: [...directionSteps(fromA, { side: 'B', path: b.path }, toB.added), ...directionSteps(fromB, { side: 'A', path: a.path }, toA.added), ...enableSteps(fromA, fromB, request.roles)],
      a: toA.changed,
      b: toB.changed,
    };
  }

  async compareStores({ a, b }: { a: StoreRef; b: StoreRef }): Promise<StoreComparison> {
    const left = this.resolve(a);
    const right = this.resolve(b);
    return compareStores(left.store, right.store, { a: left.path, b: right.path });
  }

  async storeReport(request: StoreReportRequest): Promise<StoreReport> {
    const loaded = this.resolve(request.store);
    const filter = request.filter ?? 'all';
    // Pending requests have their own list (-certreq -list), as in -cert -list.
    const entries = loaded.store.entries
      .filter((e) => e.kind !== 'request' && (filter === 'all' || (filter === 'personal' ? e.kind === 'personal' : e.kind === 'signer')))
      .map(summarizeEntry);
    const content =
      request.format === 'csv'
        ? entriesCsv(entries, new Date(), request.days ?? 30)
        : entriesHtml(entries, { path: loaded.path, format: loaded.store.format, filter, now: new Date(), days: request.days ?? 30 });
    const written: string[] = [];
    if (request.target) {
      checkOutputTarget(request.target, 'the report', [loaded.path], this.io);
      writeFileAtomic(request.target, new TextEncoder().encode(content), { mode: 0o644, io: this.io });
      written.push(request.target);
    }
    return { content, mediaType: request.format === 'csv' ? 'text/csv' : 'text/html', written };
  }

  async scanFolder(request: ScanFolderRequest): Promise<FleetScan & { written: string[] }> {
    if (!existsSync(request.path)) throw new KeyDeskError('file-not-found', `${request.path}: no such folder.`);
    if (!statSync(request.path).isDirectory()) throw new KeyDeskError('usage', `${request.path} is a file; give the folder to scan.`);
    const scan = scanFolder(request.path, { password: request.password, days: request.days });
    const written: string[] = [];
    if (request.htmlTarget) {
      checkOutputTarget(request.htmlTarget, 'the report', [], this.io);
      writeFileAtomic(request.htmlTarget, new TextEncoder().encode(fleetScanHtml(scan)), { mode: 0o644, io: this.io });
      written.push(request.htmlTarget);
    }
    return { ...scan, written };
  }

  async examineFile({ file, text, store }: ExamineRequest): Promise<ExaminedFile> {
    if ((file === undefined) === (text === undefined)) throw new KeyDeskError('usage', 'examine a file or pasted text, one of the two.');
    const held = store ? this.resolve(store).store : undefined;
    if (file !== undefined) return readInputFile(file, (bytes) => examineBytes(bytes, file, held));
    try {
      return examineBytes(pastedBytes(text!), undefined, held);
    } catch (e) {
      // The readers speak of "this file"; here there is none.
      throw prefixed('the pasted text', isKeyDeskError(e) ? new KeyDeskError(e.code, e.message.replace(/\bin this file\b/, 'in it'), e.reason) : e);
    }
  }

  /** Adds what the other side handed over; a store that already trusts it all is not rewritten. */
  private async addHandoverTo(ref: StoreRef, loaded: LoadedStore, certificates: Uint8Array[]): Promise<{ added: Added[]; changed: StoreChanged }> {
    if (missingFrom(loaded.store, certificates).length === 0) {
      const added = addHandover(structuredClone(loaded.store), certificates);
      return { added, changed: { entries: loaded.store.entries.map(summarizeEntry), properties: loaded.store.properties, notes: [] } };
    }
    let added: Added[] = [];
    const changed = await this.change(ref, (s) => {
      added = addHandover(s, certificates);
      return added.filter((a) => !a.present).map((a) => `added signer "${a.label}" (${a.subject}).`);
    });
    return { added, changed };
  }

  /**
   * Every change goes through here, holding the store's lock from reading to saving: a
   * store given by path is read under the lock (so two scripts that change it at once
   * both succeed, one after the other); one open in this session must be unchanged on
   * disk, every file of it, or the save is refused. The change is applied to a copy (a
   * refused change leaves the store as it was, on disk and in memory), saved at once, then
   * re-read so what the session holds is exactly what the files now say.
   */
  private async change(ref: StoreRef, apply: (store: KeyStore, token?: TokenConnection) => string[] | Promise<string[]>): Promise<StoreChanged> {
    this.refuseIfReadOnly(this.pathOf(ref));
    if (isTokenPath(this.pathOf(ref))) return this.changeOnToken(ref, apply);
    return this.locked(this.pathOf(ref), async () => {
      const held = 'storeId' in ref;
      const loaded = held ? this.loaded(ref.storeId) : loadStore(ref.path, ref, { locked: true, io: this.io });
      const keysBefore = keyLabels(loaded.store);
      let working: KeyStore;
      let notes: string[];
      try {
        // A store this session holds must stay as it was when the change is refused, so the
        // change is made on a copy (inside the try: copying decrypts any key a labels-only
        // open left for first use). One read for this call alone is dropped afterwards
        // either way, so it is changed in place: copying 10,000 entries, and with them the
        // 50 MB their records are views into, took longer than the change itself.
        working = held ? structuredClone(loaded.store) : loaded.store;
        notes = await apply(working);
      } catch (e) {
        throw prefixed(loaded.path, e);
      }
      const saved = saveStore(loaded.path, working, loaded.password, { expectedFiles: loaded.files, backup: ref.backup, dropDamaged: ref.dropDamaged, io: this.io });
      const reloaded = loadStore(loaded.path, { password: loaded.password }, { locked: true, io: this.io, saved });
      if (held) this.open.set(ref.storeId, reloaded);
      const removedKeys = keysBefore.filter((label) => !keyLabels(reloaded.store).includes(label));
      // A caller that asked for labels only (the CLI, which prints none of it) is not made
      // to wait for every certificate of the store to be described again.
      const summarize = held || ref.detail !== 'labels' ? summarizeEntry : labelOnly;
      return {
        entries: reloaded.store.entries.map(summarize),
        properties: reloaded.store.properties,
        notes: [...notes, ...saved.notes, ...backupNotes(saved, { removedKeys })],
      };
    });
  }

  /** A change to a token: made on the token at once, no file saved (core/api/token-stores.ts). */
  private async changeOnToken(ref: StoreRef, apply: (store: KeyStore, token?: TokenConnection) => string[] | Promise<string[]>): Promise<StoreChanged> {
    return this.locked(this.pathOf(ref), async () => {
      const loaded = 'storeId' in ref ? this.loaded(ref.storeId) : loadStore(ref.path, ref, { io: this.io });
      try {
        const changed = await changeTokenStore(loaded, apply, this.io);
        if ('storeId' in ref) this.open.set(ref.storeId, changed.loaded);
        const summarize = 'storeId' in ref || ref.detail !== 'labels' ? summarizeEntry : labelOnly;
        return { entries: changed.loaded.store.entries.map(summarize), properties: changed.loaded.store.properties, notes: changed.notes };
      } finally {
        if (!('storeId' in ref)) closeTokenStore(loaded);
      }
    });
  }

  /** Changes to one token run one after another, in this process (a token has no lock file). */
  private tokenQueue = new Map<string, Promise<unknown>>();

  private locked<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
    if (isTokenPath(path)) {
      const before = this.tokenQueue.get(path) ?? Promise.resolve();
      const run = before.catch(() => undefined).then(fn);
      this.tokenQueue.set(path, run);
      return run;
    }
    return withStoreLock(path, fn, this.io);
  }

  private pathOf(ref: StoreRef): string {
    return 'storeId' in ref ? this.loaded(ref.storeId).path : ref.path;
  }

  private resolve(ref: StoreRef): LoadedStore {
    return 'storeId' in ref ? this.loaded(ref.storeId) : loadStore(ref.path, ref, { io: this.io });
  }

  private loaded(storeId: string): LoadedStore {
    const loaded = this.open.get(storeId);
    if (!loaded) throw new KeyDeskError('not-found', 'that key store is no longer open; open it again.');
    return loaded;
  }
}

/**
 * The files -keydb -delete removes: a .kdb with its .rdb, .crl and .sth (GSKit's set); a
 * PKCS#12 or JKS file with the .rdb and .sth beside it, unless a .kdb of the same stem owns
 * those (store-files.ts, ownsRequestDatabase).
 */
function filesToDelete(path: string, format: KeyStore['format']): string[] {
  const stem = stemOf(path);
  if (format === 'cms') return [path, `${stem}.rdb`, `${stem}.crl`, `${stem}.sth`];
  return ownsRequestDatabase(path, format) ? [path, `${stem}.rdb`, `${stem}.sth`] : [path];
}

/** Labels of the entries that hold a private key. */
function keyLabels(store: KeyStore): string[] {
  return store.entries.filter((e) => e.kind === 'personal' || e.kind === 'request').map((e) => e.label);
}

/**
 * What a backup holds, said where it is: a .bak is a copy of secrets the store may no
 * longer have (a deleted key, the old password), kept only because the user asked.
 */
function backupNotes(saved: SaveResult, held: { oldPassword?: boolean; removedKeys?: string[] }): string[] {
  if (saved.backups.length === 0) {
    // Not made by this change, but now a copy of what it removed: say so once, here.
    const secretsLeft = held.oldPassword || (held.removedKeys?.length ?? 0) > 0;
    const earlier = secretsLeft ? [...saved.files.keys()].map((f) => `${f}.bak`).filter((f) => existsSync(f)) : [];
    return earlier.length === 0
      ? []
      : [`${earlier.join(', ')}, an earlier backup, ${earlier.length === 1 ? 'is' : 'are'} still beside the store and still hold${earlier.length === 1 ? 's' : ''} ${held.oldPassword ? 'the old password' : 'the key just deleted'}; delete ${earlier.length === 1 ? 'it' : 'them'} when no longer needed.`];
  }
  const what = [
    held.oldPassword ? 'under the old password' : '',
    held.removedKeys?.length ? `with the private key${held.removedKeys.length === 1 ? '' : 's'} of ${held.removedKeys.map((l) => `"${l}"`).join(', ')}, which the store no longer holds` : '',
  ].filter(Boolean);
  return [
    `backup kept (mode 0600): ${saved.backups.join(', ')} hold${saved.backups.length === 1 ? 's' : ''} the store as it was before this change${what.length ? `, ${what.join(' and ')}` : ''}; delete ${saved.backups.length === 1 ? 'it' : 'them'} when no longer needed.`,
  ];
}

/** For a store on a token: the signer of an entry's key there (the entry holds none). */
function keyOnTokenOf(loaded: LoadedStore): ((entry: PersonalEntry) => KeyHoldingSigner) | undefined {
  const hold = tokenHoldOf(loaded);
  if (!hold) return undefined;
  return (entry) => signerForKey(hold.connection, entry.token!.id!, { certificate: entry.chain[0] });
}

function requirePassword(password: string, path: string): void {
  if (password.length === 0) throw new KeyDeskError('usage', `${path}: an empty password is not allowed for a key store.`);
}

/** Certificates, keys and requests are small; this bounds memory for a wrong path. */
const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a file the user named as input (a certificate, a key), wording errors with it.
 * Only a regular file is read: a FIFO would hang, /dev/zero would never end. */
function readInputFile<T>(path: string, parse: (bytes: Uint8Array) => T): T {
  const bytes = readRegularFile(systemIo, path, 'certificate, key or request', MAX_INPUT_FILE_BYTES);
  if (!bytes) throw new KeyDeskError('file-not-found', `${path}: no such file.`);
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof KeyDeskError && (e.code === 'damaged' || e.code === 'usage' || e.code === 'unsupported')) throwIfTransferDamaged(path, bytes);
    throw prefixed(path, e);
  }
}

/** A personal entry with the chain its store can build, for a store that keeps chains. */
function withFullChain(entry: PersonalEntry, store: KeyStore): PersonalEntry {
  const [leaf, ...carried] = entry.chain;
  if (!leaf) return entry;
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  return { kind: 'personal', label: entry.label, privateKey: entry.privateKey, chain: buildChain(leaf, [...carried, ...signers]).chain };
}

/** The file parses as certificates (PEM, DER, PKCS#7). */
function holdsCertificates(path: string): boolean {
  try {
    return readInputFile(path, (bytes) => readCertificates(bytes, path)).certificates.length > 0;
  } catch {
    return false;
  }
}

/** -cert -export into `target`: the one entry as before, or every entry of a store; a
 * certificate already there is skipped, a label taken by another is refused. */
function addExported(target: KeyStore, entries: Entry[], single: boolean): string[] {
  const refused = entries.filter((e) => !canHold(target.format, e));
  if (refused.length > 0) throw new KeyDeskError('unsupported', `${target.format.toUpperCase()} cannot hold ${refused.map((e) => `${describeKind(e)} "${e.label}"`).join(', ')}; nothing was exported.`);
  const notes: string[] = [];
  for (const entry of entries) {
    const certificate = entry.kind === 'personal' ? entry.chain[0] : entry.kind === 'signer' ? entry.certificate : undefined;
    const held = !single && certificate ? labelHolding(target, certificate) : undefined;
    if (held) {
      notes.push(`skipped "${entry.label}": its certificate is already there as "${held}".`);
      continue;
    }
    notes.push(...checkNewLabel(target, entry.label));
    // Records of the source format mean nothing to another writer.
    target.entries.push(entry.source && entry.source.format !== target.format ? ({ ...entry, source: undefined } as Entry) : entry);
  }
  return notes;
}

/** What -cert -import takes from the source, and the entry -new_label renames. */
interface ImportPlan {
  entries: (PersonalEntry | SignerEntry)[];
  renamed?: { entry: PersonalEntry | SignerEntry; label: string };
}

/**
 * runmqakm -cert -import: with -label, that entry; without, every personal certificate and
 * signer of the source (a PKCS#12 from openssl or Go holds a key, its certificate and its
 * CA certificates). -new_label renames the entry -label names, or without -label the one
 * personal certificate; with several it is refused naming them, since which is meant
 * would be a guess.
 */
function planImport(source: KeyStore, label: string | undefined, newLabel: string | undefined): ImportPlan {
  let entries = source.entries.filter((e): e is PersonalEntry | SignerEntry => e.kind === 'personal' || e.kind === 'signer');
  if (label !== undefined) {
    const entry = findEntry(source, label);
    if (!entry) throw new KeyDeskError('not-found', `no entry labelled "${label}".`, 'label-not-found');
    if (entry.kind !== 'personal' && entry.kind !== 'signer') throw new KeyDeskError('unsupported', worded(`"${entry.label}" is a ${describeKind(entry)}; -cert -import takes certificates, with their keys or without.`, `"${entry.label}" is a ${describeKind(entry)}; Import… takes certificates, with their keys or without.`));
    entries = [entry];
  }
  if (entries.length === 0) throw new KeyDeskError('not-found', 'holds no certificate to import.');
  if (newLabel === undefined) return { entries };
  const personal = entries.filter((e) => e.kind === 'personal');
  const renamed = label !== undefined || entries.length === 1 ? entries[0] : personal.length === 1 ? personal[0] : undefined;
  if (!renamed) {
    throw new KeyDeskError(
      'usage',
      personal.length > 1
        ? worded(
            `holds ${personal.length} personal certificates (${personal.map((p) => `"${p.label}"`).join(', ')}): name the one to import as "${newLabel}" with -label.`,
            `holds ${personal.length} personal certificates (${personal.map((p) => `"${p.label}"`).join(', ')}): give the label of the one to import as "${newLabel}".`,
          )
        : worded(
            `holds ${entries.length} certificates and no personal certificate: name the one to import as "${newLabel}" with -label.`,
            `holds ${entries.length} certificates and no personal certificate: give the label of the one to import as "${newLabel}".`,
          ),
    );
  }
  return { entries, renamed: { entry: renamed, label: newLabel } };
}

/** Adds what planImport chose. Personal certificates first, under the labels scripts name
 * next (-setdefault, CERTLABL); their CA certificates become signers (the chain a CMS
 * database or a queue manager builds from), under the source's label for them or their
 * subject CN, never one a personal certificate takes: GSKit applies -new_label to every
 * certificate of the file and then fails on the CA (CTGSK2021W, cli/RUNMQAKM.md §2.3). */
function importPlanned(target: KeyStore, source: KeyStore, plan: ImportPlan): { notes: string[]; personal: string[] } {
  const labelOf = (e: PersonalEntry | SignerEntry) => (plan.renamed?.entry === e ? plan.renamed.label : e.label);
  const personal = plan.entries.filter((e): e is PersonalEntry => e.kind === 'personal');
  const reserved = personal.map(labelOf);
  const taken = () => [...target.entries.map((e) => e.label), ...reserved];
  const sourceLabel = (der: Uint8Array) => labelHolding(source, der);
  const notes: string[] = [];
  for (const entry of personal) {
    const full = withFullChain(entry, source);
    const label = labelOf(entry);
    const held = labelHolding(target, full.chain[0]!);
    if (held) throw new KeyDeskError('conflict', `the certificate of "${entry.label}" is already in the store, labelled "${held}".`, 'duplicate-certificate');
    notes.push(...checkNewLabel(target, label));
    target.entries.push({ ...full, label });
    notes.push(`imported "${label}" with its private key${label !== entry.label ? ` ("${entry.label}" in the source)` : ''}.`);
    for (const ca of full.chain.slice(1)) {
      if (labelHolding(target, ca) !== undefined) continue;
      const caLabel = uniqueLabel(sourceLabel(ca) ?? labelFromSubject(ca), taken());
      target.entries.push({ kind: 'signer', label: caLabel, certificate: ca });
      notes.push(`added signer "${caLabel}" from the certificate chain of "${label}".`);
    }
  }
  for (const entry of plan.entries) {
    if (entry.kind !== 'signer') continue;
    const held = labelHolding(target, entry.certificate);
    if (held) {
      if (plan.entries.length === 1) throw new KeyDeskError('conflict', `this certificate is already in the store, labelled "${held}".`, 'duplicate-certificate');
      if (!notes.some((n) => n.includes(`"${held}"`))) notes.push(`skipped "${entry.label}": already in the store as "${held}".`);
      continue;
    }
    const renamed = plan.renamed?.entry === entry;
    const label = renamed ? labelOf(entry) : uniqueLabel(entry.label, taken());
    if (renamed) notes.push(...checkNewLabel(target, label));
    target.entries.push({ kind: 'signer', label, certificate: entry.certificate, ...(entry.trusted === false ? { trusted: false } : {}) });
    notes.push(`added signer "${label}".`);
  }
  return { notes, personal: reserved };
}

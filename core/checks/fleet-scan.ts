/**
 * Fleet scan: every key store under a folder, opened with its stash (or one password
 * given for all), checked by the doctor, with the certificates that expire soon. Stores
 * that do not open are listed with the reason, never skipped silently. Reads only.
 *
 * Candidates are files with a key-store extension (.kdb, .p12, .pfx, .jks, .jceks, .ks,
 * .keystore, .truststore); backups (.bak) and GSKit's side files (.rdb, .crl, .sth) are
 * not stores. Symbolic links to folders are not followed, so a link loop cannot hang it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { Credentials } from '../api/contract';
import { loadStore, stashPathFor, type LoadedStore } from '../api/store-files';
import { summarizeEntry } from '../api/entry-view';
import { isKeyDeskError } from '../errors';
import type { StoreFormat } from '../model/key-store';
import { DEFAULT_EXPIRY_DAYS } from './doctor';
import type { Finding } from './findings';
import { checkLoadedStore } from './store-check';

const STORE_EXTENSIONS = new Set(['.kdb', '.p12', '.pfx', '.jks', '.jceks', '.ks', '.keystore', '.truststore']);
const MAX_DEPTH = 16;
const DAY_MS = 86_400_000;

export interface Expiry {
  label: string;
  kind: 'personal' | 'signer';
  subject: string;
  notAfter: string;
  notBefore: string;
  /** Negative once expired. */
  daysLeft: number;
}

export interface ScannedStore {
  path: string;
  /** Relative to the folder scanned, for reports. */
  name: string;
  opened: boolean;
  format?: StoreFormat;
  opensWith?: 'stash' | 'password';
  /** Why it did not open. */
  reason?: string;
  /** The same for the window, where it differs (the CLI's names a flag such as -stashed). */
  guiReason?: string;
  entries?: number;
  findings: Finding[];
  /** Certificates expired or expiring within the threshold, soonest first. */
  expiries: Expiry[];
}

export interface FleetScan {
  folder: string;
  days: number;
  scannedAt: string;
  stores: ScannedStore[];
  totals: { stores: number; opened: number; notOpened: number; errors: number; warnings: number; expired: number; expiringSoon: number };
}

export interface ScanOptions {
  /** Tried on stores without a stash, and where the stash does not open the store. */
  password?: string;
  days?: number;
  now?: Date;
}

function candidates(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path, depth + 1);
      else if ((e.isFile() || e.isSymbolicLink()) && STORE_EXTENSIONS.has(extname(e.name).toLowerCase())) found.push(path);
    }
  };
  walk(folder, 0);
  return found;
}

function reasonOf(e: unknown): string {
  return isKeyDeskError(e) ? e.message : `cannot be read (${(e as Error)?.message ?? String(e)})`;
}

function guiReasonOf(e: unknown): string {
  return isKeyDeskError(e) && e.gui ? e.gui : reasonOf(e);
}

/** The stash first (it is what MQ uses), then the password given. */
function open(path: string, password: string | undefined): { loaded: LoadedStore; opensWith: 'stash' | 'password' } | { reason: string; guiReason: string } {
  const attempts: [Credentials, 'stash' | 'password'][] = [];
  if (existsSync(stashPathFor(path))) attempts.push([{ stashed: true }, 'stash']);
  if (password !== undefined) attempts.push([{ password }, 'password']);
  if (attempts.length === 0) {
    const none = `no stash file beside it (${stashPathFor(path)}) and no password given.`;
    return { reason: none, guiReason: none };
  }
  const reasons: string[] = [];
  const guiReasons: string[] = [];
  for (const [credentials, opensWith] of attempts) {
    try {
      return { loaded: loadStore(path, credentials), opensWith };
    } catch (e) {
      reasons.push(reasonOf(e));
      guiReasons.push(guiReasonOf(e));
      // A file that is no store at all fails the same way with any password.
      if (isKeyDeskError(e) && (e.code === 'not-a-keystore' || e.code === 'damaged')) break;
    }
  }
  return { reason: reasons.join(' Then: '), guiReason: guiReasons.join(' Then: ') };
}

function expiriesOf(loaded: LoadedStore, now: Date, days: number): Expiry[] {
  const soon = now.getTime() + days * DAY_MS;
  return loaded.store.entries
    .filter((e) => e.kind === 'personal' || e.kind === 'signer')
    .map(summarizeEntry)
    .filter((s) => s.notAfter !== undefined && s.notBefore !== undefined && s.subject !== undefined && Date.parse(s.notAfter) < soon)
    .map((s) => ({
      label: s.label,
      kind: s.kind as 'personal' | 'signer',
      subject: s.subject!,
      notBefore: s.notBefore!,
      notAfter: s.notAfter!,
      daysLeft: Math.floor((Date.parse(s.notAfter!) - now.getTime()) / DAY_MS),
    }))
    .sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter));
}

export function scanFolder(folder: string, options: ScanOptions = {}): FleetScan {
  const now = options.now ?? new Date();
  const days = options.days ?? DEFAULT_EXPIRY_DAYS;
  const stores = candidates(folder).map((path): ScannedStore => {
    const name = relative(folder, path) || path;
    const opened = open(path, options.password);
    if ('reason' in opened) {
      return { path, name, opened: false, reason: opened.reason, ...(opened.guiReason !== opened.reason ? { guiReason: opened.guiReason } : {}), findings: [], expiries: [] };
    }
    const { loaded, opensWith } = opened;
    return {
      path,
      name,
      opened: true,
      format: loaded.store.format,
      opensWith,
      entries: loaded.store.entries.length,
      findings: checkLoadedStore(loaded, { days, now }).findings,
      expiries: expiriesOf(loaded, now, days),
    };
  });
  const all = stores.flatMap((s) => s.findings);
  const expiries = stores.flatMap((s) => s.expiries);
  return {
    folder,
    days,
    scannedAt: now.toISOString(),
    stores,
    totals: {
      stores: stores.length,
      opened: stores.filter((s) => s.opened).length,
      notOpened: stores.filter((s) => !s.opened).length,
      errors: all.filter((f) => f.severity === 'error').length,
      warnings: all.filter((f) => f.severity === 'warning').length,
      expired: expiries.filter((e) => e.daysLeft < 0).length,
      expiringSoon: expiries.filter((e) => e.daysLeft >= 0).length,
    },
  };
}

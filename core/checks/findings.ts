/**
 * What the doctor reports: one finding per problem, with a stable code a script or the
 * UI can act on, and — where KeyDesk can do it — a fix that maps onto an operation the
 * contract already has (renameEntry, deleteEntry, stashPassword, addCertificate,
 * setSignerTrust).
 */

export type FindingCode =
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'EXPIRING_SOON'
  | 'WEAK_SIGNATURE'
  | 'WEAK_KEY'
  | 'DUPLICATE_ISSUER_SERIAL'
  | 'MISSING_ISSUER'
  | 'UNTRUSTED_ROOT'
  | 'SIGNER_NOT_TRUSTED'
  | 'MQ_LABEL_MISSING'
  | 'MQ_LABEL_CASE'
  | 'PUBLIC_CA_TRUSTED'
  | 'STASH_MISSING'
  | 'STASH_MISMATCH'
  | 'CIPHERSPEC_KEY_MISMATCH'
  | 'CIPHERSPEC_UNKNOWN'
  | 'CIPHERSPEC_DEPRECATED'
  | 'KEY_USAGE'
  | 'BACKUP_COPIES';

/** error: a channel using this store will fail (or MQ will not start TLS). warning: it
 * works today but is risky or will fail soon. info: worth knowing, nothing to do. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A suggestion the UI can offer as a button. Each maps onto one existing operation:
 * rename → renameEntry; delete → deleteEntry per label; stash → stashPassword (the
 * password the store was opened with); add-issuer → addCertificate with a file the user
 * picks, which must hold the certificate whose subject is `issuerDn`; enable-trust →
 * setSignerTrust on.
 */
export type FindingFix =
  | { action: 'rename'; label: string; newLabel: string }
  | { action: 'delete'; labels: string[] }
  | { action: 'stash' }
  | { action: 'add-issuer'; label: string; issuerDn: string }
  | { action: 'enable-trust'; label: string };

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The entry the finding is about, when it is about one. */
  label?: string;
  /** One plain sentence: what is wrong, what MQ will do about it (AMQ code), what to do. */
  message: string;
  fix?: FindingFix;
}

export interface DoctorReport {
  findings: Finding[];
  /** The label MQ will look for, when the queue manager name or CERTLABL is known. */
  mqLabel?: string;
  /** Set when the queue manager name was taken from the store's path (qmgrs/NAME/ssl). */
  mqNameFromPath?: string;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then information; stable within each. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.map((f, i) => ({ f, i })).sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i).map(({ f }) => f);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/**
 * The MQ doctor: what is wrong with a key store, before a channel fails on it. Pure: it
 * looks at a KeyStore and what the caller found out about the stash; store-check.ts
 * gathers that from the disk. Every rule names the AMQ message the operator would
 * otherwise meet, so a finding can be matched to a queue manager's error log.
 */
import type { KeyStore, PersonalEntry, SignerEntry, StoreFormat } from '../model/key-store';
import { describedCertificate, type CertificateDetails } from '../x509/certificate-details';
import { describeStatus, isAlias, keyFits, lookupCipherSpec, type CipherSpec } from './cipher-specs';
import { sortFindings, type DoctorReport, type Finding } from './findings';
import { isPublicRoot } from './public-roots';
import { IssuerIndex, sameIdentity } from './trust-path';
import { withArticle } from './handshake-analysis';
import { worded } from '../wording';
import { keyWeakness, selfSignatureNote, signatureWeakness } from './entry-status';

export interface DoctorOptions {
  /** Queue manager name: MQ looks for `ibmwebspheremq` + the name in lower case. */
  mqName?: string;
  /** The queue manager's (or channel's) CERTLABL, which wins over the default label. */
  certLabel?: string;
  /** The channel's SSLCIPH. */
  cipherSpec?: string;
  /** EXPIRING_SOON threshold (default 30). */
  days?: number;
  now?: Date;
}

/** What the caller found beside a CMS store; the doctor itself never reads files. */
export type StashState =
  | { state: 'absent'; path: string }
  | { state: 'matches'; path: string }
  | { state: 'other-password'; path: string }
  | { state: 'unreadable'; path: string; reason: string };

export interface DoctorInput extends DoctorOptions {
  store: KeyStore;
  /** CMS only; undefined for formats MQ reads without a stash. */
  stash?: StashState;
  mqNameFromPath?: string;
}

export const DEFAULT_EXPIRY_DAYS = 30;
const DAY_MS = 86_400_000;

/** One certificate as the doctor sees it: whose it is and what role it plays. */
interface Examined {
  label: string;
  kind: 'personal' | 'signer';
  der: Uint8Array;
  details: CertificateDetails;
  /** True for a chain link a personal entry carries (PKCS#12, JKS), not an entry itself. */
  carried: boolean;
}

function examine(label: string, kind: 'personal' | 'signer', der: Uint8Array, carried: boolean): Examined | undefined {
  try {
    return { label, kind, der, details: describedCertificate(der), carried };
  } catch {
    // An unreadable certificate is already named in every listing; the doctor checks the rest.
    return undefined;
  }
}

const sha256Of = (e: Examined) => e.details.sha256;
const dateText = (iso: string) => iso.slice(0, 10);

export function diagnoseStore(input: DoctorInput): DoctorReport {
  const now = input.now ?? new Date();
  const days = input.days ?? DEFAULT_EXPIRY_DAYS;
  const { store } = input;
  const findings: Finding[] = [];
  const personals = store.entries.filter((e): e is PersonalEntry => e.kind === 'personal' && e.chain.length > 0);
  const signerEntries = store.entries.filter((e): e is SignerEntry => e.kind === 'signer');
  const signerDers = signerEntries.map((s) => s.certificate);

  const own: Examined[] = [
    ...personals.map((p) => examine(p.label, 'personal', p.chain[0]!, false)),
    ...signerEntries.map((s) => examine(s.label, 'signer', s.certificate, false)),
  ].filter((e): e is Examined => e !== undefined);
  const signerHashes = new Set(own.filter((e) => e.kind === 'signer').map(sha256Of));

  // The chains personal certificates will be sent with: any certificate on them matters
  // as much as the personal certificate itself.
  const index = new IssuerIndex(signerDers);
  const chains = new Map<string, Uint8Array[]>();
  const onAChain = new Set<string>();
  const carried: Examined[] = [];
  for (const p of personals) {
    // The store's signers first: GSKit completes a chain from the signer list.
    const built = index.chain(p.chain[0]!, p.chain.slice(1));
    chains.set(p.label, built.chain);
    for (const der of built.chain.slice(1)) {
      const link = examine(p.label, 'personal', der, true);
      if (!link) continue;
      onAChain.add(link.details.sha256);
      if (!signerHashes.has(link.details.sha256) && !carried.some((c) => c.details.sha256 === link.details.sha256)) carried.push(link);
    }
  }
  const matters = (e: Examined) => e.kind === 'personal' || onAChain.has(e.details.sha256);

  for (const e of [...own, ...carried]) {
    findings.push(...validityFindings(e, now, days, matters(e)));
    findings.push(...strengthFindings(e, matters(e)));
  }
  findings.push(...duplicateFindings([...own, ...carried]));
  findings.push(...chainFindings(store.format, personals, chains, signerDers));
  findings.push(...signerChainFindings(own.filter((e) => e.kind === 'signer'), index));

  const mqLabel = input.certLabel ?? (input.mqName ? `ibmwebspheremq${input.mqName.toLowerCase()}` : undefined);
  findings.push(...labelFindings(store, mqLabel, input.certLabel !== undefined));
  findings.push(...publicRootFindings(own.filter((e) => e.kind === 'signer'), onAChain));
  findings.push(...disabledTrustFindings(signerEntries, own, onAChain));
  if (store.format === 'cms' && input.stash) findings.push(...stashFindings(input.stash));

  // The certificate MQ will use: the MQ label's (whatever its case: a wrong case is its own
  // finding), else every personal one, since any may be it.
  const personalCerts = own.filter((e) => e.kind === 'personal');
  const labelled = mqLabel === undefined ? [] : personalCerts.filter((e) => e.label.toLowerCase() === mqLabel.toLowerCase());
  const mqPersonal = labelled.length > 0 ? labelled : personalCerts;
  const forQueueManager = mqLabel !== undefined;
  let spec: CipherSpec | undefined;
  if (input.cipherSpec !== undefined) {
    const found = cipherSpecFindings(input.cipherSpec, mqPersonal);
    findings.push(...found.findings);
    spec = found.spec;
  }
  for (const e of personalCerts) findings.push(...leafUsageFindings(e, spec, forQueueManager && e.label === mqLabel));
  for (const p of personals) findings.push(...issuerUsageFindings(p.label, chains.get(p.label) ?? []));

  const report: DoctorReport = { findings: sortFindings(dedupe(findings)) };
  if (mqLabel !== undefined) report.mqLabel = mqLabel;
  if (input.mqNameFromPath !== undefined) report.mqNameFromPath = input.mqNameFromPath;
  return report;
}

/** A certificate shared by several entries (a CA in two chains) is reported once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.label ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function who(e: Examined): string {
  if (e.carried) return `the certificate ${e.details.subject} in the chain of "${e.label}"`;
  return `${e.kind === 'personal' ? 'the personal certificate' : 'the signer certificate'} "${e.label}" (${e.details.subject})`;
}

function validityFindings(e: Examined, now: Date, days: number, matters: boolean): Finding[] {
  const notAfter = Date.parse(e.details.notAfter);
  const notBefore = Date.parse(e.details.notBefore);
  const consequence = e.kind === 'personal' ? 'channels using it fail (AMQ9633 at the partner)' : 'certificates it issued are refused (AMQ9633)';
  if (notAfter < now.getTime()) {
    return [{ code: 'EXPIRED', severity: matters ? 'error' : 'warning', label: e.label, message: `${who(e)} expired on ${dateText(e.details.notAfter)}: ${consequence}. Renew it, or delete it if nothing needs it.` }];
  }
  if (notBefore > now.getTime()) {
    return [{ code: 'NOT_YET_VALID', severity: matters ? 'error' : 'warning', label: e.label, message: `${who(e)} is not valid before ${dateText(e.details.notBefore)}: until then ${consequence}. Check the issuer's clock, or wait.` }];
  }
  const left = Math.floor((notAfter - now.getTime()) / DAY_MS);
  if (left < days) {
    return [{ code: 'EXPIRING_SOON', severity: matters ? 'warning' : 'info', label: e.label, message: `${who(e)} expires on ${dateText(e.details.notAfter)}, in ${left} day${left === 1 ? '' : 's'}: renew it before then.` }];
  }
  return [];
}

function strengthFindings(e: Examined, matters: boolean): Finding[] {
  const findings: Finding[] = [];
  const signature = signatureWeakness(e.details);
  if (signature) {
    const severity = signature.anchor ? 'info' : signature.refused ? 'error' : 'warning';
    const note = selfSignatureNote(e.details);
    findings.push({
      code: 'WEAK_SIGNATURE',
      severity,
      label: e.label,
      message: `${who(e)} is signed with ${e.details.signatureAlgorithm}${note ? ` (${note})` : ''}: ${signature.why}. ${signature.anchor ? 'Replace it with the CA\'s SHA-256 root when partners no longer need this one.' : 'Ask the issuer for a SHA-256 certificate.'}`,
    });
  }
  const key = keyWeakness(e.details);
  if (key) {
    findings.push({
      code: 'WEAK_KEY',
      severity: matters ? 'error' : 'warning',
      label: e.label,
      message: worded(
        `${who(e)} has ${withArticle(key)} key: below 2048-bit RSA or 256-bit EC, current TLS stacks refuse it. Create a new key (-size 2048 or more, or EC 256).`,
        `${who(e)} has ${withArticle(key)} key: below 2048-bit RSA or 256-bit EC, current TLS stacks refuse it. Create a new key (RSA 2048 or more, or EC 256).`,
      ),
    });
  }
  return findings;
}

function duplicateFindings(all: Examined[]): Finding[] {
  const groups = new Map<string, Examined[]>();
  for (const e of all) {
    const key = `${e.details.issuer}|${e.details.serial}`;
    const group = groups.get(key) ?? [];
    if (!group.some((g) => g.details.sha256 === e.details.sha256)) group.push(e);
    groups.set(key, group);
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Keep the one valid longest; the others are the candidates to delete (entries only:
    // a chain link goes with its personal entry).
    const keep = [...group].sort((a, b) => Date.parse(b.details.notAfter) - Date.parse(a.details.notAfter))[0]!;
    const labels = group.filter((g) => g !== keep && !g.carried).map((g) => g.label);
    const first = group[0]!;
    findings.push({
      code: 'DUPLICATE_ISSUER_SERIAL',
      severity: 'error',
      label: first.label,
      message: `${group.map((g) => `"${g.label}"`).join(' and ')} are different certificates with the same issuer (${first.details.issuer}) and serial number (${first.details.serial}): GSKit and other TLS stacks may pick the wrong one. Keep one.`,
      ...(labels.length > 0 ? { fix: { action: 'delete' as const, labels } } : {}),
    });
  }
  return findings;
}

function chainFindings(format: StoreFormat, personals: PersonalEntry[], chains: Map<string, Uint8Array[]>, signerDers: Uint8Array[]): Finding[] {
  const findings: Finding[] = [];
  for (const p of personals) {
    const chain = chains.get(p.label) ?? [];
    const last = chain[chain.length - 1];
    if (!last) continue;
    let lastDetails: CertificateDetails;
    try {
      lastDetails = describedCertificate(last);
    } catch {
      continue;
    }
    if (!lastDetails.selfSigned) {
      findings.push({
        code: 'MISSING_ISSUER',
        severity: 'error',
        label: p.label,
        message: `the chain of "${p.label}" stops at ${lastDetails.subject}: its issuer ${lastDetails.issuer} is not a signer certificate in this store, so MQ cannot send a complete chain and partners refuse it (AMQ9633). Add the issuer's certificate as a signer.`,
        fix: { action: 'add-issuer', label: p.label, issuerDn: lastDetails.issuer },
      });
      continue;
    }
    // A self-signed personal certificate is its own root; no signer is needed for it.
    if (chain.length > 1 && !signerDers.some((s) => sameIdentity(s, last))) {
      findings.push({
        code: 'UNTRUSTED_ROOT',
        // MQ's GSKit reads CA certificates only from the signer list; a Java client may
        // keep them in a separate trust store, so there it is only a warning.
        severity: format === 'cms' || format === 'pkcs12' ? 'error' : 'warning',
        label: p.label,
        message: `the root of "${p.label}", ${lastDetails.subject}, came with the certificate but is not a signer certificate of this store: GSKit will not complete the chain (AMQ9633)${format === 'cms' || format === 'pkcs12' ? '' : ' unless the application uses a separate trust store that holds it'}. Add the root as a signer.`,
        fix: { action: 'add-issuer', label: p.label, issuerDn: lastDetails.subject },
      });
    }
  }
  return findings;
}

/** CA certificates added without their own issuer: partners' certificates issued under
 * them cannot be verified up to a root. */
function signerChainFindings(signers: Examined[], index: IssuerIndex): Finding[] {
  return signers.flatMap((s): Finding[] => {
    if (s.details.selfSigned) return [];
    const built = index.chain(s.der);
    if (built.complete) return [];
    const last = describedCertificate(built.chain[built.chain.length - 1]!);
    return [
      {
        code: 'MISSING_ISSUER',
        severity: 'warning',
        label: s.label,
        message: `the signer "${s.label}" (${s.details.subject}) cannot be traced to a root: ${last.issuer} is not in the store, so a partner certificate issued under it is refused (AMQ9633). Add that CA certificate as a signer.`,
        fix: { action: 'add-issuer', label: s.label, issuerDn: last.issuer },
      },
    ];
  });
}

function labelFindings(store: KeyStore, mqLabel: string | undefined, fromCertLabel: boolean): Finding[] {
  const personalLabels = store.entries.filter((e) => e.kind === 'personal').map((e) => e.label);
  if (mqLabel === undefined) {
    // Without the queue manager's name, only the default-label convention can be checked.
    return personalLabels
      .filter((l) => /^ibmwebspheremq/i.test(l) && l !== l.toLowerCase())
      .map((l) => ({
        code: 'MQ_LABEL_CASE' as const,
        severity: 'error' as const,
        label: l,
        message: `"${l}" has capitals: IBM MQ looks for ibmwebspheremq followed by the queue manager or user name in lower case, exactly (AMQ9637). Rename it to "${l.toLowerCase()}".`,
        fix: { action: 'rename' as const, label: l, newLabel: l.toLowerCase() },
      }));
  }
  const source = fromCertLabel ? 'CERTLABL' : 'the default label for this queue manager';
  const exact = store.entries.find((e) => e.label === mqLabel);
  if (exact?.kind === 'personal') return [];
  if (exact) {
    const what = exact.kind === 'request' ? 'is still a pending request: receive the signed certificate for it' : `is a ${exact.kind} entry without a personal certificate`;
    return [{ code: 'MQ_LABEL_MISSING', severity: 'error', label: mqLabel, message: `"${mqLabel}" (${source}) ${what}; until then MQ has no certificate to present (AMQ9637).` }];
  }
  const otherCase = store.entries.find((e) => e.kind === 'personal' && e.label.toLowerCase() === mqLabel.toLowerCase());
  if (otherCase) {
    return [
      {
        code: 'MQ_LABEL_CASE',
        severity: 'error',
        label: otherCase.label,
        message: `the personal certificate is labelled "${otherCase.label}" but MQ looks for "${mqLabel}" (${source}) and labels are case-sensitive (AMQ9637). Rename it.`,
        fix: { action: 'rename', label: otherCase.label, newLabel: mqLabel },
      },
    ];
  }
  const only = personalLabels.length === 1 ? personalLabels[0] : undefined;
  return [
    {
      code: 'MQ_LABEL_MISSING',
      severity: 'error',
      label: mqLabel,
      message: `no personal certificate is labelled "${mqLabel}" (${source}): MQ has no certificate to present and TLS channels fail (AMQ9637).${only ? ` Rename "${only}" to it if that is the queue manager's certificate.` : personalLabels.length === 0 ? ' The store has no personal certificate at all: create a request and receive the signed certificate.' : ` Rename the right one of ${personalLabels.map((l) => `"${l}"`).join(', ')} to it.`}`,
      ...(only ? { fix: { action: 'rename' as const, label: only, newLabel: mqLabel } } : {}),
    },
  ];
}

function publicRootFindings(signers: Examined[], onAChain: Set<string>): Finding[] {
  const publicOnes = signers.filter((s) => isPublicRoot(s.der));
  // A public root the store's own certificate chains to is needed to send that chain.
  const removable = publicOnes.filter((s) => !onAChain.has(s.details.sha256));
  if (removable.length === 0) return [];
  const sample = removable.slice(0, 3).map((s) => `"${s.label}"`).join(', ');
  const kept = publicOnes.length - removable.length;
  return [
    {
      code: 'PUBLIC_CA_TRUSTED',
      severity: 'warning',
      message: `${removable.length} well-known public CA certificate${removable.length === 1 ? ' is' : 's are'} trusted (${sample}${removable.length > 3 ? ', …' : ''}): this store accepts any certificate those CAs ever issued unless SSLPEER or CHLAUTH narrows it down. Remove the ones MQ does not need${kept > 0 ? ` (${kept} more ${kept === 1 ? 'is' : 'are'} kept: the store's own certificates chain to ${kept === 1 ? 'it' : 'them'})` : ''}.`,
      fix: { action: 'delete', labels: removable.map((s) => s.label) },
    },
  ];
}

/** Signers kept with their trust disabled (CMS): partners whose chains end there fail. */
function disabledTrustFindings(signers: SignerEntry[], own: Examined[], onAChain: Set<string>): Finding[] {
  return signers
    .filter((s) => s.trusted === false)
    .map((s) => {
      const examined = own.find((e) => e.kind === 'signer' && e.label === s.label);
      const needed = examined !== undefined && onAChain.has(examined.details.sha256);
      const subject = examined ? ` (${examined.details.subject})` : '';
      return {
        code: 'SIGNER_NOT_TRUSTED' as const,
        severity: needed ? ('warning' as const) : ('info' as const),
        label: s.label,
        message: `the signer "${s.label}"${subject} is kept but its trust is disabled: a partner whose certificate chains to it is refused (AMQ9633)${needed ? ', and this store\'s own certificates chain to it' : ''}. Enable its trust if partners need it, or delete it if nothing does.`,
        fix: { action: 'enable-trust' as const, label: s.label },
      };
    });
}

function stashFindings(stash: StashState): Finding[] {
  switch (stash.state) {
    case 'matches':
      return [];
    case 'absent':
      return [{ code: 'STASH_MISSING', severity: 'error', message: `there is no stash file (${stash.path}): a queue manager cannot open this key repository unattended (AMQ9660, MQRC 2381). Create it.`, fix: { action: 'stash' } }];
    case 'other-password':
      return [{ code: 'STASH_MISMATCH', severity: 'error', message: `${stash.path} holds another password than the store's: MQ cannot open the key repository (AMQ9660). Recreate the stash.`, fix: { action: 'stash' } }];
    case 'unreadable':
      return [{ code: 'STASH_MISMATCH', severity: 'error', message: `${stash.path} cannot be used: ${stash.reason} (AMQ9660). Recreate the stash.`, fix: { action: 'stash' } }];
  }
}

function cipherSpecFindings(value: string, mqPersonal: Examined[]): { findings: Finding[]; spec?: CipherSpec } {
  const found = lookupCipherSpec(value);
  if (!found) {
    return { findings: [{ code: 'CIPHERSPEC_UNKNOWN', severity: 'error', message: `"${value}" is not an IBM MQ CipherSpec: the channel definition is refused (AMQ9616). Use ANY_TLS12_OR_HIGHER, or a name from IBM's CipherSpec list.` }] };
  }
  if (isAlias(found)) return { findings: [] };
  const findings: Finding[] = [];
  if (found.status !== 'enabled') {
    findings.push({ code: 'CIPHERSPEC_DEPRECATED', severity: 'error', message: `${found.name} is ${describeStatus(found)}: channels using it do not start (AMQ9616). Use ANY_TLS12_OR_HIGHER or a TLS 1.3 CipherSpec.` });
  }
  for (const e of mqPersonal) {
    if (!keyFits(found.key, e.details.keyAlgorithm)) {
      const needs = found.key === 'EC' ? 'an EC (ECDSA) certificate' : 'an RSA certificate';
      findings.push({
        code: 'CIPHERSPEC_KEY_MISMATCH',
        severity: 'error',
        label: e.label,
        message: `${found.name} needs ${needs}, but "${e.label}" has ${withArticle(e.details.keyAlgorithm)} key: the handshake fails with no shared cipher (AMQ9616/AMQ9631). Use ${found.key === 'EC' ? 'an ECDHE_RSA_* or TLS 1.3' : 'an ECDHE_ECDSA_* or TLS 1.3'} CipherSpec, or a certificate with the right key.`,
      });
    } else if (found.key === 'EC' && !/ECDSA$/i.test(e.details.signatureAlgorithm)) {
      findings.push({
        code: 'CIPHERSPEC_KEY_MISMATCH',
        severity: 'warning',
        label: e.label,
        message: `${found.name}: IBM requires the EC certificate to be signed with ECDSA, but "${e.label}" is signed with ${e.details.signatureAlgorithm}; some GSKit levels refuse it. Ask for an ECDSA-signed certificate.`,
      });
    }
  }
  return { findings, spec: found };
}

/** What TLS checks on the certificate a side presents: key usage for the key exchange,
 * extended key usage for the role (OpenSSL, GSKit and Java all enforce both). */
function leafUsageFindings(e: Examined, spec: CipherSpec | undefined, forQueueManager: boolean): Finding[] {
  const findings: Finding[] = [];
  const ku = e.details.keyUsage;
  if (ku.length > 0) {
    const staticRsa = spec?.name.startsWith('TLS_RSA_') === true;
    const needed = staticRsa ? 'keyEncipherment' : 'digitalSignature';
    if (!ku.includes(needed)) {
      findings.push({
        code: 'KEY_USAGE',
        severity: 'error',
        label: e.label,
        message: `"${e.label}" has key usage ${ku.join(', ')} without ${needed}, which ${staticRsa ? `${spec!.name}` : 'ECDHE and TLS 1.3 key exchanges'} need: the partner refuses it (AMQ9633). Have it re-issued with ${needed}.`,
      });
    }
  }
  const eku = e.details.extendedKeyUsage;
  if (eku.length > 0 && !eku.includes('anyExtendedKeyUsage')) {
    const server = eku.includes('serverAuth');
    const client = eku.includes('clientAuth');
    if (!server && !client) {
      findings.push({
        code: 'KEY_USAGE',
        severity: 'error',
        label: e.label,
        message: `"${e.label}" is only for ${eku.join(', ')} (extended key usage): TLS refuses it both as a server and as a client certificate (AMQ9633). Have it re-issued with serverAuth and clientAuth.`,
      });
    } else if (forQueueManager && (!server || !client)) {
      findings.push({
        code: 'KEY_USAGE',
        severity: 'warning',
        label: e.label,
        message: `"${e.label}" allows only ${server ? 'serverAuth' : 'clientAuth'}: a queue manager is the TLS ${server ? 'client on its sender channels' : 'server on its receiver and SVRCONN channels'}, where this certificate is refused. Have it re-issued with both.`,
      });
    }
  }
  return findings;
}

/** A certificate that issues another on the chain must be a CA allowed to sign certificates. */
function issuerUsageFindings(label: string, chain: Uint8Array[]): Finding[] {
  return chain.slice(1).flatMap((der): Finding[] => {
    let d: CertificateDetails;
    try {
      d = describedCertificate(der);
    } catch {
      return [];
    }
    const notCa = d.version >= 3 && d.basicConstraints?.ca !== true;
    const noCertSign = d.keyUsage.length > 0 && !d.keyUsage.includes('keyCertSign');
    if (!notCa && !noCertSign) return [];
    const what = notCa ? 'is not marked as a CA (basicConstraints CA:TRUE)' : `has key usage ${d.keyUsage.join(', ')} without keyCertSign`;
    return [{ code: 'KEY_USAGE', severity: 'error', label, message: `${d.subject}, which issued a certificate on the chain of "${label}", ${what}: TLS refuses the chain (AMQ9633).` }];
  });
}

/**
 * `-cert -details -label L`: one entry in runmqakm's layout (cli/RUNMQAKM.md §3.2), or
 * every fact KeyDesk knows as JSON (-json), or the entry's issuers too (-chain).
 *
 * Scripts parse this text and act on what they find. mqsslsetup.sh ("Remove all expired
 * Certificate", cli/testing/REAL-SCRIPTS.md) greps `To ` and then `Not After` and deletes
 * the certificate when the date does not parse; an earlier KeyDesk printed the chain's
 * dates too and so had valid certificates deleted. Hence, without -chain: exactly one
 * `Not After :` line, the entry's own; no issuer's facts; nothing KeyDesk adds to IBM's
 * lines (its other facts are under -json).
 */
import type { KeyDeskApi, EntryDetails } from '../../core/api/contract';
import { asn1, encodeDer, parseDer, type Asn1 } from '../../core/asn1/der';
import { KeyDeskError } from '../../core/errors';
import { describePublicKey } from '../../core/crypto/key-info';
import { findPemBlocks } from '../../core/formats/pem';
import { printableLabel } from '../../core/operations/label-rules';
import { x509TimeToIso } from '../../core/x509/certificate-details';
import { formatDistinguishedName } from '../../core/x509/distinguished-name';
import { type ParsedCommand, required } from '../arguments';
import { extensionsBlock, fingerprintLines, ibmDate, publicKeyLines, quoteIfSpaced, signatureLines } from '../ibm-text';
import { credentialsFrom } from '../password';

/** -showOID: used with gsk8capicmd in DISA's AIX STIG check text (RUNMQAKM.md §3.2); what
 * it changes was not found. Accepted so that check runs; the layout already gives every
 * OID beside its name. */
export const certDetailsSpec = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', 'json', 'chain', 'showoid'] } as const;

type Out = (line: string) => void;

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new KeyDeskError('damaged', `the certificate's ${what} is malformed`);
  return node.value;
}

/**
 * A certificate's lines from `Key Size` to its signature's `Value`, in G4's order
 * (RUNMQAKM.md §3.2 rows 2-17). Serial: the DER INTEGER's bytes as stored, so a leading 00
 * stays (G1 `00a5f7ac503bb6d22f`, G4). Issuer and Subject: RFC 2253 order, quoted when
 * they hold a space (G4). Each date is followed by an empty line (G1, G4).
 */
export function certificateLines(der: Uint8Array): string[] {
  const [tbs, signatureAlgorithm, signature] = children(parseDer(der), 'structure');
  const fields = children(tbs, 'tbsCertificate');
  let version = 1;
  let at = 0;
  if (fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0].type === 0) {
    const number = children(fields[0], 'version')[0]?.value;
    version = (typeof number === 'string' ? number.charCodeAt(number.length - 1) : 0) + 1;
    at = 1;
  }
  const [serial, , issuer, validity, subject, spki] = fields.slice(at, at + 6);
  const [notBefore, notAfter] = children(validity, 'validity');
  if (!serial || typeof serial.value !== 'string' || !issuer || !subject || !spki || !notBefore || !notAfter) {
    throw new KeyDeskError('damaged', 'the certificate lacks fields runmqakm prints');
  }
  const extensions = fields.slice(at + 6).find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  const keySize = describePublicKey(encodeDer(spki), 'spki').keySize;
  return [
    ...(keySize !== undefined ? [`Key Size : ${keySize}`] : []),
    `Version : X509 V${version}`,
    `Serial : ${Buffer.from(serial.value, 'latin1').toString('hex')}`,
    `Issuer : ${quoteIfSpaced(formatDistinguishedName(issuer))}`,
    `Subject : ${quoteIfSpaced(formatDistinguishedName(subject))}`,
    `Not Before : ${ibmDate(x509TimeToIso(notBefore))}`,
    '',
    `Not After : ${ibmDate(x509TimeToIso(notAfter))}`,
    '',
    ...publicKeyLines(spki),
    ...fingerprintLines(der, encodeDer(spki)),
    ...extensionsBlock(extensions ? children(extensions, 'extensions')[0] : undefined),
    ...signatureLines(signatureAlgorithm, signature),
  ];
}

/** `Trust Status : Enabled` (G1, G4, both personal certificates); `Disabled` for a signer
 * whose trust is off is [inferred] (RUNMQAKM.md §3.2 row 18, §8 question 5). */
export function trustStatus(details: EntryDetails): string {
  return `Trust Status : ${details.trusted === false ? 'Disabled' : 'Enabled'}`;
}

/** The certificates of the entry as the store holds them (own first), DER. */
async function certificatesOf(api: KeyDeskApi, storeId: string, label: string): Promise<Uint8Array[]> {
  const { pem } = await api.certificatePem({ store: { storeId }, label });
  return findPemBlocks(pem).flatMap((b) => (b.der ? [b.der] : []));
}

/**
 * The entry's lines as `-cert -details` prints them (also what -cert -getdefault prints).
 * A request is refused (it has -certreq -details); an entry with no certificate gets its
 * `Label` line only, and `warn` says why.
 */
export async function detailsText(api: KeyDeskApi, storeId: string, details: EntryDetails, options: { chain?: boolean; warn?: Out } = {}): Promise<string[]> {
  if (details.kind === 'request') {
    throw new KeyDeskError('not-found', `"${details.label}" is a certificate request, not a certificate: keydesk -certreq -details -label ${JSON.stringify(details.label)} shows it.`);
  }
  const lines = [`Label : ${printableLabel(details.label)}`];
  const hasCertificate = details.kind === 'personal' ? (details.chainLength ?? 0) > 0 : details.kind === 'signer';
  if (!hasCertificate) {
    // A secret key, an entry KeyDesk cannot read, a key without its certificate: no IBM
    // layout to fill, and no invented line for a script to misread.
    options.warn?.(`keydesk: note: "${printableLabel(details.label)}" holds no certificate${details.reason ? ` (${details.reason})` : ''}; -json shows what KeyDesk knows of it.`);
    return lines;
  }
  const [own, ...issuers] = await certificatesOf(api, storeId, details.label);
  if (!own) throw new KeyDeskError('damaged', `"${printableLabel(details.label)}" holds no readable certificate.`);
  lines.push(...certificateLines(own), trustStatus(details));
  if (options.chain) {
    // Asked for: each issuer found in the store, in the same layout, after a heading that
    // no script's `Label`, `Not After` or `To ` grep matches.
    const total = issuers.length + 1;
    issuers.forEach((der, i) => lines.push('', `Chain Certificate ${i + 2} of ${total}`, ...certificateLines(der)));
    lines.push('', `Chain Complete : ${details.chainComplete ? 'Yes' : 'No'}`);
  }
  return lines;
}

export async function certDetails(api: KeyDeskApi, parsed: ParsedCommand, out: Out, warn: Out = out): Promise<void> {
  const path = required(parsed, 'db');
  const label = required(parsed, 'label');
  const view = await api.openStore({ path, ...credentialsFrom(parsed) });
  try {
    const details = await api.entryDetails({ storeId: view.storeId, label });
    if (parsed.switches.has('json')) out(JSON.stringify(details, null, 2));
    else (await detailsText(api, view.storeId, details, { chain: parsed.switches.has('chain'), warn })).forEach((line) => out(line));
  } finally {
    await api.closeStore({ storeId: view.storeId });
  }
}

/**
 * `-certreq -list` and `-certreq -details`: pending certificate requests (iKeyman's
 * Personal Certificate Requests pane; in a CMS store they live in the .rdb), in runmqakm's
 * layout (cli/RUNMQAKM.md §3.3, from G4's MQ 9.1 transcript), or as JSON.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyDeskApi } from '../../core/api/contract';
import { asn1, encodeDer, parseDer, type Asn1 } from '../../core/asn1/der';
import { KeyDeskError } from '../../core/errors';
import { describePublicKey } from '../../core/crypto/key-info';
import { printableLabel } from '../../core/operations/label-rules';
import { requestedExtensions } from '../../core/x509/certification-request-details';
import { formatDistinguishedName } from '../../core/x509/distinguished-name';
import { type ParsedCommand, required } from '../arguments';
import { extensionsBlock, publicKeyLines, quoteIfSpaced, signatureLines } from '../ibm-text';
import { credentialsFrom } from '../password';

type Out = (line: string) => void;

export const certreqListSpec = { values: ['db', 'pw', 'type'], switches: ['stashed', 'json'] } as const;
export async function certreqList(api: KeyDeskApi, parsed: ParsedCommand, out: Out, warn: Out = out): Promise<void> {
  const detail = parsed.switches.has('json') ? 'full' : 'labels';
  const view = await api.openStore({ path: required(parsed, 'db'), ...credentialsFrom(parsed), detail });
  await api.closeStore({ storeId: view.storeId });
  const requests = view.entries.filter((e) => e.kind === 'request');
  if (parsed.switches.has('json')) {
    out(JSON.stringify({ type: view.format, entries: requests }, null, 2));
    return;
  }
  // IBM's spelling, "Certificates requests" (G4 and a Db2 BigSQL note, both gsk8capicmd
  // era), each label after one TAB. With no request GSKit's output was not found
  // (RUNMQAKM.md §8 question 4) [inferred]: the header alone, so a parser that drops the
  // header line (or greps it away) finds no label, where a sentence would read as one.
  out('Certificates requests found');
  // Quoted when it holds a space, as -cert -list quotes labels [inferred: G4's one label has none].
  for (const entry of requests) out(`\t${quoteIfSpaced(printableLabel(entry.label))}`);
  if (typeof view.properties.damageNote === 'string') warn(`keydesk: warning: ${view.properties.damageNote}`);
}

/** The pending request's DER, through the contract's one way out for it (a file). */
async function requestDer(api: KeyDeskApi, storeId: string, label: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-certreq-'));
  try {
    const target = join(dir, 'request.der');
    await api.extractRequest({ store: { storeId }, label, target, format: 'binary' });
    return new Uint8Array(readFileSync(target));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function children(node: Asn1 | undefined): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new KeyDeskError('damaged', 'the certification request is malformed');
  return node.value;
}

/**
 * G4's layout: Label, Key Size, Subject, Public Key (hex) and its type, `Fingerprint : `
 * followed by 40 lowercase hex digits in lines of 32 with no indent, `Attributes`, and for
 * a request carrying extensions `Extension Reqs` and the Extensions block, then the
 * signature. What the fingerprint is computed over is not stated; 40 digits is SHA-1's
 * length, taken here over the whole request as for a certificate [inferred].
 */
export function requestLines(label: string, der: Uint8Array): string[] {
  const [info, signatureAlgorithm, signature] = children(parseDer(der));
  const [, subject, spki, ...rest] = children(info);
  if (!subject || !spki) throw new KeyDeskError('damaged', 'the certification request lacks its subject or key');
  const attributes = rest.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  const extensions = requestedExtensions(attributes);
  const keySize = describePublicKey(encodeDer(spki), 'spki').keySize;
  const fingerprint = createHash('sha1').update(der).digest('hex');
  return [
    `Label : ${printableLabel(label)}`,
    ...(keySize !== undefined ? [`Key Size : ${keySize}`] : []),
    `Subject : ${quoteIfSpaced(formatDistinguishedName(subject))}`,
    ...publicKeyLines(spki),
    'Fingerprint : ',
    ...(fingerprint.match(/.{1,32}/g) ?? []),
    'Attributes',
    ...(extensions ? ['Extension Reqs', ...extensionsBlock(extensions)] : []),
    ...signatureLines(signatureAlgorithm, signature),
  ];
}

export const certreqDetailsSpec = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', 'json'] } as const;
export async function certreqDetails(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const path = required(parsed, 'db');
  const view = await api.openStore({ path, ...credentialsFrom(parsed) });
  try {
    const details = await api.entryDetails({ storeId: view.storeId, label: required(parsed, 'label') });
    if (parsed.switches.has('json')) {
      out(JSON.stringify(details, null, 2));
      return;
    }
    if (details.kind !== 'request') {
      throw new KeyDeskError('not-found', `${path}: "${details.label}" is not a certificate request: keydesk -cert -details -label ${JSON.stringify(details.label)} shows it.`);
    }
    requestLines(details.label, await requestDer(api, view.storeId, details.label)).forEach((line) => out(line));
  } finally {
    await api.closeStore({ storeId: view.storeId });
  }
}

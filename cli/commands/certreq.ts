/**
 * `-certreq -list` and `-certreq -details`: pending certificate requests (iKeyman's
 * Personal Certificate Requests pane; in a CMS store they live in the .rdb).
 */
import type { KeyDeskApi } from '../../core/api/contract';
import { type ParsedCommand, required } from '../arguments';
import { credentialsFrom } from '../password';
import { printableLabel } from '../../core/operations/label-rules';

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
  out('Certificate requests found');
  for (const entry of requests) out(`\t${printableLabel(entry.label)}`);
  if (typeof view.properties.damageNote === 'string') warn(`keydesk: warning: ${view.properties.damageNote}`);
}

export const certreqDetailsSpec = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', 'json'] } as const;
export async function certreqDetails(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const view = await api.openStore({ path: required(parsed, 'db'), ...credentialsFrom(parsed) });
  try {
    const details = await api.entryDetails({ storeId: view.storeId, label: required(parsed, 'label') });
    if (parsed.switches.has('json')) {
      out(JSON.stringify(details, null, 2));
      return;
    }
    const key = details.curve ? `${details.keyAlgorithm} ${details.curve}` : `${details.keyAlgorithm} ${details.keySize ?? ''} bits`;
    out(`Label : ${printableLabel(details.label)}`);
    out(`Subject : ${details.subject}`);
    out(`Public Key : ${key}`);
    out(`Signature Algorithm : ${details.signatureAlgorithm}`);
    if (details.subjectAltNames?.length) out(`Subject Alternative Names : ${details.subjectAltNames.join(', ')}`);
    out(`Fingerprint SHA256 : ${details.sha256}`);
  } finally {
    await api.closeStore({ storeId: view.storeId });
  }
}

/**
 * The SSLPEER helper: `-cert -sslpeer -label L` prints the filter that matches a
 * certificate's subject; `-keydb -sslpeer -filter F` tests a filter against every
 * certificate in a store, with the reason for each one that does not match. Exit 1 when
 * nothing matches, as grep does, so a script can ask "would this partner get in?".
 */
import type { KeyDeskApi } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { type ParsedCommand, required } from '../arguments';
import { storeRefFrom } from './cert-change';
import { printableLabel } from '../../core/operations/label-rules';

type Out = (line: string) => void;

export const certSslPeerSpec = { values: ['db', 'pw', 'type', 'label'], switches: ['stashed', 'json'] } as const;
export async function certSslPeer(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const value = await api.sslPeerValue({ store: storeRefFrom(parsed), label: required(parsed, 'label') });
  if (parsed.switches.has('json')) {
    out(JSON.stringify(value, null, 2));
    return;
  }
  out(value.sslpeer);
  out(`MQSC: ${value.mqsc}`);
  for (const note of value.omitted) out(`note: ${note}`);
}

export const keydbSslPeerSpec = { values: ['db', 'pw', 'type', 'filter'], switches: ['stashed', 'json'] } as const;
export async function keydbSslPeer(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const db = required(parsed, 'db');
  const result = await api.matchSslPeer({ store: storeRefFrom(parsed), filter: required(parsed, 'filter') });
  if (parsed.switches.has('json')) {
    out(JSON.stringify(result, null, 2));
  } else {
    for (const note of result.notes) out(`note: ${note}`);
    for (const e of result.entries) out(e.matches ? `match\t${printableLabel(e.label)}\t${e.subject}` : `no match\t${printableLabel(e.label)}\t${e.subject}\t${e.reason}`);
  }
  if (!result.entries.some((e) => e.matches)) throw new KeyDeskError('not-found', `no certificate in ${db} matches SSLPEER "${result.filter}".`);
}

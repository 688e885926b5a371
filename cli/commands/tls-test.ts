/**
 * `-tls -test`: the handshake lab. Store A (-db) plays the queue manager, store B
 * (-peer_db) the client. Exit 1 when the handshake fails — or, with -reverse, when a
 * client the queue manager does not trust was not refused.
 */
import type { ClientAuth, HandshakeReport, KeyDeskApi } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { type ParsedCommand, required, usageError } from '../arguments';
import { storeRefFrom } from './cert-change';
import { peerFlags, secondStoreRef } from './store-pair';

type Out = (line: string) => void;

function clientAuthFrom(parsed: ParsedCommand): ClientAuth | undefined {
  const value = parsed.values.get('cauth')?.toLowerCase();
  if (value === undefined || value === 'required' || value === 'optional') return value;
  throw usageError(`-cauth takes required or optional, not "${value}"`);
}

export const tlsTestSpec = { values: ['db', 'pw', 'label', 'peer_db', 'peer_pw', 'peer_label', 'cipherspec', 'cauth'], switches: ['stashed', 'peer_stashed', 'reverse', 'json'] } as const;
export async function tlsTest(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const report = await api.testHandshake({
    server: storeRefFrom(parsed),
    serverLabel: required(parsed, 'label'),
    client: secondStoreRef(parsed, peerFlags),
    clientLabel: required(parsed, 'peer_label'),
    cipherSpec: parsed.values.get('cipherspec'),
    clientAuth: clientAuthFrom(parsed),
    reverse: parsed.switches.has('reverse'),
  });
  if (parsed.switches.has('json')) out(JSON.stringify(report, null, 2));
  else reportText(report, out);
  if (!report.ok) throw new KeyDeskError('conflict', `the handshake failed: ${report.problems[0]?.message ?? 'see above'}`);
  if (report.reverse && !report.reverse.refused) throw new KeyDeskError('conflict', `reverse case: ${report.reverse.message}`);
}

function reportText(r: HandshakeReport, out: Out): void {
  const setting = `${r.settings.cipherSpec}, SSLCAUTH(${r.settings.clientAuth.toUpperCase()})`;
  if (r.ok) {
    out(`Handshake OK (${setting}): ${r.protocol}, ${r.cipher}${r.cipherSpec && r.cipherSpec !== r.cipher ? ` (CipherSpec ${r.cipherSpec})` : ''}`);
  } else {
    out(`Handshake FAILED (${setting})`);
    for (const p of r.problems) out(`  ${p.side}: ${p.message} (${p.amq})`);
    if (r.tls) out(`  node:tls said: queue manager: ${r.tls.server ?? '-'}; client: ${r.tls.client ?? '-'}`);
  }
  for (const note of r.notes) out(`note: ${note}`);
  if (r.reverse) out(`Reverse case: ${r.reverse.message}`);
}

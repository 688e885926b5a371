/**
 * Commands over two stores: `-keydb -exchange` (Exchange Signers, the trainer's set-up in
 * one go) and `-keydb -compare` (the help desk's side-by-side).
 */
import type { ComparedEntry, KeyDeskApi, StoreComparison } from '../../core/api/contract';
import { type ParsedCommand, required } from '../arguments';
import { storeRefFrom } from './cert-change';
import { peerFlags, secondFlags, secondStoreRef } from './store-pair';
import { printableLabel } from '../../core/operations/label-rules';

type Out = (line: string) => void;

export const keydbExchangeSpec = { values: ['db', 'pw', 'label', 'peer_db', 'peer_pw', 'peer_label'], switches: ['stashed', 'peer_stashed', 'json'] } as const;
export async function keydbExchange(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const result = await api.exchangeSigners({
    a: storeRefFrom(parsed),
    aLabel: required(parsed, 'label'),
    b: secondStoreRef(parsed, peerFlags),
    bLabel: required(parsed, 'peer_label'),
  });
  if (parsed.switches.has('json')) {
    out(JSON.stringify(result, null, 2));
    return;
  }
  result.steps.forEach((step, i) => {
    out(`${i + 1}. [${step.status}] ${step.action}: ${step.message}`);
    if (step.command) out(`     ${step.command}`);
  });
  for (const note of [...result.b.notes, ...result.a.notes]) out(`note: ${note}`);
}

export const keydbCompareSpec = { values: ['db', 'pw', 'type', 'db2', 'pw2'], switches: ['stashed', 'stashed2', 'json'] } as const;
export async function keydbCompare(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const a = required(parsed, 'db');
  const b = required(parsed, 'db2');
  const result = await api.compareStores({ a: storeRefFrom(parsed), b: secondStoreRef(parsed, secondFlags) });
  if (parsed.switches.has('json')) out(JSON.stringify(result, null, 2));
  else comparisonText(result, a, b, out);
}

const marks: Record<string, string> = { personal: '-', signer: '!', secret: '#', request: '?', unknown: '?' };
const line = (e: ComparedEntry) => `${marks[e.kind] ?? '?'}\t${printableLabel(e.label)}\t${e.subject ?? ''}${e.notAfter ? `\t(until ${e.notAfter.slice(0, 10)})` : ''}`;

function comparisonText(r: StoreComparison, a: string, b: string, out: Out): void {
  out(`Only in A (${a}): ${r.onlyInA.length}`);
  r.onlyInA.forEach((e) => out(line(e)));
  out(`Only in B (${b}): ${r.onlyInB.length}`);
  r.onlyInB.forEach((e) => out(line(e)));
  out(`Same label, different certificate: ${r.sameLabelDifferentCertificate.length}`);
  for (const p of r.sameLabelDifferentCertificate) {
    out(`${marks[p.a.kind]}\t${printableLabel(p.a.label)}\tA: ${p.a.subject ?? ''} ${p.a.sha256?.slice(0, 16) ?? ''}…\tB: ${p.b.subject ?? ''} ${p.b.sha256?.slice(0, 16) ?? ''}…`);
  }
  out(`Same certificate: ${r.same.length}`);
  for (const p of r.same) {
    const labels = p.a.label === p.b.label ? printableLabel(p.a.label) : `${printableLabel(p.a.label)} (A) = ${printableLabel(p.b.label)} (B)`;
    const kinds = p.a.kind === p.b.kind ? '' : `\t(${p.a.kind} in A, ${p.b.kind} in B)`;
    out(`${marks[p.a.kind]}\t${labels}\t${p.a.subject ?? ''}${kinds}`);
  }
  for (const note of r.notes) out(`note: ${note}`);
}

/**
 * `-tls -probe`: examine a live TLS endpoint (a queue manager's listener, say), optionally
 * presenting a personal certificate of -db. Exit 0 when the handshake succeeded; otherwise
 * the report (when the server spoke TLS at all) and one plain line saying what failed.
 */
import type { KeyDeskApi, TlsProbeReport } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom } from '../password';

type Out = (line: string) => void;

export const tlsProbeSpec = { values: ['host', 'port', 'db', 'pw', 'label', 'cipherspec', 'sni', 'timeout'], switches: ['stashed', 'json'] } as const;

function portFrom(parsed: ParsedCommand): number {
  const value = required(parsed, 'port');
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw usageError(`-port takes a port number from 1 to 65535, not "${value}"`);
  return Number(value);
}

function timeoutFrom(parsed: ParsedCommand): number | undefined {
  const value = parsed.values.get('timeout');
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw usageError(`-timeout takes a number of seconds, not "${value}"`);
  return Number(value);
}

export async function tlsProbe(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const db = parsed.values.get('db');
  if (db === undefined && parsed.values.has('label')) throw usageError('-label names a personal certificate of the store given with -db');
  const report = await api.probeTlsEndpoint({
    host: required(parsed, 'host'),
    port: portFrom(parsed),
    ...(db !== undefined ? { store: { path: db, ...credentialsFrom(parsed) } } : {}),
    label: parsed.values.get('label'),
    cipherSpec: parsed.values.get('cipherspec'),
    sni: parsed.values.get('sni'),
    timeoutSeconds: timeoutFrom(parsed),
  });
  if (parsed.switches.has('json')) out(JSON.stringify(report, null, 2));
  else if (report.protocol !== undefined || report.chain.length > 0) reportText(report, out);
  if (!report.ok) throw new KeyDeskError('conflict', report.failure?.message ?? `${report.host}(${report.port}): the handshake failed.`);
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? 'trusted by the store' : 'NOT trusted by the store');

function reportText(r: TlsProbeReport, out: Out): void {
  const at = `${r.host}(${r.port})${r.sni ? `, SNI ${r.sni}` : ''}`;
  const suite = r.cipher ? `${r.protocol ?? ''}, ${r.cipher}` : (r.protocol ?? '');
  out(`${r.ok ? 'Handshake OK' : 'Handshake FAILED'}: ${at}${suite ? ` — ${suite}` : ''}`);
  if (r.cipherSpecs.length > 0) out(`  MQ CipherSpec: ${r.cipherSpecs[0]} (also reached by ${r.cipherSpecs.slice(1).join(', ')})`);
  if (r.cipherSpecAsked) out(`  -cipherspec ${r.cipherSpecAsked.name}: ${r.cipherSpecAsked.message}`);
  if (r.chain.length > 0) {
    out(`Server certificate chain (${r.chain.length} presented):`);
    r.chain.forEach((c, i) => {
      out(`  ${i + 1}. ${c.subject}`);
      out(`     issuer ${c.issuer}`);
      out(`     valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}; ${c.key}; ${c.signatureAlgorithm}${c.isCa ? '; CA' : ''}${c.trusted !== undefined ? `; ${yesNo(c.trusted)}` : ''}${c.signerLabel ? ` (signer "${c.signerLabel}")` : ''}`);
      out(`     SHA-256 ${c.sha256}`);
    });
  }
  if (r.trust) out(`Trust: ${r.trust.message}${r.trust.amq && !r.trust.trusted ? ` (${r.trust.amq})` : ''}`);
  const ca = r.clientAuth;
  const asked = ca.requested === 'unknown' ? 'not known' : ca.requested ? 'requested' : 'not requested';
  out(`Client certificate: ${asked} (${ca.source})`);
  if (ca.acceptableCas) {
    out(ca.acceptableCas.length > 0 ? `  CAs the server accepts (${ca.acceptableCas.length}):` : '  the server names no CAs');
    for (const dn of ca.acceptableCas) out(`    ${dn}`);
  }
  for (const m of ca.matches) out(`  ${m.message}`);
  if (r.presented) out(`Presented "${r.presented.label}": ${r.presented.outcome}${r.presented.alert ? ` (alert ${r.presented.alert})` : ''} — ${r.presented.message}${r.presented.amq ? ` (${r.presented.amq})` : ''}`);
  for (const p of r.problems) out(`problem: ${p.message}${p.amq ? ` (${p.amq})` : ''}`);
  for (const note of r.notes) out(`note: ${note}`);
}

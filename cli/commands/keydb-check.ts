/**
 * `-keydb -check` (the MQ doctor) and `-keydb -scan` (the doctor over a folder). One
 * finding per line, tab-separated (severity, code, label, message and fix) so scripts
 * can cut and grep it; exit code 1 when any finding is an error, so a deployment
 * pipeline can stop before a queue manager restarts on a broken store.
 */
import type { KeyDeskApi, Finding, FindingFix, FleetScan } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { fleetScanHtml } from '../../core/checks/fleet-report';
import { hasErrors } from '../../core/checks/findings';
import { type ParsedCommand, required, usageError } from '../arguments';
import { passwordFrom } from '../password';
import { storeRefFrom } from './cert-change';
import { daysFrom } from './store-pair';
import { printableLabel } from '../../core/operations/label-rules';

type Out = (line: string) => void;

/** The fix as the command that does it (credentials left for the user to add). */
export function fixCommand(fix: FindingFix, db: string): string {
  switch (fix.action) {
    case 'rename':
      return `keydesk -cert -rename -db ${db} -label "${fix.label}" -new_label "${fix.newLabel}"`;
    case 'delete':
      return fix.labels.map((l) => `keydesk -cert -delete -db ${db} -label "${l}"`).join('; ');
    case 'stash':
      return `keydesk -keydb -stashpw -db ${db} -pw PASSWORD`;
    case 'add-issuer':
      return `keydesk -cert -add -db ${db} -label LABEL -file FILE   (FILE: the certificate of ${fix.issuerDn})`;
    case 'enable-trust':
      return `keydesk -cert -modify -db ${db} -label "${fix.label}" -trust enable`;
  }
}

export function findingLine(f: Finding, db: string): string {
  // A label may hold any character; one finding must stay one line of tab-separated fields.
  const field = (text: string) => text.replace(/[\t\r\n]/g, ' ');
  return [f.severity.toUpperCase(), f.code, f.label === undefined ? '-' : printableLabel(f.label), field(f.message + (f.fix ? ` Fix: ${fixCommand(f.fix, db)}` : ''))].join('\t');
}

function summary(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

export const keydbCheckSpec = { values: ['db', 'pw', 'type', 'mqname', 'certlabel', 'cipherspec', 'days'], switches: ['stashed', 'json'] } as const;
export async function keydbCheck(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const db = required(parsed, 'db');
  const report = await api.checkStore({
    store: storeRefFrom(parsed),
    mqName: parsed.values.get('mqname'),
    certLabel: parsed.values.get('certlabel'),
    cipherSpec: parsed.values.get('cipherspec'),
    days: daysFrom(parsed),
  });
  if (parsed.switches.has('json')) {
    out(JSON.stringify(report, null, 2));
  } else if (report.findings.length === 0) {
    out(`No problems found in ${db}${report.mqLabel ? ` (MQ certificate label "${report.mqLabel}")` : ''}.`);
  } else {
    for (const f of report.findings) out(findingLine(f, db));
  }
  if (hasErrors(report.findings)) throw new KeyDeskError('conflict', `${db}: ${summary(report.findings)}${report.mqNameFromPath ? ` (checked for queue manager ${report.mqNameFromPath}, from the path)` : ''}.`);
}

export const keydbScanSpec = { values: ['dir', 'pw', 'days', 'format'], switches: ['json'] } as const;
export async function keydbScan(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const format = (parsed.values.get('format') ?? (parsed.switches.has('json') ? 'json' : 'text')).toLowerCase();
  if (!['text', 'json', 'html'].includes(format)) throw usageError(`-format takes json or html, not "${format}"`);
  const password = passwordFrom(parsed, 'pw') ?? process.env.KEYDESK_PW;
  const scan = await api.scanFolder({ path: required(parsed, 'dir'), password, days: daysFrom(parsed) });
  const { written: _written, ...report } = scan;
  if (format === 'json') out(JSON.stringify(report, null, 2));
  else if (format === 'html') printDocument(fleetScanHtml(report), out);
  else scanText(report, out);
  const notOpened = report.totals.notOpened;
  if (report.totals.errors > 0 || notOpened > 0) {
    throw new KeyDeskError('conflict', `${report.folder}: ${report.totals.errors} error finding${report.totals.errors === 1 ? '' : 's'} in ${report.totals.opened} stores opened; ${notOpened} store${notOpened === 1 ? '' : 's'} could not be opened.`);
  }
}

function scanText(scan: FleetScan, out: Out): void {
  if (scan.stores.length === 0) out(`No key stores found under ${scan.folder}.`);
  for (const s of scan.stores) {
    if (!s.opened) {
      out(`NOT OPENED\t${s.name}\t${s.reason}`);
      continue;
    }
    out(`STORE\t${s.name}\t${s.format}, opened with ${s.opensWith === 'stash' ? 'its stash' : 'the password given'}, ${s.entries} entries: ${summary(s.findings)}`);
    for (const f of s.findings) out(`  ${findingLine(f, s.path)}`);
    for (const e of s.expiries) out(`  ${e.daysLeft < 0 ? 'EXPIRED' : 'EXPIRES'}\t${e.notAfter.slice(0, 10)}\t${printableLabel(e.label)}\t${e.subject}\t${e.daysLeft < 0 ? `${-e.daysLeft} days ago` : `in ${e.daysLeft} days`}`);
  }
}

/** A whole document on stdout exactly as made: `out` ends every piece with a newline. */
export function printDocument(content: string, out: Out): void {
  const pieces = content.split('\n');
  if (pieces[pieces.length - 1] === '') pieces.pop();
  pieces.forEach((p) => out(p));
}

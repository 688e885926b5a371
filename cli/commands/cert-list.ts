/** `-cert -list [all|personal|ca]`: runmqakm's listing (cli/RUNMQAKM.md §3.1), or JSON with
 * every fact, or (-format csv|html) a report to pass on: CSV for a spreadsheet, HTML to print. */
import type { KeyDeskApi, EntrySummary } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { printableLabel } from '../../core/operations/label-rules';
import { type ParsedCommand, required, usageError } from '../arguments';
import { ibmDate, quoteIfSpaced } from '../ibm-text';
import { credentialsFrom } from '../password';
import { printDocument } from './keydb-check';
import { daysFrom } from './store-pair';

export const certListSpec = {
  values: ['db', 'pw', 'type', 'format', 'days', 'label'],
  optionalValues: ['expiry'],
  switches: ['stashed', 'json', 'v', 'rfc3339'],
  qualifiers: ['all', 'personal', 'ca'],
} as const;

/**
 * runmqakm's marks (G1, G4, G23; I16 defines `!` and `-`): `-` personal, `!` trusted
 * signer, `#` secret key, and `*` before the mark of the default certificate (`*-`, G4).
 * A signer whose trust is disabled loses its `!` (I16: `!` "identifies a certificate that
 * is being trusted"); what GSKit prints in its place no sample shows (RUNMQAKM.md §3.1,
 * §8 question 5) [inferred]. KeyDesk keeps the space it has always printed there, so the
 * line keeps the one-column mark, TAB, label shape every parser cuts at. `?`: an entry
 * KeyDesk cannot read, which GSKit has no mark for.
 */
const marks: Record<string, string> = { personal: '-', signer: '!', secret: '#', request: '?', unknown: '?' };

function mark(entry: EntrySummary): string {
  return `${entry.isDefault ? '*' : ''}${entry.trusted === false ? ' ' : marks[entry.kind]}`;
}

function wanted(filter: string, entry: EntrySummary): boolean {
  if (filter === 'personal') return entry.kind === 'personal';
  if (filter === 'ca') return entry.kind === 'signer';
  return true;
}

/** -expiry [DAYS] (IBM MQ Appliance's listcert, which wraps runmqakm: "the valid-from and
 * valid-to dates are displayed for certificates that expire within that number of days",
 * RUNMQAKM.md §2.3, I22). The bare -expiry (gsk7cmd -cert -list -expiry, seen in a script)
 * shows every certificate with its dates. */
function expiryDays(parsed: ParsedCommand): number | undefined {
  const value = parsed.values.get('expiry');
  if (value === undefined) return undefined;
  if (value === '') return Number.POSITIVE_INFINITY;
  if (!/^\d{1,5}$/.test(value)) throw usageError(`-expiry takes a number of days (certificates that expire within them), not "${value}"`);
  return Number(value);
}

export async function certList(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void, warn: (line: string) => void = out): Promise<void> {
  const path = required(parsed, 'db');
  if (parsed.switches.has('v') || parsed.switches.has('rfc3339')) {
    // Seen in one third-party script (RUNMQAKM.md G24), whose output no source shows: a
    // guessed layout would be parsed as if it were IBM's.
    throw usageError(`-cert -list -${parsed.switches.has('v') ? 'v' : 'rfc3339'}: runmqakm's verbose listing is not documented anywhere KeyDesk could find, so KeyDesk does not imitate it; -json gives every fact, -expiry DAYS the dates`);
  }
  const format = parsed.values.get('format')?.toLowerCase();
  if (format !== undefined && !['csv', 'html', 'json'].includes(format)) throw usageError(`-format takes csv, html or json, not "${parsed.values.get('format')}"`);
  const label = parsed.values.get('label');
  const days = expiryDays(parsed);
  if (format === 'csv' || format === 'html') {
    if (label !== undefined || days !== undefined) throw usageError(`-format ${format} reports the whole store: leave out -label and -expiry`);
    const filter = (parsed.qualifier ?? 'all') as 'all' | 'personal' | 'ca';
    const report = await api.storeReport({ store: { path, ...credentialsFrom(parsed) }, filter, format, days: daysFrom(parsed) });
    printDocument(report.content, out);
    return;
  }
  const json = parsed.switches.has('json') || format === 'json';
  const view = await api.openStore({ path, ...credentialsFrom(parsed), detail: json || days !== undefined ? 'full' : 'labels' });
  await api.closeStore({ storeId: view.storeId });
  // Requests live in their own pane (and runmqakm's -certreq -list); keep them out here.
  let entries = view.entries.filter((e) => e.kind !== 'request');
  if (label !== undefined) {
    // Labels compare ignoring case, as everywhere in GSKit and KeyDesk. A missing label is
    // refused (non-zero), as runmqakm's label operations refuse one (CTGSK3029W, RUNMQAKM.md §4),
    // so `-cert -list -label L` answers "is L there?" by its exit status too.
    entries = entries.filter((e) => e.label.toLowerCase() === label.toLowerCase());
    if (entries.length === 0) throw new KeyDeskError('not-found', `${path}: no certificate labelled "${printableLabel(label)}". List the store to see its labels.`);
  }
  const filter = parsed.qualifier ?? 'all';
  entries = entries.filter((e) => wanted(filter, e));
  const until = days === undefined ? undefined : Date.now() + days * 86_400_000;
  if (until !== undefined) entries = entries.filter((e) => e.notAfter !== undefined && Date.parse(e.notAfter) <= until);
  if (json) {
    out(JSON.stringify({ type: view.format, properties: view.properties, entries }, null, 2));
  } else if (entries.length === 0) {
    // G4: an empty store prints this one line and no header. A filter that leaves nothing
    // answers the same [inferred: RUNMQAKM.md §8 question 4].
    out('No certificates were found.');
  } else {
    out('Certificates found');
    out('* default, - personal, ! trusted, # secret key');
    // A label read from a file may hold a line break or an escape: one entry stays one line.
    for (const entry of entries) {
      out(`${mark(entry)}\t${quoteIfSpaced(printableLabel(entry.label))}`);
      // [inferred] layout: under its entry, indented by spaces (not a TAB, which parsers
      // that cut at the TAB would read as a label), named as -cert -details names them.
      if (until !== undefined && entry.notBefore && entry.notAfter) {
        out(`    Not Before : ${ibmDate(entry.notBefore)}`);
        out(`    Not After : ${ibmDate(entry.notAfter)}`);
      }
    }
  }
  if (typeof view.properties.damageNote === 'string') warn(`keydesk: warning: ${view.properties.damageNote}`);
}

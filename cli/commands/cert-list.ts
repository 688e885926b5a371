/** `-cert -list [all|personal|ca]`: runmqakm's listing, or JSON with every fact, or
 * (-format csv|html) a report to pass on: CSV for a spreadsheet, HTML to print. */
import type { KeyDeskApi, EntrySummary } from '../../core/api/contract';
import { type ParsedCommand, required, usageError } from '../arguments';
import { credentialsFrom } from '../password';
import { printDocument } from './keydb-check';
import { daysFrom } from './store-pair';
import { printableLabel } from '../../core/operations/label-rules';

export const certListSpec = { values: ['db', 'pw', 'type', 'format', 'days'], switches: ['stashed', 'json'], qualifiers: ['all', 'personal', 'ca'] } as const;

/** runmqakm's marks: `-` personal, `!` trusted signer, `#` secret key; a signer whose
 * trust is disabled has no mark, as in runmqakm. */
const marks: Record<string, string> = { personal: '-', signer: '!', secret: '#', request: '?', unknown: '?' };

function wanted(filter: string, entry: EntrySummary): boolean {
  if (filter === 'personal') return entry.kind === 'personal';
  if (filter === 'ca') return entry.kind === 'signer';
  return true;
}

export async function certList(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void, warn: (line: string) => void = out): Promise<void> {
  const path = required(parsed, 'db');
  const format = parsed.values.get('format')?.toLowerCase();
  if (format !== undefined && !['csv', 'html', 'json'].includes(format)) throw usageError(`-format takes csv, html or json, not "${parsed.values.get('format')}"`);
  if (format === 'csv' || format === 'html') {
    const filter = (parsed.qualifier ?? 'all') as 'all' | 'personal' | 'ca';
    const report = await api.storeReport({ store: { path, ...credentialsFrom(parsed) }, filter, format, days: daysFrom(parsed) });
    printDocument(report.content, out);
    return;
  }
  const json = parsed.switches.has('json') || format === 'json';
  const view = await api.openStore({ path, ...credentialsFrom(parsed), detail: json ? 'full' : 'labels' });
  await api.closeStore({ storeId: view.storeId });
  const filter = parsed.qualifier ?? 'all';
  // Requests live in their own pane (and runmqakm's -certreq -list); keep them out here.
  const entries = view.entries.filter((e) => e.kind !== 'request' && wanted(filter, e));
  if (json) {
    out(JSON.stringify({ type: view.format, properties: view.properties, entries }, null, 2));
    return;
  }
  out('Certificates found');
  out('* default, - personal, ! trusted, # secret key');
  // A label read from a file may hold a line break or an escape: one entry stays one line.
  for (const entry of entries) out(`${entry.trusted === false ? ' ' : marks[entry.kind]}\t${printableLabel(entry.label)}`);
  if (typeof view.properties.damageNote === 'string') warn(`keydesk: warning: ${view.properties.damageNote}`);
}

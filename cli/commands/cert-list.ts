/** `-cert -list [all|personal|ca]`: runmqakm's listing, or JSON with every fact. */
import type { KeyDeskApi, EntrySummary } from '../../core/api/contract';
import { type ParsedCommand, required } from '../arguments';
import { credentialsFrom } from '../password';

export const certListSpec = { values: ['db', 'pw', 'type'], switches: ['stashed', 'json'], qualifiers: ['all', 'personal', 'ca'] } as const;

/** runmqakm's marks: `-` personal, `!` trusted signer, `#` secret key. */
const marks: Record<string, string> = { personal: '-', signer: '!', secret: '#', request: '?', unknown: '?' };

function wanted(filter: string, entry: EntrySummary): boolean {
  if (filter === 'personal') return entry.kind === 'personal';
  if (filter === 'ca') return entry.kind === 'signer';
  return true;
}

export async function certList(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void): Promise<void> {
  const path = required(parsed, 'db');
  const view = await api.openStore({ path, ...credentialsFrom(parsed) });
  await api.closeStore({ storeId: view.storeId });
  const filter = parsed.qualifier ?? 'all';
  // Requests live in their own pane (and runmqakm's -certreq -list); keep them out here.
  const entries = view.entries.filter((e) => e.kind !== 'request' && wanted(filter, e));
  if (parsed.switches.has('json')) {
    out(JSON.stringify({ type: view.format, properties: view.properties, entries }, null, 2));
    return;
  }
  out('Certificates found');
  out('* default, - personal, ! trusted, # secret key');
  for (const entry of entries) out(`${marks[entry.kind]}\t${entry.label}`);
}

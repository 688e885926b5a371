/**
 * The default certificate: `-cert -setdefault -label L` and `-cert -getdefault`.
 *
 * -getdefault prints what -cert -details prints for that entry. runmqakm's own output was
 * not found (cli/RUNMQAKM.md §8), but IBM's IHS compliance scanner runs
 * `gsk*capicmd -cert -getdefault` where it otherwise runs `-cert -details -label L` and reads
 * both with one parser (Label, Issuer, Subject, Not Before, Not After; index file id
 * 6600609124), and a Chef test expects the default's label in ikeycmd's -getdefault output
 * (index file id 6727160936). With no default it fails (exit 1): a script that reads the
 * details must not take silence for a certificate.
 */
import type { KeyDeskApi, StoreView } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { defaultCertificateOf } from '../../core/operations/set-default-certificate';
import { type ParsedCommand, required } from '../arguments';
import { credentialsFrom } from '../password';
import { certDetails } from './cert-details';
import { changeSwitches, storeRefFrom } from './cert-change';

type Out = (line: string) => void;

export const certSetDefaultSpec = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', ...changeSwitches] } as const;
export async function certSetDefault(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  (await api.setDefaultCertificate({ store: storeRefFrom(parsed), label: required(parsed, 'label') })).notes.forEach((n) => out(n));
}

function noDefault(path: string, view: StoreView): KeyDeskError {
  const personal = view.entries.filter((e) => e.kind === 'personal').length;
  if (personal === 0) return new KeyDeskError('not-found', `${path} has no default certificate: it holds no personal certificate.`);
  const format = view.format === 'pkcs12' ? 'PKCS#12' : view.format.toUpperCase();
  if (view.format !== 'cms') {
    return new KeyDeskError('not-found', `${path} has no default certificate: a ${format} store records none, and this one holds ${personal} personal certificates.`);
  }
  return new KeyDeskError('not-found', `${path} has no default certificate (set one with -cert -setdefault -label LABEL).`);
}

export const certGetDefaultSpec = { values: ['db', 'pw', 'type'], switches: ['stashed', 'json'] } as const;
export async function certGetDefault(api: KeyDeskApi, parsed: ParsedCommand, out: Out, warn: Out = out): Promise<void> {
  const path = required(parsed, 'db');
  const view = await api.openStore({ path, ...credentialsFrom(parsed), detail: 'labels' });
  await api.closeStore({ storeId: view.storeId });
  const index = defaultCertificateOf(view);
  if (index === undefined) throw noDefault(path, view);
  // -cert -details itself, so the two can never print the entry differently.
  const values = new Map(parsed.values).set('label', view.entries[index]!.label);
  await certDetails(api, { ...parsed, action: 'details', values }, out, warn);
}

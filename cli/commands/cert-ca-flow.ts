/**
 * The CA-signed flow and its checks: `-cert -receive`, `-cert -sign`, `-cert -validate`,
 * `-cert -populate`.
 */
import type { KeyDeskApi } from '../../core/api/contract';
import { KeyDeskError } from '../../core/errors';
import { expireDays, type ParsedCommand, required } from '../arguments';
import { changeSwitches, fileFormat, storeRefFrom } from './cert-change';
import { defaultCertFrom } from './cert-create';

type Out = (line: string) => void;

export const certReceiveSpec = { values: ['db', 'pw', 'type', 'file', 'format', 'label', 'default_cert'], switches: ['stashed', ...changeSwitches] } as const;
/** runmqakm's -default_cert yes|no takes a value (cli/RUNMQAKM.md §2.3 -receive). */
export async function certReceive(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  fileFormat(parsed); // content decides; the flag is accepted for runmqakm scripts and checked
  (await api.receiveCertificate({ store: storeRefFrom(parsed), file: required(parsed, 'file'), isDefault: defaultCertFrom(parsed) })).notes.forEach((n) => out(n));
}

export const certSignSpec = { values: ['db', 'pw', 'type', 'label', 'file', 'target', 'format', 'expire', 'ca', 'sig_alg'], switches: ['stashed'] } as const;
export async function certSign(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const validityDays = expireDays(parsed, 'certificate');
  const signed = await api.signRequest({
    store: storeRefFrom(parsed),
    caLabel: required(parsed, 'label'),
    file: required(parsed, 'file'),
    target: required(parsed, 'target'),
    format: fileFormat(parsed),
    validityDays,
    ca: parsed.values.get('ca')?.toLowerCase() === 'true',
    sigAlg: parsed.values.get('sig_alg'),
  });
  signed.notes.forEach((n) => out(n));
}

export const certValidateSpec = { values: ['db', 'pw', 'type', 'label'], switches: ['stashed', 'json'] } as const;
export async function certValidate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  const result = await api.validateEntry({ store: storeRefFrom(parsed), label: required(parsed, 'label') });
  if (parsed.switches.has('json')) {
    out(JSON.stringify(result, null, 2));
  } else {
    out(`Chain : ${result.chain.join(' <- ')}`);
    if (result.valid) out('Validation successful');
  }
  // Problems make the exit code 1 so scripts can check, each said in one line.
  if (!result.valid) throw new KeyDeskError('conflict', result.problems.join(' '));
}

export const certPopulateSpec = { values: ['db', 'pw', 'type'], switches: ['stashed', ...changeSwitches] } as const;
export async function certPopulate(api: KeyDeskApi, parsed: ParsedCommand, out: Out): Promise<void> {
  (await api.populateSigners({ store: storeRefFrom(parsed) })).notes.forEach((n) => out(n));
}

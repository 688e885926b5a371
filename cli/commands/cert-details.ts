/** `-cert -details -label L`: one entry, as runmqakm prints it, or as JSON. */
import type { KeyDeskApi, EntryDetails } from '../../core/api/contract';
import type { CertificateDetails } from '../../core/x509/certificate-details';
import { type ParsedCommand, required } from '../arguments';
import { credentialsFrom } from '../password';
import { printableLabel } from '../../core/operations/label-rules';

export const certDetailsSpec = { values: ['db', 'pw', 'label', 'type'], switches: ['stashed', 'json'] } as const;

/** `ab12…` → `AB:12:…`, the form openssl and keytool print, so users can compare by eye. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function keyText(c: Partial<CertificateDetails>): string {
  if (c.curve) return `${c.keyAlgorithm} ${c.curve}`;
  return c.keySize ? `${c.keyAlgorithm} ${c.keySize} bits` : (c.keyAlgorithm ?? '');
}

function certificateLines(c: CertificateDetails, indent = ''): string[] {
  const lines: [string, string | undefined][] = [
    ['Subject', c.subject],
    ['Issuer', c.issuer],
    ['Serial', c.serial],
    ['Not Before', c.notBefore],
    ['Not After', c.notAfter],
    ['Public Key', keyText(c)],
    ['Signature Algorithm', c.signatureAlgorithm],
    ['Fingerprint SHA1', colonHex(c.sha1)],
    ['Fingerprint SHA256', colonHex(c.sha256)],
    ['Subject Alternative Names', c.subjectAltNames.join(', ') || undefined],
    ['Key Usage', c.keyUsage.join(', ') || undefined],
    ['Extended Key Usage', c.extendedKeyUsage.join(', ') || undefined],
    [
      'Basic Constraints',
      c.basicConstraints
        ? `CA:${c.basicConstraints.ca ? 'TRUE' : 'FALSE'}${c.basicConstraints.pathLength !== undefined ? `, pathlen:${c.basicConstraints.pathLength}` : ''}`
        : undefined,
    ],
  ];
  return lines.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${indent}${k} : ${v}`);
}

export function detailsText(d: EntryDetails): string[] {
  const kindText = { personal: 'personal certificate', signer: 'signer certificate', request: 'certificate request', secret: 'secret key', unknown: 'not understood (kept unchanged)' }[d.kind];
  const lines = [`Label : ${printableLabel(d.label)}`, `Kind : ${kindText}`, `Private Key : ${d.hasPrivateKey ? 'yes' : 'no'}`];
  // runmqakm's "Trust Status": a signer whose trust is disabled ends no peer's chain.
  if (d.trusted !== undefined) lines.push(`Trusted : ${d.trusted ? 'yes' : 'no (enable with -cert -modify -trust enable)'}`);
  if (d.reason) lines.push(`Reason : ${d.reason}`);
  if (d.algorithm) lines.push(`Algorithm : ${d.algorithm}`);
  const [own, ...issuers] = d.chain;
  if (own) lines.push(...certificateLines(own));
  issuers.forEach((c, i) => {
    lines.push(`Chain certificate ${i + 2}:`, ...certificateLines(c, '    '));
  });
  return lines;
}

export async function certDetails(api: KeyDeskApi, parsed: ParsedCommand, out: (line: string) => void): Promise<void> {
  const path = required(parsed, 'db');
  const label = required(parsed, 'label');
  const view = await api.openStore({ path, ...credentialsFrom(parsed) });
  try {
    const details = await api.entryDetails({ storeId: view.storeId, label });
    if (parsed.switches.has('json')) out(JSON.stringify(details, null, 2));
    else detailsText(details).forEach((line) => out(line));
  } finally {
    await api.closeStore({ storeId: view.storeId });
  }
}

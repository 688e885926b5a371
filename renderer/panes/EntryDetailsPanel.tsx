/** View Details: every fact of the selected entry's certificate and its chain. */
import type { CertificateDetails } from '../../core/x509/certificate-details';
import { useAppState } from '../app-state';

function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function CertificateFacts({ certificate }: { certificate: CertificateDetails }) {
  const rows: [string, string][] = [
    ['Subject', certificate.subject],
    ['Issuer', certificate.issuer],
    ['Serial', certificate.serial],
    ['Valid from', certificate.notBefore],
    ['Valid to', certificate.notAfter],
    ['Key', certificate.curve ? `${certificate.keyAlgorithm} ${certificate.curve}` : `${certificate.keyAlgorithm} ${certificate.keySize ?? ''} bits`],
    ['Signature algorithm', certificate.signatureAlgorithm],
    ['SHA-1 fingerprint', colonHex(certificate.sha1)],
    ['SHA-256 fingerprint', colonHex(certificate.sha256)],
    ['Subject alternative names', certificate.subjectAltNames.join(', ')],
    ['Key usage', certificate.keyUsage.join(', ')],
    ['Extended key usage', certificate.extendedKeyUsage.join(', ')],
    ['Basic constraints', certificate.basicConstraints ? (certificate.basicConstraints.ca ? 'CA' : 'not a CA') : ''],
  ];
  return (
    <dl>
      {rows
        .filter(([, value]) => value !== '')
        .map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

export function EntryDetailsPanel() {
  const selected = useAppState((s) => s.selected);
  if (!selected) return <aside className="details empty">Select an entry to see its details.</aside>;
  const [own, ...issuers] = selected.chain;
  return (
    <aside className="details" aria-label="Certificate details">
      <h2>{selected.label}</h2>
      {selected.reason && <p className="warning">{selected.reason}</p>}
      {own && !selected.chainComplete && (
        <p className="warning">Chain incomplete: the issuer of the last certificate below is not among this store's signer certificates.</p>
      )}
      {own && <CertificateFacts certificate={own} />}
      {issuers.map((certificate, i) => (
        <section key={certificate.sha256}>
          <h3>Issuer {i + 1}</h3>
          <CertificateFacts certificate={certificate} />
        </section>
      ))}
    </aside>
  );
}

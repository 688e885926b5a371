/**
 * A certificate's facts as every dialog shows them — View Details, Examine, and the
 * previews of Add… and Receive… — so a fingerprint reads the same wherever it is compared
 * with the one the CA or partner gave on the phone.
 */
import { Fragment, type ReactNode } from 'react';
import type { CertificateDetails } from '../../core/x509/certificate-details';
import type { CertificationRequestDetails } from '../../core/x509/certification-request-details';
import { ExpiryBadge } from '../components/ExpiryBadge';
import { commonNameOf, expiryOf, keyTextOf } from '../entry-rows';
import { selfSignatureNote } from '../../core/checks/entry-status';

/** The "Self-signed" fact, as -cert -details -json's selfSigned and the Doctor see it: a
 * root whose own MD2 signature cannot be checked is one, and says so. */
export function selfSignedText(c: Pick<CertificateDetails, 'selfSigned' | 'selfSignatureNotCheckable'>): string {
  if (!c.selfSigned) return 'No';
  const note = selfSignatureNote(c);
  return note ? `Yes — ${note}` : 'Yes';
}

/** `ab12…` → `AB:12:…`, as openssl and keytool print fingerprints, to compare by eye. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/**
 * Colon hex that wraps only between bytes (at <wbr>), never inside one, so a long
 * fingerprint can still be compared pair by pair with openssl's; its text is openssl's.
 */
export function ColonHex({ hex, className = 'fingerprint' }: { hex: string; className?: string }) {
  const bytes = colonHex(hex).split(':');
  return (
    <code className={className}>
      {bytes.map((byte, i) => (
        <Fragment key={i}>
          {byte}
          {i < bytes.length - 1 && (
            <>
              :<wbr />
            </>
          )}
        </Fragment>
      ))}
    </code>
  );
}

export type Fact = [name: string, value: ReactNode];

export function Facts({ facts, label }: { facts: Fact[]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {facts
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

export function basicConstraintsText(c: Partial<CertificateDetails>): string {
  if (!c.basicConstraints) return 'None';
  const path = c.basicConstraints.pathLength !== undefined ? `, path length ${c.basicConstraints.pathLength}` : '';
  return c.basicConstraints.ca ? `CA${path}` : 'Not a CA';
}

export function listOrNone(values: string[] | undefined): ReactNode {
  if (!values || values.length === 0) return 'None';
  if (values.length === 1) return values[0];
  return (
    <ul className="plain">
      {values.map((v) => (
        <li key={v}>{v}</li>
      ))}
    </ul>
  );
}

const when = (iso: string | undefined) => iso?.replace('T', ' ').replace('Z', ' UTC');
/** To the minute: a preview's validity fits one line beside the other facts. */
const whenShort = (iso: string | undefined) => iso?.replace(/T(\d\d:\d\d):\d\dZ$/, ' $1 UTC');

export function validityFacts(c: Partial<CertificateDetails>): Fact[] {
  if (!c.notAfter) return [];
  return [
    ['Valid from', when(c.notBefore)],
    [
      'Valid until',
      <>
        {when(c.notAfter)} <ExpiryBadge expiry={expiryOf(c, Date.now())} />
      </>,
    ],
  ];
}

export function fingerprintFacts(c: Pick<CertificateDetails, 'sha256' | 'sha1'>): Fact[] {
  return [
    ['SHA-256 fingerprint', <ColonHex hex={c.sha256} />],
    ['SHA-1 fingerprint', <ColonHex hex={c.sha1} />],
  ];
}

export function certificateFacts(c: CertificateDetails, withFingerprints = true): Fact[] {
  return [
    ['Subject', c.subject],
    ['Issuer', c.issuer],
    ['Serial number', <ColonHex hex={c.serial} className="serial" />],
    ...validityFacts(c),
    ['Public key', keyTextOf(c) + (c.keySize && !c.curve ? ' bits' : '')],
    ['Signature algorithm', c.signatureAlgorithm],
    ...(withFingerprints ? fingerprintFacts(c) : []),
  ];
}

export function extensionFacts(c: CertificateDetails): Fact[] {
  return [
    ['Subject alternative names', listOrNone(c.subjectAltNames)],
    ['Key usage', listOrNone(c.keyUsage)],
    ['Extended key usage', listOrNone(c.extendedKeyUsage)],
    ['Basic constraints', basicConstraintsText(c)],
  ];
}

/** What to check before trusting a certificate: who it is, who vouches for it, until when,
 * and the fingerprint to compare with the one its owner gave. */
export function CertificateSummary({ certificate, extra = [], label }: { certificate: CertificateDetails; extra?: Fact[]; label?: string }) {
  return (
    <Facts
      label={label ?? `Certificate ${commonNameOf(certificate.subject) || certificate.subject}`}
      facts={[
        ['Subject', certificate.subject],
        ['Issuer', certificate.selfSigned ? <>{certificate.issuer} (self-signed{selfSignatureNote(certificate) ? `; ${selfSignatureNote(certificate)}` : ''})</> : certificate.issuer],
        // One row, so the question under the facts stays in view on a small screen.
        [
          'Validity',
          <>
            {whenShort(certificate.notBefore)} to {whenShort(certificate.notAfter)} <ExpiryBadge expiry={expiryOf(certificate, Date.now())} />
          </>,
        ],
        ['SHA-256 fingerprint', <ColonHex hex={certificate.sha256} />],
        ...extra,
      ]}
    />
  );
}

export function requestFacts(r: Partial<CertificationRequestDetails>): Fact[] {
  return [
    ['Subject', r.subject],
    ['Public key', keyTextOf(r) + (r.keySize && !r.curve ? ' bits' : '')],
    ['Signature algorithm', r.signatureAlgorithm],
    ['Subject alternative names', listOrNone(r.subjectAltNames)],
    ['SHA-256 of the request', r.sha256 ? <ColonHex hex={r.sha256} /> : undefined],
  ];
}

/**
 * View Details: everything `keydesk -cert -details` prints about an entry — names,
 * validity, key, fingerprints, extensions — and its chain as a peer would build it from
 * this store, root first, each link saying whether it is trusted here.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import type { EntryDetails } from '../../core/api/contract';
import type { CertificateDetails } from '../../core/x509/certificate-details';
import { ModalDialog } from '../components/ModalDialog';
import { ExpiryBadge } from '../components/ExpiryBadge';
import { commonNameOf, expiryOf, keyTextOf } from '../entry-rows';
import { keydesk } from '../keydesk-client';
import { useAppState } from '../app-state';
import { errorText, reportChange } from './action-support';
import { CopyPemAction } from './CopyPemAction';

/** `ab12…` → `AB:12:…`, as openssl and keytool print fingerprints, to compare by eye. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/**
 * Colon hex that wraps only between bytes (at <wbr>), never inside one, so a long
 * fingerprint can still be compared pair by pair with openssl's; its text is openssl's.
 */
function ColonHex({ hex, className = 'fingerprint' }: { hex: string; className?: string }) {
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

const kindWords: Record<EntryDetails['kind'], string> = {
  personal: 'Personal certificate',
  signer: 'Signer certificate',
  request: 'Certificate request',
  secret: 'Secret key',
  unknown: 'Entry KeyDesk cannot read (kept unchanged)',
};

type Fact = [name: string, value: ReactNode];

function Facts({ facts, label }: { facts: Fact[]; label?: string }) {
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

function basicConstraintsText(c: Partial<CertificateDetails>): string {
  if (!c.basicConstraints) return 'None';
  const path = c.basicConstraints.pathLength !== undefined ? `, path length ${c.basicConstraints.pathLength}` : '';
  return c.basicConstraints.ca ? `CA${path}` : 'Not a CA';
}

function listOrNone(values: string[] | undefined): ReactNode {
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

function validityFacts(c: Partial<CertificateDetails>): Fact[] {
  if (!c.notAfter) return [];
  return [
    ['Valid from', c.notBefore?.replace('T', ' ').replace('Z', ' UTC')],
    [
      'Valid until',
      <>
        {c.notAfter.replace('T', ' ').replace('Z', ' UTC')} <ExpiryBadge expiry={expiryOf(c, Date.now())} />
      </>,
    ],
  ];
}

function fingerprintFacts(c: Pick<CertificateDetails, 'sha256' | 'sha1'>): Fact[] {
  return [
    ['SHA-256 fingerprint', <ColonHex hex={c.sha256} />],
    ['SHA-1 fingerprint', <ColonHex hex={c.sha1} />],
  ];
}

function certificateFacts(c: CertificateDetails, withFingerprints = true): Fact[] {
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

/** One link of the chain, root at the top: who it is and whether this store trusts it. */
function chainLinkStatus(details: EntryDetails, index: number): { text: string; tone: 'good' | 'warn' | 'plain' } {
  const last = details.chain.length - 1;
  const link = details.chain[index]!;
  const expired = expiryOf(link, Date.now()).state === 'expired' ? ' — expired' : '';
  if (index === 0) {
    const own = details.kind === 'personal' ? 'This certificate, with its private key' : 'This certificate';
    if (details.kind === 'signer' && details.trusted === false) return { text: `${own}: kept, not trusted${expired}`, tone: 'warn' };
    if (last === 0 && link.selfSigned) {
      return details.kind === 'signer'
        ? { text: `Trusted root: ${own.toLowerCase()}${expired}`, tone: expired ? 'warn' : 'good' }
        : { text: `${own}, self-signed: partners must add it as a signer${expired}`, tone: expired ? 'warn' : 'plain' };
    }
    return { text: own + expired, tone: expired ? 'warn' : 'plain' };
  }
  if (index === last && details.chainComplete) return { text: `Trusted root, in Signer Certificates${expired}`, tone: expired ? 'warn' : 'good' };
  return { text: `Issuer, in Signer Certificates${expired}`, tone: expired ? 'warn' : 'good' };
}

function ChainTree({ details }: { details: EntryDetails }) {
  const top = details.chain[details.chain.length - 1];
  // Nested from the root down, as certificate viewers show it.
  let tree: ReactNode = null;
  details.chain.forEach((link, index) => {
    const status = chainLinkStatus(details, index);
    tree = (
      <li className={`chain-link ${status.tone}`}>
        <details open={false}>
          <summary>
            <span className="chain-name">{commonNameOf(link.subject) || link.subject}</span>
            <span className="chain-status">{status.text}</span>
          </summary>
          <Facts facts={certificateFacts(link)} />
        </details>
        {tree && <ol className="chain-children">{tree}</ol>}
      </li>
    );
  });
  return (
    <>
      {!details.chainComplete && top && (
        <p className="warning-box" role="note">
          <strong>Chain incomplete.</strong> The issuer of “{commonNameOf(top.subject)}”, “{commonNameOf(top.issuer) || top.issuer}”, is not among this store's
          signer certificates. Add that CA certificate (and its own issuers) as signer certificates so the chain can be sent and checked.
        </p>
      )}
      <ol className="chain-tree" aria-label="Certificate chain, root first">
        {!details.chainComplete && top && (
          <li className="chain-link missing">
            <div className="chain-missing">
              <span className="chain-name">{commonNameOf(top.issuer) || top.issuer}</span>
              <span className="chain-status">Not in this store</span>
            </div>
            <ol className="chain-children">{tree}</ol>
          </li>
        )}
        {(details.chainComplete || !top) && tree}
      </ol>
    </>
  );
}

/**
 * iKeyman's "Set the certificate as a trusted root" for a signer. Off keeps the
 * certificate but no partner's chain may end at it; only a CMS .kdb can record that, so
 * elsewhere the switch shows the state and says why it cannot be turned off.
 */
function TrustSwitch({ storeId, details, onChanged }: { storeId: string; details: EntryDetails; onChanged: (trusted: boolean) => void }) {
  const store = useAppState((state) => state.stores.find((s) => s.view.storeId === storeId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const trusted = details.trusted !== false;
  const canSwitchOff = store?.view.format === 'cms';
  async function toggle(wanted: boolean) {
    if (!store) return;
    setBusy(true);
    setError(undefined);
    try {
      const changed = await keydesk.setSignerTrust({ store: { storeId }, label: details.label, trusted: wanted });
      reportChange(store, changed, wanted ? `“${details.label}” is trusted.` : `“${details.label}” is kept but no longer trusted.`);
      onChanged(wanted);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={trusted} disabled={busy || !store || store.view.readOnly || (trusted && !canSwitchOff)} onChange={(e) => void toggle(e.target.checked)} />
        Trusted root: partners' chains may end here
      </label>
      {trusted && !canSwitchOff && <p className="hint">This store type has no trust switch; delete the certificate to stop trusting it.</p>}
      {!trusted && <p className="hint">Kept but not trusted: a partner whose chain ends here is refused (AMQ9633).</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function DetailsBody({ details, storeId, onTrustChanged }: { details: EntryDetails; storeId: string; onTrustChanged: (trusted: boolean) => void }) {
  const [own] = details.chain;
  const general: Fact[] = [
    ['Label', details.label],
    ['Kind', kindWords[details.kind]],
    ['Trust', details.kind === 'signer' ? <TrustSwitch storeId={storeId} details={details} onChanged={onTrustChanged} /> : undefined],
    ['Private key', details.hasPrivateKey ? 'Yes, kept in this key store (never shown)' : 'No'],
    ['Algorithm', details.algorithm],
    ['Problem', details.reason],
    ['X.509 version', own ? String(own.version) : undefined],
    ['Self-signed', own ? (own.selfSigned ? 'Yes' : 'No') : undefined],
  ];
  if (details.kind === 'request') {
    return (
      <>
        <section aria-labelledby="details-general">
          <h3 id="details-general">Certificate request</h3>
          <Facts
            facts={[
              ...general,
              ['Subject', details.subject],
              ['Public key', keyTextOf(details) + (details.keySize && !details.curve ? ' bits' : '')],
              ['Signature algorithm', details.signatureAlgorithm],
              ['Subject alternative names', listOrNone(details.subjectAltNames)],
              ['SHA-256 of the request', details.sha256 ? <ColonHex hex={details.sha256} /> : undefined],
            ]}
          />
          <p className="hint">Send the request to your CA, then use Receive… with the certificate it returns.</p>
        </section>
      </>
    );
  }
  return (
    <div className="details-layout">
      <section aria-labelledby="details-general">
        <h3 id="details-general">Certificate</h3>
        <Facts facts={[...general, ...(own ? certificateFacts(own, false) : [])]} />
      </section>
      <div className="details-side">
        {own && (
          <section aria-labelledby="details-chain">
            <h3 id="details-chain">Certificate chain</h3>
            <ChainTree details={details} />
          </section>
        )}
        {own && (
          <section aria-labelledby="details-extensions">
            <h3 id="details-extensions">Extensions</h3>
            <Facts
              facts={[
                ['Subject alternative names', listOrNone(own.subjectAltNames)],
                ['Key usage', listOrNone(own.keyUsage)],
                ['Extended key usage', listOrNone(own.extendedKeyUsage)],
                ['Basic constraints', basicConstraintsText(own)],
              ]}
            />
          </section>
        )}
      </div>
      {own && (
        <section className="details-wide" aria-labelledby="details-fingerprints">
          <h3 id="details-fingerprints">Fingerprints</h3>
          <Facts facts={fingerprintFacts(own)} />
        </section>
      )}
    </div>
  );
}

export function EntryDetailsDialog({ storeId, label, onClose }: { storeId: string; label: string; onClose: () => void }) {
  const [details, setDetails] = useState<EntryDetails>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    keydesk
      .entryDetails({ storeId, label })
      .then((d) => current && setDetails(d))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [storeId, label]);

  const hasCertificate = details !== undefined && details.chain.length > 0;
  return (
    <ModalDialog
      title={`Details: ${label}`}
      subtitle={details ? kindWords[details.kind] : undefined}
      size="large"
      onClose={onClose}
      footer={
        <>
          {hasCertificate && <CopyPemAction storeId={storeId} label={label} />}
          <button type="button" onClick={onClose} autoFocus>
            Close
          </button>
        </>
      }
    >
      {!details && !error && <p className="hint">Reading the certificate…</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {details && <DetailsBody details={details} storeId={storeId} onTrustChanged={(trusted) => setDetails({ ...details, trusted })} />}
    </ModalDialog>
  );
}

/**
 * View Details: everything `keydesk -cert -details` prints about an entry — names,
 * validity, key, fingerprints, extensions — and its chain as a peer would build it from
 * this store, root first, each link saying whether it is trusted here.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { EntryDetails } from '../../core/api/contract';
import { ModalDialog } from '../components/ModalDialog';
import { commonNameOf, expiryOf } from '../entry-rows';
import { keydesk } from '../keydesk-client';
import { useAppState } from '../app-state';
import { errorText, reportChange } from './action-support';
import { CopyPemAction } from './CopyPemAction';
import { certificateFacts, extensionFacts, Facts, fingerprintFacts, requestFacts, selfSignedText, type Fact } from './certificate-facts';
import { confirmUntrust } from './UntrustSignerDialog';
import { SslPeerSection } from '../checks/SslPeerHelper';

export { colonHex } from './certificate-facts';

const kindWords: Record<EntryDetails['kind'], string> = {
  personal: 'Personal certificate',
  signer: 'Signer certificate',
  request: 'Certificate request',
  secret: 'Secret key',
  unknown: 'Entry KeyDesk cannot read (kept unchanged)',
};

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
    // Untrusting saves at once and can break the store's own certificates: ask first.
    if (!wanted && !(await confirmUntrust(details))) return;
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
    ['Self-signed', own ? selfSignedText(own) : undefined],
  ];
  if (details.kind === 'request') {
    return (
      <>
        <section aria-labelledby="details-general">
          <h3 id="details-general">Certificate request</h3>
          <Facts
            facts={[
              ...general,
              ...requestFacts(details),
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
            <Facts facts={extensionFacts(own)} />
          </section>
        )}
      </div>
      {own && (
        <section className="details-wide" aria-labelledby="details-fingerprints">
          <h3 id="details-fingerprints">Fingerprints</h3>
          <Facts facts={fingerprintFacts(own)} />
        </section>
      )}
      {own && (details.kind === 'personal' || details.kind === 'signer') && <SslPeerSection storeId={storeId} label={details.label} />}
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

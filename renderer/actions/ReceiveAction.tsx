/**
 * Receive…: the certificate the CA signed, matched to its pending request (or to a
 * personal key, for a renewal). CA certificates in the same file become signers. When the
 * CA that signed it is neither a signer nor in the file, the dialog says so as soon as the
 * file is read and offers "Add this CA…": the CA's file is chosen here and shown before it
 * is trusted, and on OK the CA and the received certificate are saved in one change, so a
 * refused receive adds no CA either.
 */
import { useEffect, useRef, useState } from 'react';
import type { ExaminedCertificate, ExaminedFile } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { CheckboxField, FileField } from '../components/FormFields';
import { commonNameOf } from '../entry-rows';
import { besideStore, reportChange, storeName } from './action-support';
import { CertificateSummary } from './certificate-facts';
import type { PaneActionProps } from './pane-actions';
import { useActionRun } from './use-action-run';
import { useExaminedFile, type ExaminedState } from './use-examined-file';

const nameOf = (dn: string) => commonNameOf(dn) || dn;

/** Why the chosen CA file cannot complete the chain, in words; undefined when it can. */
function caFileProblem(needed: string, ca: ExaminedState | undefined): string | undefined {
  if (!ca) return undefined;
  if (ca.error) return ca.error;
  const certificates = ca.examined?.certificates ?? [];
  if (certificates.length === 0) return 'This file holds no certificate: choose the CA’s certificate file';
  const match = certificates.find((c) => c.subject === needed);
  if (!match) return `This file holds ${certificates.map((c) => `“${nameOf(c.subject)}”`).join(', ')}, not “${nameOf(needed)}”: choose the certificate of the CA that signed it`;
  if (match.missingIssuer) {
    return `“${nameOf(needed)}” was itself signed by “${nameOf(match.missingIssuer)}”, which is not in Signer Certificates either: choose a file that holds both (the CA’s chain)`;
  }
  return undefined;
}

function AddCaSection({ needed, caFile, onCaFile, ca, trust, onTrust, store }: {
  needed: string;
  caFile: string;
  onCaFile: (path: string) => void;
  ca: ExaminedState | undefined;
  trust: boolean;
  onTrust: (trust: boolean) => void;
  store: OpenStore;
}) {
  const problem = caFileProblem(needed, ca);
  const certificates = ca?.examined?.certificates ?? [];
  return (
    <section className="add-ca" aria-labelledby="add-ca-heading">
      <h3 id="add-ca-heading" className="visually-hidden">
        Add this CA
      </h3>
      <FileField
        label="CA certificate file"
        value={caFile}
        onChange={onCaFile}
        choose={{ mode: 'open', title: 'Add the CA certificate', kind: 'certificate', defaultPath: besideStore(store, '') }}
        error={problem}
        hint={`The certificate of “${nameOf(needed)}” (a chain file adds its root too).`}
      />
      {certificates.map((c, i) => (
        <CertificateSummary key={c.sha256} certificate={c} label={`CA certificate ${i + 1}: ${nameOf(c.subject)}`} />
      ))}
      {certificates.length > 0 && !problem && (
        <TrustQuestion certificates={certificates} needed={needed} trust={trust} onTrust={onTrust} />
      )}
    </section>
  );
}

/** The confirmation, scrolled into view once the facts above it are there to be read. */
function TrustQuestion({ certificates, needed, trust, onTrust }: { certificates: ExaminedCertificate[]; needed: string; trust: boolean; onTrust: (trust: boolean) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // In braces: newer Chromium returns a promise here, which React would take for a cleanup.
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const added = certificates.filter((c) => c.heldAs === undefined).map((c) => `“${c.proposedLabel}”`);
  return (
    <div ref={ref}>
      <CheckboxField
        label={`Trust “${nameOf(needed)}”: add it to Signer Certificates${added.length > 0 ? ` as ${added.join(', ')}` : ''}`}
        checked={trust}
        onChange={onTrust}
        hint="Compare its SHA-256 fingerprint with the one your CA publishes. The CA and the certificate are saved together, or neither."
      />
    </div>
  );
}

/** The issuer the store and the file both lack, as Receive would name it: Receive builds
 * the chain of the certificate that is not a CA, so only its chain counts when there is one. */
function missingIssuerOf(examined: ExaminedFile | undefined): string | undefined {
  const certificates = examined?.certificates ?? [];
  const leaves = certificates.filter((c) => !c.basicConstraints?.ca);
  return (leaves.length > 0 ? leaves : certificates).find((c) => c.missingIssuer !== undefined)?.missingIssuer;
}

function ReceiveDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [file, setFile] = useState('');
  const [addingCa, setAddingCa] = useState(false);
  const [caFile, setCaFile] = useState('');
  const [trust, setTrust] = useState(false);
  const { busy, error, run } = useActionRun();
  const storeRef = { storeId: store.view.storeId };
  const read = useExaminedFile(file, storeRef);
  const ca = useExaminedFile(addingCa ? caFile : '', storeRef);
  const pending = store.rows.request.map((r) => r.label);
  const needed = missingIssuerOf(read?.examined);
  const withCa = needed !== undefined && addingCa;

  const fileError =
    file.trim() === ''
      ? 'File is required: the certificate your CA returned'
      : read?.error
        ? read.error
        : read?.examined?.request
          ? 'This file is a certificate request (what you send to the CA): choose the certificate the CA returned'
          : undefined;
  const reading = (file.trim() !== '' && !read) || (withCa && caFile.trim() !== '' && !ca) ? 'Wait while the file is read' : undefined;
  const caProblem = !needed
    ? undefined
    : !addingCa
      ? `Add the CA that signed the certificate, “${nameOf(needed)}” (Add this CA…)`
      : caFile.trim() === ''
        ? 'CA certificate file is required'
        : caFileProblem(needed, ca) ?? (trust ? undefined : `Tick “Trust ${nameOf(needed)}” to add the CA`);

  function submit() {
    return run(withCa ? 'Adding the CA and receiving the certificate…' : 'Receiving the certificate…', async () => {
      const before = new Set(store.view.entries.filter((e) => e.kind === 'personal').map((e) => `${e.label}\n${e.sha256}`));
      const changed = await keydesk.receiveCertificate({ store: storeRef, file: file.trim(), ...(withCa ? { caFile: caFile.trim() } : {}) });
      const received = changed.entries.find((e) => e.kind === 'personal' && !before.has(`${e.label}\n${e.sha256}`));
      const label = received?.label;
      reportChange(store, changed, `Received ${label ? `“${label}”` : 'the certificate'} into ${storeName(store)}.`, label ? { pane: 'personal', label } : undefined);
      onClose();
    });
  }

  return (
    <ActionDialog
      title="Receive Certificate"
      subtitle={<span className="path">{store.view.path}</span>}
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={firstProblem(fileError, reading, caProblem)}
      busy={busy}
      error={error}
      okText={withCa ? 'Add CA and Receive' : 'OK'}
    >
      <FileField
        value={file}
        onChange={setFile}
        choose={{ mode: 'open', title: 'Receive a certificate', kind: 'certificate', defaultPath: besideStore(store, '') }}
        error={fileError}
        hint={withCa ? undefined : 'PEM, DER or PKCS#7, recognised from the content. CA certificates in the same file are added as signer certificates.'}
      />
      {needed ? (
        <div className="warning-box" role="note">
          <p className="missing-ca-text">
            <strong>The CA that signed this certificate is not in Signer Certificates</strong>, nor in the file: “{needed}”.
            {addingCa ? '' : ' Receive needs it to build the certificate’s chain.'}
          </p>
          {!addingCa && (
            <button type="button" className="secondary" onClick={() => setAddingCa(true)}>
              Add this CA…
            </button>
          )}
        </div>
      ) : (
        <p className="hint">
          {pending.length > 0 ? `Pending requests: ${pending.join(', ')}. ` : 'No pending request: a certificate for an existing personal key is received as a renewal. '}
          The CA that signed the certificate must be in Signer Certificates or in the same file; if it is not, this dialog offers to add it.
        </p>
      )}
      {withCa && <AddCaSection
          needed={needed}
          caFile={caFile}
          onCaFile={(path) => {
            // A new file is a new decision: what was ticked was for the other one.
            setCaFile(path);
            setTrust(false);
          }} ca={ca} trust={trust} onTrust={setTrust} store={store} />}
    </ActionDialog>
  );
}

export function receive(store: OpenStore): void {
  showDialog((close) => <ReceiveDialog store={store} onClose={close} />);
}

export function ReceiveAction({ store }: PaneActionProps) {
  return (
    <button type="button" className="secondary" onClick={() => receive(store)}>
      Receive…
    </button>
  );
}

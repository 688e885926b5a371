/**
 * Examine Certificate (KeyStore Explorer's Examine File / Examine Clipboard): what a
 * certificate file or pasted PEM holds — each certificate of a chain, or a request — shown
 * as View Details shows an entry, without opening or changing any store. What a partner
 * sent can be checked before anyone decides to trust it.
 */
import { useState } from 'react';
import type { ExaminedCertificate, ExaminedFile } from '../../core/api/contract';
import { ModalDialog } from '../components/ModalDialog';
import { FileField } from '../components/FormFields';
import { commonNameOf } from '../entry-rows';
import { certificateFacts, extensionFacts, Facts, fingerprintFacts, requestFacts, selfSignedText } from './certificate-facts';
import { useExaminedFile, useExaminedText, type ExaminedState } from './use-examined-file';

type Source = 'file' | 'text';

function roleOf(c: ExaminedCertificate): string {
  if (c.selfSigned) return c.basicConstraints?.ca ? 'Root CA (self-signed)' : 'Self-signed certificate';
  return c.basicConstraints?.ca ? 'CA certificate' : 'End-entity certificate';
}

function CertificateSection({ certificate: c, index, count }: { certificate: ExaminedCertificate; index: number; count: number }) {
  const id = `examined-${index}`;
  const name = commonNameOf(c.subject) || c.subject;
  return (
    <section className="examined-certificate" aria-labelledby={id}>
      <h3 id={id}>
        {count > 1 ? `Certificate ${index + 1} of ${count}: ` : ''}
        {name}
        <span className="examined-role"> — {roleOf(c)}</span>
      </h3>
      <div className="details-layout">
        <Facts
          label={`Certificate ${index + 1}`}
          facts={[...certificateFacts(c, false), ['X.509 version', String(c.version)], ['Self-signed', selfSignedText(c)]]}
        />
        <div className="details-side">
          <h4>Extensions</h4>
          <Facts facts={extensionFacts(c)} />
        </div>
        <div className="details-wide">
          <Facts facts={fingerprintFacts(c)} />
        </div>
      </div>
    </section>
  );
}

function Examined({ examined }: { examined: ExaminedFile }) {
  const count = examined.certificates.length;
  return (
    <>
      <p className="examined-summary" role="status">
        {examined.request
          ? `A certificate request, ${examined.encoding}.`
          : `${count === 1 ? 'One certificate' : `${count} certificates (a chain or bundle)`}, ${examined.encoding}. Nothing was imported.`}
      </p>
      {examined.notes.map((note) => (
        <p className="warning-box" role="note" key={note}>
          {note.charAt(0).toUpperCase() + note.slice(1)}
        </p>
      ))}
      {examined.request && (
        <section aria-labelledby="examined-request">
          <h3 id="examined-request">Certificate request</h3>
          <Facts facts={requestFacts(examined.request)} />
          <p className="hint">A request is what goes to the CA; it holds no certificate yet. Receive… takes the certificate the CA returns.</p>
        </section>
      )}
      {examined.certificates.map((c, i) => (
        <CertificateSection key={`${i}-${c.sha256}`} certificate={c} index={i} count={count} />
      ))}
    </>
  );
}

function Outcome({ state, waiting }: { state: ExaminedState | undefined; waiting: boolean }) {
  if (waiting && !state) return <p className="hint">Reading…</p>;
  if (!state) return null;
  if (state.error) {
    return (
      <p className="form-error" role="alert">
        {state.error}
      </p>
    );
  }
  return state.examined ? <Examined examined={state.examined} /> : null;
}

export function ExamineCertificateDialog({ onClose, defaultFolder, source: firstSource = 'file' }: { onClose: () => void; defaultFolder?: string; source?: Source }) {
  const [source, setSource] = useState<Source>(firstSource);
  const [file, setFile] = useState('');
  const [text, setText] = useState('');
  // Once read, pasted text folds to one line: the details are what was asked for, and a
  // private key pasted with a certificate should not stay on a projected screen.
  const [editing, setEditing] = useState(false);
  const fromFile = useExaminedFile(source === 'file' ? file : '');
  const fromText = useExaminedText(source === 'text' ? text : '');
  const state = source === 'file' ? fromFile : fromText;
  const waiting = source === 'file' ? file.trim() !== '' : text.trim() !== '';
  return (
    <ModalDialog
      title="Examine Certificate"
      subtitle="A certificate file, a chain or a request, read without importing it"
      size="large"
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <fieldset className="examine-source">
        <legend>Examine</legend>
        <label className="checkbox">
          <input type="radio" name="examine-source" checked={source === 'file'} onChange={() => setSource('file')} />
          A file
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="examine-source"
            checked={source === 'text'}
            onChange={() => {
              setSource('text');
              setEditing(false);
            }}
          />
          Pasted PEM text
        </label>
      </fieldset>
      {source === 'file' ? (
        <FileField
          value={file}
          onChange={setFile}
          choose={{ mode: 'open', title: 'Examine a certificate file', kind: 'any', defaultPath: defaultFolder }}
          hint="PEM, DER, Base64 or PKCS#7 certificates, or a certificate request, recognised from the content."
        />
      ) : fromText?.examined && !editing ? (
        <p className="examine-pasted">
          <span>
            Pasted text: {text.trim().split(/\r?\n/).length} lines{fromText.examined.notes.length > 0 ? ' (its private key is not shown)' : ''}.
          </span>
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Show the text
          </button>
        </p>
      ) : (
        <div className="field">
          <label htmlFor="examine-pem">PEM text</label>
          <textarea
            id="examine-pem"
            className="mono examine-pem"
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            spellCheck={false}
            autoComplete="off"
          />
          <p className="hint">Paste one or more certificates, or a request, as sent by mail or copied from a CA’s page.</p>
        </div>
      )}
      <Outcome state={state} waiting={waiting} />
    </ModalDialog>
  );
}

/**
 * "Copy PEM": the entry's certificate, and the issuers the store holds for it, as PEM text
 * on the clipboard — what a partner or a CA form asks for. Public data only (the contract's
 * certificatePem never returns a key). Where the clipboard is refused, the text is shown
 * selected instead, so Ctrl+C still works.
 */
import { useEffect, useRef, useState } from 'react';
import { keydesk } from '../keydesk-client';

type CopyState =
  | { state: 'idle' }
  | { state: 'copying' }
  | { state: 'copied'; count: number }
  | { state: 'manual'; pem: string; why: string }
  | { state: 'failed'; message: string };

export function CopyPemAction({ storeId, label }: { storeId: string; label: string }) {
  const [copy, setCopy] = useState<CopyState>({ state: 'idle' });
  const manualRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (copy.state === 'manual') manualRef.current?.select();
  }, [copy]);

  async function run() {
    setCopy({ state: 'copying' });
    let pem: string;
    try {
      pem = (await keydesk.certificatePem({ store: { storeId }, label })).pem;
    } catch (e) {
      setCopy({ state: 'failed', message: (e as Error).message });
      return;
    }
    const count = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
    try {
      await navigator.clipboard.writeText(pem);
      setCopy({ state: 'copied', count });
    } catch {
      setCopy({ state: 'manual', pem, why: 'The clipboard is not available here.' });
    }
  }

  return (
    <div className="copy-pem">
      <button type="button" className="secondary" onClick={() => void run()} disabled={copy.state === 'copying'}>
        Copy PEM
      </button>
      <span role="status" className={`copy-status ${copy.state}`}>
        {copy.state === 'copied' &&
          `✓ Copied the certificate${copy.count > 1 ? ` and ${copy.count - 1} issuer${copy.count > 2 ? 's' : ''}` : ''} as PEM to the clipboard.`}
        {copy.state === 'failed' && copy.message}
        {copy.state === 'manual' && `${copy.why} The PEM is selected below: press Ctrl+C (⌘C on a Mac).`}
      </span>
      {copy.state === 'manual' && <textarea ref={manualRef} className="pem-text" readOnly value={copy.pem} aria-label="Certificate PEM" rows={8} />}
    </div>
  );
}

/**
 * SSLPEER… in exchange mode: for each side, the value its channel (a queue manager's
 * SSLPEER, a client's CLNTCONN SSLPEER or SSLPEERNAME) needs to accept the partner's certificate, with a field to
 * test the value the partner's team proposes. Read only: nothing is written to either store.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { ModalDialog } from '../components/ModalDialog';
import { SelectField } from '../components/FormFields';
import { labelOptions, personalLabels } from '../checks/personal-labels';
import { forPair, roleOf, useExchangeState } from '../checks/exchange-state';
import { SslPeerPatternTest, SslPeerValueView } from '../checks/SslPeerHelper';
import { distinctNames } from '../store-names';

function PartnerSide({ checker, checkerName, checkerIsQm, partner, partnerName, initialLabel }: {
  checker: 'A' | 'B';
  checkerName: string;
  checkerIsQm: boolean;
  partner: OpenStore;
  partnerName: string;
  initialLabel?: string;
}) {
  const [label, setLabel] = useState(initialLabel ?? personalLabels(partner)[0] ?? '');
  // A client's CLNTCONN channel (CCDT) has SSLPEER too; JMS, XMS and .NET call it SSLPEERNAME.
  const where = checkerIsQm ? `On the channel of ${checker} (${checkerName})` : `On the client channel of ${checker} (CLNTCONN; SSLPEERNAME in JMS and .NET)`;
  const headingId = `sslpeer-side-${checker}`;
  return (
    <section className="sslpeer" aria-labelledby={headingId}>
      <h3 id={headingId}>
        SSLPEER on {checker}, to accept {partnerName}
      </h3>
      <SelectField label={`Certificate ${partnerName} presents`} value={label} options={labelOptions(partner)} onChange={setLabel} />
      {label ? (
        <>
          <SslPeerValueView storeId={partner.view.storeId} label={label} heading={where} />
          <SslPeerPatternTest storeId={partner.view.storeId} label={label} fieldLabel={`Test a value against “${label}”`} />
        </>
      ) : (
        <p className="hint">{partnerName} has no personal certificate to match.</p>
      )}
    </section>
  );
}

function SslPeerExchangeDialog({ a, b, onClose }: { a: OpenStore; b: OpenStore; onClose: () => void }) {
  const { exchange, roles } = useExchangeState.getState();
  const run = forPair(exchange, a.view.storeId, b.view.storeId);
  const [nameA, nameB] = distinctNames([a.view.path, b.view.path]) as [string, string];
  const qmA = roleOf(roles, a, 'A', b) === 'queue manager';
  const qmB = roleOf(roles, b, 'B', a) === 'queue manager';
  return (
    <ModalDialog
      title="SSLPEER"
      subtitle="The peer names each side’s channel can require of the other’s certificate."
      size="large"
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose} data-initial-focus>
          Close
        </button>
      }
    >
      <div className="sslpeer-exchange">
        <PartnerSide checker="A" checkerName={nameA} checkerIsQm={qmA} partner={b} partnerName={`B (${nameB})`} initialLabel={run?.bLabel} />
        <PartnerSide checker="B" checkerName={nameB} checkerIsQm={qmB} partner={a} partnerName={`A (${nameA})`} initialLabel={run?.aLabel} />
      </div>
    </ModalDialog>
  );
}

export function sslPeerForPartners(a: OpenStore, b: OpenStore): void {
  showDialog((close) => <SslPeerExchangeDialog a={a} b={b} onClose={close} />);
}

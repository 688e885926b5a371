/**
 * Export List…: the store's certificates as a CSV file (one row per entry: label, kind,
 * subject, issuer, serial, validity, SHA-256, key algorithm and size, signature algorithm,
 * status; core/checks/list-report.ts) or a printable HTML page with an expiry timeline —
 * what a help desk attaches to a ticket.
 */
import { useState } from 'react';
import type { OpenStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { FileField, SelectField } from '../components/FormFields';
import { fileNameOf, stemOf } from '../paths';
import { besideStore, reportDone, withExtension } from './action-support';
import { useActionRun } from './use-action-run';

type ReportFormat = 'csv' | 'html';
type ReportFilter = 'all' | 'personal' | 'ca';

const formatOptions = [
  { value: 'csv', text: 'CSV (spreadsheet)' },
  { value: 'html', text: 'HTML (printable, with an expiry timeline)' },
] as const;
const filterOptions = [
  { value: 'all', text: 'All certificates' },
  { value: 'personal', text: 'Personal Certificates' },
  { value: 'ca', text: 'Signer Certificates' },
] as const;

function ExportListDialog({ store, onClose }: { store: OpenStore; onClose: () => void }) {
  const [format, setFormat] = useState<ReportFormat>('csv');
  const [filter, setFilter] = useState<ReportFilter>('all');
  const [file, setFile] = useState(besideStore(store, `${stemOf(fileNameOf(store.view.path))}-certificates.csv`));
  const { busy, error, run } = useActionRun();
  const fileError = file.trim() === '' ? 'File is required: where to write the list' : undefined;

  function changeFormat(next: ReportFormat) {
    setFile((f) => withExtension(f, `.${format}`, `.${next}`));
    setFormat(next);
  }

  function submit() {
    return run('Writing the list…', async () => {
      const report = await keydesk.storeReport({ store: { storeId: store.view.storeId }, format, filter, target: file.trim() });
      reportDone(`Wrote the certificate list to ${report.written.join(', ') || file.trim()}.`);
      onClose();
    });
  }

  return (
    <ActionDialog title="Export List" subtitle={<span className="path">{store.view.path}</span>} onClose={onClose} onSubmit={() => void submit()} problem={firstProblem(fileError)} busy={busy} error={error}>
      <SelectField label="Format" value={format} options={formatOptions} onChange={(v) => changeFormat(v as ReportFormat)} />
      <SelectField label="Entries" value={filter} options={filterOptions} onChange={(v) => setFilter(v as ReportFilter)} />
      <FileField value={file} onChange={setFile} choose={{ mode: 'save', title: 'Export the certificate list', kind: 'any', defaultPath: file }} error={fileError} />
    </ActionDialog>
  );
}

export function exportList(store: OpenStore): void {
  showDialog((close) => <ExportListDialog store={store} onClose={close} />);
}

/**
 * Scan Folder…: the CLI's `-keydb -scan DIR` in the window. Every key store under a folder
 * (on the machine running KeyDesk), each opened with its stash or the one password given,
 * checked by the MQ doctor, with the certificates that expire soon — and the stores that
 * did not open, with the reason. Reads only. The HTML report is the CLI's `-format html`
 * page, written where the user says.
 *
 * The password typed here goes to the scan and nowhere else: it is not kept once the
 * dialog closes, and nothing of any store but its metadata comes back.
 */
import { useState } from 'react';
import type { FleetScan, ScannedStore, Severity } from '../../core/api/contract';
import { activeStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { FileField, TextField } from '../components/FormFields';
import { ActionDialog, firstProblem } from '../components/ActionDialog';
import { formatNames } from '../store-format';
import { folderOf, joinPath } from '../paths';
import { askPasswordAndOpen } from './OpenStoreAction';
import { chooseFile } from './choose-file';
import { useActionRun } from './use-action-run';

const severityWords: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Information' };

function daysProblem(days: string): string | undefined {
  return /^\d{1,5}$/.test(days.trim()) ? undefined : 'Days must be a whole number';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function count(store: ScannedStore, severity: Severity): number {
  return store.findings.filter((f) => f.severity === severity).length;
}

function Count({ n, tone }: { n: number; tone: 'error' | 'warning' | 'expired' | 'expiring' }) {
  return n === 0 ? <>0</> : <span className={`scan-${tone}`}>{n}</span>;
}

function StoresTable({ scan, onOpen }: { scan: FleetScan; onOpen: (path: string) => void }) {
  return (
    <table className="scan-table">
      <caption className="visually-hidden">Key stores under {scan.folder}</caption>
      <thead>
        <tr>
          <th scope="col">Store</th>
          <th scope="col">Format</th>
          <th scope="col">Opened with</th>
          <th scope="col">Entries</th>
          <th scope="col">Errors</th>
          <th scope="col">Warnings</th>
          <th scope="col">Expired or expiring</th>
          <th scope="col">
            <span className="visually-hidden">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {scan.stores.map((s) => (
          <tr key={s.path}>
            <th scope="row" title={s.path}>
              <span className="mono">{s.name}</span>
              {!s.opened && <span className="scan-reason">{s.guiReason ?? s.reason}</span>}
            </th>
            <td>{s.format ? formatNames[s.format] : '—'}</td>
            <td>{s.opened ? (s.opensWith === 'stash' ? 'Stash' : 'Password given') : <span className="scan-error">Not opened</span>}</td>
            <td>{s.entries ?? '—'}</td>
            <td>
              <Count n={count(s, 'error')} tone="error" />
            </td>
            <td>
              <Count n={count(s, 'warning')} tone="warning" />
            </td>
            <td>
              <Count n={s.expiries.length} tone={s.expiries.some((e) => e.daysLeft < 0) ? 'expired' : 'expiring'} />
            </td>
            <td>
              <button type="button" className="secondary small" onClick={() => onOpen(s.path)} aria-label={`Open ${s.name}`}>
                Open…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExpiriesTable({ scan }: { scan: FleetScan }) {
  const expiries = scan.stores.flatMap((s) => s.expiries.map((e) => ({ ...e, store: s.name }))).sort((x, y) => x.daysLeft - y.daysLeft);
  if (expiries.length === 0) return <p>None.</p>;
  return (
    <table className="scan-table">
      <caption className="visually-hidden">Certificates expired or expiring within {scan.days} days</caption>
      <thead>
        <tr>
          <th scope="col">Store</th>
          <th scope="col">Label</th>
          <th scope="col">Kind</th>
          <th scope="col">Not after</th>
          <th scope="col">Days left</th>
        </tr>
      </thead>
      <tbody>
        {expiries.map((e) => (
          <tr key={`${e.store}:${e.kind}:${e.label}`}>
            <td className="mono">{e.store}</td>
            <th scope="row" className="mono">
              {e.label}
              <span className="sslpeer-subject muted">{e.subject}</span>
            </th>
            <td>{e.kind === 'personal' ? 'Personal' : 'Signer'}</td>
            <td>{e.notAfter.slice(0, 10)}</td>
            <td>
              <span className={e.daysLeft < 0 ? 'scan-expired' : 'scan-expiring'}>{e.daysLeft < 0 ? `expired ${-e.daysLeft} days ago` : e.daysLeft}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FindingsByStore({ scan }: { scan: FleetScan }) {
  const withFindings = scan.stores.filter((s) => s.findings.length > 0);
  if (withFindings.length === 0) return <p>No findings.</p>;
  return (
    <>
      {withFindings.map((s) => (
        <section key={s.path} aria-label={`Findings in ${s.name}`}>
          <h4 className="mono">{s.name}</h4>
          <table className="scan-table">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Code</th>
                <th scope="col">Label</th>
                <th scope="col">Finding</th>
              </tr>
            </thead>
            <tbody>
              {s.findings.map((f, i) => (
                <tr key={i}>
                  <td>
                    <span className={`scan-${f.severity}`}>{severityWords[f.severity]}</span>
                  </td>
                  <td>
                    <code>{f.code}</code>
                  </td>
                  <td className="mono">{f.label ?? ''}</td>
                  <td>{f.message.charAt(0).toUpperCase() + f.message.slice(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

function ScanResults({ scan, onOpen }: { scan: FleetScan; onOpen: (path: string) => void }) {
  const t = scan.totals;
  return (
    <div className="scan-results">
      <p className="scan-summary" role="status">
        {t.stores === 0
          ? `No key stores under ${scan.folder}.`
          : `${plural(t.stores, 'store')}: ${t.opened} opened, ${t.notOpened} not opened. ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}. ${plural(t.expired, 'certificate')} expired, ${t.expiringSoon} expiring within ${scan.days} days.`}
      </p>
      {t.stores > 0 && (
        <>
          <h3>Stores</h3>
          <StoresTable scan={scan} onOpen={onOpen} />
          <h3>Expired or expiring within {scan.days} days</h3>
          <ExpiriesTable scan={scan} />
          <h3>Findings</h3>
          <FindingsByStore scan={scan} />
        </>
      )}
    </div>
  );
}

function ScanFolderDialog({ defaultFolder, onClose }: { defaultFolder?: string; onClose: () => void }) {
  const [folder, setFolder] = useState(defaultFolder ?? '');
  const [password, setPassword] = useState('');
  const [days, setDays] = useState('30');
  const [scan, setScan] = useState<FleetScan>();
  const [saved, setSaved] = useState<string>();
  // The dialog stays open with the results, so each run clears its own busy state.
  const { busy, error, run, setBusy } = useActionRun();
  const problem = firstProblem(folder.trim() === '' ? 'Folder is required: where the key stores are' : undefined, daysProblem(days));

  const request = () => ({ path: folder.trim(), days: Number(days.trim()), ...(password ? { password } : {}) });

  function submit() {
    if (problem || busy) return;
    return run('Scanning…', async () => {
      setSaved(undefined);
      setScan(await keydesk.scanFolder(request()));
      setBusy(undefined);
    });
  }

  async function saveReport() {
    if (!scan) return;
    const target = await chooseFile({ mode: 'save', title: 'Save the scan report (HTML)', kind: 'any', defaultPath: joinPath(scan.folder, 'key-stores-report.html') });
    if (!target) return;
    // The report is the scan at the time it is written, so the stores are read again.
    await run('Scanning again and writing the report…', async () => {
      const result = await keydesk.scanFolder({ ...request(), path: scan.folder, htmlTarget: target });
      setScan(result);
      setSaved(`Wrote the report to ${result.written.join(', ')}.`);
      setBusy(undefined);
    });
  }

  return (
    <ActionDialog
      title="Scan Folder"
      subtitle="Every key store under a folder on the machine running KeyDesk, checked as a queue manager would. Nothing is changed."
      size="large"
      onClose={onClose}
      onSubmit={() => void submit()}
      problem={problem}
      busy={busy}
      error={error}
      status={saved}
      okText={scan ? 'Scan Again' : 'Scan'}
      cancelText="Close"
      extraButtons={
        scan && (
          <button type="button" className="secondary" onClick={() => void saveReport()} disabled={Boolean(busy)}>
            Save Report (HTML)…
          </button>
        )
      }
    >
      <div className="scan-form">
        <FileField label="Folder" value={folder} onChange={setFolder} choose={{ mode: 'folder', title: 'Choose the folder to scan', kind: 'key-store', defaultPath: folder }} hint="Its sub-folders too (not links to folders)." />
        <TextField
          label="Password for stores without a stash (optional)"
          type="password"
          value={password}
          onChange={setPassword}
          hint="A store opens with its .sth stash first, as MQ does; this is tried where that fails."
        />
        <TextField label="Expiring within (days)" value={days} onChange={setDays} inputMode="numeric" error={daysProblem(days)} className="scan-days" />
      </div>
      {scan && (
        <ScanResults
          scan={scan}
          onOpen={(path) => {
            onClose();
            askPasswordAndOpen(path);
          }}
        />
      )}
    </ActionDialog>
  );
}

export function scanFolder(): void {
  const store = activeStore();
  // The folder of the store shown; a wider sweep is one Browse… away.
  const defaultFolder = store ? folderOf(store.view.path) : undefined;
  showDialog((close) => <ScanFolderDialog defaultFolder={defaultFolder} onClose={close} />);
}

export function ScanFolderButton({ prominent = false }: { prominent?: boolean }) {
  return (
    <button type="button" className={prominent ? undefined : 'secondary'} onClick={scanFolder} title="Check every key store under a folder: findings, expiring certificates, stores that do not open">
      Scan Folder…
    </button>
  );
}

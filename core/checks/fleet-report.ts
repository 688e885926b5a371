/**
 * The fleet scan as one printable HTML page: totals, stores that did not open (with the
 * reason), certificates expiring across all stores on one timeline, then each store's
 * findings. Same page rules as every KeyDesk report (html-report.ts).
 */
import type { FleetScan } from './fleet-scan';
import { escapeHtml, htmlPage, htmlTable, timelineSvg } from './html-report';
import { validityTimeline } from './validity-timeline';

export function fleetScanHtml(scan: FleetScan): string {
  const now = new Date(scan.scannedAt);
  const t = scan.totals;
  const title = `Key stores under ${scan.folder}`;
  const parts: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(`Scanned ${scan.scannedAt.slice(0, 16).replace('T', ' ')} UTC. ${plural(t.stores, 'store')}: ${t.opened} opened, ${t.notOpened} not opened. ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}. ${plural(t.expired, 'certificate')} expired, ${t.expiringSoon} expiring within ${scan.days} days.`)}</p>`,
  ];

  parts.push('<h2>Stores</h2>');
  parts.push(
    htmlTable(
      ['Store', 'Format', 'Opened with', 'Entries', 'Errors', 'Warnings', 'Expiring or expired'],
      scan.stores.map((s) => [
        escapeHtml(s.name),
        escapeHtml(s.format?.toUpperCase() ?? '—'),
        s.opened ? escapeHtml(s.opensWith === 'stash' ? 'stash' : 'password given') : '<span class="error">not opened</span>',
        escapeHtml(s.entries === undefined ? '—' : String(s.entries)),
        count(s.findings.filter((f) => f.severity === 'error').length, 'error'),
        count(s.findings.filter((f) => f.severity === 'warning').length, 'warning'),
        count(s.expiries.length, s.expiries.some((e) => e.daysLeft < 0) ? 'expired' : 'expiring'),
      ]),
    ),
  );

  const unopened = scan.stores.filter((s) => !s.opened);
  if (unopened.length > 0) {
    parts.push('<h2>Stores that did not open</h2>');
    parts.push(htmlTable(['Store', 'Reason'], unopened.map((s) => [escapeHtml(s.name), escapeHtml(s.reason ?? '')])));
  }

  const expiries = scan.stores.flatMap((s) => s.expiries.map((e) => ({ ...e, store: s.name })));
  parts.push(`<h2>Expired or expiring within ${scan.days} days</h2>`);
  if (expiries.length === 0) {
    parts.push('<p>None.</p>');
  } else {
    const timeline = validityTimeline(expiries.map((e) => ({ label: e.label, group: e.store, notBefore: e.notBefore, notAfter: e.notAfter })), now, scan.days);
    parts.push(timelineSvg(timeline, `Certificates expiring within ${scan.days} days under ${scan.folder}`));
    parts.push(
      htmlTable(
        ['Store', 'Label', 'Kind', 'Subject', 'Not after', 'Days left'],
        [...expiries]
          .sort((a, b) => a.daysLeft - b.daysLeft)
          .map((e) => [escapeHtml(e.store), escapeHtml(e.label), escapeHtml(e.kind), escapeHtml(e.subject), escapeHtml(e.notAfter.slice(0, 10)), `<span class="${e.daysLeft < 0 ? 'expired' : 'expiring'}">${e.daysLeft}</span>`]),
      ),
    );
  }

  const withFindings = scan.stores.filter((s) => s.findings.length > 0);
  parts.push('<h2>Findings</h2>');
  if (withFindings.length === 0) parts.push('<p>No findings.</p>');
  for (const s of withFindings) {
    parts.push(`<h3>${escapeHtml(s.name)}</h3>`);
    parts.push(htmlTable(['Severity', 'Code', 'Label', 'Finding'], s.findings.map((f) => [`<span class="${f.severity}">${f.severity}</span>`, escapeHtml(f.code), escapeHtml(f.label ?? ''), escapeHtml(f.message)])));
  }
  return htmlPage(title, parts.join('\n'));
}

function count(n: number, cssClass: string): string {
  return n === 0 ? '0' : `<span class="${cssClass}">${n}</span>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Which of the Doctor's findings the panel draws. A help desk's signer list can give
 * thousands of findings of one kind (every partner certificate whose issuer is not in the
 * store); drawn one card each, they took seconds and buried the few that differ. The
 * first few of each code are shown, then one line saying how many more there are, with a
 * button to show them all.
 */
import type { Finding } from '../../core/api/contract';

export const shownPerCode = 10;

export type FindingItem = { finding: Finding; index: number } | { moreOf: string; hidden: number };

export function visibleFindings(findings: readonly Finding[], expanded: ReadonlySet<string>, limit = shownPerCode): FindingItem[] {
  const totals = new Map<string, number>();
  for (const f of findings) totals.set(f.code, (totals.get(f.code) ?? 0) + 1);
  const seen = new Map<string, number>();
  const items: FindingItem[] = [];
  findings.forEach((finding, index) => {
    const n = (seen.get(finding.code) ?? 0) + 1;
    seen.set(finding.code, n);
    const total = totals.get(finding.code)!;
    if (n <= limit || expanded.has(finding.code)) items.push({ finding, index });
    // The line stands where the first hidden finding would have been.
    else if (n === limit + 1) items.push({ moreOf: finding.code, hidden: total - limit });
  });
  return items;
}

import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/api/contract';
import { visibleFindings } from './finding-groups';

const finding = (code: string, label: string): Finding => ({ code, label, severity: 'error', message: `${label}: ${code}` }) as Finding;

describe('the Doctor panel draws', () => {
  const findings = [
    finding('STASH_MISSING', 'key.kdb'),
    ...Array.from({ length: 5000 }, (_, i) => finding('MISSING_ISSUER', `partner ${i + 1}`)),
    finding('EXPIRED', 'old partner'),
  ];

  it('every finding of a code that has few, and the first ten of one with thousands, then how many more', () => {
    const items = visibleFindings(findings, new Set());
    expect(items).toHaveLength(1 + 10 + 1 + 1);
    expect(items.slice(0, 3).map((i) => ('finding' in i ? i.finding.label : i.moreOf))).toEqual(['key.kdb', 'partner 1', 'partner 2']);
    expect(items[11]).toEqual({ moreOf: 'MISSING_ISSUER', hidden: 4990 });
    // What follows the hidden ones is still drawn, in its place.
    expect(items[12]).toMatchObject({ finding: { code: 'EXPIRED' }, index: 5001 });
  });

  it('all of a code once its Show all was pressed', () => {
    const items = visibleFindings(findings, new Set(['MISSING_ISSUER']));
    expect(items).toHaveLength(5002);
    expect(items.every((i) => 'finding' in i)).toBe(true);
  });

  it('exactly ten of a code without a line for none hidden', () => {
    const ten = Array.from({ length: 10 }, (_, i) => finding('WEAK_KEY', `k${i}`));
    expect(visibleFindings(ten, new Set()).every((i) => 'finding' in i)).toBe(true);
  });
});

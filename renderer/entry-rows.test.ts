/** The pane rows: names people read, expiry in words as well as colour, sorting and filtering. */
import { describe, it, expect } from 'vitest';
import type { EntrySummary } from '../core/api/contract';
import { commonNameOf, expiryOf, filterRows, rowsByPane, sortRows, statusOf, toEntryRow } from './entry-rows';

const now = Date.parse('2026-11-27T12:00:00Z');

const cert = (over: Partial<EntrySummary>): EntrySummary => ({
  label: 'x',
  kind: 'signer',
  hasPrivateKey: false,
  subject: 'CN=X',
  issuer: 'CN=X',
  notBefore: '2025-01-01T00:00:00Z',
  notAfter: '2030-01-01T00:00:00Z',
  keyAlgorithm: 'RSA',
  keySize: 2048,
  selfSigned: true,
  basicConstraints: { ca: true },
  ...over,
});

describe('commonNameOf', () => {
  it('takes the CN of an RFC 4514 name, escapes undone', () => {
    expect(commonNameOf('CN=QM1,O=KeyDesk Test')).toBe('QM1');
    expect(commonNameOf('CN=Smith\\, John,O=Acme')).toBe('Smith, John');
    expect(commonNameOf('CN=caf\\c3\\a9,O=x')).toBe('café');
    expect(commonNameOf('O=Acme+CN=multi,C=GB')).toBe('multi');
  });
  it('falls back to OU, O, then the whole name', () => {
    expect(commonNameOf('OU=Payments,O=Acme')).toBe('Payments');
    expect(commonNameOf('C=GB')).toBe('C=GB');
    expect(commonNameOf(undefined)).toBe('');
  });
});

describe('expiryOf', () => {
  it('says expired, with the days, when past', () => {
    expect(expiryOf({ notAfter: '2026-11-20T12:00:00Z' }, now)).toEqual({ state: 'expired', date: '2026-11-20', note: 'expired 7 days ago', days: 7 });
    expect(expiryOf({ notAfter: '2026-11-27T11:00:00Z' }, now).note).toBe('expired today');
  });
  it('warns within 30 days', () => {
    expect(expiryOf({ notAfter: '2026-12-10T12:00:00Z' }, now)).toEqual({ state: 'expiring', date: '2026-12-10', note: 'expires in 13 days', days: 13 });
    expect(expiryOf({ notAfter: '2026-11-28T13:00:00Z' }, now).note).toBe('expires in 1 day');
    expect(expiryOf({ notAfter: '2027-01-01T12:00:00Z' }, now).state).toBe('valid');
  });
  it('notices a certificate not valid yet, and requests without one', () => {
    expect(expiryOf({ notBefore: '2027-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z' }, now).state).toBe('not-yet-valid');
    expect(expiryOf({}, now)).toEqual({ state: 'none', date: '', note: '' });
  });
});

describe('statusOf', () => {
  it('names what the entry is good for', () => {
    expect(statusOf(cert({}))).toBe('Trusted root CA');
    expect(statusOf(cert({ selfSigned: false }))).toBe('Trusted intermediate CA');
    expect(statusOf(cert({ selfSigned: true, basicConstraints: undefined }))).toBe('Trusted self-signed');
    expect(statusOf(cert({ kind: 'personal', hasPrivateKey: true, selfSigned: false, chainLength: 3 }))).toBe('CA-signed, with key');
    expect(statusOf(cert({ kind: 'request' }))).toBe('Awaiting signed certificate');
    expect(statusOf(cert({ reason: 'bad DER' }))).toBe('Cannot be read');
    expect(statusOf(cert({ trusted: false }))).toBe('Not trusted (kept)');
  });
});

describe('rows', () => {
  const entries = [
    cert({ label: 'b-root', subject: 'CN=Root B', notAfter: '2031-01-01T00:00:00Z' }),
    cert({ label: 'a-root', subject: 'CN=Root A', notAfter: '2029-01-01T00:00:00Z', keyAlgorithm: 'EC', keySize: 256, curve: 'P-256' }),
    cert({ label: 'ibmwebspheremqqm1', kind: 'personal', subject: 'CN=QM1,O=Bank', issuer: 'CN=Root A', selfSigned: false }),
    cert({ label: 'req10', kind: 'request', notAfter: undefined, notBefore: undefined, issuer: undefined }),
    cert({ label: 'req9', kind: 'request', notAfter: undefined, notBefore: undefined, issuer: undefined }),
    { label: 'aes', kind: 'secret', hasPrivateKey: false } as EntrySummary,
  ];
  const panes = rowsByPane(entries, now);

  it('puts each kind in its pane and leaves others out', () => {
    expect(panes.signer.map((r) => r.label)).toEqual(['b-root', 'a-root']);
    expect(panes.personal.map((r) => r.label)).toEqual(['ibmwebspheremqqm1']);
    expect(panes.request.map((r) => r.label)).toEqual(['req10', 'req9']);
    expect(panes.signer[1]!.keyText).toBe('EC P-256');
  });

  it('sorts by any column, labels in natural order, blanks last', () => {
    expect(sortRows(panes.request, { column: 'label', direction: 'ascending' }).map((r) => r.label)).toEqual(['req9', 'req10']);
    expect(sortRows(panes.signer, { column: 'expiry', direction: 'ascending' }).map((r) => r.label)).toEqual(['a-root', 'b-root']);
    expect(sortRows(panes.signer, { column: 'expiry', direction: 'descending' }).map((r) => r.label)).toEqual(['b-root', 'a-root']);
    expect(sortRows(panes.signer, { column: 'key', direction: 'ascending' }).map((r) => r.label)).toEqual(['a-root', 'b-root']);
    const mixed = [toEntryRow(cert({ label: 'r', kind: 'request', notAfter: undefined }), now), ...panes.signer];
    expect(sortRows(mixed, { column: 'expiry', direction: 'descending' }).at(-1)!.label).toBe('r');
  });

  it('filters on every word, in label, names, key and status', () => {
    expect(filterRows(panes.signer, 'root b').map((r) => r.label)).toEqual(['b-root']);
    expect(filterRows(panes.signer, 'P-256').map((r) => r.label)).toEqual(['a-root']);
    expect(filterRows(panes.personal, 'bank').map((r) => r.label)).toEqual(['ibmwebspheremqqm1']);
    expect(filterRows(panes.signer, '  ')).toBe(panes.signer);
  });

  it('sorts 10,000 rows quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => toEntryRow(cert({ label: `cert-${(i * 7919) % 10_000}` }), now));
    const started = performance.now();
    const sorted = sortRows(many, { column: 'label', direction: 'ascending' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(sorted[0]!.label).toBe('cert-0');
    expect(sorted[9999]!.label).toBe('cert-9999');
  });
});

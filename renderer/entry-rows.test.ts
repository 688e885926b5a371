/** The pane rows: names people read, expiry in words as well as colour, sorting and filtering. */
import { describe, it, expect } from 'vitest';
import type { EntrySummary } from '../core/api/contract';
import { calendarDay, commonNameOf, compactExpiryText, expiryOf, filterRows, rowsByPane, RowFilter, sortRows, statusOf, toEntryRow, type EntryRow } from './entry-rows';

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
  const utc = 'UTC';
  it('says expired, with the days, when past', () => {
    expect(expiryOf({ notAfter: '2026-11-20T12:00:00Z' }, now, utc)).toEqual({ state: 'expired', date: '2026-11-20', note: 'expired 7 days ago', days: 7 });
    expect(expiryOf({ notAfter: '2026-11-27T11:00:00Z' }, now, utc).note).toBe('expired today');
    expect(expiryOf({ notAfter: '2026-11-26T23:00:00Z' }, now, utc).note).toBe('expired yesterday');
  });
  it('warns within 30 days, counting calendar days', () => {
    expect(expiryOf({ notAfter: '2026-12-10T12:00:00Z' }, now, utc)).toEqual({ state: 'expiring', date: '2026-12-10', note: 'expires in 13 days', days: 13 });
    expect(expiryOf({ notAfter: '2026-11-28T13:00:00Z' }, now, utc).note).toBe('expires tomorrow');
    expect(expiryOf({ notAfter: '2027-01-01T12:00:00Z' }, now, utc).state).toBe('valid');
  });
  it('says tomorrow for a certificate ending tomorrow morning, less than 24 hours away (the old off-by-one)', () => {
    const tomorrowMorning = expiryOf({ notAfter: '2026-11-28T08:00:00Z' }, now, utc);
    expect(tomorrowMorning).toMatchObject({ state: 'expiring', days: 1, note: 'expires tomorrow' });
    expect(compactExpiryText(tomorrowMorning)).toBe('Tomorrow');
    expect(compactExpiryText(expiryOf({ notAfter: '2026-11-27T23:00:00Z' }, now, utc))).toBe('Today');
    expect(compactExpiryText(expiryOf({ notAfter: '2026-11-29T01:00:00Z' }, now, utc))).toBe('2 days left');
  });
  it('counts days in the user\'s time zone: just before and just after midnight', () => {
    // New York, UTC-5 in November. 23:59 on the 27th there is 04:59Z on the 28th.
    const ny = 'America/New_York';
    const beforeMidnight = Date.parse('2026-11-28T04:59:00Z');
    expect(expiryOf({ notAfter: '2026-11-28T05:01:00Z' }, beforeMidnight, ny)).toMatchObject({ date: '2026-11-28', days: 1, note: 'expires tomorrow' });
    expect(expiryOf({ notAfter: '2026-11-28T04:59:30Z' }, beforeMidnight, ny)).toMatchObject({ date: '2026-11-27', days: 0, note: 'expires today' });
    const afterMidnight = Date.parse('2026-11-28T05:01:00Z');
    expect(expiryOf({ notAfter: '2026-11-29T04:59:00Z' }, afterMidnight, ny)).toMatchObject({ date: '2026-11-28', days: 0, note: 'expires today' });
    expect(expiryOf({ notAfter: '2026-11-28T04:59:00Z' }, afterMidnight, ny)).toMatchObject({ state: 'expired', date: '2026-11-27', note: 'expired yesterday' });
    // The same instants in UTC are one calendar day apart differently: the zone decides.
    expect(expiryOf({ notAfter: '2026-11-28T05:01:00Z' }, beforeMidnight, 'UTC').note).toBe('expires today');
    // Tokyo is already on the 28th at 23:00Z on the 27th.
    expect(expiryOf({ notAfter: '2026-11-28T16:00:00Z' }, Date.parse('2026-11-27T23:00:00Z'), 'Asia/Tokyo')).toMatchObject({ date: '2026-11-29', note: 'expires tomorrow' });
  });
  it('counts calendar days across a DST change, not 24-hour periods', () => {
    const london = 'Europe/London';
    // Clocks go forward on 29 March 2026: that day has 23 hours.
    const saturdayNight = Date.parse('2026-03-28T23:50:00Z'); // 23:50 GMT on the 28th
    expect(expiryOf({ notAfter: '2026-03-28T23:10:00Z' }, Date.parse('2026-03-28T23:05:00Z'), london).note).toBe('expires today');
    expect(expiryOf({ notAfter: '2026-03-29T00:10:00Z' }, saturdayNight, london)).toMatchObject({ date: '2026-03-29', note: 'expires tomorrow' });
    // 22:30Z on the 30th is 23:30 BST on the 30th: two days on the calendar, 46 hours away.
    expect(expiryOf({ notAfter: '2026-03-30T22:30:00Z' }, Date.parse('2026-03-29T00:30:00Z'), london)).toMatchObject({ date: '2026-03-30', days: 1 });
    expect(expiryOf({ notAfter: '2026-03-30T23:30:00Z' }, Date.parse('2026-03-28T00:30:00Z'), london)).toMatchObject({ date: '2026-03-31', days: 3, note: 'expires in 3 days' });
    // Clocks go back on 25 October 2026: that day has 25 hours, and is still one day.
    expect(expiryOf({ notAfter: '2026-10-25T23:30:00Z' }, Date.parse('2026-10-24T22:30:00Z'), london)).toMatchObject({ date: '2026-10-25', days: 1, note: 'expires tomorrow' });
    expect(expiryOf({ notAfter: '2026-10-25T23:59:00Z' }, Date.parse('2026-10-24T23:01:00Z'), london)).toMatchObject({ date: '2026-10-25', days: 0, note: 'expires today' });
  });
  it('notices a certificate not valid yet, and requests without one', () => {
    expect(expiryOf({ notBefore: '2027-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z' }, now, utc).state).toBe('not-yet-valid');
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
  const panes = rowsByPane(entries, now, 'UTC');

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

  it('filters on the phrase as typed, within one field, whatever the case', () => {
    expect(filterRows(panes.signer, 'root b').map((r) => r.label)).toEqual(['b-root']);
    expect(filterRows(panes.signer, 'P-256').map((r) => r.label)).toEqual(['a-root']);
    expect(filterRows(panes.personal, 'bank').map((r) => r.label)).toEqual(['ibmwebspheremqqm1']);
    expect(filterRows(panes.signer, '  ')).toBe(panes.signer);
    // Words in another order, or spread over two fields, are not the phrase.
    expect(filterRows(panes.signer, 'b root')).toEqual([]);
    expect(filterRows(panes.personal, 'qm1 bank')).toEqual([]);
  });

  it('"class 3" finds Class 3, not Class 1 or 4 "G3"', () => {
    const verisign = (label: string, cn: string) => toEntryRow(cert({ label, subject: `CN=${cn},OU=(c) 1999 VeriSign\\, Inc. - For authorized use only,O=VeriSign\\, Inc.,C=US` }), now, 'UTC');
    const rows = [
      verisign('class1g3', 'VeriSign Class 1 Public Primary Certification Authority - G3'),
      verisign('class3g3', 'VeriSign Class 3 Public Primary Certification Authority - G3'),
      verisign('class4g3', 'VeriSign Class 4 Public Primary Certification Authority - G3'),
      verisign('class3g5', 'VeriSign Class 3 Public Primary Certification Authority - G5'),
    ];
    expect(filterRows(rows, 'class 3').map((r) => r.label)).toEqual(['class3g3', 'class3g5']);
    expect(filterRows(rows, 'CLASS 3 PUBLIC').map((r) => r.label)).toEqual(['class3g3', 'class3g5']);
    expect(filterRows(rows, ' class 4 ').map((r) => r.label)).toEqual(['class4g3']);
    // The name as people read it, escapes undone.
    expect(filterRows(rows, 'verisign, inc.')).toHaveLength(4);
  });

  it('filters on the status words the table shows', () => {
    const rows = [
      toEntryRow(cert({ label: 'gone', notAfter: '2026-11-01T00:00:00Z' }), now, 'UTC'),
      toEntryRow(cert({ label: 'soon', notAfter: '2026-12-01T00:00:00Z' }), now, 'UTC'),
      toEntryRow(cert({ label: 'small', keySize: 1024 }), now, 'UTC'),
      toEntryRow(cert({ label: 'sha1', selfSigned: false, signatureAlgorithm: 'SHA1withRSA' }), now, 'UTC'),
      toEntryRow(cert({ label: 'old-root', selfSigned: true, signatureAlgorithm: 'SHA1withRSA' }), now, 'UTC'),
      toEntryRow(cert({ label: 'kept', trusted: false }), now, 'UTC'),
      toEntryRow(cert({ label: 'fine' }), now, 'UTC'),
    ];
    const labels = (f: string) => filterRows(rows, f).map((r) => r.label);
    expect(labels('expired')).toEqual(['gone']);
    expect(labels('Expiring')).toEqual(['soon']);
    expect(labels('4 days left')).toEqual(['soon']);
    expect(labels('weak')).toEqual(['small', 'sha1']);
    expect(labels('weak key')).toEqual(['small']);
    expect(labels('weak signature')).toEqual(['sha1']);
    expect(labels('not trusted')).toEqual(['kept']);
    expect(rows[2]!.weakness?.words).toBe('Weak key');
  });

  it('finds serials and fingerprints typed with or without colons', () => {
    const row = toEntryRow(cert({ label: 'fp', serial: '0a1b2c', sha256: 'ab'.repeat(32) }), now, 'UTC');
    expect(filterRows([row], '0A:1B:2C')).toHaveLength(1);
    expect(filterRows([row], 'AB:AB:AB')).toHaveLength(1);
    expect(filterRows([row], 'abababab')).toHaveLength(1);
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

describe('RowFilter, keystroke by keystroke', () => {
  // What the filter box promises, field by field: the rows a fresh search would show.
  const byField = (rows: readonly EntryRow[], filter: string) => {
    const phrase = filter.trim().toLowerCase();
    return phrase === '' ? rows : rows.filter((r) => r.searchFields.some((f) => f.includes(phrase)));
  };
  const day = 24 * 3600 * 1000;
  const rows = [
    ...Array.from({ length: 3000 }, (_, i) =>
      toEntryRow(
        cert({
          label: `partner-${String(i).padStart(5, '0')}`,
          subject: `CN=partner-${i}.example.com,OU=Payments,O=Bank ${i % 97},C=GB`,
          issuer: `CN=Bank Issuing CA ${i % 7},O=Bank,C=GB`,
          notAfter: new Date(now + ((i % 400) - 40) * day).toISOString(),
          keyAlgorithm: i % 3 === 0 ? 'EC' : 'RSA',
          curve: i % 3 === 0 ? 'P-256' : undefined,
          serial: (i * 7919).toString(16),
        }),
        now,
        'UTC',
      ),
    ),
    // A NUL in a name (an escaped \00 byte): typed or pasted, it is matched within that field only.
    toEntryRow(cert({ label: 'nul', subject: 'CN=a\\00b,O=Zed' }), now, 'UTC'),
  ];

  // Each step is what the box holds after a key press, a deletion, a paste or an edit inside.
  const steps = [
    '', 'p', 'pa', 'par', 'partner-0', 'partner-09', 'partner-099', 'partner-0999', 'partner-09', 'partner-0', 'partner-1',
    'partner-12', 'partner-2', 'partner-12', 'artner-12', 'a', 'ba', 'bank 9', 'bank 90', 'bank 9', 'bank 19', 'BANK 19', ' bank 19 ',
    '0', '09', '099', '0999', '09', '0x9', '9', 'expired', 'expire', 'expires', 'expires in 3', 'p-256', 'ec p-256', 'ec', 'e',
    'a\u0000b', 'nul\u0000cn=a', 'a', 'no such thing', 'no such', '',
  ];

  it('shows at every step the rows a fresh search shows, in the same order', () => {
    const filter = new RowFilter();
    const sorted = sortRows(rows, { column: 'expiry', direction: 'ascending' });
    for (const text of steps) {
      const expected = byField(sorted, text).map((r) => r.label);
      expect(filter.rows(sorted, text).map((r) => r.label), `after "${text}"`).toEqual(expected);
      expect(filterRows(sorted, text).map((r) => r.label), `after "${text}"`).toEqual(expected);
    }
    expect(byField(sorted, 'a\u0000b').map((r) => r.label)).toEqual(['nul']);
    expect(filter.rows(sorted, 'nul\u0000cn=a')).toEqual([]);
    expect(filter.rows(sorted, ' ')).toBe(sorted);
  });

  it('starts afresh on another order of the rows or another store', () => {
    const filter = new RowFilter();
    const byLabel = sortRows(rows, { column: 'label', direction: 'descending' });
    const byExpiry = sortRows(rows, { column: 'expiry', direction: 'ascending' });
    const fewer = byLabel.slice(0, 500);
    for (const [source, text] of [[byLabel, 'partner-00'], [byExpiry, 'partner-001'], [fewer, 'partner-001'], [byLabel, 'partner-001'], [fewer, 'partner-00'], [byExpiry, 'partner-0012']] as const) {
      expect(filter.rows(source, text).map((r) => r.label), `${source.length} rows, "${text}"`).toEqual(byField(source, text).map((r) => r.label));
    }
  });
});

describe('calendarDay', () => {
  it("in the user's zone agrees with Intl for that zone", () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const iso of ['2026-03-29T00:30:00Z', '2026-10-25T23:30:00Z', '2026-11-27T23:59:59Z', '2026-12-31T12:00:00Z']) {
      expect(calendarDay(Date.parse(iso))).toEqual(calendarDay(Date.parse(iso), zone));
    }
  });
});

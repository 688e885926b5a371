/**
 * What a help desk hands on: -keydb -compare between two stores, -cert -list as CSV and
 * HTML, and -keydb -scan over a folder. The CSV is read back with Python's csv module and
 * the HTML with Python's html.parser — parsers KeyDesk did not write — and the facts in
 * them are checked against openssl's view of the same certificates.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import type { FleetScan, StoreComparison } from '../core/api/contract';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const openssl = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir }).toString().trim();
const canRun = hasTool('openssl') && hasTool('python3');
const needs = `${missingNote('openssl')}${missingNote('python3')}`;

function python(script: string, input: string): unknown {
  const r = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** RFC 4180 as Python reads it (newline='' keeps CRLF handling to the csv module). */
const readCsv = (text: string) => python('import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))', text) as string[][];

/** Tags opened and closed in order (void and self-closed elements aside), tag counts,
 * attribute names, and the text as a browser would show it. */
const HTML_CHECK = `
import json, sys
from html.parser import HTMLParser
VOID = {'area','base','br','col','embed','hr','img','input','link','meta','param','source','track','wbr'}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs, self.text = [], [], {}, set(), []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs.update(a for a, _ in attrs)
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs.update(a for a, _ in attrs)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag: self.errors.append('unexpected </%s> with %s open' % (tag, self.stack[-1:]))
        else: self.stack.pop()
    def handle_data(self, data): self.text.append(data)
c = Check(); c.feed(sys.stdin.read()); c.close()
if c.stack: c.errors.append('left open: %s' % c.stack)
print(json.dumps({'errors': c.errors, 'tags': c.tags, 'attrs': sorted(c.attrs), 'text': ''.join(c.text)}))
`;
import { cli, ok } from './testing/run-cli';
const readHtml = (text: string) => python(HTML_CHECK, text) as { errors: string[]; tags: Record<string, number>; attrs: string[]; text: string };

const RSA = ['-size', '2048', '-sig_alg', 'SHA256WithRSA'];

/** A self-signed certificate file from openssl: `name.pem`. */
function opensslCert(name: string, subject: string, days = '90'): string {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject, '-days', days);
  return at(`${name}.pem`);
}

const fingerprint = (pem: string) => openssl('x509', '-in', pem, '-noout', '-fingerprint', '-sha256').replace(/^.*=/, '').replace(/:/g, '').toLowerCase();

describe.skipIf(!canRun)(`-keydb -compare${needs}`, () => {
  const a = at('cmp-a.kdb');
  const b = at('cmp-b.p12');
  beforeAll(async () => {
    opensslCert('partner-x', '/CN=partner/O=X');
    opensslCert('partner-y', '/CN=partner/O=Y');
    opensslCert('common', '/CN=Common CA');
    opensslCert('onlyb', '/CN=only in B');
    await ok('-keydb', '-create', '-db', a, '-pw', 'a-pw', '-type', 'cms');
    await ok('-keydb', '-create', '-db', b, '-pw', 'b-pw', '-type', 'pkcs12');
    await ok('-cert', '-create', '-db', a, '-pw', 'a-pw', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...RSA);
    await ok('-cert', '-create', '-db', b, '-pw', 'b-pw', '-label', 'app', '-dn', 'CN=app', ...RSA);
    await ok('-cert', '-add', '-db', a, '-pw', 'a-pw', '-label', 'partner', '-file', at('partner-x.pem'));
    await ok('-cert', '-add', '-db', b, '-pw', 'b-pw', '-label', 'Partner', '-file', at('partner-y.pem'));
    await ok('-cert', '-add', '-db', a, '-pw', 'a-pw', '-label', 'ca-common', '-file', at('common.pem'));
    await ok('-cert', '-add', '-db', b, '-pw', 'b-pw', '-label', 'common', '-file', at('common.pem'));
    await ok('-cert', '-add', '-db', b, '-pw', 'b-pw', '-label', 'onlyb', '-file', at('onlyb.pem'));
  });

  it('sorts entries into only-in-A, only-in-B, same label with another certificate, and the same certificate', async () => {
    const r = JSON.parse(await ok('-keydb', '-compare', '-db', a, '-pw', 'a-pw', '-db2', b, '-pw2', 'b-pw', '-json')) as StoreComparison;
    expect(r.onlyInA.map((e) => e.label)).toEqual(['ibmwebspheremqqm1']);
    expect(r.onlyInB.map((e) => e.label).sort()).toEqual(['app', 'onlyb']);
    expect(r.sameLabelDifferentCertificate).toHaveLength(1);
    const [pair] = r.sameLabelDifferentCertificate;
    expect([pair!.a.label, pair!.b.label]).toEqual(['partner', 'Partner']);
    // The fingerprints are openssl's, so the help desk can read them out and compare.
    expect([pair!.a.sha256, pair!.b.sha256]).toEqual([fingerprint('partner-x.pem'), fingerprint('partner-y.pem')]);
    expect(r.same.map((p) => [p.a.label, p.b.label])).toEqual([['ca-common', 'common']]);
    expect(r.same[0]!.a.sha256).toBe(fingerprint('common.pem'));

    const text = await ok('-keydb', '-compare', '-db', a, '-pw', 'a-pw', '-db2', b, '-pw2', 'b-pw');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([`Only in A (${a}): 1`, `Only in B (${b}): 2`, 'Same label, different certificate: 1', 'Same certificate: 1', '!\tca-common (A) = common (B)\tCN=Common CA']),
    );
  });

  it('after an exchange, the personal certificate on one side is the same certificate as the signer on the other', async () => {
    await ok('-keydb', '-exchange', '-db', a, '-pw', 'a-pw', '-label', 'ibmwebspheremqqm1', '-peer_db', b, '-peer_pw', 'b-pw', '-peer_label', 'app');
    const r = JSON.parse(await ok('-keydb', '-compare', '-db', a, '-pw', 'a-pw', '-db2', b, '-pw2', 'b-pw', '-json')) as StoreComparison;
    expect(r.onlyInA).toEqual([]);
    expect(r.onlyInB.map((e) => e.label)).toEqual(['onlyb']);
    const qm = r.same.find((p) => p.a.label === 'ibmwebspheremqqm1');
    expect(qm).toMatchObject({ a: { kind: 'personal' }, b: { kind: 'signer', label: 'QM1' } });
  });
});

describe.skipIf(!canRun)(`-cert -list -format csv|html${needs}`, () => {
  const db = at('report.kdb');
  const trickyLabel = 'partner "A" <b>&co</b>';
  const formulaLabel = '=HYPERLINK("http://x")';
  beforeAll(async () => {
    await ok('-keydb', '-create', '-db', db, '-pw', 'r-pw', '-type', 'cms');
    await ok('-cert', '-create', '-db', db, '-pw', 'r-pw', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1,O=Bars\\, Inc.,C=GB', ...RSA, '-expire', '20');
    await ok('-cert', '-add', '-db', db, '-pw', 'r-pw', '-label', trickyLabel, '-file', opensslCert('tricky', '/CN=Tricky, "quoted"/O=Partner'));
    await ok('-cert', '-add', '-db', db, '-pw', 'r-pw', '-label', formulaLabel, '-file', opensslCert('formula', '/CN=formula', '400'));
  });

  it('CSV: RFC 4180 as Python reads it, one row per entry with the same facts as -json and openssl', async () => {
    const r = await cli('-cert', '-list', 'all', '-db', db, '-pw', 'r-pw', '-format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')).toHaveLength(5); // header, three rows, and the end after the last CRLF
    const rows = readCsv(r.stdout);
    expect(rows[0]).toEqual(['label', 'kind', 'subject', 'issuer', 'serial', 'not before', 'not after', 'sha256', 'key algorithm', 'key size', 'signature algorithm', 'status']);
    const entries = JSON.parse(await ok('-cert', '-list', 'all', '-db', db, '-pw', 'r-pw', '-json')).entries as Record<string, string>[];
    expect(rows.slice(1).map((row) => row[0])).toEqual(entries.map((e) => (e.label === formulaLabel ? `'${formulaLabel}` : e.label)));
    for (const [i, e] of entries.entries()) {
      expect(rows[i + 1]!.slice(1)).toEqual([e.kind, e.subject, e.issuer, e.serial, e.notBefore, e.notAfter, e.sha256, e.keyAlgorithm, String(e.keySize), e.signatureAlgorithm, expect.any(String)]);
    }
    const tricky = rows.find((row) => row[0] === trickyLabel)!;
    expect(tricky[2]).toBe(openssl('x509', '-in', 'tricky.pem', '-noout', '-subject', '-nameopt', 'RFC2253').replace(/^subject=/, ''));
    expect(tricky[4]).toBe(openssl('x509', '-in', 'tricky.pem', '-noout', '-serial').replace(/^serial=/, '').replace(/^(00)+(?=..)/, '').toLowerCase());
    expect(tricky[7]).toBe(fingerprint('tricky.pem'));
    // The queue manager's certificate ends in 20 days: the status says so, as the table does.
    expect(rows.find((row) => row[0] === 'ibmwebspheremqqm1')![11]).toBe('Self-signed, with key; expiring');

    const personal = readCsv((await cli('-cert', '-list', 'personal', '-db', db, '-pw', 'r-pw', '-format', 'csv')).stdout);
    expect(personal.slice(1).map((row) => [row[0], row[1]])).toEqual([['ibmwebspheremqqm1', 'personal']]);
  });

  it('HTML: a well-formed standalone page with every label as text, a table, an SVG timeline, no script', async () => {
    const r = await cli('-cert', '-list', 'all', '-db', db, '-pw', 'r-pw', '-format', 'html', '-days', '30');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    const page = readHtml(r.stdout);
    expect(page.errors).toEqual([]);
    expect(page.tags.script ?? 0).toBe(0);
    expect(page.tags.b ?? 0).toBe(0); // the label's markup stayed text
    expect(page.tags.table).toBe(1);
    expect(page.tags.svg).toBe(1);
    expect(page.tags.rect).toBe(3); // one bar per certificate
    expect(page.tags.tr).toBe(4);
    expect(page.attrs).not.toContain('src');
    expect(page.attrs.filter((a) => a.startsWith('on'))).toEqual([]);
    for (const label of ['ibmwebspheremqqm1', trickyLabel, formulaLabel]) expect(page.text).toContain(label);
    expect(page.text).toContain('CN=QM1,O=Bars\\, Inc.,C=GB');
    // The 20-day certificate is marked as expiring within the 30 days asked for.
    expect(page.text).toContain('expiring soon');
    expect(r.stdout).toContain('@media print');
  });

  it('-format json is -json; an unknown -format is refused', async () => {
    expect(await ok('-cert', '-list', '-db', db, '-pw', 'r-pw', '-format', 'json')).toBe(await ok('-cert', '-list', '-db', db, '-pw', 'r-pw', '-json'));
    expect((await cli('-cert', '-list', '-db', db, '-pw', 'r-pw', '-format', 'xml')).code).toBe(2);
  });
});

describe.skipIf(!canRun)(`-keydb -scan${needs}`, () => {
  const root = at('fleet');
  beforeAll(async () => {
    const qm1 = join(root, 'qmgrs/QM1/ssl');
    const qm2 = join(root, 'qmgrs/QM!2/ssl'); // MQ's directory name for queue manager QM.2
    for (const dir of [qm1, qm2, join(root, 'clients'), join(root, 'broken')]) mkdirSync(dir, { recursive: true });
    await ok('-keydb', '-create', '-db', join(qm1, 'key.kdb'), '-pw', 'qm1-pw', '-type', 'cms', '-stash');
    await ok('-cert', '-create', '-db', join(qm1, 'key.kdb'), '-stashed', '-label', 'ibmwebspheremqqm1', '-dn', 'CN=QM1', ...RSA);
    await ok('-cert', '-add', '-db', join(qm1, 'key.kdb'), '-stashed', '-label', 'partner', '-file', opensslCert('short', '/CN=short-lived partner', '10'));
    await ok('-keydb', '-create', '-db', join(qm2, 'key.kdb'), '-pw', 'qm2-pw', '-type', 'cms', '-stash');
    await ok('-cert', '-create', '-db', join(qm2, 'key.kdb'), '-stashed', '-label', 'IBMWebSphereMQQM.2', '-dn', 'CN=QM.2', ...RSA);
    await ok('-keydb', '-create', '-db', join(root, 'clients/app.p12'), '-pw', 'fleet-pw', '-type', 'pkcs12');
    await ok('-cert', '-create', '-db', join(root, 'clients/app.p12'), '-pw', 'fleet-pw', '-label', 'app', '-dn', 'CN=app', ...RSA);
    await ok('-keydb', '-create', '-db', join(root, 'clients/other.jks'), '-pw', 'another-pw', '-type', 'jks');
    writeFileSync(join(root, 'broken/key.kdb'), 'this is not a key database\n');
    copyFileSync(join(qm1, 'key.kdb'), join(qm1, 'key.kdb.bak'));
    writeFileSync(join(root, 'notes.txt'), 'not a store');
  });

  it('opens every store with its stash or the password, lists the others with the reason, and reports findings and expiries', async () => {
    const r = await cli('-keydb', '-scan', root, '-pw', 'fleet-pw', '-days', '30', '-json');
    expect(r.code).toBe(1); // errors in QM.2 and stores that do not open
    const scan = JSON.parse(r.out) as FleetScan;
    expect(scan.stores.map((s) => s.name)).toEqual(['broken/key.kdb', 'clients/app.p12', 'clients/other.jks', 'qmgrs/QM!2/ssl/key.kdb', 'qmgrs/QM1/ssl/key.kdb']);
    const byName = Object.fromEntries(scan.stores.map((s) => [s.name, s]));
    // The .bak planted beside it is not a store of its own, but a copy the doctor names.
    expect(byName['qmgrs/QM1/ssl/key.kdb']).toMatchObject({
      opened: true,
      opensWith: 'stash',
      format: 'cms',
      findings: [{ code: 'BACKUP_COPIES', severity: 'warning' }, { code: 'EXPIRING_SOON', label: 'partner' }],
    });
    expect(byName['qmgrs/QM1/ssl/key.kdb']!.expiries).toMatchObject([{ label: 'partner', subject: 'CN=short-lived partner', kind: 'signer' }]);
    expect(byName['qmgrs/QM1/ssl/key.kdb']!.expiries[0]!.daysLeft).toBeGreaterThanOrEqual(8);
    expect(byName['qmgrs/QM1/ssl/key.kdb']!.expiries[0]!.daysLeft).toBeLessThanOrEqual(10);
    // The queue manager's name comes from its directory, '!' read back as '.'.
    expect(byName['qmgrs/QM!2/ssl/key.kdb']!.findings).toMatchObject([{ code: 'MQ_LABEL_CASE', label: 'IBMWebSphereMQQM.2', fix: { newLabel: 'ibmwebspheremqqm.2' } }]);
    expect(byName['clients/app.p12']).toMatchObject({ opened: true, opensWith: 'password', findings: [] });
    expect(byName['clients/other.jks']).toMatchObject({ opened: false });
    expect(byName['clients/other.jks']!.reason).toMatch(/password is wrong/);
    expect(byName['broken/key.kdb']!.reason).toMatch(/not a key store/);
    expect(scan.totals).toMatchObject({ stores: 5, opened: 3, notOpened: 2, errors: 1, expiringSoon: 1, expired: 0 });
    expect(r.err).toMatch(/2 stores could not be opened/);
  });

  it('without a password, stores without a stash are listed as not opened, saying so', async () => {
    const scan = JSON.parse((await cli('-keydb', '-scan', root, '-json')).out) as FleetScan;
    expect(scan.stores.find((s) => s.name === 'clients/app.p12')!.reason).toMatch(/no stash file beside it .* and no password given/);
  });

  it('-format html: one well-formed printable page naming every store and why some did not open', async () => {
    const r = await cli('-keydb', '-scan', root, '-pw', 'fleet-pw', '-format', 'html');
    const page = readHtml(r.stdout);
    expect(page.errors).toEqual([]);
    expect(page.tags.script ?? 0).toBe(0);
    expect(page.tags.svg).toBe(1);
    for (const name of ['broken/key.kdb', 'clients/app.p12', 'clients/other.jks', 'qmgrs/QM!2/ssl/key.kdb', 'qmgrs/QM1/ssl/key.kdb']) expect(page.text).toContain(name);
    expect(page.text).toMatch(/password is wrong/);
    expect(page.text).toContain('MQ_LABEL_CASE');
    expect(page.text).toContain('short-lived partner');
  });

  it('text form: one line per store and per finding; a missing folder is refused', async () => {
    const r = await cli('-keydb', '-scan', root, '-pw', 'fleet-pw');
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.startsWith('NOT OPENED\t')).length).toBe(2);
    expect(lines.filter((l) => l.startsWith('STORE\t')).length).toBe(3);
    expect(lines).toContain(`  ERROR\tMQ_LABEL_CASE\tIBMWebSphereMQQM.2\t${(JSON.parse((await cli('-keydb', '-scan', root, '-pw', 'fleet-pw', '-json')).out) as FleetScan).stores[3]!.findings[0]!.message} Fix: keydesk -cert -rename -db ${join(root, 'qmgrs/QM!2/ssl/key.kdb')} -label "IBMWebSphereMQQM.2" -new_label "ibmwebspheremqqm.2"`);
    const missing = await cli('-keydb', '-scan', at('no-such-folder'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no such folder/);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('not a store'); // scanning reads only
  });
});

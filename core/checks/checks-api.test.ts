/**
 * The new operations as a front end calls them: stores opened once and referred to by
 * storeId (the Doctor panel, exchange mode, Export List…), fixes applied with the
 * operations they name, and the session seeing every change the operations save.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from '../api/service';
import { makeTempDir } from '../testing/peer-tools';
import type { FindingFix } from './findings';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const api = new KeyDeskService();

async function storeWith(name: string, format: 'cms' | 'pkcs12', label: string, dn: string, stash = true): Promise<string> {
  const path = at(name);
  await api.createStore({ path, password: `${name}-pw`, format, stash });
  await api.createSelfSigned({ store: { path, password: `${name}-pw` }, label, dn });
  return (await api.openStore({ path, password: `${name}-pw` })).storeId;
}

describe('doctor through the contract', () => {
  it('a fix from a finding, applied with the operation it maps to, clears the finding in the same session', async () => {
    const storeId = await storeWith('panel.kdb', 'cms', 'IBMWebSphereMQQM1', 'CN=QM1');
    const before = await api.checkStore({ store: { storeId }, mqName: 'QM1' });
    const finding = before.findings.find((f) => f.code === 'MQ_LABEL_CASE')!;
    const fix = finding.fix as Extract<FindingFix, { action: 'rename' }>;
    await api.renameEntry({ store: { storeId }, label: fix.label, newLabel: fix.newLabel });
    expect((await api.checkStore({ store: { storeId }, mqName: 'QM1' })).findings).toEqual([]);
  });

  it('the stash fix is stashPassword with the store password', async () => {
    const storeId = await storeWith('nostash.kdb', 'cms', 'ibmwebspheremqqm1', 'CN=QM1', false);
    expect((await api.checkStore({ store: { storeId } })).findings.map((f) => f.fix)).toEqual([{ action: 'stash' }]);
    await api.stashPassword({ path: at('nostash.kdb'), password: 'nostash.kdb-pw' });
    expect((await api.checkStore({ store: { storeId } })).findings).toEqual([]);
  });
});

describe('exchange mode through the contract', () => {
  it('both open sessions see the added signers; the lab then succeeds; the same store twice is refused', async () => {
    const qm = await storeWith('ex-qm.kdb', 'cms', 'ibmwebspheremqqm1', 'CN=QM1,O=Class');
    const app = await storeWith('ex-app.p12', 'pkcs12', 'app', 'CN=app,O=Class');
    const before = await api.testHandshake({ server: { storeId: qm }, serverLabel: 'ibmwebspheremqqm1', client: { storeId: app }, clientLabel: 'app' });
    expect(before.ok).toBe(false);
    const result = await api.exchangeSigners({ a: { storeId: qm }, aLabel: 'ibmwebspheremqqm1', b: { storeId: app }, bLabel: 'app' });
    expect(result.a.entries.map((e) => `${e.kind}:${e.label}`).sort()).toEqual(['personal:ibmwebspheremqqm1', 'signer:app']);
    expect(result.b.entries.map((e) => `${e.kind}:${e.label}`).sort()).toEqual(['personal:app', 'signer:QM1']);
    const after = await api.testHandshake({ server: { storeId: qm }, serverLabel: 'ibmwebspheremqqm1', client: { storeId: app }, clientLabel: 'app', reverse: true });
    expect(after).toMatchObject({ ok: true, reverse: { refused: true } });
    await expect(api.exchangeSigners({ a: { storeId: qm }, aLabel: 'ibmwebspheremqqm1', b: { path: at('ex-qm.kdb'), stashed: true }, bLabel: 'ibmwebspheremqqm1' })).rejects.toMatchObject({ code: 'usage' });
  });

  it('a CA-signed side whose own store lacks its root: the exchange says so, and the lab names the CA missing from both', async () => {
    const caPath = at('ca.p12');
    await api.createStore({ path: caPath, password: 'ca-pw', format: 'pkcs12' });
    await api.createSelfSigned({ store: { path: caPath, password: 'ca-pw' }, label: 'ca', dn: 'CN=Lost CA,O=Class', ca: true });
    await api.extractCertificate({ store: { path: caPath, password: 'ca-pw' }, label: 'ca', target: at('ca.pem'), format: 'ascii' });
    const qmPath = at('lost.kdb');
    await api.createStore({ path: qmPath, password: 'qm-pw', format: 'cms', stash: true });
    const qmRef = { path: qmPath, stashed: true };
    await api.createRequest({ store: qmRef, label: 'ibmwebspheremqqm1', dn: 'CN=QM1,O=Class', target: at('lost.csr') });
    await api.signRequest({ store: { path: caPath, password: 'ca-pw' }, caLabel: 'ca', file: at('lost.csr'), target: at('lost.pem') });
    await api.addCertificate({ store: qmRef, label: 'lost ca', file: at('ca.pem') });
    await api.receiveCertificate({ store: qmRef, file: at('lost.pem') });
    await api.deleteEntry({ store: qmRef, label: 'lost ca' });
    const app = await storeWith('lost-app.p12', 'pkcs12', 'app', 'CN=app,O=Class');

    const result = await api.exchangeSigners({ a: qmRef, aLabel: 'ibmwebspheremqqm1', b: { storeId: app }, bLabel: 'app' });
    expect(result.steps.find((s) => s.from === 'A' && s.status === 'manual')?.message).toMatch(/does not hold the whole chain/);
    // Nothing of A's could be handed over, so no transfer or add is claimed for it.
    expect(result.steps.filter((s) => s.from === 'A' || s.to === 'B').map((s) => `${s.action}:${s.status}`)).toEqual(['extract:manual', 'enable:manual']);
    const lab = await api.testHandshake({ server: qmRef, serverLabel: 'ibmwebspheremqqm1', client: { storeId: app }, clientLabel: 'app' });
    expect(lab.ok).toBe(false);
    expect(lab.problems.find((p) => p.side === 'client')?.message).toMatch(/issuer CN=Lost CA,O=Class is in neither store/);
  });
});

describe('reports through the contract', () => {
  it('Export List… writes the same bytes it returns; the fleet scan writes its HTML page', async () => {
    const storeId = await storeWith('export.kdb', 'cms', 'ibmwebspheremqqm1', 'CN=QM1');
    const csv = await api.storeReport({ store: { storeId }, format: 'csv', target: at('list.csv') });
    expect(csv).toMatchObject({ mediaType: 'text/csv', written: [at('list.csv')] });
    expect(readFileSync(at('list.csv'), 'utf8')).toBe(csv.content);
    const html = await api.storeReport({ store: { storeId }, format: 'html', filter: 'personal' });
    expect(html.written).toEqual([]);
    expect(html.content).toContain('ibmwebspheremqqm1');

    const scan = await api.scanFolder({ path: temp.dir, htmlTarget: at('fleet.html') });
    expect(scan.written).toEqual([at('fleet.html')]);
    expect(readFileSync(at('fleet.html'), 'utf8')).toContain('export.kdb');
    await expect(api.scanFolder({ path: at('list.csv') })).rejects.toMatchObject({ code: 'usage' });
  });

  it('SSLPEER by storeId: the value for a certificate matches it through matchSslPeer', async () => {
    const storeId = await storeWith('peer.kdb', 'cms', 'ibmwebspheremqqm1', 'CN=QM1,OU=MQ,O=Bars');
    const value = await api.sslPeerValue({ store: { storeId }, label: 'ibmwebspheremqqm1' });
    expect(value.sslpeer).toBe('CN=QM1,OU=MQ,O=Bars');
    const result = await api.matchSslPeer({ store: { storeId }, filter: value.sslpeer });
    expect(result.entries).toMatchObject([{ label: 'ibmwebspheremqqm1', matches: true }]);
  });
});

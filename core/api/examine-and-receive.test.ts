/**
 * Issue 15 through the contract: Examine reads files and pasted PEM without writing,
 * and given a store says what Add… and Receive… would meet there; Receive with a CA file
 * adds the CA and the certificate in one change, or neither; a signer's details name the
 * personal certificates whose chain passes through it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from './service';
import { makeTempDir } from '../testing/peer-tools';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const api = new KeyDeskService();

/** A small CA in a PKCS#12 of its own, its certificate written to `<name>.pem`. */
async function makeCa(name: string, dn: string): Promise<string> {
  const path = at(`${name}.p12`);
  await api.createStore({ path, password: 'ca-pw', format: 'pkcs12' });
  await api.createSelfSigned({ store: { path, password: 'ca-pw' }, label: name, dn, ca: true });
  await api.extractCertificate({ store: { path, password: 'ca-pw' }, label: name, target: at(`${name}.pem`), format: 'ascii' });
  return path;
}

async function queueManagerWithRequest(name: string): Promise<string> {
  const path = at(`${name}.kdb`);
  await api.createStore({ path, password: 'qm-pw', format: 'cms', stash: true });
  await api.createRequest({ store: { path, stashed: true }, label: 'ibmwebspheremqqm1', dn: 'CN=QM1,O=Bank', target: at(`${name}.csr`) });
  return path;
}

describe('examineFile', () => {
  it('reads a chain, a request and pasted PEM; with a store, names the missing issuer and the label Add… would give', async () => {
    const ca = await makeCa('corp', 'CN=Corp Issuing CA,O=Corp');
    const kdb = await queueManagerWithRequest('qm-examine');
    await api.signRequest({ store: { path: ca, password: 'ca-pw' }, caLabel: 'corp', file: at('qm-examine.csr'), target: at('qm-examine.pem') });
    writeFileSync(at('chain.pem'), readFileSync(at('qm-examine.pem'), 'utf8') + readFileSync(at('corp.pem'), 'utf8'));
    const store = { path: kdb, stashed: true };

    const chain = await api.examineFile({ file: at('chain.pem') });
    expect(chain.certificates.map((c) => c.subject)).toEqual(['CN=QM1,O=Bank', 'CN=Corp Issuing CA,O=Corp']);
    expect(chain.certificates[0]).not.toHaveProperty('missingIssuer');

    const alone = await api.examineFile({ file: at('qm-examine.pem'), store });
    expect(alone.certificates[0]!.missingIssuer).toBe('CN=Corp Issuing CA,O=Corp');
    expect((await api.examineFile({ file: at('chain.pem'), store })).certificates.map((c) => c.missingIssuer)).toEqual([undefined, undefined]);

    expect((await api.examineFile({ file: at('corp.pem'), store })).certificates[0]!.proposedLabel).toBe('Corp Issuing CA');
    // Another certificate already holds that label (compared ignoring case).
    await makeCa('older', 'CN=Older CA,O=Corp');
    await api.addCertificate({ store, label: 'corp issuing ca', file: at('older.pem') });
    const held = await api.examineFile({ file: at('corp.pem'), store });
    expect(held.certificates[0]!.proposedLabel).toBe('Corp Issuing CA (2)');

    const request = await api.examineFile({ text: readFileSync(at('qm-examine.csr'), 'utf8') });
    expect(request).toMatchObject({ certificates: [], request: { subject: 'CN=QM1,O=Bank' } });
    await expect(api.examineFile({ text: '  ' })).rejects.toMatchObject({ code: 'usage' });
    await expect(api.examineFile({ text: 'hello' })).rejects.toThrow(/^the pasted text: no certificate found in it/);
    await expect(api.examineFile({})).rejects.toMatchObject({ code: 'usage' });
  });
});

describe('receiveCertificate with a CA file', () => {
  it('adds the CA and the certificate in one change; a wrong CA file or a refused receive writes nothing', async () => {
    const ca = await makeCa('issuing', 'CN=Issuing CA,O=Corp');
    await makeCa('stranger', 'CN=Stranger CA,O=Elsewhere');
    const kdb = await queueManagerWithRequest('qm-receive');
    await api.signRequest({ store: { path: ca, password: 'ca-pw' }, caLabel: 'issuing', file: at('qm-receive.csr'), target: at('qm-receive.pem') });
    const store = { path: kdb, stashed: true };
    const before = readFileSync(kdb);

    await expect(api.receiveCertificate({ store, file: at('qm-receive.pem'), caFile: at('stranger.pem') })).rejects.toThrow(/Issuing CA.*stranger\.pem: choose the CA file that holds it; nothing was added/);
    expect(readFileSync(kdb).equals(before)).toBe(true);

    const changed = await api.receiveCertificate({ store, file: at('qm-receive.pem'), caFile: at('issuing.pem') });
    expect(changed.entries.map((e) => `${e.kind}:${e.label}`).sort()).toEqual(['personal:ibmwebspheremqqm1', 'signer:Issuing CA']);
    expect(changed.notes).toContain(`added signer "Issuing CA" from ${at('issuing.pem')}.`);

    const storeId = (await api.openStore({ path: kdb, stashed: true })).storeId;
    expect((await api.entryDetails({ storeId, label: 'Issuing CA' })).reliedOnBy).toEqual(['ibmwebspheremqqm1']);
  });

  it('a certificate for another key is refused with its CA, leaving the store as it was', async () => {
    const ca = await makeCa('other', 'CN=Other CA,O=Corp');
    const kdb = await queueManagerWithRequest('qm-refused');
    await queueManagerWithRequest('qm-elsewhere');
    await api.signRequest({ store: { path: ca, password: 'ca-pw' }, caLabel: 'other', file: at('qm-elsewhere.csr'), target: at('qm-elsewhere.pem') });
    const before = readFileSync(kdb);
    await expect(api.receiveCertificate({ store: { path: kdb, stashed: true }, file: at('qm-elsewhere.pem'), caFile: at('other.pem') })).rejects.toThrow(/no pending request or personal key/);
    expect(readFileSync(kdb).equals(before)).toBe(true);
    expect((await api.openStore({ path: kdb, stashed: true })).entries.map((e) => e.kind)).toEqual(['request']);
  });
});

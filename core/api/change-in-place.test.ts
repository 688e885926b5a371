/**
 * A change to a store named by path is made on the store read for it, not on a copy (a
 * copy of 10,000 entries cost more than the change): a change refused half-way must still
 * write nothing, and what the change reports must still compare the store before and after.
 * A store held by a session keeps being changed on a copy, so a refusal leaves it as it was.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from './service';
import { makeTempDir } from '../testing/peer-tools';

const temps: Array<{ cleanup: () => void }> = [];
afterAll(() => temps.forEach((t) => t.cleanup()));

async function stores() {
  const temp = makeTempDir('keydesk-in-place-');
  temps.push(temp);
  const dir = temp.dir;
  const service = new KeyDeskService();
  const kdb = join(dir, 'key.kdb');
  await service.createStore({ path: kdb, password: 'Secret-passw0rd', format: 'cms', stash: true });
  await service.createSelfSigned({ store: { path: kdb, stashed: true }, label: 'qm1', dn: 'CN=QM1', size: 256, sigAlg: 'EC_ecdsa_with_SHA256' });
  const pem = join(dir, 'qm1.pem');
  writeFileSync(pem, (await service.certificatePem({ store: { path: kdb, stashed: true }, label: 'qm1' })).pem);
  // PKCS#12 has no trust switch: adding a signer as not trusted adds it, then is refused.
  const p12 = join(dir, 'trust.p12');
  await service.createStore({ path: p12, password: 'Secret-passw0rd', format: 'pkcs12' });
  return { dir, service, kdb, pem, p12 };
}

describe('a change to a store given by path', () => {
  it('refused after the operation changed the store read for it: nothing written, and the next change starts from the file', async () => {
    const { service, pem, p12 } = await stores();
    const ref = { path: p12, password: 'Secret-passw0rd' };
    const before = readFileSync(p12);
    await expect(service.addCertificate({ store: ref, label: 'partner', file: pem, trusted: false })).rejects.toThrow(/has no trust switch/);
    expect(readFileSync(p12).equals(before)).toBe(true);
    const added = await service.addCertificate({ store: { ...ref, detail: 'labels' }, label: 'partner', file: pem });
    expect(added.entries.map((e) => [e.label, e.kind])).toEqual([['partner', 'signer']]);
    const listed = await service.openStore({ path: p12, password: 'Secret-passw0rd' });
    expect(listed.entries.map((e) => e.label)).toEqual(['partner']);
  });

  it('deleting a key still says that an earlier backup holds it (the labels before the change are taken before it)', async () => {
    const { service, kdb } = await stores();
    writeFileSync(`${kdb}.bak`, 'an earlier backup');
    const deleted = await service.deleteEntry({ store: { path: kdb, stashed: true, detail: 'labels' }, label: 'qm1' });
    expect(deleted.entries).toEqual([]);
    expect(deleted.notes.join('\n')).toMatch(/key\.kdb\.bak, an earlier backup, is still beside the store and still holds the key just deleted/);
  });
});

describe('a change to a store held by a session', () => {
  it('refused half-way: the session still holds the store as it was, and its next change saves', async () => {
    const { service, pem, p12 } = await stores();
    const view = await service.openStore({ path: p12, password: 'Secret-passw0rd' });
    const before = readFileSync(p12);
    await expect(service.addCertificate({ store: { storeId: view.storeId }, label: 'partner', file: pem, trusted: false })).rejects.toThrow(/has no trust switch/);
    expect(readFileSync(p12).equals(before)).toBe(true);
    // Had the refused change been made on the session's own store, "partner" would now be
    // taken and this add refused as a duplicate.
    const added = await service.addCertificate({ store: { storeId: view.storeId }, label: 'partner', file: pem });
    expect(added.entries.map((e) => e.label)).toEqual(['partner']);
  });
});

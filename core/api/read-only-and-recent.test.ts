/**
 * Issue 15 in the service: a store opened read-only refuses every change, whoever asks and
 * however the store is named; the recent list keeps paths and how each was opened, never a
 * password; a reloaded page's sessions are closed and marked to be opened again.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDeskService } from './service';
import { readOnlyReason, listDirectory } from './directory-listing';

async function storeWithOneCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-ro-'));
  const path = join(dir, 'key.kdb');
  const service = new KeyDeskService();
  await service.createStore({ path, password: 'Secret-passw0rd', format: 'cms', stash: true });
  await service.createSelfSigned({ store: { path, stashed: true }, label: 'qm1', dn: 'CN=QM1', size: 256, sigAlg: 'EC_ecdsa_with_SHA256' });
  return { dir, path, service };
}

describe('Open read-only', () => {
  it('refuses every change to the store, by session or by path, and writes nothing', async () => {
    const { path, service } = await storeWithOneCertificate();
    const before = readFileSync(path);
    const view = await service.openStore({ path, stashed: true, readOnly: true });
    expect(view.readOnly).toBe(true);
    const refusal = `${path} is open read-only, so nothing was written: close it and open it again without "Open read-only" to change it.`;
    await expect(service.deleteEntry({ store: { storeId: view.storeId }, label: 'qm1' })).rejects.toThrow(refusal);
    await expect(service.renameEntry({ store: { path, stashed: true }, label: 'qm1', newLabel: 'x' })).rejects.toThrow(refusal);
    await expect(service.changePassword({ path, stashed: true, newPassword: 'Other-passw0rd' })).rejects.toThrow(refusal);
    await expect(service.stashPassword({ path, password: 'Secret-passw0rd' })).rejects.toThrow(refusal);
    await expect(service.deleteStore({ path, stashed: true })).rejects.toThrow(refusal);
    expect(readFileSync(path).equals(before)).toBe(true);
    // Reading stays open to it.
    expect((await service.entryDetails({ storeId: view.storeId, label: 'qm1' })).label).toBe('qm1');
    // Closed, the store takes changes again.
    await service.closeStore({ storeId: view.storeId });
    await service.renameEntry({ store: { path, stashed: true }, label: 'qm1', newLabel: 'qm1-renamed' });
    expect(readFileSync(path).equals(before)).toBe(false);
  });
});

describe('recent stores', () => {
  it('keeps paths and how they were opened, most recent first; a resume closes the sessions and marks them', async () => {
    const { dir, path, service } = await storeWithOneCertificate();
    const other = join(dir, 'other.kdb');
    await service.createStore({ path: other, password: 'Other-passw0rd', format: 'cms' });
    expect((await service.recentStores({})).stores).toEqual([]);
    const first = await service.openStore({ path, stashed: true });
    await service.openStore({ path: other, password: 'Other-passw0rd', readOnly: true });
    const listed = await service.recentStores({});
    expect(listed.stores).toEqual([
      { path: other, unlockedWith: 'password', readOnly: true, wasOpen: false },
      { path, unlockedWith: 'stash', readOnly: false, wasOpen: false },
    ]);
    expect(JSON.stringify(listed)).not.toContain('passw0rd');
    expect(listed.startFolder).toBe(dir);

    const resumed = await service.recentStores({ resume: true });
    expect(resumed.stores.map((s) => s.wasOpen)).toEqual([true, true]);
    await expect(service.entryDetails({ storeId: first.storeId, label: 'qm1' })).rejects.toThrow(/no longer open/);
    expect((await service.recentStores({ resume: true })).stores.map((s) => s.wasOpen)).toEqual([false, false]);
  });

  it('starts file dialogs in the last folder listed, else where KeyDesk was started', async () => {
    const service = new KeyDeskService();
    expect((await service.recentStores({})).startFolder).toBe(process.cwd());
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-folder-'));
    await service.listDirectory({ path: dir });
    expect((await service.recentStores({})).startFolder).toBe(dir);
  });
});

describe('directory listing', () => {
  it('marks stores known by name as key stores, and says why cacerts is best opened read-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-names-'));
    for (const name of ['cacerts', 'truststore', 'keystore', 'notes.txt', 'id.p12']) writeFileSync(join(dir, name), 'x');
    const byName = Object.fromEntries(listDirectory(dir).entries.map((e) => [e.name, e]));
    expect(['cacerts', 'truststore', 'keystore', 'id.p12'].map((n) => byName[n]!.hint)).toEqual(['key store', 'key store', 'key store', 'key store']);
    expect(byName['notes.txt']!.hint).toBeUndefined();
    expect(byName.cacerts!.readOnlyReason).toMatch(/Java trust store/);
    expect(byName['id.p12']!.readOnlyReason).toBeUndefined();
  });

  it('calls stores in system folders read-only', () => {
    expect(readOnlyReason('/usr/lib/jvm/java-17-openjdk-amd64/lib/security/keystore.p12')).toMatch(/system folder/);
    expect(readOnlyReason('/etc/pki/java/truststore.jks')).toMatch(/system folder/);
    expect(readOnlyReason('/opt/ibm/java/jre/lib/security/custom.jks')).toMatch(/system folder/);
    expect(readOnlyReason('/var/mqm/qmgrs/QM1/ssl/key.kdb')).toBeUndefined();
  });
});

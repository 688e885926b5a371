/**
 * Issue 15: a refusal reaches the window (IPC, HTTP — both go through dispatch) worded for
 * the window, and the CLI (direct calls) with its flags; Populate adds only the CAs chosen.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDeskService } from './service';
import { dispatch } from './wire-error';
import { wellKnownCas } from '../operations/populate-signers';

const cliFlag = /(^|\s)-[a-z_]+\b/;

async function newStore(stash = false) {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-gui-wording-'));
  const path = join(dir, 'key.kdb');
  const api = new KeyDeskService();
  await api.createStore({ path, password: 'Passw0rd!', format: 'cms', stash });
  return { api, dir, path };
}

describe('refusals on the wire', () => {
  it('a wrong password names the stash checkbox on the wire and -stashed to the CLI', async () => {
    const { api, path } = await newStore();
    const direct = await api.openStore({ path, password: 'wrong' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(direct).toMatch(/\(-stashed\)/);
    const wired = await dispatch(api, 'openStore', { path, password: 'wrong' });
    expect(wired.ok).toBe(false);
    if (wired.ok) return;
    expect(wired.error.code).toBe('wrong-password');
    expect(wired.error.message).toContain('Use the stash file');
    expect(wired.error.message).not.toMatch(cliFlag);
  });

  it('a file broken by a text-mode transfer carries the reason the window offers Repair… for', async () => {
    const { api, dir, path } = await newStore();
    // The CAs' fixed bytes hold line feeds whatever the random salt and MAC do.
    await api.populateSigners({ store: { path, password: 'Passw0rd!' } });
    const original = readFileSync(path);
    const broken = join(dir, 'ftp.kdb');
    writeFileSync(broken, Buffer.from(original.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
    expect(original.includes(0x0a)).toBe(true);
    const wired = await dispatch(api, 'openStore', { path: broken, password: 'Passw0rd!' });
    expect(wired.ok).toBe(false);
    if (wired.ok) return;
    expect(wired.error.reason).toBe('transfer-damaged');
    expect(wired.error.message).toContain('Repair…');
    expect(wired.error.message).not.toMatch(cliFlag);
  });
});

describe('Populate with a choice', () => {
  it('adds only the CAs chosen by fingerprint, and lists them as present afterwards', async () => {
    const { api, path } = await newStore();
    const [first, second] = wellKnownCas();
    const changed = await api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: [first!.fingerprint, second!.fingerprint] });
    expect(changed.entries.filter((e) => e.kind === 'signer').map((e) => e.sha256?.toUpperCase())).toHaveLength(2);
    const listed = (await api.wellKnownCas({ store: { path, password: 'Passw0rd!' } })).cas;
    expect(listed.filter((ca) => ca.presentAs !== undefined).map((ca) => ca.fingerprint).sort()).toEqual([first!.fingerprint, second!.fingerprint].sort());
  });

  it('refuses an empty choice and a fingerprint not on the list, writing nothing', async () => {
    const { api, path } = await newStore();
    const before = readFileSync(path);
    await expect(api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: [] })).rejects.toThrow(/no CA certificate was chosen/);
    await expect(api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: ['00:11'] })).rejects.toThrow(/not in the list/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

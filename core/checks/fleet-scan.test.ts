/** The folder scan's reasons, in the CLI's words and in the window's (no CLI flags there). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDeskService } from '../api/service';
import { scanFolder } from './fleet-scan';

describe('scanFolder reasons', () => {
  it('a wrong password names -stashed for the CLI and the stash checkbox for the window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-fleet-scan-'));
    await new KeyDeskService().createStore({ path: join(dir, 'app.p12'), password: 'right-Passw0rd', format: 'pkcs12' });
    const [store] = scanFolder(dir, { password: 'wrong-Passw0rd' }).stores;
    expect(store).toMatchObject({ name: 'app.p12', opened: false });
    expect(store!.reason).toContain('the password is wrong');
    expect(store!.reason).toContain('(-stashed)');
    expect(store!.guiReason).toContain('the password is wrong');
    expect(store!.guiReason).not.toMatch(/(^|\s|\()-[a-z_]+\b/);
  });

  it('a reason worded alike for both is given once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-fleet-scan-'));
    await new KeyDeskService().createStore({ path: join(dir, 'app.p12'), password: 'right-Passw0rd', format: 'pkcs12' });
    const [store] = scanFolder(dir).stores;
    expect(store!.reason).toMatch(/no stash file beside it .* and no password given/);
    expect(store!.guiReason).toBeUndefined();
  });
});

/**
 * PKCS#12, JKS and JCEKS stores with a stash and a request database (.rdb) beside them,
 * crashed at every step of every change: they open with the old or the new password, the
 * stash holds that password, and they hold exactly the old or the new entries (issue 13).
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { makeTempDir } from '../testing/peer-tools';
import { CHANGE_KINDS, crashAtEveryStep, prepareStore, type PreparedStore } from '../testing/crash-harness';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

for (const format of ['pkcs12', 'jks', 'jceks'] as const) {
  describe(`${format}, crashed at every step`, () => {
    let prepared: PreparedStore;
    beforeAll(async () => {
      prepared = await prepareStore(join(temp.dir, format, 'base'), format);
    });
    for (const kind of CHANGE_KINDS) {
      it(kind, async () => {
        const report = await crashAtEveryStep(prepared, kind, join(temp.dir, format, kind));
        expect(report.failures).toEqual([]);
        expect(report.old).toBeGreaterThan(0);
        if (kind !== 'stashpw') expect(report.new).toBeGreaterThan(0);
      });
    }
  });
}

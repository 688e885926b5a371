/**
 * -keydb -convert between every pair of formats: labels, kinds, certificates and keys
 * carried over; refusals name what cannot be carried before anything is written.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { loadStore } from '../core/api/store-files';
import type { KeyStore } from '../core/model/key-store';
import { copyWritable, haveKdbFixtures, kdbFixturesDir, makeTempDir, hasTool, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

/** What must survive a conversion: each entry's label, kind, certificates and key. */
function essence(store: KeyStore): string[] {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').slice(0, 64);
  const key = (pkcs8: Uint8Array) => createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).d;
  return store.entries
    .map((e) => {
      if (e.kind === 'personal') return `personal:${e.label}:${hex(e.chain[0]!)}:${key(e.privateKey)}`;
      if (e.kind === 'signer') return `signer:${e.label}:${hex(e.certificate)}`;
      return `${e.kind}:${e.label}`;
    })
    .sort();
}

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const extension = { cms: 'kdb', pkcs12: 'p12', jks: 'jks', jceks: 'jceks' } as const;
const formats = Object.keys(extension) as (keyof typeof extension)[];

describe.skipIf(!haveKdbFixtures)('converting a native GSKit database (RSA + EC keys, two signers) between every pair of formats', () => {
  const source = join(temp.dir, 'mixed.kdb');
  const expected = () => {
    if (!existsSync(source)) {
      for (const ext of ['kdb', 'sth']) copyWritable(join(kdbFixturesDir, `gsk-v6-mixed.${ext}`), join(temp.dir, `mixed.${ext}`));
    }
    return essence(loadStore(source, { stashed: true }).store);
  };

  for (const from of formats) {
    for (const to of formats) {
      if (from === to) continue;
      it(`${from} → ${to}`, async () => {
        const want = expected();
        const start = join(temp.dir, `start-${from}.${extension[from]}`);
        if (!existsSync(start)) {
          const made = from === 'cms' ? { code: 0 } : await cli('-keydb', '-convert', '-db', source, '-stashed', '-new_db', start, '-new_pw', 'Start-pw1', '-new_format', from);
          if (from === 'cms') copyWritable(source, start);
          expect(made.code).toBe(0);
        }
        const startPw = from === 'cms' ? 'password' : 'Start-pw1';
        const target = join(temp.dir, `${from}-to-${to}.${extension[to]}`);
        const r = await cli('-keydb', '-convert', '-db', start, '-pw', startPw, '-new_db', target, '-new_pw', 'Target-pw2', '-new_format', to);
        expect(r).toMatchObject({ code: 0, err: '' });
        const back = loadStore(target, { password: 'Target-pw2' }).store;
        expect(back.format).toBe(to);
        expect(essence(back)).toEqual(want);
      });
    }
  }

  it.skipIf(!hasTool('keytool'))(`keytool reads the JKS and JCEKS conversions, keys included${missingNote('keytool')}`, async () => {
    for (const to of ['jks', 'jceks'] as const) {
      const target = join(temp.dir, `for-keytool.${to}`);
      expect((await cli('-keydb', '-convert', '-db', source, '-stashed', '-new_db', target, '-new_pw', 'changeit', '-new_format', to)).code).toBe(0);
      const listing = runTool('keytool', ['-list', '-keystore', target, '-storetype', to.toUpperCase(), '-storepass', 'changeit']).toString();
      expect(listing).toMatch(/^rsa-keypair,.*PrivateKeyEntry/m);
      expect(listing).toMatch(/^ec-keypair,.*PrivateKeyEntry/m);
      expect(listing).toMatch(/^trusted-root-ca,.*trustedCertEntry/m);
    }
  });
});

describe('a conversion that cannot carry everything', () => {
  it.skipIf(!hasTool('keytool'))(`names the entries a target cannot hold, and writes nothing${missingNote('keytool')}`, async () => {
    const jceks = join(temp.dir, 'secret.jceks');
    runTool('keytool', ['-genseckey', '-alias', 'aes-key', '-keyalg', 'AES', '-keysize', '256', '-keystore', jceks, '-storetype', 'JCEKS', '-storepass', 'changeit']);
    const target = join(temp.dir, 'secret.p12');
    const r = await cli('-keydb', '-convert', '-db', jceks, '-pw', 'changeit', '-new_db', target, '-new_pw', 'x', '-new_format', 'pkcs12');
    expect(r.code).toBe(1);
    expect(r.err).toContain('secret key "aes-key"');
    expect(existsSync(target)).toBe(false);
  });
});

/** A certificate and its key from separate files, in the encodings openssl writes. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStore } from '../core/api/store-files';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });

describe.skipIf(!hasTool('openssl'))(`-cert -import -file -keyfile${missingNote('openssl')}`, () => {
  beforeAll(() => {
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Import CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE');
    o('genrsa', '-traditional', '-out', 'rsa-pkcs1.key', '2048');
    o('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec-sec1.key');
    o('pkcs8', '-topk8', '-in', 'rsa-pkcs1.key', '-out', 'rsa-enc.p8', '-v2', 'aes-256-cbc', '-passout', 'pass:keypw');
    o('pkcs8', '-topk8', '-nocrypt', '-in', 'ec-sec1.key', '-outform', 'DER', '-out', 'ec.p8.der');
    for (const [key, name] of [['rsa-pkcs1.key', 'rsa'], ['ec-sec1.key', 'ec']]) {
      o('req', '-new', '-key', key!, '-out', `${name}.csr`, '-subj', `/CN=${name} client`);
      o('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '30');
      // The CA's answer with its chain, as a bundle.
      writeFileSync(at(`${name}-chain.pem`), readFileSync(at(`${name}.pem`), 'utf8') + readFileSync(at('ca.pem'), 'utf8'));
    }
  });

  for (const [label, certFile, keyFile, extra] of [
    ['rsa from PKCS#1', 'rsa-chain.pem', 'rsa-pkcs1.key', []],
    ['rsa from encrypted PKCS#8', 'rsa-chain.pem', 'rsa-enc.p8', ['-key_pw', 'keypw']],
    ['ec from SEC1', 'ec-chain.pem', 'ec-sec1.key', []],
    ['ec from DER PKCS#8', 'ec.pem', 'ec.p8.der', []],
  ] as const) {
    it(label, async () => {
      const db = at(`${label.replace(/\W+/g, '-')}.jks`);
      expect((await cli('-keydb', '-create', '-db', db, '-pw', 'storepw', '-type', 'jks')).code).toBe(0);
      if (certFile === 'ec.pem') expect((await cli('-cert', '-add', '-label', 'import ca', '-file', at('ca.pem'), '-db', db, '-pw', 'storepw')).code).toBe(0);
      const r = await cli('-cert', '-import', '-file', at(certFile), '-keyfile', at(keyFile), ...extra, '-label', 'client', '-target', db, '-target_pw', 'storepw');
      // A change prints nothing on stdout (runmqakm's way); notes, if any, go to stderr.
      expect(r).toMatchObject({ code: 0, out: '' });
      const store = loadStore(db, { password: 'storepw' }).store;
      const personal = store.entries.find((e) => e.kind === 'personal');
      expect(personal?.kind === 'personal' && personal.chain.length).toBe(2);
      if (personal?.kind !== 'personal') throw new Error('no personal entry');
      const fromKey = createPublicKey(createPrivateKey({ key: Buffer.from(personal.privateKey), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
      expect(fromKey.equals(new X509Certificate(personal.chain[0]!).publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
      expect(store.entries.some((e) => e.kind === 'signer')).toBe(true);
    });
  }

  it('refuses a key that belongs to another certificate, and a missing key password', async () => {
    const db = at('refusals.p12');
    expect((await cli('-keydb', '-create', '-db', db, '-pw', 'storepw', '-type', 'pkcs12')).code).toBe(0);
    const before = readFileSync(db);
    const wrongKey = await cli('-cert', '-import', '-file', at('rsa.pem'), '-keyfile', at('ec-sec1.key'), '-label', 'x', '-target', db, '-target_pw', 'storepw');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toContain('does not belong');
    const noPw = await cli('-cert', '-import', '-file', at('rsa.pem'), '-keyfile', at('rsa-enc.p8'), '-label', 'x', '-target', db, '-target_pw', 'storepw');
    expect(noPw.code).toBe(2);
    expect(noPw.err).toContain(at('rsa-enc.p8'));
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

/**
 * A damaged PKCS#12 is not blamed on the password (issue 17). Files written by
 * `openssl pkcs12 -export` get three bytes flipped in the MAC, or in the encrypted
 * certificates, or in the encrypted key, and are opened with the right and with a wrong
 * password. Where the password demonstrably decrypts the contents but the MAC fails, the
 * file is damaged; where nothing decrypts, it cannot be told, and the one line says
 * "the password is wrong, or the file is damaged" with what to do about each.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { fromBinary, parseDer, type Asn1 } from '../core/asn1/der';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const openssl = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir }).toString();

const kids = (node: Asn1 | undefined): Asn1[] => node!.value as Asn1[];
const bytes = (node: Asn1 | undefined) => fromBinary(node!.value as string);

/** Where the MAC value, the encrypted certificates and the encrypted key lie in a PFX as
 * OpenSSL writes it (AuthenticatedSafe: encryptedData with the certificates, then data
 * with a shroudedKeyBag). */
function regions(file: Buffer): { mac: Uint8Array; certificates: Uint8Array; key: Uint8Array } {
  const [, authSafe, macData] = kids(parseDer(file));
  const mac = bytes(kids(kids(macData)[0])[1]);
  const [certsPart, keyPart] = kids(parseDer(bytes(kids(kids(authSafe)[1])[0])));
  const encryptedContentInfo = kids(kids(kids(certsPart)[1])[0])[1];
  const certificates = bytes(kids(encryptedContentInfo)[2]);
  const keyBag = kids(parseDer(bytes(kids(kids(keyPart)[1])[0])))[0];
  const key = bytes(kids(kids(kids(keyBag)[1])[0])[1]);
  return { mac, certificates, key };
}

/** The file with three bytes flipped in the middle of `region`. */
function flipped(file: Buffer, region: Uint8Array): Buffer {
  const at = file.indexOf(Buffer.from(region));
  expect(at).toBeGreaterThan(0);
  const copy = Buffer.from(file);
  const middle = at + Math.floor(region.length / 2);
  for (const i of [middle, middle + 1, middle + 2]) copy[i]! ^= 0x5a;
  return copy;
}

async function opening(name: string, password: string): Promise<string> {
  const r = await cli('-cert', '-list', 'all', '-db', at(name), '-pw', password);
  expect(r.code, r.err).toBe(1);
  expect(r.out).toBe('');
  expect(r.err.split('\n'), r.err).toHaveLength(1);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
  expect(r.err).toContain(at(name));
  return r.err;
}

const DAMAGED = /is damaged: the password decrypts its contents, but its integrity check \(MAC\) fails.*Get a fresh copy/;
const CANNOT_TELL = /the password is wrong, or the file is damaged: .*Check the password.*if it is right, get a fresh copy/;

for (const variant of [
  { name: 'OpenSSL 3 defaults (AES-256-CBC, SHA-256 MAC)', args: [] as string[] },
  { name: 'legacy (3DES, SHA-1 MAC)', args: ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'] },
]) {
  describe.skipIf(!hasTool('openssl'))(`a PKCS#12 from openssl pkcs12 -export, ${variant.name}${missingNote('openssl')}`, () => {
    const tag = variant.args.length === 0 ? 'aes' : 'legacy';
    let file: Buffer;
    beforeAll(() => {
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${tag}.key`, '-out', `${tag}.pem`, '-subj', '/CN=app/O=KeyDesk Tests', '-days', '30');
      openssl('pkcs12', '-export', '-in', `${tag}.pem`, '-inkey', `${tag}.key`, '-name', 'app', '-out', `${tag}.p12`, '-passout', 'pass:right-pw', ...variant.args);
      file = readFileSync(at(`${tag}.p12`));
      const parts = regions(file);
      writeFileSync(at(`${tag}-mac.p12`), flipped(file, parts.mac));
      writeFileSync(at(`${tag}-certs.p12`), flipped(file, parts.certificates));
      writeFileSync(at(`${tag}-key.p12`), flipped(file, parts.key));
    });

    it('intact: opens with the right password (the damaged copies differ from it in three bytes only)', async () => {
      expect(await ok('-cert', '-list', 'all', '-db', at(`${tag}.p12`), '-pw', 'right-pw')).toContain('app');
      for (const damaged of ['mac', 'certs', 'key']) {
        const copy = readFileSync(at(`${tag}-${damaged}.p12`));
        expect(copy.length).toBe(file.length);
        expect([...copy].filter((b, i) => b !== file[i])).toHaveLength(3);
      }
      // openssl agrees that each copy fails its integrity check with the right password
      // (and, like KeyDesk before issue 17, guesses "invalid password?").
      for (const damaged of ['mac', 'certs', 'key']) {
        expect(() => openssl('pkcs12', '-in', `${tag}-${damaged}.p12`, '-passin', 'pass:right-pw', '-noout'), damaged).toThrow(/Mac verify error/i);
      }
    });

    it('MAC flipped, right password: the file is damaged, not the password', async () => {
      const message = await opening(`${tag}-mac.p12`, 'right-pw');
      expect(message).toMatch(DAMAGED);
      expect(message).not.toMatch(/password is wrong/);
    });

    it('encrypted certificates flipped, right password: damaged (the key still decrypts)', async () => {
      const message = await opening(`${tag}-certs.p12`, 'right-pw');
      expect(message).toMatch(DAMAGED);
      expect(message).not.toMatch(/password is wrong/);
    });

    it('encrypted key flipped, right password: damaged (the certificates still decrypt)', async () => {
      const message = await opening(`${tag}-key.p12`, 'right-pw');
      expect(message).toMatch(DAMAGED);
      expect(message).not.toMatch(/password is wrong/);
    });

    it('a wrong password, intact or damaged: it cannot be told, and the line says both', async () => {
      for (const name of [`${tag}.p12`, `${tag}-mac.p12`, `${tag}-certs.p12`, `${tag}-key.p12`]) {
        expect(await opening(name, 'wrong-pw'), name).toMatch(CANNOT_TELL);
      }
    });
  });
}

/**
 * Makes the originals of core/operations/repair-transfer-damage.test.ts once, to be kept:
 * KeyDesk's writers, openssl and keytool draw keys, salts and signatures at random, and a
 * fuzz test with a fixed seed must meet the same bytes on every run.
 *
 *   node --import tsx core/operations/testdata/transfer-damage/make.ts
 *
 * Running it again makes other bytes; the test asserts the shape it relies on in each
 * (how many LFs, where), so a set that no longer fits it fails loudly, never by chance.
 * Needs openssl and keytool. IBM's GSKit files are never copied here (../shared).
 */
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyStore } from '../../../model/key-store';
import { writeCmsStore } from '../../../formats/cms';
import { pkcs12Codec } from '../../../formats/pkcs12';
import { jceksCodec, jksCodec } from '../../../formats/jks';
import { buildCertificate } from '../../../x509/certificate-builder';
import { parseDistinguishedName } from '../../../x509/distinguished-name-parse';

const PW = 'Repair-pw-1';
const DAYS = 9999; // nothing reads the dates, but a certificate kept for years should not lapse
const here = __dirname;
const put = (name: string, bytes: Uint8Array): void => writeFileSync(join(here, name), bytes);

// A personal entry and a signer whose serial holds a CR LF, so that CR LF → LF damage
// exists; a CMS index hash and the signer's own signature cover it.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
const certificate = (cn: string, serial: number[]): Uint8Array =>
  buildCertificate({ subject: parseDistinguishedName(`CN=${cn},O=KeyDesk`), subjectPublicKey: spki, subjectPrivateKey: pkcs8, hash: 'sha256', validityDays: DAYS, profile: 'tls', serial: Uint8Array.from(serial) });
const qm = certificate('QM1', [0x0a, 0x11]);
const ca = certificate('Partner CA', [0x0d, 0x0a, 0x01]);
const store = (format: KeyStore['format'], entries: 'both' | 'personal' = 'both'): KeyStore => ({
  format,
  properties: {},
  entries: [
    { kind: 'personal', label: 'qm1', privateKey: pkcs8, chain: [qm] },
    ...(entries === 'both' ? [{ kind: 'signer' as const, label: 'partner ca', certificate: ca }] : []),
  ],
});

put('keydesk-v6.kdb', writeCmsStore(store('cms'), PW, { version: 6 }).kdb);
put('keydesk-v4.kdb', writeCmsStore(store('cms'), PW, { version: 4 }).kdb);
// 3338 iterations = 0x0D0A: CR LF bytes where nothing but the MAC checks them.
put('keydesk.p12', pkcs12Codec.write(store('pkcs12'), PW, { iterations: 3338 }));
put('keydesk.jks', jksCodec.write(store('jks'), PW));
put('keydesk.jceks', jceksCodec.write(store('jceks'), PW));
put('keydesk-ca.der', ca);

// A v6 store with the personal entry only, and a LF late in its key's ciphertext: the
// test loses a byte before that LF (the shape of issue 13's wrong repairs).
for (let attempt = 0; ; attempt++) {
  if (attempt === 200) throw new Error('no store with a LF late in its key ciphertext turned up');
  const b = Buffer.from(writeCmsStore(store('cms', 'personal'), PW, { version: 6 }).kdb);
  const slot = 0x30 + 96;
  const ciphertextEnd = slot + 12 + b.readUInt32BE(slot + 8) - 9; // label "qm1" and flags follow
  const lf = b.indexOf(0x0a, ciphertextEnd - 100);
  if (lf !== -1 && lf < ciphertextEnd) {
    put('keydesk-v6-personal.kdb', b);
    break;
  }
}

const temp = mkdtempSync(join(tmpdir(), 'keydesk-originals-'));
try {
  const run = (tool: string, ...args: string[]): Buffer => execFileSync(tool, args, { cwd: temp, stdio: ['ignore', 'pipe', 'pipe'] });
  const openssl = (...args: string[]): Buffer => run('openssl', ...args);
  const read = (name: string): Buffer => readFileSync(join(temp, name));
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-subj', '/CN=CA', '-days', `${DAYS}`, '-out', 'ca.pem');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ee.key', '-subj', '/CN=ee', '-out', 'ee.csr');
  openssl('x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0D0A01', '-days', `${DAYS}`, '-out', 'ee.pem');
  const p12 = (name: string, ...extra: string[]): void => {
    openssl('pkcs12', '-export', '-in', 'ee.pem', '-inkey', 'ee.key', '-certfile', 'ca.pem', '-passout', `pass:${PW}`, '-out', name, ...extra);
    put(`openssl-${name}`, read(name));
  };
  p12('iter3338.p12', '-iter', '3338');
  p12('legacy.p12', '-legacy');
  p12('nomac.p12', '-nomac');
  put('openssl-ee.der', openssl('x509', '-in', 'ee.pem', '-outform', 'DER'));
  put('openssl.p7b', openssl('crl2pkcs7', '-nocrl', '-certfile', 'ca.pem', '-certfile', 'ee.pem', '-outform', 'DER'));

  for (const type of ['JKS', 'JCEKS']) {
    const file = `store.${type.toLowerCase()}`;
    const keytool = (...args: string[]): Buffer => run('keytool', '-J-Duser.language=en', '-keystore', file, '-storetype', type, '-storepass', PW, ...args);
    keytool('-genkeypair', '-keypass', PW, '-alias', 'qm1', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=qm1', '-validity', `${DAYS}`);
    keytool('-importcert', '-noprompt', '-alias', 'partner ca', '-file', 'ee.pem');
    put(`keytool.${type.toLowerCase()}`, read(file));
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

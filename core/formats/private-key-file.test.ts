/**
 * Private-key files in the encodings openssl writes, made at test time. A key read is
 * checked against a certificate made from the same key by openssl (SPKI bytes), and
 * against openssl's own PKCS#8 conversion where one exists.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { X509Certificate, createDecipheriv, createPrivateKey, createPublicKey, getCipherInfo } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyPemKey, readPrivateKey, writePrivateKey } from './private-key-file';
import { parseDer, fromBinary, type Asn1 } from '../asn1/der';
import { publicKeyMatches } from '../crypto/key-info';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { errorOf } from '../testing/keydesk-error';

let tmp: ReturnType<typeof makeTempDir>;
const path = (name: string): string => join(tmp.dir, name);
const openssl = (...args: string[]): Buffer => runTool('openssl', args, { cwd: tmp.dir });
const file = (name: string): Buffer => readFileSync(path(name));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
const PW = 'S3cret-pw';

const spkiOfKey = (pkcs8: Uint8Array): string =>
  hex(createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' }));
const spkiOfCert = (name: string): string => hex(new X509Certificate(file(name)).publicKey.export({ type: 'spki', format: 'der' }));

beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp?.cleanup());

describe.skipIf(!hasTool('openssl'))(`reading private keys made by openssl${missingNote('openssl')}`, () => {
  beforeAll(() => {
    // RSA: PKCS#1, PKCS#8 plain and encrypted, PEM and DER, and legacy PEM encryption.
    openssl('genrsa', '-traditional', '-out', 'rsa.pk1.pem', '2048');
    openssl('req', '-x509', '-key', 'rsa.pk1.pem', '-subj', '/CN=rsa', '-days', '30', '-out', 'rsa.crt');
    openssl('rsa', '-in', 'rsa.pk1.pem', '-traditional', '-outform', 'DER', '-out', 'rsa.pk1.der');
    openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'rsa.pk1.pem', '-out', 'rsa.p8.pem');
    openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'rsa.pk1.pem', '-outform', 'DER', '-out', 'rsa.p8.der');
    openssl('pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PW}`, '-in', 'rsa.pk1.pem', '-out', 'rsa.p8enc.pem');
    openssl('pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PW}`, '-in', 'rsa.pk1.pem', '-outform', 'DER', '-out', 'rsa.p8enc.der');
    openssl('base64', '-in', 'rsa.p8.der', '-out', 'rsa.p8.b64');
    openssl('genrsa', '-traditional', '-aes256', '-passout', `pass:${PW}`, '-out', 'legacy.pem', '2048');
    openssl('req', '-x509', '-key', 'legacy.pem', '-passin', `pass:${PW}`, '-subj', '/CN=legacy', '-days', '30', '-out', 'legacy.crt');
    openssl('rsa', '-in', 'rsa.pk1.pem', '-traditional', '-des3', '-passout', `pass:${PW}`, '-out', 'legacy3des.pem');
    // EC: ecparam -genkey with its EC PARAMETERS block, and with -noout; SEC1 DER.
    openssl('ecparam', '-genkey', '-name', 'prime256v1', '-out', 'ec.params.pem');
    openssl('req', '-x509', '-key', 'ec.params.pem', '-subj', '/CN=ec', '-days', '30', '-out', 'ec.crt');
    openssl('ecparam', '-genkey', '-name', 'secp384r1', '-noout', '-out', 'ec384.pem');
    openssl('req', '-x509', '-key', 'ec384.pem', '-subj', '/CN=ec384', '-days', '30', '-out', 'ec384.crt');
    openssl('ec', '-in', 'ec384.pem', '-outform', 'DER', '-out', 'ec384.sec1.der');
    openssl('ec', '-in', 'ec384.pem', '-param_enc', 'explicit', '-out', 'ec384.explicit.pem');
    openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'ec384.pem', '-outform', 'DER', '-out', 'ec384.p8.der');
  });

  it.each([
    ['PKCS#1 PEM (genrsa -traditional)', 'rsa.pk1.pem', 'rsa.crt'],
    ['PKCS#1 DER', 'rsa.pk1.der', 'rsa.crt'],
    ['PKCS#8 PEM', 'rsa.p8.pem', 'rsa.crt'],
    ['PKCS#8 DER', 'rsa.p8.der', 'rsa.crt'],
    ['PKCS#8 DER as bare base64 (openssl base64)', 'rsa.p8.b64', 'rsa.crt'],
    ['SEC1 PEM after its EC PARAMETERS block (ecparam -genkey)', 'ec.params.pem', 'ec.crt'],
    ['SEC1 PEM alone (ecparam -genkey -noout)', 'ec384.pem', 'ec384.crt'],
    ['SEC1 DER', 'ec384.sec1.der', 'ec384.crt'],
  ])('reads %s as the PKCS#8 openssl makes of it, matching its certificate', (_what, keyFile, certFile) => {
    const pkcs8 = readPrivateKey(file(keyFile));
    expect(spkiOfKey(pkcs8)).toBe(spkiOfCert(certFile));
    const opensslPkcs8 = openssl('pkcs8', '-topk8', '-nocrypt', '-in', certFile === 'rsa.crt' ? 'rsa.pk1.pem' : keyFile.replace(/\.sec1\.der$/, '.pem'), '-outform', 'DER');
    expect(hex(pkcs8)).toBe(hex(opensslPkcs8));
  });

  it('reads a traditional DSA key (pkey -traditional)', () => {
    openssl('genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', 'dsa.params');
    openssl('genpkey', '-paramfile', 'dsa.params', '-out', 'dsa.p8.pem');
    openssl('pkey', '-in', 'dsa.p8.pem', '-traditional', '-out', 'dsa.pem');
    expect(readFileSync(path('dsa.pem'), 'latin1')).toContain('BEGIN DSA PRIVATE KEY');
    expect(hex(readPrivateKey(file('dsa.pem')))).toBe(hex(openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'dsa.p8.pem', '-outform', 'DER')));
  });

  it('returns PKCS#8 input byte for byte', () => {
    expect(hex(readPrivateKey(file('rsa.p8.pem')))).toBe(hex(file('rsa.p8.der')));
    expect(hex(readPrivateKey(file('rsa.p8.der')))).toBe(hex(file('rsa.p8.der')));
  });

  it('reads an EC key with explicit curve parameters (ec -param_enc explicit)', () => {
    expect(readFileSync(path('ec384.explicit.pem'), 'latin1')).toContain('BEGIN EC PRIVATE KEY');
    // The SPKI bytes differ (explicit parameters rather than a curve name): compare keys.
    const pkcs8 = readPrivateKey(file('ec384.explicit.pem'));
    expect(publicKeyMatches(pkcs8, new X509Certificate(file('ec384.crt')).raw)).toBe(true);
  });

  it('reads a SEC1 key without its curve when an EC PARAMETERS block names it, and refuses it alone', () => {
    // PKCS#8 keeps the curve outside the SEC1 structure it wraps: that inner SEC1 is a key
    // "without embedded parameters".
    const fields = parseDer(file('ec384.p8.der')).value as Asn1[];
    const sec1 = fromBinary((fields[2] as Asn1).value as string);
    const sec1Pem = `-----BEGIN EC PRIVATE KEY-----\n${Buffer.from(sec1).toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    const params = openssl('ecparam', '-name', 'secp384r1').toString('latin1');
    expect(spkiOfKey(readPrivateKey(Buffer.from(params + sec1Pem)))).toBe(spkiOfCert('ec384.crt'));
    expect(errorOf(() => readPrivateKey(Buffer.from(sec1Pem)))).toEqual({
      code: 'unsupported',
      message: expect.stringMatching(/^the EC private key does not say which curve it is on/),
    });
  });

  it.each([
    ['encrypted PKCS#8 PEM', 'rsa.p8enc.pem', 'rsa.crt'],
    ['encrypted PKCS#8 DER', 'rsa.p8enc.der', 'rsa.crt'],
    ['legacy Proc-Type/DEK-Info AES-256 PEM (genrsa -aes256)', 'legacy.pem', 'legacy.crt'],
    ['legacy Proc-Type/DEK-Info 3DES PEM', 'legacy3des.pem', 'rsa.crt'],
  ])('reads %s with its password, asks for a missing one and refuses a wrong one', (_what, keyFile, certFile) => {
    expect(spkiOfKey(readPrivateKey(file(keyFile), PW))).toBe(spkiOfCert(certFile));
    expect(errorOf(() => readPrivateKey(file(keyFile)))).toEqual({
      code: 'usage',
      message: 'the private key is encrypted: give its password (the one it was exported or created with)',
    });
    expect(errorOf(() => readPrivateKey(file(keyFile), 'not-the-password')).code).toBe('wrong-password');
  });

  /** A wrong password for `keyFile` whose decryption still ends in valid padding (about 1
   * in 256 do): found by trying fixed passwords in order, so the test always has one. */
  function wrongPasswordWithValidPadding(keyFile: string): string {
    const pem = file(keyFile).toString('latin1');
    const [cipher, ivHex] = /^DEK-Info: ([^,\r\n]+),([0-9A-Fa-f]+)/m.exec(pem)!.slice(1) as [string, string];
    const body = Buffer.from(pem.split(/\r?\n\r?\n/)[1]!.replace(/-----END[\s\S]*/, '').replace(/\s+/g, ''), 'base64');
    const iv = Buffer.from(ivHex, 'hex');
    for (let i = 0; i < 20_000; i++) {
      const password = `wrong-${i}`;
      const decipher = createDecipheriv(cipher.toLowerCase(), legacyPemKey(password, iv.subarray(0, 8), getCipherInfo(cipher.toLowerCase())!.keyLength), iv);
      try {
        Buffer.concat([decipher.update(body), decipher.final()]);
        return password;
      } catch {
        // bad padding: the usual wrong password
      }
    }
    throw new Error('no wrong password with valid padding among 20,000 (chance about 1e-34)');
  }

  it.each([
    ['AES-256', 'legacy.pem'],
    ['3DES', 'legacy3des.pem'],
  ])('legacy %s PEM: a wrong password that leaves valid padding is a wrong password, not "unsupported" (issue 17)', (_cipher, keyFile) => {
    const password = wrongPasswordWithValidPadding(keyFile);
    // OpenSSL alone cannot tell it from a cipher it lacks: its decoder says "unsupported".
    expect(() => createPrivateKey({ key: file(keyFile), format: 'pem', passphrase: password })).toThrow(/unsupported/i);
    expect(errorOf(() => readPrivateKey(file(keyFile), password))).toEqual({ code: 'wrong-password', message: 'the password for the private key is wrong (passwords are case-sensitive)' });
    // And a run of fixed wrong passwords, some with valid padding by chance: all wrong-password.
    for (let i = 0; i < 600; i++) expect(errorOf(() => readPrivateKey(file(keyFile), `other-${i}`)).code, `other-${i}`).toBe('wrong-password');
  });

  it('a legacy PEM key under a cipher OpenSSL 3 keeps in its legacy provider is "unsupported", naming the cipher', () => {
    const pem = file('legacy.pem').toString('latin1').replace(/^DEK-Info: AES-256-CBC,([0-9A-F]{16})[0-9A-F]*/m, 'DEK-Info: DES-CBC,$1');
    expect(errorOf(() => readPrivateKey(Buffer.from(pem), PW))).toEqual({ code: 'unsupported', message: expect.stringMatching(/^the private key is encrypted with DES-CBC, which OpenSSL 3 only offers as a legacy algorithm/) });
  });

  it('finds the key in a file that also holds the certificate, with text around and CRLF', () => {
    const combined = `subject=CN = rsa\r\n${crlf(readFileSync(path('rsa.crt'), 'latin1'))}\r\nBag Attributes\r\n    localKeyID: 01 02\r\n${crlf(readFileSync(path('rsa.p8enc.pem'), 'latin1'))}`;
    expect(spkiOfKey(readPrivateKey(Buffer.from(combined), PW))).toBe(spkiOfCert('rsa.crt'));
  });

  it('refuses files without exactly one private key, saying what they hold', () => {
    expect(errorOf(() => readPrivateKey(file('rsa.crt')))).toEqual({
      code: 'unsupported',
      message: 'no private key found in this file (it looks like a PEM certificate)',
    });
    expect(errorOf(() => readPrivateKey(openssl('x509', '-in', 'rsa.crt', '-outform', 'DER')))).toEqual({
      code: 'unsupported',
      message: 'no private key found in this file (it looks like a DER certificate)',
    });
    const two = Buffer.concat([file('rsa.p8.pem'), file('ec384.pem')]);
    expect(errorOf(() => readPrivateKey(two))).toEqual({
      code: 'unsupported',
      message: expect.stringMatching(/^this file holds 2 private keys \(on lines 1, \d+\)/),
    });
  });

  it('refuses broken keys as damaged', () => {
    const pem = readFileSync(path('rsa.pk1.pem'), 'latin1').split('\n');
    pem[5] = `${pem[5]!.slice(0, 20)}!${pem[5]!.slice(21)}`;
    expect(errorOf(() => readPrivateKey(Buffer.from(pem.join('\n')))).code).toBe('damaged');
    expect(errorOf(() => readPrivateKey(file('rsa.p8.der').subarray(0, 600))).code).toBe('damaged');
    const cut = readFileSync(path('ec384.pem'), 'latin1').replace(/-----END[\s\S]*/, '');
    expect(errorOf(() => readPrivateKey(Buffer.from(cut))).message).toMatch(/has no END line/);
  });
});

describe.skipIf(!hasTool('openssl'))(`writing private keys that openssl reads${missingNote('openssl')}`, () => {
  let pkcs8: Uint8Array;
  beforeAll(() => {
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'w.p8.pem');
    pkcs8 = readPrivateKey(file('w.p8.pem'));
  });

  it('writes unencrypted PKCS#8 as openssl does, in PEM and DER', () => {
    expect(Buffer.from(writePrivateKey(pkcs8, 'ascii')).toString('latin1')).toBe(readFileSync(path('w.p8.pem'), 'latin1'));
    expect(hex(writePrivateKey(pkcs8, 'binary'))).toBe(hex(openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'w.p8.pem', '-outform', 'DER')));
  });

  it('writes encrypted PKCS#8 (PBES2, AES-256-CBC) that openssl decrypts to the same key', () => {
    writeFileSync(path('w.enc.pem'), writePrivateKey(pkcs8, 'ascii', PW));
    writeFileSync(path('w.enc.der'), writePrivateKey(pkcs8, 'binary', PW));
    expect(readFileSync(path('w.enc.pem'), 'latin1')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const parsed = openssl('asn1parse', '-in', 'w.enc.pem').toString();
    expect(parsed).toContain('PBES2');
    expect(parsed).toContain('aes-256-cbc');
    for (const [name, form] of [['w.enc.pem', 'PEM'], ['w.enc.der', 'DER']] as const) {
      // pkey writes unencrypted PKCS#8 PEM: the very file the key came from.
      expect(openssl('pkey', '-inform', form, '-in', name, '-passin', `pass:${PW}`).toString('latin1')).toBe(readFileSync(path('w.p8.pem'), 'latin1'));
      expect(hex(readPrivateKey(file(name), PW))).toBe(hex(pkcs8));
    }
  });

  it('refuses an empty password and what is not an unencrypted PKCS#8 key', () => {
    expect(errorOf(() => writePrivateKey(pkcs8, 'ascii', '')).code).toBe('usage');
    expect(errorOf(() => writePrivateKey(Uint8Array.of(0x30, 0x00), 'binary')).code).toBe('usage');
  });
});

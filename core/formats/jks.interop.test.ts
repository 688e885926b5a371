/**
 * JKS and JCEKS against the JDK's own keytool: stores it makes are read with the right
 * entries and keys; stores KeyDesk writes are listed by keytool and their keys recovered
 * by it (exported to PKCS#12 and shown by openssl); the JDK's cacerts opens as keytool
 * lists it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jceksCodec, jksCodec } from './jks';
import type { Entry, KeyStore, PersonalEntry, SecretEntry, SignerEntry } from '../model/key-store';
import type { StoreCodec } from './store-codec';
import { hasTool, makeTempDir, runTool } from '../testing/peer-tools';
import { codeOf, errorOf } from '../testing/keydesk-error';
import { javaGetKey } from '../testing/java-get-key';

const haveKeytool = hasTool('keytool');
const haveOpenssl = hasTool('openssl');
const haveBoth = haveKeytool && haveOpenssl;
const haveJava = hasTool('java');
const skipNote = haveBoth ? '' : ` (skipped: ${[haveKeytool ? '' : 'keytool', haveOpenssl ? '' : 'openssl'].filter(Boolean).join(' and ')} not found)`;

// keytool's messages are localised; the parsing below expects English.
const EN = ['-J-Duser.language=en', '-J-Duser.country=US'];

let tmp: ReturnType<typeof makeTempDir>;
const path = (name: string): string => join(tmp.dir, name);
beforeAll(() => {
  tmp = makeTempDir('keydesk-jks-');
});
afterAll(() => tmp?.cleanup());

const keytool = (args: string[]): string => runTool('keytool', [...EN, ...args]).toString('utf8');
const openssl = (args: string[]): string => runTool('openssl', args).toString('utf8');
const pemCert = (file: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(file)).raw);
const pemKey = (file: string): Uint8Array => new Uint8Array(createPrivateKey(readFileSync(file)).export({ format: 'der', type: 'pkcs8' }));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');


/** Does the PKCS#8 key belong to the certificate? Compared as SubjectPublicKeyInfo DER. */
function keyFitsCertificate(key: Uint8Array, cert: Uint8Array): boolean {
  const fromKey = createPublicKey(createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return fromKey.equals(new X509Certificate(cert).publicKey.export({ format: 'der', type: 'spki' }));
}

const sameKey = (a: Uint8Array | string, b: Uint8Array | string): boolean => {
  const jwk = (k: Uint8Array | string): string =>
    JSON.stringify(createPrivateKey(typeof k === 'string' ? k : { key: Buffer.from(k), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }));
  return jwk(a) === jwk(b);
};

/** alias → entry type, from `keytool -list -v`. */
function listed(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let alias: string | undefined;
  for (const line of output.split('\n')) {
    const a = /^Alias name: (.*)$/.exec(line);
    if (a) alias = a[1]!;
    const t = /^Entry type: (.*)$/.exec(line);
    if (t && alias !== undefined) out.set(alias, t[1]!.trim());
  }
  return out;
}

const formats: [string, StoreCodec][] = [
  ['JKS', jksCodec],
  ['JCEKS', jceksCodec],
];

let caDer: Uint8Array;
beforeAll(() => {
  if (!haveOpenssl) return;
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-subj', '/CN=KeyDesk Interop CA/O=KeyDesk', '-days', '30']);
  caDer = pemCert(path('ca.pem'));
});

describe.skipIf(!haveBoth).each(formats)(`%s stores made by keytool${skipNote}`, (type, codec) => {
  const file = (): string => path(`made.${type.toLowerCase()}`);
  const pw = 'Made-by-keytool1';

  beforeAll(() => {
    const common = ['-storetype', type, '-keystore', file(), '-storepass', pw];
    keytool(['-genkeypair', '-alias', 'RsaKey', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=rsa.example,O=KeyDesk', '-keypass', pw, ...common]);
    keytool(['-genkeypair', '-alias', 'EcKey', '-keyalg', 'EC', '-groupname', 'secp384r1', '-dname', 'CN=ec.example,O=KeyDesk', '-keypass', pw, ...common]);
    keytool(['-importcert', '-noprompt', '-alias', 'TheCA', '-file', path('ca.pem'), ...common]);
    if (type === 'JCEKS') keytool(['-genseckey', '-alias', 'MqAes', '-keyalg', 'AES', '-keysize', '256', '-keypass', pw, ...common]);
  });

  it('reads every entry with its kind, keytool alias and a key that fits its certificate', () => {
    const store = codec.read(readFileSync(file()), pw);
    const kinds = Object.fromEntries(store.entries.map((e) => [e.label, e.kind]));
    expect(kinds).toEqual({ rsakey: 'personal', eckey: 'personal', theca: 'signer', ...(type === 'JCEKS' ? { mqaes: 'secret' } : {}) });
    const listedTypes = listed(keytool(['-list', '-v', '-storetype', type, '-keystore', file(), '-storepass', pw]));
    expect([...listedTypes.keys()].sort()).toEqual(store.entries.map((e) => e.label).sort());
    for (const e of store.entries) {
      if (e.kind === 'personal') {
        expect(keyFitsCertificate(e.privateKey, e.chain[0]!), e.label).toBe(true);
        const exported = keytool(['-exportcert', '-rfc', '-alias', e.label, '-storetype', type, '-keystore', file(), '-storepass', pw]);
        expect(hex(e.chain[0]!)).toBe(hex(new Uint8Array(new X509Certificate(exported).raw)));
      }
    }
    const ca = store.entries.find((e): e is SignerEntry => e.kind === 'signer')!;
    expect(hex(ca.certificate)).toBe(hex(caDer));
    const ec = store.entries.find((e) => e.label === 'eckey') as PersonalEntry;
    expect(createPrivateKey({ key: Buffer.from(ec.privateKey), format: 'der', type: 'pkcs8' }).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
  });

  it('writes the store back byte for byte, and refuses the wrong password', () => {
    const bytes = readFileSync(file());
    expect(hex(codec.write(codec.read(bytes, pw), pw))).toBe(hex(bytes));
    expect(codeOf(() => codec.read(bytes, 'not-the-password'))).toBe('wrong-password');
    expect(codeOf(() => codec.read(bytes.subarray(0, bytes.length - 30), pw))).toBe('damaged');
  });

  it('keeps a key with its own password as unknown, and keytool still opens it with that password', () => {
    const own = path(`own.${type.toLowerCase()}`);
    const common = ['-storetype', type, '-keystore', own, '-storepass', pw];
    keytool(['-genkeypair', '-alias', 'Separate', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=separate', '-keypass', 'Key-only-pw', ...common]);
    keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', path('ca.pem'), ...common]);
    const store = codec.read(readFileSync(own), pw);
    expect(store.entries.map((e) => [e.label, e.kind])).toEqual(
      expect.arrayContaining([
        ['separate', 'unknown'],
        ['ca', 'signer'],
      ]),
    );
    // Saved under a new store password, the entry is untouched and opens as before.
    store.entries = store.entries.filter((e) => e.kind === 'unknown');
    writeFileSync(own, codec.write(store, 'New-store-pw1'));
    keytool(['-exportcert', '-alias', 'separate', ...common.slice(0, 4), '-storepass', 'New-store-pw1', '-file', path('separate.der')]);
    keytool(['-keypasswd', '-alias', 'separate', '-keypass', 'Key-only-pw', '-new', 'New-store-pw1', ...common.slice(0, 4), '-storepass', 'New-store-pw1']);
    const fixed = codec.read(readFileSync(own), 'New-store-pw1');
    expect(fixed.entries[0]!.kind).toBe('personal');
    expect(keyFitsCertificate((fixed.entries[0] as PersonalEntry).privateKey, readFileSync(path('separate.der')))).toBe(true);
  });
});

describe.skipIf(!haveBoth).each(formats)(`%s stores written by KeyDesk, opened by keytool${skipNote}`, (type, codec) => {
  const pw = 'Written-by-KeyDesk1';
  let rsaKey: Uint8Array;
  let rsaCert: Uint8Array;
  let ecKey: Uint8Array;
  let ecCert: Uint8Array;
  const out = (): string => path(`written.${type.toLowerCase()}`);

  beforeAll(() => {
    const issue = (name: string, keyArgs: string[]): void => {
      openssl(['req', '-newkey', ...keyArgs, '-nodes', '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`), '-subj', `/CN=${name}.example/O=KeyDesk`]);
      openssl(['x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path(`${name}.pem`), '-days', '30']);
    };
    issue('rsa', ['rsa:2048']);
    issue('ec', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    rsaKey = pemKey(path('rsa.key'));
    rsaCert = pemCert(path('rsa.pem'));
    ecKey = pemKey(path('ec.key'));
    ecCert = pemCert(path('ec.pem'));
    const store: KeyStore = {
      format: type.toLowerCase() as 'jks',
      properties: {},
      entries: [
        { kind: 'personal', label: 'QM1 Client RSA', privateKey: rsaKey, chain: [rsaCert, caDer] },
        { kind: 'personal', label: 'ec-client', privateKey: ecKey, chain: [ecCert] },
        { kind: 'signer', label: 'KeyDesk CA', certificate: caDer },
      ],
    };
    writeFileSync(out(), codec.write(store, pw));
  });

  it('is listed by keytool -list -v with the right entry types', () => {
    const text = keytool(['-list', '-v', '-storetype', type, '-keystore', out(), '-storepass', pw]);
    expect(Object.fromEntries(listed(text))).toEqual({ 'qm1 client rsa': 'PrivateKeyEntry', 'ec-client': 'PrivateKeyEntry', 'keydesk ca': 'trustedCertEntry' });
    expect(text).toContain('Certificate chain length: 2');
    // keytool finds entries by the name a user typed, in any case.
    const pem = keytool(['-exportcert', '-rfc', '-alias', 'QM1 Client RSA', '-storetype', type, '-keystore', out(), '-storepass', pw]);
    expect(hex(new Uint8Array(new X509Certificate(pem).raw))).toBe(hex(rsaCert));
  });

  it('has keys keytool can decrypt: exported to PKCS#12, openssl shows the same keys', () => {
    const p12 = path(`written-${type}.p12`);
    keytool(['-importkeystore', '-noprompt', '-srckeystore', out(), '-srcstoretype', type, '-srcstorepass', pw, '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', pw]);
    const pem = openssl(['pkcs12', '-in', p12, '-nodes', '-passin', `pass:${pw}`]);
    const keys = [...pem.matchAll(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g)].map((m) => m[0]);
    expect(keys).toHaveLength(2);
    expect(keys.some((k) => sameKey(k, rsaKey))).toBe(true);
    expect(keys.some((k) => sameKey(k, ecKey))).toBe(true);
  });

  it('reads its own output back, and keytool accepts it after a password change', () => {
    const store = codec.read(readFileSync(out()), pw);
    expect(store.entries.map((e) => e.kind)).toEqual(['personal', 'personal', 'signer']);
    const changed = path(`changed.${type.toLowerCase()}`);
    writeFileSync(changed, codec.write(store, 'Another-pw2'));
    const p12 = path(`changed-${type}.p12`);
    keytool(['-importkeystore', '-noprompt', '-srckeystore', changed, '-srcstoretype', type, '-srcstorepass', 'Another-pw2', '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', 'Another-pw2']);
    const pem = openssl(['pkcs12', '-in', p12, '-nodes', '-passin', 'pass:Another-pw2']);
    expect(pem.match(/BEGIN PRIVATE KEY/g)).toHaveLength(2);
  });
});

describe.skipIf(!haveBoth)(`a keytool JCEKS secret key after a KeyDesk save${skipNote}`, () => {
  it('is still a secret key keytool can unseal (exported to PKCS#12)', () => {
    const pw = 'Secret-store1';
    const file = path('secret.jceks');
    keytool(['-genseckey', '-alias', 'MqAes', '-keyalg', 'AES', '-keysize', '256', '-storetype', 'JCEKS', '-keystore', file, '-storepass', pw, '-keypass', pw]);
    const store = jceksCodec.read(readFileSync(file), pw);
    const secret = store.entries[0] as SecretEntry;
    expect(secret.kind).toBe('secret');
    // Change the store around it: rename it and add a signer.
    const entries: Entry[] = [{ kind: 'signer', label: 'added ca', certificate: caDer }, { ...secret, label: 'mq-aes-renamed' }];
    writeFileSync(file, jceksCodec.write({ ...store, entries }, pw));
    const p12 = path('secret.p12');
    // Unsealing needs the password; keytool would prompt for another one, and fail, otherwise.
    const imported = runTool('keytool', [...EN, '-importkeystore', '-noprompt', '-srckeystore', file, '-srcstoretype', 'JCEKS', '-srcstorepass', pw, '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', pw], { input: '' });
    expect(imported.toString('utf8')).not.toMatch(/error/i);
    const text = keytool(['-list', '-v', '-storetype', 'PKCS12', '-keystore', p12, '-storepass', pw]);
    expect(Object.fromEntries(listed(text))).toEqual({ 'added ca': 'trustedCertEntry', 'mq-aes-renamed': 'SecretKeyEntry' });
  });
});

describe.skipIf(!haveKeytool || !haveJava)(`a keytool JCEKS secret key after a KeyDesk password change${haveKeytool && haveJava ? '' : ' (skipped: keytool or java not found)'}`, () => {
  it('opens with the new password only, and is the same key', () => {
    const oldPw = 'Old-store-pw1';
    const newPw = 'New-store-pw2';
    const file = path('rekey.jceks');
    const common = ['-storetype', 'JCEKS', '-keystore', file];
    keytool(['-genseckey', '-alias', 'MqAes', '-keyalg', 'AES', '-keysize', '256', ...common, '-storepass', oldPw, '-keypass', oldPw]);
    keytool(['-genseckey', '-alias', 'MqHmac', '-keyalg', 'HmacSHA256', '-keysize', '256', ...common, '-storepass', oldPw, '-keypass', oldPw]);
    keytool(['-genkeypair', '-alias', 'Client', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=client', ...common, '-storepass', oldPw, '-keypass', oldPw]);
    const before = Object.fromEntries(['mqaes', 'mqhmac'].map((a) => [a, javaGetKey(tmp.dir, 'JCEKS', file, oldPw, a, oldPw)]));
    expect(before.mqaes).toMatchObject({ algorithm: 'AES', hex: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const { bytes, notes } = jceksCodec.writeWithNotes(jceksCodec.read(readFileSync(file), oldPw), newPw);
    expect(notes).toEqual([]);
    writeFileSync(file, bytes);

    const text = keytool(['-list', '-v', ...common, '-storepass', newPw]);
    expect(Object.fromEntries(listed(text))).toEqual({ mqaes: 'SecretKeyEntry', mqhmac: 'SecretKeyEntry', client: 'PrivateKeyEntry' });
    for (const alias of ['mqaes', 'mqhmac']) {
      expect(javaGetKey(tmp.dir, 'JCEKS', file, newPw, alias, newPw), alias).toEqual(before[alias]);
      expect(javaGetKey(tmp.dir, 'JCEKS', file, newPw, alias, oldPw), alias).toMatchObject({ refused: expect.any(String) });
    }
    expect(javaGetKey(tmp.dir, 'JCEKS', file, newPw, 'client', newPw)).toMatchObject({ algorithm: 'EC' });
  });

  it('is refused, with nothing written, when its seal cannot be opened again', () => {
    const pw = 'Store-pw-3';
    const file = path('odd-seal.jceks');
    keytool(['-genseckey', '-alias', 'k', '-keyalg', 'AES', '-keysize', '128', '-storetype', 'JCEKS', '-keystore', file, '-storepass', pw, '-keypass', pw]);
    const store = jceksCodec.read(readFileSync(file), pw);
    // A seal this version does not know, as a newer JDK might write.
    const secret = store.entries[0]!;
    const bytes = Buffer.from(secret.source!.bytes);
    const name = Buffer.from('PBEWithMD5AndTripleDES');
    for (let at = bytes.indexOf(name); at >= 0; at = bytes.indexOf(name, at + 1)) bytes.write('PBEWithSHA1AndDESede00', at, 'latin1');
    store.entries[0] = { ...secret, source: { ...secret.source!, bytes: new Uint8Array(bytes) } };
    expect(errorOf(() => jceksCodec.write(store, 'Other-pw-4'))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('"k"') });
  });
});

function jdkCacerts(): string | undefined {
  if (!haveKeytool) return undefined;
  try {
    const keytoolPath = realpathSync(runTool('sh', ['-c', 'command -v keytool']).toString('utf8').trim());
    const file = join(dirname(keytoolPath), '..', 'lib', 'security', 'cacerts');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const cacerts = jdkCacerts();
const cacertsIsJks = cacerts !== undefined && readFileSync(cacerts).subarray(0, 4).toString('hex') === 'feedfeed';

describe.skipIf(!cacertsIsJks)(`the JDK's cacerts${cacertsIsJks ? '' : ' (skipped: keytool or a JKS cacerts not found)'}`, () => {
  it('opens with exactly the aliases keytool lists, all trusted certificates', () => {
    const bytes = readFileSync(cacerts!);
    const store = jksCodec.read(bytes, 'changeit');
    const text = keytool(['-list', '-v', '-cacerts', '-storepass', 'changeit']);
    const fromKeytool = listed(text);
    expect(fromKeytool.size).toBeGreaterThan(0);
    expect(store.entries.map((e) => e.label).sort()).toEqual([...fromKeytool.keys()].sort());
    expect(new Set(store.entries.map((e) => e.kind))).toEqual(new Set(['signer']));
    expect(new Set(fromKeytool.values())).toEqual(new Set(['trustedCertEntry']));
    for (const e of store.entries) new X509Certificate((e as SignerEntry).certificate);
    expect(hex(jksCodec.write(store, 'changeit'))).toBe(hex(bytes));
    expect(codeOf(() => jksCodec.read(bytes, 'changeme'))).toBe('wrong-password');
  });
});

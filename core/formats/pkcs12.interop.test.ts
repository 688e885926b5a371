/**
 * PKCS#12 against the peers users actually exchange files with: OpenSSL 3 (default,
 * -legacy, IBM-like iteration counts, -nomac, empty password) and the JDK's keytool.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkcs12Codec } from './pkcs12';
import type { KeyStore, PersonalEntry, SignerEntry } from '../model/key-store';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { codeOf } from '../testing/keydesk-error';
import { javaGetKey } from '../testing/java-get-key';

const haveOpenssl = hasTool('openssl');
const haveKeytool = hasTool('keytool');
const noOpenssl = missingNote('openssl');
const noKeytool = missingNote('keytool');
const LEGACY_PROVIDERS = ['-provider', 'legacy', '-provider', 'default'];

let tmp: ReturnType<typeof makeTempDir>;
const path = (name: string): string => join(tmp.dir, name);
beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp?.cleanup());


const pemToDer = (pem: string): Buffer => Buffer.from(new X509Certificate(pem).raw);
const sameKey = (a: Uint8Array | string, b: Uint8Array | string): boolean => {
  const jwk = (k: Uint8Array | string) =>
    JSON.stringify(createPrivateKey(typeof k === 'string' ? k : { key: Buffer.from(k), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }));
  return jwk(a) === jwk(b);
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function personal(store: KeyStore): PersonalEntry[] {
  return store.entries.filter((e): e is PersonalEntry => e.kind === 'personal');
}
function signers(store: KeyStore): SignerEntry[] {
  return store.entries.filter((e): e is SignerEntry => e.kind === 'signer');
}

describe.skipIf(!haveOpenssl)(`reading files made by openssl pkcs12${noOpenssl}`, () => {
  let caDer: Buffer;
  let eeDer: Buffer;
  let eeKeyPem: string;
  beforeAll(() => {
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-subj', '/CN=Interop Root CA/O=KeyDesk', '-days', '30']);
    runTool('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('ee.key'), '-out', path('ee.csr'), '-subj', '/CN=qmgr.example/O=KeyDesk']);
    runTool('openssl', ['x509', '-req', '-in', path('ee.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('ee.pem'), '-days', '30']);
    caDer = pemToDer(readFileSync(path('ca.pem'), 'utf8'));
    eeDer = pemToDer(readFileSync(path('ee.pem'), 'utf8'));
    eeKeyPem = readFileSync(path('ee.key'), 'utf8');
  });

  function exportP12(name: string, password: string, extra: string[]): Uint8Array {
    runTool('openssl', ['pkcs12', '-export', '-inkey', path('ee.key'), '-in', path('ee.pem'), '-certfile', path('ca.pem'), '-passout', `pass:${password}`, '-out', path(name), ...extra]);
    return readFileSync(path(name));
  }

  function expectServerEntry(store: KeyStore, label: string): void {
    // GSKit's view: the CA is in the key's chain and, having no key, is also a signer,
    // labelled with its subject DN in RFC 4514 form as openssl gave it no name (GSKit's
    // label: martdj's script runs -cert -setdefault -label CN=*.martdj.nl after a GSKit
    // import, cli/testing/REAL-SCRIPTS.md; IBM Cloud lists CN=R3,O=Let's Encrypt,C=US,
    // cli/RUNMQAKM.md §3.1). -subj /CN=Interop Root CA/O=KeyDesk puts O last, so first.
    expect(store.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', label],
      ['signer', 'O=KeyDesk,CN=Interop Root CA'],
    ]);
    const [entry] = personal(store);
    expect(entry!.chain.map(hex)).toEqual([hex(eeDer), hex(caDer)]);
    expect(sameKey(entry!.privateKey, eeKeyPem)).toBe(true);
  }

  it('OpenSSL 3 default (PBES2/AES-256, SHA-256 MAC, 2048 iterations)', () => {
    const bytes = exportP12('default.p12', 'S3cret!', ['-name', 'qmgr cert']);
    const store = pkcs12Codec.read(bytes, 'S3cret!');
    expectServerEntry(store, 'qmgr cert');
    expect(store.properties).toMatchObject({ macAlgorithm: 'SHA-256', macIterations: 2048, iterations: 2048 });
    expect(String(store.properties.keyProtection)).toContain('AES-256');
    expect(codeOf(() => pkcs12Codec.read(bytes, 's3cret!'))).toBe('wrong-password');
  });

  it('OpenSSL -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)', () => {
    const bytes = exportP12('legacy.p12', 'S3cret!', ['-legacy', '-name', 'qmgr cert']);
    const store = pkcs12Codec.read(bytes, 'S3cret!');
    expectServerEntry(store, 'qmgr cert');
    expect(store.properties).toMatchObject({ macAlgorithm: 'SHA-1', keyProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC', certProtection: 'pbeWithSHAAnd40BitRC2-CBC' });
    expect(codeOf(() => pkcs12Codec.read(bytes, 'nope'))).toBe('wrong-password');
  });

  it('OpenSSL -legacy with many certificates: RC2 over tens of kilobytes, decrypted in pieces, reads every certificate intact', () => {
    // 60 signers make the RC2-encrypted SafeContents span several of the decrypter's 8 KB
    // pieces (encrypted-private-key.ts), with a piece boundary inside a certificate.
    const many = Array.from({ length: 60 }, () => readFileSync(path('ca.pem'), 'utf8')).join('');
    writeFileSync(path('many.pem'), many);
    runTool('openssl', ['pkcs12', '-export', '-legacy', '-nokeys', '-in', path('many.pem'), '-passout', 'pass:S3cret!', '-out', path('many.p12')]);
    const store = pkcs12Codec.read(readFileSync(path('many.p12')), 'S3cret!');
    expect(store.properties).toMatchObject({ certProtection: 'pbeWithSHAAnd40BitRC2-CBC' });
    const certificates = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : e.kind === 'personal' ? e.chain : []));
    expect(certificates.length).toBeGreaterThan(0);
    for (const c of certificates) expect(hex(c)).toBe(hex(caDer));
    const openssl = runTool('openssl', ['pkcs12', '-in', path('many.p12'), '-passin', 'pass:S3cret!', '-nokeys', ...LEGACY_PROVIDERS]).toString();
    expect(certificates.length).toBeLessThanOrEqual((openssl.match(/BEGIN CERTIFICATE/g) ?? []).length);
  });

  it('IBM-like: -legacy with 100000 iterations for encryption and MAC', () => {
    const bytes = exportP12('ibm-100k.p12', 'S3cret!', ['-legacy', '-iter', '100000', '-maciter', '-name', 'ibmwebspheremqqm1']);
    const store = pkcs12Codec.read(bytes, 'S3cret!');
    expectServerEntry(store, 'ibmwebspheremqqm1');
    expect(store.properties).toMatchObject({ iterations: 100000, macIterations: 100000 });
  });

  it('IBM-like: 3DES key, RC2-40 certificates, 50000 iterations', () => {
    const bytes = exportP12('ibm-50k.p12', 'S3cret!', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-RC2-40', '-iter', '50000', '-name', 'ibm', ...LEGACY_PROVIDERS]);
    const store = pkcs12Codec.read(bytes, 'S3cret!');
    expectServerEntry(store, 'ibm');
    expect(store.properties).toMatchObject({ iterations: 50000, certProtection: 'pbeWithSHAAnd40BitRC2-CBC' });
  });

  it('no MAC (-nomac): reads with the right password, refuses a wrong one', () => {
    const bytes = exportP12('nomac.p12', 'S3cret!', ['-nomac', '-name', 'qmgr cert']);
    const store = pkcs12Codec.read(bytes, 'S3cret!');
    expectServerEntry(store, 'qmgr cert');
    expect(store.properties.macAlgorithm).toBe('none');
    expect(codeOf(() => pkcs12Codec.read(bytes, 'wrong'))).toBe('wrong-password');
  });

  it('empty password and no -name: the label is the subject DN, as GSKit labels it', () => {
    const bytes = exportP12('empty.p12', '', []);
    // RFC 4514 form of -subj /CN=qmgr.example/O=KeyDesk (cli/testing/REAL-SCRIPTS.md, martdj:
    // -cert -setdefault -label CN=*.martdj.nl after a GSKit import of an unnamed p12).
    expectServerEntry(pkcs12Codec.read(bytes, ''), 'O=KeyDesk,CN=qmgr.example');
    expect(codeOf(() => pkcs12Codec.read(bytes, 'x'))).toBe('wrong-password');
  });

  it('certificates only (-nokeys): a signer', () => {
    runTool('openssl', ['pkcs12', '-export', '-nokeys', '-in', path('ca.pem'), '-passout', 'pass:pw', '-out', path('ca-only.p12')]);
    const store = pkcs12Codec.read(readFileSync(path('ca-only.p12')), 'pw');
    // No -name: the subject DN, RFC 4514, as GSKit labels it (cli/RUNMQAKM.md §3.1: CN=R3,O=Let's Encrypt,C=US).
    expect(store.entries.map((e) => [e.kind, e.label])).toEqual([['signer', 'O=KeyDesk,CN=Interop Root CA']]);
  });

  it('garbage is not-a-keystore and a truncated file is damaged', () => {
    const bytes = readFileSync(path('default.p12'));
    expect(codeOf(() => pkcs12Codec.read(readFileSync(path('ee.pem')), 'x'))).toBe('not-a-keystore');
    expect(codeOf(() => pkcs12Codec.read(bytes.subarray(0, bytes.length - 40), 'S3cret!'))).toBe('damaged');
  });
});

describe.skipIf(!haveKeytool)(`reading files made by keytool${noKeytool}`, () => {
  const ks = (): string => path('keytool.p12');
  const kt = (args: string[]): string => runTool('keytool', [...args, '-storetype', 'PKCS12', '-keystore', ks(), '-storepass', 'changeit']).toString();

  beforeAll(() => {
    kt(['-genkeypair', '-alias', 'rsa-key', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=rsa.example', '-validity', '30']);
    kt(['-genkeypair', '-alias', 'ec-key', '-keyalg', 'EC', '-groupname', 'secp384r1', '-dname', 'CN=ec.example', '-validity', '30']);
    kt(['-genkeypair', '-alias', 'issuing-ca', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=Keytool CA', '-ext', 'bc:c', '-validity', '30']);
    // A CA-signed chain: trust the CA, then answer a request from ec-key with its certificate.
    writeFileSync(path('kt-ca.pem'), kt(['-exportcert', '-rfc', '-alias', 'issuing-ca']));
    kt(['-importcert', '-noprompt', '-alias', 'trusted-ca', '-file', path('kt-ca.pem')]);
    writeFileSync(path('ec.csr'), kt(['-certreq', '-alias', 'ec-key']));
    writeFileSync(path('ec.pem'), kt(['-gencert', '-rfc', '-alias', 'issuing-ca', '-infile', path('ec.csr'), '-validity', '30']));
    kt(['-importcert', '-noprompt', '-alias', 'ec-key', '-file', path('ec.pem')]);
  });

  it('lists key pairs as personal (with their chain) and imported certificates as signers', () => {
    const store = pkcs12Codec.read(readFileSync(ks()), 'changeit');
    expect(store.properties).toMatchObject({ macAlgorithm: 'SHA-256', iterations: 10000 });
    const byLabel = Object.fromEntries(store.entries.map((e) => [e.label, e]));
    // The CA is both trusted-ca and ec-key's chain link in keytool's file: one signer.
    expect(Object.keys(byLabel).sort()).toEqual(['ec-key', 'issuing-ca', 'rsa-key', 'trusted-ca']);
    expect(byLabel['rsa-key']?.kind).toBe('personal');
    expect(byLabel['issuing-ca']?.kind).toBe('personal');
    expect(byLabel['trusted-ca']?.kind).toBe('signer');
    const ec = byLabel['ec-key'] as PersonalEntry;
    expect(ec.kind).toBe('personal');
    expect(ec.chain).toHaveLength(2);
    expect(hex(ec.chain[1]!)).toBe(hex((byLabel['trusted-ca'] as SignerEntry).certificate));
    for (const p of personal(store)) {
      const certKey = new X509Certificate(p.chain[0]!).publicKey.export({ format: 'jwk' });
      const { d: _d, ...ownPublic } = createPrivateKey({ key: Buffer.from(p.privateKey), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
      expect(ownPublic).toMatchObject(certKey);
    }
    expect(codeOf(() => pkcs12Codec.read(readFileSync(ks()), 'changeme'))).toBe('wrong-password');
  });
});

describe(`files KeyDesk writes, checked by the peers`, () => {
  let original: KeyStore;
  beforeAll(() => {
    if (!haveOpenssl) return;
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('w-ca.key'), '-out', path('w-ca.pem'), '-subj', '/CN=Writer Root CA', '-days', '30']);
    runTool('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', path('w-ee.key'), '-out', path('w-ee.csr'), '-subj', '/CN=client.example']);
    runTool('openssl', ['x509', '-req', '-in', path('w-ee.csr'), '-CA', path('w-ca.pem'), '-CAkey', path('w-ca.key'), '-CAcreateserial', '-out', path('w-ee.pem'), '-days', '30']);
    runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('w-other.key'), '-out', path('w-other.pem'), '-subj', '/CN=Other Root', '-days', '30']);
    const keyDer = createPrivateKey(readFileSync(path('w-ee.key'), 'utf8')).export({ format: 'der', type: 'pkcs8' });
    const caDer = pemToDer(readFileSync(path('w-ca.pem'), 'utf8'));
    original = {
      format: 'pkcs12',
      properties: {},
      entries: [
        { kind: 'personal', label: 'ibmwebspheremqclient', privateKey: new Uint8Array(keyDer), chain: [pemToDer(readFileSync(path('w-ee.pem'), 'utf8')), caDer] },
        { kind: 'signer', label: 'Writer Root CA', certificate: caDer },
        { kind: 'signer', label: 'Other Root', certificate: pemToDer(readFileSync(path('w-other.pem'), 'utf8')) },
      ],
    };
  });

  for (const protection of ['aes256', 'legacy-3des'] as const) {
    const legacy = protection === 'legacy-3des' ? ['-legacy'] : [];
    it.skipIf(!haveOpenssl)(`openssl pkcs12 accepts ${protection} output and finds the key and certificates${noOpenssl}`, () => {
      const file = path(`written-${protection}.p12`);
      writeFileSync(file, pkcs12Codec.write(original, 'Wr1te!', { protection }));
      runTool('openssl', ['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:Wr1te!', ...legacy]);
      const keyPem = runTool('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Wr1te!', '-nocerts', '-nodes', ...legacy]).toString();
      expect(sameKey(keyPem.slice(keyPem.indexOf('-----BEGIN')), (original.entries[0] as PersonalEntry).privateKey)).toBe(true);
      const certsPem = runTool('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Wr1te!', '-nokeys', ...legacy]).toString();
      expect(certsPem).toContain('friendlyName: ibmwebspheremqclient');
      // EE, then each CA once: the chain's CA is written as the signer it also is.
      expect(certsPem.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
      expect(() => runTool('openssl', ['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:wrong', ...legacy])).toThrow();
    });

    it.skipIf(!haveOpenssl || !haveKeytool)(`keytool lists ${protection} output: PrivateKeyEntry and trustedCertEntry${noOpenssl || noKeytool}`, () => {
      const file = path(`written-${protection}-kt.p12`);
      writeFileSync(file, pkcs12Codec.write(original, 'Wr1te!', { protection }));
      const listing = runTool('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', file, '-storepass', 'Wr1te!']).toString();
      const kindOf = (alias: string): string | undefined =>
        listing
          .split('\n')
          .find((l) => l.toLowerCase().startsWith(`${alias.toLowerCase()},`))
          ?.match(/\b(PrivateKeyEntry|trustedCertEntry|SecretKeyEntry)\b/)?.[1];
      expect(kindOf('ibmwebspheremqclient')).toBe('PrivateKeyEntry');
      expect(kindOf('Writer Root CA')).toBe('trustedCertEntry');
      expect(kindOf('Other Root')).toBe('trustedCertEntry');
      expect(listing).toMatch(/contains 3 entries/);

      // Java must also open the key: copy the store through keytool and read the copy back.
      const copy = path(`copied-${protection}.p12`);
      runTool('keytool', ['-importkeystore', '-noprompt', '-srckeystore', file, '-srcstoretype', 'PKCS12', '-srcstorepass', 'Wr1te!', '-destkeystore', copy, '-deststoretype', 'PKCS12', '-deststorepass', 'C0py!!']);
      const back = pkcs12Codec.read(readFileSync(copy), 'C0py!!');
      const [entry] = personal(back);
      expect(entry!.chain.map(hex)).toEqual((original.entries[0] as PersonalEntry).chain.map(hex));
      expect(sameKey(entry!.privateKey, (original.entries[0] as PersonalEntry).privateKey)).toBe(true);
      expect(signers(back).map((s) => s.label.toLowerCase()).sort()).toEqual(['other root', 'writer root ca']);
    });
  }
});

/** How openssl says a file is protected: MAC, encrypted parts and shrouded keys, each
 * kind of line once (the first a file has of each is the one that matters). */
function protectionSeen(file: string, password: string): string[] {
  const run = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', file, '-passin', `pass:${password}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl pkcs12 -info failed: ${run.stderr}`);
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^(MAC:|MAC length|PKCS7 Encrypted data|Shrouded Keybag)/.test(l));
  return [...new Set(lines)].sort();
}

describe.skipIf(!haveOpenssl)(`a change keeps the protection openssl sees${noOpenssl}`, () => {
  beforeAll(() => {
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('p-ca.key'), '-out', path('p-ca.pem'), '-subj', '/CN=Protection Root', '-days', '30']);
    runTool('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('p-ee.key'), '-out', path('p-ee.csr'), '-subj', '/CN=qm1.example']);
    runTool('openssl', ['x509', '-req', '-in', path('p-ee.csr'), '-CA', path('p-ca.pem'), '-CAkey', path('p-ca.key'), '-CAcreateserial', '-out', path('p-ee.pem'), '-days', '30']);
    runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('p-partner.key'), '-out', path('p-partner.pem'), '-subj', '/CN=Partner CA', '-days', '30']);
  });

  const cases: Array<[string, string[], string[]]> = [
    [
      'IBM-style (RC2-40 certificates, 3DES keys, SHA-1 MAC, 100,000 iterations)',
      ['-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-3DES', '-iter', '100000', '-macalg', 'sha1'],
      [
        'MAC length: 20, salt length: 8',
        'MAC: sha1, Iteration 100000',
        'PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 100000',
        'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 100000',
      ],
    ],
    [
      'OpenSSL 3 default (PBES2/AES-256, SHA-256 MAC, 2048 iterations)',
      [],
      [
        'MAC length: 32, salt length: 8',
        'MAC: sha256, Iteration 2048',
        'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
        'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
      ],
    ],
    [
      'certificates in the clear (-certpbe NONE), 3DES keys',
      ['-certpbe', 'NONE', '-keypbe', 'PBE-SHA1-3DES', '-iter', '5000'],
      ['MAC length: 32, salt length: 8', 'MAC: sha256, Iteration 5000', 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 5000'],
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(`${name}: after a signer is added, and after a password change`, () => {
      const file = path(`kept-${expected[1]!.replace(/\W+/g, '-')}.p12`);
      runTool('openssl', ['pkcs12', '-export', '-inkey', path('p-ee.key'), '-in', path('p-ee.pem'), '-certfile', path('p-ca.pem'), '-name', 'ibmwebspheremqqm1', '-passout', 'pass:Old-pw1', '-out', file, ...args]);
      expect(protectionSeen(file, 'Old-pw1')).toEqual(expected);

      const store = pkcs12Codec.read(readFileSync(file), 'Old-pw1');
      store.entries.push({ kind: 'signer', label: 'partner ca', certificate: pemToDer(readFileSync(path('p-partner.pem'), 'utf8')) });
      const added = pkcs12Codec.writeWithNotes(store, 'Old-pw1');
      expect(added.notes).toEqual([]);
      writeFileSync(file, added.bytes);
      expect(protectionSeen(file, 'Old-pw1')).toEqual(expected);

      const changed = pkcs12Codec.writeWithNotes(pkcs12Codec.read(readFileSync(file), 'Old-pw1'), 'New-pw2');
      expect(changed.notes).toEqual([]);
      writeFileSync(file, changed.bytes);
      expect(protectionSeen(file, 'New-pw2')).toEqual(expected);
      const certs = runTool('openssl', ['pkcs12', '-in', file, '-passin', 'pass:New-pw2', '-nokeys', '-legacy']).toString();
      expect(certs).toContain('friendlyName: partner ca');
      const keyPem = runTool('openssl', ['pkcs12', '-in', file, '-passin', 'pass:New-pw2', '-nocerts', '-nodes', '-legacy']).toString();
      expect(sameKey(keyPem.slice(keyPem.indexOf('-----BEGIN')), readFileSync(path('p-ee.key'), 'utf8'))).toBe(true);
    });
  }

  it.skipIf(!haveKeytool)(`keytool's own (PBES2/AES-256, 10,000 iterations, 20-byte MAC salt), which keytool still lists${noKeytool}`, () => {
    const file = path('kept-keytool.p12');
    const kt = (args: string[], pw: string): string => runTool('keytool', [...args, '-storetype', 'PKCS12', '-keystore', file, '-storepass', pw]).toString();
    kt(['-genkeypair', '-alias', 'qm1', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=qm1', '-validity', '30'], 'Old-pw1');
    kt(['-importcert', '-noprompt', '-alias', 'root', '-file', path('p-ca.pem')], 'Old-pw1');
    const expected = [
      'MAC length: 32, salt length: 20',
      'MAC: sha256, Iteration 10000',
      'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256',
      'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256',
    ];
    expect(protectionSeen(file, 'Old-pw1')).toEqual(expected);
    const store = pkcs12Codec.read(readFileSync(file), 'Old-pw1');
    store.entries.push({ kind: 'signer', label: 'partner ca', certificate: pemToDer(readFileSync(path('p-partner.pem'), 'utf8')) });
    writeFileSync(file, pkcs12Codec.write(pkcs12Codec.read(pkcs12Codec.write(store, 'Old-pw1'), 'Old-pw1'), 'New-pw2'));
    expect(protectionSeen(file, 'New-pw2')).toEqual(expected);
    expect(kt(['-list'], 'New-pw2')).toMatch(/contains 3 entries/);
  });
});

describe.skipIf(!haveKeytool || !hasTool('java'))(
  `a keytool PKCS#12 secret key after a KeyDesk password change${haveKeytool && hasTool('java') ? '' : ' (skipped: keytool or java not found)'}`,
  () => {
    it('opens with the new password only, and is the same key', () => {
      const file = path('secret-rekey.p12');
      const kt = (args: string[], pw: string): string => runTool('keytool', [...args, '-storetype', 'PKCS12', '-keystore', file, '-storepass', pw]).toString();
      kt(['-genseckey', '-alias', 'mq-aes', '-keyalg', 'AES', '-keysize', '256'], 'Old-pw1');
      kt(['-genkeypair', '-alias', 'qm1', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=qm1', '-validity', '30'], 'Old-pw1');
      const before = javaGetKey(tmp.dir, 'PKCS12', file, 'Old-pw1', 'mq-aes', 'Old-pw1');
      expect(before).toMatchObject({ algorithm: 'AES', hex: expect.stringMatching(/^[0-9a-f]{64}$/) });

      const store = pkcs12Codec.read(readFileSync(file), 'Old-pw1');
      expect(store.entries.find((e) => e.label === 'mq-aes')?.kind).toBe('unknown');
      const { bytes, notes } = pkcs12Codec.writeWithNotes(store, 'New-pw2');
      expect(notes).toEqual([]);
      writeFileSync(file, bytes);

      expect(kt(['-list'], 'New-pw2')).toMatch(/mq-aes, .*SecretKeyEntry/);
      expect(javaGetKey(tmp.dir, 'PKCS12', file, 'New-pw2', 'mq-aes', 'New-pw2')).toEqual(before);
      expect(javaGetKey(tmp.dir, 'PKCS12', file, 'New-pw2', 'mq-aes', 'Old-pw1')).toMatchObject({ refused: expect.any(String) });
      expect(javaGetKey(tmp.dir, 'PKCS12', file, 'New-pw2', 'qm1', 'New-pw2')).toMatchObject({ algorithm: 'EC' });
    });
  },
);

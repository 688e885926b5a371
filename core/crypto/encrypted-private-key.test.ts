import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import {
  decryptPrivateKeyInfo,
  describeAlgorithm,
  describeProtection,
  encryptPrivateKeyInfo,
  pbeAlgorithmLike,
  pbeAlgorithmNamed,
  pbeDecrypt,
  pbeEncryptWith,
  type KeyProtection,
} from './encrypted-private-key';
import { asn1, encodeDer, fromBinary, oidToDer, parseDer, toBinary } from '../asn1/der';
import { hasTool, kdbFixturesDir, makeTempDir, runTool } from '../testing/peer-tools';
import { codeOf } from '../testing/keydesk-error';

const PASSWORD = 'Pässwörd-1';

function pkcs8Of(type: 'rsa' | 'ec', curve?: string): Uint8Array {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: curve ?? 'P-256' });
  return new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
}


const keys: Record<string, Uint8Array> = {};
beforeAll(() => {
  keys.rsa = pkcs8Of('rsa');
  keys.ec = pkcs8Of('ec', 'P-384');
});

const PROTECTIONS: KeyProtection[] = ['pbes2-sha256-aes256', 'pbes2-sha384-aes256', 'pkcs12-sha1-3des', 'pkcs12-sha1-rc2-40', 'pbes1-md5-des'];

describe('encryptPrivateKeyInfo / decryptPrivateKeyInfo round trip', () => {
  for (const protection of PROTECTIONS) {
    for (const keyType of ['rsa', 'ec']) {
      it(`${protection} with an ${keyType.toUpperCase()} key`, () => {
        const epki = encryptPrivateKeyInfo(keys[keyType]!, PASSWORD, protection, { iterations: 100 });
        expect(Buffer.from(decryptPrivateKeyInfo(epki, PASSWORD))).toEqual(Buffer.from(keys[keyType]!));
        const described = describeProtection(epki);
        expect(described.protection).toBe(protection);
        expect(described.iterations).toBe(100);
      });
    }
    it(`${protection}: a wrong password is reported as wrong-password`, () => {
      const epki = encryptPrivateKeyInfo(keys.ec!, PASSWORD, protection, { iterations: 10 });
      // Several tries, because a wrong password passes the padding check 1 time in 256.
      for (const wrong of ['password', 'Pässwörd-2', '', 'x'.repeat(40)]) {
        expect(codeOf(() => decryptPrivateKeyInfo(epki, wrong))).toBe('wrong-password');
      }
    });
  }

  it('uses OpenSSL 3 defaults (2048 iterations) unless told otherwise', () => {
    expect(describeProtection(encryptPrivateKeyInfo(keys.ec!, PASSWORD, 'pbes2-sha256-aes256')).iterations).toBe(2048);
  });

  it('expresses the GSKit v6 record scheme: PBKDF2-HMAC-SHA384, 8-byte salt, 5 iterations, explicit key length', () => {
    const epki = encryptPrivateKeyInfo(keys.rsa!, 'password', 'pbes2-sha384-aes256', { iterations: 5, saltLength: 8, encoding: 'gskit' });
    expect(describeProtection(epki)).toMatchObject({ protection: 'pbes2-sha384-aes256', iterations: 5, saltLength: 8 });
    const kdfParams = parseDer(epki).value[0] as forge.asn1.Asn1;
    const pbkdf2Params = ((kdfParams.value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1;
    const fields = pbkdf2Params.value as forge.asn1.Asn1[];
    expect(fields.map((f) => f.type)).toEqual([asn1.Type.OCTETSTRING, asn1.Type.INTEGER, asn1.Type.INTEGER, asn1.Type.SEQUENCE]);
    expect(asn1.derToInteger(fields[2]!.value as string)).toBe(32);
    expect(Buffer.from(decryptPrivateKeyInfo(epki, 'password'))).toEqual(Buffer.from(keys.rsa!));
  });

  it('expresses the GSKit v4 and v3 schemes (20-byte salt / 10 iterations; 8-byte salt / 5 iterations)', () => {
    const v4 = encryptPrivateKeyInfo(keys.rsa!, 'pw', 'pkcs12-sha1-3des', { iterations: 10, saltLength: 20 });
    expect(describeProtection(v4)).toMatchObject({ protection: 'pkcs12-sha1-3des', iterations: 10, saltLength: 20 });
    const v3 = encryptPrivateKeyInfo(keys.rsa!, 'pw', 'pbes1-md5-des', { iterations: 5, saltLength: 8 });
    expect(describeProtection(v3)).toMatchObject({ protection: 'pbes1-md5-des', iterations: 5, saltLength: 8 });
    expect(Buffer.from(decryptPrivateKeyInfo(v3, 'pw'))).toEqual(Buffer.from(keys.rsa!));
  });

  it('refuses a scheme it does not know, naming the OID', () => {
    const rc4 = '1.2.840.113549.1.12.1.1';
    const epki = encodeDer(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidToDer(rc4)),
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, '12345678'),
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
          ]),
        ]),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, 'x'.repeat(32)),
      ]),
    );
    expect(() => decryptPrivateKeyInfo(epki, 'pw')).toThrow(rc4);
    expect(codeOf(() => decryptPrivateKeyInfo(epki, 'pw'))).toBe('unsupported');
    expect(describeProtection(epki)).toMatchObject({ protection: 'other', oid: rc4 });
  });

  it('reports bytes that are not an EncryptedPrivateKeyInfo as damaged, not as a crash', () => {
    expect(codeOf(() => decryptPrivateKeyInfo(new Uint8Array([1, 2, 3]), 'pw'))).toBe('damaged');
    const epki = encryptPrivateKeyInfo(keys.ec!, PASSWORD, 'pbes2-sha256-aes256');
    expect(codeOf(() => decryptPrivateKeyInfo(epki.subarray(0, epki.length - 5), PASSWORD))).toBe('damaged');
  });
});

/** Finds each PBES2 EncryptedPrivateKeyInfo in a GSKit database by its OID; reading the
 * record layout is the CMS reader's business, not this test's. */
function epkisIn(file: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  const pbes2 = Buffer.from(oidToDer('1.2.840.113549.1.5.13'), 'latin1');
  const bytes = Buffer.from(file);
  for (let at = bytes.indexOf(pbes2); at >= 0; at = bytes.indexOf(pbes2, at + 1)) {
    for (let start = at - 12; start < at - 2; start++) {
      if (bytes[start] !== 0x30) continue;
      try {
        const node = asn1.fromDer(toBinary(bytes.subarray(start)), { parseAllBytes: false } as unknown as boolean);
        const alg = (node.value as forge.asn1.Asn1[])[0]!;
        if ((alg.value as forge.asn1.Asn1[])[0]?.type === asn1.Type.OID && (node.value as unknown[]).length === 2) {
          found.push(fromBinary(asn1.toDer(node).getBytes()));
          break;
        }
      } catch {
        // not the start of the structure; try the next offset
      }
    }
  }
  return found;
}

const mixedKdb = join(kdbFixturesDir, 'gsk-v6-mixed.kdb');
describe('writing a scheme again (a store keeps the protection it was read with)', () => {
  const NAMES = [
    'pbeWithSHAAnd3-KeyTripleDES-CBC',
    'pbeWithSHAAnd2-KeyTripleDES-CBC',
    'pbeWithSHAAnd128BitRC2-CBC',
    'pbeWithSHAAnd40BitRC2-CBC',
    'pbeWithMD5AndDES-CBC',
    'pbeWithSHA1AndDES-CBC',
    'pbeWithMD5AndRC2-CBC',
    'pbeWithSHA1AndRC2-CBC',
    ...['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'].flatMap((prf) =>
      ['AES-128-CBC', 'AES-192-CBC', 'AES-256-CBC', 'DES-EDE3-CBC', 'DES-CBC'].map((cipher) => `PBES2 (PBKDF2-HMAC-${prf}, ${cipher})`),
    ),
  ];

  it('builds every scheme it can read, by the name it reads it as, and decrypts it again', () => {
    for (const name of NAMES) {
      const algorithm = pbeAlgorithmNamed(name, { iterations: 37, saltLength: name.startsWith('PBES2') ? 20 : 8 })!;
      expect(algorithm, name).toBeDefined();
      expect(describeAlgorithm(algorithm), name).toMatchObject({ name, iterations: 37, saltLength: name.startsWith('PBES2') ? 20 : 8 });
      const ciphertext = pbeEncryptWith(keys.ec!, PASSWORD, algorithm);
      expect(Buffer.from(pbeDecrypt(algorithm, ciphertext, PASSWORD)), name).toEqual(Buffer.from(keys.ec!));
    }
  });

  it('has no answer for a scheme it cannot write, or a count it would refuse to read', () => {
    expect(pbeAlgorithmNamed('pbeWithSHAAnd128BitRC4', { iterations: 10, saltLength: 8 })).toBeUndefined();
    expect(pbeAlgorithmNamed('1.2.3.4', { iterations: 10, saltLength: 8 })).toBeUndefined();
    expect(pbeAlgorithmNamed('PBES2 (PBKDF2-HMAC-MD5, AES-256-CBC)', { iterations: 10, saltLength: 8 })).toBeUndefined();
    expect(pbeAlgorithmNamed('pbeWithSHAAnd3-KeyTripleDES-CBC', { iterations: 0, saltLength: 8 })).toBeUndefined();
    expect(pbeAlgorithmNamed('pbeWithSHAAnd3-KeyTripleDES-CBC', { iterations: 10_000_000, saltLength: 8 })).toBeUndefined();
  });

  it('copies a template as it is spelled, with a fresh salt and IV', () => {
    // GSKit's spelling (explicit key length, PRF without NULL) is not what pbeAlgorithmNamed writes.
    const epki = encryptPrivateKeyInfo(keys.rsa!, 'password', 'pbes2-sha384-aes256', { iterations: 5, saltLength: 8, encoding: 'gskit' });
    const template = (parseDer(epki).value as forge.asn1.Asn1[])[0]!;
    const like = pbeAlgorithmLike(template);
    const hexOf = (node: forge.asn1.Asn1): string => Buffer.from(encodeDer(node)).toString('hex');
    expect(hexOf(like)).not.toBe(hexOf(template));
    expect(hexOf(like).length).toBe(hexOf(template).length);
    expect(describeAlgorithm(like)).toEqual(describeAlgorithm(template));
    // Only the 8 salt bytes and the 16 IV bytes differ.
    const a = Buffer.from(encodeDer(like));
    const b = Buffer.from(encodeDer(template));
    expect([...a].filter((byte, i) => byte !== b[i]).length).toBeLessThanOrEqual(24);
    const ciphertext = pbeEncryptWith(keys.rsa!, 'other', like);
    expect(Buffer.from(pbeDecrypt(like, ciphertext, 'other'))).toEqual(Buffer.from(keys.rsa!));

    const legacy = (parseDer(encryptPrivateKeyInfo(keys.ec!, 'pw', 'pkcs12-sha1-rc2-40', { iterations: 9 })).value as forge.asn1.Asn1[])[0]!;
    expect(describeAlgorithm(pbeAlgorithmLike(legacy))).toEqual(describeAlgorithm(legacy));
    expect(hexOf(pbeAlgorithmLike(legacy))).not.toBe(hexOf(legacy));
  });
});

describe('keys from a real GSKit v6 database', () => {
  it.skipIf(!existsSync(mixedKdb))(`decrypt with the database password (skipped: no ${mixedKdb})`, () => {
    const epkis = epkisIn(readFileSync(mixedKdb));
    expect(epkis.length).toBe(2);
    const types = epkis.map((epki) => {
      expect(describeProtection(epki)).toMatchObject({ protection: 'pbes2-sha384-aes256', iterations: 5, saltLength: 8 });
      return createPrivateKey({ key: Buffer.from(decryptPrivateKeyInfo(epki, 'password')), format: 'der', type: 'pkcs8' }).asymmetricKeyType;
    });
    expect(types.sort()).toEqual(['ec', 'rsa']);
    expect(codeOf(() => decryptPrivateKeyInfo(epkis[0]!, 'passw0rd'))).toBe('wrong-password');
  });
});

const LEGACY = ['-provider', 'legacy', '-provider', 'default'];

describe.skipIf(!hasTool('openssl'))(`interop with openssl pkcs8${hasTool('openssl') ? '' : ' (skipped: openssl not found)'}`, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let keyPem: string;
  let keyDer: Uint8Array;
  beforeAll(() => {
    tmp = makeTempDir();
    keyPem = join(tmp.dir, 'key.pem');
    runTool('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPem]);
    keyDer = new Uint8Array(runTool('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', keyPem, '-outform', 'DER']));
  });
  afterAll(() => tmp?.cleanup());

  const made: Array<[string, string[], KeyProtection | 'other']> = [
    ['-v2 aes-256-cbc -v2prf hmacWithSHA384', ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA384'], 'pbes2-sha384-aes256'],
    ['-v2 aes-256-cbc (PRF SHA-256)', ['-v2', 'aes-256-cbc'], 'pbes2-sha256-aes256'],
    ['-v2 aes-128-cbc -v2prf hmacWithSHA512', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512'], 'other'],
    ['-v2 aes-192-cbc -v2prf hmacWithSHA224', ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA224'], 'other'],
    ['-v2 des3 -v2prf hmacWithSHA1 (PRF absent = SHA-1)', ['-v2', 'des3', '-v2prf', 'hmacWithSHA1'], 'other'],
    ['-v1 PBE-SHA1-3DES', ['-v1', 'PBE-SHA1-3DES'], 'pkcs12-sha1-3des'],
    ['-v1 PBE-SHA1-2DES', ['-v1', 'PBE-SHA1-2DES'], 'other'],
    ['-v1 PBE-SHA1-RC2-40', ['-v1', 'PBE-SHA1-RC2-40', ...LEGACY], 'pkcs12-sha1-rc2-40'],
    ['-v1 PBE-SHA1-RC2-128', ['-v1', 'PBE-SHA1-RC2-128', ...LEGACY], 'other'],
    ['-v1 PBE-MD5-DES', ['-v1', 'PBE-MD5-DES', ...LEGACY], 'pbes1-md5-des'],
    ['-v1 PBE-SHA1-DES', ['-v1', 'PBE-SHA1-DES', ...LEGACY], 'other'],
  ];
  for (const [name, args, protection] of made) {
    it(`decrypts a key from openssl pkcs8 -topk8 ${name}`, () => {
      const epki = new Uint8Array(
        runTool('openssl', ['pkcs8', '-topk8', '-in', keyPem, '-outform', 'DER', '-passout', `pass:${PASSWORD}`, '-iter', '777', ...args]),
      );
      expect(describeProtection(epki)).toMatchObject({ protection, iterations: 777 });
      expect(Buffer.from(decryptPrivateKeyInfo(epki, PASSWORD))).toEqual(Buffer.from(keyDer));
      expect(codeOf(() => decryptPrivateKeyInfo(epki, 'not the password'))).toBe('wrong-password');
    });
  }

  for (const protection of PROTECTIONS) {
    it(`openssl decrypts what ${protection} encrypts`, () => {
      const file = join(tmp.dir, `${protection}.der`);
      writeFileSync(file, encryptPrivateKeyInfo(keyDer, PASSWORD, protection));
      const legacy = protection === 'pkcs12-sha1-rc2-40' || protection === 'pbes1-md5-des' ? LEGACY : [];
      const out = runTool('openssl', ['pkcs8', '-in', file, '-inform', 'DER', '-passin', `pass:${PASSWORD}`, '-outform', 'DER', ...legacy]);
      // Without -topk8, openssl pkcs8 writes the decrypted key in the traditional (SEC1) form.
      const theirs = createPrivateKey({ key: out, format: 'der', type: 'sec1' }).export({ format: 'jwk' });
      expect(theirs).toEqual(createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }));
    });
  }
});

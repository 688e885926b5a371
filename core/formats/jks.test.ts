import { describe, it, expect, beforeAll } from 'vitest';
import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { jceDerive, jceksCodec, jksCodec } from './jks';
import { asn1, encodeDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import { intNode, nullNode, octetNode, oidNode, seq } from '../crypto/encrypted-private-key';
import type { Entry, KeyStore, PersonalEntry, SecretEntry, SignerEntry, UnknownEntry } from '../model/key-store';
import type { StoreCodec } from './store-codec';
import { errorOf } from '../testing/keydesk-error';
import { detailEntry, labelOnly, summarizeEntry } from '../api/entry-view';

// Made with keytool (OpenJDK 17.0.15), store and key password "changeit":
//   JCEKS: -genkeypair -alias Client -keyalg EC -groupname secp256r1
//          -genseckey -alias MqAes -keyalg AES -keysize 256
//   JKS:   -genkeypair -alias Client -keyalg EC -groupname secp256r1, then
//          -importcert -alias Peer of the same certificate
const KEYTOOL_JCEKS = [
  'zs7OzgAAAAIAAAACAAAAAQAGY2xpZW50AAABohsY6DMAAABqMGgwHAYJKwYBBAEqAhMBMA8ECCFqF0lchY5RAgMDDUAESFHH',
  '2FrupazqUP4J/Slhjs5Gw6Vcl0/JlFIoEFnZZZ5zUEqZNO8HiLl+VRAC7h28vXwBOhgDkV94Ppe2bZFUP6hXy6BKgUwJ0wAA',
  'AAEABVguNTA5AAABYTCCAV0wggEDoAMCAQICCD6S9hY9J/ZiMAoGCCqGSM49BAMCMCMxEDAOBgNVBAoTB0tleURlc2sxDzAN',
  'BgNVBAMTBmNsaWVudDAeFw0yNjExMjcwMzQyMjZaFw0zNjExMjQwMzQyMjZaMCMxEDAOBgNVBAoTB0tleURlc2sxDzANBgNV',
  'BAMTBmNsaWVudDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJogfNmy7i+oNZdULFMFrhujA/dag9OwDhpkHWiFXPAzj2d4',
  'XmawA6pk7twIW6AcV6MWw3ZGQ241d6AHPoxfo92jITAfMB0GA1UdDgQWBBQl/N2wdyEYSwmzmYiTETWIahlS6TAKBggqhkjO',
  'PQQDAgNIADBFAiEA9QEKPDDSDnw/cAW9/6qWzgZ62xoNLpAfzMKoKLkhxwYCIAOw+tV9UvV3alSfC9pYSskOk41NR/JWPtoD',
  'A++2xZMPAAAAAwAFbXFhZXMAAAGiGxjplKztAAVzcgAzY29tLnN1bi5jcnlwdG8ucHJvdmlkZXIuU2VhbGVkT2JqZWN0Rm9y',
  'S2V5UHJvdGVjdG9yzVfKWecwu1MCAAB4cgAZamF2YXguY3J5cHRvLlNlYWxlZE9iamVjdD42PabDt1RwAgAEWwANZW5jb2Rl',
  'ZFBhcmFtc3QAAltCWwAQZW5jcnlwdGVkQ29udGVudHEAfgACTAAJcGFyYW1zQWxndAASTGphdmEvbGFuZy9TdHJpbmc7TAAH',
  'c2VhbEFsZ3EAfgADeHB1cgACW0Ks8xf4BghU4AIAAHhwAAAAETAPBAjDY4JFXxGN2gIDAw1AdXEAfgAFAAAAoGv9i8IHD/ly',
  'Qc/0Hvg4V5Qc/VHVRwo1ruNSb8hNq0vO56g/AlOUgXmCRlgPhmPkVi7hkplJCZpXcx2m9i6GyWdY9hxks3oGQgir8LGa13b4',
  'j+by9EHgfH1qRzjNifpUyiuJqxqcAt9ka33thL2QISFwnbfq0vS4hV/AoH2eNKNnq30soUXQ4zoUw11lTUQNSIRd2PYrQC4j',
  'X0/G5j5nlgZ0ABZQQkVXaXRoTUQ1QW5kVHJpcGxlREVTdAAWUEJFV2l0aE1ENUFuZFRyaXBsZURFUzkU+A+6DWacaZY7hu8S',
  'huCDO6YN',
].join('');
const KEYTOOL_JKS = [
  '/u3+7QAAAAIAAAACAAAAAQAGY2xpZW50AAABohsY69sAAAB/MH0wDgYKKwYBBAEqAhEBAQUABGscixym5O36tqV7RP0emfxw',
  'hLKq/pdy1dggddYViu2CnhuQcBvS2puF5wjmxoVUz1bJwFX1HKod0GjEw75TUk/vn2wl9bCXraQW4wfCmzRoutPVdVZ344xt',
  'rMWRkm9ilWpFzv4fWy4sCRcxgwAAAAEABVguNTA5AAABYTCCAV0wggEDoAMCAQICCAhNwky787vkMAoGCCqGSM49BAMCMCMx',
  'EDAOBgNVBAoTB0tleURlc2sxDzANBgNVBAMTBmNsaWVudDAeFw0yNjExMjcwMzQyMjdaFw0zNjExMjQwMzQyMjdaMCMxEDAO',
  'BgNVBAoTB0tleURlc2sxDzANBgNVBAMTBmNsaWVudDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABA341L85tbnSsIJ3/2ny',
  '9Eg/yFiYKw8gcWiWoTIqVp4iYfxOk/VjXLv3y1EWys55T2RrHnhuujAZeJ/fYZpwVLujITAfMB0GA1UdDgQWBBSdwSA3vBta',
  '/5s3Wu2649O7J9RAuTAKBggqhkjOPQQDAgNIADBFAiEAyph1uujN/88VNcLbThoQ8WYE0IqO/gL+JMjGShtsJkkCIC1NvaM1',
  'ZAmBKH8iiAWm6CBBM7MeI6D5KnHNDsgcQ3u9AAAAAgAEcGVlcgAAAaIbGO2KAAVYLjUwOQAAAWEwggFdMIIBA6ADAgECAggI',
  'TcJMu/O75DAKBggqhkjOPQQDAjAjMRAwDgYDVQQKEwdLZXlEZXNrMQ8wDQYDVQQDEwZjbGllbnQwHhcNMjYxMTI3MDM0MjI3',
  'WhcNMzYxMTI0MDM0MjI3WjAjMRAwDgYDVQQKEwdLZXlEZXNrMQ8wDQYDVQQDEwZjbGllbnQwWTATBgcqhkjOPQIBBggqhkjO',
  'PQMBBwNCAAQN+NS/ObW50rCCd/9p8vRIP8hYmCsPIHFolqEyKlaeImH8TpP1Y1y798tRFsrOeU9kax54browGXif32GacFS7',
  'oyEwHzAdBgNVHQ4EFgQUncEgN7wbWv+bN1rtuuPTuyfUQLkwCgYIKoZIzj0EAwIDSAAwRQIhAMqYdbrozf/PFTXC204aEPFm',
  'BNCKjv4C/iTIxkobbCZJAiAtTb2jNWQJgSh/IogFpuggQTOzHiOg+SpxzQ7IHEN7vcHuA/1X7M+1mzKJRVncEOMFTPAM',
].join('');

// --- A minimal certificate factory, so unit tests need no peer tool. --------------------

const U = asn1.Class.UNIVERSAL;

function dn(cn: string): Asn1 {
  const attr = seq([oidNode('2.5.4.3'), asn1.create(U, asn1.Type.UTF8, false, Buffer.from(cn).toString('latin1'))]);
  return seq([asn1.create(U, asn1.Type.SET, true, [attr])]);
}

interface Party {
  cn: string;
  key: KeyObject;
  pub: KeyObject;
}

function party(cn: string, type: 'rsa' | 'ec', curve = 'P-256'): Party {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: curve });
  return { cn, key: pair.privateKey, pub: pair.publicKey };
}

function issue(subject: Party, issuer: Party): Uint8Array {
  const sigAlg = issuer.key.asymmetricKeyType === 'rsa' ? seq([oidNode('1.2.840.113549.1.1.11'), nullNode()]) : seq([oidNode('1.2.840.10045.4.3.2')]);
  const now = Date.now();
  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [intNode(2)]),
    asn1.create(U, asn1.Type.INTEGER, false, '\x01' + toBinary(randomBytes(8))),
    sigAlg,
    dn(issuer.cn),
    seq([
      asn1.create(U, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(now - 86_400_000))),
      asn1.create(U, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(now + 30 * 86_400_000))),
    ]),
    dn(subject.cn),
    parseDer(subject.pub.export({ format: 'der', type: 'spki' })),
  ]);
  const signature = sign('sha256', encodeDer(tbs), issuer.key);
  return encodeDer(seq([tbs, sigAlg, asn1.create(U, asn1.Type.BITSTRING, false, '\x00' + toBinary(signature))]));
}

const pkcs8 = (p: Party): Uint8Array => new Uint8Array(p.key.export({ format: 'der', type: 'pkcs8' }));

// --- Helpers. ---------------------------------------------------------------------------

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function summary(entries: Entry[]): unknown[] {
  return entries.map((e) => {
    switch (e.kind) {
      case 'personal':
        return { kind: e.kind, label: e.label, key: hex(e.privateKey), chain: e.chain.map(hex) };
      case 'signer':
        return { kind: e.kind, label: e.label, cert: hex(e.certificate) };
      default:
        return { kind: e.kind, label: e.label, source: e.source && hex(e.source.bytes) };
    }
  });
}


function keyMatchesCertificate(key: Uint8Array, cert: Uint8Array): boolean {
  const fromKey = createPublicKey(createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return fromKey.equals(new X509Certificate(cert).publicKey.export({ format: 'der', type: 'spki' }));
}

/** The integrity digest a JKS/JCEKS file ends with, recomputed for `password`: lets a test
 * change the body (or give keys a password of their own) and still have a valid file. */
function resealed(bytes: Uint8Array, bodyLength: number, password: string): Uint8Array {
  const body = bytes.subarray(0, bodyLength);
  const digest = createHash('sha1').update(Buffer.from(password, 'utf16le').swap16()).update('Mighty Aphrodite').update(body).digest();
  return new Uint8Array(Buffer.concat([body, digest]));
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Entry dates as stored: tag(4) alias(2+n) date(8) at the front of every source record. */
function dateOf(e: Entry): string {
  const b = Buffer.from(e.source!.bytes);
  const at = 4 + 2 + b.readUInt16BE(4);
  return b.subarray(at, at + 8).toString('hex');
}

// --- Tests. -----------------------------------------------------------------------------

let root: Party;
let rsa: Party;
let p256: Party;
let p384: Party;
let rootCert: Uint8Array;
let rsaCert: Uint8Array;
let p256Cert: Uint8Array;
let p384Cert: Uint8Array;

beforeAll(() => {
  root = party('KeyDesk Test Root', 'rsa');
  rsa = party('rsa client', 'rsa');
  p256 = party('p256 client', 'ec', 'P-256');
  p384 = party('p384 client', 'ec', 'P-384');
  rootCert = issue(root, root);
  rsaCert = issue(rsa, root);
  p256Cert = issue(p256, root);
  p384Cert = issue(p384, p384);
});

function sample(format: 'jks' | 'jceks'): KeyStore {
  return {
    format,
    properties: {},
    entries: [
      { kind: 'personal', label: 'RSA Client', privateKey: pkcs8(rsa), chain: [rsaCert, rootCert] },
      { kind: 'personal', label: 'ec-p256', privateKey: pkcs8(p256), chain: [p256Cert, rootCert] },
      { kind: 'personal', label: 'ec-p384', privateKey: pkcs8(p384), chain: [p384Cert] },
      { kind: 'signer', label: 'Test Root', certificate: rootCert },
    ],
  };
}

const codecs: [string, StoreCodec][] = [
  ['jks', jksCodec],
  ['jceks', jceksCodec],
];

describe.each(codecs)('%s round trips', (format, codec) => {
  it('writes RSA, EC P-256/P-384 and signer entries and reads them back with lower-cased aliases', () => {
    const input = sample(format as 'jks' | 'jceks');
    const bytes = codec.write(input, 'store-pw');
    expect(codec.sniff(bytes)).toBe(true);
    const back = codec.read(bytes, 'store-pw');
    expect(back.format).toBe(format);
    expect(back.properties).toEqual({ version: 2 });
    const expected = input.entries.map((e) => ({ ...e, label: e.label.toLowerCase() }));
    expect(summary(back.entries)).toEqual(summary(expected));
    for (const e of back.entries) {
      expect(e.source?.format).toBe(format);
      if (e.kind === 'personal') expect(keyMatchesCertificate(e.privateKey, e.chain[0]!)).toBe(true);
    }
  });

  it('writes an untouched store back byte for byte', () => {
    const bytes = codec.write(sample(format as 'jks' | 'jceks'), 'store-pw');
    const back = codec.read(bytes, 'store-pw');
    expect(hex(codec.write(back, 'store-pw'))).toBe(hex(bytes));
  });

  it('re-protects keys under a new password and keeps entry dates', () => {
    const bytes = codec.write(sample(format as 'jks' | 'jceks'), 'old-password');
    const read = codec.read(bytes, 'old-password');
    const changed = codec.write(read, 'new-password');
    expect(errorOf(() => codec.read(changed, 'old-password')).code).toBe('wrong-password');
    const back = codec.read(changed, 'new-password');
    expect(back.entries.map((e) => e.kind)).toEqual(['personal', 'personal', 'personal', 'signer']);
    expect(summary(back.entries)).toEqual(summary(read.entries));
    expect(back.entries.map(dateOf)).toEqual(read.entries.map(dateOf));
  });

  it('keeps a renamed entry with its date', () => {
    const read = codec.read(codec.write(sample(format as 'jks' | 'jceks'), 'pw'), 'pw');
    read.entries[3] = { ...(read.entries[3] as SignerEntry), label: 'Renamed Root' };
    const back = codec.read(codec.write(read, 'pw'), 'pw');
    expect(back.entries[3]!.label).toBe('renamed root');
    expect(dateOf(back.entries[3]!)).toBe(dateOf(read.entries[3]!));
  });

  it('writes and reads a signer-only store, an empty store and non-ASCII aliases', () => {
    const signers: KeyStore = {
      format: format as 'jks',
      properties: {},
      entries: [
        { kind: 'signer', label: 'Zürich CA 日本 \u{1F511}', certificate: rootCert },
        { kind: 'signer', label: 'nul\u0000in alias', certificate: p384Cert },
      ],
    };
    const back = codec.read(codec.write(signers, 'pw'), 'pw');
    expect(back.entries.map((e) => e.label)).toEqual(['zürich ca 日本 \u{1F511}', 'nul\u0000in alias']);
    expect(codec.read(codec.write({ format: format as 'jks', properties: {}, entries: [] }, ''), '').entries).toEqual([]);
  });

  it('refuses labels that differ only in case, and entries it cannot hold, naming them', () => {
    const dup = sample(format as 'jks' | 'jceks');
    dup.entries.push({ kind: 'signer', label: 'test root', certificate: p256Cert });
    expect(errorOf(() => codec.write(dup, 'pw'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('test root') });

    const request: Entry = { kind: 'request', label: 'Pending', csr: new Uint8Array([0x30, 0]), privateKey: pkcs8(p256) };
    expect(errorOf(() => codec.write({ ...sample(format as 'jks'), entries: [request] }, 'pw'))).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/certificate request "Pending"/),
    });
    const foreign: UnknownEntry = { kind: 'unknown', label: 'Odd Bag', source: { format: 'pkcs12', bytes: new Uint8Array([1]) }, reason: 'x' };
    expect(errorOf(() => codec.write({ ...sample(format as 'jks'), entries: [foreign] }, 'pw'))).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/"Odd Bag".*pkcs12/),
    });
    const newSecret: SecretEntry = { kind: 'secret', label: 'New AES', algorithm: 'AES', key: randomBytes(32) };
    expect(errorOf(() => codec.write({ ...sample(format as 'jks'), entries: [newSecret] }, 'pw'))).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/secret key "New AES"/),
    });
  });

  it('reports wrong passwords, garbage, the other Java format and truncation with their own codes', () => {
    const bytes = codec.write(sample(format as 'jks' | 'jceks'), 'pw');
    expect(errorOf(() => codec.read(bytes, 'PW')).code).toBe('wrong-password');
    expect(errorOf(() => codec.read(randomBytes(300), 'pw')).code).toBe('not-a-keystore');
    expect(errorOf(() => codec.read(new Uint8Array(0), 'pw')).code).toBe('not-a-keystore');
    const other = format === 'jks' ? jceksCodec : jksCodec;
    expect(other.sniff(bytes)).toBe(false);
    expect(errorOf(() => other.read(bytes, 'pw'))).toMatchObject({ code: 'not-a-keystore', message: expect.stringContaining(format.toUpperCase()) });
    for (let cut = 4; cut < bytes.length; cut += 37) {
      expect(errorOf(() => codec.read(bytes.subarray(0, cut), 'pw')).code, `cut at ${cut}`).toBe('damaged');
    }
    expect(errorOf(() => codec.read(bytes.subarray(0, bytes.length - 1), 'pw')).code).toBe('damaged');
    // A count promising more entries than there are.
    const more = Buffer.from(bytes);
    more.writeInt32BE(more.readInt32BE(8) + 1, 8);
    expect(errorOf(() => codec.read(more, 'pw')).code).toBe('damaged');
    const v3 = Buffer.from(bytes);
    v3.writeInt32BE(3, 4);
    expect(errorOf(() => codec.read(v3, 'pw')).code).toBe('unsupported');
  });

  it('keeps a key protected with its own password as an unknown entry, and writes it back unchanged', () => {
    // Keys protected with "key-pw" in a store whose integrity password is "store-pw".
    const entries = sample(format as 'jks' | 'jceks').entries.slice(1, 2);
    const keyPwFile = codec.write({ format: format as 'jks', properties: {}, entries }, 'key-pw');
    const file = resealed(keyPwFile, keyPwFile.length - 20, 'store-pw');
    const read = codec.read(file, 'store-pw');
    expect(read.entries).toHaveLength(1);
    const unknown = read.entries[0] as UnknownEntry;
    expect(unknown).toMatchObject({ kind: 'unknown', label: 'ec-p256', reason: expect.stringContaining('own password') });
    const written = codec.write(read, 'store-pw');
    expect(hex(written)).toBe(hex(file));
    // With the key password, the same entry opens.
    const asKeyPw = codec.read(resealed(written, written.length - 20, 'key-pw'), 'key-pw');
    expect(asKeyPw.entries[0]).toMatchObject({ kind: 'personal', privateKey: pkcs8(p256) });
    // A new store password leaves it under its own, and says so.
    const moved = codec.writeWithNotes(read, 'new-store-pw');
    expect(hex(moved.bytes.subarray(0, -20))).toBe(hex(file.subarray(0, -20)));
    expect(moved.notes).toEqual([expect.stringMatching(/"ec-p256" keeps its own password.*keytool -keypasswd/)]);
    expect(codec.writeWithNotes(read, 'store-pw').notes).toEqual([]);
  });
});

describe('keytool-made stores', () => {
  it('reads a JCEKS with an EC key and a sealed AES key, and writes it back byte for byte', () => {
    const file = b64(KEYTOOL_JCEKS);
    expect(jceksCodec.sniff(file)).toBe(true);
    const store = jceksCodec.read(file, 'changeit');
    expect(store.properties).toEqual({ version: 2 });
    expect(store.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'client'],
      ['secret', 'mqaes'],
    ]);
    const client = store.entries[0] as PersonalEntry;
    expect(keyMatchesCertificate(client.privateKey, client.chain[0]!)).toBe(true);
    const secret = store.entries[1] as SecretEntry;
    expect(secret.algorithm).toBeUndefined();
    expect(secret.key).toBeUndefined();
    expect(hex(jceksCodec.write(store, 'changeit'))).toBe(hex(file));
  });

  it('keeps the sealed secret key byte for byte when other entries change', () => {
    const store = jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit');
    const secret = store.entries[1] as SecretEntry;
    store.entries = [{ kind: 'signer', label: 'added', certificate: rootCert }, { ...secret, label: 'MQ-AES' }, store.entries[0]!];
    const back = jceksCodec.read(jceksCodec.write(store, 'changeit'), 'changeit');
    expect(back.entries.map((e) => [e.kind, e.label])).toEqual([
      ['signer', 'added'],
      ['secret', 'mq-aes'],
      ['personal', 'client'],
    ]);
    // Only the alias differs: tag and date before it, date and sealed object after it.
    const before = Buffer.from(secret.source!.bytes);
    const after = Buffer.from(back.entries[1]!.source!.bytes);
    const aliasEnd = (b: Buffer): number => 6 + b.readUInt16BE(4);
    expect(after.subarray(aliasEnd(after)).equals(before.subarray(aliasEnd(before)))).toBe(true);
    expect(back.entries[2]!.source!.bytes).toEqual(store.entries[2]!.source!.bytes);
  });

  it('refuses to put a JCEKS secret key into JKS', () => {
    const store = jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit');
    expect(errorOf(() => jksCodec.write(store, 'changeit'))).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/JKS.*secret key "mqaes"/) });
  });

  it('reads a JKS with an EC key and a trusted certificate, and writes it back byte for byte', () => {
    const file = b64(KEYTOOL_JKS);
    const store = jksCodec.read(file, 'changeit');
    expect(store.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'client'],
      ['signer', 'peer'],
    ]);
    const client = store.entries[0] as PersonalEntry;
    expect(keyMatchesCertificate(client.privateKey, client.chain[0]!)).toBe(true);
    expect(hex((store.entries[1] as SignerEntry).certificate)).toBe(hex(client.chain[0]!));
    expect(hex(jksCodec.write(store, 'changeit'))).toBe(hex(file));
    expect(errorOf(() => jksCodec.read(file, 'changeiT')).code).toBe('wrong-password');
  });

  it('converts JKS to JCEKS: keys re-protected with PBEWithMD5AndTripleDES, dates kept', () => {
    const jks = jksCodec.read(b64(KEYTOOL_JKS), 'changeit');
    const jceksBytes = jceksCodec.write({ ...jks, format: 'jceks' }, 'changeit');
    const back = jceksCodec.read(jceksBytes, 'changeit');
    expect(summary(back.entries)).toEqual(summary(jks.entries));
    expect(back.entries.map(dateOf)).toEqual(jks.entries.map(dateOf));
    // 1.3.6.1.4.1.42.2.19.1 with 200000 iterations, as JDK 17 writes.
    expect(hex(back.entries[0]!.source!.bytes)).toMatch(/06092b060104012a021301300f0408[0-9a-f]{16}0203030d40/);
  });

  it('reads JKS-protected keys inside a JCEKS file (as the JDK leaves them) and re-protects them on save', () => {
    const jksBytes = b64(KEYTOOL_JKS);
    const jceks = Buffer.from(jksBytes);
    jceks.writeUInt32BE(0xcececece, 0);
    const file = resealed(jceks, jceks.length - 20, 'changeit');
    const store = jceksCodec.read(file, 'changeit');
    expect(store.entries.map((e) => e.kind)).toEqual(['personal', 'signer']);
    const saved = jceksCodec.read(jceksCodec.write(store, 'changeit'), 'changeit');
    expect(hex(saved.entries[0]!.source!.bytes)).toContain('2b06010401' + '2a021301');
    expect((saved.entries[0] as PersonalEntry).privateKey).toEqual((store.entries[0] as PersonalEntry).privateKey);
  });

  it('reads version-1 files (no certificate types) and saves them as version 2', () => {
    // Rebuild the keytool JKS as version 1: drop each "X.509" type string.
    const v2 = Buffer.from(b64(KEYTOOL_JKS));
    const typeString = Buffer.from('0005582e353039', 'hex');
    const parts: Buffer[] = [];
    let at = 0;
    for (let i = v2.indexOf(typeString); i >= 0; i = v2.indexOf(typeString, at)) {
      parts.push(v2.subarray(at, i));
      at = i + typeString.length;
    }
    parts.push(v2.subarray(at, v2.length - 20));
    const v1 = Buffer.concat(parts);
    v1.writeInt32BE(1, 4);
    const file = resealed(v1, v1.length, 'changeit');
    const store = jksCodec.read(file, 'changeit');
    expect(store.properties).toEqual({ version: 1 });
    expect(summary(store.entries)).toEqual(summary(jksCodec.read(b64(KEYTOOL_JKS), 'changeit').entries));
    expect(hex(jksCodec.write(store, 'changeit'))).toBe(hex(b64(KEYTOOL_JKS)));
  });

  it('calls a damaged sealed object damaged, not a wrong password', () => {
    const file = Buffer.from(b64(KEYTOOL_JCEKS));
    const sealedAt = file.indexOf(Buffer.from('aced0005', 'hex'));
    const broken = Buffer.from(file);
    broken[sealedAt + 4] = 0x42; // not a serialization type code
    expect(errorOf(() => jceksCodec.read(resealed(broken, broken.length - 20, 'changeit'), 'changeit')).code).toBe('damaged');
  });
});

/** The SealedObject of the secret key in `file`, as JceKeyStore wrote it. */
function sealedOf(entry: Entry): Buffer {
  const b = Buffer.from(entry.source!.bytes);
  return b.subarray(b.indexOf(Buffer.from('aced0005', 'hex')));
}

/** SealedObject.encodedParams: SEQUENCE { OCTET STRING salt(8), INTEGER iterations }. */
function sealParams(sealed: Buffer): { salt: string; iterations: string } {
  const at = sealed.indexOf(Buffer.from('300f0408', 'hex'));
  return { salt: sealed.subarray(at + 4, at + 12).toString('hex'), iterations: sealed.subarray(at + 12, at + 17).toString('hex') };
}

/** What is inside a sealed key, opened with `password` (the writer's own test hook is the
 * held source; this reads it the way a store read under `password` offers it). */
function openedUnder(file: Uint8Array, password: string): Uint8Array | null | undefined {
  const entry = jceksCodec.read(file, password).entries.find((e) => e.kind === 'secret')!;
  return (entry.source as { opened?: Uint8Array | null }).opened;
}

describe('a JCEKS secret key when the store password changes', () => {
  it('is sealed again under the new password: new salt, same iteration count, the same key inside', () => {
    const file = b64(KEYTOOL_JCEKS);
    const store = jceksCodec.read(file, 'changeit');
    const inside = openedUnder(file, 'changeit')!;
    expect(Buffer.from(inside.subarray(0, 4)).toString('hex')).toBe('aced0005');

    const { bytes, notes } = jceksCodec.writeWithNotes(store, 'N3w-store-pw');
    expect(notes).toEqual([]);
    const back = jceksCodec.read(bytes, 'N3w-store-pw');
    expect(back.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'client'],
      ['secret', 'mqaes'],
    ]);
    expect(dateOf(back.entries[1]!)).toBe(dateOf(store.entries[1]!));
    expect(hex(openedUnder(bytes, 'N3w-store-pw')!)).toBe(hex(inside));

    const before = sealedOf(store.entries[1]!);
    const after = sealedOf(back.entries[1]!);
    expect(sealParams(after).iterations).toBe(sealParams(before).iterations);
    expect(sealParams(after).salt).not.toBe(sealParams(before).salt);
    // Everything but the salt and the encrypted content is the stream as keytool wrote it.
    const paramsAt = before.indexOf(Buffer.from('300f0408', 'hex'));
    expect(hex(after.subarray(0, paramsAt + 4))).toBe(hex(before.subarray(0, paramsAt + 4)));
    const names = (b: Buffer): string => hex(b.subarray(b.indexOf(Buffer.from('PBEWith')) - 3));
    expect(names(after)).toBe(names(before));
    // The old password no longer opens it.
    expect(openedUnder(resealed(bytes, bytes.length - 20, 'changeit'), 'changeit')).toBeNull();
  });

  it('is kept byte for byte when the password stays, renamed or not, even after a structuredClone', () => {
    const store = structuredClone(jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit'));
    store.entries[1] = { ...store.entries[1]!, label: 'Renamed' };
    const again = jceksCodec.read(jceksCodec.write(store, 'changeit'), 'changeit');
    expect(sealedOf(again.entries[1]!).equals(sealedOf(store.entries[1]!))).toBe(true);
    // The copy carries what the new password needs, not the old password.
    const moved = jceksCodec.read(jceksCodec.write(store, 'Other-pw1'), 'Other-pw1');
    expect(moved.entries[1]!.label).toBe('renamed');
    expect(openedUnder(jceksCodec.write(moved, 'Other-pw1'), 'Other-pw1')).not.toBeNull();
  });

  it('keeps a secret key with its own password under it, and says so', () => {
    // Sealed under "key-pw", in a store whose integrity password is "store-pw".
    const keyPw = jceksCodec.write(jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit'), 'key-pw');
    const file = resealed(keyPw, keyPw.length - 20, 'store-pw');
    const store = jceksCodec.read(file, 'store-pw');
    const { bytes, notes } = jceksCodec.writeWithNotes(store, 'new-store-pw');
    expect(notes).toEqual([expect.stringMatching(/^"client" keeps its own password/), expect.stringMatching(/^"mqaes" keeps its own password/)]);
    expect(sealedOf(jceksCodec.read(bytes, 'new-store-pw').entries[1]!).equals(sealedOf(store.entries[1]!))).toBe(true);
    expect(openedUnder(resealed(bytes, bytes.length - 20, 'key-pw'), 'key-pw')).not.toBeNull();
  });

  it('refuses, naming it, a sealed key it cannot open again, and writes nothing', () => {
    const file = Buffer.from(b64(KEYTOOL_JCEKS));
    // Another seal algorithm (same length, so the stream stays well-formed).
    const name = Buffer.from('PBEWithMD5AndTripleDES');
    for (let at = file.indexOf(name); at >= 0; at = file.indexOf(name, at + 1)) file.write('PBEWithSHA1AndDESede00', at, 'latin1');
    const odd = resealed(file, file.length - 20, 'changeit');
    const store = jceksCodec.read(odd, 'changeit');
    expect(store.entries[1]).toMatchObject({ kind: 'secret', label: 'mqaes' });
    expect(hex(jceksCodec.write(store, 'changeit'))).toBe(hex(odd));
    expect(errorOf(() => jceksCodec.write(store, 'N3w-pw'))).toEqual({
      code: 'unsupported',
      message: expect.stringMatching(/^Nothing was written: "mqaes" is a secret key sealed with PBEWithSHA1AndDESede00 under the store's old password/),
    });
  });

  it('refuses a non-ASCII new password (Java could not unseal it)', () => {
    const store = jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit');
    store.entries = store.entries.filter((e) => e.kind === 'secret');
    expect(errorOf(() => jceksCodec.write(store, 'pässwort')).code).toBe('unsupported');
  });

  it('shows nothing of what it holds for a new password outside the source record, nor in what a front end sees', () => {
    const store = jceksCodec.read(b64(KEYTOOL_JCEKS), 'changeit');
    const secret = store.entries[1] as SecretEntry;
    expect(Object.keys(secret).sort()).toEqual(['kind', 'label', 'source']);
    expect(secret.key).toBeUndefined();
    expect(JSON.stringify(store.properties)).not.toContain('changeit');
    const inside = Buffer.from((secret.source as { opened?: Uint8Array }).opened!).toString('hex');
    for (const seen of [summarizeEntry(secret), labelOnly(secret), detailEntry(secret, store)]) {
      const text = JSON.stringify(seen);
      expect(Object.keys(seen)).not.toContain('source');
      expect(text).not.toContain(inside.slice(0, 32));
      expect(text).not.toContain('readWith');
    }
  });
});

describe('key protection details', () => {
  /** PBES1Core's derivation written the plain way, with node's MD5. */
  function referenceDerive(password: Buffer, salt: Buffer, iterations: number): Buffer {
    const s = Buffer.from(salt);
    if (s.subarray(0, 4).equals(s.subarray(4, 8))) s.subarray(0, 4).reverse();
    const out: Buffer[] = [];
    for (let half = 0; half < 2; half++) {
      let t = createHash('md5').update(s.subarray(half * 4, half * 4 + 4)).update(password).digest();
      for (let i = 1; i < iterations; i++) t = createHash('md5').update(t).update(password).digest();
      out.push(t);
    }
    return Buffer.concat(out);
  }

  it('derives PBEWithMD5AndTripleDES keys like the plain MD5 chain, for any password length', () => {
    for (const length of [0, 1, 7, 39, 40, 47, 48, 111, 200]) {
      for (const iterations of [1, 2, 1000]) {
        const password = Buffer.from('p'.repeat(length));
        const salt = randomBytes(8);
        const { key, iv } = jceDerive(password, salt, iterations);
        expect(hex(Buffer.concat([key, iv])), `length ${length}, ${iterations} iterations`).toBe(hex(referenceDerive(password, salt, iterations)));
      }
    }
    const equalHalves = Buffer.from('0102030401020304', 'hex');
    const { key, iv } = jceDerive(Buffer.from('changeit'), equalHalves, 5);
    expect(hex(Buffer.concat([key, iv]))).toBe(hex(referenceDerive(Buffer.from('changeit'), equalHalves, 5)));
  });

  it('refuses non-ASCII passwords for JCEKS keys (Java cannot use them) but not for JKS', () => {
    const store: KeyStore = { format: 'jceks', properties: {}, entries: [{ kind: 'personal', label: 'k', privateKey: pkcs8(p256), chain: [p256Cert] }] };
    expect(errorOf(() => jceksCodec.write(store, 'pässwort')).code).toBe('unsupported');
    const jks = jksCodec.write({ ...store, format: 'jks' }, 'pässwort');
    expect(jksCodec.read(jks, 'pässwort').entries[0]).toMatchObject({ kind: 'personal', privateKey: pkcs8(p256) });
    // A JCEKS of signers only needs no key protection.
    expect(jceksCodec.read(jceksCodec.write({ ...store, entries: [{ kind: 'signer', label: 's', certificate: p256Cert }] }, 'pässwort'), 'pässwort').entries).toHaveLength(1);
  });

  it('keeps a key under an unknown protection scheme as an unknown entry', () => {
    const epki = encodeDer(seq([seq([oidNode('1.2.3.4'), nullNode()]), octetNode(randomBytes(64))]));
    const alias = Buffer.from('odd');
    const len = Buffer.alloc(4);
    len.writeInt32BE(epki.length);
    // magic, version 2, one entry: tag 1, alias, date 0, the key, no certificates.
    const file = Buffer.concat([
      Buffer.from('feedfeed000000020000000100000001', 'hex'),
      Buffer.from([0, alias.length]),
      alias,
      Buffer.alloc(8),
      len,
      epki,
      Buffer.alloc(4),
    ]);
    const sealed = resealed(file, file.length, 'pw');
    const store = jksCodec.read(sealed, 'pw');
    expect(store.entries[0]).toMatchObject({ kind: 'unknown', label: 'odd', reason: expect.stringContaining('1.2.3.4') });
    expect(hex(jksCodec.write(store, 'pw'))).toBe(hex(sealed));
    // It may be under the store password; moved as it is, it would stay under the old one.
    expect(errorOf(() => jksCodec.write(store, 'new-pw'))).toEqual({
      code: 'unsupported',
      message: expect.stringMatching(/^Nothing was written: "odd" is a private key KeyDesk cannot open \(.*1\.2\.3\.4.*\) under the store's old password.*Delete it first/),
    });
  });
});

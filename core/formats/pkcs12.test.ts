import { describe, it, expect, beforeAll } from 'vitest';
import { X509Certificate, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, pbkdf2Sync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { pkcs12Codec } from './pkcs12';
import { asn1, encodeDer, fromBinary, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import type { Entry, KeyStore, PersonalEntry, UnknownEntry } from '../model/key-store';
import { errorOf } from '../testing/keydesk-error';
import { encryptPrivateKeyInfo } from '../crypto/encrypted-private-key';
import { pkcs12Kdf } from '../crypto/pkcs12-kdf';

// --- A minimal certificate factory, so unit tests need no peer tool. --------------------

const U = asn1.Class.UNIVERSAL;
const seq = (items: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SEQUENCE, true, items);
const oid = (o: string): Asn1 => asn1.create(U, asn1.Type.OID, false, oidToDer(o));
const octets = (b: Uint8Array): Asn1 => asn1.create(U, asn1.Type.OCTETSTRING, false, toBinary(b));
const ctx0 = (inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const int = (n: number): Asn1 => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());

function dn(cn: string): Asn1 {
  const rdn = asn1.create(U, asn1.Type.SET, true, [seq([oid('2.5.4.3'), asn1.create(U, asn1.Type.UTF8, false, Buffer.from(cn).toString('latin1'))])]);
  return seq([rdn]);
}

interface Party {
  cn: string;
  key: KeyObject;
  pub: KeyObject;
}

function party(cn: string, type: 'rsa' | 'ec' | 'ed25519', curve = 'P-256'): Party {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: curve })
        : generateKeyPairSync('ed25519');
  return { cn, key: pair.privateKey, pub: pair.publicKey };
}

function issue(subject: Party, issuer: Party, ca: boolean): Uint8Array {
  const type = issuer.key.asymmetricKeyType;
  const sigAlg =
    type === 'rsa'
      ? seq([oid('1.2.840.113549.1.1.11'), asn1.create(U, asn1.Type.NULL, false, '')])
      : type === 'ec'
        ? seq([oid('1.2.840.10045.4.3.2')])
        : seq([oid('1.3.101.112')]);
  const now = Date.now();
  const extensions = ca
    ? [
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [
          seq([seq([oid('2.5.29.19'), asn1.create(U, asn1.Type.BOOLEAN, false, '\xff'), octets(encodeDer(seq([asn1.create(U, asn1.Type.BOOLEAN, false, '\xff')])))])]),
        ]),
      ]
    : [];
  const tbs = seq([
    ctx0(int(2)),
    asn1.create(U, asn1.Type.INTEGER, false, '\x01' + toBinary(randomBytes(8))),
    sigAlg,
    dn(issuer.cn),
    seq([
      asn1.create(U, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(now - 86_400_000))),
      asn1.create(U, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(now + 30 * 86_400_000))),
    ]),
    dn(subject.cn),
    parseDer(subject.pub.export({ format: 'der', type: 'spki' })),
    ...extensions,
  ]);
  const signature = sign(type === 'ed25519' ? null : 'sha256', encodeDer(tbs), issuer.key);
  return encodeDer(seq([tbs, sigAlg, asn1.create(U, asn1.Type.BITSTRING, false, '\x00' + toBinary(signature))]));
}

const pkcs8 = (p: Party): Uint8Array => new Uint8Array(p.key.export({ format: 'der', type: 'pkcs8' }));

// --- Helpers. ---------------------------------------------------------------------------

/** What a user compares: kind, label and the bytes behind each entry. */
function summary(entries: Entry[]): unknown[] {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  return entries.map((e) => {
    switch (e.kind) {
      case 'personal':
        return { kind: e.kind, label: e.label, key: hex(e.privateKey), chain: e.chain.map(hex) };
      case 'signer':
        return { kind: e.kind, label: e.label, cert: hex(e.certificate) };
      case 'unknown':
        return { kind: e.kind, label: e.label, bytes: hex(e.source.bytes) };
      default:
        return { kind: e.kind, label: e.label };
    }
  });
}


function store(entries: Entry[]): KeyStore {
  return { format: 'pkcs12', entries, properties: {} };
}

// --- Tests. -----------------------------------------------------------------------------

let root: Party;
let intermediate: Party;
let rootCert: Uint8Array;
let intermediateCert: Uint8Array;
beforeAll(() => {
  root = party('KeyDesk Test Root', 'rsa');
  intermediate = party('KeyDesk Test Intermediate', 'ec', 'P-384');
  rootCert = issue(root, root, true);
  intermediateCert = issue(intermediate, root, true);
});

describe('pkcs12Codec round trips', () => {
  // Stores as KeyDesk reads them: every CA of a chain is also a signer entry.
  it('RSA 2048 personal entry with a chain whose CAs are signers', () => {
    const server = party('server.example', 'rsa');
    const original = store([
      { kind: 'personal', label: 'MQ Server Cert', privateKey: pkcs8(server), chain: [issue(server, intermediate, false), intermediateCert, rootCert] },
      { kind: 'signer', label: 'Intermediate CA', certificate: intermediateCert },
      { kind: 'signer', label: 'Root CA', certificate: rootCert },
    ]);
    for (const protection of ['aes256', 'legacy-3des'] as const) {
      const bytes = pkcs12Codec.write(original, 'passw0rd', { protection });
      expect(pkcs12Codec.sniff(bytes)).toBe(true);
      const back = pkcs12Codec.read(bytes, 'passw0rd');
      expect(back.format).toBe('pkcs12');
      expect(summary(back.entries)).toEqual(summary(original.entries));
    }
  });

  for (const curve of ['P-256', 'P-384', 'P-521']) {
    it(`EC ${curve} personal entry`, () => {
      const client = party(`client ${curve}`, 'ec', curve);
      const original = store([
        { kind: 'personal', label: `ibmwebspheremq${curve.toLowerCase()}`, privateKey: pkcs8(client), chain: [issue(client, root, false), rootCert] },
        { kind: 'signer', label: 'Root CA', certificate: rootCert },
      ]);
      const back = pkcs12Codec.read(pkcs12Codec.write(original, 'pw'), 'pw');
      expect(summary(back.entries)).toEqual(summary(original.entries));
      const entry = back.entries[0] as PersonalEntry;
      // The key really belongs to the certificate.
      const certKey = new X509Certificate(entry.chain[0]!).publicKey.export({ format: 'der', type: 'spki' });
      const ownKey = createPublicKey(createPrivateKey({ key: Buffer.from(entry.privateKey), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
      expect(ownKey).toEqual(certKey);
    });
  }

  it('a chain CA written without a signer entry reads back as a signer labelled from its CN', () => {
    const client = party('client', 'ec');
    const clientCert = issue(client, root, false);
    const bytes = pkcs12Codec.write(store([{ kind: 'personal', label: 'client', privateKey: pkcs8(client), chain: [clientCert, rootCert] }]), 'pw');
    const back = pkcs12Codec.read(bytes, 'pw');
    expect(summary(back.entries)).toEqual(
      summary([
        { kind: 'personal', label: 'client', privateKey: pkcs8(client), chain: [clientCert, rootCert] },
        { kind: 'signer', label: 'KeyDesk Test Root', certificate: rootCert },
      ]),
    );
  });

  it('Ed25519 self-signed personal entry', () => {
    const me = party('ed25519.example', 'ed25519');
    const original = store([{ kind: 'personal', label: 'edkey', privateKey: pkcs8(me), chain: [issue(me, me, false)] }]);
    expect(summary(pkcs12Codec.read(pkcs12Codec.write(original, 'pw'), 'pw').entries)).toEqual(summary(original.entries));
  });

  it('signer-only store, with labels that need Unicode', () => {
    const original = store([
      { kind: 'signer', label: 'Root CA', certificate: rootCert },
      { kind: 'signer', label: 'Zwischen-CA für Tests ✓', certificate: intermediateCert },
    ]);
    const back = pkcs12Codec.read(pkcs12Codec.write(original, 'pw', { iterations: 1000 }), 'pw');
    expect(summary(back.entries)).toEqual(summary(original.entries));
    expect(back.properties).toMatchObject({ macAlgorithm: 'SHA-256', macIterations: 1000, keyProtection: 'none', iterations: 1000 });
  });

  it('an empty store and an empty password', () => {
    const back = pkcs12Codec.read(pkcs12Codec.write(store([]), ''), '');
    expect(back.entries).toEqual([]);
  });

  it('describes what it read: PBES2/AES-256 with a SHA-256 MAC by default, 3DES with a SHA-1 MAC for legacy', () => {
    const me = party('me', 'ec');
    const s = store([{ kind: 'personal', label: 'me', privateKey: pkcs8(me), chain: [issue(me, me, false)] }]);
    expect(pkcs12Codec.read(pkcs12Codec.write(s, 'pw'), 'pw').properties).toEqual({
      macAlgorithm: 'SHA-256',
      macIterations: 2048,
      keyProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
      certProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
      iterations: 2048,
    });
    expect(pkcs12Codec.read(pkcs12Codec.write(s, 'pw', { protection: 'legacy-3des', iterations: 5000 }), 'pw').properties).toEqual({
      macAlgorithm: 'SHA-1',
      macIterations: 5000,
      keyProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
      certProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
      iterations: 5000,
    });
  });
});

/** A PFX put together by hand (no MAC, nothing encrypted), for bag shapes our own writer
 * never produces: an unencrypted keyBag, bags without attributes, a CRL bag. */
function handMadePfx(bags: Asn1[]): Uint8Array {
  const data = (content: Uint8Array): Asn1 => seq([oid('1.2.840.113549.1.7.1'), ctx0(octets(content))]);
  return encodeDer(seq([int(3), data(encodeDer(seq([data(encodeDer(seq(bags)))])))]));
}

function crlBag(label: string): Asn1 {
  const bmp = asn1.create(U, asn1.Type.BMPSTRING, false, label);
  return seq([
    oid('1.2.840.113549.1.12.10.1.4'),
    ctx0(seq([oid('1.2.840.113549.1.9.23.1'), ctx0(octets(randomBytes(40)))])),
    asn1.create(U, asn1.Type.SET, true, [seq([oid('1.2.840.113549.1.9.20'), asn1.create(U, asn1.Type.SET, true, [bmp])])]),
  ]);
}

describe('pkcs12Codec reading bag shapes other writers use', () => {
  it('links a key to its certificate by public key when there is no localKeyId, and labels from the subject CN', () => {
    const me = party('no-attributes.example', 'ec');
    const cert = issue(me, intermediate, false);
    const keyBag = seq([oid('1.2.840.113549.1.12.10.1.1'), ctx0(parseDer(pkcs8(me)))]);
    const certBag = (der: Uint8Array): Asn1 => seq([oid('1.2.840.113549.1.12.10.1.3'), ctx0(seq([oid('1.2.840.113549.1.9.22.1'), ctx0(octets(der))]))]);
    const other = party('other.example', 'rsa');
    const read = pkcs12Codec.read(handMadePfx([certBag(rootCert), certBag(issue(other, root, false)), keyBag, certBag(cert), certBag(intermediateCert)]), 'anything');
    expect(read.properties.macAlgorithm).toBe('none');
    // Every certificate without a key is a signer, labelled from its CN; the chain is built
    // by signature whatever the bag order.
    expect(read.entries.map((e) => [e.kind, e.label])).toEqual([
      ['signer', 'KeyDesk Test Root'],
      ['signer', 'other.example'],
      ['personal', 'no-attributes.example'],
      ['signer', 'KeyDesk Test Intermediate'],
    ]);
    const personal = read.entries[2] as PersonalEntry;
    expect(personal.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([cert, intermediateCert, rootCert].map((c) => Buffer.from(c).toString('hex')));
    expect(Buffer.from(personal.privateKey)).toEqual(Buffer.from(pkcs8(me)));
  });

  it('keeps a CRL bag as an unknown entry that survives a save unchanged, and makes labels unique', () => {
    const read = pkcs12Codec.read(handMadePfx([crlBag('Root CRL'), crlBag('root crl')]), '');
    expect(read.entries.map((e) => [e.kind, e.label])).toEqual([
      ['unknown', 'Root CRL'],
      ['unknown', 'root crl (2)'],
    ]);
    expect((read.entries[0] as UnknownEntry).reason).toMatch(/CRL/);
    const again = pkcs12Codec.read(pkcs12Codec.write({ ...read, entries: [...read.entries, { kind: 'signer', label: 'Root CA', certificate: rootCert }] }, 'pw'), 'pw');
    expect(summary(again.entries.slice(0, 2))).toEqual(summary(read.entries));
    expect(again.entries[2]).toMatchObject({ kind: 'signer', label: 'Root CA' });
  });
});

describe("pkcs12Codec privateKeys: 'when-used' (labels-only listings)", () => {
  const me = (): { p: Party; cert: Uint8Array } => {
    const p = party('lazy.example', 'ec');
    return { p, cert: issue(p, root, false) };
  };
  const localKeyId = (id: string): Asn1 =>
    asn1.create(U, asn1.Type.SET, true, [seq([oid('1.2.840.113549.1.9.21'), asn1.create(U, asn1.Type.SET, true, [octets(Buffer.from(id))])])]);
  const certBag = (der: Uint8Array, id?: string): Asn1 =>
    seq([oid('1.2.840.113549.1.12.10.1.3'), ctx0(seq([oid('1.2.840.113549.1.9.22.1'), ctx0(octets(der))])), ...(id ? [localKeyId(id)] : [])]);
  const shroudedBag = (key: Uint8Array, password: string, id: string): Asn1 =>
    seq([oid('1.2.840.113549.1.12.10.1.2'), ctx0(parseDer(encryptPrivateKeyInfo(key, password, 'pkcs12-sha1-3des', { iterations: 10 }))), localKeyId(id)]);
  /** A hand-made PFX with a SHA-1 MAC under `macPassword`. */
  function withSha1Mac(pfx: Uint8Array, macPassword: string): Uint8Array {
    const [version, authSafe] = parseDer(pfx).value as Asn1[];
    const content = fromBinary((((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string));
    const salt = randomBytes(8);
    const key = pkcs12Kdf(macPassword, salt, 3, 10, 20, 'sha1');
    const digestInfo = seq([seq([oid('1.3.14.3.2.26'), asn1.create(U, asn1.Type.NULL, false, '')]), octets(createHmac('sha1', key).update(content).digest())]);
    return encodeDer(seq([version!, authSafe!, seq([digestInfo, octets(salt), int(10)])]));
  }

  it('reads the same entries and hands out the same key when it is used (spread, structuredClone, assignment)', () => {
    const { p, cert } = me();
    const bytes = pkcs12Codec.write(store([{ kind: 'personal', label: 'me', privateKey: pkcs8(p), chain: [cert, rootCert] }]), 'pw', { iterations: 10 });
    const now = pkcs12Codec.read(bytes, 'pw');
    const lazy = pkcs12Codec.read(bytes, 'pw', { privateKeys: 'when-used' });
    expect(lazy.entries.map((e) => [e.kind, e.label])).toEqual(now.entries.map((e) => [e.kind, e.label]));
    const entry = lazy.entries[0] as PersonalEntry;
    expect(Buffer.from(structuredClone(entry).privateKey)).toEqual(Buffer.from(pkcs8(p)));
    expect(summary(lazy.entries)).toEqual(summary(now.entries));
    const other = pkcs8(party('other', 'ec'));
    const copy = { ...(lazy.entries[0] as PersonalEntry) };
    entry.privateKey = other;
    expect(Buffer.from(entry.privateKey)).toEqual(Buffer.from(other));
    expect(Buffer.from(copy.privateKey)).toEqual(Buffer.from(pkcs8(p)));
  });

  it('lists a file whose key has its own password, and refuses only when the key is used', () => {
    const { p, cert } = me();
    const pfx = withSha1Mac(handMadePfx([shroudedBag(pkcs8(p), 'key-own', 'k1'), certBag(cert, 'k1'), certBag(rootCert)]), 'store-pw');
    expect(errorOf(() => pkcs12Codec.read(pfx, 'store-pw')).code).toBe('wrong-password');
    const lazy = pkcs12Codec.read(pfx, 'store-pw', { privateKeys: 'when-used' });
    expect(lazy.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'lazy.example'],
      ['signer', 'KeyDesk Test Root'],
    ]);
    expect(errorOf(() => (lazy.entries[0] as PersonalEntry).privateKey).code).toBe('wrong-password');
  });

  it('still refuses a wrong password when nothing else in the file can tell (no MAC, plain certificates)', () => {
    const { p, cert } = me();
    const pfx = handMadePfx([shroudedBag(pkcs8(p), 'right', 'k1'), certBag(cert, 'k1')]);
    expect(errorOf(() => pkcs12Codec.read(pfx, 'wrong', { privateKeys: 'when-used' })).code).toBe('wrong-password');
    expect(Buffer.from((pkcs12Codec.read(pfx, 'right', { privateKeys: 'when-used' }).entries[0] as PersonalEntry).privateKey)).toEqual(Buffer.from(pkcs8(p)));
  });
});

describe('pkcs12Codec PBMAC1 integrity (RFC 9579)', () => {
  /** Swaps a file's MacData for a PBMAC1 one (PBKDF2-HMAC-SHA256 over the UTF-8 password). */
  function withPbmac1(pfx: Uint8Array, password: string): Uint8Array {
    const [version, authSafe] = parseDer(pfx).value as Asn1[];
    const content = fromBinary((((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string));
    const salt = randomBytes(16);
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1000, 32, 'sha256');
    const hmac = (o: string): Asn1 => seq([oid(o), asn1.create(U, asn1.Type.NULL, false, '')]);
    const params = seq([seq([oid('1.2.840.113549.1.5.12'), seq([octets(salt), int(1000), int(32), hmac('1.2.840.113549.2.9')])]), hmac('1.2.840.113549.2.9')]);
    const macData = seq([
      seq([seq([oid('1.2.840.113549.1.5.14'), params]), octets(createHmac('sha256', key).update(content).digest())]),
      octets(Buffer.from('NOT USED')),
      int(1),
    ]);
    return encodeDer(seq([version!, authSafe!, macData]));
  }

  it('checks a PBMAC1 MAC and tells a wrong password apart', () => {
    const written = pkcs12Codec.write(store([{ kind: 'signer', label: 'Root CA', certificate: rootCert }]), 'Pbmac-1');
    const pfx = withPbmac1(written, 'Pbmac-1');
    const read = pkcs12Codec.read(pfx, 'Pbmac-1');
    expect(read.entries.map((e) => e.label)).toEqual(['Root CA']);
    expect(read.properties).toMatchObject({ macAlgorithm: 'PBMAC1 (HMAC-SHA256)', macIterations: 1000 });
    expect(errorOf(() => pkcs12Codec.read(pfx, 'pbmac-1')).code).toBe('wrong-password');
  });
});

describe('pkcs12Codec errors', () => {
  let good: Uint8Array;
  beforeAll(() => {
    const me = party('me', 'ec');
    good = pkcs12Codec.write(store([{ kind: 'personal', label: 'me', privateKey: pkcs8(me), chain: [issue(me, root, false), rootCert] }]), 'right', { iterations: 10 });
  });

  it('a wrong password is wrong-password, also with the MAC left out', () => {
    expect(errorOf(() => pkcs12Codec.read(good, 'wrong')).code).toBe('wrong-password');
    expect(errorOf(() => pkcs12Codec.read(good, '')).code).toBe('wrong-password');
    // Drop the MacData: then only decryption can tell.
    const [version, authSafe] = parseDer(good).value as Asn1[];
    const noMac = encodeDer(seq([version!, authSafe!]));
    expect(pkcs12Codec.read(noMac, 'right').entries.map((e) => e.kind)).toEqual(['personal', 'signer']);
    expect(errorOf(() => pkcs12Codec.read(noMac, 'wrong')).code).toBe('wrong-password');
  });

  it('bytes that are not PKCS#12 are not-a-keystore', () => {
    for (const junk of [new Uint8Array(0), randomBytes(2000), Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n'), rootCert, pkcs8(root)]) {
      expect(pkcs12Codec.sniff(junk)).toBe(false);
      expect(errorOf(() => pkcs12Codec.read(junk, 'pw')).code).toBe('not-a-keystore');
    }
  });

  it('a truncated file is damaged', () => {
    for (const length of [30, 200, good.length / 2, good.length - 1]) {
      expect(errorOf(() => pkcs12Codec.read(good.subarray(0, Math.floor(length)), 'right')).code).toBe('damaged');
    }
  });

  it('never throws anything but a KeyDeskError on corrupted bytes', () => {
    for (let i = 0; i < 300; i++) {
      const bad = Buffer.from(good);
      const at = Math.floor(Math.random() * bad.length);
      bad[at] = bad[at]! ^ (1 + Math.floor(Math.random() * 255));
      const { code } = errorOf(() => pkcs12Codec.read(bad, 'right'));
      expect(['wrong-password', 'damaged', 'not-a-keystore', 'unsupported', 'no error']).toContain(code);
    }
  });

  it('refuses entries PKCS#12 cannot hold, naming them', () => {
    const secret = store([{ kind: 'secret', label: 'queue key', algorithm: 'AES', key: randomBytes(32) }]);
    expect(errorOf(() => pkcs12Codec.write(secret, 'pw'))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('"queue key"') });
    const request = store([{ kind: 'request', label: 'pending', csr: new Uint8Array([0x30, 0]), privateKey: pkcs8(root) }]);
    expect(errorOf(() => pkcs12Codec.write(request, 'pw'))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('"pending"') });
    const fromKdb = store([{ kind: 'unknown', label: 'odd record', reason: 'x', source: { format: 'cms', bytes: new Uint8Array([0x30, 0]) } }]);
    expect(errorOf(() => pkcs12Codec.write(fromKdb, 'pw'))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('"odd record"') });
  });
});

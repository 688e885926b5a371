import { describe, it, expect, beforeAll } from 'vitest';
import { X509Certificate, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, pbkdf2Sync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { pkcs12Codec } from './pkcs12';
import fc from 'fast-check';
import { asn1, encodeDer, fromBinary, oidToDer, parseDer, toBinary, type Asn1 } from '../asn1/der';
import type { Entry, KeyStore, PersonalEntry, UnknownEntry } from '../model/key-store';
import { errorOf } from '../testing/keydesk-error';
import { describeProtection, encryptPrivateKeyInfo } from '../crypto/encrypted-private-key';
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

  it('a chain CA written without a signer entry reads back as a signer labelled with its subject DN', () => {
    const client = party('client', 'ec');
    const clientCert = issue(client, root, false);
    const bytes = pkcs12Codec.write(store([{ kind: 'personal', label: 'client', privateKey: pkcs8(client), chain: [clientCert, rootCert] }]), 'pw');
    const back = pkcs12Codec.read(bytes, 'pw');
    expect(summary(back.entries)).toEqual(
      summary([
        { kind: 'personal', label: 'client', privateKey: pkcs8(client), chain: [clientCert, rootCert] },
        // No friendly name: the subject DN in RFC 4514 form, as GSKit labels it (cli/testing/REAL-SCRIPTS.md,
        // martdj: -cert -setdefault -label CN=*.martdj.nl after a GSKit import; cli/RUNMQAKM.md §3.1).
        { kind: 'signer', label: 'CN=KeyDesk Test Root', certificate: rootCert },
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
    expect(back.properties).toMatchObject({ macAlgorithm: 'SHA-256', macIterations: 1000, certIterations: 1000, iterations: 1000 });
    // No key in the file: nothing to say about how keys are protected.
    expect(back.properties.keyProtection).toBeUndefined();
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
      macSaltLength: 16,
      keyProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
      keyIterations: 2048,
      keySaltLength: 16,
      certProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
      certIterations: 2048,
      certSaltLength: 16,
      iterations: 2048,
    });
    expect(pkcs12Codec.read(pkcs12Codec.write(s, 'pw', { protection: 'legacy-3des', iterations: 5000 }), 'pw').properties).toEqual({
      macAlgorithm: 'SHA-1',
      macIterations: 5000,
      macSaltLength: 8,
      keyProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
      keyIterations: 5000,
      keySaltLength: 8,
      certProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
      certIterations: 5000,
      certSaltLength: 8,
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
  it('links a key to its certificate by public key when there is no localKeyId, and labels with the subject DN', () => {
    const me = party('no-attributes.example', 'ec');
    const cert = issue(me, intermediate, false);
    const keyBag = seq([oid('1.2.840.113549.1.12.10.1.1'), ctx0(parseDer(pkcs8(me)))]);
    const certBag = (der: Uint8Array): Asn1 => seq([oid('1.2.840.113549.1.12.10.1.3'), ctx0(seq([oid('1.2.840.113549.1.9.22.1'), ctx0(octets(der))]))]);
    const other = party('other.example', 'rsa');
    const read = pkcs12Codec.read(handMadePfx([certBag(rootCert), certBag(issue(other, root, false)), keyBag, certBag(cert), certBag(intermediateCert)]), 'anything');
    expect(read.properties.macAlgorithm).toBe('none');
    // Every certificate without a key is a signer; without friendly names each entry is
    // labelled with its subject DN in RFC 4514 form, as GSKit labels it (cli/testing/REAL-SCRIPTS.md,
    // martdj: -cert -setdefault -label CN=*.martdj.nl after a GSKit import; cli/RUNMQAKM.md §3.1:
    // CN=R3,O=Let's Encrypt,C=US). The chain is built by signature whatever the bag order.
    expect(read.entries.map((e) => [e.kind, e.label])).toEqual([
      ['signer', 'CN=KeyDesk Test Root'],
      ['signer', 'CN=other.example'],
      ['personal', 'CN=no-attributes.example'],
      ['signer', 'CN=KeyDesk Test Intermediate'],
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
    // No friendly names: subject DNs, as GSKit labels them (cli/testing/REAL-SCRIPTS.md, martdj).
    expect(lazy.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'CN=lazy.example'],
      ['signer', 'CN=KeyDesk Test Root'],
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

// --- Protection kept on write, and kept bags under a new password (issue 13, items 6 and 10).

const RC2_40 = 'pbeWithSHAAnd40BitRC2-CBC';
const TRIPLE_DES = 'pbeWithSHAAnd3-KeyTripleDES-CBC';
const AES = 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)';

/** The protection facts of a read store (what must survive a save). */
function protectionOf(s: KeyStore): Record<string, unknown> {
  const { iterations: _all, ...rest } = s.properties;
  return rest;
}

describe('pkcs12Codec keeps the protection a file was read with', () => {
  let me: Party;
  let meCert: Uint8Array;
  beforeAll(() => {
    me = party('ibmwebspheremqqm1', 'ec');
    meCert = issue(me, root, false);
  });
  const ibmProperties = {
    macAlgorithm: 'SHA-1',
    macIterations: 100_000,
    macSaltLength: 8,
    keyProtection: TRIPLE_DES,
    keyIterations: 100_000,
    keySaltLength: 8,
    certProtection: RC2_40,
    certIterations: 100_000,
    certSaltLength: 8,
  };

  it('an IBM-style file (RC2-40 certificates, 3DES keys, 100,000 iterations) stays one after a signer is added and after a password change', () => {
    const made = pkcs12Codec.read(
      pkcs12Codec.write({ format: 'pkcs12', properties: { ...ibmProperties }, entries: [{ kind: 'personal', label: 'ibmwebspheremqqm1', privateKey: pkcs8(me), chain: [meCert, rootCert] }] }, 'pw'),
      'pw',
    );
    expect(protectionOf(made)).toEqual(ibmProperties);
    made.entries.push({ kind: 'signer', label: 'partner', certificate: intermediateCert });
    const added = pkcs12Codec.writeWithNotes(made, 'pw');
    expect(added.notes).toEqual([]);
    const back = pkcs12Codec.read(added.bytes, 'pw');
    expect(protectionOf(back)).toEqual(ibmProperties);
    // The chain CA has no friendly name: its subject DN, as GSKit labels it (cli/testing/REAL-SCRIPTS.md, martdj).
    expect(back.entries.map((e) => e.label)).toEqual(['ibmwebspheremqqm1', 'CN=KeyDesk Test Root', 'partner']);
    const moved = pkcs12Codec.read(pkcs12Codec.write(back, 'N3w-pw'), 'N3w-pw');
    expect(protectionOf(moved)).toEqual(ibmProperties);
    expect(summary(moved.entries)).toEqual(summary(back.entries));
  });

  it('keeps OpenSSL 3 defaults, keytool-like PBES2 with 20-byte salts, and explicit options still win', () => {
    const keytoolLike = {
      macAlgorithm: 'SHA-256',
      macIterations: 10_000,
      macSaltLength: 20,
      keyProtection: AES,
      keyIterations: 10_000,
      keySaltLength: 20,
      certProtection: AES,
      certIterations: 10_000,
      certSaltLength: 20,
    };
    const entries: Entry[] = [{ kind: 'personal', label: 'k', privateKey: pkcs8(me), chain: [meCert] }];
    const read = pkcs12Codec.read(pkcs12Codec.write({ format: 'pkcs12', properties: keytoolLike, entries }, 'pw'), 'pw');
    expect(protectionOf(read)).toEqual(keytoolLike);
    expect(protectionOf(pkcs12Codec.read(pkcs12Codec.write(read, 'pw2'), 'pw2'))).toEqual(keytoolLike);
    // Options name what changes: a preset replaces schemes and MAC, iterations every count.
    expect(pkcs12Codec.read(pkcs12Codec.write(read, 'pw', { protection: 'legacy-3des' }), 'pw').properties).toMatchObject({
      keyProtection: TRIPLE_DES,
      macAlgorithm: 'SHA-1',
      keyIterations: 2048,
    });
    expect(protectionOf(pkcs12Codec.read(pkcs12Codec.write(read, 'pw', { iterations: 3000 }), 'pw'))).toEqual({
      ...keytoolLike,
      macIterations: 3000,
      keyIterations: 3000,
      certIterations: 3000,
    });
  });

  it('gives a key added to a signer-only IBM file 3DES at the certificates’ iteration count', () => {
    const { keyProtection: _k, keyIterations: _i, keySaltLength: _s, ...signersOnly } = ibmProperties;
    const read = pkcs12Codec.read(pkcs12Codec.write({ format: 'pkcs12', properties: signersOnly, entries: [{ kind: 'signer', label: 'ca', certificate: rootCert }] }, 'pw'), 'pw');
    expect(protectionOf(read)).toEqual(signersOnly);
    read.entries.push({ kind: 'personal', label: 'new key', privateKey: pkcs8(me), chain: [meCert] });
    expect(protectionOf(pkcs12Codec.read(pkcs12Codec.write(read, 'pw'), 'pw'))).toEqual(ibmProperties);
  });

  it('keeps a file without MAC and with nothing encrypted that way', () => {
    const keyBag = seq([oid('1.2.840.113549.1.12.10.1.1'), ctx0(parseDer(pkcs8(me)))]);
    const certBag = seq([oid('1.2.840.113549.1.12.10.1.3'), ctx0(seq([oid('1.2.840.113549.1.9.22.1'), ctx0(octets(meCert))]))]);
    const read = pkcs12Codec.read(handMadePfx([keyBag, certBag]), 'pw');
    expect(protectionOf(read)).toEqual({ macAlgorithm: 'none', macIterations: 0, keyProtection: 'none', certProtection: 'none' });
    const again = pkcs12Codec.read(pkcs12Codec.write(read, 'pw'), 'whatever');
    expect(protectionOf(again)).toEqual(protectionOf(read));
    expect(summary(again.entries)).toEqual(summary(read.entries));
  });

  it('writes PBMAC1 again when the file had it', () => {
    const salt = randomBytes(16);
    const written = pkcs12Codec.write(store([{ kind: 'signer', label: 'Root CA', certificate: rootCert }]), 'Pbmac-1');
    const [version, authSafe] = parseDer(written).value as Asn1[];
    const content = fromBinary(((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string);
    const hmac = (o: string): Asn1 => seq([oid(o), asn1.create(U, asn1.Type.NULL, false, '')]);
    const params = seq([seq([oid('1.2.840.113549.1.5.12'), seq([octets(salt), int(1000), int(48), hmac('1.2.840.113549.2.10')])]), hmac('1.2.840.113549.2.10')]);
    const key = pbkdf2Sync(Buffer.from('Pbmac-1', 'utf8'), salt, 1000, 48, 'sha384');
    const macData = seq([seq([seq([oid('1.2.840.113549.1.5.14'), params]), octets(createHmac('sha384', key).update(content).digest())]), octets(Buffer.from('NOT USED'))]);
    const read = pkcs12Codec.read(encodeDer(seq([version!, authSafe!, macData])), 'Pbmac-1');
    expect(read.properties).toMatchObject({ macAlgorithm: 'PBMAC1 (HMAC-SHA384)', macIterations: 1000, macSaltLength: 16 });
    const again = pkcs12Codec.read(pkcs12Codec.write(read, 'Pbmac-2'), 'Pbmac-2');
    expect(protectionOf(again)).toEqual(protectionOf(read));
    expect(errorOf(() => pkcs12Codec.read(pkcs12Codec.write(read, 'Pbmac-2'), 'Pbmac-1')).code).toBe('wrong-password');
  });

  it('says exactly what it changed when the file used a scheme it cannot write, and only when something used it', () => {
    const rc4 = { ...ibmProperties, keyProtection: 'pbeWithSHAAnd128BitRC4', keyIterations: 0, keySaltLength: 0 };
    const signersOnly = pkcs12Codec.writeWithNotes({ format: 'pkcs12', properties: rc4, entries: [{ kind: 'signer', label: 'ca', certificate: rootCert }] }, 'pw');
    expect(signersOnly.notes).toEqual([]);
    const withKey = pkcs12Codec.writeWithNotes({ format: 'pkcs12', properties: rc4, entries: [{ kind: 'personal', label: 'k', privateKey: pkcs8(me), chain: [meCert] }] }, 'pw');
    expect(withKey.notes).toEqual([
      "Private keys are now encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) (OpenSSL 3's default), 100,000 iterations: the file used pbeWithSHAAnd128BitRC4, which KeyDesk cannot write.",
    ]);
    const back = pkcs12Codec.read(withKey.bytes, 'pw');
    expect(back.properties).toMatchObject({ keyProtection: AES, keyIterations: 100_000, certProtection: RC2_40, macAlgorithm: 'SHA-1' });
    // Through the plain write, the same bytes' worth of protection (the note is what it drops).
    expect(pkcs12Codec.read(pkcs12Codec.write({ format: 'pkcs12', properties: rc4, entries: back.entries }, 'pw'), 'pw').properties.keyProtection).toBe(AES);
  });
});

describe('pkcs12Codec bags kept as read, under a new password', () => {
  const PW = 'Old-pw-1';
  const NEW = 'New-pw-2';
  const friendly = (label: string): Asn1 =>
    asn1.create(U, asn1.Type.SET, true, [seq([oid('1.2.840.113549.1.9.20'), asn1.create(U, asn1.Type.SET, true, [asn1.create(U, asn1.Type.BMPSTRING, false, label)])])]);
  /** What Java's PKCS12KeyStore writes for a secret key: a secret bag of type
   * pkcs8ShroudedKeyBag holding an EncryptedPrivateKeyInfo, inside an OCTET STRING. */
  const secretInfo = encodeDer(seq([int(0), seq([oid('2.16.840.1.101.3.4.1.42')]), octets(Buffer.alloc(32, 7))]));
  const javaSecretBag = (password: string): Asn1 =>
    seq([
      oid('1.2.840.113549.1.12.10.1.5'),
      ctx0(seq([oid('1.2.840.113549.1.12.10.1.2'), ctx0(octets(encryptPrivateKeyInfo(secretInfo, password, 'pbes2-sha256-aes256', { iterations: 10, saltLength: 20 })))])),
      friendly('mq-aes'),
    ]);
  const rc4KeyBag = (): Asn1 =>
    seq([oid('1.2.840.113549.1.12.10.1.2'), ctx0(seq([seq([oid('1.2.840.113549.1.12.1.1'), seq([octets(randomBytes(8)), int(10)])]), octets(randomBytes(64))])), friendly('rc4 key')]);
  const rc4Part = (): Asn1 =>
    seq([
      oid('1.2.840.113549.1.7.6'),
      ctx0(seq([int(0), seq([oid('1.2.840.113549.1.7.1'), seq([oid('1.2.840.113549.1.12.1.1'), seq([octets(randomBytes(8)), int(10)])]), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, toBinary(randomBytes(48)))])])),
    ]);

  /** A file KeyDesk wrote (one signer, AES, SHA-256 MAC), with `bags` added in a plain
   * part and `parts` after it, the MAC made again. */
  function fileWith(bags: Asn1[], parts: Asn1[] = []): Uint8Array {
    const base = pkcs12Codec.write(store([{ kind: 'signer', label: 'Root CA', certificate: rootCert }]), PW);
    const [version, authSafe] = parseDer(base).value as Asn1[];
    const contentInfos = parseDer(fromBinary(((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string)).value as Asn1[];
    const data = (content: Uint8Array): Asn1 => seq([oid('1.2.840.113549.1.7.1'), ctx0(octets(content))]);
    const content = encodeDer(seq([...contentInfos, ...(bags.length > 0 ? [data(encodeDer(seq(bags)))] : []), ...parts]));
    const salt = randomBytes(8);
    const mac = createHmac('sha256', pkcs12Kdf(PW, salt, 3, 2048, 32, 'sha256')).update(content).digest();
    const macData = seq([seq([seq([oid('2.16.840.1.101.3.4.2.1'), asn1.create(U, asn1.Type.NULL, false, '')]), octets(mac)]), octets(salt), int(2048)]);
    return encodeDer(seq([version!, data(content), macData]));
  }
  const opened = (e: Entry | undefined): Uint8Array | null | undefined => (e?.source as { opened?: Uint8Array | null } | undefined)?.opened;

  it('re-encrypts a Java secret key the same way under the new password, and leaves it as it was for a plain save', () => {
    const read = pkcs12Codec.read(fileWith([javaSecretBag(PW)]), PW);
    const secret = read.entries.find((e) => e.label === 'mq-aes') as UnknownEntry;
    expect(secret).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('secret') });
    const same = pkcs12Codec.read(pkcs12Codec.write(read, PW), PW).entries.find((e) => e.label === 'mq-aes')!;
    expect(Buffer.from(same.source!.bytes).toString('hex')).toBe(Buffer.from(secret.source.bytes).toString('hex'));

    const { bytes, notes } = pkcs12Codec.writeWithNotes(structuredClone(read), NEW);
    expect(notes).toEqual([]);
    const moved = pkcs12Codec.read(bytes, NEW).entries.find((e) => e.label === 'mq-aes')!;
    expect(Buffer.from(opened(moved)!).toString('hex')).toBe(Buffer.from(secretInfo).toString('hex'));
    const description = (e: Entry): ReturnType<typeof describeProtection> => {
      const bag = parseDer(e.source!.bytes).value as Asn1[];
      const secretValue = ((bag[1]!.value as Asn1[])[0]!.value as Asn1[])[1]!;
      return describeProtection(fromBinary((secretValue.value as Asn1[])[0]!.value as string));
    };
    expect(description(moved)).toEqual(description(secret));
    expect(description(moved)).toMatchObject({ iterations: 10, saltLength: 20 });
  });

  it('re-encrypts a private key kept without its certificate', () => {
    const lone = party('lonely', 'ec');
    const bag = seq([oid('1.2.840.113549.1.12.10.1.2'), ctx0(parseDer(encryptPrivateKeyInfo(pkcs8(lone), PW, 'pkcs12-sha1-3des', { iterations: 10 }))), friendly('lonely key')]);
    const read = pkcs12Codec.read(fileWith([bag]), PW, { privateKeys: 'when-used' });
    const moved = pkcs12Codec.read(pkcs12Codec.write(read, NEW), NEW).entries.find((e) => e.label === 'lonely key')!;
    expect(moved.kind).toBe('unknown');
    expect(Buffer.from(opened(moved)!)).toEqual(Buffer.from(pkcs8(lone)));
  });

  it('refuses, naming it, anything encrypted under the old password that it cannot re-encrypt; a plain save keeps it', () => {
    for (const [file, label, what] of [
      [fileWith([rc4KeyBag()]), 'rc4 key', /a private key encrypted with pbeWithSHAAnd128BitRC4/],
      [fileWith([], [rc4Part()]), 'encrypted part', /an encrypted part using pbeWithSHAAnd128BitRC4/],
      [fileWith([seq([oid('1.2.840.113549.1.12.10.1.6'), ctx0(seq([rc4KeyBag()])), friendly('nested')])]), 'nested', /nested group of bags/],
    ] as const) {
      const read = pkcs12Codec.read(file, PW);
      expect(read.entries.map((e) => e.label)).toContain(label);
      expect(pkcs12Codec.read(pkcs12Codec.write(read, PW), PW).entries.map((e) => e.label)).toContain(label);
      const refused = errorOf(() => pkcs12Codec.write(read, NEW));
      expect(refused.code).toBe('unsupported');
      expect(refused.message).toMatch(new RegExp(`^Nothing was written: "${label}" is `));
      expect(refused.message).toMatch(what);
      expect(refused.message).not.toContain('\n');
    }
  });

  it('puts bags that are in the clear inside the encrypted part, under the new password', () => {
    const crl = crlBag('Root CRL');
    const crlBytes = Buffer.from(encodeDer(crl));
    const file = fileWith([crl]);
    expect(Buffer.from(file).includes(crlBytes)).toBe(true);
    const read = pkcs12Codec.read(file, PW);
    const written = Buffer.from(pkcs12Codec.write(read, NEW));
    expect(written.includes(crlBytes)).toBe(false);
    // The only unencrypted part left holds no bag at all.
    const [, authSafe] = parseDer(written).value as Asn1[];
    const contentInfos = parseDer(fromBinary(((authSafe!.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string)).value as Asn1[];
    const plain = contentInfos.filter((ci) => (ci.value as Asn1[])[0]!.value === oidToDer('1.2.840.113549.1.7.1'));
    for (const ci of plain) expect((parseDer(fromBinary(((ci.value as Asn1[])[1]!.value as Asn1[])[0]!.value as string)).value as Asn1[]).length).toBe(0);
    const back = pkcs12Codec.read(written, NEW);
    expect(back.entries.find((e) => e.label === 'Root CRL')?.source?.bytes).toEqual(new Uint8Array(crlBytes));
  });

  it('keeps a key with a password of its own under it, and says so', () => {
    const lone = party('own', 'ec');
    const bag = seq([oid('1.2.840.113549.1.12.10.1.2'), ctx0(parseDer(encryptPrivateKeyInfo(pkcs8(lone), 'its-own', 'pkcs12-sha1-3des', { iterations: 10 }))), friendly('own key')]);
    const read = pkcs12Codec.read(fileWith([bag]), PW, { privateKeys: 'when-used' });
    const { bytes, notes } = pkcs12Codec.writeWithNotes(read, NEW);
    expect(notes).toEqual([expect.stringMatching(/^"own key" keeps its own password/)]);
    const kept = pkcs12Codec.read(bytes, NEW, { privateKeys: 'when-used' }).entries.find((e) => e.label === 'own key')!;
    expect(kept.source!.bytes).toEqual(read.entries.find((e) => e.label === 'own key')!.source!.bytes);
  });
});

describe('bags read in place give what the node-forge tree gives', () => {
  const root = party('Bag Root', 'ec');
  const leaf = party('bag.example', 'ec');
  const certs = [issue(root, root, true), issue(leaf, root, false)];
  const set = (items: Asn1[]) => asn1.create(U, asn1.Type.SET, true, items);
  // friendlyName as writers spell it (BMPString) and as some do not (UTF8, Printable, IA5,
  // a number, a BMPString in another class), localKeyId as OCTET STRING or not, Java's
  // trusted attribute, and an attribute nobody knows.
  const friendlyName = fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'grapheme', maxLength: 5 })), fc.constantFrom(asn1.Type.BMPSTRING, asn1.Type.UTF8, asn1.Type.PRINTABLESTRING, asn1.Type.IA5STRING, asn1.Type.INTEGER, -1)).map(([text, type]) => {
    const value =
      type === -1
        ? asn1.create(asn1.Class.CONTEXT_SPECIFIC, asn1.Type.BMPSTRING, false, text)
        : asn1.create(U, type, false, type === asn1.Type.BMPSTRING ? text : Buffer.from(text, 'utf8').toString('latin1'));
    return seq([oid('1.2.840.113549.1.9.20'), set([value])]);
  });
  const localKeyId = fc.tuple(fc.uint8Array({ maxLength: 8 }), fc.boolean()).map(([id, asOctets]) =>
    seq([oid('1.2.840.113549.1.9.21'), set([asOctets ? octets(id) : asn1.create(U, asn1.Type.UTF8, false, toBinary(id))])]),
  );
  const trusted = fc.constant(seq([oid('2.16.840.1.113894.746875.1.1'), set([oid('2.5.29.37.0')])]));
  const unknownAttribute = fc.constant(seq([oid('1.2.3.4.5'), set([])]));
  const attributes = fc.array(fc.oneof(friendlyName, localKeyId, trusted, unknownAttribute), { maxLength: 3 });
  const bag = fc.oneof(
    fc.tuple(fc.constantFrom(...certs), attributes).map(([cert, attrs]) =>
      seq([oid('1.2.840.113549.1.12.10.1.3'), ctx0(seq([oid('1.2.840.113549.1.9.22.1'), ctx0(octets(cert))])), ...(attrs.length ? [set(attrs)] : [])]),
    ),
    fc.string({ maxLength: 6 }).map((label) => crlBag(label)),
  );
  /** The same bytes with the SafeContents' outer length written one byte longer than DER
   * allows (BER): node-forge reads it, the in-place reader leaves it to node-forge. */
  const berLength = (der: Uint8Array): Uint8Array => {
    const first = der[1]!;
    const lengthBytes = first < 0x80 ? [first] : Array.from(der.subarray(2, 2 + (first & 0x7f)));
    const header = first < 0x80 ? 2 : 2 + (first & 0x7f);
    return new Uint8Array([der[0]!, 0x80 | (lengthBytes.length + 1), 0, ...lengthBytes, ...der.subarray(header)]);
  };
  const pfxOf = (safeContents: Uint8Array): Uint8Array => {
    const data = (content: Uint8Array): Asn1 => seq([oid('1.2.840.113549.1.7.1'), ctx0(octets(content))]);
    return encodeDer(seq([int(3), data(encodeDer(seq([data(safeContents)])))]));
  };
  const outcome = (pfx: Uint8Array): unknown => {
    try {
      const read = pkcs12Codec.read(pfx, '');
      return { entries: summary(read.entries), trusted: read.entries.map((e) => (e.kind === 'signer' ? e.trusted : undefined)) };
    } catch (e) {
      return `${(e as Error).message}`;
    }
  };

  it('labels, kinds, trust and bytes of generated bags agree between DER and the BER spelling of the same bags', () => {
    fc.assert(
      fc.property(fc.array(bag, { minLength: 1, maxLength: 4 }), (bags) => {
        const safeContents = encodeDer(seq(bags));
        expect(outcome(pfxOf(safeContents))).toEqual(outcome(pfxOf(berLength(safeContents))));
      }),
      { seed: 7292, numRuns: 400 },
    );
  });

  it('a certificate read from a PKCS#12 shares no memory with the decrypted key', () => {
    const bytes = pkcs12Codec.write(store([{ kind: 'personal', label: 'me', privateKey: pkcs8(leaf), chain: certs.slice().reverse() }]), 'pw', { iterations: 10 });
    const entry = pkcs12Codec.read(bytes, 'pw').entries[0] as PersonalEntry;
    for (const cert of entry.chain) {
      expect(cert.buffer).not.toBe(entry.privateKey.buffer);
      expect(cert.byteLength).toBe(cert.buffer.byteLength);
    }
  });
});

/**
 * Version-3 CMS databases: each record is verified on reading, damage is reported and
 * never saved unasked, and an upgrade goes to version 4 unless version 6 is asked for.
 *
 * The mutation test draws its places, kinds and values from a fixed seed;
 * KEYDESK_FUZZ_RUNS=5000 runs it longer. The keys, certificates and key salts it mutates
 * are made fresh each run (node cannot seed them), so a failure names the exact mutation
 * and what it hit rather than relying on a replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDamagedRecord, readCmsStore, writeCmsStore, type CmsFiles } from './cms';
import { isKeyDeskError } from '../errors';
import type { Entry, KeyStore, PersonalEntry, UnknownEntry } from '../model/key-store';
import { buildCertificate } from '../x509/certificate-builder';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import { buildV3Database, buildV3Files, V3_HEADER_SIZE, type V3Database, type V3Record } from '../testing/cms-v3-builder';
import { errorOf } from '../testing/keydesk-error';
import { haveKdbFixtures, hasTool, kdbcheckPath, kdbFixturesDir, makeTempDir } from '../testing/peer-tools';

const PW = 'v3-Passw0rd';
const RUNS = Number(process.env.KEYDESK_FUZZ_RUNS ?? 200);
const haveChecker = existsSync(kdbcheckPath) && hasTool('python3');

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const pair = (type: 'ec' | 'rsa') => {
  const k =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 1024 }); // small: only speed matters here
  return {
    privateKey: new Uint8Array(k.privateKey.export({ type: 'pkcs8', format: 'der' })),
    publicKey: new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' })),
  };
};

interface Material {
  records: V3Record[];
  /** The personal entries' keys, for tests that plant a changed copy. */
  rsaKey: Uint8Array;
  ecKey: Uint8Array;
}

function makeMaterial(): Material {
  const root = pair('ec');
  const rootName = parseDistinguishedName('CN=KeyDesk V3 Root,O=KeyDesk Test');
  const rootCert = buildCertificate({ subject: rootName, subjectPublicKey: root.publicKey, subjectPrivateKey: root.privateKey, hash: 'sha256', validityDays: 30, profile: 'ca' });
  const partner = pair('rsa');
  const partnerCert = buildCertificate({
    subject: parseDistinguishedName('CN=Partner CA,O=Elsewhere'),
    subjectPublicKey: partner.publicKey,
    subjectPrivateKey: partner.privateKey,
    hash: 'sha256',
    validityDays: 30,
    profile: 'ca',
  });
  const issued = (cn: string, key: { publicKey: Uint8Array }) =>
    buildCertificate({
      subject: parseDistinguishedName(`CN=${cn},O=KeyDesk Test`),
      issuer: { name: rootName, privateKey: root.privateKey },
      subjectPublicKey: key.publicKey,
      hash: 'sha256',
      validityDays: 30,
      profile: 'tls',
    });
  const rsa = pair('rsa');
  const ec = pair('ec');
  const request = pair('ec');
  const csr = buildCertificationRequest({ subject: parseDistinguishedName('CN=QM3,O=KeyDesk Test'), publicKey: request.publicKey, privateKey: request.privateKey, hash: 'sha256' });
  return {
    records: [
      { kind: 'signer', label: 'KeyDesk V3 Root', certificate: rootCert },
      { kind: 'personal', label: 'ibmwebspheremqqm1', certificate: issued('QM1', rsa), privateKey: rsa.privateKey },
      { kind: 'signer', label: 'Partner CA', certificate: partnerCert, trusted: false },
      { kind: 'personal', label: 'qm2-ec', certificate: issued('QM2', ec), privateKey: ec.privateKey },
      { kind: 'request', label: 'ibmwebspheremqqm3', csr, privateKey: request.privateKey },
    ],
    rsaKey: rsa.privateKey,
    ecKey: ec.privateKey,
  };
}

/** What a record should read as, to compare with what was read. */
function expected(record: V3Record): Entry {
  switch (record.kind) {
    case 'signer':
      return { kind: 'signer', label: record.label, certificate: record.certificate, ...(record.trusted === false ? { trusted: false } : {}) };
    case 'personal':
      return { kind: 'personal', label: record.label, privateKey: record.privateKey, chain: [record.certificate] };
    case 'request':
      return { kind: 'request', label: record.label, csr: record.csr, privateKey: record.privateKey };
  }
}

/** An entry as plain facts (hashes for bytes), so a mismatch prints readably. */
function facts(e: Entry): Record<string, unknown> {
  switch (e.kind) {
    case 'signer':
      return { kind: e.kind, label: e.label, certificate: sha256(e.certificate), trusted: e.trusted !== false };
    case 'personal':
      return { kind: e.kind, label: e.label, certificate: sha256(e.chain[0]!), chain: e.chain.length, key: sha256(e.privateKey) };
    case 'request':
      return { kind: e.kind, label: e.label, csr: sha256(e.csr), key: sha256(e.privateKey) };
    default:
      return { kind: e.kind, label: e.label, reason: e.kind === 'unknown' ? e.reason : undefined };
  }
}

function kdbcheck(file: string, password: string): { status: number | null; report: { ok: boolean; version: number; problems: string[] } } {
  const run = spawnSync('python3', [kdbcheckPath, file, '--pw', password], { encoding: 'utf8' });
  if (run.error || !run.stdout) throw new Error(`kdbcheck.py did not run: ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) };
}

const u32 = (b: Uint8Array, at: number): number => Buffer.from(b.buffer, b.byteOffset, b.byteLength).readUInt32BE(at);
/** File offset of a slot's label bytes (after the DER record and the label length). */
const labelAt = (db: V3Database, i: number): number => db.slots[i]!.start + 12 + u32(db.bytes, db.slots[i]!.start + 8) + 4;
const withByte = (b: Uint8Array, at: number, value: number): Uint8Array => {
  const out = b.slice();
  out[at] = value;
  return out;
};
const flip = (b: Uint8Array, at: number): Uint8Array => withByte(b, at, b[at]! ^ 0x01);

let m: Material;
let files: { kdb: V3Database; rdb: V3Database };
const tmp = makeTempDir('keydesk-v3-');

beforeAll(() => {
  m = makeMaterial();
  files = buildV3Files(m.records, PW);
});
afterAll(() => tmp.cleanup());

const cms = (kdb = files.kdb.bytes, rdb = files.rdb.bytes): CmsFiles => ({ kdb, rdb });

describe('CMS version 3: a clean database', () => {
  it('reads every record verified, each certificate, key and request byte-identical', () => {
    const store = readCmsStore(cms(), PW);
    expect(store.properties).toMatchObject({ version: 3, macChecked: false, damagedRecords: 0 });
    expect(store.properties.damageNote).toBeUndefined();
    const inOrder = [...m.records.filter((r) => r.kind !== 'request'), ...m.records.filter((r) => r.kind === 'request')];
    expect(store.entries.map(facts)).toEqual(inOrder.map((r) => facts(expected(r))));
    for (const e of store.entries.filter((x): x is PersonalEntry => x.kind === 'personal')) {
      expect(new X509Certificate(Buffer.from(e.chain[0]!)).checkPrivateKey(createPrivateKey({ key: Buffer.from(e.privateKey), format: 'der', type: 'pkcs8' })), e.label).toBe(true);
    }
  });

  it.skipIf(!haveKdbFixtures)('builds the native empty version-3 files byte for byte, so its records sit in GSKit’s own header (skipped: ../shared/fixtures/kdb absent)', () => {
    for (const kind of ['kdb', 'rdb'] as const) {
      const native = new Uint8Array(readFileSync(join(kdbFixturesDir, `gsk-v3-empty.${kind}`)));
      expect(Buffer.from(buildV3Database(kind, [], '123').bytes).equals(Buffer.from(native)), kind).toBe(true);
    }
    const native = readCmsStore({ kdb: new Uint8Array(readFileSync(join(kdbFixturesDir, 'gsk-v3-empty.kdb'))) }, '123');
    expect(native.properties).toMatchObject({ version: 3, damagedRecords: 0 });
    // The same builder with records, under the native file's password: read and verified.
    const withRecords = buildV3Files(m.records, '123');
    const store = readCmsStore(cms(withRecords.kdb.bytes, withRecords.rdb.bytes), '123');
    expect(store.properties.damagedRecords).toBe(0);
    expect(store.entries.map((e) => e.kind)).toEqual(['signer', 'personal', 'signer', 'personal', 'request']);
  });

  it('is saved as version 4 by default (GSKit 7 and 8), as version 6 only when asked, and the note says which and why', () => {
    const store = readCmsStore(cms(), PW);
    expect(String(store.properties.savedVersionNote)).toMatch(/saves it as version 4, which GSKit 7 and 8 both open/);
    const v4 = writeCmsStore(store, PW);
    expect(v4.version).toBe(4);
    expect(v4.kdb[2]).toBe(4);
    expect(v4.notes.join(' ')).toMatch(/^saved as version 4 \(it was version 3.*GSKit 7 and 8 both open it.*-version 6/);
    const v6 = writeCmsStore(store, PW, { version: 6 });
    expect(v6.version).toBe(6);
    expect(v6.notes.join(' ')).toMatch(/^saved as version 6 as asked \(it was version 3.*only GSKit 8 opens version 6/);
    expect(writeCmsStore(store, PW, { version: 4 }).notes.join(' ')).toMatch(/^saved as version 4 as asked/);
    for (const out of [v4, v6]) {
      const back = readCmsStore({ kdb: out.kdb, rdb: out.rdb, crl: out.crl }, PW);
      expect(back.properties).toMatchObject({ version: out.version, macChecked: true });
      expect(back.properties.damagedRecords).toBeUndefined();
      expect(back.entries.map(facts)).toEqual(store.entries.map(facts));
    }
  });

  it.skipIf(!haveChecker)(`an upgraded database passes kdbcheck.py${haveChecker ? '' : ' (skipped: python3 or kdbcheck.py absent)'}`, () => {
    const out = writeCmsStore(readCmsStore(cms(), PW), PW);
    for (const [name, bytes] of [['upgraded.kdb', out.kdb], ['upgraded.rdb', out.rdb]] as const) {
      const file = join(tmp.dir, name);
      writeFileSync(file, bytes);
      const { status, report } = kdbcheck(file, PW);
      expect(report.problems, name).toEqual([]);
      expect(report.version).toBe(4);
      expect(status, name).toBe(0);
    }
  });
});

describe('CMS version 3: damage is reported and not saved unasked', () => {
  /** Reads `kdb`, expects exactly the records at `damaged` (1-based) to be reported. */
  function readDamaged(kdb: Uint8Array, damaged: number[], rdb = files.rdb.bytes): { store: KeyStore; reasons: string[] } {
    const store = readCmsStore(cms(kdb, rdb), PW);
    const bad = store.entries.filter(isDamagedRecord) as UnknownEntry[];
    expect(bad.map((e) => Number(/^record (\d+)/.exec(e.reason)?.[1]))).toEqual(damaged);
    expect(store.properties.damagedRecords).toBe(damaged.length);
    for (const n of damaged) expect(String(store.properties.damageNote)).toContain(`record ${n} (`);
    return { store, reasons: bad.map((e) => e.reason) };
  }

  it('names a changed certificate, lists it as an unknown entry under its label, and leaves the others as they were', () => {
    const at = Buffer.from(files.kdb.bytes).indexOf('KeyDesk V3 Root', files.kdb.slots[0]!.start); // in the certificate's issuer name
    const { store, reasons } = readDamaged(flip(files.kdb.bytes, at), [1]);
    expect(reasons[0]).toBe('record 1 is damaged: its certificate does not match its index hashes (changed since GSKit wrote it)');
    expect(store.entries[0]).toMatchObject({ kind: 'unknown', label: 'KeyDesk V3 Root' });
    expect(store.entries.slice(1).map(facts)).toEqual(readCmsStore(cms(), PW).entries.slice(1).map(facts));
  });

  it('names each kind of damage plainly', () => {
    const kdb = files.kdb;
    const cases: [string, Uint8Array, RegExp][] = [
      ['record number', withByte(kdb.bytes, kdb.slots[1]!.start + 7, 9), /record 2 is damaged: it is numbered 9 but sits in slot 2/],
      ['field after the label', withByte(kdb.bytes, labelAt(kdb, 1) + 'ibmwebspheremqqm1'.length + 3, 7), /the number after its label is 7, not its record number 2/],
      ['index hash', flip(kdb.bytes, kdb.slots[2]!.usedEnd - 1), /record 3 .*does not match its index hashes/],
      ['padding', withByte(kdb.bytes, kdb.slots[3]!.usedEnd + 100, 1), /record 4 is damaged: the padding after its index hashes is not all zero/],
      ['flags', withByte(kdb.bytes, kdb.slots[1]!.flagsAt, 0x00), /record 2 is damaged: its flags \(03020700\) are not a value GSKit writes/],
      // The key's last ciphertext byte (before the label and flags TLVs).
      ['private key', flip(kdb.bytes, kdb.slots[3]!.flagsAt - 'qm2-ec'.length - 6), /record 4 is damaged: its private key does not decrypt/],
    ];
    for (const [what, bytes, reason] of cases) {
      const store = readCmsStore(cms(bytes), PW);
      const bad = store.entries.filter(isDamagedRecord) as UnknownEntry[];
      expect(bad.map((e) => e.reason), what).toEqual([expect.stringMatching(reason)]);
    }
  });

  it('gives a record whose label copies differ a label of its own, not the changed one', () => {
    const at = labelAt(files.kdb, 0);
    const { store, reasons } = readDamaged(withByte(files.kdb.bytes, at, 'P'.charCodeAt(0)), [1]);
    expect(reasons[0]).toMatch(/its two copies of the label differ/);
    expect(store.entries[0]!.label).toBe('(damaged record 1)');
  });

  it('checks a personal key’s private numbers, not only its public half', () => {
    // EC: a changed private scalar, the public point beside it intact.
    const ec = Buffer.from(m.ecKey);
    const d = ec.indexOf(Buffer.from('0201010420', 'hex')) + 5;
    ec[d + 3]! ^= 0x40;
    // RSA: a changed CRT exponent, every other number intact.
    const jwk = createPrivateKey({ key: Buffer.from(m.rsaKey), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
    const dq = Buffer.from(jwk.dq!, 'base64url');
    dq[dq.length - 1]! ^= 0x02;
    const rsa = createPrivateKey({ key: { ...jwk, dq: dq.toString('base64url') }, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' });
    const records = m.records.map((r) =>
      r.kind !== 'personal' ? r : { ...r, privateKey: new Uint8Array(r.label === 'qm2-ec' ? ec : rsa) },
    );
    const changed = buildV3Files(records, PW);
    const { reasons } = readDamaged(changed.kdb.bytes, [2, 4], changed.rdb.bytes);
    for (const r of reasons) expect(r).toMatch(/its private key’s numbers do not fit together/);
  });

  it('checks a request’s signature and its key', () => {
    const csr = Buffer.from((m.records[4] as { csr: Uint8Array }).csr);
    csr[csr.indexOf(Buffer.from('QM3'))] = 'X'.charCodeAt(0);
    const forged = buildV3Files(m.records.map((r) => (r.kind === 'request' ? { ...r, csr: new Uint8Array(csr) } : r)), PW);
    const store = readCmsStore(cms(forged.kdb.bytes, forged.rdb.bytes), PW);
    expect((store.entries[4] as UnknownEntry).reason).toBe('record 1 of the .rdb is damaged: its request’s signature does not verify (changed since it was signed)');
    const otherKey = buildV3Files(m.records.map((r) => (r.kind === 'request' ? { ...r, privateKey: m.ecKey } : r)), PW);
    const mismatched = readCmsStore(cms(otherKey.kdb.bytes, otherKey.rdb.bytes), PW);
    expect((mismatched.entries[4] as UnknownEntry).reason).toMatch(/\.rdb is damaged: its private key is not the key of its request/);
  });

  it('refuses to save a damaged store, naming the records; with dropDamaged it leaves them out and says so', () => {
    const at = Buffer.from(files.kdb.bytes).indexOf('QM1', files.kdb.slots[1]!.start); // in the certificate's subject
    const { store } = readDamaged(flip(files.kdb.bytes, at), [2]);
    const refusal = errorOf(() => writeCmsStore(store, PW));
    expect(refusal.code).toBe('damaged');
    expect(refusal.message.split('\n')).toHaveLength(1);
    expect(refusal.message).toMatch(/^nothing was saved: .*1 damaged record \(record 2 \("ibmwebspheremqqm1"\): .*\).*-drop_damaged\)$/);
    // Whatever version is asked for, and after any other change.
    expect(errorOf(() => writeCmsStore(store, PW, { version: 6 })).code).toBe('damaged');
    const edited = structuredClone(store);
    edited.entries = edited.entries.filter((e) => !isDamagedRecord(e));
    expect(errorOf(() => writeCmsStore(edited, PW)).message).toMatch(/1 damaged record \(already removed from the store\)/);

    const out = writeCmsStore(store, PW, { dropDamaged: true });
    expect(out.version).toBe(4);
    expect(out.notes.join(' ')).toMatch(/left out 1 damaged record of the version-3 database \(record 2 \("ibmwebspheremqqm1"\)/);
    const back = readCmsStore({ kdb: out.kdb, rdb: out.rdb }, PW);
    expect(back.properties).toMatchObject({ version: 4, macChecked: true });
    expect(back.entries.map(facts)).toEqual(store.entries.filter((e) => !isDamagedRecord(e)).map(facts));
    if (haveChecker) {
      const file = join(tmp.dir, 'dropped.kdb');
      writeFileSync(file, out.kdb);
      expect(kdbcheck(file, PW).status).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Mutations

/** mulberry32: tiny, seedable, good enough to pick places in a file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Mutation {
  bytes: Uint8Array;
  /** Offsets changed in place, or undefined when bytes were inserted or deleted. */
  changed?: number[];
  what: string;
}

function mutate(db: V3Database, random: () => number): Mutation {
  const int = (n: number): number => Math.floor(random() * n);
  const b = db.bytes;
  // Mostly where the meaning is (header, records, index hashes), sometimes anywhere.
  const place = (): number => {
    if (random() < 0.3 || db.slots.length === 0) return int(b.length);
    if (random() < 0.15) return int(V3_HEADER_SIZE);
    const slot = db.slots[int(db.slots.length)]!;
    return slot.start + int(slot.usedEnd - slot.start + 8);
  };
  const r = random();
  if (r < 0.4) {
    const at = place();
    const bit = int(8);
    return { bytes: withByte(b, at, b[at]! ^ (1 << bit)), changed: [at], what: `bit ${bit} of byte ${at} flipped` };
  }
  if (r < 0.85) {
    const out = b.slice();
    const changed: number[] = [];
    for (let n = r < 0.7 ? 1 : 2 + int(7); n > 0; n--) {
      const at = place();
      out[at] = int(256);
      if (out[at] !== b[at]) changed.push(at);
    }
    return { bytes: out, changed, what: `bytes ${changed.join(', ')} replaced` };
  }
  const at = place();
  if (r < 0.95) {
    const n = 1 + int(4);
    return { bytes: new Uint8Array(Buffer.concat([b.subarray(0, at), b.subarray(at + n)])), what: `${n} bytes deleted at ${at}` };
  }
  return { bytes: new Uint8Array(Buffer.concat([b.subarray(0, at), Buffer.of(int(256)), b.subarray(at)])), what: `a byte inserted at ${at}` };
}

/** Header bytes the password verifier covers and nothing else checks: the zero field and the salt. */
const verifierOnly = (at: number): boolean => (at >= 0x04 && at < 0x08) || (at >= 0x18 && at < 0x40);
/** The v3 MAC, whose input is unknown: nothing reads it. */
const macOnly = (at: number): boolean => at >= 0x40 && at < V3_HEADER_SIZE;

describe('CMS version 3: mutated copies', () => {
  it(`end in a plain refusal, or list only what GSKit wrote, reporting every damaged record, and are never saved unasked (${RUNS} runs)`, () => {
    const random = prng(20260313);
    const original = readCmsStore(cms(), PW);
    const originalFacts = original.entries.map(facts);
    const tally = { refused: 0, damaged: 0, clean: 0 };
    let checkedFiles = 0;
    for (let run = 0; run < RUNS; run++) {
      const inRdb = random() < 0.2;
      const target = inRdb ? files.rdb : files.kdb;
      const mutation = mutate(target, random);
      const where = `run ${run}: ${inRdb ? '.rdb' : '.kdb'} ${mutation.what}`;
      const input = inRdb ? cms(files.kdb.bytes, mutation.bytes) : cms(mutation.bytes);

      let store: KeyStore;
      try {
        store = readCmsStore(input, PW);
      } catch (e) {
        if (!isKeyDeskError(e)) throw new Error(`${where}: not a plain refusal: ${(e as Error)?.stack ?? String(e)}`);
        expect(e.message.split('\n'), where).toHaveLength(1);
        expect(['damaged', 'wrong-password', 'not-a-keystore', 'unsupported'], where).toContain(e.code);
        // The verifier is checked before any record, so a changed salt reads as a wrong
        // password whatever else changed (a companion .rdb says "damaged" instead).
        if (e.code === 'wrong-password') expect(!inRdb && mutation.changed?.some(verifierOnly), where).toBe(true);
        tally.refused++;
        continue;
      }

      // Slots keep their places (the length check saw to that): entry i is record i.
      const kdbCount = files.kdb.slots.length;
      const damaged: number[] = [];
      store.entries.forEach((entry, i) => {
        const number = i < kdbCount ? i + 1 : i - kdbCount + 1;
        const inThisRdb = i >= kdbCount;
        if (isDamagedRecord(entry)) {
          expect((entry as UnknownEntry).reason, where).toMatch(new RegExp(`^record ${number}${inThisRdb ? ' of the \\.rdb' : ''} is damaged: `));
          damaged.push(i);
          return;
        }
        // Not reported, so exactly what was written: kind, label, certificate, key.
        const want = { ...originalFacts[i]! };
        // The trust bit is the one byte no check covers (FORMATS.md: no v3 MAC); it may
        // read as the other value GSKit writes for a signer.
        const slot = (inThisRdb ? files.rdb : files.kdb).slots[number - 1]!;
        if (entry.kind === 'signer' && !inThisRdb && mutation.changed?.includes(slot.flagsAt)) want.trusted = mutation.bytes[slot.flagsAt] === 0x80;
        expect(facts(entry), where).toEqual(want);
      });
      expect(store.entries.length, where).toBe(originalFacts.length);
      expect(store.properties.damagedRecords, where).toBe(damaged.length);

      if (damaged.length === 0) {
        // Undetected changes can only be ones that change nothing anyone reads.
        expect(
          mutation.changed?.every((at) => macOnly(at) || files.kdb.slots.some((s) => s.flagsAt === at) || isRecordInteger(target, at)),
          where,
        ).toBe(true);
        expect(writeCmsStore(store, PW).version, where).toBe(4);
        tally.clean++;
        continue;
      }
      tally.damaged++;
      const refusal = errorOf(() => writeCmsStore(store, PW));
      expect(refusal.code, where).toBe('damaged');
      for (const i of damaged) expect(refusal.message, where).toContain(`record ${i < kdbCount ? i + 1 : i - kdbCount + 1}${i < kdbCount ? '' : ' of the .rdb'} (`);
      const out = writeCmsStore(store, PW, { dropDamaged: true });
      const back = readCmsStore({ kdb: out.kdb, rdb: out.rdb }, PW);
      expect(back.entries.map(facts), where).toEqual(store.entries.filter((e) => !isDamagedRecord(e)).map(facts));
      if (haveChecker && checkedFiles < 3) {
        checkedFiles++;
        for (const [ext, bytes] of [['kdb', out.kdb], ['rdb', out.rdb]] as const) {
          const file = join(tmp.dir, `mutated-${run}.${ext}`);
          writeFileSync(file, bytes);
          expect(kdbcheck(file, PW).report.problems, `${where} (${ext})`).toEqual([]);
        }
      }
    }
    // The run reached every outcome, or it proved little.
    expect(tally.refused, JSON.stringify(tally)).toBeGreaterThan(0);
    expect(tally.damaged, JSON.stringify(tally)).toBeGreaterThan(0);
  });
});

/** The record INTEGER's value byte: 1 and the record number both read as GSKit's (the
 * v3 value is unknown), and the writer renumbers it anyway. */
function isRecordInteger(db: V3Database, at: number): boolean {
  return db.slots.some((s) => {
    const der = s.start + 12;
    const lengthBytes = db.bytes[der + 1]! & 0x80 ? 1 + (db.bytes[der + 1]! & 0x7f) : 1;
    return at === der + 1 + lengthBytes + 2; // SEQUENCE header, then 02 01 <value>
  });
}

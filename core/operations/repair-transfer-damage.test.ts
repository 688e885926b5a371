/**
 * What -keydb -repair may write, and what the diagnosis may claim (issue 13 item 8:
 * random byte deletions were diagnosed as a text-mode transfer in 27 of 50 cases, and
 * four "repaired" files were not the original).
 *
 * The originals are real files of every format KeyDesk reads, the same bytes every run
 * (a fixed fuzz seed is only reproducible if it meets the same originals): made once by
 * KeyDesk's own writers, openssl and keytool and kept in testdata/transfer-damage/ (its
 * README says how); stashes built here from the layout in FORMATS.md with a seeded
 * generator, LFs placed where each test wants them; and IBM's GSKit fixtures in
 * ../shared/fixtures/kdb/ where present.
 *
 * (a) Random damage — bytes deleted, inserted, replaced, never a CR/LF conversion — with
 *     fast-check and a fixed seed, as core/hardening/parsers.fuzz.test.ts does
 *     (KEYDESK_FUZZ_RUNS=2000 for a longer run): the diagnosis names a transfer only when
 *     the bytes are a text-mode copy, and neither the diagnosis nor `verifiedRepair` (even
 *     given the right password) ever offers bytes other than the original. The naming
 *     rule bounds how often random damage can fake a transfer; where nothing checks the
 *     bytes it cannot rule it out (transfer-damage.ts gives the odds), so these originals
 *     are of the ordinary kind. None is a small file holding a CR LF where nothing checks
 *     and hardly another LF: a stash with a CR LF and one lone LF in its padding (1 in
 *     1500) becomes a fake with two pairs when a CR lands before the LF and a byte is
 *     gained, which this fuzz, rich in CRs, would find.
 * (b) Real text-mode damage, as an FTP transfer in ASCII mode does it (RFC 959 §3.1.1.1:
 *     end of line sent as CR LF, converted to the receiver's convention): every LF →
 *     CR LF is named and repaired exactly, but for an original with one LF, which is only
 *     called damaged; with the password every format with a MAC or keyed digest is
 *     repaired exactly both ways, and the repair opens with it.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyDeskError } from '../errors';
import { readCmsStore, readRequestDatabase } from '../formats/cms';
import { looksLikeStash, readStash, stashKeystream } from '../formats/cms-stash';
import { pkcs12Codec } from '../formats/pkcs12';
import { jceksCodec, jksCodec } from '../formats/jks';
import { diagnoseTransferDamage } from '../formats/transfer-damage';
import { haveKdbFixtures, kdbFixturesDir } from '../testing/peer-tools';
import { verifiedRepair } from './repair-transfer-damage';

const RUNS = Number(process.env.KEYDESK_FUZZ_RUNS ?? 40);
/** The slower fuzz takes about 0.12 s per unit of RUNS (240 s at 2000): the suite's 60 s
 * would cut a longer run short. */
const FUZZ_TIMEOUT = Math.max(60_000, RUNS * 250);
/** KEYDESK_FUZZ_SEED tries another seed by hand; the suite always runs the fixed one. */
const seedOr = (fixed: number): number => Number(process.env.KEYDESK_FUZZ_SEED ?? fixed);
const PW = 'Repair-pw-1';
const CR = 0x0d;
const LF = 0x0a;

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const lfsAt = (b: Uint8Array): number[] => [...b.keys()].filter((i) => b[i] === LF);
/** FTP from Unix to Windows: every LF gains a CR. */
const everyLfToCrlf = (b: Uint8Array): Uint8Array => bytesOf(latin1(b).replace(/\n/g, '\r\n'));
/** unix2dos-style: only a LF without a CR before it gains one. */
const loneLfToCrlf = (b: Uint8Array): Uint8Array => bytesOf(latin1(b).replace(/(?<!\r)\n/g, '\r\n'));
/** FTP from Windows to Unix: every CR LF loses its CR. */
const crlfToLf = (b: Uint8Array): Uint8Array => bytesOf(latin1(b).replace(/\r\n/g, '\n'));
const isTextModeCopy = (original: Uint8Array, b: Uint8Array): boolean => [everyLfToCrlf, loneLfToCrlf, crlfToLf].some((f) => same(f(original), b));

// --- Stashes from their layout (FORMATS.md), with seeded bytes -----------------------

/** The same bytes for the same label, every run: SHA-256 of label and counter. */
function seeded(label: string): () => number {
  let block = Buffer.alloc(0);
  let counter = 0;
  let at = 0;
  return () => {
    if (at === block.length) {
      block = createHash('sha256').update(`${label}/${counter++}`).digest();
      at = 0;
    }
    return block[at++]!;
  };
}

const sha256 = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/**
 * A stash holding PW whose only CR or LF bytes are LFs at `lfs` (file offsets). writeStash
 * draws its padding and A from the system's random source, so it is built here: the v1
 * buffer is PW, 0x00 and non-zero padding, XOR 0xF5; v2 is A ‖ SHA-256(01 ‖ A) ‖ that
 * buffer XOR the keystream of A and B. A LF in A ‖ B cannot be placed, only found: A is
 * drawn until A ‖ B has LFs exactly at the wanted offsets below 64.
 */
function buildStash(form: 'v1' | 'v2', lfs: number[]): Uint8Array {
  const next = seeded(`stash ${form} ${lfs.join(',')}`);
  const pw = Buffer.from(PW, 'utf8');
  /** `b`, standing at `from` in the file, has LFs just where wanted, and no CR. */
  const fits = (b: Uint8Array, from: number): boolean => b.every((x, i) => (x === LF) === lfs.includes(from + i)) && !b.includes(CR);
  for (let attempt = 0; attempt < 100_000; attempt++) {
    let head: Buffer = Buffer.alloc(0);
    let ks: Buffer = Buffer.alloc(129);
    if (form === 'v2') {
      const a = Buffer.from(Array.from({ length: 32 }, next));
      head = Buffer.concat([a, sha256(Uint8Array.of(1), a)]);
      if (!fits(head, 0)) continue;
      ks = stashKeystream(head.subarray(0, 32), head.subarray(32), 129);
    }
    const buffer = Buffer.alloc(129);
    for (let i = 0; i < 129; i++) {
      const at = head.length + i;
      // Password and terminator are what they are; only the padding is drawn.
      let plain = i < pw.length ? pw[i]! : i === pw.length ? 0 : lfs.includes(at) ? LF ^ 0xf5 ^ ks[i]! : next();
      while (i > pw.length && !lfs.includes(at) && (plain === 0 || [CR, LF].includes(plain ^ 0xf5 ^ ks[i]!))) plain = next();
      buffer[i] = plain ^ 0xf5 ^ ks[i]!;
    }
    // A password byte or a padding byte forced to a LF may still land badly: draw again.
    if (fits(buffer, head.length) && buffer.subarray(pw.length + 1).every((c, i) => (c ^ ks[pw.length + 1 + i]! ^ 0xf5) !== 0)) {
      return new Uint8Array(Buffer.concat([head, buffer]));
    }
  }
  throw new Error(`no ${form} stash with LFs at ${lfs.join(', ')} turned up`);
}

// --- The originals --------------------------------------------------------------------

interface Original {
  bytes: Uint8Array;
  /** The password its MAC, digest, verifier or stash holds, when it has one. */
  password?: string;
  /** A MAC or keyed digest covers it, so the password proves a repair. */
  mac: boolean;
  /** Opens it as KeyDesk would (throws when it does not). */
  open(b: Uint8Array): unknown;
}

const originals = new Map<string, Original>();
const DATA = join(__dirname, 'testdata/transfer-damage');
const kept = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DATA, name)));

beforeAll(() => {
  const cms = (b: Uint8Array): unknown => readCmsStore({ kdb: b }, PW);
  const p12 = (b: Uint8Array): unknown => pkcs12Codec.read(b, PW);
  const jks = (b: Uint8Array): unknown => jksCodec.read(b, PW);
  const jceks = (b: Uint8Array): unknown => jceksCodec.read(b, PW);
  const sameAs = (original: Uint8Array) => (b: Uint8Array) => expect(same(b, original)).toBe(true);
  const stash = (b: Uint8Array): unknown => expect(readStash(b)).toBe(PW);
  const keep = (name: string, file: string, o: Omit<Original, 'bytes'>): void => void originals.set(name, { bytes: kept(file), ...o });

  // Personal entry qm1 and a signer whose serial holds a CR LF, so that CR LF → LF damage
  // exists; a CMS index hash covers it.
  keep('KeyDesk CMS v6 .kdb', 'keydesk-v6.kdb', { password: PW, mac: true, open: cms });
  keep('KeyDesk CMS v4 .kdb', 'keydesk-v4.kdb', { password: PW, mac: true, open: cms });
  // 3338 iterations = 0x0D0A: CR LF bytes where nothing but the MAC checks them.
  keep('KeyDesk PKCS#12', 'keydesk.p12', { password: PW, mac: true, open: p12 });
  keep('KeyDesk JKS', 'keydesk.jks', { password: PW, mac: true, open: jks });
  keep('KeyDesk JCEKS', 'keydesk.jceks', { password: PW, mac: true, open: jceks });
  const ca = kept('keydesk-ca.der');
  keep('KeyDesk DER certificate (self-signed)', 'keydesk-ca.der', { mac: false, open: sameAs(ca) });
  keep('openssl PKCS#12 (-iter 3338)', 'openssl-iter3338.p12', { password: PW, mac: true, open: p12 });
  keep('openssl PKCS#12 -legacy', 'openssl-legacy.p12', { password: PW, mac: true, open: p12 });
  keep('openssl PKCS#12 -nomac', 'openssl-nomac.p12', { password: PW, mac: false, open: p12 });
  const ee = kept('openssl-ee.der');
  keep('openssl DER certificate (CA-signed)', 'openssl-ee.der', { mac: false, open: sameAs(ee) });
  const p7 = kept('openssl.p7b');
  keep('openssl PKCS#7 bundle', 'openssl.p7b', { mac: false, open: sameAs(p7) });
  keep('keytool JKS', 'keytool.jks', { password: PW, mac: true, open: jks });
  keep('keytool JCEKS', 'keytool.jceks', { password: PW, mac: true, open: jceks });

  // Stashes as a transfer meets them: one LF (most that have any), two, and a v2 stash's
  // one LF in its hashed half or in its obfuscated buffer.
  originals.set('v1 stash, one LF in its padding', { bytes: buildStash('v1', [100]), password: PW, mac: false, open: stash });
  originals.set('v1 stash, two LFs in its padding', { bytes: buildStash('v1', [40, 100]), password: PW, mac: false, open: stash });
  originals.set('v2 stash, one LF in A ‖ B', { bytes: buildStash('v2', [20]), password: PW, mac: false, open: stash });
  originals.set('v2 stash, one LF in its obfuscated buffer', { bytes: buildStash('v2', [150]), password: PW, mac: false, open: stash });

  if (haveKdbFixtures) {
    // Passwords from ../shared/fixtures/kdb/PROVENANCE.md (each also in its stash).
    const passwords: Record<string, string> = { 'gsk-v6': 'password', 'gsk-v4': 'senha', 'gsk-v3': '123' };
    // Sorted: the fuzz picks originals by their place in the list.
    for (const name of readdirSync(kdbFixturesDir).filter((f) => /\.(kdb|rdb|crl|sth)$/.test(f)).sort()) {
      const password = passwords[name.slice(0, 6)]!;
      const bytes = new Uint8Array(readFileSync(join(kdbFixturesDir, name)));
      const ext = name.slice(-3);
      const open =
        ext === 'kdb' ? (b: Uint8Array) => readCmsStore({ kdb: b }, password) : ext === 'rdb' ? (b: Uint8Array) => readRequestDatabase(b, password) : ext === 'sth' ? (b: Uint8Array) => expect(readStash(b)).toBe(password) : () => undefined;
      // A v3 database's MAC input is unknown (FORMATS.md): structure is all it offers.
      originals.set(`IBM ${name}`, { bytes, password, mac: ext !== 'sth' && bytes[2] !== 3, open });
    }
  }
});

/** Up to three bytes deleted, inserted or replaced: what a bad disk or a broken copy does.
 * A CR or a LF is put in often, the bytes the diagnosis looks at, to tempt it. */
function randomDamage(original: Uint8Array): fc.Arbitrary<Uint8Array> {
  const byte = fc.oneof(fc.constantFrom(0x0d, 0x0a), fc.integer({ min: 0, max: 255 }));
  const edit = fc.tuple(fc.constantFrom('delete', 'insert', 'replace'), fc.nat(), byte);
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let b = Buffer.from(original);
    for (const [how, where, byte] of edits) {
      const at = where % b.length;
      if (how === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      else if (how === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(byte), b.subarray(at)]);
      else b[at] = byte;
    }
    return new Uint8Array(b);
  });
}

/** `verifiedRepair` with the original's password, or a plain refusal (undefined). */
function repairWith(damaged: Uint8Array, password: string | undefined): Uint8Array | undefined {
  try {
    return verifiedRepair(damaged, password === undefined ? undefined : () => password).original;
  } catch (e) {
    if (!isKeyDeskError(e)) throw e;
    expect(e.message.split('\n')).toHaveLength(1);
    return undefined;
  }
}

describe('random damage is never taken for a text-mode transfer, nor "repaired" into other bytes', () => {
  it('has the same originals every run, of every format, shaped as the tests below rely on', () => {
    expect(originals.size).toBeGreaterThanOrEqual(17);
    if (!haveKdbFixtures) console.log('IBM GSKit originals (skipped: ../shared/fixtures/kdb is absent)');
    // The stash builder follows FORMATS.md; KeyDesk's reader must agree with it.
    for (const [name, o] of originals) if (name.includes(' stash')) expect([readStash(o.bytes), looksLikeStash(o.bytes)], name).toEqual([PW, true]);
    expect(lfsAt(originals.get('v1 stash, one LF in its padding')!.bytes)).toEqual([100]);
    expect(lfsAt(originals.get('v1 stash, two LFs in its padding')!.bytes)).toEqual([40, 100]);
    expect(lfsAt(originals.get('v2 stash, one LF in A ‖ B')!.bytes)).toEqual([20]);
    expect(lfsAt(originals.get('v2 stash, one LF in its obfuscated buffer')!.bytes)).toEqual([150]);
    // The kept files: every one has LFs to damage, two or more, so LF → CR LF is named.
    for (const [name, o] of originals) if (!name.includes(' stash') && !name.startsWith('IBM')) expect(lfsAt(o.bytes).length, name).toBeGreaterThanOrEqual(2);
    expect(latin1(originals.get('KeyDesk CMS v6 .kdb')!.bytes)).toContain('\r\n'); // the signer's serial
  });

  it('fuzz: bytes deleted, inserted and replaced in every original (fixed seed)', () => {
    const names = [...originals.keys()];
    const input = fc.constantFrom(...names).chain((name) => randomDamage(originals.get(name)!.bytes).map((damaged) => ({ name, damaged })));
    fc.assert(
      fc.property(input, ({ name, damaged }) => {
        const o = originals.get(name)!;
        if (same(damaged, o.bytes)) return;
        const d = diagnoseTransferDamage(damaged);
        if (d.damaged && d.kind !== 'unknown') expect(isTextModeCopy(o.bytes, damaged), `${name}: named a ${d.kind} transfer`).toBe(true);
        if (d.damaged && d.repaired) expect(same(d.repaired, o.bytes), `${name}: offered a repair that is not the original`).toBe(true);
        const repaired = repairWith(damaged, o.password);
        if (repaired) expect(same(repaired, o.bytes), `${name}: verifiedRepair returned bytes that are not the original`).toBe(true);
      }),
      { seed: seedOr(20261313), numRuns: RUNS * originals.size },
    );
  }, FUZZ_TIMEOUT);

  it('fuzz: a text-mode copy damaged further — with a MAC and the password, nothing but the original gets through (fixed seed)', () => {
    // A transfer and a bad copy together. Structure cannot settle that: a byte also
    // changed inside ciphertext stays unseen (as in a file never sent in text mode), and
    // a byte also gained there can make an undo that should have kept a CR LF fit; so a
    // format without a MAC (PKCS#12 -nomac, v3 CMS, stash, DER) can be "repaired" into
    // the transfer undone with that other damage still in it. The MAC sees everything.
    const names = [...originals.keys()].filter((name) => originals.get(name)!.mac);
    const copies = [everyLfToCrlf, loneLfToCrlf, crlfToLf];
    const input = fc
      .tuple(fc.constantFrom(...names), fc.constantFrom(...copies.keys()))
      .chain(([name, how]) => randomDamage(copies[how]!(originals.get(name)!.bytes)).map((damaged) => ({ name, damaged })));
    fc.assert(
      fc.property(input, ({ name, damaged }) => {
        const o = originals.get(name)!;
        const repaired = repairWith(damaged, o.password);
        if (repaired) expect(same(repaired, o.bytes), `${name}: a repair whose MAC verified is not the original`).toBe(true);
      }),
      { seed: seedOr(20261314), numRuns: RUNS * names.length },
    );
  }, FUZZ_TIMEOUT);

  it('a byte lost in a CMS key ciphertext with a LF after it: refused, even with the right password', () => {
    // The shape of the wrong repairs: the lengths fit again once a CR is put back
    // before the LF, but the bytes between have moved. Only the MAC can tell, and does.
    // (A store that still holds a CR LF elsewhere is no example: after a real CR LF → LF
    // transfer none is left, so no such reading of it exists at all.)
    const b = Buffer.from(kept('keydesk-v6-personal.kdb'));
    const slot = 0x30 + 96; // v6 header; slot 1 holds the personal record
    // The record ends with the encrypted key's ciphertext, then the label "qm1" and the
    // flags (1a 03 71 6d 31 03 02 07 80).
    const ciphertextEnd = slot + 12 + b.readUInt32BE(slot + 8) - 9;
    expect(b.subarray(ciphertextEnd, ciphertextEnd + 9).toString('hex')).toBe('1a03716d3103020780');
    expect(b.subarray(ciphertextEnd - 147, ciphertextEnd - 144).toString('hex')).toBe('048190'); // 144 bytes of it
    const lf = b.indexOf(LF, ciphertextEnd - 100);
    expect(lf).not.toBe(-1);
    expect(lf).toBeLessThan(ciphertextEnd);
    const lost = lf - 4;
    const damaged = new Uint8Array(Buffer.concat([b.subarray(0, lost), b.subarray(lost + 1)]));
    const d = diagnoseTransferDamage(damaged);
    expect(d.damaged && d.kind).toBe('unknown');
    expect(() => verifiedRepair(damaged, () => PW)).toThrow(/no repaired copy verifies with the password given/);
  });
});

describe('real text-mode damage is repaired exactly, and the repair opens', () => {
  const names = (): string[] => [...originals.keys()];

  it('covers every original', () => {
    expect(names().length).toBeGreaterThanOrEqual(8);
  });

  it('every LF → CR LF: named, repaired byte for byte by the diagnosis and, with the password, verified', () => {
    for (const name of names()) {
      const o = originals.get(name)!;
      const damaged = everyLfToCrlf(o.bytes);
      if (lfsAt(o.bytes).length < 2) continue; // no LF in it: nothing to damage; one LF: below
      const d = diagnoseTransferDamage(damaged);
      expect(d.damaged && d.kind, name).toBe('lf-to-crlf');
      expect(d.damaged && d.repaired && same(d.repaired, o.bytes), name).toBe(true);
      const repaired = verifiedRepair(damaged, o.password === undefined ? undefined : () => o.password!);
      expect(same(repaired.original, o.bytes), name).toBe(true);
      o.open(repaired.original);
    }
  });

  it('one LF → CR LF: only called damaged; the MAC, given the password, still repairs it; a stash is to be recreated', () => {
    // One CR LF pair is what an original that held it and gained a byte looks like too, or
    // one whose LF gained a CR by chance and was damaged elsewhere (transfer-damage.ts):
    // no claim, and no repair from structure alone.
    const one = names().filter((name) => lfsAt(originals.get(name)!.bytes).length === 1);
    expect(one.length).toBeGreaterThanOrEqual(3);
    for (const name of one) {
      const o = originals.get(name)!;
      const damaged = everyLfToCrlf(o.bytes);
      const d = diagnoseTransferDamage(damaged);
      expect(d.damaged && d.kind, name).toBe('unknown');
      if (o.mac) {
        const repaired = verifiedRepair(damaged, () => o.password!);
        expect(same(repaired.original, o.bytes), name).toBe(true);
        o.open(repaired.original);
      } else {
        expect(d.damaged && d.message, name).toMatch(/^the stash file is damaged: .* Recreate it from the database password \(keydesk -keydb -stashpw -db DATABASE -pw PASSWORD\)/);
        expect(() => verifiedRepair(damaged, () => o.password!), name).toThrow(/Recreate it from the database password .* No repaired copy was written\.$/);
      }
    }
  });

  it('every CR LF → LF: with the password, a format with a MAC comes back exactly; without one, only a certain diagnosis is repaired', () => {
    let macRepairs = 0;
    for (const name of names()) {
      const o = originals.get(name)!;
      const damaged = crlfToLf(o.bytes);
      if (same(damaged, o.bytes)) continue; // no CR LF in it
      const d = diagnoseTransferDamage(damaged);
      expect(d.damaged, name).toBe(true);
      if (d.damaged && d.repaired) expect(same(d.repaired, o.bytes), name).toBe(true);
      const repaired = repairWith(damaged, o.password);
      if (o.mac) {
        // The MAC settles what structure cannot (a CR LF lost inside an iteration count or
        // a ciphertext), so the diagnosis may well have said only "damaged".
        expect(repaired && same(repaired, o.bytes), name).toBe(true);
        o.open(repaired!);
        macRepairs++;
      } else {
        expect(repaired !== undefined, name).toBe(d.damaged && d.repaired !== undefined);
        if (repaired) expect(same(repaired, o.bytes), name).toBe(true);
      }
    }
    expect(macRepairs).toBeGreaterThanOrEqual(3); // KeyDesk's CMS v6, v4 and PKCS#12 hold CR LF
  });
});

describe('what the password changes', () => {
  it('a MAC-protected file is refused without a password, and with a wrong one', () => {
    for (const name of ['KeyDesk CMS v6 .kdb', 'KeyDesk PKCS#12', 'KeyDesk JKS']) {
      const damaged = everyLfToCrlf(originals.get(name)!.bytes);
      expect(() => verifiedRepair(damaged, undefined), name).toThrow(/needs the password: give -pw or -stashed/);
      expect(() => verifiedRepair(damaged, () => 'not-the-password'), name).toThrow(/password is wrong/);
    }
  });

  it('a stash repaired by structure must also hold the password given', () => {
    const o = originals.get('v1 stash, two LFs in its padding')!;
    const damaged = everyLfToCrlf(o.bytes);
    expect(same(verifiedRepair(damaged, undefined).original, o.bytes)).toBe(true);
    expect(() => verifiedRepair(damaged, () => 'another-password')).toThrow(/does not hold the password given/);
  });

  it('a file that reads as it is has nothing to repair', () => {
    expect(() => verifiedRepair(originals.get('KeyDesk CMS v6 .kdb')!.bytes, () => PW)).toThrow(/shows no damage from a text-mode transfer/);
  });
});

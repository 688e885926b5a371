import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmptyCmsStore, readCmsStore, sniffCms, writeCmsStore, type CmsFiles } from './cms';
import { readStash } from './cms-stash';
import { describeProtection, encryptPrivateKeyInfo } from '../crypto/encrypted-private-key';
import type { Entry, KeyStore, PersonalEntry, SignerEntry, UnknownEntry } from '../model/key-store';
import { haveKdbFixtures, hasTool, kdbcheckPath, kdbFixturesDir, makeTempDir, runTool } from '../testing/peer-tools';
import { errorOf } from '../testing/keydesk-error';

// ---------------------------------------------------------------------------------------
// Helpers

const SLOT = 5000;
const haveChecker = existsSync(kdbcheckPath) && hasTool('python3');

interface CheckReport {
  ok: boolean;
  version: number;
  count: number;
  verifier_ok: boolean;
  mac_ok: boolean | null;
  problems: string[];
  records: { slot: number; kind: string; label: string; flags: string; field: number }[];
}

/** kdbcheck.py as a peer: an independent reading of the same bytes. */
function kdbcheck(file: string, password: string): { status: number | null; report: CheckReport } {
  const run = spawnSync('python3', [kdbcheckPath, file, '--pw', password], { encoding: 'utf8' });
  if (run.error || !run.stdout) throw new Error(`kdbcheck.py did not run: ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) as CheckReport };
}

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(kdbFixturesDir, name)));
}

function fixtureFiles(stem: string): CmsFiles {
  const files: CmsFiles = { kdb: fixture(`${stem}.kdb`) };
  if (existsSync(join(kdbFixturesDir, `${stem}.rdb`))) files.rdb = fixture(`${stem}.rdb`);
  if (existsSync(join(kdbFixturesDir, `${stem}.crl`))) files.crl = fixture(`${stem}.crl`);
  return files;
}

/** The password, learned the way a user would: from the stash beside the database. */
const passwordOf = (stem: string): string => readStash(fixture(`${stem}.sth`));


const headerSize = (bytes: Uint8Array): number => 0x30 + 2 * ({ 3: 16, 4: 20, 6: 48 } as Record<number, number>)[bytes[2]!]!;
const slotsOf = (bytes: Uint8Array): Buffer[] => {
  const out: Buffer[] = [];
  for (let p = headerSize(bytes); p < bytes.length; p += SLOT) out.push(Buffer.from(bytes.subarray(p, p + SLOT)));
  return out;
};

/** Recomputes a v4/v6 file's verifier and MAC, so a test can plant a crafted slot. */
function resign(bytes: Uint8Array, password: string): Uint8Array {
  const out = new Uint8Array(bytes);
  const m = out[2] === 6 ? 48 : 20;
  const alg = out[2] === 6 ? 'sha384' : 'sha1';
  out.set(createHmac(alg, password).update(out.subarray(0, 0x30)).digest(), 0x30);
  const mac = createHmac(alg, password).update(out.subarray(0, 0x30 + m)).update(out.subarray(0x30 + 2 * m)).digest();
  out.set(mac, 0x30 + m);
  return out;
}

function spkiOfKey(pkcs8: Uint8Array): Buffer {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
}
function spkiOfCert(cert: Uint8Array): Buffer {
  return new X509Certificate(Buffer.from(cert)).publicKey.export({ type: 'spki', format: 'der' });
}

/** The EncryptedPrivateKeyInfo inside a personal slot (for checking how a key was stored). */
function epkiOfSlot(slot: Uint8Array): Uint8Array {
  // slot: type, number, length, record SEQUENCE { INTEGER, [2] { SEQUENCE { cert, epki } }, ... }
  const rec = slot.subarray(12, 12 + Buffer.from(slot).readUInt32BE(8));
  const walk = (b: Uint8Array, at: number): { c: number; end: number } => {
    let len = b[at + 1]!;
    let p = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
      p += n;
    }
    return { c: p, end: p + len };
  };
  const top = walk(rec, 0);
  const int = walk(rec, top.c);
  const content = walk(rec, int.end);
  const pair = walk(rec, content.c);
  const cert = walk(rec, pair.c);
  const epki = walk(rec, cert.end);
  return rec.slice(cert.end, epki.end);
}

/** The record SEQUENCE's INTEGER (GSKit puts the record number there). */
function recordInteger(slot: Uint8Array): number {
  const rec = slot.subarray(12);
  const at = rec[1]! & 0x80 ? 2 + (rec[1]! & 0x7f) : 2;
  let n = 0;
  for (let i = 0; i < rec[at + 1]!; i++) n = n * 256 + rec[at + 2 + i]!;
  return n;
}

const STEMS = ['gsk-v6-empty', 'gsk-v6-chained', 'gsk-v6-mixed', 'gsk-v4-signer', 'gsk-v3-empty'];

// ---------------------------------------------------------------------------------------
// Native files

describe.skipIf(!haveKdbFixtures)('CMS: native GSKit databases (skipped: ../shared/fixtures/kdb fixtures absent)', () => {
  it('sniffs every native container and nothing else', () => {
    const names = readdirSync(kdbFixturesDir);
    for (const n of names.filter((f) => /\.(kdb|rdb|crl)$/.test(f))) expect(sniffCms(fixture(n)), n).toBe(true);
    for (const n of names.filter((f) => f.endsWith('.sth'))) expect(sniffCms(fixture(n)), n).toBe(false);
    expect(sniffCms(new Uint8Array(0))).toBe(false);
    expect(sniffCms(Buffer.from('-----BEGIN CERTIFICATE-----\nMII'))).toBe(false);
  });

  it('reads every native signer as trusted, and switches one off and on by its flag bit alone', () => {
    for (const stem of ['gsk-v6-chained', 'gsk-v4-signer']) {
      const files = fixtureFiles(stem);
      const password = passwordOf(stem);
      const store = readCmsStore(files, password);
      const signers = store.entries.filter((e): e is SignerEntry => e.kind === 'signer');
      expect(signers.length, stem).toBeGreaterThan(0);
      expect(signers.every((s) => s.trusted === undefined), stem).toBe(true);

      const target = signers[0]!;
      const off = { ...store, entries: store.entries.map((e) => (e === target ? { kind: 'signer' as const, label: target.label, certificate: target.certificate, trusted: false } : e)) };
      const written = writeCmsStore(off, password).kdb;
      // Outside the header (salts, verifier, MAC), one byte differs: the flag 0x80 became 0x00.
      const headerEnd = 0x30 + 2 * (store.properties.version === 4 ? 20 : 48);
      const differing = [...Buffer.from(written).subarray(headerEnd)].flatMap((b, i) => (b === files.kdb[headerEnd + i] ? [] : [[files.kdb[headerEnd + i], b]]));
      expect(differing, stem).toEqual([[0x80, 0x00]]);
      const reread = readCmsStore({ ...files, kdb: written }, password);
      expect(reread.entries.find((e) => e.label === target.label), stem).toMatchObject({ kind: 'signer', trusted: false });

      // Trusted again: GSKit's own bytes, the whole file as it was.
      const on = { ...reread, entries: reread.entries.map((e) => (e.label === target.label ? { kind: 'signer' as const, label: target.label, certificate: target.certificate } : e)) };
      expect(Buffer.from(writeCmsStore(on, password).kdb).equals(Buffer.from(files.kdb)), stem).toBe(true);
    }
  });

  for (const stem of STEMS) {
    describe(stem, () => {
      const files = haveKdbFixtures ? fixtureFiles(stem) : ({ kdb: new Uint8Array(0) } as CmsFiles);
      const password = haveKdbFixtures ? passwordOf(stem) : '';

      it.skipIf(!haveChecker)('reads the same entries, labels, kinds and version as kdbcheck.py', () => {
        const store = readCmsStore(files, password);
        const kdb = kdbcheck(join(kdbFixturesDir, `${stem}.kdb`), password).report;
        expect(kdb.ok).toBe(true);
        expect(store.format).toBe('cms');
        expect(store.properties.version).toBe(kdb.version);
        expect(store.properties.macChecked).toBe(kdb.mac_ok === true);
        const fromKdb = store.entries.filter((e) => e.kind !== 'request');
        expect(fromKdb.map((e) => [e.kind, e.label])).toEqual(kdb.records.map((r) => [r.kind, r.label]));
        if (files.rdb) {
          const rdb = kdbcheck(join(kdbFixturesDir, `${stem}.rdb`), password).report;
          expect(rdb.ok).toBe(true);
          expect(store.entries.filter((e) => e.kind === 'request').length).toBe(rdb.count);
        }
        if (files.crl) {
          const crl = kdbcheck(join(kdbFixturesDir, `${stem}.crl`), password).report;
          expect(crl.ok).toBe(true);
          expect(store.properties.crlCount).toBe(crl.count);
        }
      });

      it('decrypts every private key, and each matches its certificate', () => {
        const store = readCmsStore(files, password);
        expect(store.entries.some((e) => e.kind === 'unknown')).toBe(false);
        for (const e of store.entries.filter((x): x is PersonalEntry => x.kind === 'personal')) {
          expect(spkiOfKey(e.privateKey).equals(spkiOfCert(e.chain[0]!)), e.label).toBe(true);
        }
      });

      it('writes itself back byte for byte when nothing changed', () => {
        const store = readCmsStore(files, password);
        const out = writeCmsStore(store, password);
        if (store.properties.version === 3) {
          // Version 3 is never written; 4 is what GSKit 7 and 8 both open.
          expect(out.version).toBe(4);
          expect(out.notes.join(' ')).toMatch(/saved as version 4/);
          return;
        }
        expect(out.notes).toEqual([]);
        expect(Buffer.from(out.kdb).equals(Buffer.from(files.kdb))).toBe(true);
        if (files.rdb) expect(Buffer.from(out.rdb).equals(Buffer.from(files.rdb))).toBe(true);
        if (files.crl) expect(Buffer.from(out.crl!).equals(Buffer.from(files.crl))).toBe(true);
      });

      it('refuses a wrong password', () => {
        const e = errorOf(() => readCmsStore(files, `${password}x`));
        expect(e.code).toBe('wrong-password');
        expect(e.message).toMatch(/the password is wrong/);
      });

      it('reports truncation and ASCII-mode damage with the lengths', () => {
        const cut = files.kdb.subarray(0, files.kdb.length - 1);
        const e = errorOf(() => readCmsStore({ kdb: cut }, password));
        expect(e.code).toBe('damaged');
        expect(e.message).toMatch(new RegExp(`file is ${cut.length} bytes but its header promises .* truncated or transferred in ASCII mode`));
        // What an ASCII-mode FTP upload from Unix to Windows does: LF -> CR LF.
        const ascii = Buffer.from(Buffer.from(files.kdb).toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
        if (ascii.length !== files.kdb.length) expect(errorOf(() => readCmsStore({ kdb: ascii }, password)).code).toBe('damaged');
      });
    });
  }

  it('keeps the GSKit v6 key scheme: PBES2, PBKDF2-HMAC-SHA384, 8-byte salt, 5 iterations', () => {
    for (const stem of ['gsk-v6-mixed', 'gsk-v6-chained']) {
      const store = readCmsStore(fixtureFiles(stem), 'password');
      for (const e of store.entries.filter((x) => x.kind === 'personal')) {
        expect(describeProtection(epkiOfSlot(e.source!.bytes))).toMatchObject({
          protection: 'pbes2-sha384-aes256',
          iterations: 5,
          saltLength: 8,
        });
      }
    }
  });

  it('reports the v3 MAC as unchecked and explains the save version', () => {
    const store = readCmsStore(fixtureFiles('gsk-v3-empty'), '123');
    expect(store.properties).toMatchObject({ version: 3, macChecked: false, damagedRecords: 0 });
    expect(String(store.properties.savedVersionNote)).toMatch(/version 4, which GSKit 7 and 8 both open \(version 6 only if you ask for it\)/);
  });

  it('says "damaged", not "wrong password", when the password is right but a record changed', () => {
    for (const stem of ['gsk-v6-mixed', 'gsk-v4-signer']) {
      const kdb = new Uint8Array(fixture(`${stem}.kdb`));
      kdb[kdb.length - 4000] = kdb[kdb.length - 4000]! ^ 0x01;
      const e = errorOf(() => readCmsStore({ kdb }, passwordOf(stem)));
      expect(e.code).toBe('damaged');
      expect(e.message).toMatch(/integrity check fails/);
    }
  });

  it('tells a wrong file from a damaged one', () => {
    const kdb = new Uint8Array(fixture('gsk-v6-mixed.kdb'));
    kdb[0] = 0x38;
    expect(errorOf(() => readCmsStore({ kdb }, 'password')).code).toBe('not-a-keystore');
    expect(errorOf(() => readCmsStore({ kdb: fixture('gsk-v6-mixed.sth') }, 'password')).code).toBe('not-a-keystore');
    const rdbAsKdb = errorOf(() => readCmsStore({ kdb: fixture('gsk-v4-signer.rdb') }, 'senha'));
    expect(rdbAsKdb.code).toBe('not-a-keystore');
    expect(rdbAsKdb.message).toMatch(/request database.*open the \.kdb/);
    const headerOnly = fixture('gsk-v6-mixed.kdb').subarray(0, 100);
    expect(errorOf(() => readCmsStore({ kdb: headerOnly }, 'password')).code).toBe('damaged');
  });

  it('refuses a companion .rdb that another password protects', () => {
    const other = writeCmsStore(createEmptyCmsStore(), 'not-senha');
    const e = errorOf(() => readCmsStore({ kdb: fixture('gsk-v4-signer.kdb'), rdb: other.rdb }, 'senha'));
    expect(e.code).toBe('damaged');
    expect(e.message).toMatch(/request database/);
  });

  describe.skipIf(!haveChecker)('rewriting native databases (kdbcheck.py must accept every result)', () => {
    const tmp = makeTempDir();
    afterAll(() => tmp.cleanup());
    const check = (name: string, bytes: Uint8Array, password: string): CheckReport => {
      const file = join(tmp.dir, name);
      writeFileSync(file, bytes);
      const { status, report } = kdbcheck(file, password);
      expect(report.problems).toEqual([]);
      expect(status).toBe(0);
      return report;
    };

    it('saves a v3 database as v4 by default, and as v6 when asked', () => {
      const v3 = readCmsStore(fixtureFiles('gsk-v3-empty'), '123');
      for (const [options, version] of [[{}, 4], [{ version: 6 as const }, 6]] as const) {
        const out = writeCmsStore(v3, '123', options);
        expect(out.kdb[2]).toBe(version);
        check(`v3-as-v${version}.kdb`, out.kdb, '123');
        check(`v3-as-v${version}.rdb`, out.rdb, '123');
        check(`v3-as-v${version}.crl`, out.crl!, '123');
        expect(readCmsStore({ kdb: out.kdb, rdb: out.rdb, crl: out.crl }, '123').properties.version).toBe(version);
      }
    });

    it('changes the password: keys re-encrypted, certificate-only slots copied', () => {
      const before = readCmsStore(fixtureFiles('gsk-v6-mixed'), 'password');
      const out = writeCmsStore(before, 'n3w-Pässword');
      check('newpw.kdb', out.kdb, 'n3w-Pässword');
      expect(errorOf(() => readCmsStore({ kdb: out.kdb }, 'password')).code).toBe('wrong-password');
      const after = readCmsStore({ kdb: out.kdb }, 'n3w-Pässword');
      expect(stripSources(after.entries)).toEqual(stripSources(before.entries));
      const oldSlots = slotsOf(fixture('gsk-v6-mixed.kdb'));
      const newSlots = slotsOf(out.kdb);
      expect(newSlots[0]!.equals(oldSlots[0]!)).toBe(false); // rsa-keypair: re-encrypted
      expect(newSlots[2]!.equals(oldSlots[2]!)).toBe(true); // trusted-root-ca: copied
      expect(describeProtection(epkiOfSlot(newSlots[0]!))).toMatchObject({ protection: 'pbes2-sha384-aes256', iterations: 5, saltLength: 8 });
    });

    it('renumbers after a deletion: number field and DER INTEGER change, encrypted keys are copied', () => {
      const store = readCmsStore(fixtureFiles('gsk-v6-mixed'), 'password');
      store.entries = store.entries.filter((e) => e.label !== 'rsa-keypair');
      const out = writeCmsStore(store, 'password');
      const report = check('deleted.kdb', out.kdb, 'password');
      expect(report.records.map((r) => r.label)).toEqual(['ec-keypair', 'trusted-root-ca', 'trusted-intermediate-ca']);
      const oldSlots = slotsOf(fixture('gsk-v6-mixed.kdb'));
      const newSlots = slotsOf(out.kdb);
      newSlots.forEach((slot, i) => {
        expect(slot.readUInt32BE(4)).toBe(i + 1);
        expect(recordInteger(slot)).toBe(i + 1);
      });
      // Same key bytes, not re-encrypted: only the numbering moved.
      expect(Buffer.from(epkiOfSlot(newSlots[0]!)).equals(Buffer.from(epkiOfSlot(oldSlots[1]!)))).toBe(true);
      // Slot bytes differ from the original in exactly the two places holding the number.
      const diff = [...newSlots[1]!].flatMap((b, i) => (b === oldSlots[2]![i] ? [] : [i]));
      expect(diff.length).toBe(2);
      const reread = readCmsStore({ kdb: out.kdb }, 'password');
      expect(stripSources(reread.entries)).toEqual(stripSources(store.entries));
    });

    it('adds a signer: every record GSKit wrote goes back byte for byte, only the new one is encoded', () => {
      for (const stem of ['gsk-v6-mixed', 'gsk-v4-signer']) {
        const password = passwordOf(stem);
        const store = readCmsStore(fixtureFiles(stem), password);
        const other = readCmsStore(fixtureFiles('gsk-v6-chained'), passwordOf('gsk-v6-chained')).entries.find((e): e is SignerEntry => e.kind === 'signer')!;
        store.entries.push({ kind: 'signer', label: 'added partner', certificate: other.certificate });
        const out = writeCmsStore(store, password);
        const report = check(`${stem}-added.kdb`, out.kdb, password);
        expect(report.records.at(-1)).toMatchObject({ kind: 'signer', label: 'added partner' });
        const oldSlots = slotsOf(fixture(`${stem}.kdb`));
        const newSlots = slotsOf(out.kdb);
        expect(newSlots).toHaveLength(oldSlots.length + 1);
        oldSlots.forEach((slot, i) => expect(newSlots[i]!.equals(slot), `${stem} record ${i + 1}`).toBe(true));
      }
    });

    it('re-opens the bytes it has just sealed without a second MAC pass, but checks any other copy of them', () => {
      const password = passwordOf('gsk-v6-mixed');
      const out = writeCmsStore(readCmsStore(fixtureFiles('gsk-v6-mixed'), password), password);
      expect(readCmsStore({ kdb: out.kdb }, password).properties.macChecked).toBe(true);
      const copy = out.kdb.slice();
      copy[copy.length - 1] = copy[copy.length - 1]! ^ 0x01;
      expect(errorOf(() => readCmsStore({ kdb: copy }, password)).code).toBe('damaged');
      expect(errorOf(() => readCmsStore({ kdb: out.kdb }, 'not-the-password')).code).toBe('wrong-password');
    });

    it('re-opening what it sealed gives the same entries as parsing a copy of the bytes (unchanged signers are not parsed again)', () => {
      for (const stem of ['gsk-v6-mixed', 'gsk-v4-signer', 'gsk-v6-chained']) {
        const password = passwordOf(stem);
        const store = readCmsStore(fixtureFiles(stem), password);
        const signers = store.entries.filter((e): e is SignerEntry => e.kind === 'signer');
        // Unchanged signers, one renamed, one no longer trusted, one added: only the
        // unchanged ones go back as the very slots they were read from.
        if (signers[1]) signers[1].label = 'renamed signer';
        if (signers[2]) signers[2].trusted = false;
        const other = readCmsStore(fixtureFiles('gsk-v6-chained'), passwordOf('gsk-v6-chained')).entries.find((e): e is SignerEntry => e.kind === 'signer')!;
        store.entries.push({ kind: 'signer', label: 'added partner', certificate: other.certificate });
        const out = writeCmsStore(store, password);
        check(`${stem}-reopened.kdb`, out.kdb, password);
        const reopened = readCmsStore({ kdb: out.kdb }, password);
        const parsed = readCmsStore({ kdb: out.kdb.slice() }, password);
        expect(reopened.entries.map((e) => e.source?.bytes)).toEqual(parsed.entries.map((e) => e.source?.bytes));
        expect(stripSources(reopened.entries)).toEqual(stripSources(parsed.entries));
        expect(reopened.entries.map((e) => e.source?.sealed)).toEqual(parsed.entries.map((e) => e.source?.sealed));
        expect(parsed.entries.map((e) => e.label)).toEqual(store.entries.map((e) => e.label));
        // The first signer went back unchanged, so it was not parsed again: it holds the very
        // certificate bytes of the entry that was saved.
        const kept = reopened.entries.find((e): e is SignerEntry => e.kind === 'signer' && e.label === signers[0]!.label)!;
        expect(kept.certificate).toBe(signers[0]!.certificate);
      }
    });

    it('re-derives a signer record whose trust changed, even from a sealed file', () => {
      const store = readCmsStore(fixtureFiles('gsk-v6-mixed'), 'password');
      const signer = store.entries.find((e): e is SignerEntry => e.kind === 'signer')!;
      expect(signer.source?.sealed).toBe(true);
      signer.trusted = false;
      const out = writeCmsStore(store, 'password');
      check('untrusted.kdb', out.kdb, 'password');
      const reread = readCmsStore({ kdb: out.kdb }, 'password').entries.find((e) => e.label === signer.label) as SignerEntry;
      expect(reread.trusted).toBe(false);
    });

    it('converts v6 to v4 with the GSKit v4 key scheme (PKCS#12 3DES, 20-byte salt, 10 iterations)', () => {
      const before = readCmsStore(fixtureFiles('gsk-v6-chained'), 'password');
      const out = writeCmsStore(before, 'password', { version: 4 });
      expect(out.version).toBe(4);
      expect(out.notes.join(' ')).toMatch(/version 4 \(it was version 6\)/);
      check('to-v4.kdb', out.kdb, 'password');
      check('to-v4.rdb', out.rdb, 'password');
      const after = readCmsStore({ kdb: out.kdb }, 'password');
      expect(stripSources(after.entries)).toEqual(stripSources(before.entries));
      const personal = after.entries.find((e) => e.kind === 'personal')!;
      expect(describeProtection(epkiOfSlot(personal.source!.bytes))).toMatchObject({
        protection: 'pkcs12-sha1-3des',
        iterations: 10,
        saltLength: 20,
      });
      // And back: v4 -> v6 must come out as valid as GSKit's own.
      check('back-to-v6.kdb', writeCmsStore(after, 'password', { version: 6 }).kdb, 'password');
    });
  });

  it('keeps entries it does not understand, byte for byte', () => {
    // Plant a record whose content tag is [5] (unknown) in place of slot 1, then re-sign.
    const kdb = new Uint8Array(fixture('gsk-v6-chained.kdb'));
    const slot1 = headerSize(kdb);
    const contentTagAt = slot1 + 12 + 4 + 3; // slot header, SEQUENCE header (4), INTEGER (3)
    expect(kdb[contentTagAt]).toBe(0xa1);
    kdb[contentTagAt] = 0xa5;
    const planted = resign(kdb, 'password');
    const store = readCmsStore({ kdb: planted }, 'password');
    const unknown = store.entries[0] as UnknownEntry;
    expect(unknown).toMatchObject({ kind: 'unknown', label: 'root-ca' });
    expect(unknown.reason).toMatch(/tag 0xa5/);
    expect(Buffer.from(writeCmsStore(store, 'password').kdb).equals(Buffer.from(planted))).toBe(true);
    // Moved to another position it is renumbered, its content untouched.
    store.entries.push(store.entries.shift()!);
    const moved = slotsOf(writeCmsStore(store, 'password').kdb);
    expect(moved[2]!.readUInt32BE(4)).toBe(3);
    expect(recordInteger(moved[2]!)).toBe(3);
    expect(moved[2]!.subarray(20).includes(Buffer.from('root-ca'))).toBe(true);
  });

  it('keeps a key it cannot decrypt as an unknown entry', () => {
    // A personal slot whose key is encrypted under another password.
    const foreign = writeCmsStore(readCmsStore(fixtureFiles('gsk-v6-mixed'), 'password'), 'other');
    const kdb = new Uint8Array(fixture('gsk-v6-mixed.kdb'));
    kdb.set(foreign.kdb.subarray(headerSize(foreign.kdb), headerSize(foreign.kdb) + SLOT), headerSize(kdb));
    const planted = resign(kdb, 'password');
    const store = readCmsStore({ kdb: planted }, 'password');
    expect(store.entries[0]).toMatchObject({ kind: 'unknown', label: 'rsa-keypair' });
    expect((store.entries[0] as UnknownEntry).reason).toMatch(/does not decrypt with the database password/);
    expect(Buffer.from(writeCmsStore(store, 'password').kdb).equals(Buffer.from(planted))).toBe(true);
  });
});

function stripSources(entries: Entry[]): unknown[] {
  return entries.map((e) => {
    const { source, ...rest } = e;
    void source;
    return rest;
  });
}

// ---------------------------------------------------------------------------------------
// New databases, with keys and certificates made by OpenSSL at test time.

interface Material {
  caCert: Uint8Array;
  rsa: { key: Uint8Array; cert: Uint8Array };
  ec: { key: Uint8Array; cert: Uint8Array };
  csr: Uint8Array;
  csrKey: Uint8Array;
  bigCert: Uint8Array;
  bigKey: Uint8Array;
}

describe.skipIf(!hasTool('openssl'))('CMS: new databases (skipped: openssl missing)', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());
  let m: Material;

  beforeAll(() => {
    const o = (...args: string[]): Buffer => runTool('openssl', args, { cwd: tmp.dir });
    const pem = (f: string): string => readFileSync(join(tmp.dir, f), 'utf8');
    const certDer = (f: string): Uint8Array => new Uint8Array(new X509Certificate(pem(f)).raw);
    const keyDer = (f: string): Uint8Array => new Uint8Array(createPrivateKey(pem(f)).export({ type: 'pkcs8', format: 'der' }));
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/O=KeyDesk Test/CN=KeyDesk Test CA', '-addext', 'basicConstraints=critical,CA:TRUE');
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rsa.key', '-out', 'rsa.csr', '-subj', '/CN=QM1/O=KeyDesk Test');
    o('x509', '-req', '-in', 'rsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'rsa.pem', '-days', '30');
    o('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key', '-out', 'ec.csr', '-subj', '/CN=QM2/O=KeyDesk Test');
    o('x509', '-req', '-in', 'ec.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'ec.pem', '-days', '30', '-sha384');
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'pending.key', '-out', 'pending.csr', '-outform', 'DER', '-subj', '/CN=QM3/O=KeyDesk Test');
    const san = Array.from({ length: 300 }, (_, i) => `DNS:host-${i}.example.com`).join(',');
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'big.key', '-out', 'big.pem', '-days', '30', '-subj', '/CN=big', '-addext', `subjectAltName=${san}`);
    m = {
      caCert: certDer('ca.pem'),
      rsa: { key: keyDer('rsa.key'), cert: certDer('rsa.pem') },
      ec: { key: keyDer('ec.key'), cert: certDer('ec.pem') },
      csr: new Uint8Array(readFileSync(join(tmp.dir, 'pending.csr'))),
      csrKey: keyDer('pending.key'),
      bigCert: certDer('big.pem'),
      bigKey: keyDer('big.key'),
    };
  });

  const sample = (): KeyStore => {
    const store = createEmptyCmsStore();
    store.entries.push(
      { kind: 'signer', label: 'KeyDesk Test CA', certificate: m.caCert },
      { kind: 'personal', label: 'ibmwebspheremqqm1', privateKey: m.rsa.key, chain: [m.rsa.cert] },
      { kind: 'personal', label: 'ibmwebspheremqqm2', privateKey: m.ec.key, chain: [m.ec.cert] },
      { kind: 'request', label: 'ibmwebspheremqqm3', csr: m.csr, privateKey: m.csrKey },
    );
    return store;
  };

  for (const version of [6, 4] as const) {
    it(`writes a version-${version} database that kdbcheck.py accepts and reads it back`, () => {
      const store = sample();
      const out = writeCmsStore(store, 'Secret-123', { version });
      expect(out.version).toBe(version);
      expect(out.notes).toEqual([]);
      expect(out.kdb[2]).toBe(version);
      expect(out.kdb.length).toBe(0x30 + 2 * (version === 6 ? 48 : 20) + 3 * SLOT);
      if (haveChecker) {
        const file = join(tmp.dir, `new-v${version}.kdb`);
        writeFileSync(file, out.kdb);
        const { status, report } = kdbcheck(file, 'Secret-123');
        expect(report.problems).toEqual([]);
        expect(status).toBe(0);
        expect(report.records.map((r) => [r.kind, r.label, r.flags, r.field])).toEqual([
          ['signer', 'KeyDesk Test CA', '03020780', 0],
          ['personal', 'ibmwebspheremqqm1', '03020780', 0],
          ['personal', 'ibmwebspheremqqm2', '03020780', 0],
        ]);
        // The request database passes the checker too.
        const rdbFile = join(tmp.dir, `new-v${version}.rdb`);
        writeFileSync(rdbFile, out.rdb);
        const rdb = kdbcheck(rdbFile, 'Secret-123').report;
        expect(rdb).toMatchObject({ verifier_ok: true, mac_ok: true, count: 1, problems: [] });
        expect(rdb.records[0]).toMatchObject({ kind: 'request', label: 'ibmwebspheremqqm3', flags: '03020780' });
      }
      const back = readCmsStore({ kdb: out.kdb, rdb: out.rdb, crl: out.crl }, 'Secret-123');
      expect(back.properties).toMatchObject({ version, macChecked: true, crlCount: 0 });
      expect(stripSources(back.entries)).toEqual(stripSources(store.entries));
      for (const e of back.entries.filter((x): x is PersonalEntry => x.kind === 'personal')) {
        expect(spkiOfKey(e.privateKey).equals(spkiOfCert(e.chain[0]!))).toBe(true);
        expect(describeProtection(epkiOfSlot(e.source!.bytes)).protection).toBe(version === 6 ? 'pbes2-sha384-aes256' : 'pkcs12-sha1-3des');
      }
      // read -> write -> read is stable, and the second write is byte-identical.
      const again = writeCmsStore(back, 'Secret-123');
      expect(again.version).toBe(version);
      expect(Buffer.from(again.kdb).equals(Buffer.from(out.kdb))).toBe(true);
      expect(Buffer.from(again.rdb).equals(Buffer.from(out.rdb))).toBe(true);
    });
  }

  it('stores a chain that came with a personal entry as signers, and says so', () => {
    const store = createEmptyCmsStore();
    store.entries.push({ kind: 'personal', label: 'qm1', privateKey: m.rsa.key, chain: [m.rsa.cert, m.caCert] });
    const out = writeCmsStore(store, 'pw');
    expect(out.notes.join(' ')).toMatch(/added signer "KeyDesk Test CA"/);
    const back = readCmsStore({ kdb: out.kdb }, 'pw');
    expect(back.entries.map((e) => [e.kind, e.label])).toEqual([
      ['personal', 'qm1'],
      ['signer', 'KeyDesk Test CA'],
    ]);
    expect(Buffer.from((back.entries[1] as SignerEntry).certificate).equals(Buffer.from(m.caCert))).toBe(true);
    // Already present as a signer: nothing added.
    const withSigner = createEmptyCmsStore();
    withSigner.entries.push(
      { kind: 'signer', label: 'ca', certificate: m.caCert },
      { kind: 'personal', label: 'qm1', privateKey: m.rsa.key, chain: [m.rsa.cert, m.caCert] },
    );
    expect(writeCmsStore(withSigner, 'pw').notes).toEqual([]);
  });

  it('refuses labels that differ only in case, and empty labels', () => {
    const store = sample();
    store.entries.push({ kind: 'signer', label: 'keydesk test ca', certificate: m.ec.cert });
    const e = errorOf(() => writeCmsStore(store, 'pw'));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/differ only in case/);
    const empty = createEmptyCmsStore();
    empty.entries.push({ kind: 'signer', label: '', certificate: m.caCert });
    expect(errorOf(() => writeCmsStore(empty, 'pw')).code).toBe('usage');
  });

  it('refuses an entry too large for a 5000-byte record, naming it', () => {
    expect(m.bigCert.length).toBeGreaterThan(SLOT);
    const store = createEmptyCmsStore();
    store.entries.push({ kind: 'personal', label: 'too-big', privateKey: m.bigKey, chain: [m.bigCert] });
    const e = errorOf(() => writeCmsStore(store, 'pw'));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/"too-big".*5000-byte/);
  });

  it('keeps secret keys only as they were read', () => {
    // A [3] record as GSKit might hold one: an AES key in a PKCS#8-shaped wrapper.
    const aes = Buffer.from('0123456789abcdef0123456789abcdef');
    const aesOid = Buffer.from('060960864801650304012a', 'hex'); // 2.16.840.1.101.3.4.1.42
    const body = Buffer.concat([Buffer.from('020100', 'hex'), Buffer.from([0x30, aesOid.length]), aesOid, Buffer.from([0x04, aes.length]), aes]);
    const pkcs8 = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    const epki = encryptPrivateKeyInfo(pkcs8, 'pw', 'pbes2-sha384-aes256', { iterations: 5, saltLength: 8, encoding: 'gskit' });
    const label = Buffer.from('aes-key');
    const rec = Buffer.concat([
      Buffer.from([0x30, 0x82]),
      Buffer.alloc(2),
      Buffer.from([0x02, 0x01, 0x01, 0xa3, 0x82, (epki.length >> 8) & 0xff, epki.length & 0xff]),
      epki,
      Buffer.from([0x1a, label.length]),
      label,
      Buffer.from([0x03, 0x02, 0x07, 0x80]),
    ]);
    rec.writeUInt16BE(rec.length - 4, 2);
    const slot = Buffer.alloc(SLOT);
    slot.writeUInt32BE(1, 0);
    slot.writeUInt32BE(1, 4);
    slot.writeUInt32BE(rec.length, 8);
    rec.copy(slot, 12);
    slot.writeUInt32BE(label.length, 12 + rec.length);
    label.copy(slot, 16 + rec.length);
    // Build a one-slot v6 file around it with the writer's header, then plant the slot.
    const shell = writeCmsStore({ ...createEmptyCmsStore(), entries: [{ kind: 'signer', label: 'x', certificate: m.caCert }] }, 'pw').kdb;
    const kdb = new Uint8Array(shell);
    kdb.set(slot, headerSize(kdb));
    const planted = resign(kdb, 'pw');
    const store = readCmsStore({ kdb: planted }, 'pw');
    expect(store.entries[0]).toMatchObject({ kind: 'secret', label: 'aes-key', algorithm: '2.16.840.1.101.3.4.1.42' });
    expect(Buffer.from((store.entries[0] as { key: Uint8Array }).key).equals(aes)).toBe(true);
    expect(Buffer.from(writeCmsStore(store, 'pw').kdb).equals(Buffer.from(planted))).toBe(true);
    expect(errorOf(() => writeCmsStore(store, 'new-pw')).code).toBe('unsupported');
  });
});

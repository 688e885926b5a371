/**
 * Text-mode transfer damage on every binary format KeyDesk reads. Each original is made
 * at test time (openssl, keytool, KeyDesk's own CMS writer) or read from the native GSKit
 * fixtures, then damaged the two ways an ASCII-mode FTP transfer does it; a repair, when
 * offered, must be the original byte for byte. A CR LF → LF transfer is named only where
 * the evidence rule in transfer-damage.ts holds (the CR put back where a check pins it);
 * elsewhere the file is said to be damaged, and the password settles it
 * (core/operations/repair-transfer-damage.test.ts). LF → CR LF is named only with two
 * CR LF pairs or more; a file with one LF, so one pair, is called damaged. Random damage:
 * that file's fuzz test.
 *
 * Where an original is made at random (a stash's padding, a key, a signature), the
 * generator is run until the original has the shape a test's claim depends on, so that
 * the claim holds for every such original, not just for likely ones.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeContent, diagnoseTransferDamage } from './transfer-damage';
import { writeStash } from './cms-stash';
import { createEmptyCmsStore, writeCmsStore } from './cms';
import { haveKdbFixtures, hasTool, kdbFixturesDir, makeTempDir, missingNote, runTool } from '../testing/peer-tools';

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');
/** FTP from Unix to Windows: every LF gains a CR. */
const everyLfToCrlf = (b: Uint8Array): Buffer => bytesOf(latin1(b).replace(/\n/g, '\r\n'));
/** unix2dos-style: only a LF without a CR before it gains one. */
const loneLfToCrlf = (b: Uint8Array): Buffer => bytesOf(latin1(b).replace(/(?<!\r)\n/g, '\r\n'));
/** FTP from Windows to Unix: every CR LF loses its CR. */
const crlfToLf = (b: Uint8Array): Buffer => bytesOf(latin1(b).replace(/\r\n/g, '\n'));
const hasCrlf = (b: Uint8Array): boolean => latin1(b).includes('\r\n');
const hasLf = (b: Uint8Array): boolean => latin1(b).includes('\n');
const crlfCount = (b: Uint8Array): number => latin1(b).split('\r\n').length - 1;
const lfCount = (b: Uint8Array): number => latin1(b).split('\n').length - 1;
const CR_BYTE = 0x0d;
const LF_BYTE = 0x0a;

const REPAIRABLE = ' — or use the repaired copy KeyDesk can write.';
const lfMessage = (what: string, repairable: boolean): string =>
  `the ${what} was transferred in text (ASCII) mode: every line feed became CR LF. Send it again in binary mode${repairable ? REPAIRABLE : '.'}`;
const crlfMessage = (what: string, repairable: boolean): string =>
  `the ${what} was transferred in text (ASCII) mode: every CR LF became a single line feed. Send it again in binary mode${repairable ? REPAIRABLE : '.'}`;
const damagedMessage = (what: string): string =>
  `the ${what} is damaged: bytes in it were lost, added or changed. ` +
  (what === 'stash file'
    ? 'Recreate it from the database password (keydesk -keydb -stashpw -db DATABASE -pw PASSWORD), or get a fresh copy, transferred in binary mode.'
    : 'Get a fresh copy, transferred in binary mode.');

/** Asserts the diagnosis of one damaged copy: kind, message, and a repair (`'exact'`:
 * offered and equal to the original; `'none'`: not offered; `'if-offered'`: equal when
 * offered, which is all that can be promised where several originals fit). */
function expectDiagnosis(original: Uint8Array, damaged: Uint8Array, kind: 'lf-to-crlf' | 'crlf-to-lf' | 'unknown', what: string, repair: 'exact' | 'none' | 'if-offered'): void {
  const d = diagnoseTransferDamage(damaged);
  expect(d.damaged).toBe(true);
  if (!d.damaged) return;
  expect(d.kind).toBe(kind);
  if (d.kind === 'unknown') {
    expect(d.message).toBe(damagedMessage(what));
    expect(d.repaired).toBeUndefined();
    return;
  }
  const repaired = d.repaired !== undefined;
  expect(d.message).toBe(kind === 'lf-to-crlf' ? lfMessage(what, repaired) : crlfMessage(what, repaired));
  if (repair === 'exact') expect(repaired).toBe(true);
  if (repair === 'none') expect(repaired).toBe(false);
  if (d.repaired) expect(Buffer.from(d.repaired).equals(Buffer.from(original))).toBe(true);
}

/** Both damages on an original; the crlf-to-lf one only exists if it holds CR LF.
 * `crlf`: what the CR LF → LF copy must give ('unknown': said to be damaged, no claim). */
function expectBothWays(original: Uint8Array, what: string, crlf: 'exact' | 'if-offered' | 'unknown' = 'exact'): void {
  expect(diagnoseTransferDamage(original)).toEqual({ damaged: false });
  expect(hasLf(original)).toBe(true);
  expectDiagnosis(original, everyLfToCrlf(original), 'lf-to-crlf', what, 'exact');
  if (!hasCrlf(original)) expect(diagnoseTransferDamage(crlfToLf(original))).toEqual({ damaged: false });
  else if (crlf === 'unknown') expectDiagnosis(original, crlfToLf(original), 'unknown', what, 'none');
  else expectDiagnosis(original, crlfToLf(original), 'crlf-to-lf', what, crlf);
}

let tmp: ReturnType<typeof makeTempDir>;
const path = (name: string): string => join(tmp.dir, name);
beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp?.cleanup());

/**
 * A self-signed certificate with the given serial (hex) as DER, whose only CR LF bytes are
 * the serial's: key and signature are random, and a CR LF next to a LF in them could make
 * two originals fit a damaged copy, which is right but not what a test wants to pin.
 */
function certificate(name: string, serial: string): Buffer {
  const wanted = crlfCount(Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex'));
  for (let attempt = 0; attempt < 50; attempt++) {
    runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-subj', `/CN=${name}`, '-days', '30', '-set_serial', `0x${serial}`, '-out', `${name}.pem`], { cwd: tmp.dir });
    const der = runTool('openssl', ['x509', '-in', `${name}.pem`, '-outform', 'DER'], { cwd: tmp.dir });
    if (crlfCount(der) === wanted) return der;
  }
  throw new Error('openssl kept making certificates with CR LF bytes in their keys or signatures');
}

describe('what files look like, and files that are not damaged', () => {
  it('describes text, binary and empty content', () => {
    expect(describeContent(new Uint8Array())).toBe('an empty file');
    expect(describeContent(Buffer.from('Hello,\r\nthe file follows.\r\n'))).toBe('text');
    expect(describeContent(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'))).toBe('a PEM certificate');
    expect(describeContent(Buffer.from('-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n'))).toBe('a private key');
    expect(describeContent(Buffer.concat([Buffer.of(0, 0xff, 0x13), randomBytes(500)]))).toBe('unknown binary data');
    expect(describeContent(writeStash('pw-1', 'v2'))).toBe('a stash file');
    expect(describeContent(writeStash('pw-1', 'v1'))).toBe('a stash file');
  });

  it('leaves text and unrecognised binary data alone', () => {
    expect(diagnoseTransferDamage(Buffer.from('line one\r\nline two\n'))).toEqual({ damaged: false });
    const noise = Buffer.concat([Buffer.of(0x00, 0xff), randomBytes(1000), Buffer.from('\r\n\r\n')]);
    expect(diagnoseTransferDamage(noise)).toEqual({ damaged: false });
  });
});

describe('stash files made by KeyDesk', () => {
  /** A fresh stash that holds what the test needs (its bytes are random). */
  function stashWhere(form: 'v1' | 'v2', wanted: (b: Uint8Array) => boolean): Uint8Array {
    for (let i = 0; i < 20_000; i++) {
      const stash = writeStash('Qm1-stash-pw', form);
      if (wanted(stash)) return stash;
    }
    throw new Error('no stash of the wanted shape turned up');
  }

  const crlfAt = (b: Uint8Array): number => latin1(b).indexOf('\r\n');
  const lfAt = (b: Uint8Array): number => latin1(b).indexOf('\n');

  it.each(['v1', 'v2'] as const)('repairs a %s stash whose LFs (two or more) became CR LF', (form) => {
    // Two pairs where nothing checks: random damage fakes that about once in a million.
    const stash = stashWhere(form, (b) => lfCount(b) >= 2 && !hasCrlf(b));
    expectDiagnosis(stash, everyLfToCrlf(stash), 'lf-to-crlf', 'stash file', 'exact');
    expect(diagnoseTransferDamage(crlfToLf(stash))).toEqual({ damaged: false });
  });

  it.each([
    ['v1', 'anywhere', 0, 129],
    ['v2', 'in its hashed first half', 0, 64],
    ['v2', 'in its obfuscated buffer', 64, 193],
  ] as const)('calls a %s stash whose one LF (%s) became CR LF damaged, and says to recreate it from the password', (form, _where, from, to) => {
    // One pair is what a stash that held a CR LF and gained a byte also looks like (1 in
    // 900), or one whose LF gained a CR by chance and whose padding was damaged too: even
    // where B = SHA-256(01 ‖ A) pins the pair, the padding is pinned by nothing.
    const stash = stashWhere(form, (b) => lfCount(b) === 1 && lfAt(b) >= from && lfAt(b) < to && !hasCrlf(b));
    expectDiagnosis(stash, everyLfToCrlf(stash), 'unknown', 'stash file', 'none');
  });

  it('does not take random edits in a v1 stash for a transfer because a CR came to stand before its one LF', () => {
    // Found by the fuzz test of repair-transfer-damage.test.ts: a 129-byte stash for
    // "Repair-pw-1" with bytes changed in its padding and a CR put in before its only LF.
    // One CR LF where nothing checks was all there was, and it "repaired" to other bytes.
    const damaged = Uint8Array.from([
      167, 144, 133, 148, 156, 135, 216, 133, 130, 216, 196, 245, 0, 242, 18, 129, 158, 164, 15, 126, 111, 19, 195, 131, 227, 213, 22, 108, 25, 155, 121, 34, 38, 102, 247, 105,
      38, 161, 55, 225, 156, 238, 241, 41, 93, 131, 240, 140, 121, 107, 34, 15, 162, 128, 188, 4, 31, 95, 11, 147, 42, 40, 119, 254, 105, 64, 135, 152, 2, 9, 8, 205, 249, 185,
      12, 129, 88, 188, 90, 136, 29, 98, 74, 4, 197, 192, 159, 202, 213, 167, 154, 218, 33, 176, 220, 93, 139, 166, 120, 115, 84, 66, 13, 10, 38, 132, 136, 211, 234, 153,
      176, 18, 113, 72, 212, 190, 59, 197, 39, 173, 166, 221, 249, 227, 59, 27, 175, 242, 26, 18,
    ]);
    expect(damaged).toHaveLength(130);
    expect(diagnoseTransferDamage(damaged)).toEqual({ damaged: true, kind: 'unknown', message: damagedMessage('stash file') });
  });

  it('repairs a v2 stash whose CR LF became LF when the CR LF was in its checked first half', () => {
    // Bytes 0–63 are A and B = SHA-256(01 ‖ A): a CR put back there must satisfy the hash.
    const stash = stashWhere('v2', (b) => crlfCount(b) === 1 && crlfAt(b) < 63);
    expectDiagnosis(stash, crlfToLf(stash), 'crlf-to-lf', 'stash file', 'exact');
  });

  it('calls a v2 stash whose CR LF became LF damaged, without naming the transfer, when the CR LF was in its obfuscated buffer', () => {
    // After byte 64 only "decodes to some password" is checked: a byte lost there and a CR
    // put back before a later LF would read the same, so the evidence is not there.
    const stash = stashWhere('v2', (b) => crlfCount(b) === 1 && crlfAt(b) >= 64);
    expectDiagnosis(stash, crlfToLf(stash), 'unknown', 'stash file', 'none');
  });
});

describe.skipIf(!hasTool('openssl'))(`DER, PKCS#7 and PKCS#12 made by openssl${missingNote('openssl')}`, () => {
  const openssl = (...args: string[]): Buffer => runTool('openssl', args, { cwd: tmp.dir });

  it('repairs a DER certificate without CR LF bytes after LF became CR LF', () => {
    const der = certificate('plain', '0A11');
    expect(hasCrlf(der)).toBe(false);
    expect(describeContent(der)).toBe('a DER certificate');
    expectBothWays(der, 'DER certificate');
  });

  it('leaves a DER certificate that holds CR LF bytes alone, and repairs it both ways when damaged', () => {
    const der = certificate('crlf', '0D0A01');
    expect(hasCrlf(der)).toBe(true);
    // The CR LF is in the serial, which the certificate's own (self-)signature covers.
    expectBothWays(der, 'DER certificate');
  });

  /** A certificate for CN=leaf issued by a CA not in the file, until `wanted` holds. */
  function caSigned(serial: string, wanted: (der: Buffer) => boolean, issuerKey: 'ec' | 'rsa' = 'ec'): Buffer {
    if (issuerKey === 'ec') certificate('issuer', '0B');
    else openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'issuer.key', '-subj', '/CN=issuer', '-days', '30', '-out', 'issuer.pem');
    for (let attempt = 0; attempt < 50; attempt++) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-subj', '/CN=leaf', '-out', 'leaf.csr');
      openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'issuer.pem', '-CAkey', 'issuer.key', '-set_serial', `0x${serial}`, '-days', '30', '-out', 'leaf.pem');
      const der = openssl('x509', '-in', 'leaf.pem', '-outform', 'DER');
      if (wanted(der)) return der;
    }
    throw new Error('openssl kept making certificates of the wrong shape');
  }

  it('calls a CA-signed certificate whose CR LF became LF damaged, without naming the transfer', () => {
    // Nothing in the file verifies this certificate's signature, so a CR put back in its
    // serial is no better evidence than a byte lost there (issue 13 item 8).
    const der = caSigned('0D0A01', (b) => crlfCount(b) === 1);
    expectDiagnosis(der, crlfToLf(der), 'unknown', 'DER certificate', 'none');
  });

  it('names LF → CR LF in a certificate only with two LFs or more', () => {
    // The serial's LF and more: an ECDSA signature's AlgorithmIdentifier is 30 0A, twice.
    const two = caSigned('0D0A01', (b) => crlfCount(b) === 1 && lfCount(b) >= 2);
    expectDiagnosis(two, everyLfToCrlf(two), 'lf-to-crlf', 'DER certificate', 'exact');
    // Signed with RSA, the serial's LF can be the only one: one pair, and a certificate
    // whose serial held CR LF and that gained a byte there would look the same.
    const one = caSigned('0D0A01', (b) => lfCount(b) === 1, 'rsa');
    expectDiagnosis(one, everyLfToCrlf(one), 'unknown', 'DER certificate', 'none');
    // Even where the certificate's own signature pins its one LF (self-signed Ed25519: no
    // 30 0A in it), that CR may have been damage's, and the rest of the damage fell in
    // bytes nothing checks (the outer header, the signature algorithm).
    let self: Buffer = Buffer.alloc(0);
    for (let attempt = 0; attempt < 50 && lfCount(self) !== 1; attempt++) {
      openssl('req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', 'ed.key', '-subj', '/CN=ed', '-days', '30', '-set_serial', '0x0A11', '-out', 'ed.pem');
      self = openssl('x509', '-in', 'ed.pem', '-outform', 'DER');
    }
    expect(lfCount(self)).toBe(1);
    expectDiagnosis(self, everyLfToCrlf(self), 'unknown', 'DER certificate', 'none');
  });

  it('does not take a byte lost inside a signature for a text-mode transfer (issue 13 item 8)', () => {
    // The case behind the issue: a byte lost early in a signature, a LF later in it. A CR
    // put back before that LF makes every length fit again, but the bytes between are
    // shifted: not the original, so neither a claim nor a repair may come of it.
    const signatureAt = (b: Buffer): number => b.length - 60; // inside the ECDSA signature's BIT STRING
    const der = caSigned('0B', (b) => b.indexOf(LF_BYTE, signatureAt(b) + 4) !== -1);
    const lf = der.indexOf(LF_BYTE, signatureAt(der) + 4);
    for (let lost = signatureAt(der); lost < lf; lost++) {
      if (der[lost] === CR_BYTE && der[lost + 1] === LF_BYTE) continue; // that one *is* a CR LF → LF transfer
      const damaged = Buffer.concat([der.subarray(0, lost), der.subarray(lost + 1)]);
      const d = diagnoseTransferDamage(damaged);
      expect(d.damaged && d.kind !== 'unknown').toBe(false);
      expect(d.damaged ? d.repaired : undefined).toBeUndefined();
    }
  });

  it('repairs FTP-style damage even when the original held CR LF, but not where it cannot know', () => {
    // Serial bytes 0D 0A 0A: an original CR LF right beside a lone LF.
    const der = certificate('mixed', '0D0A0A');
    // Every LF gained a CR (FTP): one-to-one, so exactly reversible.
    expectDiagnosis(der, everyLfToCrlf(der), 'lf-to-crlf', 'DER certificate', 'exact');
    // Only lone LFs gained one (unix2dos): 0D 0A 0D 0A could be 0D 0A 0A or 0A 0D 0A.
    expectDiagnosis(der, loneLfToCrlf(der), 'lf-to-crlf', 'DER certificate', 'none');
    // CR LF became LF: 0A 0A could be 0D 0A 0A or 0A 0D 0A.
    expectDiagnosis(der, crlfToLf(der), 'crlf-to-lf', 'DER certificate', 'none');
  });

  it('repairs a PKCS#7 bundle (crl2pkcs7 -outform DER)', () => {
    certificate('p7-a', '0D0A01');
    certificate('p7-b', '0A0B');
    const der = openssl('crl2pkcs7', '-nocrl', '-certfile', 'p7-a.pem', '-certfile', 'p7-b.pem', '-outform', 'DER');
    expect(describeContent(der)).toBe('a PKCS#7 certificate bundle');
    expectBothWays(der, 'PKCS#7 certificate bundle');
  });

  it('repairs a PKCS#12 file after LF became CR LF; after CR LF became LF it is only called damaged (pkcs12 -export, 3338 = 0x0D0A iterations)', () => {
    certificate('p12', '0A0C');
    openssl('pkcs12', '-export', '-inkey', 'p12.key', '-in', 'p12.pem', '-passout', 'pass:pw', '-iter', '3338', '-out', 'ee.p12');
    const p12 = readFileSync(path('ee.p12'));
    expect(describeContent(p12)).toBe('a PKCS#12 file');
    // Key bag, certificate bag and MAC each carry the count: three pairs where nothing
    // checks, so LF → CR LF is named.
    expect(latin1(p12).split('\x02\x02\r\n').length - 1).toBe(3);
    // The CR LFs are in iteration counts (and now and then a ciphertext): INTEGERs nothing
    // checks without the password, where a lost byte fits as well. The MAC decides, given
    // the password: see repair-transfer-damage.test.ts.
    expectBothWays(p12, 'PKCS#12 file', 'unknown');
  });
});

describe.skipIf(!haveKdbFixtures)(`native GSKit CMS files and stashes${haveKdbFixtures ? '' : ' (skipped: ../shared/fixtures/kdb is absent)'}`, () => {
  const fixtures = haveKdbFixtures ? readdirSync(kdbFixturesDir).filter((f) => /\.(kdb|rdb|crl|sth)$/.test(f)) : [];
  const nouns: Record<string, string> = { kdb: 'CMS key database', rdb: 'CMS request database', crl: 'CMS CRL database', sth: 'stash file' };

  it.each(fixtures)('%s: repaired after LF became CR LF (called damaged if it has one LF only); CR LF to LF changes nothing in it', (name) => {
    const original = readFileSync(join(kdbFixturesDir, name));
    const what = nouns[name.slice(-3)]!;
    expect(describeContent(original)).toBe(`a ${what}`);
    expect(diagnoseTransferDamage(original)).toEqual({ damaged: false });
    // gsk-v4-signer.rdb and gsk-v6-empty.kdb (in the header's MAC), gsk-v6-chained.sth and
    // gsk-v6-mixed.sth (in the obfuscated buffer) have one LF; with the password, the MAC
    // still repairs a database (repair-transfer-damage.test.ts).
    if (lfCount(original) === 1) expectDiagnosis(original, everyLfToCrlf(original), 'unknown', what, 'none');
    else if (hasLf(original)) expectDiagnosis(original, everyLfToCrlf(original), 'lf-to-crlf', what, 'exact');
    else expect(everyLfToCrlf(original).equals(original)).toBe(true);
    // No native fixture holds a CR LF, so that transfer leaves them as they are.
    expect(hasCrlf(original)).toBe(false);
    expect(diagnoseTransferDamage(crlfToLf(original))).toEqual({ damaged: false });
  });
});

describe.skipIf(!hasTool('openssl'))(`a CMS key database that holds CR LF bytes${missingNote('openssl')}`, () => {
  it('repairs it both ways', () => {
    const der = new Uint8Array(certificate('cms', '0D0A01'));
    // Salt, verifier, MAC and index hashes are random: keep the one CR LF of the serial,
    // so that exactly one original fits (another CR LF beside a LF could make two).
    let kdb: Uint8Array;
    do {
      const store = createEmptyCmsStore();
      store.entries.push({ kind: 'signer', label: 'partner ca', certificate: der });
      kdb = writeCmsStore(store, 'Kdb-pw-1').kdb;
    } while (crlfCount(kdb) !== 1);
    expectBothWays(kdb, 'CMS key database');
  });
});

describe.skipIf(!hasTool('keytool') || !hasTool('openssl'))(`JKS and JCEKS made by keytool${missingNote('keytool')}${missingNote('openssl')}`, () => {
  const keytool = (...args: string[]): Buffer => runTool('keytool', ['-J-Duser.language=en', ...args], { cwd: tmp.dir });

  it('repairs a JKS key store both ways', () => {
    certificate('jks-ca', '0D0A01');
    // The CA's serial holds a CR LF its self-signature pins. Key, dates and digest are
    // random and pin nothing: a store with a CR LF there too (a few in a thousand) would
    // only be called damaged, so make another.
    let jks: Buffer;
    let tries = 0;
    do {
      rmSync(path('store.jks'), { force: true });
      keytool('-genkeypair', '-keystore', 'store.jks', '-storetype', 'JKS', '-storepass', 'Store-pw1', '-keypass', 'Store-pw1', '-alias', 'qm1', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=qm1');
      keytool('-importcert', '-noprompt', '-keystore', 'store.jks', '-storetype', 'JKS', '-storepass', 'Store-pw1', '-alias', 'partner ca', '-file', 'jks-ca.pem');
      jks = readFileSync(path('store.jks'));
    } while (crlfCount(jks) !== 1 && ++tries < 10);
    expect(describeContent(jks)).toBe('a JKS key store');
    expectBothWays(jks, 'JKS key store');
  });

  it('leaves a JCEKS store with a secret key alone: its end cannot be proven, so it is not flagged', () => {
    keytool('-genseckey', '-keystore', 'store.jceks', '-storetype', 'JCEKS', '-storepass', 'Store-pw1', '-keypass', 'Store-pw1', '-alias', 'aes', '-keyalg', 'AES', '-keysize', '256');
    const jceks = readFileSync(path('store.jceks'));
    expect(describeContent(jceks)).toBe('a JCEKS key store');
    expect(diagnoseTransferDamage(jceks)).toEqual({ damaged: false });
  });
});

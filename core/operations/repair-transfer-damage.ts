/**
 * `-keydb -repair`: the original of a file a text-mode (ASCII) transfer broke, written
 * only when the repaired bytes verify (issue 13 item 8, after a version that wrote four
 * "repaired" files that were not the original).
 *
 * What "verify" means depends on what the format can prove:
 * - A CMS v4/v6 database (HMAC over everything), a PKCS#12 with a MAC, a JKS or JCEKS
 *   (keyed SHA-1 digest): the candidate's MAC or digest must verify with the password.
 *   That is proof, whatever the structural evidence: a lost byte "made up for" by a CR
 *   put back elsewhere changes the bytes the MAC covers. So these need the password
 *   (-pw or -stashed), and with it even a damage the password-less diagnosis could not
 *   call certain (a CR LF lost inside ciphertext) is repaired when exactly one candidate
 *   verifies. Without the password they are refused, saying so.
 * - A CMS v3 database (its MAC input is unknown, FORMATS.md), a PKCS#12 without a MAC, a
 *   stash, a DER certificate: only structure can speak, so the diagnosis itself must
 *   offer the repair (transfer-damage.ts: a certain diagnosis, one candidate, each of its
 *   choices vouched for by a hash, a signature or a second copy). A password, when given,
 *   must also fit: v3's password verifier, the PKCS#12 decrypting, the stash holding it.
 *
 * The repair goes to a new file, never over the damaged one or a file that belongs with it
 * (GSKit's `<stem>.kdb/.rdb/.crl/.sth`): the user replaces the damaged file after looking.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { KeyDeskError, isKeyDeskError } from '../errors';
import { parseDer } from '../asn1/der';
import { readCmsStore, readRequestDatabase } from '../formats/cms';
import { readStash } from '../formats/cms-stash';
import { jceksCodec, jksCodec } from '../formats/jks';
import { pkcs12Codec } from '../formats/pkcs12';
import type { StoreCodec } from '../formats/store-codec';
import { classifyDer, describeContent, diagnoseTransferDamage, transferRepairCandidates, type DamageKind } from '../formats/transfer-damage';
import { writeFileAtomic, type AtomicWriteOptions } from '../io/atomic-file';
import { systemIo } from '../io/file-system';
import { readRegularFile } from '../io/store-commit';
import type { Credentials, FilesWritten } from '../api/contract';

/** How a candidate fared against the password: 'mismatch' where the format cannot tell
 * a wrong password from wrong bytes (one MAC or digest covers both). */
type Verdict = 'verified' | 'wrong-password' | 'mismatch';

interface PasswordCheck {
  /** 'its MAC', 'its keyed digest': for messages. */
  what: string;
  check(original: Uint8Array, password: string): Verdict;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && timingSafeEqual(a, b);
const CMS_TAGS = { kdb: 'X509KEY\0', rdb: 'X509KYP\0' };
const isCms = (b: Uint8Array): boolean => b.length >= 0x18 && b[0] === 0x37 && b[1] === 0x48;
const cmsTag = (b: Uint8Array): string => Buffer.from(b.subarray(8, 16)).toString('latin1');

/** Password verifier, then MAC (FORMATS.md), for any CMS v4/v6 container. */
function cmsMac(b: Uint8Array, password: string): Verdict {
  const m = b[2] === 6 ? 48 : 20;
  const digest = b[2] === 6 ? 'sha384' : 'sha1';
  const key = Buffer.from(password, 'utf8');
  if (!same(createHmac(digest, key).update(b.subarray(0, 0x30)).digest(), b.subarray(0x30, 0x30 + m))) return 'wrong-password';
  const mac = createHmac(digest, key).update(b.subarray(0, 0x30 + m)).update(b.subarray(0x30 + 2 * m)).digest();
  return same(mac, b.subarray(0x30 + m, 0x30 + 2 * m)) ? 'verified' : 'mismatch';
}

function cmsCheck(b: Uint8Array, password: string): Verdict {
  const verdict = cmsMac(b, password);
  if (verdict !== 'verified') return verdict;
  // Verified; reading it as well catches a record KeyDesk itself could not open.
  try {
    if (cmsTag(b) === CMS_TAGS.kdb) readCmsStore({ kdb: b }, password);
    else if (cmsTag(b) === CMS_TAGS.rdb) readRequestDatabase(b, password);
  } catch (e) {
    if (isKeyDeskError(e)) return 'mismatch';
    throw e;
  }
  return 'verified';
}

function codecCheck(codec: Pick<StoreCodec, 'read'>): (b: Uint8Array, password: string) => Verdict {
  return (b, password) => {
    try {
      codec.read(b, password);
      return 'verified';
    } catch (e) {
      if (isKeyDeskError(e)) return 'mismatch';
      throw e;
    }
  };
}

function pkcs12HasMac(b: Uint8Array): boolean {
  try {
    const top = parseDer(b);
    return Array.isArray(top.value) && top.value.length === 3;
  } catch {
    return false;
  }
}

/** The password check a candidate's format has, or undefined where it has none. */
function passwordCheckOf(b: Uint8Array): PasswordCheck | undefined {
  if (isCms(b)) return b[2] === 4 || b[2] === 6 ? { what: 'its MAC', check: cmsCheck } : undefined;
  if (b.length >= 4 && jksCodec.sniff(b)) return { what: 'its keyed digest', check: codecCheck(jksCodec) };
  if (b.length >= 4 && jceksCodec.sniff(b)) return { what: 'its keyed digest', check: codecCheck(jceksCodec) };
  if (classifyDer(b) === 'pkcs12' && pkcs12HasMac(b)) return { what: 'its MAC', check: codecCheck(pkcs12Codec) };
  return undefined;
}

/** Where a format without a MAC still has something the password must fit: a check that
 * says what does not fit, or undefined where there is nothing to check. */
function passwordFitOf(b: Uint8Array): ((password: string) => string | undefined) | undefined {
  if (isCms(b) && b[2] === 3) {
    return (password) => {
      const verifier = createHash('md5').update(b.subarray(0, 0x30)).update(Buffer.from(password, 'utf8')).digest();
      return same(verifier, b.subarray(0x30, 0x40)) ? undefined : 'the password does not match its password check';
    };
  }
  if (classifyDer(b) === 'pkcs12') {
    return (password) => {
      try {
        pkcs12Codec.read(b, password);
        return undefined;
      } catch (e) {
        if (isKeyDeskError(e)) return 'it does not open with the password given';
        throw e;
      }
    };
  }
  if (describeContent(b) === 'a stash file') return (password) => (readStash(b) === password ? undefined : 'it does not hold the password given');
  return undefined;
}

export interface VerifiedRepair {
  original: Uint8Array;
  kind: DamageKind;
  /** How it was verified, as a clause for the note. */
  how: string;
}

/**
 * The verified original of `bytes`, or a KeyDeskError saying plainly why there is none
 * (messages without the file name; the caller adds it). `password` is called only when
 * a check needs it.
 */
export function verifiedRepair(bytes: Uint8Array, password: (() => string) | undefined): VerifiedRepair {
  const diagnosis = diagnoseTransferDamage(bytes);
  if (!diagnosis.damaged) throw new KeyDeskError('conflict', 'it shows no damage from a text-mode transfer; nothing was written.');
  const { candidates } = transferRepairCandidates(bytes);
  const checked = candidates.flatMap((c) => {
    const check = passwordCheckOf(c.original);
    return check ? [{ candidate: c, check }] : [];
  });

  if (checked.length > 0) {
    const what = checked[0]!.check.what;
    if (!password) {
      throw new KeyDeskError(
        'unsupported',
        `a repaired copy is written only when ${what} verifies, and that needs the password: give -pw or -stashed. Nothing was written.`,
        undefined,
        `a repaired copy is written only when ${what} verifies, and that needs the password: type it in Password. Nothing was written.`,
      );
    }
    const pw = password();
    const verdicts = checked.map(({ candidate, check }) => ({ candidate, verdict: check.check(candidate.original, pw) }));
    const verified = verdicts.filter((v) => v.verdict === 'verified');
    if (verified.length === 1) {
      const { candidate } = verified[0]!;
      return { original: candidate.original, kind: candidate.kind, how: `${what} verifies with the password` };
    }
    if (verified.length === 0 && verdicts.every((v) => v.verdict === 'wrong-password') && sameHeaders(verdicts.map((v) => v.candidate.original))) {
      throw new KeyDeskError('wrong-password', 'the password is wrong: it does not match the database’s password check. Nothing was written.');
    }
    throw new KeyDeskError(
      'damaged',
      `no repaired copy verifies with the password given: the password is wrong, or the file has damage a text-mode transfer does not explain. ` +
        'Nothing was written; check the password, or get a fresh copy transferred in binary mode.',
    );
  }

  if (diagnosis.kind === 'unknown') throw new KeyDeskError('damaged', `${diagnosis.message} No repaired copy was written.`);
  if (!diagnosis.repaired) {
    throw new KeyDeskError('damaged', `${diagnosis.message} More than one original fits it and this format has no MAC to tell them apart, so nothing was written.`);
  }
  const fit = passwordFitOf(diagnosis.repaired);
  if (password && fit) {
    const misfit = fit(password());
    if (misfit) throw new KeyDeskError('damaged', `the repaired copy does not verify: ${misfit}. Nothing was written.`);
  }
  return { original: diagnosis.repaired, kind: diagnosis.kind, how: 'its full structure verifies (the format has no MAC to check)' };
}

/** Whether CMS candidates agree on the bytes the password verifier covers and holds: then
 * a failed verifier is the password's fault, not the repair's. */
function sameHeaders(originals: Uint8Array[]): boolean {
  const first = originals[0]!;
  const end = 0x30 + (first[2] === 6 ? 48 : 20);
  return originals.every((o) => isCms(o) && same(o.subarray(0, end), first.subarray(0, end)));
}

// ---------------------------------------------------------------------------------------
// The files.

const stemOf = (path: string): string => path.slice(0, path.length - extname(path).length);
/** GSKit keeps these together under one stem; KeyDesk keeps any store's requests and stash so too. */
const COMPANIONS = ['.kdb', '.rdb', '.crl', '.sth'];

function refuseTarget(path: string, target: string): void {
  // Lower case: on Windows and macOS Key.KDB is key.kdb.
  const p = resolve(path).toLowerCase();
  const t = resolve(target).toLowerCase();
  if (t === p) throw new KeyDeskError('conflict', `${target} is the damaged file itself; write the repaired copy to a new file, then replace the damaged one with it.`);
  if (dirname(t) === dirname(p) && stemOf(basename(t)) === stemOf(basename(p)) && COMPANIONS.includes(extname(t))) {
    throw new KeyDeskError('conflict', `${target} belongs with ${path} (same name, ${extname(target)}); write the repaired copy under another name.`);
  }
  if (existsSync(target)) throw new KeyDeskError('conflict', `${target} already exists; choose a new file for the repaired copy.`);
}

/** Only a regular file, of a store's size at most: a FIFO would hang, /dev/zero never end. */
function readDamaged(path: string): Uint8Array {
  const bytes = readRegularFile(systemIo, path, 'damaged');
  if (!bytes) throw new KeyDeskError('file-not-found', `${path}: no such file.`);
  return bytes;
}

/** -pw, or the stash beside the damaged file, which the same transfer may have broken. */
function passwordFrom(path: string, credentials: Credentials): (() => string) | undefined {
  const { password } = credentials;
  if (password !== undefined) return () => password;
  if (!credentials.stashed) return undefined;
  return () => {
    const stash = `${stemOf(path)}.sth`;
    const typeIt = 'type it in Password instead of using the stash file.';
    if (resolve(stash) === resolve(path)) throw new KeyDeskError('unsupported', `${path} is the stash itself, so it cannot give the password: give it with -pw.`, undefined, `${path} is the stash itself, so it cannot give the password: ${typeIt}`);
    if (!existsSync(stash)) throw new KeyDeskError('file-not-found', `${stash}: no stash file beside ${path}; give the password with -pw.`, undefined, `${stash}: no stash file beside ${path}; ${typeIt}`);
    const bytes = new Uint8Array(readFileSync(stash));
    try {
      return readStash(bytes);
    } catch (e) {
      if (!isKeyDeskError(e)) throw e;
      const diagnosis = diagnoseTransferDamage(bytes);
      const how = diagnosis.damaged && diagnosis.kind !== 'unknown' ? ' (by a text-mode transfer too)' : '';
      throw new KeyDeskError('damaged', `${stash}, the stash beside ${path}, is damaged as well${how}, so it cannot give the password: give it with -pw.`, undefined, `${stash}, the stash beside ${path}, is damaged as well${how}, so it cannot give the password: ${typeIt}`);
    }
  };
}

export interface RepairTransferDamageRequest extends Credentials {
  path: string;
  target: string;
}

/** Reads, verifies, writes: `write` carries the caller's file-system options. */
export function repairTransferDamageFile(request: RepairTransferDamageRequest, write: Omit<AtomicWriteOptions, 'mode'> = {}): FilesWritten {
  const { path, target } = request;
  refuseTarget(path, target);
  const bytes = readDamaged(path);
  let repair: VerifiedRepair;
  try {
    repair = verifiedRepair(bytes, passwordFrom(path, request));
  } catch (e) {
    if (isKeyDeskError(e) && !e.message.includes(path)) throw new KeyDeskError(e.code, `${path}: ${e.message}`, e.reason, e.gui === undefined ? undefined : `${path}: ${e.gui}`);
    throw e;
  }
  writeFileAtomic(target, repair.original, { ...write, mode: 0o600 });
  return {
    written: [target],
    notes: [`${target} is ${path} as it was before the text-mode transfer: ${repair.how}. Replace the damaged file with it.`],
  };
}

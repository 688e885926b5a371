/**
 * Version-3 GSKit CMS databases with records, for tests only. KeyDesk never writes version
 * 3 and the only native v3 sample (../shared/fixtures/kdb/gsk-v3-empty.*) is empty, so
 * tests of the v3 reader build their files here, from FORMATS.md's layout, and apart from
 * cms.ts (forge does the DER, so a mistake in cms.ts is not copied into its own test data):
 *
 * - header `37 48 03 02|01`, tag, slot size 5000, count, 24-byte salt (zeros, as in the
 *   native v3 file), verifier MD5(bytes 0..0x2F ‖ password);
 * - a 16-byte MAC whose input is unknown: filled with MD5(bytes 0..0x3F ‖ password), which
 *   is what the native empty file holds and what GSKit does not compute once there are
 *   records. Readers do not check it;
 * - slots: type 1, number, DER record, label, the number again, five index hashes (for
 *   certificates), zeros; keys under pbeWithMD5AndDES-CBC, 8-byte salt, 5 iterations.
 *
 * With no records and password "123" the result is the native empty file byte for byte.
 */
import { createHash } from 'node:crypto';
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { encryptPrivateKeyInfo } from '../crypto/encrypted-private-key';

export type V3Record =
  | { kind: 'signer'; label: string; certificate: Uint8Array; trusted?: boolean }
  | { kind: 'personal'; label: string; certificate: Uint8Array; privateKey: Uint8Array }
  | { kind: 'request'; label: string; csr: Uint8Array; privateKey: Uint8Array };

/** Where a record sits in the built file, for tests that aim at or explain a byte. */
export interface V3SlotInfo {
  label: string;
  /** File offset of the slot, and of the first zero byte of its padding. */
  start: number;
  usedEnd: number;
  /** File offset of the flags byte (0x80 trusted, 0x00 not), the record's last DER byte. */
  flagsAt: number;
}

export interface V3Database {
  bytes: Uint8Array;
  slots: V3SlotInfo[];
}

export const V3_HEADER_SIZE = 0x30 + 2 * 16;
export const V3_SLOT_SIZE = 5000;

const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;
const KINDS = { kdb: { byte: 2, tag: 'X509KEY\0' }, rdb: { byte: 1, tag: 'X509KYP\0' } } as const;
const CONTENT_TAG = { request: 0, signer: 1, personal: 2 } as const;
/** Universal tag 26; forge's typings stop short of it. */
const VISIBLE_STRING = 26 as Parameters<typeof asn1.create>[1];

const md5 = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('md5')).digest();
const sha1 = (b: Uint8Array): Buffer => createHash('sha1').update(b).digest();
const be32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** FORMATS.md's five index hashes, each `00 00 00 14` + SHA-1. */
function indexHashes(certificate: Uint8Array): Buffer {
  const [tbs, , signature] = parseDer(certificate).value as Asn1[];
  const fields = tbs!.value as Asn1[];
  const o = fields[0]!.tagClass === CTX ? 1 : 0;
  const [serial, , issuer, , subject, spki] = fields.slice(o);
  const issuerSerial = asn1.create(U, T.SEQUENCE, true, [issuer!, serial!]);
  return Buffer.concat([signature!, tbs!, subject!, spki!, issuerSerial].flatMap((n) => [be32(20), sha1(encodeDer(n))]));
}

function recordDer(record: V3Record, number: number, password: string): Uint8Array {
  const encrypt = (pkcs8: Uint8Array): Asn1 =>
    parseDer(encryptPrivateKeyInfo(pkcs8, password, 'pbes1-md5-des', { iterations: 5, saltLength: 8 }));
  const content =
    record.kind === 'signer'
      ? [parseDer(record.certificate)]
      : [asn1.create(U, T.SEQUENCE, true, [parseDer(record.kind === 'personal' ? record.certificate : record.csr), encrypt(record.privateKey)])];
  const trusted = record.kind !== 'signer' || record.trusted !== false;
  return encodeDer(
    asn1.create(U, T.SEQUENCE, true, [
      asn1.create(U, T.INTEGER, false, asn1.integerToDer(number).getBytes()),
      asn1.create(CTX, CONTENT_TAG[record.kind], true, content),
      asn1.create(U, VISIBLE_STRING, false, Buffer.from(record.label, 'utf8').toString('latin1')),
      asn1.create(U, T.BITSTRING, false, trusted ? '\x07\x80' : '\x07\x00'),
    ]),
  );
}

function slotFor(record: V3Record, number: number, password: string): { slot: Buffer; usedEnd: number; flagsAt: number } {
  const der = recordDer(record, number, password);
  const label = Buffer.from(record.label, 'utf8');
  const hashes = record.kind === 'request' ? Buffer.alloc(0) : indexHashes(record.certificate);
  const body = Buffer.concat([be32(1), be32(number), be32(der.length), der, be32(label.length), label, be32(number), hashes]);
  if (body.length > V3_SLOT_SIZE) throw new Error(`test record "${record.label}" needs ${body.length} bytes, more than a slot`);
  const slot = Buffer.alloc(V3_SLOT_SIZE);
  body.copy(slot);
  return { slot, usedEnd: body.length, flagsAt: 12 + der.length - 1 };
}

/** One v3 container (.kdb or .rdb) holding `records` in order. */
export function buildV3Database(kind: 'kdb' | 'rdb', records: V3Record[], password: string, salt: Uint8Array = new Uint8Array(24)): V3Database {
  const header = Buffer.alloc(V3_HEADER_SIZE);
  header.set([0x37, 0x48, 3, KINDS[kind].byte]);
  header.write(KINDS[kind].tag, 8, 'latin1');
  header.writeUInt32BE(V3_SLOT_SIZE, 0x10);
  header.writeUInt32BE(records.length, 0x14);
  header.set(salt, 0x18);
  const pw = Buffer.from(password, 'utf8');
  md5(header.subarray(0, 0x30), pw).copy(header, 0x30);
  md5(header.subarray(0, 0x40), pw).copy(header, 0x40);
  const slots: V3SlotInfo[] = [];
  const parts: Buffer[] = [header];
  records.forEach((record, i) => {
    const { slot, usedEnd, flagsAt } = slotFor(record, i + 1, password);
    const start = V3_HEADER_SIZE + i * V3_SLOT_SIZE;
    slots.push({ label: record.label, start, usedEnd: start + usedEnd, flagsAt: start + flagsAt });
    parts.push(slot);
  });
  return { bytes: new Uint8Array(Buffer.concat(parts)), slots };
}

/** A .kdb with the certificates and keys and an .rdb with the requests, as GSKit keeps them. */
export function buildV3Files(records: V3Record[], password: string): { kdb: V3Database; rdb: V3Database } {
  return {
    kdb: buildV3Database('kdb', records.filter((r) => r.kind !== 'request'), password),
    rdb: buildV3Database('rdb', records.filter((r) => r.kind === 'request'), password),
  };
}

/**
 * JKS and JCEKS key stores: the formats behind java.security.KeyStore types "JKS"
 * (sun.security.provider.JavaKeyStore) and "JCEKS" (com.sun.crypto.provider.JceKeyStore),
 * which Java MQ clients still use for their key and trust stores.
 *
 * Both are a java.io.DataOutputStream (big-endian) of: magic, version (1 or 2), entry
 * count, the entries, then SHA-1(password as UTF-16BE ‖ "Mighty Aphrodite" ‖ everything
 * before). Strings are Java "modified UTF-8" behind a 2-byte length. An entry is its tag,
 * alias, creation date (ms since 1970, 8 bytes) and then:
 *   1 private key   int length + EncryptedPrivateKeyInfo, int count + certificates
 *   2 trusted cert  one certificate
 *   3 secret key    (JCEKS only) a Java-serialized javax.crypto.SealedObject
 * A certificate is its type string (version 2 only; "X.509") then int length + encoding.
 *
 * Secret keys stay sealed: what is inside is a serialized Java object, never interpreted
 * here, so they are kept as bytes and written back as read. Under a new password the
 * sealed object is opened and sealed again, the serialized key inside untouched.
 * Everything else is read into the model and written back byte for byte where it did not
 * change (source), so dates and protected keys survive.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { iterateMd5Pair } from '../crypto/iterated-md5';
import {
  childrenOf,
  intOf,
  looksLikePrivateKeyInfo,
  nullNode,
  octetNode,
  octetsOf,
  oidNode,
  oidOf,
  intNode,
  seq,
} from '../crypto/encrypted-private-key';
import { KeyDeskError } from '../errors';
import type { Entry, KeyStore, SourceRecord } from '../model/key-store';
import { describeKind } from './capabilities';
import { cannotReencrypt, holdSource, movingToNewPassword, type Hold } from './held-source';
import type { StoreCodec, WrittenStore } from './store-codec';

type JavaFormat = 'jks' | 'jceks';

const MAGIC: Record<JavaFormat, number> = { jks: 0xfeedfeed, jceks: 0xcececece };
const NAME: Record<JavaFormat, string> = { jks: 'JKS', jceks: 'JCEKS' };

/** Sun's JDK 1.2 key protection (SHA-1 keystream); the only one JavaKeyStore reads. */
const OID_JKS_PROTECTION = '1.3.6.1.4.1.42.2.17.1.1';
/** PBEWithMD5AndTripleDES as com.sun.crypto.provider.KeyProtector writes it for JCEKS. */
const OID_JCEKS_PROTECTION = '1.3.6.1.4.1.42.2.19.1';

/** What JDK 17 (and every JDK since 8u301/11.0.12) writes; verified against keytool 17. */
const JCEKS_ITERATIONS = 200_000;
/** The JDK refuses more when recovering a key; so do we, so a hostile file cannot hang us. */
const JCEKS_MAX_ITERATIONS = 5_000_000;

const INTEGRITY_SALT = Buffer.from('Mighty Aphrodite', 'utf8');
const DIGEST_LENGTH = 20;
const CERT_TYPE = 'X.509';

const OWN_PASSWORD =
  'the key has its own password, not the store password; KeyDesk keeps it as it is. ' +
  'To work with it here, set its password to the store password with keytool -keypasswd';

/** A structural failure while parsing; read() turns it into KeyDeskError('damaged'). */
class Corrupt extends Error {}

// ---------------------------------------------------------------------------------------
// Bytes in and out, as DataInputStream/DataOutputStream see them.

class Cursor {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Corrupt('truncated');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A non-negative int used as a length or count; Java would fail on a negative one too. */
  length(what: string): number {
    const n = this.i32();
    if (n < 0) throw new Corrupt(`negative ${what}`);
    return n;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  utf(): string {
    return decodeModifiedUtf8(this.take(this.u16()));
  }
}

/** DataInputStream.readUTF: UTF-16 code units in 1 to 3 bytes; NUL is C0 80 and
 * supplementary characters arrive as two encoded surrogates (CESU-8). */
function decodeModifiedUtf8(b: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      units.push(c);
      i += 1;
    } else if ((c & 0xe0) === 0xc0) {
      const c2 = b[i + 1];
      if (c2 === undefined || (c2 & 0xc0) !== 0x80) throw new Corrupt('malformed alias or type string');
      units.push(((c & 0x1f) << 6) | (c2 & 0x3f));
      i += 2;
    } else if ((c & 0xf0) === 0xe0) {
      const c2 = b[i + 1];
      const c3 = b[i + 2];
      if (c2 === undefined || c3 === undefined || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) {
        throw new Corrupt('malformed alias or type string');
      }
      units.push(((c & 0x0f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f));
      i += 3;
    } else {
      throw new Corrupt('malformed alias or type string');
    }
  }
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.slice(i, i + 8192));
  return out;
}

function encodeModifiedUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) out.push(c);
    else if (c <= 0x7ff) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

class Sink {
  private readonly parts: Uint8Array[] = [];

  i32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    this.parts.push(b);
    return this;
  }

  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  /** int length + bytes. */
  block(bytes: Uint8Array): this {
    return this.i32(bytes.length).raw(bytes);
  }

  utf(s: string, what: string): this {
    const encoded = encodeModifiedUtf8(s);
    if (encoded.length > 0xffff) throw new KeyDeskError('unsupported', `${what} is too long for a Java key store (over 65535 bytes).`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(encoded.length);
    this.parts.push(len, encoded);
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts));
  }
}

// ---------------------------------------------------------------------------------------
// Java serialization, only far enough to find where a sealed secret key ends. The format
// has no length in front of it: JceKeyStore hands the stream to an ObjectInputStream and
// carries on after whatever it consumed, so the grammar has to be walked (Java Object
// Serialization Specification, chapter 6). Nothing is instantiated; values are skipped.

const TC = {
  NULL: 0x70,
  REFERENCE: 0x71,
  CLASSDESC: 0x72,
  OBJECT: 0x73,
  STRING: 0x74,
  ARRAY: 0x75,
  CLASS: 0x76,
  BLOCKDATA: 0x77,
  ENDBLOCKDATA: 0x78,
  RESET: 0x79,
  BLOCKDATALONG: 0x7a,
  LONGSTRING: 0x7c,
  PROXYCLASSDESC: 0x7d,
  ENUM: 0x7e,
} as const;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const SC_BLOCK_DATA = 0x08;
const BASE_HANDLE = 0x7e0000;
const PRIMITIVE_SIZE: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };
// A SealedObject is four levels deep; these only stop hostile input from exhausting the stack.
const MAX_DEPTH = 64;
const MAX_HANDLES = 10_000;

class ClassDesc {
  constructor(
    readonly name: string,
    readonly flags: number,
    /** Field type codes in stream order: a primitive code, 'L' or '['. */
    readonly fields: string[],
    readonly superDesc: ClassDesc | null,
    readonly fieldNames: string[] = [],
  ) {}
}

const SEALED_OBJECT = 'javax.crypto.SealedObject';

/** A byte[] in the stream: where its int length starts and its bytes end, so it can be
 * replaced by one of another length (the format has no offsets to fix up). */
interface StreamBytes {
  lengthAt: number;
  end: number;
  bytes: Uint8Array;
}

class SerializedObjectSkipper {
  private handles: unknown[] = [];
  private depth = 0;
  private lastBytes: StreamBytes | undefined;
  /** The fields of the javax.crypto.SealedObject met, by name: byte arrays and strings. */
  readonly sealedFields = new Map<string, StreamBytes | string>();

  constructor(private readonly c: Cursor) {}

  /** One stream as `new ObjectOutputStream(out).writeObject(x)` leaves it. */
  skipStream(): void {
    if (this.c.u16() !== 0xaced || this.c.u16() !== 5) throw new Corrupt('sealed secret key is not a Java serialization stream');
    this.object();
  }

  private newHandle(value: unknown): number {
    if (this.handles.length >= MAX_HANDLES) throw new Corrupt('sealed secret key has too many objects');
    this.handles.push(value);
    return this.handles.length - 1;
  }

  private object(): unknown {
    if (++this.depth > MAX_DEPTH) throw new Corrupt('sealed secret key nests too deeply');
    try {
      return this.objectBody(this.c.u8());
    } finally {
      this.depth--;
    }
  }

  private objectBody(tc: number): unknown {
    const c = this.c;
    switch (tc) {
      case TC.NULL:
        return null;
      case TC.REFERENCE: {
        const index = c.i32() - BASE_HANDLE;
        if (index < 0 || index >= this.handles.length) throw new Corrupt('sealed secret key refers to an unknown object');
        return this.handles[index];
      }
      case TC.CLASSDESC: {
        const name = c.utf();
        c.take(8); // serialVersionUID
        const handle = this.newHandle(undefined);
        const flags = c.u8();
        const fields: string[] = [];
        const fieldNames: string[] = [];
        for (let n = c.u16(); n > 0; n--) {
          const type = String.fromCharCode(c.u8());
          fieldNames.push(c.utf());
          if (type === 'L' || type === '[') {
            if (typeof this.object() !== 'string') throw new Corrupt('sealed secret key has a field without a type name');
          } else if (PRIMITIVE_SIZE[type] === undefined) {
            throw new Corrupt('sealed secret key has a field of unknown type');
          }
          fields.push(type);
        }
        this.annotation();
        const desc = new ClassDesc(name, flags, fields, this.classDesc(), fieldNames);
        this.handles[handle] = desc;
        return desc;
      }
      case TC.PROXYCLASSDESC: {
        const handle = this.newHandle(undefined);
        for (let n = c.length('interface count'); n > 0; n--) c.utf();
        this.annotation();
        const desc = new ClassDesc('(proxy)', SC_SERIALIZABLE, [], this.classDesc());
        this.handles[handle] = desc;
        return desc;
      }
      case TC.OBJECT: {
        const desc = this.classDesc();
        if (!desc) throw new Corrupt('sealed secret key has an object without a class');
        const handle = this.newHandle(undefined);
        this.classData(desc);
        this.handles[handle] = desc;
        return desc;
      }
      case TC.STRING:
      case TC.LONGSTRING: {
        const handle = this.newHandle(undefined);
        let value: string;
        if (tc === TC.STRING) {
          value = c.utf();
        } else {
          if (c.i32() !== 0) throw new Corrupt('sealed secret key holds an impossibly long string');
          value = decodeModifiedUtf8(c.take(c.length('string length')));
        }
        this.handles[handle] = value;
        return value;
      }
      case TC.ARRAY: {
        const desc = this.classDesc();
        if (!desc || !desc.name.startsWith('[')) throw new Corrupt('sealed secret key has an array without an array class');
        const handle = this.newHandle(undefined);
        const lengthAt = c.pos;
        const size = c.length('array length');
        const element = PRIMITIVE_SIZE[desc.name.charAt(1)];
        if (element !== undefined) {
          const bytes = c.take(size * element);
          if (desc.name === '[B') this.lastBytes = { lengthAt, end: c.pos, bytes };
        } else {
          for (let i = 0; i < size; i++) this.object();
        }
        this.handles[handle] = desc;
        return desc;
      }
      case TC.CLASS: {
        const desc = this.classDesc();
        this.newHandle(desc);
        return desc;
      }
      case TC.ENUM: {
        this.classDesc();
        const handle = this.newHandle(undefined);
        const constant = this.object();
        if (typeof constant !== 'string') throw new Corrupt('sealed secret key has an enum without a name');
        this.handles[handle] = constant;
        return constant;
      }
      case TC.RESET:
        this.handles = [];
        return this.object();
      default:
        throw new Corrupt(`sealed secret key has an unexpected element (0x${tc.toString(16)})`);
    }
  }

  private classDesc(): ClassDesc | null {
    const desc = this.object();
    if (desc !== null && !(desc instanceof ClassDesc)) throw new Corrupt('sealed secret key has a class that is not a class');
    return desc;
  }

  /** Objects and block data up to TC_ENDBLOCKDATA (a class's or writeObject's extras). */
  private annotation(): void {
    const c = this.c;
    for (;;) {
      const tc = c.bytes[c.pos];
      if (tc === TC.ENDBLOCKDATA) {
        c.pos++;
        return;
      }
      if (tc === TC.BLOCKDATA) {
        c.pos++;
        c.take(c.u8());
      } else if (tc === TC.BLOCKDATALONG) {
        c.pos++;
        c.take(c.length('block data length'));
      } else {
        this.object();
      }
    }
  }

  private classData(desc: ClassDesc): void {
    const lineage: ClassDesc[] = [];
    for (let d: ClassDesc | null = desc; d; d = d.superDesc) lineage.unshift(d);
    for (const d of lineage) {
      if (d.flags & SC_EXTERNALIZABLE) {
        // The pre-JDK-1.2 externalizable form has no framing at all; nothing can skip it.
        if (!(d.flags & SC_BLOCK_DATA)) throw new Corrupt('sealed secret key uses an unreadable externalizable form');
        this.annotation();
      } else if (d.flags & SC_SERIALIZABLE) {
        d.fields.forEach((type, i) => {
          const size = PRIMITIVE_SIZE[type];
          if (size !== undefined) {
            this.c.take(size);
            return;
          }
          const tc = this.c.bytes[this.c.pos];
          this.lastBytes = undefined;
          const value = this.object();
          if (d.name !== SEALED_OBJECT) return;
          // Only a value written in place can be replaced; a back-reference shares it.
          if (tc === TC.ARRAY && this.lastBytes) this.sealedFields.set(d.fieldNames[i]!, this.lastBytes);
          else if (tc === TC.STRING && typeof value === 'string') this.sealedFields.set(d.fieldNames[i]!, value);
        });
        if (d.flags & SC_WRITE_METHOD) this.annotation();
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Entries as they sit in the file.

interface RawCert {
  type: string;
  der: Uint8Array;
}

interface RawCommon {
  alias: string;
  /** The 8 date bytes as stored, so an entry keeps its date exactly. */
  date: Uint8Array;
}

type RawFields =
  | (RawCommon & { tag: 1; protectedKey: Uint8Array; chain: RawCert[] })
  | (RawCommon & { tag: 2; cert: RawCert })
  | (RawCommon & { tag: 3; sealed: Uint8Array });

/** An entry plus its encoding as a version-2 file holds it (the source bytes). */
type RawEntry = RawFields & { bytes: Uint8Array };

function readCert(c: Cursor, version: number): RawCert {
  const type = version === 2 ? c.utf() : CERT_TYPE;
  return { type, der: c.take(c.length('certificate length')).slice() };
}

function readEntry(c: Cursor, version: number, format: JavaFormat): RawEntry {
  const start = c.pos;
  const tag = c.i32();
  const alias = c.utf();
  const date = c.take(8).slice();
  let fields: RawFields;
  switch (tag) {
    case 1: {
      const protectedKey = c.take(c.length('key length')).slice();
      const chain: RawCert[] = [];
      for (let n = c.length('certificate count'); n > 0; n--) chain.push(readCert(c, version));
      fields = { tag, alias, date, protectedKey, chain };
      break;
    }
    case 2:
      fields = { tag, alias, date, cert: readCert(c, version) };
      break;
    case 3: {
      // JavaKeyStore stops at this too ("Unrecognized keystore entry").
      if (format === 'jks') throw new Corrupt(`secret-key entry "${alias}", which a JKS file cannot hold`);
      const from = c.pos;
      new SerializedObjectSkipper(c).skipStream();
      fields = { tag, alias, date, sealed: c.bytes.slice(from, c.pos) };
      break;
    }
    default:
      throw new Corrupt(`unknown entry type ${tag}`);
  }
  // Version 1 has no certificate types. Its entries are kept in version-2 form, since the
  // writer always writes version 2 (as the JDK does) and copies source bytes as they are.
  const bytes = version === 2 ? c.bytes.slice(start, c.pos) : encodeEntry(fields);
  return { ...fields, bytes };
}

function encodeEntry(e: RawFields): Uint8Array {
  const out = new Sink().i32(e.tag).utf(e.alias, `The alias "${e.alias.slice(0, 40)}…"`).raw(e.date);
  const cert = (c: RawCert): void => {
    out.utf(c.type, 'A certificate type').block(c.der);
  };
  switch (e.tag) {
    case 1:
      out.block(e.protectedKey).i32(e.chain.length);
      e.chain.forEach(cert);
      break;
    case 2:
      cert(e.cert);
      break;
    case 3:
      out.raw(e.sealed);
      break;
  }
  return out.bytes();
}

interface ParsedStore {
  version: number;
  entries: RawEntry[];
  /** Where the integrity digest starts. */
  bodyEnd: number;
}

function parseStore(bytes: Uint8Array, format: JavaFormat): ParsedStore {
  const c = new Cursor(bytes);
  c.i32(); // magic, checked by the caller
  const version = c.i32();
  if (version !== 1 && version !== 2) {
    throw new KeyDeskError('unsupported', `This ${NAME[format]} key store has format version ${version}, which KeyDesk does not know (only 1 and 2 exist).`);
  }
  const entries: RawEntry[] = [];
  for (let n = c.length('entry count'); n > 0; n--) entries.push(readEntry(c, version, format));
  const bodyEnd = c.pos;
  // Bytes after the digest are ignored, as the JDK ignores them.
  c.take(DIGEST_LENGTH);
  return { version, entries, bodyEnd };
}

function integrityDigest(password: string, body: Uint8Array): Buffer {
  return createHash('sha1').update(utf16be(password)).update(INTEGRITY_SALT).update(body).digest();
}

function utf16be(s: string): Buffer {
  return Buffer.from(s, 'utf16le').swap16();
}

// ---------------------------------------------------------------------------------------
// Key protection.

function sha1(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Sun's JDK 1.2 scheme (sun.security.provider.KeyProtector): salt(20) ‖ key XOR stream ‖
 * SHA-1(password ‖ key), the stream being d_i = SHA-1(password ‖ d_(i-1)), d_0 = salt. */
function jksXor(password: Buffer, salt: Uint8Array, data: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  let d: Uint8Array = salt;
  for (let at = 0; at < data.length; at += DIGEST_LENGTH) {
    d = sha1(password, d);
    for (let i = 0; i < DIGEST_LENGTH && at + i < data.length; i++) out[at + i] = data[at + i]! ^ d[i]!;
  }
  return out;
}

function jksRecover(data: Uint8Array, password: string): Uint8Array | undefined {
  if (data.length < 2 * DIGEST_LENGTH) return undefined;
  const pw = utf16be(password);
  const plain = jksXor(pw, data.subarray(0, DIGEST_LENGTH), data.subarray(DIGEST_LENGTH, data.length - DIGEST_LENGTH));
  const check = sha1(pw, plain);
  return timingSafeEqual(check, data.subarray(data.length - DIGEST_LENGTH)) ? plain : undefined;
}

function jksProtect(pkcs8: Uint8Array, password: string): Uint8Array {
  const pw = utf16be(password);
  const salt = randomBytes(DIGEST_LENGTH);
  const data = Buffer.concat([salt, jksXor(pw, salt, pkcs8), sha1(pw, pkcs8)]);
  return encodeDer(seq([seq([oidNode(OID_JKS_PROTECTION), nullNode()]), octetNode(data)]));
}

/** PBEKey takes only printable ASCII, one byte per character. */
function jcePasswordBytes(password: string): Buffer | undefined {
  return /^[\x20-\x7e]*$/.test(password) ? Buffer.from(password, 'latin1') : undefined;
}

/** Sun's own PBEWithMD5AndTripleDES key derivation (com.sun.crypto.provider.PBES1Core):
 * each salt half, after inverting the first one when the halves are equal, goes through
 * MD5(half ‖ pw), then MD5(prev ‖ pw) count-1 times; the two 16-byte results give the
 * DES-EDE3 key (24 bytes) and the IV (8). Exported for its tests only. */
export function jceDerive(password: Uint8Array, salt: Uint8Array, iterations: number): { key: Buffer; iv: Buffer } {
  const s = Buffer.from(salt);
  if (s.subarray(0, 4).equals(s.subarray(4, 8))) {
    [s[0], s[3]] = [s[3]!, s[0]!];
    [s[1], s[2]] = [s[2]!, s[1]!];
  }
  const start = (at: number) => createHash('md5').update(s.subarray(at, at + 4)).update(password).digest();
  // JDK 17 uses 200,000 rounds per half: 400,000 MD5s per key, some 0.4 s at one native
  // hash call per round (node has no iterated MD5), ~20 ms in WebAssembly.
  const out = Buffer.concat(iterateMd5Pair(start(0), start(4), password, Math.max(0, iterations - 1)));
  return { key: out.subarray(0, 24), iv: out.subarray(24) };
}

function jceRecover(params: Asn1 | undefined, data: Uint8Array, password: string): Uint8Array | { reason: string } | undefined {
  const [saltN, iterN] = childrenOf(params, 'PBE parameters');
  const salt = octetsOf(saltN, 'salt');
  const iterations = intOf(iterN, 'iteration count');
  if (salt.length !== 8 || iterations < 1) throw new Corrupt('PBE parameters');
  if (iterations > JCEKS_MAX_ITERATIONS) {
    return { reason: `its key is protected with ${iterations} iterations, more than Java (and KeyDesk) accept` };
  }
  const pw = jcePasswordBytes(password);
  if (!pw) return undefined;
  const { key, iv } = jceDerive(pw, salt, iterations);
  try {
    const d = createDecipheriv('des-ede3-cbc', key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    return undefined; // bad padding: another password
  }
}

function jceksPasswordRefused(): KeyDeskError {
  return new KeyDeskError(
    'unsupported',
    'JCEKS protects keys only with passwords of printable ASCII characters (Java refuses any other); choose such a password, or save as JKS or PKCS#12.',
  );
}

function jceSalt(): Buffer {
  let salt = randomBytes(8);
  // The JDK refuses to encrypt with equal salt halves (its derivation would weaken them).
  while (salt.subarray(0, 4).equals(salt.subarray(4, 8))) salt = randomBytes(8);
  return salt;
}

function jceProtect(pkcs8: Uint8Array, password: string): Uint8Array {
  const pw = jcePasswordBytes(password);
  if (!pw) throw jceksPasswordRefused();
  const salt = jceSalt();
  const { key, iv } = jceDerive(pw, salt, JCEKS_ITERATIONS);
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const data = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return encodeDer(seq([seq([oidNode(OID_JCEKS_PROTECTION), seq([octetNode(salt), intNode(JCEKS_ITERATIONS)])]), octetNode(data)]));
}

// A JCEKS secret key is a SealedObject: the key object, serialized, then encrypted with
// PBEWithMD5AndTripleDES under the key's password (com.sun.crypto.provider.KeyProtector.seal).

const SEAL_ALGORITHM = 'PBEWithMD5AndTripleDES';
const JAVA_STREAM_MAGIC = Buffer.from('aced0005', 'hex');

interface SealedKey {
  sealed: Uint8Array;
  encodedParams: StreamBytes;
  encryptedContent: StreamBytes;
  salt: Uint8Array;
  iterations: number;
}

/** The parts of a sealed key that a change of password touches, or why they cannot be had. */
function sealedKeyOf(sealed: Uint8Array): SealedKey | { cannot: string } {
  const unknown = { cannot: 'a secret key sealed in a form KeyDesk does not know' };
  let fields: Map<string, StreamBytes | string>;
  try {
    const c = new Cursor(sealed);
    const skipper = new SerializedObjectSkipper(c);
    skipper.skipStream();
    if (c.pos !== sealed.length) return unknown;
    fields = skipper.sealedFields;
  } catch {
    return unknown;
  }
  const encodedParams = fields.get('encodedParams');
  const encryptedContent = fields.get('encryptedContent');
  const algorithm = fields.get('sealAlg');
  if (typeof encodedParams !== 'object' || typeof encryptedContent !== 'object') return unknown;
  if (algorithm !== SEAL_ALGORITHM || fields.get('paramsAlg') !== SEAL_ALGORITHM) {
    return { cannot: `a secret key sealed with ${typeof algorithm === 'string' ? algorithm : 'an unnamed algorithm'}` };
  }
  try {
    const [saltN, iterN] = childrenOf(parseDer(encodedParams.bytes), 'PBE parameters');
    const salt = octetsOf(saltN, 'salt');
    const iterations = intOf(iterN, 'iteration count');
    if (salt.length !== 8 || iterations < 1) return unknown;
    if (iterations > JCEKS_MAX_ITERATIONS) return { cannot: `a secret key sealed with ${iterations} iterations, more than Java (and KeyDesk) accept` };
    return { sealed, encodedParams, encryptedContent, salt, iterations };
  } catch {
    return unknown;
  }
}

/** The serialized key object, or null when `password` is not the one it is sealed with. */
function unseal(key: SealedKey, password: string): Uint8Array | null {
  const pw = jcePasswordBytes(password);
  if (!pw) return null;
  const { key: desKey, iv } = jceDerive(pw, key.salt, key.iterations);
  try {
    const d = createDecipheriv('des-ede3-cbc', desKey, iv);
    const plain = Buffer.concat([d.update(key.encryptedContent.bytes), d.final()]);
    // Padding passes by chance with a wrong password now and then; the stream header does not.
    return plain.subarray(0, 4).equals(JAVA_STREAM_MAGIC) ? new Uint8Array(plain) : null;
  } catch {
    return null;
  }
}

/** The same sealed object under `password`: a new salt, the same iteration count, and
 * everything else in the stream byte for byte. */
function reseal(key: SealedKey, plain: Uint8Array, password: string): Uint8Array {
  const pw = jcePasswordBytes(password);
  if (!pw) throw jceksPasswordRefused();
  const salt = jceSalt();
  const { key: desKey, iv } = jceDerive(pw, salt, key.iterations);
  const cipher = createCipheriv('des-ede3-cbc', desKey, iv);
  const content = Buffer.concat([cipher.update(plain), cipher.final()]);
  // Java's PBEParameters encoding: SEQUENCE { OCTET STRING salt, INTEGER iterations }.
  const params = encodeDer(seq([octetNode(salt), intNode(key.iterations)]));
  const replacements = [
    { at: key.encodedParams, bytes: params },
    { at: key.encryptedContent, bytes: content },
  ].sort((a, b) => b.at.lengthAt - a.at.lengthAt);
  let out = Buffer.from(key.sealed);
  for (const { at, bytes } of replacements) {
    out = Buffer.concat([out.subarray(0, at.lengthAt), new Sink().block(bytes).bytes(), out.subarray(at.end)]);
  }
  return new Uint8Array(out);
}

/** The protected key's scheme OID, or undefined when it is not an EncryptedPrivateKeyInfo. */
function protectionOf(protectedKey: Uint8Array): { oid: string; params: Asn1 | undefined; data: Uint8Array } | undefined {
  try {
    const [algorithm, dataN] = childrenOf(parseDer(protectedKey), 'EncryptedPrivateKeyInfo');
    const [oidN, params] = childrenOf(algorithm, 'AlgorithmIdentifier');
    return { oid: oidOf(oidN, 'algorithm'), params, data: octetsOf(dataN, 'encrypted key') };
  } catch {
    return undefined;
  }
}

/** Unencrypted PKCS#8, or why not. Both schemes are tried in both formats, as JceKeyStore
 * does (a JKS converted by the JDK keeps its JKS-protected keys inside a JCEKS file). */
function recoverKey(protectedKey: Uint8Array, password: string): { key: Uint8Array } | { reason: string } {
  const p = protectionOf(protectedKey);
  if (!p) return { reason: 'its protected key is not a valid EncryptedPrivateKeyInfo' };
  let plain: Uint8Array | { reason: string } | undefined;
  try {
    if (p.oid === OID_JKS_PROTECTION) plain = jksRecover(p.data, password);
    else if (p.oid === OID_JCEKS_PROTECTION) plain = jceRecover(p.params, p.data, password);
    else return { reason: `its key is protected with a scheme KeyDesk does not know (${p.oid})` };
  } catch {
    return { reason: 'its key protection parameters are malformed' };
  }
  if (plain && 'reason' in plain) return plain;
  if (!plain || !looksLikePrivateKeyInfo(plain)) return { reason: OWN_PASSWORD };
  return { key: plain };
}

function protectKey(format: JavaFormat, pkcs8: Uint8Array, password: string): Uint8Array {
  return format === 'jks' ? jksProtect(pkcs8, password) : jceProtect(pkcs8, password);
}

// ---------------------------------------------------------------------------------------
// Reading.

function magicOf(bytes: Uint8Array): number | undefined {
  return bytes.length >= 4 ? Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0) : undefined;
}

function toEntry(format: JavaFormat, raw: RawEntry, password: string): Entry {
  const source: SourceRecord = { format, bytes: raw.bytes };
  const label = raw.alias;
  const unknown = (reason: string, hold?: Hold): Entry => ({ kind: 'unknown', label, source: hold ? holdSource(source, password, hold) : source, reason });
  // Why a key KeyDesk cannot open might be under the store's password all the same.
  const cannotOpen = (reason: string): Hold => (reason === OWN_PASSWORD ? { open: () => null } : { cannot: `a private key KeyDesk cannot open (${reason})` });
  switch (raw.tag) {
    case 2:
      if (raw.cert.type !== CERT_TYPE) return unknown(`it is a trusted certificate of type "${raw.cert.type}", which KeyDesk does not read`);
      return { kind: 'signer', label, certificate: raw.cert.der, source };
    case 3: {
      // The algorithm is inside the sealed (encrypted) object, so it stays unknown; the
      // object is opened only if the store moves to another password.
      const sealed = sealedKeyOf(raw.sealed);
      return { kind: 'secret', label, source: holdSource(source, password, 'cannot' in sealed ? sealed : { open: () => unseal(sealed, password) }) };
    }
    case 1: {
      const foreign = raw.chain.find((c) => c.type !== CERT_TYPE);
      if (foreign) {
        const known = protectionOf(raw.protectedKey)?.oid;
        const hold: Hold =
          known === OID_JKS_PROTECTION || known === OID_JCEKS_PROTECTION
            ? {
                open: () => {
                  const recovered = recoverKey(raw.protectedKey, password);
                  return 'key' in recovered ? recovered.key : null;
                },
              }
            : { cannot: 'a private key protected with a scheme KeyDesk does not know' };
        return unknown(`its certificate chain holds a certificate of type "${foreign.type}", which KeyDesk does not read`, hold);
      }
      const recovered = recoverKey(raw.protectedKey, password);
      if ('reason' in recovered) return unknown(recovered.reason, cannotOpen(recovered.reason));
      return { kind: 'personal', label, privateKey: new Uint8Array(recovered.key), chain: raw.chain.map((c) => c.der), source };
    }
  }
}

function read(format: JavaFormat, input: Uint8Array, password: string): KeyStore {
  // A private copy: entries keep slices of it, and a caller's Buffer slices are views.
  const bytes = new Uint8Array(input);
  const magic = magicOf(bytes);
  if (magic !== MAGIC[format]) {
    const other: JavaFormat = format === 'jks' ? 'jceks' : 'jks';
    throw new KeyDeskError(
      'not-a-keystore',
      magic === MAGIC[other] ? `This is a ${NAME[other]} key store, not ${NAME[format]}.` : `This is not a ${NAME[format]} key store.`,
    );
  }
  let parsed: ParsedStore;
  try {
    parsed = parseStore(bytes, format);
  } catch (e) {
    if (e instanceof Corrupt) throw new KeyDeskError('damaged', `The ${NAME[format]} key store is damaged or truncated (${e.message}).`);
    throw e;
  }
  const expected = bytes.subarray(parsed.bodyEnd, parsed.bodyEnd + DIGEST_LENGTH);
  // The digest is the only password check a JKS/JCEKS file has; the JDK words it the same way.
  if (!timingSafeEqual(integrityDigest(password, bytes.subarray(0, parsed.bodyEnd)), expected)) {
    throw new KeyDeskError('wrong-password', 'The password is not correct (or the file was altered).');
  }
  return { format, entries: parsed.entries.map((raw) => toEntry(format, raw, password)), properties: { version: parsed.version } };
}

// ---------------------------------------------------------------------------------------
// Writing.

/** The entry's own record, when it came from a JKS or JCEKS file (their entries share one
 * layout) and still parses. */
function sourceView(entry: Entry): RawEntry | undefined {
  const src = entry.source;
  if (!src || (src.format !== 'jks' && src.format !== 'jceks')) return undefined;
  try {
    const c = new Cursor(src.bytes);
    const raw = readEntry(c, 2, 'jceks');
    return c.pos === src.bytes.length ? raw : undefined;
  } catch {
    return undefined;
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** May the protected key go into the new file as it is? Only with this format's own
 * scheme, and only if it opens with the new password to the key the entry holds. */
function keyReusable(format: JavaFormat, protectedKey: Uint8Array, pkcs8: Uint8Array, password: string): boolean {
  const oid = protectionOf(protectedKey)?.oid;
  if (oid !== (format === 'jks' ? OID_JKS_PROTECTION : OID_JCEKS_PROTECTION)) return false;
  const recovered = recoverKey(protectedKey, password);
  return 'key' in recovered && same(recovered.key, pkcs8);
}

function dateBytes(ms: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(ms));
  return b;
}

function unsupported(format: JavaFormat, entry: Entry, why: string): KeyDeskError {
  return new KeyDeskError('unsupported', `${NAME[format]} cannot hold the ${describeKind(entry)} "${entry.label}"${why}.`);
}

const REMEDY = 'Delete it first (or move it with keytool -importkeystore to a store that has the new password).';

function encodeStoreEntry(format: JavaFormat, entry: Entry, alias: string, password: string, now: Uint8Array, notes: string[]): Uint8Array {
  const view = sourceView(entry);
  const date = view?.date ?? now;
  // A renamed entry keeps everything but its alias.
  const renamed = (v: RawEntry): Uint8Array => (v.alias === alias ? v.bytes : encodeEntry({ ...v, alias }));
  /** Kept bytes that may be under the password the store was read with: under this one,
   * re-encrypted, or refused; as they are on a plain save. */
  const kept = (v: RawEntry, reencrypt: (opened: Uint8Array) => RawFields): Uint8Array => {
    const moving = movingToNewPassword(entry, password);
    if (!moving) return renamed(v);
    if (moving.cannot) throw cannotReencrypt(entry, moving.cannot, REMEDY);
    const opened = moving.opened;
    if (opened) return encodeEntry({ ...reencrypt(opened), alias });
    notes.push(`"${entry.label}" keeps its own password (it is not the store's); keytool -keypasswd changes it.`);
    return renamed(v);
  };

  switch (entry.kind) {
    case 'signer': {
      if (view?.tag === 2 && view.cert.type === CERT_TYPE && same(view.cert.der, entry.certificate)) return renamed(view);
      return encodeEntry({ tag: 2, alias, date, cert: { type: CERT_TYPE, der: entry.certificate } });
    }
    case 'personal': {
      if (entry.chain.length === 0) throw unsupported(format, entry, ': it has no certificate');
      if (!looksLikePrivateKeyInfo(entry.privateKey)) {
        throw new KeyDeskError('usage', `The private key of "${entry.label}" is not an unencrypted PKCS#8 PrivateKeyInfo.`);
      }
      const chainSame =
        view?.tag === 1 &&
        view.chain.length === entry.chain.length &&
        view.chain.every((c, i) => c.type === CERT_TYPE && same(c.der, entry.chain[i]!));
      if (chainSame && keyReusable(format, view.protectedKey, entry.privateKey, password)) return renamed(view);
      return encodeEntry({
        tag: 1,
        alias,
        date,
        protectedKey: protectKey(format, entry.privateKey, password),
        chain: entry.chain.map((der) => ({ type: CERT_TYPE, der })),
      });
    }
    case 'secret': {
      if (format === 'jks') throw unsupported(format, entry, '; save as JCEKS to keep it');
      if (entry.source?.format === 'jceks' && view?.tag === 3) {
        const sealed = view.sealed;
        return kept(view, (opened) => {
          const key = sealedKeyOf(sealed);
          // The reader found the same object resealable, so this does not happen.
          if ('cannot' in key) throw cannotReencrypt(entry, key.cannot, REMEDY);
          return { ...view, sealed: reseal(key, opened, password) };
        });
      }
      throw unsupported(format, entry, ': KeyDesk writes JCEKS secret keys only as they were read from a JCEKS file');
    }
    case 'unknown': {
      if (entry.source.format !== format) throw unsupported(format, entry, `: it was read from a ${entry.source.format} file in a form KeyDesk cannot interpret`);
      if (!view) throw unsupported(format, entry, ': its stored bytes are not a valid entry');
      return kept(view, (opened) => {
        if (view.tag !== 1) throw cannotReencrypt(entry, 'an entry', REMEDY);
        return { ...view, protectedKey: protectKey(format, opened, password) };
      });
    }
    case 'request':
      throw unsupported(format, entry, '; Java key stores have no place for pending requests');
  }
}

function write(format: JavaFormat, store: KeyStore, password: string): WrittenStore {
  // The JDK looks aliases up in lower case but stores them as found in the file, so a
  // mixed-case alias written here would be listed by keytool yet never found by name.
  const aliases = new Map<string, string>();
  for (const e of store.entries) {
    if (e.label === '') throw new KeyDeskError('usage', `An entry has an empty label; ${NAME[format]} needs an alias on every entry.`);
    const alias = e.label.toLowerCase();
    const other = aliases.get(alias);
    if (other !== undefined) {
      throw new KeyDeskError(
        'conflict',
        other === e.label
          ? `Two entries are labelled "${e.label}"; labels must be unique.`
          : `The labels "${other}" and "${e.label}" differ only in case; ${NAME[format]} treats them as the same alias.`,
      );
    }
    aliases.set(alias, e.label);
  }
  const now = dateBytes(Date.now());
  const notes: string[] = [];
  const body = new Sink().u32(MAGIC[format]).i32(2).i32(store.entries.length);
  for (const e of store.entries) body.raw(encodeStoreEntry(format, e, e.label.toLowerCase(), password, now, notes));
  const bytes = body.bytes();
  return { bytes: new Uint8Array(Buffer.concat([bytes, integrityDigest(password, bytes)])), notes };
}

// ---------------------------------------------------------------------------------------

function codec(format: JavaFormat): StoreCodec {
  return {
    format,
    sniff: (bytes) => magicOf(bytes) === MAGIC[format],
    read: (bytes, password) => read(format, bytes, password),
    write: (store, password) => write(format, store, password).bytes,
    writeWithNotes: (store, password) => write(format, store, password),
  };
}

export const jksCodec: StoreCodec = codec('jks');
export const jceksCodec: StoreCodec = codec('jceks');

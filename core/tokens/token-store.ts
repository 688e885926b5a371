/**
 * A PKCS#11 token as a key store: its certificates become entries as a file's would, and
 * a change is made on the token at once (there is no file to save). Personal
 * certificates are the certificates with a private key object of the same CKA_ID. Keys
 * are generated on the token (CKA_SENSITIVE, not CKA_EXTRACTABLE) and sign there: nothing
 * here ever reads a private key's value, and the model holds none for a token's entries.
 *
 * A token is named by an RFC 7512 PKCS#11 URI, `pkcs11:token=LABEL?module-path=MODULE`,
 * wherever a store path goes (the contract's StoreRef, the recent list): the CLI's
 * `-crypto MODULE -tokenlabel LABEL` and the GUI's Open Cryptographic Token… both build it.
 */
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { KeyDeskError } from '../errors';
import { parseTokenPath, tokenPath, type TokenAddress } from './token-uri';
export { isTokenPath, parseTokenPath, tokenPath, type TokenAddress } from './token-uri';
import type { Entry, KeyStore, PersonalEntry, RequestEntry, SignerEntry, UnknownEntry } from '../model/key-store';
import { buildChain } from '../x509/chain-builder';
import type { KeyHoldingSigner, SigningHash } from '../x509/certificate-builder';
import type { NewKeySpec } from '../operations/new-key-request';
import { acquireModule, ckr, firstLine, pinStateLine, pkcs11Binding, trimLabel, TOKEN_FLAGS, type Handle, type Pkcs11 } from './pkcs11-module';

/** CKA_APPLICATION of the data object that keeps a pending request beside its key. */
export const REQUEST_APPLICATION = 'KeyDesk certificate request';

export interface TokenSlot {
  slot: string;
  /** Empty when the slot holds no token. */
  tokenLabel: string;
  present: boolean;
  initialized: boolean;
  manufacturer?: string;
  model?: string;
  serial?: string;
}

/** Every slot the module reports, with the token in it (the GUI's token list). */
export function listTokenSlots(module: string): TokenSlot[] {
  const { pkcs11, release } = acquireModule(module);
  try {
    return pkcs11.C_GetSlotList(false).map((slot) => {
      const slotInfo = pkcs11.C_GetSlotInfo(slot);
      const present = (slotInfo.flags & 0x1) !== 0; // CKF_TOKEN_PRESENT
      if (!present) return { slot: slotId(slot), tokenLabel: '', present: false, initialized: false };
      const info = pkcs11.C_GetTokenInfo(slot);
      return {
        slot: slotId(slot),
        tokenLabel: trimLabel(info.label),
        present: true,
        initialized: (info.flags & TOKEN_FLAGS.tokenInitialized) !== 0,
        manufacturer: trimLabel(info.manufacturerID),
        model: trimLabel(info.model),
        serial: trimLabel(info.serialNumber),
      };
    });
  } finally {
    release();
  }
}

function slotId(slot: Handle): string {
  return Buffer.from(slot).readBigUInt64LE(0).toString();
}

/** An open, logged-in session on one token. */
export interface TokenConnection {
  address: TokenAddress;
  path: string;
  pkcs11: Pkcs11;
  session: Handle;
  properties: Record<string, string | number | boolean>;
  close(): void;
}

const live = new Set<TokenConnection>();

/** Ends every token session of this process: a CLI command's, when it is done, so the
 * module is finalized and the next command reads the token (and its configuration) afresh. */
export function closeAllTokens(): void {
  for (const connection of [...live]) connection.close();
}

/** Opens the token labelled as asked, logging in with the PIN. */
export function openToken(address: TokenAddress, pin: string | undefined): TokenConnection {
  const path = tokenPath(address);
  const { pkcs11, release } = acquireModule(address.module);
  let session: Handle | undefined;
  try {
    const slots = pkcs11.C_GetSlotList(true);
    const found = slots.map((slot) => ({ slot, info: pkcs11.C_GetTokenInfo(slot) })).filter((s) => trimLabel(s.info.label) === address.tokenLabel);
    if (found.length === 0) {
      const labels = slots.map((s) => trimLabel(pkcs11.C_GetTokenInfo(s).label)).filter(Boolean);
      const all = pkcs11.C_GetSlotList(false).length;
      throw new KeyDeskError(
        'file-not-found',
        labels.length > 0
          ? `${address.module}: no token labelled "${address.tokenLabel}"; the tokens there are ${labels.map((l) => `"${l}"`).join(', ')}.`
          : `${address.module}: no token labelled "${address.tokenLabel}": ${all > 0 ? `its ${all === 1 ? 'slot holds' : `${all} slots hold`} no initialized token` : 'it reports no slots'}; insert or initialize the token, then try again.`,
      );
    }
    if (found.length > 1) throw new KeyDeskError('conflict', `${address.module}: ${found.length} tokens are labelled "${address.tokenLabel}"; give each token a label of its own.`);
    const { slot, info } = found[0]!;
    if (info.flags & TOKEN_FLAGS.userPinLocked) throw lockedError(address);
    const pk = pkcs11Binding();
    session = pkcs11.C_OpenSession(slot, pk.CKF_SERIAL_SESSION | pk.CKF_RW_SESSION);
    if (pin === undefined || pin === '') {
      throw new KeyDeskError('usage', `no PIN for token "${address.tokenLabel}": give -pw (the token's user PIN).`, undefined, `no PIN for token "${address.tokenLabel}": type the token's user PIN.`);
    }
    try {
      pkcs11.C_Login(session, pk.CKU_USER, pin);
    } catch (e) {
      const code = ckr(e);
      if (code === 'CKR_USER_ALREADY_LOGGED_IN') {
        // Another session of this process logged in to the token: the login is the token's.
      } else if (code === 'CKR_PIN_INCORRECT' || code === 'CKR_PIN_LEN_RANGE') {
        const after = pkcs11.C_GetTokenInfo(slot).flags;
        const state = pinStateLine(after);
        throw new KeyDeskError('wrong-password', `token "${address.tokenLabel}": wrong PIN${state ? `; ${state}` : ''}. Check the PIN and try again.`);
      } else if (code === 'CKR_PIN_LOCKED') {
        throw lockedError(address);
      } else if (code === 'CKR_USER_PIN_NOT_INITIALIZED') {
        throw new KeyDeskError('unsupported', `token "${address.tokenLabel}" has no user PIN yet: its security officer sets one (softhsm2-util --init-token, or the vendor's tool) before it can be used.`);
      } else {
        throw new KeyDeskError('io', `token "${address.tokenLabel}": login failed (${firstLine(e)}).`);
      }
    }
    const properties = {
      token: address.tokenLabel,
      module: address.module,
      slot: slotId(slot),
      manufacturer: trimLabel(info.manufacturerID),
      model: trimLabel(info.model),
      serialNumber: trimLabel(info.serialNumber),
    };
    let closed = false;
    const opened = session;
    const connection: TokenConnection = {
      address,
      path,
      pkcs11,
      session: opened,
      properties,
      close: () => {
        if (closed) return;
        closed = true;
        live.delete(connection);
        try {
          pkcs11.C_CloseSession(opened);
        } catch {
          // The module may be finalized already; the session went with it.
        }
        release();
      },
    };
    live.add(connection);
    return connection;
  } catch (e) {
    if (session) {
      try {
        pkcs11.C_CloseSession(session);
      } catch {
        // Closing after a failure: the failure is what the user needs to hear.
      }
    }
    release();
    throw e;
  }
}

function lockedError(address: TokenAddress): KeyDeskError {
  return new KeyDeskError('wrong-password', `token "${address.tokenLabel}" is locked after too many wrong PINs: its security officer must unlock it (set a new user PIN) before it opens again.`);
}

// --- reading ------------------------------------------------------------------------------

interface TokenObject {
  handle: Handle;
  label: string;
  id: string;
}

function find(conn: TokenConnection, template: Record<number, unknown>): Handle[] {
  const { pkcs11, session } = conn;
  pkcs11.C_FindObjectsInit(
    session,
    Object.entries(template).map(([type, value]) => ({ type: Number(type), value: value as never })),
  );
  const out: Handle[] = [];
  try {
    for (;;) {
      const batch = pkcs11.C_FindObjects(session, 100);
      if (batch.length === 0) break;
      out.push(...batch);
    }
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
  return out;
}

function attributes(conn: TokenConnection, handle: Handle, types: number[]): Map<number, Buffer | undefined> {
  const out = new Map<number, Buffer | undefined>();
  for (const type of types) {
    // One at a time: a token refuses the whole call for one attribute it does not have.
    try {
      const [got] = conn.pkcs11.C_GetAttributeValue(conn.session, handle, [{ type }]);
      out.set(type, got?.value as Buffer | undefined);
    } catch {
      out.set(type, undefined);
    }
  }
  return out;
}

function objectsOf(conn: TokenConnection, cls: number, extra: Record<number, unknown> = {}): (TokenObject & { value?: Buffer; application?: string })[] {
  const pk = pkcs11Binding();
  return find(conn, { [pk.CKA_CLASS]: cls, ...extra }).map((handle) => {
    const a = attributes(conn, handle, [pk.CKA_LABEL, pk.CKA_ID, ...(cls === pk.CKO_PRIVATE_KEY ? [] : [pk.CKA_VALUE]), ...(cls === pk.CKO_DATA ? [pk.CKA_APPLICATION] : [])]);
    return {
      handle,
      label: a.get(pk.CKA_LABEL)?.toString('utf8') ?? '',
      id: a.get(pk.CKA_ID)?.toString('hex') ?? '',
      value: a.get(pk.CKA_VALUE),
      application: a.get(pk.CKA_APPLICATION)?.toString('utf8'),
    };
  });
}

/** The token's objects as a KeyStore (format 'pkcs11'). */
export function readTokenStore(conn: TokenConnection): KeyStore {
  const pk = pkcs11Binding();
  const certificates = objectsOf(conn, pk.CKO_CERTIFICATE, { [pk.CKA_CERTIFICATE_TYPE]: pk.CKC_X_509 });
  const keys = objectsOf(conn, pk.CKO_PRIVATE_KEY);
  const requests = objectsOf(conn, pk.CKO_DATA).filter((d) => d.application === REQUEST_APPLICATION);
  const keyIds = new Set(keys.map((k) => k.id).filter(Boolean));
  const pool = certificates.flatMap((c) => (c.value ? [new Uint8Array(c.value)] : []));
  const entries: Entry[] = [];
  const withCertificate = new Set<string>();
  for (const c of certificates) {
    if (!c.value) continue;
    const der = new Uint8Array(c.value);
    const label = c.label || labelFallback(der);
    if (c.id && keyIds.has(c.id)) {
      withCertificate.add(c.id);
      const entry: PersonalEntry = { kind: 'personal', label, privateKey: new Uint8Array(0), chain: buildChain(der, pool.filter((p) => !Buffer.from(p).equals(c.value!))).chain, token: { id: c.id } };
      entries.push(entry);
    } else {
      const entry: SignerEntry = { kind: 'signer', label, certificate: der, token: { ...(c.id ? { id: c.id } : {}) } };
      entries.push(entry);
    }
  }
  for (const k of keys) {
    if (!k.id || withCertificate.has(k.id)) continue;
    const request = requests.find((r) => r.id === k.id) ?? requests.find((r) => r.label.toLowerCase() === k.label.toLowerCase());
    if (request?.value) {
      const entry: RequestEntry = { kind: 'request', label: k.label || request.label, csr: new Uint8Array(request.value), privateKey: new Uint8Array(0), token: { id: k.id } };
      entries.push(entry);
    } else {
      const entry: UnknownEntry = {
        kind: 'unknown',
        label: k.label || `key ${k.id}`,
        source: { format: 'pkcs11', bytes: new Uint8Array(0) },
        reason: 'a private key on the token with no certificate (CKA_ID ' + k.id + ') and no request KeyDesk made for it: Receive the certificate its request was answered with',
        token: { id: k.id },
      };
      entries.push(entry);
    }
  }
  return { format: 'pkcs11', entries, properties: { ...conn.properties } };
}

function labelFallback(der: Uint8Array): string {
  try {
    return new X509Certificate(der).subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'certificate';
  } catch {
    return 'certificate';
  }
}

// --- keys on the token ----------------------------------------------------------------

const CURVE_OIDS: Record<string, { der: Buffer; coordinate: number; name: 'P-256' | 'P-384' | 'P-521' }> = {
  'P-256': { der: Buffer.from('06082a8648ce3d030107', 'hex'), coordinate: 32, name: 'P-256' },
  'P-384': { der: Buffer.from('06052b81040022', 'hex'), coordinate: 48, name: 'P-384' },
  'P-521': { der: Buffer.from('06052b81040023', 'hex'), coordinate: 66, name: 'P-521' },
};

/** A new key pair made on the token: the private half sensitive and not extractable. */
export function generateKeyOnToken(conn: TokenConnection, spec: NewKeySpec, label: string): { id: string; signer: KeyHoldingSigner } {
  const pk = pkcs11Binding();
  const id = randomBytes(20);
  const common = [
    { type: pk.CKA_TOKEN, value: true },
    { type: pk.CKA_LABEL, value: label },
    { type: pk.CKA_ID, value: id },
  ];
  const privateTemplate = [
    ...common,
    { type: pk.CKA_PRIVATE, value: true },
    { type: pk.CKA_SENSITIVE, value: true },
    { type: pk.CKA_EXTRACTABLE, value: false },
    { type: pk.CKA_SIGN, value: true },
  ];
  let keys: { publicKey: Handle; privateKey: Handle };
  try {
    if (spec.algorithm === 'RSA') {
      keys = conn.pkcs11.C_GenerateKeyPair(
        conn.session,
        { mechanism: pk.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [...common, { type: pk.CKA_VERIFY, value: true }, { type: pk.CKA_MODULUS_BITS, value: spec.size }, { type: pk.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
        // RSA key transport (the TLS_RSA_* CipherSpecs) decrypts with the key.
        [...privateTemplate, { type: pk.CKA_DECRYPT, value: true }],
      );
    } else {
      const curve = CURVE_OIDS[spec.curve]!;
      keys = conn.pkcs11.C_GenerateKeyPair(
        conn.session,
        { mechanism: pk.CKM_EC_KEY_PAIR_GEN },
        [...common, { type: pk.CKA_VERIFY, value: true }, { type: pk.CKA_EC_PARAMS, value: curve.der }],
        [...privateTemplate, { type: pk.CKA_DERIVE, value: true }],
      );
    }
  } catch (e) {
    throw new KeyDeskError('io', `token "${conn.address.tokenLabel}": the key pair was not generated (${firstLine(e)}); nothing was added.`);
  }
  const publicKey = publicKeyOf(conn, keys.publicKey, spec);
  return { id: id.toString('hex'), signer: tokenSigner(conn, keys.privateKey, publicKey, spec.algorithm === 'RSA' ? 'rsa' : 'ec') };
}

/** SubjectPublicKeyInfo DER of a public key object. */
function publicKeyOf(conn: TokenConnection, handle: Handle, spec: NewKeySpec): Uint8Array {
  const pk = pkcs11Binding();
  const b64 = (b: Buffer) => b.toString('base64url');
  if (spec.algorithm === 'RSA') {
    const a = attributes(conn, handle, [pk.CKA_MODULUS, pk.CKA_PUBLIC_EXPONENT]);
    const jwk = { kty: 'RSA', n: b64(a.get(pk.CKA_MODULUS)!), e: b64(a.get(pk.CKA_PUBLIC_EXPONENT)!) };
    return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  }
  const curve = CURVE_OIDS[spec.curve]!;
  let point = attributes(conn, handle, [pk.CKA_EC_POINT]).get(pk.CKA_EC_POINT)!;
  // PKCS#11 says the point is DER (an OCTET STRING around it); some tokens give it bare.
  if (point.length !== 1 + 2 * curve.coordinate) point = unwrapOctetString(point);
  const jwk = { kty: 'EC', crv: curve.name, x: b64(point.subarray(1, 1 + curve.coordinate)), y: b64(point.subarray(1 + curve.coordinate)) };
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

function unwrapOctetString(der: Buffer): Buffer {
  if (der[0] !== 0x04) return der;
  let at = 2;
  let length = der[1]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = (length << 8) | der[2 + i]!;
    at = 2 + n;
  }
  return der.subarray(at, at + length);
}

const RSA_MECHANISMS: Record<SigningHash, string> = { sha1: 'CKM_SHA1_RSA_PKCS', sha224: 'CKM_SHA224_RSA_PKCS', sha256: 'CKM_SHA256_RSA_PKCS', sha384: 'CKM_SHA384_RSA_PKCS', sha512: 'CKM_SHA512_RSA_PKCS' };
const HASH_BYTES: Record<SigningHash, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** Signs on the token with the private key `handle`; the key stays there. */
export function tokenSigner(conn: TokenConnection, handle: Handle, publicKey: Uint8Array, type: 'rsa' | 'ec'): KeyHoldingSigner {
  const pk = pkcs11Binding();
  const constant = (name: string) => (pk as unknown as Record<string, number>)[name]!;
  return {
    publicKey,
    sign(data, hash, scheme) {
      const out = Buffer.alloc(1024);
      try {
        if (scheme === 'ecdsa') {
          if (type !== 'ec') throw new KeyDeskError('unsupported', 'an ECDSA signature needs an EC key');
          // Hashed here, signed there: CKM_ECDSA (on the digest) is what every token has.
          const digest = createHash(hash).update(data).digest();
          conn.pkcs11.C_SignInit(conn.session, { mechanism: pk.CKM_ECDSA }, handle);
          return derEcdsaSignature(conn.pkcs11.C_Sign(conn.session, digest, out));
        }
        const name = RSA_MECHANISMS[hash];
        if (scheme === 'pss') {
          const pssName = name.replace('_RSA_PKCS', '_RSA_PKCS_PSS');
          const hashName = `CKM_${hash.toUpperCase()}`;
          const mgfName = `CKG_MGF1_${hash.toUpperCase()}`;
          conn.pkcs11.C_SignInit(
            conn.session,
            { mechanism: constant(pssName), parameter: { type: pk.CK_PARAMS_RSA_PSS, hashAlg: constant(hashName), mgf: constant(mgfName), saltLen: HASH_BYTES[hash] } as never },
            handle,
          );
        } else {
          conn.pkcs11.C_SignInit(conn.session, { mechanism: constant(name) }, handle);
        }
        return new Uint8Array(conn.pkcs11.C_Sign(conn.session, Buffer.from(data), out));
      } catch (e) {
        if (e instanceof KeyDeskError) throw e;
        throw new KeyDeskError('io', `token "${conn.address.tokenLabel}": signing failed (${firstLine(e)}).`);
      }
    },
  };
}

/** PKCS#11 gives r‖s; X.509 carries ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. */
function derEcdsaSignature(raw: Buffer): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    let v = bytes;
    while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.subarray(1);
    if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]));
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** The signer for the private key of an entry already on the token (CKA_ID `id`). */
export function signerForKey(conn: TokenConnection, id: string, certificateOrSpki: { certificate?: Uint8Array; spki?: Uint8Array }): KeyHoldingSigner {
  const pk = pkcs11Binding();
  const [handle] = find(conn, { [pk.CKA_CLASS]: pk.CKO_PRIVATE_KEY, [pk.CKA_ID]: Buffer.from(id, 'hex') });
  if (!handle) throw new KeyDeskError('not-found', `token "${conn.address.tokenLabel}": the private key (CKA_ID ${id}) is no longer on the token.`);
  const spki = certificateOrSpki.spki ?? new Uint8Array(new X509Certificate(certificateOrSpki.certificate!).publicKey.export({ type: 'spki', format: 'der' }));
  const type = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  return tokenSigner(conn, handle, spki, type);
}

// --- writing ----------------------------------------------------------------------------

function certificateTemplate(certificate: Uint8Array, label: string, id: string | undefined) {
  const pk = pkcs11Binding();
  const x = new X509Certificate(certificate);
  return [
    { type: pk.CKA_CLASS, value: pk.CKO_CERTIFICATE },
    { type: pk.CKA_CERTIFICATE_TYPE, value: pk.CKC_X_509 },
    { type: pk.CKA_TOKEN, value: true },
    { type: pk.CKA_PRIVATE, value: false },
    { type: pk.CKA_LABEL, value: label },
    { type: pk.CKA_VALUE, value: Buffer.from(certificate) },
    { type: pk.CKA_SUBJECT, value: subjectDer(certificate, 'subject') },
    { type: pk.CKA_ISSUER, value: subjectDer(certificate, 'issuer') },
    { type: pk.CKA_SERIAL_NUMBER, value: serialDer(x.serialNumber) },
    ...(id ? [{ type: pk.CKA_ID, value: Buffer.from(id, 'hex') }] : []),
  ];
}

/** The DER of a certificate's subject or issuer Name, read off its TBSCertificate. */
function subjectDer(certificate: Uint8Array, which: 'subject' | 'issuer'): Buffer {
  const buf = Buffer.from(certificate);
  const read = (at: number) => {
    let length = buf[at + 1]!;
    let header = 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + buf[at + 2 + i]!;
      header = 2 + n;
    }
    return { tag: buf[at]!, start: at + header, end: at + header + length, at };
  };
  const cert = read(0);
  const tbs = read(cert.start);
  let at = tbs.start;
  const fields: ReturnType<typeof read>[] = [];
  while (at < tbs.end && fields.length < 6) {
    const f = read(at);
    fields.push(f);
    at = f.end;
  }
  const offset = fields[0]!.tag === 0xa0 ? 1 : 0;
  const field = fields[offset + (which === 'issuer' ? 2 : 4)]!;
  return buf.subarray(field.at, field.end);
}

function serialDer(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

export function createCertificateObject(conn: TokenConnection, certificate: Uint8Array, label: string, id?: string): void {
  conn.pkcs11.C_CreateObject(conn.session, certificateTemplate(certificate, label, id));
}

/** A pending request, kept on the token beside its key. Data objects have no CKA_ID, so
 * it is found by its key's label (Rename changes both). */
export function createRequestObject(conn: TokenConnection, csr: Uint8Array, label: string): void {
  const pk = pkcs11Binding();
  conn.pkcs11.C_CreateObject(conn.session, [
    { type: pk.CKA_CLASS, value: pk.CKO_DATA },
    { type: pk.CKA_TOKEN, value: true },
    { type: pk.CKA_PRIVATE, value: false },
    { type: pk.CKA_LABEL, value: label },
    { type: pk.CKA_APPLICATION, value: REQUEST_APPLICATION },
    { type: pk.CKA_VALUE, value: Buffer.from(csr) },
  ]);
}

/** Objects that belong to the entry whose key has CKA_ID `id`: certificates, keys, its request. */
function objectsWithId(conn: TokenConnection, id: string, label: string): Handle[] {
  const pk = pkcs11Binding();
  const byId = find(conn, { [pk.CKA_ID]: Buffer.from(id, 'hex') });
  const requests = objectsOf(conn, pk.CKO_DATA).filter((d) => d.application === REQUEST_APPLICATION && d.label.toLowerCase() === label.toLowerCase());
  return [...byId, ...requests.map((r) => r.handle)];
}

/** Removes every object of an entry on the token (a key just made, when its change failed). */
export function destroyEntryObjects(conn: TokenConnection, id: string, label: string): void {
  for (const h of objectsWithId(conn, id, label)) {
    try {
      conn.pkcs11.C_DestroyObject(conn.session, h);
    } catch {
      // Best effort: what is left shows in the listing as a key without a certificate.
    }
  }
}

function signerObjects(conn: TokenConnection, certificate: Uint8Array): Handle[] {
  const pk = pkcs11Binding();
  return find(conn, { [pk.CKA_CLASS]: pk.CKO_CERTIFICATE, [pk.CKA_VALUE]: Buffer.from(certificate) });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Makes the token hold what `after` says, from what `before` (read from it) held: the
 * change an operation made to a copy of the token's store, applied object by object.
 * Everything is checked before the first object changes.
 */
export function applyToToken(conn: TokenConnection, before: KeyStore, after: KeyStore): void {
  const pk = pkcs11Binding();
  type Step = () => void;
  const steps: Step[] = [];
  const afterById = new Map(after.entries.filter((e) => e.token?.id && e.kind !== 'signer').map((e) => [e.token!.id!, e]));
  for (const old of before.entries) {
    if (old.kind === 'signer') {
      const still = after.entries.find((e) => e.kind === 'signer' && sameBytes(e.certificate, old.certificate));
      if (!still) steps.push(() => signerObjects(conn, old.certificate).forEach((h) => conn.pkcs11.C_DestroyObject(conn.session, h)));
      else if (still.label !== old.label) steps.push(() => signerObjects(conn, old.certificate).forEach((h) => setLabel(conn, h, still.label)));
      continue;
    }
    const id = old.token?.id;
    if (!id) continue;
    const now = afterById.get(id);
    if (!now) {
      steps.push(() => objectsWithId(conn, id, old.label).forEach((h) => conn.pkcs11.C_DestroyObject(conn.session, h)));
      continue;
    }
    const oldLeaf = old.kind === 'personal' ? old.chain[0] : undefined;
    const newLeaf = now.kind === 'personal' ? now.chain[0] : undefined;
    if (newLeaf && (!oldLeaf || !sameBytes(oldLeaf, newLeaf))) {
      // Receive: the certificate goes beside its key; a request it answers, or the
      // certificate it renews, goes.
      steps.push(() => {
        for (const h of objectsWithId(conn, id, old.label)) {
          const cls = attributes(conn, h, [pk.CKA_CLASS]).get(pk.CKA_CLASS);
          const value = cls ? cls.readUInt32LE(0) : -1;
          if (value === pk.CKO_CERTIFICATE || value === pk.CKO_DATA) conn.pkcs11.C_DestroyObject(conn.session, h);
          else if (now.label !== old.label) setLabel(conn, h, now.label);
        }
        createCertificateObject(conn, newLeaf, now.label, id);
      });
    } else if (now.label !== old.label) {
      steps.push(() => objectsWithId(conn, id, old.label).forEach((h) => setLabel(conn, h, now.label)));
    }
  }
  for (const entry of after.entries) {
    if (entry.kind === 'signer') {
      const held = before.entries.some((e) => e.kind === 'signer' && sameBytes(e.certificate, entry.certificate));
      if (held) continue;
      if (entry.trusted === false) throw new KeyDeskError('unsupported', `a token cannot keep signer "${entry.label}" with its trust disabled; nothing was changed.`);
      steps.push(() => createCertificateObject(conn, entry.certificate, entry.label));
      continue;
    }
    const id = entry.token?.id;
    if (id && before.entries.some((e) => e.token?.id === id)) continue;
    // A key generated on the token for this change (New Self-Signed, New Request).
    if (id && entry.kind === 'personal') {
      steps.push(() => createCertificateObject(conn, entry.chain[0]!, entry.label, id));
      continue;
    }
    if (id && entry.kind === 'request') {
      steps.push(() => createRequestObject(conn, entry.csr, entry.label));
      continue;
    }
    if (entry.kind === 'personal' || entry.kind === 'request') {
      throw new KeyDeskError(
        'unsupported',
        `"${entry.label}" would put a private key made outside the token onto it; KeyDesk makes keys on the token only (New Self-Signed, New Request), so that the key is never outside it. Nothing was changed.`,
      );
    }
    throw new KeyDeskError('unsupported', `a token cannot hold the ${entry.kind} entry "${entry.label}"; nothing was changed.`);
  }
  for (const entry of after.entries) {
    if (entry.kind === 'personal' && entry.isDefault) {
      const was = before.entries.find((e) => e.token?.id === entry.token?.id);
      if (!(was?.kind === 'personal' && was.isDefault)) {
        throw new KeyDeskError('unsupported', `a token has no default certificate; name "${entry.label}" by its label where it is used (MQ's CERTLABL). Nothing was changed.`);
      }
    }
  }
  try {
    for (const step of steps) step();
  } catch (e) {
    if (e instanceof KeyDeskError) throw e;
    throw new KeyDeskError('io', `token "${conn.address.tokenLabel}": the change stopped part way (${firstLine(e)}); list the token to see what it now holds.`);
  }
}

function setLabel(conn: TokenConnection, handle: Handle, label: string): void {
  const pk = pkcs11Binding();
  conn.pkcs11.C_SetAttributeValue(conn.session, handle, [{ type: pk.CKA_LABEL, value: label }]);
}

/**
 * Certificate files as operators receive them from CAs and partners: PEM ("Base64-encoded
 * ASCII data" / ARM in iKeyman), DER ("Binary DER data"), bare base64, and PKCS#7
 * certs-only bundles (.p7b/.p7c) in PEM or DER — often pasted into mail or damaged by a
 * text-mode transfer on the way.
 *
 * What the file is comes from its content only; a name cannot make a DER file PEM. The
 * name's extension only settles the one question content cannot: whether unrecognisable
 * bytes are a certificate file that got broken or simply not a certificate file.
 *
 * Errors (KeyDeskError, messages without the file name; the caller prefixes it):
 * - 'damaged': the content is recognisably a certificate, PKCS#7 bundle or binary file
 *   that a transfer broke, but cannot be read (cut short, altered base64, wrong lengths);
 *   also unrecognisable content in a file named like a certificate.
 * - 'unsupported': no certificate in the file — "no certificate found in this file (it
 *   looks like a private key)" — it was understood, just not as certificates.
 *
 * Certificates are returned byte for byte as they sit in the file (never re-encoded), so
 * their signatures and fingerprints stay intact.
 */
import { bytesEqual, fromBinary, oidToDer } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { bytesAsText, decodeBase64, encodePem, findPemBlocks, type PemBlock } from './pem';
import { classifyDer, describeContent, diagnoseTransferDamage, PEM_CERTIFICATE_LABELS, PEM_PKCS7_LABELS } from './transfer-damage';

export type CertificateEncoding = 'pem' | 'der' | 'base64' | 'pkcs7-pem' | 'pkcs7-der';

export interface CertificateFile {
  /** Certificate DERs in file order (a PKCS#7 bundle's in the order it holds them). */
  certificates: Uint8Array[];
  /** 'base64' is base64 without PEM lines, of a certificate or of a PKCS#7 bundle; a PEM
   * file with any PKCS#7 block is 'pkcs7-pem'. */
  encoding: CertificateEncoding;
}

const CERTIFICATE_NAME = /\.(pem|arm|crt|cer|der|cert|p7b|p7c|spc)$/i;
const oidTlv = (oid: string): Uint8Array => {
  const body = fromBinary(oidToDer(oid));
  return Uint8Array.of(0x06, body.length, ...body);
};
const SIGNED_DATA_OID = oidTlv('1.2.840.113549.1.7.2');
const DATA_OID = oidTlv('1.2.840.113549.1.7.1');

// ---------------------------------------------------------------------------------------
// Slicing DER (and BER, which Windows uses for some .p7b exports) without re-encoding.

class Broken extends Error {}

interface Tlv {
  tag: number;
  start: number;
  body: number;
  bodyEnd: number;
  end: number;
}

/** Real certificate files nest a dozen levels; a hostile one could nest thousands of
 * indefinite lengths and exhaust the stack. */
const MAX_DEPTH = 64;

function readTlv(b: Uint8Array, at: number, limit: number, depth = 0): Tlv {
  if (depth > MAX_DEPTH) throw new Broken('it is nested deeper than any real certificate file');
  if (at + 2 > limit) throw new Broken('it ends in the middle of a value');
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) throw new Broken('it has a tag no certificate file uses');
  let p = at + 1;
  const first = b[p++]!;
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw new Broken('it has an indefinite length on a simple value');
    for (let q = p; ; q = readTlv(b, q, limit, depth + 1).end) {
      if (q + 2 > limit) throw new Broken('it ends before its end-of-contents marker');
      if (b[q] === 0 && b[q + 1] === 0) return { tag, start: at, body: p, bodyEnd: q, end: q + 2 };
    }
  }
  let len = first;
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4 || p + n > limit) throw new Broken('it has an impossible length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  if (p + len > limit) throw new Broken('it is shorter than its lengths say (cut short?)');
  return { tag, start: at, body: p, bodyEnd: p + len, end: p + len };
}

function childrenOf(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.body; p < t.bodyEnd; ) {
    const c = readTlv(b, p, t.bodyEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The top-level values of `der`. Editors and `echo >>` leave a newline or NULs after a
 * DER file; those are ignored when nothing else explains the extra bytes. */
function topLevel(der: Uint8Array): Uint8Array[] {
  const split = (limit: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let at = 0; at < limit; ) {
      const t = readTlv(der, at, limit);
      out.push(der.subarray(t.start, t.end));
      at = t.end;
    }
    return out;
  };
  try {
    return split(der.length);
  } catch (e) {
    let end = der.length;
    while (end > 0 && [0x00, 0x0a, 0x0d, 0x20].includes(der[end - 1]!)) end--;
    if (end === der.length || end === 0) throw e;
    try {
      return split(end);
    } catch {
      throw e;
    }
  }
}

function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  const top = readTlv(der, 0, der.length);
  const [oid, explicit] = childrenOf(der, top);
  if (!oid || !explicit || !bytesEqual(der.subarray(oid.start, oid.end), SIGNED_DATA_OID)) throw new Broken('it is not PKCS#7 signed data');
  const signedData = childrenOf(der, explicit)[0];
  if (!signedData) throw new Broken('its signed data is empty');
  const field = childrenOf(der, signedData).find((t) => t.tag === 0xa0);
  if (!field) return [];
  // Other certificate choices (attribute certificates, [1]..[3]) are not X.509 certificates.
  return childrenOf(der, field)
    .filter((t) => t.tag === 0x30)
    .map((t) => {
      const cert = new Uint8Array(der.subarray(t.start, t.end));
      if (classifyDer(cert) !== 'certificate') throw new Broken('it holds a certificate that does not parse');
      return cert;
    });
}

// ---------------------------------------------------------------------------------------
// Reading.

function noCertificate(bytes: Uint8Array, fileName: string | undefined): KeyDeskError {
  const looks = describeContent(bytes);
  if ((looks === 'unknown binary data' || looks === 'text') && fileName && CERTIFICATE_NAME.test(fileName)) {
    return new KeyDeskError(
      'damaged',
      `this is named like a certificate file but holds no certificate in any encoding KeyDesk reads (PEM, DER, base64, PKCS#7): it looks like ${looks}, so it was probably damaged or replaced on the way`,
    );
  }
  return new KeyDeskError('unsupported', `no certificate found in this file (it looks like ${looks})`);
}

/** The first bytes of a DER certificate or PKCS#7 bundle, enough to call a broken one
 * "damaged" rather than "not a certificate". */
function startsLikeCertificateOrPkcs7(b: Uint8Array): 'certificate' | 'PKCS#7 bundle' | undefined {
  const headerLength = (at: number): number => (b[at + 1]! < 0x80 ? 2 : 2 + (b[at + 1]! & 0x7f));
  if (b[0] !== 0x30 || b.length < 8) return undefined;
  const inner = headerLength(0);
  if (bytesEqual(b.subarray(inner, inner + SIGNED_DATA_OID.length), SIGNED_DATA_OID)) return 'PKCS#7 bundle';
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version | serial INTEGER, …
  const firstOfTbs = b[inner + headerLength(inner)];
  return b[inner] === 0x30 && (firstOfTbs === 0xa0 || firstOfTbs === 0x02) ? 'certificate' : undefined;
}

/** DER (one or more certificates, or a PKCS#7 bundle); `raw` is the whole file, for the
 * transfer-damage check and messages. */
function readDer(der: Uint8Array, raw: Uint8Array, fileName: string | undefined, base64: boolean): CertificateFile {
  let parts: Uint8Array[];
  try {
    parts = topLevel(der);
  } catch (e) {
    if (!(e instanceof Broken)) throw e;
    // Base64 text cannot be damaged by a text-mode transfer; binary can.
    const transfer = base64 ? undefined : diagnoseTransferDamage(raw);
    if (transfer?.damaged) throw new KeyDeskError('damaged', transfer.message);
    const what = startsLikeCertificateOrPkcs7(der);
    if (what) throw new KeyDeskError('damaged', `the ${base64 ? 'base64' : 'DER'} ${what} cannot be read: ${e.message}`);
    throw noCertificate(raw, fileName);
  }
  const kinds = parts.map((p) => classifyDer(p));
  if (parts.length === 1 && kinds[0] === 'pkcs7') {
    let certificates: Uint8Array[];
    try {
      certificates = pkcs7Certificates(parts[0]!);
    } catch (e) {
      if (e instanceof Broken) throw new KeyDeskError('damaged', `the PKCS#7 bundle cannot be read: ${e.message}`);
      throw e;
    }
    if (certificates.length === 0) throw new KeyDeskError('unsupported', 'no certificate found in this file (it is a PKCS#7 bundle with no certificates in it)');
    return { certificates, encoding: base64 ? 'base64' : 'pkcs7-der' };
  }
  if (kinds.every((k) => k === 'certificate')) return { certificates: parts.map((p) => new Uint8Array(p)), encoding: base64 ? 'base64' : 'der' };
  // A file that parses but is not a certificate may still be a transfer-damaged one whose
  // lengths happen to line up; the diagnosis only speaks up when it is sure.
  const transfer = base64 ? undefined : diagnoseTransferDamage(raw);
  if (transfer?.damaged) throw new KeyDeskError('damaged', transfer.message);
  throw noCertificate(raw, fileName);
}

function readPemCertificates(blocks: PemBlock[], raw: Uint8Array, fileName: string | undefined): CertificateFile {
  const certificates: Uint8Array[] = [];
  let pkcs7 = false;
  let found = false;
  for (const block of blocks) {
    if (!PEM_CERTIFICATE_LABELS.has(block.label) && !PEM_PKCS7_LABELS.has(block.label)) continue;
    found = true;
    const where = `the ${block.label} block on line ${block.line}`;
    if (!block.der) throw new KeyDeskError('damaged', `the ${block.label} block ${block.problem}`);
    let der = block.der;
    if (block.label === 'TRUSTED CERTIFICATE') {
      // OpenSSL's trust settings (X509_CERT_AUX) follow the certificate; KeyDesk keeps
      // trust in the store, not in the certificate, so only the certificate is taken.
      try {
        const t = readTlv(der, 0, der.length);
        der = der.subarray(t.start, t.end);
      } catch (e) {
        if (e instanceof Broken) throw new KeyDeskError('damaged', `${where} does not hold a readable certificate: ${e.message}`);
        throw e;
      }
    }
    const kind = classifyDer(der);
    if (kind === 'certificate') {
      certificates.push(new Uint8Array(der));
    } else if (kind === 'pkcs7') {
      // Some Windows exports label a PKCS#7 bundle "CERTIFICATE".
      try {
        certificates.push(...pkcs7Certificates(der));
      } catch (e) {
        if (e instanceof Broken) throw new KeyDeskError('damaged', `${where} holds a PKCS#7 bundle that cannot be read: ${e.message}`);
        throw e;
      }
      pkcs7 = true;
    } else if (kind === undefined) {
      throw new KeyDeskError('damaged', `${where} does not hold valid DER: its data was altered or cut`);
    } else {
      throw new KeyDeskError('unsupported', `${where} holds ${describeContent(der)}, not a certificate`);
    }
  }
  if (!found) throw noCertificate(raw, fileName);
  if (certificates.length === 0) throw new KeyDeskError('unsupported', 'no certificate found in this file (it is a PKCS#7 bundle with no certificates in it)');
  return { certificates, encoding: pkcs7 ? 'pkcs7-pem' : 'pem' };
}

/**
 * Every certificate in a certificate file, in file order, whatever its encoding.
 * `fileName` is used only when content cannot decide (see the module comment).
 */
export function readCertificates(bytes: Uint8Array, fileName?: string): CertificateFile {
  const text = bytesAsText(bytes);
  if (text === undefined) return readDer(bytes, bytes, fileName, false);
  const blocks = findPemBlocks(text);
  if (blocks.length > 0) return readPemCertificates(blocks, bytes, fileName);
  // Base64 of a DER SEQUENCE always starts "M" ("MI…" once longer than 127 bytes).
  const compact = text.replace(/\s+/g, '');
  if (/^M[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length >= 16) {
    const der = decodeBase64(compact);
    if (!der) throw new KeyDeskError('damaged', 'the base64 text is cut short or altered: its length is not a whole number of bytes');
    return readDer(der, bytes, fileName, true);
  }
  throw noCertificate(bytes, fileName);
}

// ---------------------------------------------------------------------------------------
// Writing.

function assertCertificate(der: Uint8Array): void {
  if (classifyDer(der) !== 'certificate') throw new KeyDeskError('usage', 'the bytes to write are not a DER certificate');
}

/** One certificate as PEM ('ascii': 64-character lines, LF, final newline — what
 * `openssl x509` writes) or DER ('binary'). */
export function writeCertificate(der: Uint8Array, format: 'ascii' | 'binary'): Uint8Array {
  assertCertificate(der);
  return format === 'ascii' ? new Uint8Array(Buffer.from(encodePem('CERTIFICATE', der), 'ascii')) : new Uint8Array(der);
}

/** A PEM bundle: the certificates one after another, in the order given. */
export function writeCertificates(ders: Uint8Array[], format: 'ascii'): Uint8Array {
  if (ders.length === 0) throw new KeyDeskError('usage', 'there are no certificates to write');
  return new Uint8Array(Buffer.concat(ders.map((d) => writeCertificate(d, format))));
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([Uint8Array.of(tag, ...derLength(body.length)), body]));
}

/**
 * A PKCS#7 certs-only bundle (.p7b), DER: SignedData version 1 with no digest algorithms,
 * no content and no signers — what `openssl crl2pkcs7 -nocrl` writes. The certificates
 * keep the order given (OpenSSL encodes this field in order, not as a sorted SET).
 */
export function writePkcs7(ders: Uint8Array[]): Uint8Array {
  if (ders.length === 0) throw new KeyDeskError('usage', 'there are no certificates to write');
  ders.forEach(assertCertificate);
  const signedData = tlv(0x30, tlv(0x02, Uint8Array.of(1)), tlv(0x31), tlv(0x30, DATA_OID), tlv(0xa0, ...ders), tlv(0x31));
  return tlv(0x30, SIGNED_DATA_OID, tlv(0xa0, signedData));
}

/**
 * What a TLS server said in the clear, read from the raw bytes it sent: ServerHello (the
 * protocol and suite it chose), and in TLS 1.2 its Certificate and CertificateRequest
 * (with the CA names it accepts, which node:tls does not expose), and any alert sent
 * before encryption started. Under TLS 1.3 everything after ServerHello is encrypted, so
 * only ServerHello (and a plaintext alert) can be read here; see tls-probe.ts for how the
 * CA list is read from such a server.
 *
 * RFC 8446 §5.1 (records), §4 (handshake messages); RFC 5246 §7.4.4 (CertificateRequest).
 */

export type WireProtocol = 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1' | 'SSLv3';

export interface ServerFlight {
  /** The first bytes when they are not a TLS record: another protocol answered. */
  notTls?: Uint8Array;
  serverHello?: { protocol: WireProtocol; suite: number };
  /** TLS 1.2 only: the chain exactly as the server sent it, leaf first. */
  certificates?: Uint8Array[];
  /** TLS 1.2 only: the server asked for a client certificate, accepting these issuers (DER Names). */
  certificateRequest?: { caNames: Uint8Array[] };
  serverHelloDone?: boolean;
  /** An alert sent in the clear (TLS 1.2, or TLS 1.3 before ServerHello). */
  alert?: { level: number; description: number };
}

const HANDSHAKE = 22;
const ALERT = 21;
const CHANGE_CIPHER_SPEC = 20;
const APPLICATION_DATA = 23;

/** SHA-256("HelloRetryRequest"): a ServerHello with this random asks for another hello. */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const VERSIONS: Record<number, WireProtocol> = { 0x0304: 'TLSv1.3', 0x0303: 'TLSv1.2', 0x0302: 'TLSv1.1', 0x0301: 'TLSv1', 0x0300: 'SSLv3' };

/** True when `bytes` starts like a TLS record (handshake or alert, version 3.x). */
export function looksLikeTls(bytes: Uint8Array): boolean {
  return bytes.length > 0 && (bytes[0] === HANDSHAKE || bytes[0] === ALERT) && (bytes.length < 2 || bytes[1] === 3);
}

export function readServerFlight(input: Uint8Array): ServerFlight {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const flight: ServerFlight = {};
  if (bytes.length === 0) return flight;
  if (!looksLikeTls(bytes)) {
    flight.notTls = bytes.subarray(0, 256);
    return flight;
  }
  const handshake: Buffer[] = [];
  let at = 0;
  while (at + 5 <= bytes.length) {
    const type = bytes[at]!;
    const length = bytes.readUInt16BE(at + 3);
    if (at + 5 + length > bytes.length) break;
    const fragment = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (type === HANDSHAKE) handshake.push(fragment);
    else if (type === ALERT && fragment.length >= 2) {
      flight.alert = { level: fragment[0]!, description: fragment[1]! };
      break;
    } else if (type === CHANGE_CIPHER_SPEC || type === APPLICATION_DATA) break;
    else break;
  }
  readHandshakeMessages(Buffer.concat(handshake), flight);
  return flight;
}

function readHandshakeMessages(data: Buffer, flight: ServerFlight): void {
  let at = 0;
  while (at + 4 <= data.length) {
    const type = data[at]!;
    const length = data.readUIntBE(at + 1, 3);
    if (at + 4 + length > data.length) return;
    const body = data.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    try {
      if (type === 2) readServerHello(body, flight);
      else if (type === 11 && flight.serverHello?.protocol !== 'TLSv1.3') flight.certificates = readCertificateList(body);
      else if (type === 13 && flight.serverHello?.protocol !== 'TLSv1.3') flight.certificateRequest = { caNames: readCertificateRequest(body) };
      else if (type === 14) flight.serverHelloDone = true;
    } catch {
      // A message cut short or malformed: what was read before it still stands.
      return;
    }
  }
}

function readServerHello(body: Buffer, flight: ServerFlight): void {
  const legacyVersion = body.readUInt16BE(0);
  const random = body.subarray(2, 34);
  let at = 34;
  const sessionIdLength = body[at]!;
  at += 1 + sessionIdLength;
  const suite = body.readUInt16BE(at);
  at += 3; // suite, compression method
  let version = legacyVersion;
  if (at + 2 <= body.length) {
    const end = at + 2 + body.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const extType = body.readUInt16BE(at);
      const extLength = body.readUInt16BE(at + 2);
      // supported_versions: TLS 1.3 hides its version here (RFC 8446 §4.2.1).
      if (extType === 43 && extLength === 2) version = body.readUInt16BE(at + 4);
      at += 4 + extLength;
    }
  }
  // A HelloRetryRequest is followed by the real ServerHello; only that one counts.
  if (random.equals(HELLO_RETRY_RANDOM)) return;
  flight.serverHello = { protocol: VERSIONS[version] ?? 'TLSv1.2', suite };
}

function readCertificateList(body: Buffer): Uint8Array[] {
  const end = 3 + body.readUIntBE(0, 3);
  const list: Uint8Array[] = [];
  for (let at = 3; at + 3 <= end; ) {
    const length = body.readUIntBE(at, 3);
    list.push(new Uint8Array(body.subarray(at + 3, at + 3 + length)));
    at += 3 + length;
  }
  return list;
}

/** RFC 5246 §7.4.4: certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>,
 * certificate_authorities<0..2^16-1> of DistinguishedName<1..2^16-1>. */
function readCertificateRequest(body: Buffer): Uint8Array[] {
  let at = 1 + body[0]!;
  at += 2 + body.readUInt16BE(at);
  const end = at + 2 + body.readUInt16BE(at);
  at += 2;
  const names: Uint8Array[] = [];
  while (at + 2 <= end) {
    const length = body.readUInt16BE(at);
    names.push(new Uint8Array(body.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
  }
  return names;
}

/** IANA code points of the suites MQ's enabled CipherSpecs use, in OpenSSL's spelling
 * (TLS 1.3: the IANA name), for a handshake that failed after ServerHello named one. */
export const SUITE_NAMES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  0xc023: 'ECDHE-ECDSA-AES128-SHA256',
  0xc024: 'ECDHE-ECDSA-AES256-SHA384',
  0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384',
  0xc027: 'ECDHE-RSA-AES128-SHA256',
  0xc028: 'ECDHE-RSA-AES256-SHA384',
  0x009c: 'AES128-GCM-SHA256',
  0x009d: 'AES256-GCM-SHA384',
  0x003c: 'AES128-SHA256',
  0x003d: 'AES256-SHA256',
};

/** RFC 8446 §6 alert descriptions, by OpenSSL's spelling. */
export const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

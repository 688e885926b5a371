/**
 * Test support for the x509 parsers: make certificates with openssl and read back what
 * openssl says about them, so expectations come from a peer and not from our own code.
 * Only tests import this.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '../testing/peer-tools';

/** The bytes of the first PEM block in `pem`. */
export function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----BEGIN [^-]+-----/, '').replace(/-----END [^-]+-----[\s\S]*/, '');
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
}

export function readDer(pemPath: string): Uint8Array {
  return pemToDer(readFileSync(pemPath, 'latin1'));
}

/** openssl output for `args`, as text, with the `key=` prefix of one-line answers cut. */
export function openssl(args: string[], cwd?: string): string {
  return runTool('openssl', args, { cwd }).toString('utf8');
}

export function valueAfter(line: string, key: string): string {
  const prefix = `${key}=`;
  // Only the line break goes: a DN may end in an escaped space ("\\ ").
  const trimmed = line.replace(/\r?\n$/, '');
  if (!trimmed.startsWith(prefix)) throw new Error(`expected "${prefix}…", openssl said: ${line}`);
  return trimmed.slice(prefix.length);
}

/** Splits an RFC 4514 string into attributes, honouring backslash escapes; `sep` is the
 * separator before each attribute ('' for the first). Lets tests compare our DN text with
 * OpenSSL's while renaming only type names. */
export function splitDn(dn: string): { sep: string; type: string; value: string }[] {
  const out: { sep: string; type: string; value: string }[] = [];
  let sep = '';
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i] as string;
    if (c === '\\') {
      current += c + (dn[i + 1] ?? '');
      i++;
    } else if (c === ',' || c === '+') {
      out.push(splitAva(sep, current));
      sep = c;
      current = '';
    } else current += c;
  }
  if (dn.length > 0) out.push(splitAva(sep, current));
  return out;
}

function splitAva(sep: string, ava: string): { sep: string; type: string; value: string } {
  const eq = ava.indexOf('=');
  return { sep, type: ava.slice(0, eq), value: ava.slice(eq + 1) };
}

/** OpenSSL's spelling of type names where ours differs on purpose (see distinguished-name.ts). */
const OPENSSL_TYPE_NAMES: Record<string, string> = { street: 'STREET', serialNumber: 'SERIALNUMBER', title: 'T' };

/** OpenSSL's RFC2253 text with type names spelled as KeyDesk spells them. */
export function normalizeOpensslDn(dn: string): string {
  return splitDn(dn)
    .map(({ sep, type, value }) => `${sep}${OPENSSL_TYPE_NAMES[type] ?? type}=${value}`)
    .join('');
}

/** `openssl x509|req -noout -subject|-issuer -nameopt RFC2253,-esc_msb`, normalized. */
export function opensslName(kind: 'x509' | 'req', file: string, which: 'subject' | 'issuer'): string {
  const line = openssl([kind, '-in', file, '-noout', `-${which}`, '-nameopt', 'RFC2253,-esc_msb']);
  return normalizeOpensslDn(valueAfter(line, which));
}

/** A minimal req config, for the cases -subj alone cannot express (string_mask). */
export function writeReqConfig(dir: string, name: string, extra: string): string {
  const path = join(dir, name);
  writeFileSync(path, `[req]\ndistinguished_name = dn\nprompt = no\n${extra}\n[dn]\n`);
  return path;
}

// Translations of OpenSSL's display words into KeyDesk's. They name things; they are not
// expected values — those come from openssl for each certificate.
export const SIGNATURE_WORDS: Record<string, string> = {
  sha1WithRSAEncryption: 'SHA1withRSA',
  sha256WithRSAEncryption: 'SHA256withRSA',
  sha384WithRSAEncryption: 'SHA384withRSA',
  sha512WithRSAEncryption: 'SHA512withRSA',
  rsassaPss: 'RSASSA-PSS',
  'ecdsa-with-SHA256': 'SHA256withECDSA',
  'ecdsa-with-SHA384': 'SHA384withECDSA',
  'ecdsa-with-SHA512': 'SHA512withECDSA',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
  dsa_with_SHA256: 'SHA256withDSA',
};
export const KEY_WORDS: Record<string, string> = {
  rsaEncryption: 'RSA',
  rsassaPss: 'RSASSA-PSS',
  'id-ecPublicKey': 'EC',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
  dsaEncryption: 'DSA',
};
export const KEY_USAGE_WORDS: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
  'Encipher Only': 'encipherOnly',
  'Decipher Only': 'decipherOnly',
};
export const EKU_WORDS: Record<string, string> = {
  'TLS Web Server Authentication': 'serverAuth',
  'TLS Web Client Authentication': 'clientAuth',
  'Code Signing': 'codeSigning',
  'E-mail Protection': 'emailProtection',
  'Time Stamping': 'timeStamping',
  'OCSP Signing': 'OCSPSigning',
  'Microsoft Smartcard Login': 'msSmartcardLogin',
  'Any Extended Key Usage': 'anyExtendedKeyUsage',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Nov 27 03:38:31 2026 GMT' → '2026-11-27T03:38:31Z'. */
export function opensslDate(text: string): string {
  const m = /^(\w{3})\s+(\d+) (\d\d:\d\d:\d\d) (\d{4}) GMT$/.exec(text.trim());
  if (!m) throw new Error(`unexpected openssl date: ${text}`);
  const month = String(MONTHS.indexOf(m[1] as string) + 1).padStart(2, '0');
  return `${m[4]}-${month}-${(m[2] as string).padStart(2, '0')}T${m[3]}Z`;
}

/** OpenSSL's SAN words in KeyDesk's: 'IP:' for 'IP Address:', IPv6 in RFC 5952 form (via
 * the WHATWG URL parser), 'RID:', DirName in RFC 4514 order, othername without the pad. */
export function sanWord(entry: string): string {
  const ip = /^IP Address:(.*)$/.exec(entry);
  if (ip) return `IP:${(ip[1] as string).includes(':') ? new URL(`http://[${ip[1]}]/`).hostname.slice(1, -1) : ip[1]}`;
  const dir = /^DirName:\/(.*)$/.exec(entry);
  if (dir) return `DirName:${(dir[1] as string).split('/').reverse().join(',')}`;
  const other = /^othername: ?(.+?)::(.*)$/.exec(entry);
  if (other) return `othername:${other[1]}:${other[2]}`;
  return entry.replace(/^Registered ID:/, 'RID:');
}

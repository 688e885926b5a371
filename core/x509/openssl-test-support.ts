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

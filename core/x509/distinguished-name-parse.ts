/**
 * Distinguished names as operators type them after runmqakm's `-dn`:
 * `CN=QM1, OU=MQ, O=IBM, C=GB`, most specific first (RFC 4514 / RFC 2253 order). The DER
 * Name holds the RDNs the other way round (C first), which is what runmqakm and
 * `openssl req -subj` produce: such a certificate prints back as `CN=QM1,OU=MQ,O=IBM,C=GB`
 * under `-nameopt RFC2253`.
 *
 * Accepted syntax: RFC 4514 (escapes `\,` `\+` `\"` `\\` …, hex escapes `\2C` that may
 * spell UTF-8 byte by byte, `#hex` BER values, `+` for multi-valued RDNs), plus the
 * RFC 1779 leniencies people still type: `;` as a separator, spaces around separators and
 * `=`, double-quoted values, and `OID.2.5.4.3` as a type.
 *
 * String types follow OpenSSL's `string_mask = utf8only` (its default, and what RFC 5280
 * asks of new certificates): UTF8String for every value except the attributes whose
 * syntax allows only one type — C, SERIALNUMBER and dnQualifier are PrintableString, DC
 * and E are IA5String. A certificate made here therefore has the same subject bytes as
 * one `openssl req -utf8 -subj` makes, which is what the tests compare. GSKit may pick
 * PrintableString where a value fits it; both compare equal under RFC 5280 name
 * matching, which is what MQ's SSLPEER and chain building use.
 */
import { asn1, encodeDer, oidToDer, parseDer, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { oidFor } from './distinguished-name';

const OID = {
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  PC: '2.5.4.17',
  DNQ: '2.5.4.46',
  JURISDICTION_C: '1.3.6.1.4.1.311.60.2.1.3',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
} as const;

type StringKind = 'utf8' | 'printable' | 'ia5';

/** Attributes whose ASN.1 syntax allows a single string type (X.520, RFC 4519, PKCS#9). */
const FIXED_KIND: Record<string, StringKind> = {
  [OID.C]: 'printable',
  [OID.JURISDICTION_C]: 'printable',
  [OID.SERIALNUMBER]: 'printable',
  [OID.DNQ]: 'printable',
  [OID.DC]: 'ia5',
  [OID.E]: 'ia5',
};

/** RFC 5280 Appendix A upper bounds, in characters. Peers enforce them (OpenSSL refuses a
 * 65-character CN in a request), so a longer value is refused here, not at handshake. */
const MAX_LENGTH: Record<string, number> = {
  [OID.CN]: 64,
  [OID.L]: 128,
  [OID.ST]: 128,
  [OID.O]: 64,
  [OID.OU]: 64,
  [OID.T]: 64,
  [OID.SERIALNUMBER]: 64,
  [OID.E]: 255,
  [OID.PC]: 40,
};

/** The attributes IBM MQ's SSLPEER matching reads at most once (MQ.md, rule 6): a second
 * CN or O would make a peer filter ambiguous, so only OU and DC, and types MQ ignores,
 * may repeat. */
const SINGLE_VALUED = new Set<string>([OID.CN, OID.O, OID.L, OID.ST, OID.C, OID.STREET, OID.SERIALNUMBER, OID.E, OID.UID, OID.T, OID.PC, OID.DNQ]);

/** Display names for messages, so an error says `ST` whichever alias was typed. */
const DISPLAY: Record<string, string> = {
  [OID.CN]: 'CN',
  [OID.SERIALNUMBER]: 'SERIALNUMBER',
  [OID.C]: 'C',
  [OID.L]: 'L',
  [OID.ST]: 'ST',
  [OID.STREET]: 'STREET',
  [OID.O]: 'O',
  [OID.OU]: 'OU',
  [OID.T]: 'T',
  [OID.PC]: 'PC',
  [OID.DNQ]: 'DNQ',
  [OID.DC]: 'DC',
  [OID.UID]: 'UID',
  [OID.E]: 'E',
};

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const IA5 = /^[\x00-\x7f]*$/;
/** RFC 4514 section 2.4, plus '=' which RFC 2253 also let be escaped. */
const ESCAPABLE = ',+"\\<>;=# ';
const HEX = /^[0-9A-Fa-f]{2}$/;

function usage(message: string): KeyDeskError {
  return new KeyDeskError('usage', message);
}

interface Ava {
  oid: string;
  /** What the operator wrote for it, for messages. */
  text: string;
  node: Asn1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over the DN text; every method reports errors with the whole DN, since the
 * operator sees one line and needs to find the bad part in it. */
class Reader {
  at = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? '';
  }
  /** The next whole character, so a character beyond the BMP is not split in two. */
  char(): string {
    const c = String.fromCodePoint(this.text.codePointAt(this.at) ?? 0);
    this.at += c.length;
    return c;
  }
  skipSpaces(): void {
    while (this.peek() === ' ') this.at++;
  }
  fail(what: string): KeyDeskError {
    return usage(`the distinguished name "${this.text}" ${what}`);
  }

  /** Up to the unescaped '=' of the next attribute. */
  type(): string {
    this.skipSpaces();
    const start = this.at;
    while (!this.done && !'=,;+'.includes(this.peek())) this.at++;
    const type = this.text.slice(start, this.at).trim();
    if (this.peek() !== '=') {
      const part = this.text.slice(start, this.at).trim();
      throw this.fail(part ? `has "${part}" where TYPE=value is expected` : `has an empty attribute at position ${start + 1}`);
    }
    this.at++;
    if (!type) throw this.fail(`has a value with no attribute type before "=" at position ${this.at}`);
    return type;
  }

  /** One escape after a backslash, as UTF-8 bytes (a hex escape is one byte of a
   * possibly longer UTF-8 sequence, so decoding waits until the value is complete). */
  escape(into: number[]): void {
    const pair = this.text.slice(this.at, this.at + 2);
    if (HEX.test(pair)) {
      into.push(parseInt(pair, 16));
      this.at += 2;
      return;
    }
    const c = this.peek();
    if (c && ESCAPABLE.includes(c)) {
      into.push(c.charCodeAt(0));
      this.at++;
      return;
    }
    throw this.fail(c ? `has "\\${c}", which is not an escape (write \\, \\+ \\" \\\\ \\; \\< \\> \\= \\# or two hex digits)` : 'ends with a lone backslash');
  }

  /** The value's text and whether it came from #hex (then `der` is its encoding). */
  value(label: string): { text?: string; der?: Uint8Array } {
    this.skipSpaces();
    if (this.peek() === '#') return { der: this.hexValue(label) };
    const bytes: number[] = [];
    const literal = (c: string) => bytes.push(...Buffer.from(c, 'utf8'));
    if (this.peek() === '"') {
      this.at++;
      for (;;) {
        if (this.done) throw this.fail(`has an unterminated quoted value for ${label}`);
        const c = this.char();
        if (c === '"') break;
        if (c === '\\') this.escape(bytes);
        else literal(c);
      }
      this.skipSpaces();
      if (!this.done && !',;+'.includes(this.peek())) throw this.fail(`has text after the closing quote of ${label}'s value`);
    } else {
      // Unescaped trailing spaces are padding around the separator, not part of the value.
      let significant = 0;
      while (!this.done && !',;+'.includes(this.peek())) {
        if (this.peek() === '"') throw this.fail(`has a stray '"' in ${label}'s value (quote the whole value or write \\")`);
        const c = this.char();
        if (c === '\\') {
          this.escape(bytes);
          significant = bytes.length;
        } else {
          literal(c);
          if (c !== ' ') significant = bytes.length;
        }
      }
      bytes.length = significant;
    }
    let text: string;
    try {
      text = utf8.decode(new Uint8Array(bytes));
    } catch {
      throw this.fail(`has hex escapes in ${label}'s value that are not UTF-8`);
    }
    return { text };
  }

  hexValue(label: string): Uint8Array {
    this.at++;
    const start = this.at;
    while (!this.done && /[0-9A-Fa-f]/.test(this.peek())) this.at++;
    const digits = this.text.slice(start, this.at);
    this.skipSpaces();
    if (!this.done && !',;+'.includes(this.peek())) throw this.fail(`has "${this.peek()}" in ${label}'s #hex value`);
    if (digits.length === 0 || digits.length % 2 !== 0) throw this.fail(`has an odd or empty #hex value for ${label}`);
    const der = new Uint8Array(Buffer.from(digits, 'hex'));
    try {
      parseDer(der);
    } catch {
      throw this.fail(`has a #hex value for ${label} that is not one DER-encoded value`);
    }
    return der;
  }
}

function displayName(oid: string, typed: string): string {
  return DISPLAY[oid] ?? typed;
}

function resolveType(reader: Reader, typed: string): string {
  const bare = typed.replace(/^oid\./i, '');
  if (/^\d+(\.\d+)+$/.test(bare)) {
    try {
      oidToDer(bare);
    } catch {
      throw reader.fail(`has an invalid OID "${typed}"`);
    }
    return oidFor(bare);
  }
  const oid = /^[A-Za-z][A-Za-z0-9-]*$/.test(typed) ? oidFor(typed) : typed;
  if (!/^\d+(\.\d+)+$/.test(oid)) {
    throw reader.fail(`has an unknown attribute type "${typed}" (use CN, O, OU, L, ST, C, STREET, DC, UID, SERIALNUMBER, E, T, PC, or a dotted OID)`);
  }
  return oid;
}

function stringNode(kind: StringKind, text: string): Asn1 {
  const type = kind === 'printable' ? asn1.Type.PRINTABLESTRING : kind === 'ia5' ? asn1.Type.IA5STRING : asn1.Type.UTF8;
  // forge writes a string node's value as it is: UTF-8 must already be bytes.
  const value = kind === 'utf8' ? Buffer.from(text, 'utf8').toString('latin1') : text;
  return asn1.create(asn1.Class.UNIVERSAL, type, false, value);
}

function attributeValue(reader: Reader, oid: string, label: string, text: string): Asn1 {
  if (text.length === 0) throw reader.fail(`gives ${label} an empty value`);
  if (/[\x00-\x1f\x7f]/.test(text)) throw reader.fail(`has a control character in ${label}'s value`);
  const max = MAX_LENGTH[oid];
  const length = Array.from(text).length;
  if (max !== undefined && length > max) throw reader.fail(`gives ${label} ${length} characters; at most ${max} are allowed`);
  const kind = FIXED_KIND[oid] ?? 'utf8';
  if (oid === OID.C || oid === OID.JURISDICTION_C) {
    if (!/^[A-Za-z]{2}$/.test(text)) throw reader.fail(`gives ${label} the value "${text}"; a country is two letters (ISO 3166), such as GB or US`);
  } else if (kind === 'printable' && !PRINTABLE.test(text)) {
    throw reader.fail(`gives ${label} "${text}", but ${label} allows only letters, digits, spaces and ' ( ) + , - . / : = ?`);
  } else if (kind === 'ia5' && !IA5.test(text)) {
    throw reader.fail(`gives ${label} "${text}", but ${label} allows only ASCII characters`);
  }
  return stringNode(kind, text);
}

function avaNode(oid: string, value: Asn1): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidToDer(oid)), value]);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * An X.501 Name (forge node) from an RFC 4514 string, as runmqakm's `-dn` takes it.
 * Throws KeyDeskError('usage') naming the bad part.
 */
export function parseDistinguishedName(dn: string): Asn1 {
  const reader = new Reader(dn);
  if (dn.trim() === '') throw usage('the distinguished name is empty; give at least CN=…, for example CN=QM1,O=Example,C=GB');
  if (dn.trimStart().startsWith('/')) {
    throw reader.fail('is in OpenSSL\'s "/C=…/O=…/CN=…" form; write it most specific first with commas, as CN=…,O=…,C=…');
  }
  const rdns: Ava[][] = [];
  let rdn: Ava[] = [];
  for (;;) {
    const typed = reader.type();
    const oid = resolveType(reader, typed);
    const label = displayName(oid, typed);
    const value = reader.value(label);
    const node = value.der ? parseDer(value.der) : attributeValue(reader, oid, label, value.text ?? '');
    rdn.push({ oid, text: label, node });
    reader.skipSpaces();
    if (reader.done) break;
    const separator = reader.text[reader.at++];
    if (separator !== '+') {
      rdns.push(rdn);
      rdn = [];
    }
    reader.skipSpaces();
    if (reader.done) throw reader.fail(`ends with "${separator}"; remove it or add an attribute after it`);
  }
  rdns.push(rdn);

  const seen = new Set<string>();
  for (const ava of rdns.flat()) {
    if (SINGLE_VALUED.has(ava.oid) && seen.has(ava.oid)) {
      throw reader.fail(`has ${ava.text} more than once; only OU and DC may repeat (IBM MQ's SSLPEER matching reads one of each other attribute)`);
    }
    seen.add(ava.oid);
  }

  // DER order is the reverse of the string's; a SET OF is sorted by its members' encodings.
  const sets = rdns.reverse().map((members) => {
    const encoded = members.map((m) => encodeDer(avaNode(m.oid, m.node))).sort(compareBytes);
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, encoded.map((der) => parseDer(der)));
  });
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, sets);
}

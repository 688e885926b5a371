/**
 * PEM ("ARM" in iKeyman) as operators actually receive it: pasted into emails, wrapped in
 * `openssl x509 -text` output, saved by Notepad as UTF-16, quoted with "> ", with CRLF, LF
 * or both, with trailing spaces, or squashed onto one line by a web form. Reading is
 * lenient about all of that and strict about the base64 itself: a block whose data is
 * broken is reported as broken, never half-decoded.
 */

export interface PemBlock {
  /** The label between `BEGIN ` and `-----`, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`. */
  label: string;
  /** 1-based line of the BEGIN line, for messages. */
  line: number;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`), names as written. */
  headers: Record<string, string>;
  /** The decoded data; absent when `problem` says why it could not be decoded. */
  der?: Uint8Array;
  /** Why the block is unusable, as a phrase that follows "the <label> block …". */
  problem?: string;
}

const BEGIN = /-----BEGIN ([A-Z0-9 #]+?)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes as text, or undefined when they are not text (binary data has NULs or control
 * bytes that no text editor writes). UTF-16 with a BOM is what Windows Notepad saves as
 * "Unicode"; anything else is read as Latin-1, which keeps ASCII (all of PEM and base64)
 * intact whatever the real encoding of the surrounding prose.
 */
export function bytesAsText(bytes: Uint8Array): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) text = buf.subarray(2).toString('utf16le');
  else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) text = Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  else if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) text = buf.subarray(3).toString('latin1');
  else {
    text = buf.toString('latin1');
    // Mail in a legacy 8-bit charset has a few high bytes; binary data (a stash file is
    // nearly all of them) has many, and is not valid UTF-8 either.
    let high = 0;
    for (const b of buf) if (b >= 0x80) high++;
    if (high * 4 > buf.length && !isUtf8(buf)) return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text) ? undefined : text;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Strict base64 (whitespace anywhere is allowed): undefined when a character is outside
 * the alphabet or the length cannot be whole bytes, so damage is reported, not decoded. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** Every BEGIN … END block in `text`, in order; text outside blocks is ignored. */
export function findPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begins = [...text.matchAll(BEGIN)];
  begins.forEach((m, i) => {
    const label = m[1]!;
    const bodyStart = m.index! + m[0].length;
    const line = text.slice(0, m.index).split(/\r\n|\r|\n/).length;
    const nextBegin = begins[i + 1]?.index ?? text.length;
    const end = text.indexOf('-----END ', bodyStart);
    if (end < 0 || end > nextBegin) {
      blocks.push({ label, line, headers: {}, problem: `that starts on line ${line} has no END line: the file is cut short` });
      return;
    }
    const { headers, data } = splitBody(text.slice(bodyStart, end));
    const der = decodeBase64(data);
    blocks.push(
      der
        ? { label, line, headers, der }
        : { label, line, headers, problem: `that starts on line ${line} is not valid base64: its data was altered or cut` },
    );
  });
  return blocks;
}

function splitBody(body: string): { headers: Record<string, string>; data: string } {
  // A "> " or indentation before each line comes from quoting in email or config files;
  // neither character is base64, so stripping it cannot hide damage.
  const lines = body.split(/\r\n|\r|\n/).map((l) => l.replace(/^[\s>]+/, '').trimEnd());
  const headers: Record<string, string> = {};
  let i = 0;
  while (i < lines.length && (lines[i] === '' || /^[A-Za-z][A-Za-z0-9-]*:/.test(lines[i]!))) {
    const header = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(lines[i]!);
    if (header) headers[header[1]!] = header[2]!;
    i++;
  }
  return { headers, data: lines.slice(i).join('') };
}

/** PEM as OpenSSL writes it: 64-character lines, LF, a final newline; `headers` (in
 * their order, as legacy encrypted keys need them) then a blank line before the data. */
export function encodePem(label: string, der: Uint8Array, headers: Record<string, string> = {}): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`).join('');
  return `-----BEGIN ${label}-----\n${head}${head ? '\n' : ''}${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

/**
 * DER values located in place: where a value's contents start and end inside the bytes it
 * came in, without copying them or building a tree. Listing a thousand certificates needs
 * a few fields of each; node-forge's parser turns every one into a tree of binary strings,
 * and in a one-shot CLI that cold, allocation-heavy walk was a third of a `-cert -list`.
 *
 * Only plain DER is located: one-byte tags, definite and minimal lengths. Anything else
 * (BER forms, high tag numbers, a length running past its parent) is `undefined`, and the
 * callers fall back to the full node-forge parse, which decides what such bytes mean and
 * words the error, exactly as before.
 */

export interface DerSpan {
  /** The identifier octet: class, constructed bit and tag number (< 31). */
  tag: number;
  /** Where the value's header starts. */
  start: number;
  /** Where its contents start (after tag and length). */
  body: number;
  /** Just past its contents. */
  end: number;
}

/** The value starting at `at`, which must end by `limit`; undefined unless plain DER.
 * `lengths: 'any'` also takes non-minimal lengths (BER's, which some writers use). */
export function derSpanAt(bytes: Uint8Array, at: number, limit: number, lengths: Lengths = 'minimal'): DerSpan | undefined {
  const span: DerSpan = { tag: 0, start: 0, body: 0, end: 0 };
  return readSpan(bytes, at, limit, lengths, span) === undefined ? span : undefined;
}

/** Why derSpanAt finds no value at `at`, in words for a message; undefined when it does. */
export function derSpanProblem(bytes: Uint8Array, at: number, limit: number, lengths: Lengths = 'minimal'): string | undefined {
  return readSpan(bytes, at, limit, lengths, { tag: 0, start: 0, body: 0, end: 0 });
}

type Lengths = 'minimal' | 'any';

/** derSpanAt into `span`, so a walk over every value can reuse one object; what is wrong
 * when there is no value there. */
function readSpan(bytes: Uint8Array, at: number, limit: number, lengths: Lengths, span: DerSpan): string | undefined {
  if (at + 2 > limit) return 'DER value runs past its container';
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return 'multi-byte DER tag';
  const first = bytes[at + 1]!;
  let body = at + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than four length bytes is no real file.
    if (count === 0 || count > 4 || body + count > limit) return 'bad DER length';
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[body + i]!;
    body += count;
    // Minimal: the long form only for 128 and up, and no leading zero byte.
    if (lengths === 'minimal' && (length < 0x80 || bytes[at + 2] === 0)) return 'DER length not in its shortest form';
  }
  const end = body + length;
  if (end > limit) return 'DER value runs past its container';
  span.tag = tag;
  span.start = at;
  span.body = body;
  span.end = end;
  return undefined;
}

/** The values inside `parent` (its contents, whatever its tag says), in order; undefined
 * unless they are DER values that fill it exactly. */
export function derChildren(bytes: Uint8Array, parent: DerSpan, lengths: Lengths = 'minimal'): DerSpan[] | undefined {
  const children: DerSpan[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const child = derSpanAt(bytes, at, parent.end, lengths);
    if (!child) return undefined;
    children.push(child);
    at = child.end;
  }
  return children;
}

/** Whether every value nested in `span` is plain DER, as deep as node-forge's strict parse
 * goes (into constructed values; not into OCTET or BIT STRING contents), at most
 * `maxDepth` levels deep. Where this holds, node-forge's parse of it would succeed. */
export function plainDerThroughout(bytes: Uint8Array, span: DerSpan, maxDepth = 64): boolean {
  if ((span.tag & 0x20) === 0) return !oddBmpString(span);
  const ends = [span.end];
  // One object for every value walked: a certificate holds about a hundred.
  const child: DerSpan = { tag: 0, start: 0, body: 0, end: 0 };
  for (let at = span.body; ends.length > 0; ) {
    const end = ends[ends.length - 1]!;
    if (at === end) {
      ends.pop();
      continue;
    }
    if (readSpan(bytes, at, end, 'minimal', child) !== undefined) return false;
    if (child.tag & 0x20) {
      if (ends.length >= maxDepth) return false;
      ends.push(child.end);
      at = child.body;
    } else {
      if (oddBmpString(child)) return false;
      at = child.end;
    }
  }
  return true;
}

/** node-forge reads any primitive value numbered 30 (BMPString's number, whatever its
 * class) two bytes at a time, and fails on an odd length. */
function oddBmpString(span: DerSpan): boolean {
  return (span.tag & 0x1f) === 30 && (span.end - span.body) % 2 === 1;
}

/** The single value that is the whole of `bytes`; undefined when anything trails it. */
export function derWhole(bytes: Uint8Array): DerSpan | undefined {
  const span = derSpanAt(bytes, 0, bytes.length);
  return span && span.end === bytes.length ? span : undefined;
}

/** The identifier octets of a few universal types, as they appear on the wire. */
export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

/** A span's contents as a binary (latin1) string, the form node-forge gives values in. */
export function binaryOf(bytes: Uint8Array, span: DerSpan): string {
  // Names' values and OIDs are a few dozen bytes: a loop beats making a Buffer view.
  if (span.end - span.body > 64) return Buffer.from(bytes.buffer, bytes.byteOffset + span.body, span.end - span.body).toString('latin1');
  let text = '';
  for (let i = span.body; i < span.end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** A span's contents in an ArrayBuffer of their own. Not `bytes.slice()`: on a Buffer that
 * is a view, and a view into node's shared 8 KB pool can sit beside decrypted key bytes,
 * which structuredClone or `.buffer` would then carry along. */
export function contentsCopy(bytes: Uint8Array, span: DerSpan): Uint8Array {
  return new Uint8Array(bytes.subarray(span.body, span.end));
}

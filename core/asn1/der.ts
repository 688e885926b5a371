/**
 * Bridges between node-forge's ASN.1 (which works on "binary strings") and the
 * Uint8Array/Buffer bytes the rest of KeyDesk uses. Keep every conversion here so no
 * module hand-rolls latin1 juggling.
 */
import { forge, type Forge } from '../node-forge-parts';
import { derSpanAt } from './der-spans';

export type Asn1 = Forge.asn1.Asn1;
export const asn1 = forge.asn1;

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromBinary(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

/** Real key stores nest ASN.1 some 15 levels deep; node-forge parses recursively, so a
 * hostile file nesting thousands of levels would exhaust the stack. */
export const MAX_DER_DEPTH = 64;

/** The deepest nesting of constructed values, walked iteratively (no recursion to blow). */
function nestingDepth(bytes: Uint8Array): number {
  const ends: number[] = [];
  let deepest = 0;
  for (let at = 0; at + 2 <= bytes.length; ) {
    while (ends.length > 0 && at >= ends[ends.length - 1]!) ends.pop();
    const tag = bytes[at]!;
    let p = at + 1;
    if ((tag & 0x1f) === 0x1f) while (p < bytes.length && bytes[p++]! & 0x80);
    const first = bytes[p++];
    if (first === undefined) break;
    let length = 0;
    let indefinite = false;
    if (first === 0x80) indefinite = true;
    else if (first > 0x80) {
      for (let i = 0; i < (first & 0x7f) && p < bytes.length; i++) length = length * 256 + bytes[p++]!;
    } else length = first;
    if (tag & 0x20) {
      ends.push(indefinite ? Number.MAX_SAFE_INTEGER : p + length);
      deepest = Math.max(deepest, ends.length);
      if (deepest > MAX_DER_DEPTH) return deepest;
      at = p;
    } else {
      at = p + length;
    }
  }
  return deepest;
}

/** Parses exactly one DER value; trailing bytes are an error (strict), as a damaged file
 * must be refused rather than half-read. */
export function parseDer(bytes: Uint8Array): Asn1 {
  if (nestingDepth(bytes) > MAX_DER_DEPTH) throw new Error(`ASN.1 nested deeper than ${MAX_DER_DEPTH} levels`);
  // The typings only know the old boolean argument; node-forge 1.x takes these options.
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean;
  return forge.asn1.fromDer(toBinary(bytes), options);
}

export function encodeDer(node: Asn1): Uint8Array {
  return fromBinary(forge.asn1.toDer(node).getBytes());
}

export function oidToDer(oid: string): string {
  return forge.asn1.oidToDer(oid).getBytes();
}

/** Dotted forms already made: stores name the same few dozen OIDs thousands of times. */
const dottedOids = new Map<string, string>();

export function derToOid(value: string): string {
  let dotted = dottedOids.get(value);
  if (dotted === undefined) {
    dotted = forge.asn1.derToOid(value);
    // Bounded: a hostile file could name a million different OIDs.
    if (dottedOids.size < 1000) dottedOids.set(value, dotted);
  }
  return dotted;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/**
 * The tags of the children of `bytes`, a single DER SEQUENCE (or other constructed value)
 * that spans all of it — a cheap shape check where a full parse would cost more than the
 * caller needs. Undefined when the bytes are not one well-framed value.
 */
export function childTags(bytes: Uint8Array): number[] | undefined {
  const top = derSpanAt(bytes, 0, bytes.length, 'any');
  if (!top || top.end !== bytes.length || (top.tag & 0x20) === 0) return undefined;
  const tags: number[] = [];
  for (let at = top.body; at < top.end; ) {
    const child = derSpanAt(bytes, at, top.end, 'any');
    if (!child) return undefined;
    tags.push(child.tag);
    at = child.end;
  }
  return tags;
}

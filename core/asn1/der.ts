/**
 * Bridges between node-forge's ASN.1 (which works on "binary strings") and the
 * Uint8Array/Buffer bytes the rest of KeyDesk uses. Keep every conversion here so no
 * module hand-rolls latin1 juggling.
 */
import forge from 'node-forge';

export type Asn1 = forge.asn1.Asn1;
export const asn1 = forge.asn1;

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromBinary(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

/** Parses exactly one DER value; trailing bytes are an error (strict), as a damaged file
 * must be refused rather than half-read. */
export function parseDer(bytes: Uint8Array): Asn1 {
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

export function derToOid(value: string): string {
  return forge.asn1.derToOid(value);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

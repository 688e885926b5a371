import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { findPemBlocks } from '../formats/pem';
import { parseDer } from './der';
import { derChildren, derSpanAt, derWhole, plainDerThroughout } from './der-spans';

const systemBundle = '/etc/ssl/certs/ca-certificates.crt';
const realCertificates = (() => {
  try {
    return findPemBlocks(readFileSync(systemBundle, 'utf8')).flatMap((b) => (b.der ? [b.der] : []));
  } catch {
    return [];
  }
})();

describe('DER values located in place', () => {
  it('locates a short and a long-form value and the children of a SEQUENCE', () => {
    const bytes = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xff]);
    const whole = derWhole(bytes)!;
    expect(whole).toEqual({ tag: 0x30, start: 0, body: 2, end: 8 });
    expect(derChildren(bytes, whole)).toEqual([
      { tag: 0x02, start: 2, body: 4, end: 5 },
      { tag: 0x04, start: 5, body: 7, end: 8 },
    ]);
    const long = new Uint8Array([0x04, 0x81, 0x80, ...new Uint8Array(0x80)]);
    expect(derWhole(long)).toEqual({ tag: 0x04, start: 0, body: 3, end: 0x83 });
  });

  it('leaves to the full parser what is not plain DER: BER lengths, high tags, overruns, trailing bytes', () => {
    const cases: Array<[string, number[]]> = [
      ['indefinite length', [0x30, 0x80, 0x00, 0x00]],
      ['long form for a short length', [0x04, 0x81, 0x01, 0xaa]],
      ['a leading zero length byte', [0x04, 0x82, 0x00, 0x81, ...new Array(0x81).fill(0)]],
      ['a high tag number', [0x1f, 0x81, 0x01, 0x00]],
      ['a length past the end', [0x04, 0x05, 0x01]],
      ['five length bytes', [0x04, 0x85, 0, 0, 0, 0, 1, 0]],
      ['trailing bytes', [0x05, 0x00, 0x00]],
      ['nothing', []],
    ];
    for (const [what, bytes] of cases) expect(derWhole(new Uint8Array(bytes)), what).toBeUndefined();
    // A child that runs past its parent.
    const overrun = new Uint8Array([0x30, 0x03, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00]);
    expect(derSpanAt(overrun, 0, 5)).toEqual({ tag: 0x30, start: 0, body: 2, end: 5 });
    expect(derChildren(overrun, derSpanAt(overrun, 0, 5)!)).toBeUndefined();
  });

  it.skipIf(realCertificates.length === 0)(`finds every real certificate in ${systemBundle} plain throughout, as node-forge parses it (skipped: no system bundle)`, () => {
    for (const der of realCertificates) {
      const whole = derWhole(der);
      expect(whole).toBeDefined();
      expect(plainDerThroughout(der, whole!)).toBe(true);
      expect(() => parseDer(der)).not.toThrow();
    }
  });

  it('never calls bytes plain throughout that node-forge refuses (random and damaged input)', () => {
    const sample = realCertificates[0] ?? new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const damaged = fc.tuple(fc.nat({ max: sample.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, value]) => {
      const copy = new Uint8Array(sample);
      copy[at] = value;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), damaged), (bytes) => {
        const whole = derWhole(bytes);
        if (whole && plainDerThroughout(bytes, whole)) expect(() => parseDer(bytes)).not.toThrow();
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});

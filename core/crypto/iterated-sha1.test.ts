import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iterateSha1 } from './iterated-sha1';
// @ts-expect-error: a plain .mjs build script without type declarations
import { iteratedSha1Source, iteratedSha1Wasm } from '../../scripts/build-iterated-sha1.mjs';

/** SHA-1 applied `rounds` times, one native call per round. */
function nativeIterated(digest: Uint8Array, rounds: number): Buffer {
  let d = Buffer.from(digest);
  for (let i = 0; i < rounds; i++) d = createHash('sha1').update(d).digest();
  return d;
}

describe('iterateSha1 (WebAssembly)', () => {
  it('gives what node does, one hash call per round, around the 1,024-round call boundary', () => {
    for (const rounds of [0, 1, 2, 1023, 1024, 1025, 5000]) {
      const start = createHash('sha1').update(randomBytes(37)).digest();
      expect(Buffer.from(iterateSha1(start, rounds)).toString('hex'), `${rounds} rounds`).toBe(nativeIterated(start, rounds).toString('hex'));
    }
  });

  it('reads a digest that sits inside a larger buffer, and leaves it as it was', () => {
    const backing = randomBytes(64);
    const view = backing.subarray(7, 27);
    const before = Buffer.from(view);
    expect(Buffer.from(iterateSha1(view, 3)).equals(nativeIterated(before, 3))).toBe(true);
    expect(Buffer.from(view).equals(before)).toBe(true);
  });

  it('refuses what is not a SHA-1 digest or a round count', () => {
    expect(() => iterateSha1(new Uint8Array(32), 1)).toThrow(RangeError);
    expect(() => iterateSha1(new Uint8Array(20), -1)).toThrow(RangeError);
    expect(() => iterateSha1(new Uint8Array(20), 1.5)).toThrow(RangeError);
  });

  it('carries exactly the bytes that scripts/build-iterated-sha1.mjs produces', async () => {
    const committed = readFileSync(join(__dirname, 'iterated-sha1.wasm.ts'), 'utf8');
    expect(committed).toBe(iteratedSha1Source(await iteratedSha1Wasm()));
  });
});

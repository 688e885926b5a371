import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iterateMd5Pair } from './iterated-md5';
// @ts-expect-error: a plain .mjs build script without type declarations
import { iteratedMd5Source, iteratedMd5Wasm } from '../../scripts/build-iterated-md5.mjs';

/** t = MD5(t ‖ suffix), `rounds` times, one native call per round. */
function nativeChain(start: Uint8Array, suffix: Uint8Array, rounds: number): string {
  let t = Buffer.from(start);
  for (let i = 0; i < rounds; i++) t = createHash('md5').update(t).update(suffix).digest();
  return t.toString('hex');
}

/** Fixed-seed bytes (xorshift32), so that a failure names inputs that can be replayed. */
function seeded(seed: number): (length: number) => Buffer {
  let x = seed;
  return (length) => {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

function expectPair(first: Uint8Array, second: Uint8Array, suffix: Uint8Array, rounds: number, what: string): void {
  const [a, b] = iterateMd5Pair(first, second, suffix, rounds);
  expect(Buffer.from(a).toString('hex'), `${what}, first chain`).toBe(nativeChain(first, suffix, rounds));
  expect(Buffer.from(b).toString('hex'), `${what}, second chain`).toBe(nativeChain(second, suffix, rounds));
}

describe('iterateMd5Pair (WebAssembly)', () => {
  it('gives what node does for every suffix length around the MD5 block boundaries', () => {
    const bytes = seeded(0x5eed);
    // The message is t (16 bytes) ‖ suffix, then 0x80, zeros and an 8-byte length. With 39
    // that fills one block exactly, from 40 the length spills into a second, at 47 the 0x80
    // ends the first block, at 48 the message does; 103/104 is the same edge for two blocks,
    // and 55, 56 and 64 are where the edges would be without t. 300 makes six blocks.
    for (const length of [0, 1, 39, 40, 47, 48, 55, 56, 64, 100, 103, 104, 300]) {
      for (const rounds of [1, 2, 37]) expectPair(bytes(16), bytes(16), bytes(length), rounds, `${length}-byte suffix, ${rounds} rounds`);
    }
  });

  it('gives what node does for random inputs, around the 1,024-round call boundary', () => {
    const bytes = seeded(0xc0ffee);
    for (const rounds of [0, 1023, 1024, 1025, 3000]) {
      const length = bytes(1)[0]!;
      expectPair(bytes(16), bytes(16), bytes(length), rounds, `${length}-byte suffix, ${rounds} rounds`);
    }
    for (let i = 0; i < 100; i++) {
      const [length, rounds] = bytes(2);
      expectPair(bytes(16), bytes(16), bytes(length! + (i % 3) * 100), rounds!, `input ${i}`);
    }
  });

  it('takes any bytes as the suffix, non-ASCII text included', () => {
    const start = createHash('md5').update('start').digest();
    const other = createHash('md5').update('other').digest();
    for (const text of ['pässwort', 'пароль-ключа', '密码🔑', 'é'.repeat(30)]) expectPair(start, other, Buffer.from(text, 'utf8'), 50, text);
  });

  it('grows its memory for a suffix longer than a page, and pads a short one afterwards afresh', () => {
    const bytes = seeded(7);
    expectPair(bytes(16), bytes(16), bytes(70_000), 3, '70,000-byte suffix');
    // The long message's bytes are still in the memory; the short one must not see them.
    expectPair(bytes(16), bytes(16), bytes(5), 3, 'a 5-byte suffix after it');
  });

  it('reads inputs that sit inside larger buffers, and leaves them as they were', () => {
    const backing = seeded(11)(200);
    const [first, second, suffix] = [backing.subarray(3, 19), backing.subarray(40, 56), backing.subarray(101, 150)];
    const before = Buffer.from(backing);
    expectPair(first, second, suffix, 5, 'views');
    expect(backing.equals(before)).toBe(true);
  });

  it('refuses what is not an MD5 digest or a round count', () => {
    const digest = new Uint8Array(16);
    expect(() => iterateMd5Pair(new Uint8Array(20), digest, new Uint8Array(8), 1)).toThrow(RangeError);
    expect(() => iterateMd5Pair(digest, new Uint8Array(15), new Uint8Array(8), 1)).toThrow(RangeError);
    expect(() => iterateMd5Pair(digest, digest, new Uint8Array(8), -1)).toThrow(RangeError);
    expect(() => iterateMd5Pair(digest, digest, new Uint8Array(8), 1.5)).toThrow(RangeError);
  });

  it('carries exactly the bytes that scripts/build-iterated-md5.mjs produces', async () => {
    const committed = readFileSync(join(__dirname, 'iterated-md5.wasm.ts'), 'utf8');
    expect(committed).toBe(iteratedMd5Source(await iteratedMd5Wasm()));
  });
});

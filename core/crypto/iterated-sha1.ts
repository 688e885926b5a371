/**
 * SHA-1 applied to its own 20-byte output many times over: the inner loop of the PKCS#12
 * key derivation. It runs in WebAssembly (see scripts/build-iterated-sha1.mjs for why),
 * since one native hash call per round spends more time in call overhead than in SHA-1.
 */
import { ITERATED_SHA1_WASM_BASE64 } from './iterated-sha1.wasm';

interface IteratedSha1Exports {
  memory: WebAssembly.Memory;
  iterate(n: number): void;
}

let instance: IteratedSha1Exports | undefined;

function exportsOf(): IteratedSha1Exports {
  // A 5 kB module compiles synchronously in well under a millisecond.
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(ITERATED_SHA1_WASM_BASE64, 'base64')))
    .exports as unknown as IteratedSha1Exports;
  return instance;
}

/** V8 compiles WebAssembly quickly first and optimises a function only between calls, so
 * one call of 100,000 rounds would run entirely unoptimised (~9x slower). */
const ROUNDS_PER_CALL = 1024;

/** SHA-1 applied `rounds` times to `digest` (a 20-byte SHA-1 output); 0 returns a copy. */
export function iterateSha1(digest: Uint8Array, rounds: number): Uint8Array {
  if (digest.length !== 20) throw new RangeError('iterateSha1 takes a 20-byte SHA-1 digest');
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError('iterateSha1 takes a non-negative whole number of rounds');
  const wasm = exportsOf();
  const memory = new DataView(wasm.memory.buffer);
  const input = new DataView(digest.buffer, digest.byteOffset, 20);
  for (let i = 0; i < 20; i += 4) memory.setUint32(i, input.getUint32(i), true);
  for (let left = rounds; left > 0; left -= ROUNDS_PER_CALL) wasm.iterate(Math.min(left, ROUNDS_PER_CALL));
  const out = new Uint8Array(20);
  const output = new DataView(out.buffer);
  for (let i = 0; i < 20; i += 4) output.setUint32(i, memory.getUint32(i, true));
  return out;
}

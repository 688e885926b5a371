/**
 * t = MD5(t ‖ suffix) many times over, for two chains at once: the inner loop of Sun's
 * PBEWithMD5AndTripleDES (JCEKS key protection), one chain per salt half. It runs in
 * WebAssembly (see scripts/build-iterated-md5.mjs for why), since one native hash call per
 * round spends more time in call overhead than in MD5.
 */
import { ITERATED_MD5_WASM_BASE64 } from './iterated-md5.wasm';

interface IteratedMd5Exports {
  memory: WebAssembly.Memory;
  iterate(n: number, blocks: number): void;
}

let instance: IteratedMd5Exports | undefined;

function exportsOf(): IteratedMd5Exports {
  // A 5 kB module compiles synchronously in well under a millisecond.
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(ITERATED_MD5_WASM_BASE64, 'base64')))
    .exports as unknown as IteratedMd5Exports;
  return instance;
}

/** V8 compiles WebAssembly quickly first and optimises a function only between calls, so
 * one call of 200,000 rounds would run entirely unoptimised. */
const ROUNDS_PER_CALL = 1024;

/** Both chains t = MD5(t ‖ suffix), `rounds` times, from t = `first` and t = `second`
 * (16 bytes each); 0 rounds returns copies. Two at once because each costs little more
 * than one alone. */
export function iterateMd5Pair(first: Uint8Array, second: Uint8Array, suffix: Uint8Array, rounds: number): [Uint8Array, Uint8Array] {
  if (first.length !== 16 || second.length !== 16) throw new RangeError('iterateMd5Pair starts from 16-byte MD5 digests');
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError('iterateMd5Pair takes a non-negative whole number of rounds');
  const wasm = exportsOf();
  // Each chain's message, start ‖ suffix padded as MD5 pads it, one after the other.
  const length = 16 + suffix.length;
  const blocks = Math.ceil((length + 9) / 64);
  const stride = blocks * 64;
  const grow = Math.ceil((2 * stride - wasm.memory.buffer.byteLength) / 65536);
  if (grow > 0) wasm.memory.grow(grow);
  const memory = new Uint8Array(wasm.memory.buffer);
  const view = new DataView(wasm.memory.buffer);
  [first, second].forEach((start, lane) => {
    const at = lane * stride;
    memory.set(start, at);
    memory.set(suffix, at + 16);
    // The memory is reused, so all the padding is written, none assumed zero.
    memory.fill(0, at + length, at + stride);
    memory[at + length] = 0x80;
    view.setUint32(at + stride - 8, (length * 8) >>> 0, true);
    view.setUint32(at + stride - 4, Math.floor((length * 8) / 2 ** 32), true);
  });
  for (let left = rounds; left > 0; left -= ROUNDS_PER_CALL) wasm.iterate(Math.min(left, ROUNDS_PER_CALL), blocks);
  return [memory.slice(0, 16), memory.slice(stride, stride + 16)];
}

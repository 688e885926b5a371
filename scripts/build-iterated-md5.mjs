// Writes core/crypto/iterated-md5.wasm.ts: a WebAssembly function that computes
// t = MD5(t ‖ suffix) again and again, n times, for two chains at once, without leaving
// WebAssembly between rounds.
//
// Why: JCEKS protects private keys and seals secret keys with Sun's
// PBEWithMD5AndTripleDES, which runs that chain once per salt half at the JDK's 200,000
// iterations: 400,000 MD5s each time a key is read or written. Node offers no iterated
// MD5, and one native hash call per round costs ~1 µs of call overhead (~0.4 s per key).
// This loop runs both salt halves' chains side by side, each at OpenSSL's speed per MD5:
// an MD5 is one long chain of dependent steps, so a second, independent chain fills
// execution units the first leaves idle and comes nearly free (~20 ms per key).
//
// The WebAssembly text is generated (64 unrolled steps, twice over, are tedious by hand)
// and compiled with wabt; `npm test` checks that the committed bytes are what this script
// produces. Run: node scripts/build-iterated-md5.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// RFC 1321: the sine-derived constants and the per-step rotations.
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
const hex = (x) => `0x${x.toString(16).padStart(8, '0')}`;

/** One exported function running `lanes` independent chains in step. Lane l's padded
 * message, `$blocks` 64-byte blocks long, starts at byte l × 64 × $blocks; its first 16
 * bytes are t, and each round writes the new t over them (MD5 words are little-endian,
 * as WebAssembly memory is, so the bytes are the digest as MD5 prints it). */
function iterateFunction(name, lanes) {
  const L = Array.from({ length: lanes }, (_, l) => l);
  const lines = [
    `(func (export "${name}") (param $n i32) (param $blocks i32)`,
    '(local $block i32) (local $stride i32)',
    L.map((l) => `(local $p${l} i32) (local $h${l}_0 i32) (local $h${l}_1 i32) (local $h${l}_2 i32) (local $h${l}_3 i32)`).join(' '),
    L.map((l) => `(local $a${l} i32) (local $b${l} i32) (local $c${l} i32) (local $d${l} i32)`).join(' '),
    '(local.set $stride (i32.shl (local.get $blocks) (i32.const 6)))',
    '(block $done (loop $round',
    '(br_if $done (i32.eqz (local.get $n)))',
  ];
  for (const l of L) {
    lines.push(`(local.set $p${l} ${l === 0 ? '(i32.const 0)' : `(i32.mul (local.get $stride) (i32.const ${l}))`})`);
    INITIAL.forEach((v, j) => lines.push(`(local.set $h${l}_${j} (i32.const ${hex(v)}))`));
  }
  lines.push('(local.set $block (local.get $blocks))', '(loop $nextBlock');
  for (const l of L) {
    'abcd'.split('').forEach((x, j) => lines.push(`(local.set $${x}${l} (local.get $h${l}_${j}))`));
  }
  // The working variables rotate roles each step; renaming them here spares the moves.
  const role = ['a', 'b', 'c', 'd'];
  for (let i = 0; i < 64; i++) {
    const [a, b, c, d] = role;
    for (const l of L) {
      const get = (x) => `(local.get $${x}${l})`;
      let f;
      let g;
      let early;
      if (i < 16) {
        f = `(i32.xor ${get(d)} (i32.and ${get(b)} (i32.xor ${get(c)} ${get(d)})))`;
        g = i;
      } else if (i < 32) {
        // (b & d) | (c & ~d): the halves share no bits, so | may be +, and c & ~d, which
        // does not wait on b, joins the sum early.
        early = `(i32.and ${get(c)} (i32.xor ${get(d)} (i32.const -1)))`;
        f = `(i32.and ${get(b)} ${get(d)})`;
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = `(i32.xor ${get(b)} (i32.xor ${get(c)} ${get(d)}))`;
        g = (3 * i + 5) % 16;
      } else {
        f = `(i32.xor ${get(c)} (i32.or ${get(b)} (i32.xor ${get(d)} (i32.const -1))))`;
        g = (7 * i) % 16;
      }
      // MD5 is one chain of dependent steps, each waiting on the b just computed: what does
      // not depend on b (a, the message word, the constant) is summed first, and f, which
      // does, last, in as few operations after b as can be.
      let sum = `(i32.add (i32.add ${get(a)} (i32.load offset=${g * 4} (local.get $p${l}))) (i32.const ${hex(K[i])}))`;
      if (early) sum = `(i32.add ${sum} ${early})`;
      sum = `(i32.add ${sum} ${f})`;
      lines.push(`(local.set $${a}${l} (i32.add ${get(b)} (i32.rotl ${sum} (i32.const ${S[(i >> 4) * 4 + (i % 4)]}))))`);
    }
    role.unshift(role.pop());
  }
  for (const l of L) {
    'abcd'.split('').forEach((x, j) => lines.push(`(local.set $h${l}_${j} (i32.add (local.get $h${l}_${j}) (local.get $${x}${l})))`));
    lines.push(`(local.set $p${l} (i32.add (local.get $p${l}) (i32.const 64)))`);
  }
  lines.push('(br_if $nextBlock (local.tee $block (i32.sub (local.get $block) (i32.const 1)))))');
  for (const l of L) {
    const base = l === 0 ? '(i32.const 0)' : `(i32.mul (local.get $stride) (i32.const ${l}))`;
    for (let j = 0; j < 4; j++) lines.push(`(i32.store offset=${j * 4} ${base} (local.get $h${l}_${j}))`);
  }
  lines.push('(local.set $n (i32.sub (local.get $n) (i32.const 1)))', '(br $round)))', ')');
  return lines;
}

/** The module in WebAssembly text: `iterate(n, blocks)` runs two chains n rounds on (the
 * caller grows the exported memory to fit long suffixes). */
export function iteratedMd5Wat() {
  return ['(module', '(memory (export "memory") 1)', ...iterateFunction('iterate', 2), ')'].join('\n') + '\n';
}

export async function iteratedMd5Wasm() {
  const { default: wabtInit } = await import('wabt');
  const wabt = await wabtInit();
  const module = wabt.parseWat('iterated-md5.wat', iteratedMd5Wat());
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The TypeScript file that carries the bytes (base64, so every bundler takes it). */
export function iteratedMd5Source(bytes) {
  const base64 = bytes.toString('base64').replace(/.{1,100}/g, (line) => `  '${line}' +\n`);
  return (
    '// Generated by scripts/build-iterated-md5.mjs (iterated MD5 in WebAssembly); do not edit.\n' +
    '// The test beside iterated-md5.ts checks that these bytes match what the script produces.\n' +
    `export const ITERATED_MD5_WASM_BASE64 =\n${base64.replace(/ \+\n$/, ';\n')}`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '../core/crypto/iterated-md5.wasm.ts');
  writeFileSync(out, iteratedMd5Source(await iteratedMd5Wasm()));
  console.log(`wrote ${out}`);
}

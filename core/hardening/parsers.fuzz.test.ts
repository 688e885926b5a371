/**
 * Every parser, fed mutations of real files: truncations, bit flips, inserted and deleted
 * bytes, huge length fields, trailing bytes, deep nesting. Each input must end in a result
 * or one KeyDeskError (a plain refusal) within a second — never a hang, a crash or a raw
 * exception. Seeds are fixed so a failure can be replayed (fast-check prints the seed and
 * the shrunk counterexample).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyDeskError } from '../errors';
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import type { KeyStore } from '../model/key-store';
import { pkcs12Codec } from '../formats/pkcs12';
import { jceksCodec, jksCodec } from '../formats/jks';
import { readCmsStore, writeCmsStore } from '../formats/cms';
import { readStash, writeStash } from '../formats/cms-stash';
import { readCertificates, writeCertificate, writePkcs7 } from '../formats/certificate-file';
import { readPrivateKey, writePrivateKey } from '../formats/private-key-file';
import { readCertificationRequest } from '../formats/certification-request-file';
import { diagnoseTransferDamage } from '../formats/transfer-damage';
import { detectFormat } from '../api/store-files';
import { buildCertificate } from '../x509/certificate-builder';
import { buildCertificationRequest } from '../x509/certification-request-builder';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import { describeCertificate } from '../x509/certificate-details';
import { kdbFixturesDir } from '../testing/peer-tools';

const PASSWORD = 'fuzz-pw';
const RUNS = Number(process.env.KEYDESK_FUZZ_RUNS ?? 500);

/** Runs `parse` and says how it ended; anything but a result or a KeyDeskError fails. */
function endsPlainly(parse: () => unknown): void {
  const started = performance.now();
  try {
    parse();
  } catch (e) {
    if (!isKeyDeskError(e)) throw new Error(`not a plain refusal: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.split('\n')).toHaveLength(1);
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

/** A mutation of `seed` of one of the kinds an attacker or a bad transfer produces. */
function mutation(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = seed.length;
  const at = fc.integer({ min: 0, max: Math.max(0, n - 1) });
  return fc.oneof(
    at.map((i) => seed.slice(0, i)), // truncated
    fc.tuple(at, fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const b = seed.slice();
      b[i]! ^= 1 << bit; // one bit flipped
      return b;
    }),
    fc.tuple(fc.array(fc.tuple(at, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 })).map(([edits]) => {
      const b = seed.slice();
      for (const [i, v] of edits) b[i] = v; // scattered bytes replaced
      return b;
    }),
    fc.tuple(at, fc.constantFrom([0x84, 0xff, 0xff, 0xff, 0xff], [0x83, 0x7f, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff], [0x80])).map(([i, bytes]) => {
      const b = seed.slice();
      b.set(bytes.slice(0, Math.max(0, n - i)), i); // a huge or indefinite length where one may be
      return b;
    }),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, extra]) => new Uint8Array(Buffer.concat([seed.subarray(0, i), extra, seed.subarray(i)]))),
    fc.tuple(at, fc.integer({ min: 1, max: 64 })).map(([i, len]) => new Uint8Array(Buffer.concat([seed.subarray(0, i), seed.subarray(i + len)]))),
    fc.uint8Array({ minLength: 1, maxLength: 256 }).map((extra) => new Uint8Array(Buffer.concat([seed, extra]))), // trailing bytes
  );
}

/** DER nested far deeper than any real structure: 30 80 30 80 … and definite forms. */
const deepNesting = fc.integer({ min: 100, max: 20000 }).chain((depth) =>
  fc.constantFrom(
    new Uint8Array(Buffer.alloc(depth * 2, Buffer.from([0x30, 0x80]))),
    new Uint8Array(Buffer.concat(Array.from({ length: Math.min(depth, 2000) }, (_, i) => Buffer.from([0x30, 0x82, ((depth - i) * 4) >> 8, ((depth - i) * 4) & 0xff])))),
  ),
);

const seeds: Record<string, Uint8Array> = {};

beforeAll(() => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const subject = parseDistinguishedName('CN=Fuzz,O=KeyDesk');
  const certificate = buildCertificate({ subject, subjectPublicKey: spki, subjectPrivateKey: pkcs8, hash: 'sha256', validityDays: 30, profile: 'tls' });
  const store = (format: KeyStore['format']): KeyStore => ({
    format,
    properties: {},
    entries: [
      { kind: 'personal', label: 'fuzz', privateKey: pkcs8, chain: [certificate] },
      { kind: 'signer', label: 'fuzz ca', certificate },
    ],
  });
  seeds.pkcs12 = pkcs12Codec.write(store('pkcs12'), PASSWORD, { iterations: 10 });
  seeds.jks = jksCodec.write(store('jks'), PASSWORD);
  seeds.kdb = writeCmsStore(store('cms'), PASSWORD).kdb;
  seeds.stash = writeStash(PASSWORD);
  seeds.pem = writeCertificate(certificate, 'ascii');
  seeds.der = writeCertificate(certificate, 'binary');
  seeds.p7b = writePkcs7([certificate, certificate]);
  seeds.keyPem = writePrivateKey(pkcs8, 'ascii');
  seeds.keyEncrypted = writePrivateKey(pkcs8, 'binary', PASSWORD);
  seeds.csr = buildCertificationRequest({ subject, publicKey: spki, privateKey: pkcs8, hash: 'sha256' });
  // Real GSKit files, where present, reach parts our own writer never produces.
  for (const name of ['gsk-v6-mixed.kdb', 'gsk-v4-signer.kdb', 'gsk-v3-empty.kdb', 'gsk-v6-mixed.sth', 'gsk-v3-empty.sth']) {
    const file = join(kdbFixturesDir, name);
    if (existsSync(file)) seeds[`native ${name}`] = new Uint8Array(readFileSync(file));
  }
});

const parsers: [string, string[], (bytes: Uint8Array) => unknown][] = [
  ['PKCS#12', ['pkcs12'], (b) => pkcs12Codec.read(b, PASSWORD)],
  ['JKS', ['jks'], (b) => jksCodec.read(b, PASSWORD)],
  ['JCEKS (from JKS bytes)', ['jks'], (b) => jceksCodec.read(b, PASSWORD)],
  ['CMS .kdb', ['kdb', 'native gsk-v6-mixed.kdb', 'native gsk-v4-signer.kdb', 'native gsk-v3-empty.kdb'], (b) => readCmsStore({ kdb: b }, b.length > 3000 ? 'password' : PASSWORD)],
  ['stash', ['stash', 'native gsk-v6-mixed.sth', 'native gsk-v3-empty.sth'], (b) => readStash(b)],
  ['certificate files', ['pem', 'der', 'p7b'], (b) => readCertificates(b)],
  ['certificate details', ['der'], (b) => describeCertificate(b)],
  ['private-key files', ['keyPem', 'keyEncrypted'], (b) => readPrivateKey(b, PASSWORD)],
  ['certificate requests', ['csr'], (b) => readCertificationRequest(b)],
  ['transfer-damage diagnosis', ['pkcs12', 'kdb', 'der', 'p7b', 'jks'], (b) => diagnoseTransferDamage(b)],
  ['format detection', ['pkcs12', 'kdb', 'jks'], (b) => detectFormat(b)],
];

describe('parsers end every input in a result or one plain refusal, within a second', () => {
  for (const [name, seedNames, parse] of parsers) {
    it(`${name}: mutations of real files`, () => {
      const available = seedNames.filter((s) => seeds[s]);
      expect(available.length).toBeGreaterThan(0);
      const input = fc.constantFrom(...available).chain((s) => mutation(seeds[s]!));
      fc.assert(fc.property(input, (bytes) => endsPlainly(() => parse(bytes))), { seed: 20261127, numRuns: RUNS });
    });

    it(`${name}: deep nesting and random bytes`, () => {
      fc.assert(fc.property(fc.oneof(deepNesting, fc.uint8Array({ maxLength: 4096 })), (bytes) => endsPlainly(() => parse(bytes))), { seed: 7, numRuns: 40 });
    });
  }
});

describe('limits that stop an attack file', () => {
  it('a PKCS#12 asking for 2^40 key-derivation iterations is refused at once', () => {
    // The same file with only its MAC iteration count made hostile.
    const pfx = parseDer(seeds.pkcs12!);
    const macData = (pfx.value as Asn1[])[2]!;
    (macData.value as Asn1[])[2] = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01\x00\x00\x00\x00\x00');
    let message = '';
    const started = performance.now();
    try {
      pkcs12Codec.read(encodeDer(pfx), PASSWORD);
    } catch (e) {
      if (isKeyDeskError(e)) message = e.message;
      else throw e;
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(message).toMatch(/1,099,511,627,776 key-derivation iterations/);
  });
});

import { describe, expect, it, afterAll } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { readStash, writeStash } from './cms-stash';
import { readCmsStore } from './cms';
import { KeyDeskError } from '../errors';
import { haveKdbFixtures, hasTool, kdbFixturesDir, kdbcheckPath, makeTempDir } from '../testing/peer-tools';
import { spawnSync } from 'node:child_process';

/** Passwords as PROVENANCE.md gives them (learned there from the stashes by other means). */
const PASSWORDS: Record<string, string> = {
  'gsk-v6-empty': 'password',
  'gsk-v6-chained': 'password',
  'gsk-v6-mixed': 'password',
  'gsk-v4-signer': 'senha',
  'gsk-v3-empty': '123',
};

/** Independent of the CMS reader: does `password` satisfy the database's verifier? */
function verifierMatches(kdb: Uint8Array, password: string): boolean {
  const header = Buffer.from(kdb.subarray(0, 0x30));
  const pw = Buffer.from(password, 'utf8');
  const version = kdb[2];
  if (version === 3) return createHash('md5').update(header).update(pw).digest().equals(kdb.subarray(0x30, 0x40));
  const [alg, m] = version === 4 ? ['sha1', 20] : ['sha384', 48];
  return createHmac(alg as string, pw).update(header).digest().equals(kdb.subarray(0x30, 0x30 + (m as number)));
}

function expectCode(f: () => unknown, code: string, text?: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyDeskError);
    expect((e as KeyDeskError).code).toBe(code);
    if (text) expect((e as KeyDeskError).message).toMatch(text);
    return;
  }
  throw new Error(`expected KeyDeskError(${code})`);
}

describe.skipIf(!haveKdbFixtures)('stash: native GSKit stashes (skipped: ../shared/fixtures/kdb fixtures absent)', () => {
  const stashes = haveKdbFixtures ? readdirSync(kdbFixturesDir).filter((f) => f.endsWith('.sth')) : [];

  it('has every stash PROVENANCE.md lists', () => {
    expect(stashes.map((s) => s.replace(/\.sth$/, '')).sort()).toEqual(Object.keys(PASSWORDS).sort());
  });

  for (const file of stashes) {
    it(`decodes ${file} and the password opens its .kdb`, () => {
      const stem = file.replace(/\.sth$/, '');
      const password = readStash(readFileSync(join(kdbFixturesDir, file)));
      expect(password).toBe(PASSWORDS[stem]);
      expect(verifierMatches(readFileSync(join(kdbFixturesDir, `${stem}.kdb`)), password)).toBe(true);
      expect(readCmsStore({ kdb: readFileSync(join(kdbFixturesDir, `${stem}.kdb`)) }, password).format).toBe('cms');
    });
  }

  it('covers both forms among the natives', () => {
    const lengths = new Set(stashes.map((f) => readFileSync(join(kdbFixturesDir, f)).length));
    expect(lengths).toEqual(new Set([129, 193]));
  });
});

describe('stash: writing', () => {
  const passwords = ['password', 'senha', '1', 'pässwörd-€', 'x'.repeat(128), ' spaces and ; punctuation '];

  for (const form of ['v2', 'v1'] as const) {
    it(`writes ${form} stashes that decode to the password`, () => {
      for (const pw of passwords) {
        const sth = writeStash(pw, form);
        expect(sth.length).toBe(form === 'v2' ? 193 : 129);
        expect(readStash(sth)).toBe(pw);
      }
    });
  }

  it('defaults to the 193-byte form and randomises each stash', () => {
    const a = writeStash('password');
    const b = writeStash('password');
    expect(a.length).toBe(193);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses passwords a stash cannot hold instead of cutting them', () => {
    expectCode(() => writeStash('x'.repeat(129)), 'unsupported', /128 bytes/);
    expectCode(() => writeStash('a\0b'), 'unsupported', /NUL/);
  });

  it('reports a damaged stash', () => {
    const sth = writeStash('password');
    sth[40] = sth[40]! ^ 1; // inside B, the integrity check
    expectCode(() => readStash(sth), 'damaged', /integrity/);
    expectCode(() => readStash(new Uint8Array(192)), 'damaged', /192 bytes/);
    expectCode(() => readStash(new Uint8Array(0)), 'damaged');
  });
});

describe.skipIf(!haveKdbFixtures || !hasTool('python3'))(
  'stash: kdbcheck.py accepts written stashes (skipped: fixtures absent or python3 missing)',
  () => {
    const tmp = makeTempDir();
    afterAll(() => tmp.cleanup());

    for (const [stem, form] of [
      ['gsk-v6-mixed', 'v2'],
      ['gsk-v6-mixed', 'v1'],
      ['gsk-v4-signer', 'v2'],
      ['gsk-v3-empty', 'v1'],
    ] as const) {
      it(`${form} stash for ${stem}`, () => {
        const sth = join(tmp.dir, `${stem}-${form}.sth`);
        writeFileSync(sth, writeStash(PASSWORDS[stem]!, form));
        const run = spawnSync('python3', [kdbcheckPath, join(kdbFixturesDir, `${stem}.kdb`), '--sth', sth], {
          encoding: 'utf8',
        });
        expect(run.status, run.stdout + run.stderr).toBe(0);
        expect(JSON.parse(run.stdout).verifier_ok).toBe(true);
      });
    }
  },
);

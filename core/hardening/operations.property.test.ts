/**
 * Random sequences of operations, each saved and the store reopened, give exactly the
 * entries a simple model predicts — for every format. Refusals are predicted too, and a
 * refused operation must leave the file byte for byte as it was.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyDeskService } from '../api/service';
import type { StoreRef, WritableFormat } from '../api/contract';
import { isKeyDeskError } from '../errors';
import { buildCertificate } from '../x509/certificate-builder';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import { makeTempDir } from '../testing/peer-tools';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

/** A pool of signer certificates on disk, so Add reads real files. */
const certificateFiles = Array.from({ length: 4 }, (_, i) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = buildCertificate({
    subject: parseDistinguishedName(`CN=Pool CA ${i}`),
    subjectPublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    subjectPrivateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    hash: 'sha256',
    validityDays: 30,
    profile: 'ca',
  });
  const file = join(temp.dir, `pool-${i}.der`);
  writeFileSync(file, der);
  return { file, sha256: createHash('sha256').update(der).digest('hex') };
});

const labels = ['alpha', 'bravo', 'charlie', 'delta'];
type Op =
  | { op: 'add'; label: string; cert: number }
  | { op: 'delete'; label: string }
  | { op: 'rename'; label: string; to: string }
  | { op: 'selfSigned'; label: string };

const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), label: fc.constantFrom(...labels), cert: fc.integer({ min: 0, max: certificateFiles.length - 1 }) }),
  fc.record({ op: fc.constant('delete' as const), label: fc.constantFrom(...labels) }),
  fc.record({ op: fc.constant('rename' as const), label: fc.constantFrom(...labels), to: fc.constantFrom(...labels) }),
  fc.record({ op: fc.constant('selfSigned' as const), label: fc.constantFrom(...labels) }),
);

interface ModelEntry {
  kind: 'signer' | 'personal';
  sha256?: string;
}

/** What the operation should do to the model, or the refusal code it should meet. */
function predict(model: Map<string, ModelEntry>, op: Op): string | undefined {
  switch (op.op) {
    case 'add': {
      const sha = certificateFiles[op.cert]!.sha256;
      if (model.has(op.label)) return 'conflict';
      if ([...model.values()].some((e) => e.sha256 === sha)) return 'conflict';
      model.set(op.label, { kind: 'signer', sha256: sha });
      return undefined;
    }
    case 'delete':
      if (!model.delete(op.label)) return 'not-found';
      return undefined;
    case 'rename': {
      const entry = model.get(op.label);
      if (!entry) return 'not-found';
      if (op.to !== op.label && model.has(op.to)) return 'conflict';
      model.delete(op.label);
      model.set(op.to, entry);
      return undefined;
    }
    case 'selfSigned':
      if (model.has(op.label)) return 'conflict';
      model.set(op.label, { kind: 'personal' });
      return undefined;
  }
}

async function apply(api: KeyDeskService, store: StoreRef, op: Op): Promise<unknown> {
  switch (op.op) {
    case 'add':
      return api.addCertificate({ store, label: op.label, file: certificateFiles[op.cert]!.file });
    case 'delete':
      return api.deleteEntry({ store, label: op.label });
    case 'rename':
      return api.renameEntry({ store, label: op.label, newLabel: op.to });
    case 'selfSigned':
      return api.createSelfSigned({ store, label: op.label, dn: `CN=${op.label}`, size: 256, sigAlg: 'EC_ecdsa_with_SHA256' });
  }
}

const extension: Record<WritableFormat, string> = { cms: 'kdb', pkcs12: 'p12', jks: 'jks', jceks: 'jceks' };

describe('random operation sequences match the model after every save and reopen', () => {
  for (const format of Object.keys(extension) as WritableFormat[]) {
    it(format, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: format === 'jceks' ? 4 : 7 }), async (ops) => {
          const api = new KeyDeskService();
          const path = join(temp.dir, `${format}-run-${run++}.${extension[format]}`);
          const store = { path, password: 'Model-pw1' };
          await api.createStore({ path, password: store.password, format });
          const model = new Map<string, ModelEntry>();
          for (const op of ops) {
            const before = readFileSync(path);
            const expected = predict(model, op);
            let refused: string | undefined;
            try {
              await apply(api, store, op);
            } catch (e) {
              if (!isKeyDeskError(e)) throw e;
              refused = e.code;
            }
            expect(refused, JSON.stringify(op)).toBe(expected);
            if (refused) expect(readFileSync(path).equals(before)).toBe(true);
            const view = await api.openStore(store);
            const seen = view.entries.map((e) => `${e.label}:${e.kind}${e.kind === 'signer' ? `:${e.sha256}` : ''}`).sort();
            const want = [...model].map(([label, e]) => `${label}:${e.kind}${e.kind === 'signer' ? `:${e.sha256}` : ''}`).sort();
            expect(seen).toEqual(want);
            await api.closeStore({ storeId: view.storeId });
          }
          for (const f of [path, `${path}.bak`]) rmSync(f, { force: true });
        }),
        { seed: 42, numRuns: format === 'jceks' ? 4 : 12 },
      );
    }, 120_000);
  }
});

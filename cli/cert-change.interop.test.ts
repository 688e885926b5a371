/**
 * Add, extract, rename and delete on every store format, as an operator would check them:
 * the listing, the files openssl reads, no .bak left behind, and refusals that change nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, kdbcheckPath, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { cli } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);
const canCheckCms = hasTool('python3') && existsSync(kdbcheckPath);

describe.skipIf(!hasTool('openssl'))(`signer certificates on every format${missingNote('openssl')}`, () => {
  beforeAll(() => {
    const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=Partner/CN=Partner Root CA', '-days', '30');
    o('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'qm2.key', '-out', 'qm2.pem', '-subj', '/CN=QM2', '-days', '30');
    o('x509', '-in', 'qm2.pem', '-outform', 'DER', '-out', 'qm2.der');
  });

  for (const [format, file] of [['cms', 'signers.kdb'], ['pkcs12', 'signers.p12'], ['jks', 'signers.jks'], ['jceks', 'signers.jceks']] as const) {
    it(`${format}: add, refuse duplicates, extract, rename, delete`, async () => {
      const db = at(file);
      const auth = ['-db', db, '-pw', 'Passw0rd'];
      expect((await cli('-keydb', '-create', '-db', db, '-pw', 'Passw0rd', '-type', format)).code).toBe(0);

      expect(await cli('-cert', '-add', '-label', 'partner root', '-file', at('ca.pem'), ...auth)).toMatchObject({ code: 0, out: '' });
      expect(await cli('-cert', '-add', '-label', 'qm2', '-file', at('qm2.der'), '-format', 'binary', ...auth)).toMatchObject({ code: 0, out: '' });
      expect((await cli('-cert', '-list', ...auth)).out.split('\n')).toEqual(expect.arrayContaining(['!\t"partner root"', '!\tqm2']));

      const before = readFileSync(db);
      const again = await cli('-cert', '-add', '-label', 'another name', '-file', at('ca.pem'), ...auth);
      // GSKit's id and exit status for a duplicate (cli/ibm-messages.ts: CTGSK2021W, RUNMQAKM.md §4; 23, mqsslsetup.sh).
      expect(again).toMatchObject({ code: 23, out: 'CTGSK2021W A duplicate certificate already exists in the database.' });
      expect(again.err).toContain('already in the store, labelled "partner root"');
      const taken = await cli('-cert', '-add', '-label', 'QM2', '-file', at('ca.pem'), ...auth);
      expect(taken.code).toBe(23);
      expect(taken.err).toContain('"qm2" is already in use');
      expect(readFileSync(db).equals(before)).toBe(true);

      expect((await cli('-cert', '-extract', '-label', 'qm2', '-target', at(`${format}-qm2.der`), '-format', 'binary', ...auth)).code).toBe(0);
      expect(readFileSync(at(`${format}-qm2.der`)).equals(readFileSync(at('qm2.der')))).toBe(true);
      expect((await cli('-cert', '-extract', '-label', 'partner root', '-target', at(`${format}-ca.arm`), ...auth)).code).toBe(0);
      const fingerprint = (f: string) => runTool('openssl', ['x509', '-in', f, '-noout', '-fingerprint', '-sha256']).toString();
      expect(fingerprint(at(`${format}-ca.arm`))).toBe(fingerprint(at('ca.pem')));

      expect(await cli('-cert', '-rename', '-label', 'qm2', '-new_label', 'qm2 self-signed', ...auth)).toMatchObject({ code: 0 });
      // No copy of the store is left beside it unless -backup asks for one (issue 13).
      expect(existsSync(`${db}.bak`)).toBe(false);
      expect(await cli('-cert', '-delete', '-label', 'partner root', ...auth)).toMatchObject({ code: 0 });
      const listing = (await cli('-cert', '-list', ...auth)).out.split('\n').slice(2);
      expect(listing).toEqual(['!\t"qm2 self-signed"']);

      const missing = await cli('-cert', '-delete', '-label', 'partner root', ...auth);
      expect(missing.code).toBe(1);
      expect(missing.err).toBe(`keydesk: ${db}: no entry labelled "partner root".`);
      // On stdout, IBM's line that scripts grep for (RUNMQAKM.md §4: the Db2 HADR article, IBM's UrbanCode plug-in).
      expect(missing.out).toBe("CTGSK3029W The database doesn't contain an entry with label 'partner root'.");

      if (format === 'cms' && canCheckCms) {
        const check = spawnSync('python3', [kdbcheckPath, db, '--pw', 'Passw0rd'], { encoding: 'utf8' });
        expect(JSON.parse(check.stdout).problems).toEqual([]);
      }
    });
  }

  it('a file with no certificate is refused naming the file, and the store is unchanged', async () => {
    const db = at('signers.p12');
    const before = readFileSync(db);
    const r = await cli('-cert', '-add', '-label', 'key', '-file', at('ca.key'), '-db', db, '-pw', 'Passw0rd');
    expect(r.code).toBe(1);
    expect(r.err).toContain(at('ca.key'));
    expect(r.err.split('\n')).toHaveLength(1);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

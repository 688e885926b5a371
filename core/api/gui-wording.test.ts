/**
 * Issue 15: a refusal, note or finding reaches the window (IPC, HTTP — both go through
 * dispatch) worded for the window, and the CLI (direct calls) with its flags; Populate adds
 * only the CAs chosen.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { KeyDeskService } from './service';
import { dispatch } from './wire-error';
import { wellKnownCas } from '../operations/populate-signers';

const cliFlag = /(^|\s)-[a-z_]+\b/;

async function newStore(stash = false) {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-gui-wording-'));
  const path = join(dir, 'key.kdb');
  const api = new KeyDeskService();
  await api.createStore({ path, password: 'Passw0rd!', format: 'cms', stash });
  return { api, dir, path };
}

describe('refusals on the wire', () => {
  it('a wrong password names the stash checkbox on the wire and -stashed to the CLI', async () => {
    const { api, path } = await newStore();
    const direct = await api.openStore({ path, password: 'wrong' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(direct).toMatch(/\(-stashed\)/);
    const wired = await dispatch(api, 'openStore', { path, password: 'wrong' });
    expect(wired.ok).toBe(false);
    if (wired.ok) return;
    expect(wired.error.code).toBe('wrong-password');
    expect(wired.error.message).toContain('Use the stash file');
    expect(wired.error.message).not.toMatch(cliFlag);
  });

  it('a file broken by a text-mode transfer carries the reason the window offers Repair… for', async () => {
    const { api, dir, path } = await newStore();
    // The CAs' fixed bytes hold line feeds whatever the random salt and MAC do.
    await api.populateSigners({ store: { path, password: 'Passw0rd!' } });
    const original = readFileSync(path);
    const broken = join(dir, 'ftp.kdb');
    writeFileSync(broken, Buffer.from(original.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
    expect(original.includes(0x0a)).toBe(true);
    const wired = await dispatch(api, 'openStore', { path: broken, password: 'Passw0rd!' });
    expect(wired.ok).toBe(false);
    if (wired.ok) return;
    expect(wired.error.reason).toBe('transfer-damaged');
    expect(wired.error.message).toContain('Repair…');
    expect(wired.error.message).not.toMatch(cliFlag);
  });
});

describe('notes and warnings on the wire', () => {
  it('a CA-signed certificate’s note and a 1024-bit warning name the window’s actions, and the CLI’s flags', async () => {
    const { api, path } = await newStore();
    await api.createSelfSigned({ store: { path, password: 'Passw0rd!' }, label: 'class-ca', dn: 'CN=Class CA', ca: true });
    const signed = { store: { path, password: 'Passw0rd!' }, label: 'qm1', dn: 'CN=QM1', caLabel: 'class-ca' };
    const direct = await api.createSelfSigned(signed);
    expect(direct.notes.join(' ')).toContain('-cert -extract');
    const wired = await dispatch(api, 'createSelfSigned', { ...signed, label: 'qm2', dn: 'CN=QM2' });
    if (!wired.ok) throw new Error(wired.error.message);
    expect(wired.value.notes.join(' ')).toContain('Extract… it here, Add… it there');
    for (const note of wired.value.notes) expect(note).not.toMatch(cliFlag);

    const weak = { store: { path, password: 'Passw0rd!' }, label: 'old', dn: 'CN=Old', size: 1024 };
    expect((await api.createSelfSigned(weak)).notes.join(' ')).toContain('-size 1024');
    const weakWired = await dispatch(api, 'createSelfSigned', { ...weak, label: 'old2' });
    if (!weakWired.ok) throw new Error(weakWired.error.message);
    expect(weakWired.value.notes.join(' ')).toContain('key size 1024 makes a 1024-bit RSA key');
    for (const note of weakWired.value.notes) expect(note).not.toMatch(cliFlag);
  });

  it('a refusal built from a worded clause is swapped clause by clause', async () => {
    const { api, path } = await newStore();
    const request = { store: { path, password: 'Passw0rd!' }, label: 'x', dn: 'CN=X', size: 256, sigAlg: 'SHA256WithRSA' };
    await expect(api.createSelfSigned(request)).rejects.toThrow('-size 256 is an EC key size, but -sig_alg SHA256WithRSA signs with RSA; use -size 2048, 3072 or 4096');
    const wired = await dispatch(api, 'createSelfSigned', request);
    expect(wired.ok).toBe(false);
    if (wired.ok) return;
    expect(wired.error.message).toContain('key size 256 is an EC key size, but the signature algorithm SHA256WithRSA signs with RSA; use key size 2048, 3072 or 4096');
    expect(wired.error.message).not.toMatch(cliFlag);
  });
});

/**
 * Every line core can send, read from its source: a string that names a CLI flag must be the
 * CLI half of a pair — worded(cli, window), or a KeyDeskError given its window wording — or
 * be one of the few lines below that are meant as commands. A new message naming a flag
 * without the window's words fails here.
 */
describe('every message core words', () => {
  const root = join(__dirname, '..');
  // Another tool's command (keytool, openssl) is what the user runs there, window or not.
  const otherTools = /\b(?:keytool|openssl)\b[^;:()]*/g;
  const flagInText = /(?:^|[\s(“"'\[])-(?!-)[a-z][a-z_]*\b/;
  const meantAsCommands: { file: string; startsWith: string; why: string }[] = [
    { file: 'checks/exchange.ts', startsWith: 'keydesk -cert -', why: 'the exchange step’s “command that does it alone”, shown as code under Details' },
    { file: 'formats/cms.ts', startsWith: '-drop_damaged', why: 'the switch named only in the CLI half of a refusal that has its window wording' },
    { file: 'checks/html-report.ts', startsWith: '\n:root', why: 'the report’s stylesheet (-apple-system)' },
  ];

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'testing' || name === 'testdata' ? [] : sources(path);
      return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts') && !path.endsWith('-test-support.ts') ? [path] : [];
    });
  }

  const textOf = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression) =>
    ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…') : node.text;

  /** Inside worded()'s first argument, or the message of a KeyDeskError that has a window wording. */
  function isCliHalf(node: ts.Node): boolean {
    for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
      if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'worded') return parent.arguments[0] === child;
      if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'KeyDeskError') {
        const window = parent.arguments?.[3];
        return parent.arguments?.[1] === child && window !== undefined && window.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isIdentifier(window) && window.text === 'undefined');
      }
      if (ts.isFunctionLike(parent)) return false;
    }
    return false;
  }

  it('names a CLI flag only as the CLI half of a pair', () => {
    const unpaired: string[] = [];
    let scanned = 0;
    for (const file of sources(root)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
          scanned++;
          const text = textOf(node);
          const where = relative(root, file);
          if (!flagInText.test(text.replace(otherTools, ''))) return;
          if (isCliHalf(node) || meantAsCommands.some((m) => m.file === where && text.startsWith(m.startsWith))) return;
          unpaired.push(`${where}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.slice(0, 120)}`);
          return;
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(scanned).toBeGreaterThan(1000);
    expect(unpaired).toEqual([]);
  });

  it('catches a flag in a line of its own, in a template, and after a parenthesis', () => {
    for (const text of ['give -pw.', '(-stashed)', '-cert -add it']) expect(text.replace(otherTools, ''), text).toMatch(flagInText);
    for (const text of ['keytool -keypasswd changes it.', 'SHA-256 or stronger', 'a self-signed CA', '-----BEGIN CERTIFICATE-----']) expect(text.replace(otherTools, ''), text).not.toMatch(flagInText);
  });
});

describe('Populate with a choice', () => {
  it('adds only the CAs chosen by fingerprint, and lists them as present afterwards', async () => {
    const { api, path } = await newStore();
    const [first, second] = wellKnownCas();
    const changed = await api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: [first!.fingerprint, second!.fingerprint] });
    expect(changed.entries.filter((e) => e.kind === 'signer').map((e) => e.sha256?.toUpperCase())).toHaveLength(2);
    const listed = (await api.wellKnownCas({ store: { path, password: 'Passw0rd!' } })).cas;
    expect(listed.filter((ca) => ca.presentAs !== undefined).map((ca) => ca.fingerprint).sort()).toEqual([first!.fingerprint, second!.fingerprint].sort());
  });

  it('refuses an empty choice and a fingerprint not on the list, writing nothing', async () => {
    const { api, path } = await newStore();
    const before = readFileSync(path);
    await expect(api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: [] })).rejects.toThrow(/no CA certificate was chosen/);
    await expect(api.populateSigners({ store: { path, password: 'Passw0rd!' }, fingerprints: ['00:11'] })).rejects.toThrow(/not in the list/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

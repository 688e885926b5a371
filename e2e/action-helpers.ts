/**
 * For the action dialogs' tests: the file on disk checked by tools that are not the page —
 * the KeyDesk CLI (`node bin/keydesk … -json`), openssl, and IBM-independent kdbcheck.py —
 * and the dialog steps a user takes, written once.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { paneGrid, paneTab, type StoreScope } from './ui-helpers';

const repo = resolve(__dirname, '..');

/** `node bin/keydesk ARGS`; throws with its one-line stderr when it fails. */
export function keydeskCli(args: string[]): string {
  const run = spawnSync(process.execPath, [resolve(repo, 'bin/keydesk'), ...args], { cwd: repo, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`keydesk ${args.join(' ')} exited ${run.status}: ${run.stderr.trim()}`);
  return run.stdout;
}

export function keydeskCliFails(args: string[]): string {
  const run = spawnSync(process.execPath, [resolve(repo, 'bin/keydesk'), ...args], { cwd: repo, encoding: 'utf8' });
  expect(run.status, `keydesk ${args.join(' ')} should fail`).not.toBe(0);
  return run.stderr.trim();
}

export interface CliEntry {
  label: string;
  kind: string;
  hasPrivateKey: boolean;
  subject?: string;
  issuer?: string;
  sha256?: string;
  keyAlgorithm?: string;
  keySize?: number;
  curve?: string;
  subjectAltNames?: string[];
  selfSigned?: boolean;
  basicConstraints?: { ca: boolean };
  notBefore?: string;
  notAfter?: string;
  signatureAlgorithm?: string;
}

export type StoreAuth = { pw: string } | { stashed: true };
const authArgs = (auth: StoreAuth) => ('pw' in auth ? ['-pw', auth.pw] : ['-stashed']);

/** Every entry, certificates and pending requests, as the CLI reads the file. */
export function cliEntries(db: string, auth: StoreAuth): CliEntry[] {
  const certs = (JSON.parse(keydeskCli(['-cert', '-list', 'all', '-db', db, ...authArgs(auth), '-json'])) as { entries: CliEntry[] }).entries;
  return certs;
}

export function cliRequests(db: string, auth: StoreAuth): string[] {
  const out = JSON.parse(keydeskCli(['-certreq', '-list', '-db', db, ...authArgs(auth), '-json'])) as unknown;
  const list = Array.isArray(out) ? out : ((out as { requests?: unknown[]; entries?: unknown[] }).requests ?? (out as { entries?: unknown[] }).entries ?? []);
  return list.map((r) => (typeof r === 'string' ? r : (r as { label: string }).label));
}

export function cliEntry(db: string, auth: StoreAuth, label: string): CliEntry | undefined {
  return cliEntries(db, auth).find((e) => e.label === label);
}

export const kdbcheckPath = resolve(repo, '../shared/tools/kdbcheck.py');
export const haveKdbcheck = existsSync(kdbcheckPath) && spawnSync('python3', ['--version']).error === undefined;

/** kdbcheck.py on a CMS file: header, password verifier, MAC, every record. Skipped, visibly, without it. */
export function kdbcheck(
  file: string,
  auth: { pw: string } | { sth: string } | Record<string, never> = {},
  /** A discrepancy already reported (not this suite's to fix): annotated on the test instead of failing it, while every other check still must hold. */
  knownProblem?: RegExp,
): Record<string, unknown> | undefined {
  if (!haveKdbcheck) {
    test.info().annotations.push({ type: 'skipped check', description: `kdbcheck.py not found at ${kdbcheckPath} (or no python3): ${file} not checked by it` });
    return undefined;
  }
  const args = [kdbcheckPath, file, ...('pw' in auth ? ['--pw', auth.pw as string] : 'sth' in auth ? ['--sth', auth.sth as string] : [])];
  const run = spawnSync('python3', args, { encoding: 'utf8' });
  if (run.status === 1 && knownProblem) {
    const report = JSON.parse(run.stdout) as { problems?: string[] };
    const problems = report.problems ?? [];
    if (problems.length > 0 && problems.every((p) => knownProblem.test(p))) {
      test.info().annotations.push({ type: 'known kdbcheck.py finding', description: `${file}: ${problems.join('; ')}` });
      return report;
    }
  }
  expect(run.status, `kdbcheck.py ${file}: ${run.stdout}${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

export function opensslText(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** openssl's colon hex (AA:BB:…) of the CLI's lower-case hex. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

export function dialog(page: Page, name: string | RegExp): Locator {
  return page.getByRole('dialog', { name });
}

export async function selectRow(scope: StoreScope, pane: 'Personal Certificates' | 'Signer Certificates' | 'Personal Certificate Requests', label: string): Promise<void> {
  await paneTab(scope, pane).click();
  const page = 'page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page);
  const row = paneGrid(scope, pane).locator('[role="row"][data-index]').filter({ has: page.getByRole('gridcell', { name: label, exact: true }) });
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
}

/** The pane's action bar: its buttons, by their exact names. */
export function action(scope: StoreScope, name: string): Locator {
  return scope.getByRole('group', { name: /actions$/ }).getByRole('button', { name, exact: true });
}

/** Runs a pane's action as a person would: its button, or, side by side, where the toolbar
 * keeps a few buttons, the item of the pane's More menu (Delete is “Delete…” there: it asks). */
export async function runAction(page: Page, scope: StoreScope, name: string): Promise<void> {
  const button = action(scope, name);
  if ((await button.count()) > 0) return button.click();
  await scope.getByRole('button', { name: /^More .* actions$/ }).click();
  await page
    .getByRole('menu', { name: /^More .* actions$/ })
    .getByRole('menuitem', { name: name === 'Delete' ? 'Delete…' : name, exact: true })
    .click();
}

export interface KeyFields {
  mqName?: string;
  label?: string;
  cn: string;
  o?: string;
  ou?: string;
  l?: string;
  st?: string;
  c?: string;
  keyType?: 'RSA' | 'EC';
  keySize?: string;
  sigAlg?: string;
  validityDays?: string;
  sans?: string;
  ca?: boolean;
}

export async function fillKeyFields(d: Locator, f: KeyFields): Promise<void> {
  if (f.mqName !== undefined) await d.getByLabel('Queue manager or user name').fill(f.mqName);
  if (f.label !== undefined) await d.getByLabel('Key label', { exact: true }).fill(f.label);
  await d.getByLabel('Common name (CN)').fill(f.cn);
  if (f.o !== undefined) await d.getByLabel('Organization (O)').fill(f.o);
  if (f.ou !== undefined) await d.getByLabel('Organizational unit (OU)').fill(f.ou);
  if (f.l !== undefined) await d.getByLabel('Locality (L)').fill(f.l);
  if (f.st !== undefined) await d.getByLabel('State or province (ST)').fill(f.st);
  if (f.c !== undefined) await d.getByLabel('Country (C)').fill(f.c);
  if (f.keyType) await d.getByLabel('Key type').selectOption(f.keyType);
  if (f.keySize) await d.getByLabel('Key size').selectOption(f.keySize);
  if (f.sigAlg) await d.getByLabel('Signature algorithm').selectOption(f.sigAlg);
  if (f.validityDays !== undefined) await d.getByLabel('Validity period (days)').fill(f.validityDays);
  if (f.sans !== undefined) await d.getByLabel('Subject alternative names').fill(f.sans);
  if (f.ca) await d.getByLabel(/^Certificate authority \(CA\)/).check();
}

/** OK, then the dialog closes and the message bar says what was done. */
export async function okAndWait(page: Page, d: Locator, expectMessage?: string | RegExp): Promise<void> {
  await d.getByRole('button', { name: 'OK', exact: true }).click();
  await expect(d).toHaveCount(0, { timeout: 30_000 });
  if (expectMessage) await expect(page.getByRole('status').filter({ hasText: expectMessage })).toBeVisible();
}

/**
 * What every browser-mode test does the way a user would: open a store through Open…, the
 * in-app file browser and the password dialog; watch every API answer for key material;
 * save screenshots where a person will look at them.
 */
import { expect, type Locator, type Page, type Response } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { e2eToken } from '../playwright.config';

export const screenshotDir = 'test-results/screenshots';

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Let the focus ring and any transition settle, so the picture is what a person sees.
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: options.fullPage ?? false });
}

export async function startPage(page: Page): Promise<void> {
  await page.goto(`/?token=${e2eToken}`);
  await expect(page.getByRole('heading', { name: 'No key database open' })).toBeVisible();
}

/** Open… → type the store's path in the file browser → Open → the password dialog. */
export async function chooseStoreInFileBrowser(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Open…' }).first().click();
  const browser = page.getByRole('dialog', { name: 'Open key database' });
  await expect(browser.getByRole('listbox')).toBeVisible();
  await browser.getByLabel('Path').fill(path);
  await browser.getByRole('button', { name: 'Open', exact: true }).click();
}

export async function unlock(page: Page, how: { password: string } | { stash: true }): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Open key database' });
  await expect(dialog.getByLabel('Password')).toBeVisible();
  if ('stash' in how) {
    await expect(dialog.getByLabel(/Use the stash file/)).toBeChecked();
  } else {
    await expect(dialog.getByText(/Looking for a stash file/)).toBeHidden();
    const stash = dialog.getByLabel(/Use the stash file/);
    if (await stash.isVisible()) await stash.uncheck();
    await dialog.getByLabel('Password').fill(how.password);
  }
  await dialog.getByRole('button', { name: 'OK' }).click();
}

export async function openStore(page: Page, path: string, how: { password: string } | { stash: true }): Promise<void> {
  await chooseStoreInFileBrowser(page, path);
  await unlock(page, how);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Personal Certificates', exact: true })).toBeVisible();
}

/** The page, or one store's panel when two are side by side. */
export type StoreScope = Page | Locator;

export function paneTab(scope: StoreScope, name: 'Personal Certificates' | 'Signer Certificates' | 'Personal Certificate Requests') {
  return scope.getByRole('tab', { name, exact: true });
}

export function paneGrid(scope: StoreScope, name: string) {
  return scope.getByRole('grid', { name });
}

/** The labels of the rows in a pane's grid, in display order. */
export async function rowLabels(scope: StoreScope, pane: string): Promise<string[]> {
  const rows = paneGrid(scope, pane).locator('[role="row"][data-index]');
  return rows.evaluateAll((elements) => elements.map((e) => e.querySelector('[role="gridcell"]')?.textContent ?? ''));
}

export interface ApiTraffic {
  bodies: { url: string; status: number; body: string }[];
  /** Resolves once every answer seen so far has been read. */
  settled(): Promise<void>;
}

/** Every answer of the API, as text, to search for what must never be there. */
export function recordApiResponses(page: Page): ApiTraffic {
  const traffic: ApiTraffic['bodies'] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response: Response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    pending.push(
      response
        .text()
        .then((body) => void traffic.push({ url: response.url(), status: response.status(), body }))
        .catch(() => undefined),
    );
  });
  return { bodies: traffic, settled: async () => void (await Promise.all(pending)) };
}

/**
 * No private key in any answer: no PEM key block, no field named privateKey, no base64 of
 * a PKCS#8 or SEC1 key (their first bytes are the same for every key of a kind), and, when
 * the key is known, no slice of it in base64 or hex.
 */
export function expectNoKeyMaterial(traffic: ApiTraffic, knownKeyBase64?: string): void {
  expect(traffic.bodies.length).toBeGreaterThan(0);
  for (const { url, body } of traffic.bodies) {
    expect(body, url).not.toContain('PRIVATE KEY');
    expect(body, url).not.toMatch(/"privateKey"\s*:/);
    expect(body, url).not.toMatch(/MII[A-Za-z0-9+/]{2}gIBADAN/); // PKCS#8 of an RSA key (SEQUENCE, version 0, AlgorithmIdentifier)
    expect(body, url).not.toMatch(/MIG[A-Za-z0-9+/]AgEAM/); // PKCS#8 of an EC key
    expect(body, url).not.toMatch(/MHcCAQEE|MIGkAgEBBD/); // SEC1 EC keys (P-256, P-384)
    if (knownKeyBase64) {
      expect(body, url).not.toContain(knownKeyBase64.slice(0, 48));
      // A slice from the middle: the key's own bytes, not the common header.
      expect(body, url).not.toContain(knownKeyBase64.slice(200, 260));
      const hex = Buffer.from(knownKeyBase64, 'base64').subarray(40, 72).toString('hex');
      expect(body.toLowerCase(), url).not.toContain(hex);
    }
  }
}

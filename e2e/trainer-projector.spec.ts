/**
 * The trainer's exchange mode on a projector (issue 15): two queue managers' key.kdb files,
 * each with a dozen signers, side by side at 1366x768 and 1024x700. Rows are counted where
 * a person sees them — inside the table's scroller, inside the window, and not covered by
 * anything — with the exchange steps and the connection result in view too. The stores are
 * made by openssl and the CLI; everything the trainer does is done in the page.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveOpenssl, openssl, tempDir } from './store-fixtures';
import { cliEntries, runAction, dialog, keydeskCli, okAndWait, selectRow } from './action-helpers';
import { openStore, paneGrid, paneTab, screenshot, startPage } from './ui-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the stores of the class');

const storePw = 'Passw0rd-class';
const partners = 12;

/** dir/folder/key.kdb (stashed): a personal certificate `label` (CN=cn) and `partners` signers ibmwebspheremqpartnerNN. */
function makeStore(dir: string, folder: string, cn: string, label: string, keyArgs: string[], firstPartnerLabel?: string): string {
  const at = join(dir, folder);
  mkdirSync(at, { recursive: true });
  openssl(['req', '-x509', '-newkey', ...keyArgs, '-nodes', '-keyout', 'me.key', '-out', 'me.pem', '-subj', `/O=KeyDesk Class/CN=${cn}`, '-days', '365'], at);
  const names: string[] = [];
  const pems: string[] = [];
  for (let i = 1; i <= partners; i++) {
    const n = String(i).padStart(2, '0');
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `p${n}.key`,
        '-out',
        `p${n}.pem`,
        '-subj',
        `/O=Partner ${n}/CN=partner${n}`,
        '-days',
        String(20 + i * 60),
      ],
      at,
    );
    names.push('-caname', i === 1 && firstPartnerLabel ? firstPartnerLabel : `ibmwebspheremqpartner${n}`);
    pems.push(readFileSync(join(at, `p${n}.pem`), 'utf8'));
  }
  writeFileSync(join(at, 'partners.pem'), pems.join(''));
  openssl(['pkcs12', '-export', '-inkey', 'me.key', '-in', 'me.pem', '-name', label, '-certfile', 'partners.pem', ...names, '-out', 'class.p12', '-passout', 'pass:class-pw'], at);
  const path = join(at, 'key.kdb');
  keydeskCli(['-keydb', '-convert', '-db', join(at, 'class.p12'), '-pw', 'class-pw', '-new_db', path, '-new_pw', storePw, '-new_format', 'cms', '-stash']);
  return path;
}

const RSA = ['rsa:2048'];
const EC = ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

/** Rows of the pane's grid a person sees whole: below the sticky header, inside the scroller and the window, on top. */
async function rowsInView(panel: Locator, pane: string): Promise<number> {
  return paneGrid(panel, pane).evaluate((grid) => {
    const scroller = grid.parentElement!;
    const box = scroller.getBoundingClientRect();
    const headBottom = grid.querySelector('[role="rowgroup"]')!.getBoundingClientRect().bottom;
    const bottom = Math.min(box.bottom, window.innerHeight);
    return [...grid.querySelectorAll<HTMLElement>('[role="row"][data-index]')].filter((row) => {
      const r = row.getBoundingClientRect();
      if (r.height === 0 || r.top < headBottom - 1 || r.bottom > bottom + 1) return false;
      const onTop = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
      return onTop !== null && row.contains(onTop);
    }).length;
  });
}

/** Label cells in view whose text is cut (ellipsis): none may be. */
async function cutLabels(panel: Locator, pane: string): Promise<string[]> {
  return paneGrid(panel, pane)
    .locator('[role="row"][data-index] [role="gridcell"]:first-child')
    .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent ?? ''));
}

async function openClass(page: Page, a: string, b: string) {
  await startPage(page);
  await openStore(page, a, { stash: true });
  await openStore(page, b, { stash: true });
  await page.getByRole('button', { name: 'Side by Side' }).click();
}

const panel = (page: Page, name: RegExp) => page.getByRole('tabpanel', { name });

test('at 1366x768 each store shows six rows and more, at 1024x700 three, with the steps and the verdict in view; labels are whole', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = tempDir();
  const qm1 = makeStore(dir, 'qm1/ssl', 'QM1', 'ibmwebspheremqqm1', RSA);
  const qm2 = makeStore(dir, 'qm2/ssl', 'QM2', 'ibmwebspheremqqm2', RSA);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openClass(page, qm1, qm2);
  const a = panel(page, /qm1/);
  const b = panel(page, /qm2/);
  const exchange = page.getByRole('region', { name: 'Exchange mode' });
  // Two queue managers: the trainer says so for B.
  await b.getByRole('combobox', { name: 'Role of B' }).selectOption('queue manager');
  await expect(exchange.getByRole('heading')).toContainText('A: key.kdb — qm1/ssl (queue manager) ⇄ B: key.kdb — qm2/ssl (queue manager)');

  // The key database's own actions and the checks are in one menu per side; a check gets a tab while shown.
  await a.getByRole('button', { name: 'Key Database' }).click();
  // Drawn over the page (a panel clips what overflows it), so found in the page.
  const menu = page.getByRole('menu', { name: 'Key Database' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Change Password…', 'Stash Password…', 'Save As / Convert…', 'Export List…', 'Examine TLS Endpoint…', 'Doctor', 'Validity Timeline']);
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  const menuButton = a.getByRole('button', { name: 'Key Database' });
  await expect(menuButton).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Change Password…' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Validity Timeline' })).toBeFocused();
  await menu.getByRole('menuitem', { name: 'Doctor' }).click();
  await expect(a.getByRole('tab', { name: 'Doctor' })).toHaveAttribute('aria-selected', 'true');
  await expect(b.getByRole('tab', { name: 'Doctor' })).toHaveCount(0);
  await paneTab(a, 'Personal Certificates').click();
  await expect(a.getByRole('tab', { name: 'Doctor' })).toHaveCount(0);

  await exchange.getByRole('button', { name: 'Exchange Signers…' }).click();
  let d = dialog(page, 'Exchange Signers');
  await d.getByRole('button', { name: 'OK' }).click();
  await expect(d).toHaveCount(0);
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  d = dialog(page, 'Test Connection');
  await d.getByLabel('CipherSpec').selectOption('ECDHE_RSA_AES_256_GCM_SHA384');
  await d.getByRole('button', { name: 'Test' }).click();
  await expect(d).toHaveCount(0);
  const checklist = exchange.getByRole('list', { name: 'Exchange checklist' });
  const result = exchange.getByRole('status', { name: 'Connection test' });
  await expect(result).toContainText('Connection test passed — TLSv1.2, ECDHE_RSA_AES_256_GCM_SHA384');
  // Two queue managers: both are told to refresh security, in the short form and in full.
  const enableB = checklist.getByRole('listitem').filter({ hasText: 'Enable B: REFRESH SECURITY TYPE(SSL)' });
  await expect(enableB).toBeVisible();
  await exchange.getByRole('button', { name: 'Details' }).click();
  await expect(enableB).toContainText(`Queue manager (${qm2}): REFRESH SECURITY TYPE(SSL)`);
  await exchange.getByRole('button', { name: 'Details' }).click();
  for (const side of [a, b]) await paneTab(side, 'Signer Certificates').click();
  await expect(paneTab(a, 'Signer Certificates')).toContainText(String(partners + 1));

  for (const [width, height, least, columns] of [
    [1366, 768, 6, ['Label', 'Expires', 'Issuer CN']],
    [1024, 700, 3, ['Label', 'Expires']],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const side of [a, b]) {
      // The table shows the columns the panel has room for, and only those (laid out by the table, not hidden by CSS).
      await expect(paneGrid(side, 'Signer Certificates').getByRole('columnheader')).toHaveText(columns.map((c) => new RegExp(`^${c}`)));
      // The toolbar is one row: every control of it overlaps every other vertically.
      const toolbarRows = await side.locator('.pane-toolbar').evaluate((bar) => {
        const boxes = [...bar.querySelectorAll('input, button')].map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
        return Math.max(...boxes.map((r) => r.top)) < Math.min(...boxes.map((r) => r.bottom)) ? 1 : 2;
      });
      expect(toolbarRows, `toolbar rows at ${width}x${height}`).toBe(1);
      expect(await rowsInView(side, 'Signer Certificates'), `rows in view at ${width}x${height}`).toBeGreaterThanOrEqual(least);
      expect(await cutLabels(side, 'Signer Certificates'), `labels cut at ${width}x${height}`).toEqual([]);
      // One row of pane tabs.
      const tops = await side.getByRole('tab').evaluateAll((tabs) => new Set(tabs.map((t) => Math.round(t.getBoundingClientRect().top))).size);
      expect(tops).toBe(1);
    }
    await expect(checklist).toBeInViewport({ ratio: 1 });
    await expect(result).toBeInViewport({ ratio: 1 });
  }
  // What the toolbar has no room for is in its More menu, each item as its button would be.
  await page.setViewportSize({ width: 1024, height: 700 });
  await a.getByRole('button', { name: 'More Signer Certificates actions' }).click();
  const more = page.getByRole('menu', { name: 'More Signer Certificates actions' });
  await expect(more.getByRole('menuitem')).toHaveText(['Populate…', 'Extract…', 'Rename…', 'Delete…', 'Columns…']);
  await expect(more.getByRole('menuitem', { name: 'Extract…' })).toHaveAttribute('aria-disabled', 'true');
  await expect(more).toBeInViewport({ ratio: 1 });
  await screenshot(page, 'projector-more-menu-1024x700');
  await more.getByRole('menuitem', { name: 'Columns…' }).click();
  const columnsDialog = dialog(page, 'Columns: Signer Certificates');
  // Left out at this width, so off in the chooser rather than ticked and missing.
  await expect(columnsDialog.getByRole('checkbox', { name: 'Subject CN' })).toBeDisabled();
  await expect(columnsDialog.getByRole('checkbox', { name: 'Expires' })).toBeEnabled();
  await columnsDialog.getByRole('button', { name: 'Close' }).click();
  await expect(columnsDialog).toHaveCount(0);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, height] of [
      [1024, 700],
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      if (width === 1920) {
        for (const side of [a, b]) {
          expect(await cutLabels(side, 'Signer Certificates')).toEqual([]);
          await expect(paneGrid(side, 'Signer Certificates').getByRole('columnheader')).toHaveText([/^Label/, /^Expires/, /^Subject CN/, /^Issuer CN/, /^Key/]);
        }
      }
      await screenshot(page, `projector-exchange-${width}x${height}-${scheme}`);
    }
  }
  expect(cliEntries(qm1, { stashed: true }).map((e) => e.label)).toContain('QM2');
});

test('a queue manager and a client: CipherSpecs that fit both keys first, the message says what was added where, CN labels made unique, steps and verdict follow the stores', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = tempDir();
  const qm1 = makeStore(dir, 'qm1/ssl', 'QM1', 'ibmwebspheremqqm1', RSA);
  // The client's store already uses the label "QM1" (for another certificate).
  const app1 = makeStore(dir, 'app1/ssl', 'app1', 'ibmwebspheremqapp1', EC, 'QM1');
  await page.setViewportSize({ width: 1366, height: 768 });
  await openClass(page, qm1, app1);
  const a = panel(page, /qm1/);
  const b = panel(page, /app1/);
  const exchange = page.getByRole('region', { name: 'Exchange mode' });
  await expect(exchange.getByRole('heading')).toContainText('A: key.kdb — qm1/ssl (queue manager) ⇄ B: key.kdb — app1/ssl (client)');
  await expect(b.getByRole('combobox', { name: 'Role of B' })).toHaveValue('client');
  const result = exchange.getByRole('status', { name: 'Connection test' });
  const checklist = exchange.getByRole('list', { name: 'Exchange checklist' });
  const step = (text: string) => checklist.getByRole('listitem').filter({ hasText: text });

  // An RSA queue manager and an EC client: only TLS 1.3 and the ANY_* aliases fit both.
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  let d = dialog(page, 'Test Connection');
  const groups = d.getByLabel('CipherSpec').locator('optgroup');
  await expect(groups.first()).toHaveAttribute('label', 'Fit both certificates (RSA and EC keys)');
  const fitting = await groups.first().locator('option').allTextContents();
  expect(fitting[0]).toBe('ANY_TLS12_OR_HIGHER');
  expect(fitting).toContain('TLS_AES_256_GCM_SHA384');
  expect(fitting.filter((n) => n.startsWith('ECDHE_') || n.startsWith('TLS_RSA_'))).toEqual([]);
  await expect(groups.nth(1).locator('option', { hasText: 'ECDHE_ECDSA_AES_256_GCM_SHA384' })).toHaveCount(1);
  await expect(groups.nth(1).locator('option', { hasText: 'ECDHE_RSA_AES_256_GCM_SHA384' })).toHaveCount(1);
  await d.getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText('Connection test failed');

  // The exchange: each side's certificate under its CN, "QM1" taken in B so "QM1 (2)".
  await exchange.getByRole('button', { name: 'Exchange Signers…' }).click();
  await okAndWait(page, dialog(page, 'Exchange Signers'), 'Added “QM1 (2)” to key.kdb — app1/ssl’s Signer Certificates, and “app1” to key.kdb — qm1/ssl’s Signer Certificates; saved.');
  expect(cliEntries(app1, { stashed: true }).find((e) => e.label === 'QM1 (2)')?.subject).toBe('CN=QM1,O=KeyDesk Class');
  expect(cliEntries(qm1, { stashed: true }).find((e) => e.label === 'app1')?.subject).toBe('CN=app1,O=KeyDesk Class');
  await expect(step('Add “QM1 (2)” to B')).toBeVisible();
  await expect(step('Add “app1” to A')).toBeVisible();
  await expect(step('Enable A: REFRESH SECURITY TYPE(SSL)')).toBeVisible();
  await expect(step('Enable B: restart the application')).toBeVisible();
  // The failed test ran before the exchange: it is gone, not shown beside the new steps.
  await expect(result).toHaveCount(0);
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  await dialog(page, 'Test Connection').getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText(/Connection test passed — TLSv1\.3, TLS_/);

  // Again: nothing to add, and the message says so.
  await exchange.getByRole('button', { name: 'Exchange Signers…' }).click();
  await okAndWait(page, dialog(page, 'Exchange Signers'), 'Nothing needed adding: key.kdb — qm1/ssl and key.kdb — app1/ssl already trust each other’s certificates. Nothing was written.');
  await expect(step('Add “app1” to A')).toContainText('Already there');
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  await dialog(page, 'Test Connection').getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText('Connection test passed');

  // The queue manager's store loses the client's signer: the step and the verdict say so at once.
  await selectRow(a, 'Signer Certificates', 'app1');
  await runAction(page, a, 'Delete');
  await okAndWait(page, dialog(page, 'Delete'), /Deleted/);
  await expect(step('Add “app1” to A')).toContainText('Missing now');
  await expect(step('Add “app1” to A')).not.toContainText('Already there');
  await expect(result).toContainText('Out of date: Connection test passed');
  await expect(result).toContainText('run Test Connection… again');
  await screenshot(page, 'projector-exchange-stale-1366x768');
  await exchange.getByRole('button', { name: 'Test Connection…' }).click();
  d = dialog(page, 'Test Connection');
  await d.getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText('Connection test failed');
  await expect(result).not.toContainText('Out of date');
  await expect(step('Add “app1” to A')).toContainText('Missing now');
  await screenshot(page, 'projector-exchange-missing-1366x768');
  // Details: each step in full, with the command that does it alone.
  await exchange.getByRole('button', { name: 'Details' }).click();
  await expect(step('Add “app1” to A')).toContainText('“app1” is no longer among key.kdb — qm1/ssl’s Signer Certificates: run Exchange Signers… again.');
  await expect(step('Extract “ibmwebspheremqqm1” from A')).toContainText('keydesk -cert -extract');
  await screenshot(page, 'projector-exchange-details-1366x768');
});

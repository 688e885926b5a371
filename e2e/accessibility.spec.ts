/**
 * axe-core on every screen a user meets in browser mode, light and dark (colour contrast
 * counts): the welcome page, a store with each of its three panes, two stores side by
 * side, and every dialog the panes and the store header open. Zero violations, every rule
 * axe runs by default (best practices included), so a regression names itself.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveOpenssl, makePkcs12WithChain } from './store-fixtures';
import { openStore, paneTab, screenshot, startPage } from './ui-helpers';
import { action, dialog, fillKeyFields, okAndWait, selectRow } from './action-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the store these checks open');

/** Every violation as one line: rule, impact, and where. */
function describeViolations(results: Awaited<ReturnType<AxeBuilder['analyze']>>): string[] {
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('').trim()}`));
}

/** axe in light and in dark; the page is left light. */
async function expectNoViolations(page: Page, where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(describeViolations(results), `${where}, ${colorScheme}`).toEqual([]);
    // A check that saw nothing proves nothing: axe must have looked at the page.
    expect(results.passes.length, `${where}, ${colorScheme}`).toBeGreaterThan(10);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const store = haveOpenssl ? makePkcs12WithChain() : undefined;

test('the welcome page has no axe violations', async ({ page }) => {
  await startPage(page);
  await expectNoViolations(page, 'welcome page');
});

test('a store, each of its panes, and side by side have no axe violations', async ({ page }) => {
  // Seven axe runs over whole pages: over a minute on a loaded two-core machine.
  test.setTimeout(150_000);
  const s = store!;
  await startPage(page);
  await openStore(page, s.path, { password: s.password });
  for (const pane of ['Personal Certificates', 'Signer Certificates', 'Personal Certificate Requests'] as const) {
    await paneTab(page, pane).click();
    await expect(paneTab(page, pane)).toHaveAttribute('aria-selected', 'true');
    await expectNoViolations(page, pane);
  }
  // An entry selected: the row's selected colours are checked too.
  await selectRow(page, 'Signer Certificates', s.signerLabel);
  await expectNoViolations(page, 'a selected signer');

  const second = join(s.dir, 'client.p12');
  copyFileSync(s.path, second);
  await openStore(page, second, { password: s.password });
  await expect(page.getByRole('tablist', { name: 'Open key databases' }).getByRole('tab')).toHaveCount(2);
  await expectNoViolations(page, 'two stores open as tabs');
  await page.getByRole('tab', { name: /client\.p12/ }).focus();
  await screenshot(page, 'store-tabs-two-open');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'store-tabs-two-open-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // A result in the message bar (a certificate made in the copy), then side by side.
  await action(page, 'New Self-Signed…').click();
  await fillKeyFields(dialog(page, 'New Self-Signed Certificate'), { label: 'axe-check', cn: 'axe check', keyType: 'EC' });
  await okAndWait(page, dialog(page, 'New Self-Signed Certificate'), /Created the self-signed certificate/);
  await expectNoViolations(page, 'a message in the message bar');
  await page.getByRole('button', { name: 'Side by Side' }).click();
  await expect(page.getByRole('tabpanel', { name: /client\.p12/ })).toBeVisible();
  await expect(page.getByRole('tabpanel', { name: /qm\.p12/ })).toBeVisible();
  await expectNoViolations(page, 'side by side');
});

test('every dialog has no axe violations', async ({ page }) => {
  test.setTimeout(180_000);
  const s = store!;
  await startPage(page);

  await page.getByRole('button', { name: 'Open…' }).first().click();
  // The folder as a user sees it, listed (not the moment it is loading): the home folder,
  // empty of key stores on a fresh machine, then a folder with one.
  const browser = dialog(page, 'Open key database');
  await expect(browser.getByText(/^Contents of|No folders/).or(browser.getByRole('option').first())).toBeVisible();
  await expectNoViolations(page, 'Open key database (file browser), home folder');
  await browser.getByLabel('Path').fill(s.dir);
  await browser.getByLabel('Path').press('Enter');
  await expect(browser.getByRole('option', { name: /qm\.p12/ })).toBeVisible();
  await expectNoViolations(page, 'Open key database (file browser), a folder with a store');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await openStore(page, s.path, { password: s.password });

  const checks: { name: string; pane?: 'Personal Certificates' | 'Signer Certificates' | 'Personal Certificate Requests'; select?: string; open: () => Promise<void>; title: string | RegExp }[] = [
    { name: 'New Self-Signed', pane: 'Personal Certificates', open: () => action(page, 'New Self-Signed…').click(), title: 'New Self-Signed Certificate' },
    { name: 'New Request', pane: 'Personal Certificates', open: () => action(page, 'New Request…').click(), title: 'New Certificate Request' },
    { name: 'Receive', pane: 'Personal Certificates', open: () => action(page, 'Receive…').click(), title: 'Receive Certificate' },
    { name: 'Import', pane: 'Personal Certificates', open: () => action(page, 'Import…').click(), title: 'Import Personal Certificate' },
    { name: 'Export', pane: 'Personal Certificates', select: s.personalLabel, open: () => action(page, 'Export…').click(), title: `Export: ${s.personalLabel}` },
    { name: 'Rename', pane: 'Personal Certificates', select: s.personalLabel, open: () => action(page, 'Rename…').click(), title: `Rename: ${s.personalLabel}` },
    { name: 'View Details', pane: 'Personal Certificates', select: s.personalLabel, open: () => action(page, 'View Details').click(), title: `Details: ${s.personalLabel}` },
    { name: 'Delete', pane: 'Signer Certificates', select: s.signerLabel, open: () => action(page, 'Delete').click(), title: 'Delete' },
    { name: 'Add', pane: 'Signer Certificates', open: () => action(page, 'Add…').click(), title: 'Add Signer Certificate' },
    { name: 'Change Password', open: () => page.getByRole('group', { name: 'Key database actions' }).getByRole('button', { name: /Change Password/ }).click(), title: 'Change Password' },
  ];
  for (const check of checks) {
    if (check.select) await selectRow(page, check.pane!, check.select);
    else if (check.pane) await paneTab(page, check.pane).click();
    await check.open();
    const d = dialog(page, check.title);
    await expect(d).toBeVisible();
    await expectNoViolations(page, `${check.name} dialog`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
});

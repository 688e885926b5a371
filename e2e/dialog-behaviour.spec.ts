/**
 * How every dialog behaves, whatever it asks: the first field has focus when it opens (so
 * a keyboard user types at once), only its body scrolls (title and buttons stay in view on
 * a 700- or 768-pixel screen), and a long operation can be cancelled with Escape — the
 * window stops waiting, says honestly that the operation may still finish, and shows the
 * store as it really is once it has.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { haveOpenssl, makePkcs12WithChain } from './store-fixtures';
import { openStore, paneTab, rowLabels, screenshot, startPage } from './ui-helpers';
import { action, cliEntry, dialog, fillKeyFields, keydeskCli, selectRow } from './action-helpers';

test.skip(!haveOpenssl, 'openssl is not installed: it makes the store these dialogs work on');

const store = haveOpenssl ? makePkcs12WithChain() : undefined;

type Pane = 'Personal Certificates' | 'Signer Certificates' | 'Personal Certificate Requests';
interface DialogCase {
  name: string;
  title: string | RegExp;
  pane?: Pane;
  select?: string;
  open(page: Page): Promise<void>;
}

function dialogCases(): DialogCase[] {
  const s = store!;
  return [
    { name: 'open', title: 'Open key database', open: (page) => page.getByRole('button', { name: 'Open…' }).first().click() },
    { name: 'new-self-signed', title: 'New Self-Signed Certificate', pane: 'Personal Certificates', open: (page) => action(page, 'New Self-Signed…').click() },
    { name: 'new-request', title: 'New Certificate Request', pane: 'Personal Certificates', open: (page) => action(page, 'New Request…').click() },
    { name: 'receive', title: 'Receive Certificate', pane: 'Personal Certificates', open: (page) => action(page, 'Receive…').click() },
    { name: 'import', title: 'Import Personal Certificate', pane: 'Personal Certificates', open: (page) => action(page, 'Import…').click() },
    { name: 'export', title: `Export: ${s.personalLabel}`, pane: 'Personal Certificates', select: s.personalLabel, open: (page) => action(page, 'Export…').click() },
    { name: 'rename', title: `Rename: ${s.personalLabel}`, pane: 'Personal Certificates', select: s.personalLabel, open: (page) => action(page, 'Rename…').click() },
    { name: 'details', title: `Details: ${s.personalLabel}`, pane: 'Personal Certificates', select: s.personalLabel, open: (page) => action(page, 'View Details').click() },
    { name: 'add', title: 'Add Signer Certificate', pane: 'Signer Certificates', open: (page) => action(page, 'Add…').click() },
    { name: 'delete', title: 'Delete', pane: 'Signer Certificates', select: s.signerLabel, open: (page) => action(page, 'Delete').click() },
    {
      name: 'change-password',
      title: 'Change Password',
      open: (page) => page.getByRole('group', { name: 'Key database actions' }).getByRole('button', { name: /Change Password/ }).click(),
    },
  ];
}

async function openCase(page: Page, c: DialogCase): Promise<Locator> {
  if (c.select) await selectRow(page, c.pane!, c.select);
  else if (c.pane) await paneTab(page, c.pane).click();
  await c.open(page);
  const d = dialog(page, c.title);
  await expect(d).toBeVisible();
  return d;
}

async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/**
 * What scrolls inside the dialog: every element whose content overflows a box that scrolls
 * (the dialog itself included), by class or role. A list widget scrolling its own items
 * (the file browser's folder) is a control, not a second scrollbar of the dialog.
 */
async function scrollers(d: Locator): Promise<string[]> {
  return d.evaluate((dialogElement) =>
    [dialogElement, ...dialogElement.querySelectorAll('*')]
      .filter((e) => {
        const style = getComputedStyle(e);
        const scrolls = ['auto', 'scroll'].includes(style.overflowY) || (e === dialogElement && style.overflowY !== 'hidden' && style.overflowY !== 'clip');
        return scrolls && e.scrollHeight > e.clientHeight + 1 && !['listbox', 'grid'].includes(e.getAttribute('role') ?? '');
      })
      .map((e) => (e === dialogElement ? 'the dialog' : e.className || e.tagName.toLowerCase())),
  );
}

/** The title and the button row are wholly inside the window. */
async function expectHeaderAndButtonsInView(page: Page, d: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  for (const part of [d.locator('.dialog-header'), d.locator('.dialog-footer')]) {
    const box = (await part.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  }
}

/** The focused element shows a focus ring a projector can show: an outline of 2 px or more. */
async function expectVisibleFocus(page: Page, name: string): Promise<void> {
  const ring = await page.evaluate(() => {
    const e = document.activeElement as HTMLElement;
    const style = getComputedStyle(e);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), element: e.outerHTML.slice(0, 120) };
  });
  expect(ring.style, `${name}: ${ring.element}`).not.toBe('none');
  expect(ring.width, `${name}: ${ring.element}`).toBeGreaterThanOrEqual(2);
}

test('every dialog with fields opens with its first field focused; Delete opens on Cancel', async ({ page }) => {
  const s = store!;
  await startPage(page);
  await openStore(page, s.path, { password: s.password });

  for (const c of dialogCases()) {
    const d = await openCase(page, c);
    const focus = await d.evaluate((dialogElement) => {
      const active = document.activeElement as HTMLElement | null;
      const fields = [...dialogElement.querySelectorAll<HTMLElement>('input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), select, textarea')].filter(
        (f) => !(f as HTMLInputElement).disabled && !(f as HTMLInputElement).readOnly && f.getClientRects().length > 0,
      );
      return { inDialog: dialogElement.contains(active), isFirstField: fields.length > 0 && active === fields[0], hasFields: fields.length > 0, text: active?.textContent ?? '' };
    });
    expect(focus.inDialog, c.name).toBe(true);
    if (c.name === 'delete') expect(focus.text, 'Delete opens on Cancel: a reflex Enter deletes nothing').toBe('Cancel');
    // View Details is read, then closed: it opens on Close, not on the SSLPEER test field at its foot.
    else if (c.name === 'details') expect(focus.text, 'View Details opens on Close').toBe('Close');
    else if (focus.hasFields) expect(focus.isFirstField, `${c.name}: the first field has focus`).toBe(true);
    await closeDialog(page);
  }

  // What that means for a keyboard user: New Self-Signed… and type the queue manager's name.
  await paneTab(page, 'Personal Certificates').click();
  await action(page, 'New Self-Signed…').click();
  const d = dialog(page, 'New Self-Signed Certificate');
  await expect(d.getByLabel('Queue manager or user name')).toBeFocused();
  await page.keyboard.type('QM1');
  await expect(d.getByLabel('Key label', { exact: true })).toHaveValue('ibmwebspheremqqm1');
  await closeDialog(page);
});

for (const [width, height] of [
  [1024, 700],
  [1366, 768],
  [1920, 1080],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`at ${width}x${height}, ${colorScheme}: each dialog scrolls in its body only, title and buttons in view, focus visible`, async ({ page }) => {
      test.setTimeout(120_000);
      const s = store!;
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await startPage(page);
      await openStore(page, s.path, { password: s.password });

      for (const c of dialogCases()) {
        const d = await openCase(page, c);
        if (c.name === 'details') await expect(d.locator('.dialog-body')).not.toContainText('Reading the certificate');
        const scrolling = await scrollers(d);
        expect(scrolling.length, `${c.name}: ${scrolling.join(', ')}`).toBeLessThanOrEqual(1);
        if (scrolling.length === 1) expect(scrolling[0], c.name).toContain('dialog-body');
        await expectHeaderAndButtonsInView(page, d);
        await expectVisibleFocus(page, c.name);
        await screenshot(page, `dialog-${c.name}-${width}x${height}-${colorScheme}`);
        await closeDialog(page);
      }

      // The tallest form: on a short screen its body is the one thing that scrolls, and
      // scrolling it to the end keeps the title and OK where they were.
      await paneTab(page, 'Personal Certificates').click();
      await action(page, 'New Self-Signed…').click();
      const d = dialog(page, 'New Self-Signed Certificate');
      if (height <= 768) {
        expect(await scrollers(d)).toEqual([expect.stringContaining('dialog-body')]);
        await d.locator('.dialog-body').evaluate((body) => body.scrollTo(0, body.scrollHeight));
        await expectHeaderAndButtonsInView(page, d);
        await expect(d.getByRole('button', { name: 'OK' })).toBeInViewport();
        await screenshot(page, `dialog-new-self-signed-scrolled-${width}x${height}-${colorScheme}`);
      }
      await closeDialog(page);
    });
  }
}

test('Escape while a 4096-bit key is generated: the window stops waiting, says so honestly, and shows the certificate once the server has made it', async ({ page }) => {
  const s = store!;
  await startPage(page);
  await openStore(page, s.path, { password: s.password });

  // The request is held at the browser's edge until the test lets it go, so "still
  // running when Escape is pressed" does not depend on how fast this machine makes keys.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reachedEdge!: () => void;
  const atEdge = new Promise<void>((r) => (reachedEdge = r));
  await page.route('**/api/createSelfSigned', async (route) => {
    reachedEdge();
    await released;
    await route.continue();
  });

  await action(page, 'New Self-Signed…').click();
  const d = dialog(page, 'New Self-Signed Certificate');
  await fillKeyFields(d, { label: 'cancelled but made', cn: 'QM2', o: 'Bank', keySize: '4096' });
  await d.getByRole('button', { name: 'OK' }).click();
  await atEdge;
  await expect(d.getByRole('progressbar', { name: /Generating a 4096-bit RSA key/ })).toBeVisible();
  await expect(d.getByRole('status')).toContainText('Escape cancels');
  await screenshot(page, 'dialog-new-self-signed-cancellable');

  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const message = page.locator('.message');
  await expect(message).toContainText('Cancelled: KeyDesk stopped waiting for generating a 4096-bit RSA key');
  await expect(message).toContainText('cannot stop it once started');
  expect(await rowLabels(page, 'Personal Certificates')).not.toContain('cancelled but made');
  await screenshot(page, 'after-cancel-waiting');

  // The server goes on and finishes: the window shows what the file now holds.
  release();
  await expect(message).toContainText('The cancelled operation (generating a 4096-bit RSA key) finished after all.', { timeout: 30_000 });
  await expect(message).toContainText('Created the self-signed certificate “cancelled but made”');
  await expect.poll(() => rowLabels(page, 'Personal Certificates')).toContain('cancelled but made');
  expect(cliEntry(s.path, { pw: s.password }, 'cancelled but made')).toMatchObject({ kind: 'personal', hasPrivateKey: true, keySize: 4096 });
  await screenshot(page, 'after-cancelled-operation-finished');
});

test('Cancel while an operation runs, then the server refuses it: the window says nothing was changed, and the file is as it was', async ({ page }) => {
  const s = store!;
  await startPage(page);
  await openStore(page, s.path, { password: s.password });
  const before = cliEntry(s.path, { pw: s.password }, s.signerLabel);
  expect(before).toBeDefined();

  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reachedEdge!: () => void;
  const atEdge = new Promise<void>((r) => (reachedEdge = r));
  await page.route('**/api/renameEntry', async (route) => {
    reachedEdge();
    await released;
    await route.continue();
  });

  await selectRow(page, 'Signer Certificates', s.signerLabel);
  await action(page, 'Rename…').click();
  const d = dialog(page, `Rename: ${s.signerLabel}`);
  await d.getByLabel('New label').fill('renamed here');
  await d.getByRole('button', { name: 'OK' }).click();
  await atEdge;
  // The mouse way: Cancel stays enabled while the operation runs.
  await d.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('.message')).toContainText('Cancelled: KeyDesk stopped waiting');

  // Meanwhile a script changes the file, so the server refuses to save over it.
  keydeskCli(['-cert', '-rename', '-db', s.path, '-pw', s.password, '-label', s.expiredLabel, '-new_label', 'changed elsewhere']);
  release();
  await expect(page.locator('.message')).toContainText('failed, and nothing was changed', { timeout: 30_000 });
  await screenshot(page, 'after-cancelled-operation-failed');
  expect(cliEntry(s.path, { pw: s.password }, s.signerLabel)).toEqual(before);
  expect(cliEntry(s.path, { pw: s.password }, 'renamed here')).toBeUndefined();
  expect(cliEntry(s.path, { pw: s.password }, 'changed elsewhere')).toBeDefined();
});

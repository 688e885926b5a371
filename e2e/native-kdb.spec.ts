/**
 * A key database made by IBM's own GSKit (gsk-v6-mixed.kdb and its stash, copied to a
 * temporary folder as key.kdb/key.sth): the stash is offered and opens it, the panes list
 * GSKit's labels, details show the fingerprint openssl computes, nothing of the keys
 * crosses the API, and the file on disk is not touched by reading it.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyNativeKdb, gskitFixtures, haveOpenssl, opensslSha256, type NativeKdb } from './store-fixtures';
import {
  chooseStoreInFileBrowser,
  expectNoKeyMaterial,
  openStore,
  paneGrid,
  paneTab,
  recordApiResponses,
  rowLabels,
  screenshot,
  startPage,
} from './ui-helpers';

const copied = copyNativeKdb();
test.skip(copied === undefined, `IBM GSKit fixtures are absent (${gskitFixtures}): these tests read gsk-v6-mixed.kdb and its .sth from there`);
test.skip(!haveOpenssl, 'openssl is not installed: it checks the fingerprints');

const kdb = copied as NativeKdb;
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The certificate's fingerprint as openssl computes it, from a copy the CLI extracts. */
function opensslFingerprintOf(label: string): string {
  const target = join(kdb.dir, `${label}.der`);
  execFileSync(process.execPath, [
    resolve(__dirname, '../bin/keydesk'),
    '-cert',
    '-extract',
    '-label',
    label,
    '-target',
    target,
    '-format',
    'binary',
    '-db',
    kdb.path,
    '-stashed',
  ]);
  return opensslSha256(target, kdb.dir, 'DER');
}

test('opens with the stash offered, lists GSKit’s labels, shows openssl’s fingerprint, leaks no key', async ({ page }) => {
  const before = digest(kdb.path);
  const traffic = recordApiResponses(page);
  await startPage(page);
  await chooseStoreInFileBrowser(page, kdb.path);
  const dialog = page.getByRole('dialog', { name: 'Open key database' });
  await expect(dialog.getByLabel('Use the stash file key.sth')).toBeChecked();
  await expect(dialog.getByLabel('Password')).toBeDisabled();
  await expect(dialog.getByText('The password is read from key.sth, beside key.kdb.')).toBeVisible();
  await screenshot(page, 'kdb-password-with-stash');
  await dialog.getByRole('button', { name: 'OK' }).click();

  await expect(page.getByText('Opened with its stash file')).toBeVisible();
  await expect(page.getByText('CMS version 6')).toBeVisible();
  await expect(page).toHaveTitle(`key.kdb (CMS) — ${kdb.dir} — KeyDesk`);
  await expect(paneTab(page, 'Personal Certificates')).toHaveAccessibleDescription('2 entries');
  await expect(paneTab(page, 'Signer Certificates')).toHaveAccessibleDescription('2 entries');
  expect(await rowLabels(page, 'Personal Certificates')).toEqual(['ec-keypair', 'rsa-keypair']);
  const personal = paneGrid(page, 'Personal Certificates');
  await expect(personal.getByRole('row', { name: /rsa-keypair/ })).toContainText('RSA 2048');
  await expect(personal.getByRole('row', { name: /ec-keypair/ })).toContainText('EC P-256');
  await screenshot(page, 'kdb-personal-certificates');

  await paneTab(page, 'Signer Certificates').click();
  expect(await rowLabels(page, 'Signer Certificates')).toEqual(['trusted-intermediate-ca', 'trusted-root-ca']);
  await screenshot(page, 'kdb-signer-certificates');

  for (const label of ['trusted-intermediate-ca', 'trusted-root-ca']) {
    await paneGrid(page, 'Signer Certificates')
      .getByRole('row', { name: new RegExp(label) })
      .dblclick();
    const details = page.getByRole('dialog', { name: `Details: ${label}` });
    await expect(details).toContainText(opensslFingerprintOf(label));
    if (label === 'trusted-intermediate-ca') await screenshot(page, 'kdb-details-intermediate');
    await details.getByRole('button', { name: 'Close' }).click();
  }

  await paneTab(page, 'Personal Certificates').click();
  for (const label of ['rsa-keypair', 'ec-keypair']) {
    await paneGrid(page, 'Personal Certificates')
      .getByRole('row', { name: new RegExp(label) })
      .click();
    await page.getByRole('button', { name: 'View Details' }).click();
    const details = page.getByRole('dialog', { name: `Details: ${label}` });
    await expect(details).toContainText(opensslFingerprintOf(label));
    await expect(details).toContainText('Yes, kept in this key store (never shown)');
    await page.keyboard.press('Escape');
  }

  await traffic.settled();
  expectNoKeyMaterial(traffic);
  expect(digest(kdb.path), 'reading must not write the key database').toBe(before);
});

test('opens with the password typed instead of the stash', async ({ page }) => {
  await startPage(page);
  await openStore(page, kdb.path, { password: kdb.password });
  await expect(page.getByText('Opened with its password')).toBeVisible();
  expect(await rowLabels(page, 'Personal Certificates')).toEqual(['ec-keypair', 'rsa-keypair']);
});

test('a GSKit store and a PKCS#12 side by side, each in its own tab', async ({ page }) => {
  const empty = copyNativeKdb('gsk-v6-empty');
  test.skip(!empty, 'gsk-v6-empty.kdb is absent');
  await startPage(page);
  await openStore(page, kdb.path, { stash: true });
  await openStore(page, empty!.path, { stash: true });
  await expect(page.getByRole('tablist', { name: 'Open key databases' }).getByRole('tab')).toHaveCount(2);
  await expect(page.getByText('No personal certificates in this key database.')).toBeVisible();
  await screenshot(page, 'kdb-empty-store');
});

test('View Details switches a GSKit signer’s trust off and on; the file ends as GSKit wrote it', async ({ page }) => {
  const own = copyNativeKdb();
  test.skip(!own, 'gsk-v6-mixed.kdb is absent');
  const original = digest(own!.path);
  await startPage(page);
  await openStore(page, own!.path, { stash: true });
  await paneTab(page, 'Signer Certificates').click();
  const row = () => paneGrid(page, 'Signer Certificates').getByRole('row', { name: /trusted-root-ca/ });
  await row().dblclick();
  const details = page.getByRole('dialog', { name: 'Details: trusted-root-ca' });
  const trust = details.getByRole('checkbox', { name: /Trusted root/ });
  await expect(trust).toBeChecked();
  // Controlled by the store: the box changes once the save is done, after the question
  // that names what would stop validating (issue 15).
  await trust.click();
  await page.getByRole('dialog', { name: 'Stop trusting “trusted-root-ca”?' }).getByRole('button', { name: 'Stop trusting' }).click();
  await expect(trust).not.toBeChecked();
  await expect(details.getByText('Kept but not trusted')).toBeVisible();
  await screenshot(page, 'kdb-details-trust-off');
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(row()).toContainText('Not trusted (kept)');

  // What runmqakm-style scripts see: no "!" for it any more.
  const listing = execFileSync(process.execPath, [resolve(__dirname, '../bin/keydesk'), '-cert', '-list', '-db', own!.path, '-stashed'], { encoding: 'utf8' });
  expect(listing.split('\n')).toContain(' \ttrusted-root-ca');
  expect(digest(own!.path)).not.toBe(original);

  await row().dblclick();
  await expect(details.getByRole('checkbox', { name: /Trusted root/ })).not.toBeChecked();
  await details.getByRole('checkbox', { name: /Trusted root/ }).click();
  await expect(details.getByRole('checkbox', { name: /Trusted root/ })).toBeChecked();
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(row()).not.toContainText('Not trusted');
  expect(digest(own!.path), 'trusted again: GSKit’s own bytes').toBe(original);
});

/**
 * `-version`: runmqakm's banner in GSKit's shape (cli/RUNMQAKM.md §3.5, G5: MQ 9.0's
 * `runmqakm -version`), with KeyDesk's own facts in it. A script that prints the banner or
 * greps a `@(#)Name:` line keeps working; none is told it runs GSKit. The fields that only
 * describe IBM's build (LegalTrademarks, ProductInfo, CMVCInfo) are left out.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KeyDeskApi } from '../../core/api/contract';
import type { ParsedCommand } from '../arguments';

export const versionSpec = { values: [], switches: [] } as const;

/** package.json, two folders up both from this file and from the bundle in .cache/cli/. */
function packageFacts(): { name: string; version: string; license: string } {
  try {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as Record<string, unknown>;
    const text = (key: string, fallback: string) => (typeof pkg[key] === 'string' ? (pkg[key] as string) : fallback);
    return { name: text('productName', 'KeyDesk'), version: text('version', 'unknown'), license: text('license', 'see the LICENSE file') };
  } catch {
    return { name: 'KeyDesk', version: 'unknown', license: 'see the LICENSE file' };
  }
}

export async function version(_api: KeyDeskApi, _parsed: ParsedCommand, out: (line: string) => void): Promise<void> {
  const { name, version: v, license } = packageFacts();
  // G5 pads each `@(#)Name:` to one column; the same here.
  const field = (key: string, value: string) => out(`@(#)${`${key}:`.padEnd(18)}${value}`);
  out(name.toUpperCase());
  out('='.repeat(name.length));
  field('CompanyName', `${name} contributors (not IBM)`);
  field('FileDescription', `${name}: key stores with runmqakm's command line`);
  field('FileVersion', v);
  field('InternalName', 'keydesk');
  field('LegalCopyright', `${license} licence`);
  field('OriginalFilename', 'keydesk');
  field('ProductName', name);
  field('ProductVersion', v);
}

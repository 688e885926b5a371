/**
 * Every class the window's components give an element has a rule in styles.css, but for
 * the few that are only hooks (for tests, or named for a reader). A merge once dropped the
 * Doctor's, the Validity Timeline's and Compare's rules, and those panels showed as bare
 * text for weeks: no test looked at a stylesheet, and every behaviour still passed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const rendererDir = __dirname;

/** Classes with no rule of their own, on purpose. */
const hooksOnly = new Set([
  'store-tab-name',
  'pane-tab-title',
  'store-header-side',
  'exchange-name',
  'step-short',
  'missing',
  'scan-days',
  'compare-view',
  'trust-preview-item',
  'mono-select',
  'sslpeer-value',
]);

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? componentFiles(join(dir, d.name)) : d.name.endsWith('.tsx') ? [join(dir, d.name)] : [],
  );
}

function classesWithRules(): Set<string> {
  const css = readFileSync(join(rendererDir, 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return new Set([...css.matchAll(/\.([a-zA-Z][\w-]*)/g)].map((m) => m[1]!));
}

describe('styles.css', () => {
  it('has its braces balanced (one unclosed rule swallows every rule after it)', () => {
    const css = readFileSync(join(rendererDir, 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    let depth = 0;
    for (const ch of css) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('styles every class a component names literally, the Doctor, the Timeline and Compare among them', () => {
    const styled = classesWithRules();
    const unstyled: string[] = [];
    for (const file of componentFiles(rendererDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/className="([^"]+)"/g)) {
        for (const name of m[1]!.split(/\s+/)) {
          if (name && !styled.has(name) && !hooksOnly.has(name)) unstyled.push(`${name} (${file.slice(rendererDir.length + 1)})`);
        }
      }
    }
    expect(['doctor', 'timeline-row', 'compare-row', 'finding'].filter((c) => !styled.has(c))).toEqual([]);
    expect(unstyled).toEqual([]);
  });
});

#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security linter) over the main process and
// preload: prints every finding, and fails on any of HIGH severity or on a file it could
// not parse (an unparsed file is an unchecked file).
//
//   node scripts/electronegativity.mjs [folder]      (default: electron/)
//
// AvailableSecurityFixesGlobalCheck is left out: it downloads Electron's release list on
// every run, and it reads package.json, which is not in the folder scanned. Keeping
// Electron itself current is Dependabot's job, not this gate's.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const { version: electronVersion } = require('electron/package.json');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = path.resolve(process.argv[2] ?? path.join(root, 'electron'));

// Electronegativity chats on stdout while it loads (translations, version detection).
const log = console.log;
console.log = () => {};
let result;
try {
  result = await run({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  });
} finally {
  console.log = log;
}

const findings = result.issues.map((issue) => ({
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  id: issue.id,
  where: `${issue.file}:${issue.location?.line ?? 0}`,
  description: issue.description,
}));
const high = findings.filter((f) => f.severity === 'HIGH');
const unparsed = result.errors.filter((e) => !e.tolerable);

console.log(
  `Electronegativity ${path.relative(root, input) || '.'}: ${result.globalChecks} global and ${result.atomicChecks} atomic checks, Electron ${electronVersion}`,
);
for (const f of findings) console.log(`  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.where}\n      ${f.description}`);
for (const e of unparsed) console.log(`  NOT PARSED    ${e.file}: ${e.message}`);
if (high.length > 0 || unparsed.length > 0) {
  console.log(`FAILED: ${high.length} finding(s) of HIGH severity, ${unparsed.length} file(s) not parsed.`);
  process.exit(1);
}
console.log(`OK: no finding of HIGH severity (${findings.length} lower finding(s) listed above for review).`);

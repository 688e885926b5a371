// Bundles the CLI into one file (run by `npm ci` through `prepare`), so a keydesk call
// starts in a fraction of the time tsx needs to compile ~100 modules on the fly.
// bin/keydesk falls back to tsx whenever a source file is newer than the bundle.
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { metafile } = await build({
  entryPoints: [join(root, 'cli/main.ts')],
  // Two folders below the root, like cli/commands/, so paths relative to __dirname hold.
  outfile: join(root, '.cache/cli/keydesk.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // A linked map (not inline): stack traces under KEYDESK_DEBUG=1 name .ts lines, and
  // the 3 MB of map are not parsed on every start.
  sourcemap: 'linked',
  logLevel: 'warning',
  // A native addon (PKCS#11 tokens), loaded from node_modules when a token is opened.
  external: ['pkcs11js'],
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
});

// The sources in the bundle, for bin/keydesk's is-the-bundle-fresh check: stating these
// ~150 files costs a tenth of walking core/, cli/ and server/ for every .ts in them.
const sources = Object.keys(metafile.inputs).filter((path) => /^(core|cli|server)\//.test(path));
writeFileSync(join(root, '.cache/cli/keydesk.sources.json'), JSON.stringify(sources));

// Code caches of the previous bundle (bin/keydesk writes them) are for other bytes.
for (const name of readdirSync(join(root, '.cache/cli'))) {
  if (name.endsWith('.v8cache')) rmSync(join(root, '.cache/cli', name), { force: true });
}

/**
 * How e2e tests launch the desktop app unpackaged. A packaged build cannot be driven: its
 * fuses turn off the --inspect and remote-debugging switches Playwright needs (as they
 * should for an app that holds private keys). So tests build what `electron-forge start`
 * builds — main and preload bundled, the renderer from `npm run build:renderer` — and start
 * Electron's own binary on it:
 *
 *   npm run build:renderer
 *   npx tsx -e "require('./e2e/electron-app').buildUnpackagedApp()"   # .vite/build/{main,preload}.js
 *   npx electron .vite/build/main.js [store.kdb …]                      # the same by hand
 *
 * electronBinary() is undefined where Electron's binary was never downloaded
 * (ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on this project's CI mirror); tests skip, saying so.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';

const root = resolve(__dirname, '..');
export const unpackagedBuildDir = join(root, '.vite/build');
export const unpackagedMain = join(unpackagedBuildDir, 'main.js');

export function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bundles electron/main.ts and electron/preload.ts as Forge's Vite plugin does (CommonJS,
 * Electron left external, the renderer's location compiled in), into .vite/build where
 * main.ts looks for preload.js and ../renderer/main_window/index.html.
 */
export function buildUnpackagedApp(): string {
  if (!existsSync(join(root, '.vite/renderer/main_window/index.html'))) {
    throw new Error('the renderer is not built: run npm run build:renderer first');
  }
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'pkcs11js'],
    logLevel: 'warning',
    define: { MAIN_WINDOW_VITE_DEV_SERVER_URL: 'undefined', MAIN_WINDOW_VITE_NAME: '"main_window"' },
  };
  buildSync({ ...common, entryPoints: [join(root, 'electron/main.ts')], outfile: unpackagedMain });
  buildSync({ ...common, entryPoints: [join(root, 'electron/preload.ts')], outfile: join(unpackagedBuildDir, 'preload.js') });
  return unpackagedMain;
}

// `npm start`: the Electron app where its binary is installed; otherwise the same UI in
// browser mode, saying why (offline installs use ELECTRON_SKIP_BINARY_DOWNLOAD=1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

function electronBinary() {
  try {
    const path = require('electron'); // throws when the binary was never downloaded
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

if (electronBinary()) {
  process.exit(run('npx', ['electron-forge', 'start']));
} else {
  console.log('The Electron binary is not installed (was npm ci run with ELECTRON_SKIP_BINARY_DOWNLOAD=1?).');
  console.log('Serving the same UI in browser mode instead.');
  const built = run('npm', ['run', '--silent', 'build:renderer']);
  if (built !== 0) process.exit(built);
  process.exit(run(process.execPath, ['bin/keydesk', '-ui', '-serve', ...process.argv.slice(2)]));
}

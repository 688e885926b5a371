/**
 * Test helper run as a child process: saves one CMS store over and over, one signer more
 * each time, and says "ready" once loaded, then "saved N" after each save. The kill -9 test stops it at random moments.
 * Usage: node --import tsx save-loop.ts STORE PASSWORD CERTIFICATE
 */
import { readFileSync } from 'node:fs';
import { loadStore } from '../api/store-files';
import { saveStore, withStoreLock } from '../api/store-writer';

const [path, password, certificatePath] = process.argv.slice(2) as [string, string, string];
const certificate = new Uint8Array(readFileSync(certificatePath));

async function saveForever(): Promise<never> {
  for (;;) {
    const count = await withStoreLock(path, () => {
      const loaded = loadStore(path, { password }, { locked: true });
      // A distinct certificate per entry is not needed: labels differ, and CMS keeps both.
      loaded.store.entries.push({ kind: 'signer', label: `signer ${loaded.store.entries.length + 1}`, certificate });
      saveStore(path, loaded.store, password, { expected: loaded.snapshot });
      return loaded.store.entries.length;
    });
    process.stdout.write(`saved ${count}\n`);
  }
}
// The test times its kills from here: start-up (tsx compiling) takes seconds on a busy machine.
process.stdout.write('ready\n');
void saveForever();

/**
 * `keydesk-app key.kdb other.p12`: the stores named on the command line (or by a second
 * launch, or by the file manager's "Open with"), as absolute paths. Chromium and Electron
 * switches (`--foo`) are not files; with an unpackaged app (`electron .`) the app folder is
 * argv[1], not a store.
 */
import path from 'node:path';

export function storePathsFromArgv(argv: readonly string[], options: { workingDirectory: string; defaultApp: boolean }): string[] {
  const userArgs = argv.slice(options.defaultApp ? 2 : 1);
  return userArgs.filter((arg) => arg !== '' && !arg.startsWith('-')).map((arg) => path.resolve(options.workingDirectory, arg));
}

/**
 * Paths that arrive before the window can take them (command line at start, macOS
 * open-file before ready) wait here; once the window has loaded, they are handed over.
 */
export class PendingPaths {
  private waiting: string[] = [];
  private deliver?: (path: string) => void;

  add(paths: readonly string[]): void {
    for (const p of paths) {
      if (this.deliver) this.deliver(p);
      else this.waiting.push(p);
    }
  }

  /** From now on paths go straight to `deliver`; those waiting go first. */
  connect(deliver: (path: string) => void): void {
    this.deliver = deliver;
    const waiting = this.waiting;
    this.waiting = [];
    waiting.forEach((p) => deliver(p));
  }

  disconnect(): void {
    this.deliver = undefined;
  }
}

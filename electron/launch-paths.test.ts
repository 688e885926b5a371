/** Files given on the command line become absolute store paths, delivered once the window is ready. */
import { describe, it, expect, vi } from 'vitest';
import { PendingPaths, storePathsFromArgv } from './launch-paths';

vi.mock('electron', () => ({}));

describe('storePathsFromArgv', () => {
  it('takes the files after the executable of a packaged app', () => {
    expect(storePathsFromArgv(['/opt/KeyDesk/keydesk-app', 'key.kdb', '/tmp/b.p12'], { workingDirectory: '/var/mqm/ssl', defaultApp: false })).toEqual([
      '/var/mqm/ssl/key.kdb',
      '/tmp/b.p12',
    ]);
  });

  it('skips the app folder of an unpackaged app and Chromium switches', () => {
    expect(storePathsFromArgv(['/usr/bin/electron', '.', '--no-sandbox', '--inspect=0', 'key.kdb'], { workingDirectory: '/w', defaultApp: true })).toEqual([
      '/w/key.kdb',
    ]);
  });

  it('finds nothing when nothing is given', () => {
    expect(storePathsFromArgv(['/opt/KeyDesk/keydesk-app'], { workingDirectory: '/', defaultApp: false })).toEqual([]);
  });
});

describe('PendingPaths', () => {
  it('holds paths until the window connects, then delivers at once', () => {
    const pending = new PendingPaths();
    const delivered: string[] = [];
    pending.add(['/a.kdb']);
    pending.connect((p) => delivered.push(p));
    pending.add(['/b.kdb']);
    expect(delivered).toEqual(['/a.kdb', '/b.kdb']);
    pending.disconnect();
    pending.add(['/c.kdb']);
    expect(delivered).toEqual(['/a.kdb', '/b.kdb']);
    pending.connect((p) => delivered.push(p));
    expect(delivered).toEqual(['/a.kdb', '/b.kdb', '/c.kdb']);
  });
});

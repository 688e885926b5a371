/**
 * Short names for open stores that still tell them apart: a queue manager's key.kdb and
 * another's are both "key.kdb", and both sit in a folder named ssl, so as many trailing
 * folders are added as it takes ("key.kdb — qm1/ssl" beside "key.kdb — qm2/ssl").
 */
import { fileNameOf } from './paths';

const folders = (path: string) => path.split(/[\\/]/).filter(Boolean).slice(0, -1);

export function distinctNames(paths: readonly string[]): string[] {
  return paths.map((path, i) => {
    const name = fileNameOf(path);
    const clashes = paths.filter((p, j) => j !== i && fileNameOf(p) === name);
    if (clashes.length === 0) return name;
    const mine = folders(path);
    for (let depth = 1; depth <= mine.length; depth++) {
      const tail = mine.slice(-depth).join('/');
      if (clashes.every((other) => folders(other).slice(-depth).join('/') !== tail)) return `${name} — ${tail}`;
    }
    return `${name} — ${mine.join('/') || '/'}`;
  });
}

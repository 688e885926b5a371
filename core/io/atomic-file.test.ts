/** Output files are replaced whole, keep the mode of the file they replace, and leave no copy. */
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../testing/peer-tools';
import { writeFileAtomic } from './atomic-file';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

describe('writeFileAtomic', () => {
  it('replaces the file, keeps no .bak and leaves no temporary file', () => {
    const file = join(temp.dir, 'qm1.arm');
    writeFileSync(file, 'old contents');
    writeFileAtomic(file, Buffer.from('new contents'));
    expect(readFileSync(file, 'utf8')).toBe('new contents');
    expect(existsSync(`${file}.bak`)).toBe(false);
    expect(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates new files with the mode asked for, and a replaced file keeps its own', () => {
    const file = join(temp.dir, 'request.arm');
    writeFileAtomic(file, Buffer.from('csr'), { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    chmodSync(file, 0o640);
    writeFileAtomic(file, Buffer.from('csr 2'), { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('a failed write says so and leaves nothing behind', () => {
    const file = join(temp.dir, 'no-such-folder', 'qm1.arm');
    expect(() => writeFileAtomic(file, Buffer.from('x'))).toThrow(/could not write .*its folder does not exist; nothing was written/);
  });
});

/** Saves never leave a half-written file, keep a .bak, and never clobber another change. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyDeskError } from '../errors';
import { makeTempDir } from '../testing/peer-tools';
import { digestOf, writeFileAtomic } from './atomic-file';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

describe('writeFileAtomic', () => {
  it('replaces the file, keeps the previous one as .bak, and leaves no temporary file', () => {
    const file = join(temp.dir, 'key.kdb');
    writeFileSync(file, 'old contents');
    writeFileAtomic(file, Buffer.from('new contents'), { expectedDigest: digestOf(Buffer.from('old contents')) });
    expect(readFileSync(file, 'utf8')).toBe('new contents');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('old contents');
    expect(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates new files with mode 0600', () => {
    const file = join(temp.dir, 'key.sth');
    writeFileAtomic(file, Buffer.from('stash'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('refuses to overwrite a file that changed on disk since it was opened, and writes nothing', () => {
    const file = join(temp.dir, 'changed.kdb');
    writeFileSync(file, 'as opened');
    const opened = digestOf(readFileSync(file));
    writeFileSync(file, 'changed by someone else');
    let code = '';
    try {
      writeFileAtomic(file, Buffer.from('ours'), { expectedDigest: opened });
    } catch (e) {
      if (isKeyDeskError(e)) code = e.code;
    }
    expect(code).toBe('conflict');
    expect(readFileSync(file, 'utf8')).toBe('changed by someone else');
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('a failed write leaves the original untouched', () => {
    const file = join(temp.dir, 'no-such-folder', 'key.kdb');
    expect(() => writeFileAtomic(file, Buffer.from('x'))).toThrow(/could not write/);
  });
});

/**
 * Password files the operating system will not let us read. The CLI test does this with
 * chmod 000, which root ignores; here the refusal is made by a stand-in for openSync.
 */
import { describe, it, expect, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorOf } from '../core/testing/keydesk-error';
import { makeTempDir } from '../core/testing/peer-tools';
import { readPasswordFile } from './password';

const refusedBy = new Map<string, string>();

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    openSync: (path: string, ...rest: unknown[]) => {
      const code = refusedBy.get(path);
      if (code) throw Object.assign(new Error(`${code}: refused, open '${path}'`), { code });
      return (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
    },
  };
});

describe('readPasswordFile', () => {
  const temp = makeTempDir();
  const file = join(temp.dir, 'pw.txt');
  writeFileSync(file, 'passw0rd\n');

  it('reads the first line when it may', () => {
    expect(readPasswordFile(file)).toBe('passw0rd');
  });

  it('refuses a file it may not read (EACCES) in one line naming the file and the flag', () => {
    refusedBy.set(file, 'EACCES');
    expect(errorOf(() => readPasswordFile(file, 'target_pw'))).toEqual({
      code: 'io',
      message: `${file}: permission denied reading the password file (given as -target_pw:file ${file}).`,
    });
  });

  it('names any other operating-system refusal by its code', () => {
    refusedBy.set(file, 'EIO');
    expect(errorOf(() => readPasswordFile(file))).toEqual({ code: 'io', message: `${file}: the password file cannot be read (EIO) (given as -pw:file ${file}).` });
    temp.cleanup();
  });
});

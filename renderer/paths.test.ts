import { describe, it, expect } from 'vitest';
import { fileNameOf, folderOf, joinPath, stashFileNameFor, stemOf } from './paths';

describe('paths in the page', () => {
  it('splits POSIX and Windows paths', () => {
    expect(fileNameOf('/var/mqm/qmgrs/QM1/ssl/key.kdb')).toBe('key.kdb');
    expect(fileNameOf('C:\\ProgramData\\IBM\\MQ\\key.kdb')).toBe('key.kdb');
    expect(folderOf('/var/mqm/key.kdb')).toBe('/var/mqm');
    expect(folderOf('/key.kdb')).toBe('/');
    expect(folderOf('C:\\MQ\\key.kdb')).toBe('C:\\MQ');
  });
  it('joins with the separator the folder uses', () => {
    expect(joinPath('/var/mqm', 'key.sth')).toBe('/var/mqm/key.sth');
    expect(joinPath('/', 'key.sth')).toBe('/key.sth');
    expect(joinPath('C:\\MQ', 'key.sth')).toBe('C:\\MQ\\key.sth');
  });
  it('names the stash GSKit looks for', () => {
    expect(stashFileNameFor('/var/mqm/qmgrs/QM1/ssl/key.kdb')).toBe('key.sth');
    expect(stashFileNameFor('/x/client.store.p12')).toBe('client.store.sth');
    expect(stemOf('.hidden')).toBe('.hidden');
  });
});

import { describe, expect, it } from 'vitest';
import { parseDistinguishedName } from '../../core/x509/distinguished-name-parse';
import { getNameAttribute, nameAttributes } from '../../core/x509/distinguished-name';
import { buildDistinguishedName, escapeDnValue } from './distinguished-name';

const blank = { cn: '', ou: '', o: '', l: '', st: '', c: '' };

describe('buildDistinguishedName', () => {
  it('orders the attributes most specific first and leaves out empty fields', () => {
    expect(buildDistinguishedName({ ...blank, cn: 'QM1', o: 'Bank', c: 'gb' })).toBe('CN=QM1,O=Bank,C=GB');
  });

  it('escapes what RFC 4514 asks, so the core parser reads back exactly what was typed', () => {
    const typed = { cn: 'QM1+QM2', ou: 'Ops; "night" <shift>', o: 'Bank, Inc.', l: '#1 = first', st: 'back\\slash', c: 'GB' };
    const dn = buildDistinguishedName(typed);
    const name = parseDistinguishedName(dn);
    // One attribute per RDN: no '+' or ',' inside a value split it.
    expect(nameAttributes(name)).toHaveLength(6);
    expect(getNameAttribute(name, 'CN')).toBe('QM1+QM2');
    expect(getNameAttribute(name, 'OU')).toBe('Ops; "night" <shift>');
    expect(getNameAttribute(name, 'O')).toBe('Bank, Inc.');
    expect(getNameAttribute(name, 'L')).toBe('#1 = first');
    expect(getNameAttribute(name, 'ST')).toBe('back\\slash');
  });

  it('escapes a leading # or space and a trailing space', () => {
    expect(escapeDnValue('#x')).toBe('\\#x');
    expect(escapeDnValue(' x ')).toBe('\\ x\\ ');
    expect(escapeDnValue('plain text')).toBe('plain text');
  });

  it('keeps accented letters as they are (UTF-8 in the certificate)', () => {
    const name = parseDistinguishedName(buildDistinguishedName({ ...blank, cn: 'Zürich QM', o: 'Société Générale' }));
    expect(getNameAttribute(name, 'O')).toBe('Société Générale');
  });
});

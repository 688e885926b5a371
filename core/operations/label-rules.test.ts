/** New labels: control characters refused in one line; labels already stored printed safely. */
import { describe, it, expect } from 'vitest';
import { isKeyDeskError } from '../errors';
import type { KeyStore } from '../model/key-store';
import { checkNewLabel, printableLabel } from './label-rules';

const empty: KeyStore = { format: 'pkcs12', entries: [], properties: {} };

function refusal(label: string): { code: string; message: string } {
  try {
    checkNewLabel(empty, label);
  } catch (e) {
    if (isKeyDeskError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`"${label}" was accepted`);
}

describe('checkNewLabel', () => {
  const cases: [string, string, RegExp][] = [
    ['line feed', 'qm1\nrm -rf', /a line feed \(U\+000A\)/],
    ['carriage return', 'qm1\r', /a carriage return \(U\+000D\)/],
    ['tab', 'qm\t1', /a tab \(U\+0009\)/],
    ['terminal escape', 'qm1\u001B[2J', /an escape character \(U\+001B\)/],
    ['NUL', 'qm\u00001', /control character \(U\+0000\)/],
    ['DEL', 'qm\u007F1', /control character \(U\+007F\)/],
    ['C1 control (CSI)', 'qm\u009B1', /control character \(U\+009B\)/],
    ['line separator', 'qm\u20281', /control character \(U\+2028\)/],
    ['paragraph separator', 'qm\u20291', /control character \(U\+2029\)/],
  ];
  for (const [name, label, why] of cases) {
    it(`refuses a ${name} as a usage error, in one line that says why`, () => {
      const { code, message } = refusal(label);
      expect(code).toBe('usage');
      expect(message).toMatch(why);
      expect(message).toMatch(/listed one per line and read by scripts/);
      expect(message).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u);
    });
  }

  it('still accepts what MQ only warns about: spaces, capitals, non-ASCII letters', () => {
    expect(checkNewLabel(empty, 'Partner CA')).toEqual([expect.stringContaining('contains spaces')]);
    expect(checkNewLabel(empty, 'ibmWebSphereMQQM1')).toEqual([expect.stringContaining('has capitals')]);
    expect(checkNewLabel(empty, 'zertifikat-münchen-é')).toEqual([]);
  });

  it('does not warn about CERTLABL limits for a signer, which MQ never looks up by label', () => {
    expect(checkNewLabel(empty, 'Partner CA', undefined, true)).toEqual([]);
    expect(checkNewLabel(empty, 'x'.repeat(80), undefined, true)).toEqual([]);
    expect(() => checkNewLabel(empty, 'bad\tlabel', undefined, true)).toThrow(/tab/);
  });

  it('lets a label with control characters be renamed to a good one', () => {
    const store: KeyStore = { format: 'pkcs12', entries: [{ kind: 'signer', label: 'bad\tlabel', certificate: new Uint8Array() }], properties: {} };
    expect(checkNewLabel(store, 'good', 'bad\tlabel')).toEqual([]);
  });
});

describe('printableLabel', () => {
  it('keeps ordinary labels as they are', () => {
    expect(printableLabel('ibmwebspheremqqm1')).toBe('ibmwebspheremqqm1');
    expect(printableLabel('Partner CA — Zürich')).toBe('Partner CA — Zürich');
  });

  it('shows every control character as an escape, so one label stays one line', () => {
    expect(printableLabel('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(printableLabel('x\u001B[31my')).toBe('x\\x1B[31my');
    expect(printableLabel('\u0000\u007F\u009B')).toBe('\\x00\\x7F\\x9B');
    expect(printableLabel('p\u2028q\u2029')).toBe('p\\u2028q\\u2029');
  });
});

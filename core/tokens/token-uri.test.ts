import { describe, it, expect } from 'vitest';
import { isTokenPath, parseTokenPath, tokenDisplayName, tokenPath } from './token-uri';
import { pinStateLine, TOKEN_FLAGS } from './pkcs11-module';

describe('a token named where a store path goes (RFC 7512 PKCS#11 URI)', () => {
  it('keeps a label with spaces, semicolons and non-ASCII, and a Windows module path, through the URI', () => {
    for (const address of [
      { module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'QM1' },
      { module: 'C:\\Program Files\\Vendor\\cryptoki.dll', tokenLabel: 'MQ keys; prod=1 ?&' },
      { module: '/opt/hsm/lib?x.so', tokenLabel: 'Schlüssel' },
    ]) {
      const path = tokenPath(address);
      expect(isTokenPath(path)).toBe(true);
      expect(parseTokenPath(path)).toEqual(address);
    }
    expect(tokenPath({ module: '/m.so', tokenLabel: 'a b' })).toBe('pkcs11:token=a%20b?module-path=/m.so');
    expect(isTokenPath('/var/mqm/qmgrs/QM1/ssl/key.kdb')).toBe(false);
  });

  it('reads a URI another tool wrote (object and type attributes, pin in the query) for its token and module', () => {
    expect(parseTokenPath('pkcs11:token=qm1;object=ibmwebspheremqqm1;type=private?pin-value=1234&module-path=/usr/lib/softhsm/libsofthsm2.so')).toEqual({
      module: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'qm1',
    });
    expect(() => parseTokenPath('pkcs11:token=qm1')).toThrow(/-crypto MODULE -tokenlabel LABEL/);
  });

  it('shows a token by its label in tabs and titles', () => {
    expect(tokenDisplayName(tokenPath({ module: '/m.so', tokenLabel: 'QM1 keys' }))).toBe('QM1 keys (token)');
  });
});

describe('what a wrong PIN leaves, in the token\'s words (CK_TOKEN_INFO flags)', () => {
  it('locked, final try, low, or nothing to add', () => {
    expect(pinStateLine(TOKEN_FLAGS.userPinLocked | TOKEN_FLAGS.userPinCountLow)).toMatch(/now locked: its security officer must unlock it/);
    expect(pinStateLine(TOKEN_FLAGS.userPinFinalTry | TOKEN_FLAGS.userPinCountLow)).toBe('the token says one try is left before it locks');
    expect(pinStateLine(TOKEN_FLAGS.userPinCountLow)).toBe('the token says few tries are left before it locks');
    expect(pinStateLine(TOKEN_FLAGS.tokenInitialized | TOKEN_FLAGS.loginRequired)).toBe('');
  });
});

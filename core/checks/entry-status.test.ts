/**
 * One weak-signature rule (issue 17): the table's badge and the Doctor's WEAK_SIGNATURE
 * judge MD2, MD4, MD5 and SHA-1 alike — a self-signed root is worth knowing only, whatever
 * its digest; below a root MD* is refused and SHA-1 is a warning — and every message names
 * the digest as it is.
 */
import { describe, it, expect } from 'vitest';
import { signatureWeakness, weaknessOf } from './entry-status';

const strongKey = { keyAlgorithm: 'RSA', keySize: 2048 };

describe('signatureWeakness', () => {
  it.each([
    ['MD2withRSA', 'MD2', true],
    ['MD4withRSA', 'MD4', true],
    ['MD5withRSA', 'MD5', true],
    ['SHA1withRSA', 'SHA-1', false],
    ['SHA1withECDSA', 'SHA-1', false],
  ])('%s: a root is an anchor naming %s, and no badge; below a root the badge names it too', (signatureAlgorithm, digest, refused) => {
    const root = signatureWeakness({ signatureAlgorithm, selfSigned: true });
    expect(root).toMatchObject({ digest, refused, anchor: true });
    expect(root!.why).toContain(`own ${digest} signature`);
    expect(weaknessOf({ ...strongKey, signatureAlgorithm, selfSigned: true })).toBeUndefined();

    const below = signatureWeakness({ signatureAlgorithm, selfSigned: false });
    expect(below).toMatchObject({ digest, refused, anchor: false });
    expect(below!.why).toContain(refused ? `signed with ${digest}` : 'SHA-1');
    if (refused) expect(below!.why.replace(digest, '')).not.toMatch(/MD\d/);
    expect(weaknessOf({ ...strongKey, signatureAlgorithm, selfSigned: false })).toMatchObject({ words: 'Weak signature', why: expect.stringContaining(signatureAlgorithm) });
  });

  it('SHA-256 and the like are not weak', () => {
    for (const signatureAlgorithm of ['SHA256withRSA', 'SHA384withECDSA', 'RSASSA-PSS', 'Ed25519']) {
      expect(signatureWeakness({ signatureAlgorithm, selfSigned: false }), signatureAlgorithm).toBeUndefined();
    }
  });
});

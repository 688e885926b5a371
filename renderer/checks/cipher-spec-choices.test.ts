import { describe, expect, it } from 'vitest';
import { cipherSpecGroups } from './cipher-spec-choices';

describe('cipherSpecGroups', () => {
  it('puts the specs both keys can use first, the default alias at the top', () => {
    const [fit, other] = cipherSpecGroups('RSA', 'RSA');
    expect(fit!.names[0]).toBe('ANY_TLS12_OR_HIGHER');
    expect(fit!.names).toContain('TLS_AES_256_GCM_SHA384');
    expect(fit!.names).toContain('ECDHE_RSA_AES_256_GCM_SHA384');
    expect(fit!.names).not.toContain('ECDHE_ECDSA_AES_256_GCM_SHA384');
    expect(other!.names).toContain('ECDHE_ECDSA_AES_256_GCM_SHA384');
  });
  it('with an RSA and an EC certificate only the TLS 1.3 specs and the aliases fit both', () => {
    const [fit, other, disabled] = cipherSpecGroups('RSA', 'EC');
    expect(fit!.title).toBe('Fit both certificates (RSA and EC keys)');
    expect(fit!.names.filter((n) => n.startsWith('ECDHE_') || n.startsWith('TLS_RSA_'))).toEqual([]);
    expect(other!.names).toEqual(expect.arrayContaining(['ECDHE_RSA_AES_128_GCM_SHA256', 'ECDHE_ECDSA_AES_128_GCM_SHA256']));
    expect(disabled!.names).toContain('TLS_RSA_WITH_AES_128_CBC_SHA');
  });
});

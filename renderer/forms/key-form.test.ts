import { describe, expect, it } from 'vitest';
import { emptyKeyForm, mqLabelFor, parseSubjectAltNames, toNewKeyOptions, validateKeyForm, withKeyType } from './key-form';

const context = { existingLabels: ['ibmwebspheremqqm1'], withValidity: true };

describe('key form', () => {
  it('fills the MQ label from a queue manager name in lower case', () => {
    expect(mqLabelFor(' QM1 ')).toBe('ibmwebspheremqqm1');
    expect(mqLabelFor('')).toBe('');
  });

  it('says in words what is wrong', () => {
    const errors = validateKeyForm({ ...emptyKeyForm(), label: 'IBMWebSphereMQQM1', c: 'GBR', validityDays: '0', sans: 'qm1.example, not a name!' }, context);
    expect(errors.label).toBe('The label “IBMWebSphereMQQM1” is already used in this key database');
    expect(errors.cn).toBe('Common name (CN) is required');
    expect(errors.c).toMatch(/^Country must be two letters/);
    expect(errors.validityDays).toMatch(/whole number of days/);
    expect(errors.sans).toBe('“name!” is not a host name, IP address or email address');
  });

  it('accepts a complete form and makes the contract options', () => {
    const form = { ...withKeyType(emptyKeyForm(), 'EC'), label: 'ibmwebspheremqqm2', cn: 'QM2', o: 'Bank, Inc.', c: 'gb', sans: 'qm2.example\n10.0.0.1 ops@bank.example DNS:*.bank.example' };
    expect(validateKeyForm(form, context)).toEqual({});
    expect(toNewKeyOptions(form, true)).toEqual({
      label: 'ibmwebspheremqqm2',
      dn: 'CN=QM2,O=Bank\\, Inc.,C=GB',
      size: 256,
      sigAlg: 'EC_ecdsa_with_SHA256',
      validityDays: 365,
      subjectAltNames: { dns: ['qm2.example', '*.bank.example'], ip: ['10.0.0.1'], email: ['ops@bank.example'] },
    });
    expect(toNewKeyOptions(form, false).validityDays).toBeUndefined();
  });

  it('reads IPv6 addresses and prefixed names', () => {
    expect(parseSubjectAltNames('IP:::1 fe80::1 email:a@b')).toEqual({ dns: [], ip: ['::1', 'fe80::1'], email: ['a@b'], wrong: [] });
  });
});

/**
 * The CipherSpec table against OpenSSL: each enabled spec's OpenSSL name must be a suite
 * OpenSSL knows, and OpenSSL's IANA name for it must be the one the MQ name spells out.
 */
import { describe, it, expect } from 'vitest';
import { getCiphers } from 'node:tls';
import { hasTool, missingNote, runTool } from '../testing/peer-tools';
import { codeOf, errorOf } from '../testing/keydesk-error';
import { cipherSpecForSuite, lookupCipherSpec, tlsSettingsFor, type CipherSpec } from './cipher-specs';

const tls12 = [
  'ECDHE_ECDSA_AES_128_GCM_SHA256',
  'ECDHE_ECDSA_AES_256_GCM_SHA384',
  'ECDHE_ECDSA_AES_128_CBC_SHA256',
  'ECDHE_ECDSA_AES_256_CBC_SHA384',
  'ECDHE_RSA_AES_128_GCM_SHA256',
  'ECDHE_RSA_AES_256_GCM_SHA384',
  'ECDHE_RSA_AES_128_CBC_SHA256',
  'ECDHE_RSA_AES_256_CBC_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA256',
];
const tls13 = ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];

/** The IANA name an MQ TLS 1.2 name stands for: MQ drops "TLS_" and "WITH_" for ECDHE. */
const ianaOf = (mq: string) => (mq.startsWith('TLS_') ? mq : mq.replace(/^(ECDHE_(?:ECDSA|RSA))_/, 'TLS_$1_WITH_'));

describe('MQ CipherSpecs as node:tls settings', () => {
  it.skipIf(!hasTool('openssl'))(`every enabled TLS 1.2 spec maps to the OpenSSL suite with the same IANA name${missingNote('openssl')}`, () => {
    for (const name of tls12) {
      const settings = tlsSettingsFor(name);
      expect(settings).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
      const std = runTool('openssl', ['ciphers', '-stdname', '-ciphersuites', '', settings.ciphers]).toString().trim();
      // "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH Au=RSA …"
      const [iana, dash, openssl, protocol] = std.split(/\s+/);
      expect([iana, dash, openssl, protocol], name).toEqual([ianaOf(name), '-', settings.ciphers, 'TLSv1.2']);
      expect(cipherSpecForSuite(settings.ciphers)).toBe(name);
    }
  });

  it('TLS 1.3 specs are the IANA names Node offers, on TLS 1.3 only, for any key type', () => {
    const known = new Set(getCiphers());
    for (const name of tls13) {
      const settings = tlsSettingsFor(name);
      expect(settings).toEqual({ cipherSpec: name, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: name, key: 'any' });
      expect(known.has(name.toLowerCase()), name).toBe(true);
    }
  });

  it('key types: ECDHE_ECDSA needs EC, ECDHE_RSA and TLS_RSA need RSA (MQ.md)', () => {
    expect((lookupCipherSpec('ECDHE_ECDSA_AES_256_GCM_SHA384') as CipherSpec).key).toBe('EC');
    expect((lookupCipherSpec('ECDHE_RSA_AES_256_GCM_SHA384') as CipherSpec).key).toBe('RSA');
    expect((lookupCipherSpec('TLS_RSA_WITH_AES_128_CBC_SHA256') as CipherSpec).key).toBe('RSA');
  });

  it('aliases set a protocol range over every enabled spec; names are read as MQSC folds them', () => {
    const any = tlsSettingsFor('any_tls12_or_higher');
    expect(any).toMatchObject({ cipherSpec: 'ANY_TLS12_OR_HIGHER', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', key: 'any' });
    expect(any.ciphers.split(':').sort()).toEqual([...tls13, ...tls12.map((n) => tlsSettingsFor(n).ciphers)].sort());
    expect(tlsSettingsFor('ANY_TLS13')).toMatchObject({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: tls13.join(':') });
    expect(tlsSettingsFor('ANY_TLS12').ciphers.split(':')).toHaveLength(tls12.length);
  });

  it('refuses unknown names (usage) and specs MQ disables (unsupported, naming AMQ9616)', () => {
    expect(codeOf(() => tlsSettingsFor('TLS_MADE_UP'))).toBe('usage');
    expect(errorOf(() => tlsSettingsFor('TRIPLE_DES_SHA_US')).message).toMatch(/SSL 3\.0.*AMQ9616/);
    expect(errorOf(() => tlsSettingsFor('TLS_RSA_WITH_AES_128_CBC_SHA')).message).toMatch(/TLS 1\.0.*AMQ_TLS_V1_ENABLE/);
    expect(errorOf(() => tlsSettingsFor('ECDHE_RSA_3DES_EDE_CBC_SHA256')).message).toMatch(/weak/);
    expect(lookupCipherSpec('X'.repeat(33))).toBeUndefined();
  });
});

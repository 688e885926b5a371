import { describe, it, expect } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { childTags, parseDer } from './der';
import { buildCertificate } from '../x509/certificate-builder';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const certificate = buildCertificate({
  subject: parseDistinguishedName('CN=shape'),
  subjectPublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  subjectPrivateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
  hash: 'sha256',
  validityDays: 1,
  profile: 'tls',
});

describe('childTags, the cheap shape check', () => {
  it('sees a certificate as SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }', () => {
    expect(childTags(certificate)).toEqual([0x30, 0x30, 0x03]);
  });

  it('refuses what is not one well-framed value: cut short, trailing bytes, a lone primitive', () => {
    expect(childTags(certificate.subarray(0, certificate.length - 1))).toBeUndefined();
    expect(childTags(new Uint8Array([...certificate, 0]))).toBeUndefined();
    expect(childTags(new Uint8Array([0x04, 0x01, 0x00]))).toBeUndefined();
    expect(childTags(new Uint8Array([]))).toBeUndefined();
  });
});

describe('parseDer', () => {
  it('refuses nesting deeper than any real structure instead of exhausting the stack', () => {
    const deep = new Uint8Array(Buffer.alloc(20000, Buffer.from([0x30, 0x80])));
    expect(() => parseDer(deep)).toThrow(/nested deeper/);
  });
});

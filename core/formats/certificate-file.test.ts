/**
 * Certificate files in every form operators receive them, each made by openssl at test
 * time; what KeyDesk reads must equal openssl's own DER byte for byte.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCertificates, writeCertificate, writeCertificates, writePkcs7 } from './certificate-file';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { errorOf } from '../testing/keydesk-error';

let tmp: ReturnType<typeof makeTempDir>;
const path = (name: string): string => join(tmp.dir, name);
const openssl = (...args: string[]): Buffer => runTool('openssl', args, { cwd: tmp.dir });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hexes = (list: Uint8Array[]): string[] => list.map(hex);
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp?.cleanup());

describe.skipIf(!hasTool('openssl'))(`reading certificate files made by openssl${missingNote('openssl')}`, () => {
  let ee: Buffer;
  let ca: Buffer;
  let other: Buffer;
  let eePem: string;
  let caPem: string;
  let otherPem: string;

  beforeAll(() => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Partner Root CA/O=KeyDesk', '-days', '30');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ee.key', '-out', 'ee.csr', '-subj', '/CN=qm1.example/O=KeyDesk');
    openssl('x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'ee.pem', '-days', '30');
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/CN=Other', '-days', '30');
    for (const name of ['ca', 'ee', 'other']) openssl('x509', '-in', `${name}.pem`, '-outform', 'DER', '-out', `${name}.der`);
    ee = readFileSync(path('ee.der'));
    ca = readFileSync(path('ca.der'));
    other = readFileSync(path('other.der'));
    eePem = readFileSync(path('ee.pem'), 'latin1');
    caPem = readFileSync(path('ca.pem'), 'latin1');
    otherPem = readFileSync(path('other.pem'), 'latin1');
    writeFileSync(path('chain.pem'), eePem + caPem);
    openssl('crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b');
    openssl('crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'chain.p7b.der');
  });

  /** The certificates of a PKCS#7 file in the order openssl lists them. */
  function opensslPkcs7Order(file: string, inform: 'PEM' | 'DER'): string[] {
    const printed = openssl('pkcs7', '-inform', inform, '-in', file, '-print_certs').toString('latin1');
    return [...printed.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)].map((m) => {
      writeFileSync(path('one.pem'), m[0]);
      return hex(openssl('x509', '-in', 'one.pem', '-outform', 'DER'));
    });
  }

  it('reads one PEM certificate', () => {
    const read = readCertificates(Buffer.from(eePem));
    expect(read.encoding).toBe('pem');
    expect(hexes(read.certificates)).toEqual([hex(ee)]);
  });

  it('reads the X509 CERTIFICATE label and takes only the certificate from a TRUSTED CERTIFICATE', () => {
    expect(hexes(readCertificates(Buffer.from(eePem.replace(/CERTIFICATE/g, 'X509 CERTIFICATE'))).certificates)).toEqual([hex(ee)]);
    const trusted = openssl('x509', '-in', 'ca.pem', '-addtrust', 'serverAuth', '-trustout');
    expect(trusted.toString()).toContain('BEGIN TRUSTED CERTIFICATE');
    expect(hexes(readCertificates(trusted).certificates)).toEqual([hex(ca)]);
  });

  it('reads a bundle pasted into an email: openssl -text output, CRLF, trailing spaces, mixed line ends, quoting', () => {
    const text = openssl('x509', '-in', 'ee.pem', '-text').toString('latin1');
    expect(text).toContain('Certificate:');
    const mail =
      'Hello,\r\n\r\nplease find our certificates below.\r\n\r\n' +
      crlf(text) +
      '\r\nand the root:\r\n' +
      caPem.split('\n').map((l) => `${l}   `).join('\r\n') +
      '\n-- \nRegards, the PKI team\n' +
      otherPem.split('\n').map((l) => (l ? `> ${l}` : l)).join('\n');
    const read = readCertificates(Buffer.from(mail, 'latin1'));
    expect(read.encoding).toBe('pem');
    expect(hexes(read.certificates)).toEqual([hex(ee), hex(ca), hex(other)]);
  });

  it('reads PEM saved by Notepad as UTF-16, and PEM squashed onto one line', () => {
    const utf16 = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(crlf(eePem), 'utf16le')]);
    expect(hexes(readCertificates(utf16).certificates)).toEqual([hex(ee)]);
    expect(hexes(readCertificates(Buffer.from(eePem.replace(/\n/g, ' '))).certificates)).toEqual([hex(ee)]);
  });

  it('reads DER, DER with a newline appended, and DER certificates one after another', () => {
    expect(readCertificates(ee)).toEqual({ certificates: [new Uint8Array(ee)], encoding: 'der' });
    expect(hexes(readCertificates(Buffer.concat([ee, Buffer.from('\n')])).certificates)).toEqual([hex(ee)]);
    const both = readCertificates(Buffer.concat([ee, ca]));
    expect(both.encoding).toBe('der');
    expect(hexes(both.certificates)).toEqual([hex(ee), hex(ca)]);
  });

  it('reads base64 without PEM lines (openssl base64), with LF or CRLF, of a certificate or a PKCS#7 bundle', () => {
    const b64 = openssl('base64', '-in', 'ee.der').toString('latin1');
    expect(b64).not.toContain('BEGIN');
    expect(readCertificates(Buffer.from(b64))).toEqual({ certificates: [new Uint8Array(ee)], encoding: 'base64' });
    expect(hexes(readCertificates(Buffer.from(crlf(b64))).certificates)).toEqual([hex(ee)]);
    const p7 = readCertificates(openssl('base64', '-in', 'chain.p7b.der'));
    expect(p7.encoding).toBe('base64');
    expect(hexes(p7.certificates)).toEqual(opensslPkcs7Order('chain.p7b.der', 'DER'));
  });

  it('reads PKCS#7 bundles (crl2pkcs7 -nocrl) in PEM and DER, in the order openssl lists them', () => {
    const pem = readCertificates(readFileSync(path('chain.p7b')));
    expect(pem.encoding).toBe('pkcs7-pem');
    expect(hexes(pem.certificates)).toEqual(opensslPkcs7Order('chain.p7b', 'PEM'));
    expect(new Set(hexes(pem.certificates))).toEqual(new Set([hex(ee), hex(ca)]));
    const der = readCertificates(readFileSync(path('chain.p7b.der')));
    expect(der.encoding).toBe('pkcs7-der');
    expect(hexes(der.certificates)).toEqual(opensslPkcs7Order('chain.p7b.der', 'DER'));
  });

  it('reads the certificates of a BER (indefinite-length) PKCS#7, as streaming signers write it', () => {
    writeFileSync(path('msg.txt'), 'hello\n');
    openssl('cms', '-sign', '-stream', '-nodetach', '-outform', 'DER', '-in', 'msg.txt', '-signer', 'ee.pem', '-inkey', 'ee.key', '-certfile', 'ca.pem', '-out', 'signed.ber');
    const ber = readFileSync(path('signed.ber'));
    expect(ber[1]).toBe(0x80); // indefinite length
    const read = readCertificates(ber);
    expect(read.encoding).toBe('pkcs7-der');
    expect(hexes(read.certificates)).toEqual(opensslPkcs7Order('signed.ber', 'DER'));
  });

  it('reads a PKCS#7 bundle inside a CERTIFICATE block, as some Windows exports write it', () => {
    const relabelled = readFileSync(path('chain.p7b'), 'latin1').replace(/PKCS7/g, 'CERTIFICATE');
    const read = readCertificates(Buffer.from(crlf(relabelled)));
    expect(read.encoding).toBe('pkcs7-pem');
    expect(hexes(read.certificates)).toEqual(opensslPkcs7Order('chain.p7b', 'PEM'));
  });

  it('goes by content, not by name', () => {
    expect(readCertificates(ee, 'partner.pem').encoding).toBe('der');
    expect(readCertificates(Buffer.from(eePem), 'partner.der').encoding).toBe('pem');
  });

  it('says what a file without certificates looks like (unsupported)', () => {
    const key = readFileSync(path('ee.key'));
    const csr = readFileSync(path('ee.csr'));
    openssl('pkcs12', '-export', '-inkey', 'ee.key', '-in', 'ee.pem', '-passout', 'pass:pw', '-out', 'ee.p12');
    const cases: [Uint8Array, string][] = [
      [key, 'a private key'],
      [openssl('pkey', '-in', 'ee.key', '-outform', 'DER'), 'a private key'],
      [csr, 'a certificate request'],
      [readFileSync(path('ee.p12')), 'a PKCS#12 file'],
      [Buffer.from('Dear operator,\nthe certificate will follow tomorrow.\n'), 'text'],
      [Buffer.concat([Buffer.of(0x00, 0xff), randomBytes(300)]), 'unknown binary data'],
    ];
    for (const [bytes, looks] of cases) {
      expect(errorOf(() => readCertificates(bytes, 'partner.bin'))).toEqual({
        code: 'unsupported',
        message: `no certificate found in this file (it looks like ${looks})`,
      });
    }
  });

  it('calls unrecognisable content damaged when the name says it is a certificate', () => {
    const err = errorOf(() => readCertificates(Buffer.concat([Buffer.of(0x00, 0xff), randomBytes(300)]), 'partner.cer'));
    expect(err.code).toBe('damaged');
    expect(err.message).toMatch(/named like a certificate file .* it looks like unknown binary data/);
    expect(err.message).not.toContain('partner.cer');
  });

  it('refuses broken PEM, base64 and DER as damaged, without naming the file', () => {
    const lines = eePem.split('\n');
    lines[3] = lines[3]!.slice(0, 10) + '*' + lines[3]!.slice(11);
    const altered = errorOf(() => readCertificates(Buffer.from(lines.join('\n')), 'ee.pem'));
    expect(altered.code).toBe('damaged');
    expect(altered.message).toMatch(/^the CERTIFICATE block that starts on line 1 is not valid base64/);

    const cut = errorOf(() => readCertificates(Buffer.from(caPem + eePem.slice(0, 300)), 'chain.pem'));
    expect(cut).toEqual({ code: 'damaged', message: 'the CERTIFICATE block that starts on line ' + (caPem.split('\n').length) + ' has no END line: the file is cut short' });

    expect(errorOf(() => readCertificates(ee.subarray(0, ee.length - 20))).code).toBe('damaged');
    expect(errorOf(() => readCertificates(readFileSync(path('chain.p7b.der')).subarray(0, 700))).message).toMatch(/^the DER PKCS#7 bundle cannot be read/);
    const b64 = openssl('base64', '-in', 'ee.der').toString('latin1').trimEnd();
    expect(errorOf(() => readCertificates(Buffer.from(b64.slice(0, -3)))).code).toBe('damaged');
  });

  it('names an ASCII-mode transfer as the cause when a DER file was damaged that way', () => {
    // A serial with a LF byte in it, so there is something for the transfer to damage.
    openssl('req', '-x509', '-key', 'ee.key', '-out', 'lf.pem', '-subj', '/CN=LF', '-days', '30', '-set_serial', '0x0A0B01');
    const der = openssl('x509', '-in', 'lf.pem', '-outform', 'DER');
    const damaged = Buffer.from(der.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    const err = errorOf(() => readCertificates(damaged, 'ee.der'));
    expect(err.code).toBe('damaged');
    expect(err.message).toMatch(/^the DER certificate was transferred in text \(ASCII\) mode: every line feed became CR LF\. Send it again in binary mode/);
  });
});

describe.skipIf(!hasTool('openssl'))(`writing certificate files that openssl reads${missingNote('openssl')}`, () => {
  let ee: Buffer;
  let ca: Buffer;

  beforeAll(() => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'w-ca.key', '-out', 'w-ca.pem', '-subj', '/CN=Writer CA', '-days', '30');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'w-ee.key', '-out', 'w-ee.pem', '-subj', '/CN=Writer EE', '-days', '30');
    ca = openssl('x509', '-in', 'w-ca.pem', '-outform', 'DER');
    ee = openssl('x509', '-in', 'w-ee.pem', '-outform', 'DER');
  });

  it('writes PEM exactly as openssl x509 does, and DER as it is', () => {
    writeFileSync(path('w-ee.der'), ee);
    const opensslPem = openssl('x509', '-inform', 'DER', '-in', 'w-ee.der');
    expect(Buffer.from(writeCertificate(ee, 'ascii')).toString('latin1')).toBe(opensslPem.toString('latin1'));
    expect(hex(writeCertificate(ee, 'binary'))).toBe(hex(ee));
  });

  it('writes a PEM bundle that openssl and KeyDesk read back in order', () => {
    const bundle = writeCertificates([ee, ca], 'ascii');
    writeFileSync(path('w-bundle.pem'), bundle);
    openssl('crl2pkcs7', '-nocrl', '-certfile', 'w-bundle.pem', '-out', 'w-bundle.p7b');
    expect(openssl('pkcs7', '-in', 'w-bundle.p7b', '-print_certs').toString().match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(hexes(readCertificates(bundle).certificates)).toEqual([hex(ee), hex(ca)]);
  });

  it('writes a PKCS#7 bundle byte-identical to openssl crl2pkcs7 -nocrl, which openssl pkcs7 lists', () => {
    const p7 = writePkcs7([ee, ca]);
    writeFileSync(path('w.p7b'), p7);
    const printed = openssl('pkcs7', '-inform', 'DER', '-in', 'w.p7b', '-print_certs').toString();
    expect([...printed.matchAll(/subject=(.*)/g)].map((m) => m[1])).toEqual(['CN = Writer EE', 'CN = Writer CA']);
    writeFileSync(path('w-bundle.pem'), Buffer.concat([openssl('x509', '-in', 'w-ee.pem'), openssl('x509', '-in', 'w-ca.pem')]));
    expect(hex(p7)).toBe(hex(openssl('crl2pkcs7', '-nocrl', '-certfile', 'w-bundle.pem', '-outform', 'DER')));
    expect(readCertificates(p7)).toEqual({ certificates: [new Uint8Array(ee), new Uint8Array(ca)], encoding: 'pkcs7-der' });
  });

  it('refuses to write what is not a certificate', () => {
    const key = openssl('pkey', '-in', 'w-ee.key', '-outform', 'DER');
    expect(errorOf(() => writeCertificate(key, 'ascii')).code).toBe('usage');
    expect(errorOf(() => writePkcs7([])).code).toBe('usage');
  });
});

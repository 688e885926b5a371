import { describe, it, expect } from 'vitest';
import { bytesAsText, decodeBase64, encodePem, findPemBlocks } from './pem';

const der = Uint8Array.from({ length: 100 }, (_, i) => i);
const pem = encodePem('CERTIFICATE', der);

describe('PEM blocks', () => {
  it('writes 64-character lines, LF and a final newline, headers first', () => {
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    const withHeaders = encodePem('RSA PRIVATE KEY', der, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00' });
    expect(withHeaders).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n/);
    expect(findPemBlocks(withHeaders)[0]).toMatchObject({ headers: { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00' }, der });
  });

  it('finds blocks in prose, quoted, squashed onto one line, with CRLF and trailing spaces', () => {
    const text = `Hi\r\n> ${pem.replace(/\n/g, '  \r\n> ')}\nbye\n${pem.replace(/\n/g, ' ')}`;
    const blocks = findPemBlocks(text);
    const secondLine = text.slice(0, text.lastIndexOf('-----BEGIN')).split(/\r\n|\n/).length;
    expect(blocks.map((b) => [b.label, b.line])).toEqual([
      ['CERTIFICATE', 2],
      ['CERTIFICATE', secondLine],
    ]);
    for (const b of blocks) expect(b.der).toEqual(der);
  });

  it('reports a block without END and one whose base64 was altered, without decoding either', () => {
    const [cut] = findPemBlocks(pem.slice(0, 80));
    expect(cut).toMatchObject({ label: 'CERTIFICATE', problem: 'that starts on line 1 has no END line: the file is cut short' });
    expect(cut!.der).toBeUndefined();
    const [altered] = findPemBlocks(pem.replace(/^(-.*\n.{5})./, '$1%'));
    expect(altered!.problem).toMatch(/is not valid base64/);
    expect(decodeBase64('QUJD\nRA==')).toEqual(Uint8Array.from(Buffer.from('ABCD')));
    expect(decodeBase64('QUJDRA=')).toBeUndefined();
  });
});

describe('text or binary', () => {
  it('reads UTF-16 with a BOM and 8-bit mail as text, binary data as not text', () => {
    expect(bytesAsText(Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('héllo\r\n', 'utf16le')]))).toBe('héllo\r\n');
    expect(bytesAsText(Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from('hi', 'utf16le').swap16()]))).toBe('hi');
    expect(bytesAsText(Buffer.from('Grüße,\nthe key\n', 'latin1'))).toBeDefined();
    expect(bytesAsText(Uint8Array.of(0x30, 0x82, 0x01, 0x0a, 0x02))).toBeUndefined();
    expect(bytesAsText(Uint8Array.from({ length: 129 }, (_, i) => 0xc0 + (i % 60)))).toBeUndefined();
  });
});

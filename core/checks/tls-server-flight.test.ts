/**
 * The raw reader of a server's first flight, on flights made up here the way RFC 8446 §5.1
 * and RFC 5246 §7.4 lay them out: a message split over two records, a HelloRetryRequest
 * before the real ServerHello, a record cut short, and bytes that are not TLS at all.
 * (Flights from real servers are read in cli/tls-probe.interop.test.ts.)
 */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { looksLikeTls, readServerFlight } from './tls-server-flight';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const record = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 3, 3]), u16(body.length), body]);
const message = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);

function serverHello(suite: number, options: { tls13?: boolean; random?: Buffer } = {}): Buffer {
  const extensions = options.tls13 ? Buffer.concat([u16(43), u16(2), u16(0x0304)]) : Buffer.alloc(0);
  return message(2, Buffer.concat([u16(0x0303), options.random ?? Buffer.alloc(32, 7), Buffer.from([0]), u16(suite), Buffer.from([0]), u16(extensions.length), extensions]));
}

function certificateRequest(names: Buffer[]): Buffer {
  const cas = Buffer.concat(names.map((n) => Buffer.concat([u16(n.length), n])));
  return message(13, Buffer.concat([Buffer.from([2, 1, 64]), u16(4), Buffer.from([4, 1, 8, 4]), u16(cas.length), cas]));
}

const certificate = (ders: Buffer[]) => {
  const list = Buffer.concat(ders.map((d) => Buffer.concat([u24(d.length), d])));
  return message(11, Buffer.concat([u24(list.length), list]));
};

describe('readServerFlight', () => {
  it('a TLS 1.2 flight: the suite, the certificates as sent, and the CA names, even with a message split over two records', () => {
    const nameA = Buffer.from('3012311030', 'hex');
    const nameB = Buffer.from('300a', 'hex');
    const handshake = Buffer.concat([serverHello(0xc030), certificate([Buffer.from('leaf'), Buffer.from('intermediate')]), certificateRequest([nameA, nameB]), message(14, Buffer.alloc(0))]);
    const cut = 50;
    const flight = readServerFlight(Buffer.concat([record(22, handshake.subarray(0, cut)), record(22, handshake.subarray(cut))]));
    expect(flight.serverHello).toEqual({ protocol: 'TLSv1.2', suite: 0xc030 });
    expect(flight.certificates?.map((c) => Buffer.from(c).toString())).toEqual(['leaf', 'intermediate']);
    expect(flight.certificateRequest?.caNames.map((n) => Buffer.from(n).toString('hex'))).toEqual([nameA.toString('hex'), nameB.toString('hex')]);
    expect(flight.serverHelloDone).toBe(true);
  });

  it('TLS 1.3: the version from supported_versions, the ServerHello after a HelloRetryRequest, nothing read past it', () => {
    const retry = createHash('sha256').update('HelloRetryRequest').digest();
    const flight = readServerFlight(Buffer.concat([record(22, serverHello(0x1301, { tls13: true, random: retry })), record(22, serverHello(0x1302, { tls13: true })), record(20, Buffer.from([1])), record(23, Buffer.alloc(40, 9))]));
    expect(flight.serverHello).toEqual({ protocol: 'TLSv1.3', suite: 0x1302 });
    expect(flight.certificateRequest).toBeUndefined();
  });

  it('an alert in the clear, and a flight cut short keeps what came before the cut', () => {
    expect(readServerFlight(record(21, Buffer.from([2, 70]))).alert).toEqual({ level: 2, description: 70 });
    const whole = record(22, Buffer.concat([serverHello(0x009c), certificate([Buffer.from('leaf')])]));
    const cutShort = readServerFlight(whole.subarray(0, whole.length - 3));
    expect(cutShort.serverHello).toBeUndefined();
    const helloOnly = readServerFlight(Buffer.concat([record(22, serverHello(0x009c)), whole.subarray(0, 10)]));
    expect(helloOnly.serverHello?.suite).toBe(0x009c);
  });

  it('another protocol is not TLS: an MQ TSH header, an HTTP answer', () => {
    expect(looksLikeTls(Buffer.from('TSH '))).toBe(false);
    expect(readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n')).notTls).toBeDefined();
    expect(looksLikeTls(record(22, serverHello(0x1301)))).toBe(true);
  });
});

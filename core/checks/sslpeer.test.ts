/**
 * SSLPEER rules (MQ.md) against certificates openssl made: the DN order a filter is read
 * against is openssl's own RFC 2253 rendering, not KeyDesk's.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { hasTool, makeTempDir, missingNote } from '../testing/peer-tools';
import { codeOf, errorOf } from '../testing/keydesk-error';
import { openssl, readDer, valueAfter } from '../x509/openssl-test-support';
import type { KeyStore } from '../model/key-store';
import { matchSslPeer, mismatchReason, parseSslPeer, peerNameOf, sslPeerValueFor } from './sslpeer';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

function make(name: string, subj: string, extra: string[] = []): Uint8Array {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subj, '-days', '5', ...extra], temp.dir);
  return readDer(join(temp.dir, `${name}.pem`));
}

const matches = (filter: string, der: Uint8Array) => mismatchReason(parseSslPeer(filter), peerNameOf(der)) === undefined;

describe.skipIf(!hasTool('openssl'))(`SSLPEER matching${missingNote('openssl')}`, () => {
  let qmgr: Uint8Array;
  let dc: Uint8Array;
  let plain: Uint8Array;
  beforeAll(() => {
    qmgr = make('qmgr', '/C=GB/ST=Hampshire/O=Bars, Inc./OU=WEBSPHERE/OU=IBM/CN=QMGR.1/emailAddress=mq@bars.example', ['-set_serial', '0x4CD049D5025D2D7E']);
    dc = make('dc', '/DC=com/DC=example/UID=app7/CN=app7/GN=Ann');
    plain = make('plain', '/CN=app1/O=Bars/C=GB');
  });

  it('reads the DN in the order openssl prints it (RFC 2253), which is the order OU rules use', () => {
    expect(valueAfter(openssl(['x509', '-in', 'qmgr.pem', '-noout', '-subject', '-nameopt', 'RFC2253'], temp.dir), 'subject')).toBe(
      'emailAddress=mq@bars.example,CN=QMGR.1,OU=IBM,OU=WEBSPHERE,O=Bars\\, Inc.,ST=Hampshire,C=GB',
    );
    expect(peerNameOf(qmgr).values.get('OU')).toEqual(['IBM', 'WEBSPHERE']);
  });

  it("IBM's own example: CN=QMGR.*, OU=IBM, OU=WEBSPHERE needs the first OU IBM and the second WEBSPHERE", () => {
    expect(matches('CN=QMGR.*, OU=IBM, OU=WEBSPHERE', qmgr)).toBe(true);
    expect(matches('CN=QMGR.*, OU=WEBSPHERE, OU=IBM', qmgr)).toBe(false);
    expect(matches('OU=IBM', qmgr)).toBe(true);
    // The filter's OUs are the certificate's first OUs: WEBSPHERE alone is not the first.
    expect(matches('OU=WEBSPHERE', qmgr)).toBe(false);
    expect(matches('OU=IBM,OU=WEBSPHERE,OU=MORE', qmgr)).toBe(false);
    expect(mismatchReason(parseSslPeer('OU=WEBSPHERE'), peerNameOf(qmgr))).toMatch(/OU number 1 is "IBM"/);
  });

  it('DC repeats and keeps its order too', () => {
    expect(matches('DC=example,DC=com', dc)).toBe(true);
    expect(matches('DC=com', dc)).toBe(false);
    expect(matches('DC=example', dc)).toBe(true);
  });

  it('separators, spaces, quotes and case as MQ treats them', () => {
    expect(matches('CN=QMGR.1 ; O="Bars, Inc." ,ST=Hampshire', qmgr)).toBe(true);
    expect(matches('CN=qmgr.1', qmgr)).toBe(true); // values ignore case
    expect(matches('O="Bars, Inc.,OU=IBM"', qmgr)).toBe(false); // a type inside quotes is value text
    expect(matches('CN="QMGR.1 "', qmgr)).toBe(false); // quoted spaces count
    expect(matches('CN=  QMGR.1  ', qmgr)).toBe(true); // unquoted ones do not
    expect(matches('C=GB', plain)).toBe(true);
    expect(matches('C=GB,O=Other', plain)).toBe(false); // every attribute named must match
  });

  it('* only at the start, the end or both', () => {
    expect(matches('CN=QMGR*', qmgr)).toBe(true);
    expect(matches('CN=*.1', qmgr)).toBe(true);
    expect(matches('CN=*MGR*', qmgr)).toBe(true);
    expect(matches('CN=*', qmgr)).toBe(true);
    expect(matches('CN=QM*', plain)).toBe(false);
    expect(errorOf(() => parseSslPeer('CN=Q*1')).message).toMatch(/neither at the start nor at the end/);
  });

  it('ST, SP and S are one attribute; E is MAIL (deprecated); USERID is UID; SERIALNUMBER is the serial', () => {
    for (const f of ['ST=hampshire', 'SP=Hampshire', 'S=HAMPSHIRE']) expect(matches(f, qmgr)).toBe(true);
    expect(matches('MAIL=MQ@bars.example', qmgr)).toBe(true);
    expect(parseSslPeer('E=mq@bars.example').notes[0]).toMatch(/deprecated/);
    expect(matches('E=mq@bars.example', qmgr)).toBe(true);
    expect(matches('USERID=app7', dc)).toBe(true);
    expect(matches('UID=app8', dc)).toBe(false);
    const serial = valueAfter(openssl(['x509', '-in', 'qmgr.pem', '-noout', '-serial'], temp.dir), 'serial');
    const colonSerial = serial.match(/../g)!.join(':');
    expect(matches(`SERIALNUMBER=${colonSerial}, CN=QMGR.1`, qmgr)).toBe(true);
    expect(matches('SERIALNUMBER=01:02', qmgr)).toBe(false);
  });

  it('refuses filters MQ refuses, saying why', () => {
    expect(errorOf(() => parseSslPeer('cn=QMGR.1')).message).toMatch(/upper case: "cn" should be "CN"/);
    expect(errorOf(() => parseSslPeer('CN =QMGR.1')).message).toMatch(/no space is allowed/);
    expect(errorOf(() => parseSslPeer('CN=a,CN=b')).message).toMatch(/more than once; only OU and DC/);
    expect(codeOf(() => parseSslPeer('OU=a,OU=b,DC=c,DC=d'))).toBe('no error');
    expect(errorOf(() => parseSslPeer('GN=Ann')).message).toMatch(/not an attribute SSLPEER can use/);
    expect(errorOf(() => parseSslPeer('O=Bars, Inc.')).message).toMatch(/has no "="/);
    expect(errorOf(() => parseSslPeer('CN=x,')).message).toMatch(/ends with a separator/);
    expect(errorOf(() => parseSslPeer('   ')).message).toMatch(/empty/);
    expect(errorOf(() => parseSslPeer('CN="open')).message).toMatch(/not closed/);
    expect(errorOf(() => parseSslPeer(`CN=${'x'.repeat(1030)}`)).message).toMatch(/longer than 1024 bytes/);
  });

  it('the SSLPEER value for a certificate matches it and not another, leaving out what SSLPEER cannot name', () => {
    const value = sslPeerValueFor('qm', qmgr);
    expect(value.sslpeer).toBe('MAIL=mq@bars.example,CN=QMGR.1,OU=IBM,OU=WEBSPHERE,O="Bars, Inc.",ST=Hampshire,C=GB');
    expect(value.mqsc).toBe(`SSLPEER('${value.sslpeer}')`);
    expect(matches(value.sslpeer, qmgr)).toBe(true);
    expect(matches(value.sslpeer, plain)).toBe(false);
    const withGivenName = sslPeerValueFor('dc', dc);
    expect(withGivenName.sslpeer).toBe('CN=app7,UID=app7,DC=example,DC=com');
    expect(withGivenName.omitted.join(' ')).toMatch(/GN is not an attribute SSLPEER can test/);
    expect(matches(withGivenName.sslpeer, dc)).toBe(true);
  });

  it('tests a filter against every certificate in a store, with reasons', () => {
    const store: KeyStore = {
      format: 'pkcs12',
      properties: {},
      entries: [
        { kind: 'signer', label: 'qmgr', certificate: qmgr },
        { kind: 'signer', label: 'dc', certificate: dc },
        { kind: 'signer', label: 'plain', certificate: plain },
      ],
    };
    const result = matchSslPeer(store, 'CN=app*');
    expect(result.entries.filter((e) => e.matches).map((e) => e.label).sort()).toEqual(['dc', 'plain']);
    expect(result.entries.find((e) => e.label === 'qmgr')!.reason).toBe('CN is "QMGR.1", not "app*"');
  });
});

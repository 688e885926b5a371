/**
 * MD2-signed roots (issue 17): old GSKit databases ship VeriSign's Class 1–3 Public
 * Primary CA roots, self-signed with MD2, which OpenSSL 3 cannot verify. Subject equal to
 * issuer, key identifiers agreeing where present, and a signature that opens with the
 * certificate's own key make them roots, said to be "not checkable (MD2)"; a same-named
 * certificate that another key signed, or whose key identifiers disagree, is not one.
 *
 * The real VeriSign Class 3 root is in testdata/; the others are made here by openssl and
 * re-signed with MD2 (core/testing/md2-certificates.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey, publicDecrypt } from 'node:crypto';
import { hasTool, makeTempDir, missingNote, runTool } from '../testing/peer-tools';
import { md2, resignWithMd2, tbsOf } from '../testing/md2-certificates';
import { describeCertificate } from './certificate-details';
import { buildChain } from './chain-builder';
import { IssuerIndex } from '../checks/trust-path';

const verisignPem = readFileSync(join(__dirname, 'testdata/verisign-class3-pca-md2.pem'), 'utf8');
const verisign = new Uint8Array(new X509Certificate(verisignPem).raw);

describe('MD2 (test support) agrees with RFC 1319 and with VeriSign', () => {
  it('gives RFC 1319 A.5 digests, and the digest in the VeriSign root\'s own signature', () => {
    expect(Buffer.from(md2(new Uint8Array())).toString('hex')).toBe('8350e5a3e24c153df2275c9f80692773');
    expect(Buffer.from(md2(Buffer.from('message digest'))).toString('hex')).toBe('ab4f496bfb2a530b219ff33031fe06b0');
    // The root's signature, opened with its own key, holds the MD2 DigestInfo of its tbsCertificate.
    const x = new X509Certificate(verisignPem);
    const digestInfo = publicDecrypt(x.publicKey, Buffer.from(verisign.subarray(verisign.length - 128)));
    expect(digestInfo.subarray(0, 18).toString('hex')).toBe('3020300c06082a864886f70d020205000410');
    expect(digestInfo.subarray(18).toString('hex')).toBe(Buffer.from(md2(tbsOf(verisign))).toString('hex'));
  });
});

describe('the real VeriSign Class 3 Public Primary CA (MD2)', () => {
  it('OpenSSL 3 cannot verify its self-signature (why this matters)', () => {
    const x = new X509Certificate(verisignPem);
    expect(x.verify(x.publicKey)).toBe(false);
  });

  it('is a self-signed root, its signature algorithm named MD2withRSA, its self-signature not checkable (MD2)', () => {
    const d = describeCertificate(verisign);
    expect(d).toMatchObject({ subject: 'OU=Class 3 Public Primary Certification Authority,O=VeriSign\\, Inc.,C=US', signatureAlgorithm: 'MD2withRSA', selfSigned: true, selfSignatureNotCheckable: 'MD2', version: 1 });
    expect(d.issuer).toBe(d.subject);
  });

  it('ends a chain: buildChain and the doctor\'s IssuerIndex call it complete', () => {
    expect(buildChain(verisign, [])).toEqual({ chain: [verisign], complete: true });
    expect(new IssuerIndex([verisign]).chain(verisign).complete).toBe(true);
  });
});

describe.skipIf(!hasTool('openssl'))(`MD2 roots made at test time${missingNote('openssl')}`, () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());
  const o = (...args: string[]) => runTool('openssl', args, { cwd: temp.dir });
  const der = (name: string) => new Uint8Array(new X509Certificate(readFileSync(join(temp.dir, `${name}.pem`))).raw);
  const key = (name: string) => createPrivateKey(readFileSync(join(temp.dir, `${name}.key`)));
  let root: Uint8Array;
  let leaf: Uint8Array;
  let otherKeyIds: Uint8Array;
  let otherSigner: Uint8Array;

  beforeAll(() => {
    writeFileSync(join(temp.dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    writeFileSync(join(temp.dir, 'bare.ext'), 'basicConstraints=critical,CA:TRUE\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n');
    // A v3 root with both key identifiers, as openssl makes one, then re-signed with MD2.
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/O=Old Trust/OU=Class 3 Test Primary CA', '-days', '60', '-extensions', 'v3_ca');
    root = resignWithMd2(der('root'), key('root'));
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=QM1/O=KeyDesk Tests');
    o('x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '7', '-days', '30', '-sha256', '-out', 'leaf.pem');
    leaf = der('leaf');
    // Same name, another key: its authority key identifier names the other key.
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/O=Old Trust/OU=Class 3 Test Primary CA', '-days', '60');
    o('req', '-new', '-key', 'root.key', '-out', 'again.csr', '-subj', '/O=Old Trust/OU=Class 3 Test Primary CA');
    o('x509', '-req', '-in', 'again.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-set_serial', '9', '-days', '30', '-out', 'keyids.pem', '-extfile', 'ca.ext');
    otherKeyIds = resignWithMd2(der('keyids'), key('root'));
    // Same name, no key identifiers, signed (MD2) by the other key.
    o('x509', '-req', '-in', 'again.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-set_serial', '10', '-days', '30', '-out', 'bare.pem', '-extfile', 'bare.ext');
    otherSigner = resignWithMd2(der('bare'), key('other'));
  });

  it('openssl reads the re-signed root as md2WithRSAEncryption, and cannot verify it', () => {
    writeFileSync(join(temp.dir, 'md2root.der'), root);
    expect(o('x509', '-inform', 'DER', '-in', 'md2root.der', '-noout', '-text').toString()).toContain('Signature Algorithm: md2WithRSAEncryption');
    const x = new X509Certificate(root);
    expect(x.verify(x.publicKey)).toBe(false);
  });

  it('a root with matching key identifiers is self-signed, not checkable (MD2), and completes the chain of a leaf it issued', () => {
    expect(describeCertificate(root)).toMatchObject({ selfSigned: true, selfSignatureNotCheckable: 'MD2', signatureAlgorithm: 'MD2withRSA' });
    const built = buildChain(leaf, [root]);
    expect(built.complete).toBe(true);
    expect(built.chain).toHaveLength(2);
    const indexed = new IssuerIndex([root]).chain(leaf);
    expect(indexed.complete).toBe(true);
    expect(indexed.chain).toHaveLength(2);
  });

  it('same name but its authority key identifier names another key: not self-signed', () => {
    const d = describeCertificate(otherKeyIds);
    expect(d.subject).toBe(d.issuer);
    expect(d).toMatchObject({ selfSigned: false });
    expect(d.selfSignatureNotCheckable).toBeUndefined();
    expect(buildChain(otherKeyIds, []).complete).toBe(false);
  });

  it('same name, no key identifiers, but another key made the MD2 signature: not self-signed', () => {
    const d = describeCertificate(otherSigner);
    expect(d.subject).toBe(d.issuer);
    expect(d).toMatchObject({ selfSigned: false });
    expect(new IssuerIndex([otherSigner]).chain(otherSigner).complete).toBe(false);
  });

  it('an MD2-signed certificate below the root is linked to the root whose key opens its signature, not to a same-named impostor', () => {
    const md2Leaf = resignWithMd2(leaf, key('root'));
    expect(describeCertificate(md2Leaf)).toMatchObject({ selfSigned: false, signatureAlgorithm: 'MD2withRSA' });
    const built = buildChain(md2Leaf, [der('other'), root]);
    expect(built).toMatchObject({ complete: true });
    expect(Buffer.from(built.chain[1]!).equals(Buffer.from(root))).toBe(true);
    expect(new IssuerIndex([der('other'), root]).chain(md2Leaf)).toMatchObject({ complete: true, chain: [md2Leaf, root] });
    // Signed by the other key: the root does not open it, so no issuer is found.
    const forged = resignWithMd2(leaf, key('other'));
    expect(buildChain(forged, [root])).toMatchObject({ complete: false, chain: [forged] });
  });

  it('a damaged MD2 signature (one byte changed) does not open: not self-signed', () => {
    const damaged = Uint8Array.from(root);
    damaged[damaged.length - 5]! ^= 0x01;
    expect(describeCertificate(damaged).selfSigned).toBe(false);
  });
});

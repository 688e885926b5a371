import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyDeskError } from '../errors';
import { hasTool, missingNote, makeTempDir, runTool } from '../testing/peer-tools';
import { anyTimeToIso, describeCertificate, describeCertificateFromTree, x509TimeToIso, type CertificateDetails } from './certificate-details';
import { findPemBlocks } from '../formats/pem';
import fc from 'fast-check';
import { asn1, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { generateKeyPairSync } from 'node:crypto';
import { EKU_WORDS, KEY_USAGE_WORDS, KEY_WORDS, SIGNATURE_WORDS, opensslDate, opensslName, readDer, sanWord, valueAfter } from './openssl-test-support';
import { codeOf } from '../testing/keydesk-error';

const haveOpenssl = hasTool('openssl');
const haveKeytool = hasTool('keytool');


interface Spec {
  name: string;
  /** Creates `${name}.pem` in the temp folder. */
  make: (ossl: (args: string[]) => Buffer) => void;
}

const EXT_FILE = `
[leaf]
subjectAltName = DNS:qm1.example.com, DNS:*.mq.example.com, IP:192.0.2.10, IP:2001:db8::1, email:mq@example.com, URI:https://example.com/mq?a=1, RID:1.2.3.4, dirName:dir_sect, otherName:msUPN;UTF8:user@example.com
keyUsage = digitalSignature, keyEncipherment, nonRepudiation
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, msSmartcardLogin, 1.2.3.4.5
basicConstraints = CA:FALSE
[ca]
basicConstraints = critical, CA:true, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[client]
keyUsage = digitalSignature, keyAgreement
extendedKeyUsage = clientAuth, anyExtendedKeyUsage
subjectAltName = email:ops@example.com
[dir_sect]
C = US
O = Dir Inc
CN = dir
`;

const REQ_CONFIG = `[req]\ndistinguished_name = dn\n[dn]\n${EXT_FILE}`;

function selfSigned(name: string, gen: string[], subj: string, extra: string[] = []): Spec {
  return {
    name,
    make: (ossl) => {
      ossl(['genpkey', ...gen, '-out', `${name}.key`]);
      ossl(['req', '-new', '-x509', '-config', 'req.cnf', '-key', `${name}.key`, '-subj', subj, '-days', '30', '-utf8', ...extra, '-out', `${name}.pem`]);
    },
  };
}

/** Signed by the RSA 3072 CA (`ca`), which must be made first. */
function issued(name: string, gen: string[], subj: string, extra: string[] = []): Spec {
  return {
    name,
    make: (ossl) => {
      ossl(['genpkey', ...gen, '-out', `${name}.key`]);
      ossl(['req', '-new', '-config', 'req.cnf', '-key', `${name}.key`, '-subj', subj, '-utf8', '-out', `${name}.csr`]);
      ossl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-days', '30', ...extra, '-out', `${name}.pem`]);
    },
  };
}

const RSA2048 = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
const RSA3072 = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'];
const ec = (curve: string) => ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`];

const SPECS: Spec[] = [
  selfSigned('ca', RSA3072, '/C=GB/O=KeyDesk Test/CN=Test Root CA', ['-sha384', '-extensions', 'ca']),
  issued('leaf-rsa', RSA2048, '/C=DE/O=Smith, Jones+OU=A/CN=Müller', ['-sha256', '-extfile', 'req.cnf', '-extensions', 'leaf', '-set_serial', '0x80000000000000000001']),
  issued('leaf-p256', ec('P-256'), '/DC=com/DC=example/CN=qm2', ['-sha256', '-extfile', 'req.cnf', '-extensions', 'client', '-set_serial', '1']),
  // Same Name as the CA, other key: issuer equals subject, yet it is not self-signed.
  // Without -extfile OpenSSL 3.0 makes a version 1 certificate.
  issued('same-name', ec('P-256'), '/C=GB/O=KeyDesk Test/CN=Test Root CA'),
  selfSigned('p256', ec('P-256'), '/CN=p256', ['-sha256', '-extensions', 'client']),
  selfSigned('p384', ec('P-384'), '/CN=p384', ['-sha384']),
  selfSigned('p521', ec('P-521'), '/CN=p521', ['-sha512']),
  selfSigned('ed25519', ['-algorithm', 'ED25519'], '/CN=ed25519', ['-extensions', 'leaf']),
  selfSigned('ed448', ['-algorithm', 'ED448'], '/CN=ed448'),
  selfSigned('rsa-pss-signature', RSA2048, '/CN=pss', ['-sha256', '-sigopt', 'rsa_padding_mode:pss']),
  selfSigned('rsa-pss-key', ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'], '/CN=psskey'),
  // Past 2049 the notAfter is a GeneralizedTime.
  selfSigned('long-lived', ec('P-256'), '/CN=long', ['-days', '36500']),
  {
    name: 'dsa',
    make: (ossl) => {
      ossl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa.param']);
      ossl(['genpkey', '-paramfile', 'dsa.param', '-out', 'dsa.key']);
      ossl(['req', '-new', '-x509', '-config', 'req.cnf', '-key', 'dsa.key', '-subj', '/CN=dsa', '-days', '30', '-sha256', '-out', 'dsa.pem']);
    },
  },
];

describe.skipIf(!haveOpenssl)('describeCertificate agrees with openssl x509 (skipped: no openssl)', () => {
  let dir = '';
  let cleanup = () => {};
  const ossl = (args: string[]) => runTool('openssl', args, { cwd: dir });
  const text = (args: string[]) => ossl(args).toString('utf8');

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('keydesk-cert-'));
    writeFileSync(join(dir, 'req.cnf'), REQ_CONFIG);
    for (const spec of SPECS) spec.make(ossl);
  });
  afterAll(() => cleanup());

  /** A bulleted extension's values from `openssl x509 -ext`, or undefined when absent. */
  function extensionLine(file: string, name: string): string | undefined {
    const lines = text(['x509', '-in', file, '-noout', '-ext', name]).split('\n');
    const header = lines.findIndex((l) => l.startsWith('X509v3 '));
    return header < 0 ? undefined : lines[header + 1]?.trim();
  }

  /** Everything openssl can tell about `file`, in CertificateDetails terms. */
  function opensslDetails(file: string): CertificateDetails {
    const full = text(['x509', '-in', file, '-noout', '-text']);
    const one = (re: RegExp) => re.exec(full)?.[1];
    const details: CertificateDetails = {
      subject: opensslName('x509', file, 'subject'),
      issuer: opensslName('x509', file, 'issuer'),
      serial: valueAfter(text(['x509', '-in', file, '-noout', '-serial']), 'serial').toLowerCase(),
      notBefore: opensslDate(valueAfter(text(['x509', '-in', file, '-noout', '-startdate']), 'notBefore')),
      notAfter: opensslDate(valueAfter(text(['x509', '-in', file, '-noout', '-enddate']), 'notAfter')),
      sha1: valueAfter(text(['x509', '-in', file, '-noout', '-fingerprint', '-sha1']), 'sha1 Fingerprint').replace(/:/g, '').toLowerCase(),
      sha256: valueAfter(text(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']), 'sha256 Fingerprint').replace(/:/g, '').toLowerCase(),
      keyAlgorithm: KEY_WORDS[one(/Public Key Algorithm: (\S+)/) ?? ''] ?? '?',
      signatureAlgorithm: SIGNATURE_WORDS[one(/Signature Algorithm: (\S+)/) ?? ''] ?? '?',
      subjectAltNames: (extensionLine(file, 'subjectAltName')?.split(', ') ?? []).map(sanWord),
      keyUsage: (extensionLine(file, 'keyUsage')?.split(', ') ?? []).map((w) => KEY_USAGE_WORDS[w] ?? `?${w}`),
      extendedKeyUsage: (extensionLine(file, 'extendedKeyUsage')?.split(', ') ?? []).map((w) => EKU_WORDS[w] ?? w),
      selfSigned: (() => {
        // Trusting only the certificate itself, with its own signature checked: passes
        // exactly when it is self-issued and self-signed.
        try {
          ossl(['verify', '-CAfile', file, '-check_ss_sig', file]);
          return true;
        } catch {
          return false;
        }
      })(),
      version: Number(one(/Version: (\d+)/)),
    };
    const bits = one(/Public-Key: \((\d+) bit\)/);
    // OpenSSL prints no size for EdDSA keys, and KeyDesk gives none.
    if (bits) details.keySize = Number(bits);
    const curve = one(/NIST CURVE: (\S+)/) ?? one(/ASN1 OID: (\S+)/);
    if (curve) details.curve = curve;
    const constraints = extensionLine(file, 'basicConstraints');
    if (constraints) {
      const pathlen = /pathlen:(\d+)/.exec(constraints)?.[1];
      details.basicConstraints = { ca: constraints.startsWith('CA:TRUE') };
      if (pathlen !== undefined) details.basicConstraints.pathLength = Number(pathlen);
    }
    return details;
  }

  for (const spec of SPECS) {
    it(`${spec.name}: every field`, () => {
      const file = join(dir, `${spec.name}.pem`);
      expect(describeCertificate(readDer(file))).toEqual(opensslDetails(file));
    });
  }

  it('reads every case in place as node-forge\'s tree reads it, extensions included', () => {
    for (const spec of SPECS) {
      const der = readDer(join(dir, `${spec.name}.pem`));
      expect(JSON.stringify(describeCertificate(der)), spec.name).toBe(JSON.stringify(describeCertificateFromTree(der)));
    }
  });

  it('the cases cover what they claim to (so the comparisons above mean something)', () => {
    const d = (name: string) => describeCertificate(readDer(join(dir, `${name}.pem`)));
    expect(d('ca')).toMatchObject({ selfSigned: true, keySize: 3072, basicConstraints: { ca: true, pathLength: 1 } });
    expect(d('leaf-rsa').subjectAltNames.some((s) => s.startsWith('IP:') && s.includes('::'))).toBe(true);
    expect(d('leaf-rsa').subject).toContain('+');
    expect(d('same-name')).toMatchObject({ version: 1, selfSigned: false });
    expect(d('same-name').subject).toBe(d('same-name').issuer);
    expect(d('long-lived').notAfter > '2050').toBe(true);
    expect(d('leaf-rsa').serial.startsWith('8')).toBe(true); // DER carries a 00 sign byte here
    expect(d('p521')).toMatchObject({ curve: 'P-521', keySize: 521 });
  });

  it.skipIf(!haveKeytool)(`agrees with keytool -printcert on serial, fingerprints and Java algorithm names${missingNote('keytool')}`, () => {
    for (const spec of SPECS) {
      const file = join(dir, `${spec.name}.pem`);
      const printed = runTool('keytool', ['-J-Duser.language=en', '-printcert', '-file', file]).toString('utf8');
      const field = (label: string) => new RegExp(`${label}: (.+)`).exec(printed)?.[1]?.trim();
      const ours = describeCertificate(readDer(file));
      // keytool prints a BigInteger (serial 1 is "1"); KeyDesk keeps whole bytes ("01").
      expect(ours.serial.replace(/^0+(?=.)/, ''), spec.name).toBe(field('Serial number'));
      expect(ours.sha1, spec.name).toBe(field('SHA1')?.replace(/:/g, '').toLowerCase());
      expect(ours.sha256, spec.name).toBe(field('SHA256')?.replace(/:/g, '').toLowerCase());
      expect(ours.signatureAlgorithm, spec.name).toBe(field('Signature algorithm name'));
      // e.g. "2048-bit RSA key", "256-bit EC (secp256r1) key", "255-bit Ed25519 key"
      const key = /^(\d+)-bit (\S+)/.exec(field('Subject Public Key Algorithm') ?? '');
      expect(ours.keyAlgorithm, spec.name).toBe(key?.[2]);
      if (ours.keySize !== undefined) expect(ours.keySize, spec.name).toBe(Number(key?.[1]));
    }
  });
});

describe('describeCertificate without a peer', () => {
  it('refuses garbage as damaged, saying it is not DER', () => {
    try {
      describeCertificate(new Uint8Array([0x30, 0x82, 0x01]));
      throw new Error('expected a KeyDeskError');
    } catch (e) {
      expect(isKeyDeskError(e) && e.code).toBe('damaged');
      expect((e as Error).message).toMatch(/^certificate is not valid DER: /);
    }
  });

  it('refuses DER that is not a certificate as damaged', () => {
    expect(codeOf(() => describeCertificate(new Uint8Array([0x02, 0x01, 0x05])))).toBe('damaged');
    expect(codeOf(() => describeCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])))).toBe('damaged');
  });

  it('reads validity times by RFC 5280 rules openssl cannot be made to produce', () => {
    const time = (type: number, text: string) => x509TimeToIso(asn1.create(asn1.Class.UNIVERSAL, type, false, text));
    // UTCTime years 50-99 are 19xx, 00-49 are 20xx (RFC 5280 4.1.2.5.1).
    expect(time(asn1.Type.UTCTIME, '491231235959Z')).toBe('2049-12-31T23:59:59Z');
    expect(time(asn1.Type.UTCTIME, '500101000000Z')).toBe('1950-01-01T00:00:00Z');
    // Forms DER forbids but old certificates carry: offsets, fractions, no seconds.
    expect(time(asn1.Type.UTCTIME, '2401011200+0130')).toBe('2024-01-01T10:30:00Z');
    expect(time(asn1.Type.GENERALIZEDTIME, '20500101000000.5Z')).toBe('2050-01-01T00:00:00Z');
    expect(codeOf(() => time(asn1.Type.GENERALIZEDTIME, '20240231000000Z'))).toBe('damaged');
    expect(codeOf(() => time(asn1.Type.UTCTIME, '2401011200'))).toBe('damaged');
  });
});

describe('describeCertificate read in place agrees with the node-forge tree', () => {
  const bundle = (() => {
    try {
      return findPemBlocks(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')).flatMap((b) => (b.der ? [b.der] : []));
    } catch {
      return [];
    }
  })();
  const md2Root = findPemBlocks(readFileSync(join(__dirname, 'testdata/verisign-class3-pca-md2.pem'), 'utf8'))[0]!.der!;
  const outcome = (read: (der: Uint8Array) => CertificateDetails, der: Uint8Array): string => {
    try {
      // JSON keeps the order of the fields, which -json output shows.
      return JSON.stringify(read(der));
    } catch (e) {
      return `${isKeyDeskError(e) ? e.code : 'not a KeyDeskError'}: ${(e as Error).message}`;
    }
  };

  it.skipIf(bundle.length === 0)('gives every certificate of the system CA bundle the same facts, fields in the same order (skipped: no bundle)', () => {
    for (const der of [...bundle, md2Root]) expect(outcome(describeCertificate, der)).toBe(outcome(describeCertificateFromTree, der));
  });

  it('gives damaged certificates the same facts or the same refusal', () => {
    const samples = [md2Root, ...bundle.slice(0, 20)];
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 }), (sample, where, value) => {
        const der = new Uint8Array(sample);
        der[where % der.length] = value;
        expect(outcome(describeCertificate, der)).toBe(outcome(describeCertificateFromTree, der));
      }),
      { seed: 5280, numRuns: 3000 },
    );
  });
});

describe('extensions read in place agree with the node-forge tree', () => {
  const A = asn1.Class.UNIVERSAL;
  const node = (type: number, constructed: boolean, value: string | Asn1[]) => asn1.create(A, type, constructed, value);
  const oid = (dotted: string) => node(asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
  const name = (cn: string) => node(asn1.Type.SEQUENCE, true, [node(asn1.Type.SET, true, [node(asn1.Type.SEQUENCE, true, [oid('2.5.4.3'), node(asn1.Type.UTF8, false, cn)])])]);
  const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }));
  /** A certificate (its signature is not checked: issuer and subject differ) carrying these
   * extension values, given as DER. */
  const certificateWith = (extensions: Array<[string, Uint8Array]>): Uint8Array => {
    const algorithm = node(asn1.Type.SEQUENCE, true, [oid('1.2.840.10045.4.3.2')]);
    const tbs = node(asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [node(asn1.Type.INTEGER, false, '\x02')]),
      node(asn1.Type.INTEGER, false, '\x01\x02'),
      algorithm,
      name('issuer'),
      node(asn1.Type.SEQUENCE, true, [node(asn1.Type.UTCTIME, false, '260101000000Z'), node(asn1.Type.UTCTIME, false, '270101000000Z')]),
      name('subject'),
      parseDer(spki),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [
        node(asn1.Type.SEQUENCE, true, extensions.map(([id, value]) => node(asn1.Type.SEQUENCE, true, [oid(id), node(asn1.Type.OCTETSTRING, false, Buffer.from(value).toString('latin1'))]))),
      ]),
    ]);
    return encodeDer(node(asn1.Type.SEQUENCE, true, [tbs, algorithm, node(asn1.Type.BITSTRING, false, '\x00\x01')]));
  };
  const ctx = (tag: number, value: string | Asn1[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, Array.isArray(value), value);
  const generalName = fc.oneof(
    fc.domain().map((d) => ctx(2, d)),
    fc.emailAddress().map((e) => ctx(1, e)),
    fc.webUrl().map((u) => ctx(6, u)),
    fc.uint8Array({ minLength: 0, maxLength: 17 }).map((b) => ctx(7, Buffer.from(b).toString('latin1'))),
    fc.string({ maxLength: 8 }).map((cn) => ctx(4, [name(cn)])),
    fc.constant(ctx(8, asn1.oidToDer('1.2.3.4').getBytes())),
  );
  const extension = fc.oneof(
    fc.array(generalName, { maxLength: 5 }).map((names): [string, Uint8Array] => ['2.5.29.17', encodeDer(node(asn1.Type.SEQUENCE, true, names))]),
    fc.uint8Array({ maxLength: 3 }).map((bits): [string, Uint8Array] => ['2.5.29.15', encodeDer(node(asn1.Type.BITSTRING, false, Buffer.from(bits).toString('latin1')))]),
    fc.array(fc.constantFrom('1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '2.5.29.37.0', '1.2.3.4.5'), { maxLength: 4 }).map((ids): [string, Uint8Array] => ['2.5.29.37', encodeDer(node(asn1.Type.SEQUENCE, true, ids.map(oid)))]),
    fc.tuple(fc.option(fc.constantFrom('\x00', '\xff', '\x01')), fc.option(fc.integer({ min: 0, max: 300 }))).map(([ca, pathLength]): [string, Uint8Array] => {
      const fields = [...(ca === null ? [] : [node(asn1.Type.BOOLEAN, false, ca)]), ...(pathLength === null ? [] : [asn1.integerToDer(pathLength).getBytes()].map((v) => node(asn1.Type.INTEGER, false, v)))];
      return ['2.5.29.19', encodeDer(node(asn1.Type.SEQUENCE, true, fields))];
    }),
    // Whatever bytes: read in place or refused alike.
    fc.tuple(fc.constantFrom('2.5.29.17', '2.5.29.15', '2.5.29.37', '2.5.29.19'), fc.uint8Array({ maxLength: 12 })),
  );
  const outcome = (read: (der: Uint8Array) => CertificateDetails, der: Uint8Array): string => {
    try {
      return JSON.stringify(read(der));
    } catch (e) {
      return `${isKeyDeskError(e) ? e.code : 'not a KeyDeskError'}: ${(e as Error).message}`;
    }
  };

  it('subjectAltName, keyUsage, extendedKeyUsage and basicConstraints, generated and random', () => {
    fc.assert(
      fc.property(fc.uniqueArray(extension, { selector: ([id]) => id, maxLength: 4 }), (extensions) => {
        const der = certificateWith(extensions);
        expect(outcome(describeCertificate, der)).toBe(outcome(describeCertificateFromTree, der));
      }),
      { seed: 5280, numRuns: 1500 },
    );
  });
});

describe('validity times in the forms RFC 5280 allows are read digit by digit as the general reader reads them', () => {
  const outcome = (read: () => string): string => {
    try {
      return read();
    } catch (e) {
      return `refused: ${(e as Error).message}`;
    }
  };
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
  const plausible = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map((parts) =>
    parts.map((p, i) => String(p).padStart(i === 0 ? 4 : 2, '0')).join(''),
  );
  it('UTCTime and GeneralizedTime, valid dates, rolled-over ones (31 February, 24:00, second 60) and stray characters', () => {
    fc.assert(
      fc.property(fc.oneof(plausible, digits(14), fc.string({ minLength: 14, maxLength: 14 })), fc.boolean(), (generalized, utc) => {
        const text = `${utc ? generalized.slice(2) : generalized}Z`;
        const type = utc ? asn1.Type.UTCTIME : asn1.Type.GENERALIZEDTIME;
        expect(outcome(() => x509TimeToIso(asn1.create(asn1.Class.UNIVERSAL, type, false, text)))).toBe(outcome(() => anyTimeToIso(type, text)));
      }),
      { seed: 5280, numRuns: 5000 },
    );
    expect(x509TimeToIso(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, '20240229235959Z'))).toBe('2024-02-29T23:59:59Z');
    expect(outcome(() => x509TimeToIso(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, '230229000000Z')))).toMatch(/^refused/);
  });
});

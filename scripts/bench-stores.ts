/**
 * The stores `npm run bench` times, made the way users get them: PKCS#12 files written by
 * `openssl pkcs12 -export` (its default and -legacy), PKCS#12 and JKS written by keytool,
 * CMS written by KeyDesk from those, holding RSA certificates of the size and shape CA
 * bundles hold (RSA-2048, every seventh RSA-4096, an O/OU/L/C subject, two DNS names, key
 * usage, extended key usage, key identifiers), and the system's real CA bundle. EC stores
 * are kept too, as the earlier bench had them.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkcs12Codec } from '../core/formats/pkcs12';
import { writeCmsStore } from '../core/formats/cms';
import type { KeyStore, SignerEntry } from '../core/model/key-store';
import { buildCertificate } from '../core/x509/certificate-builder';
import { parseDistinguishedName } from '../core/x509/distinguished-name-parse';
import { encodePem, findPemBlocks } from '../core/formats/pem';

export interface BenchStores {
  /** openssl pkcs12 -export -nokeys (AES-256-CBC, PBKDF2, SHA-256 MAC). */
  opensslP12: string;
  /** openssl pkcs12 -export -nokeys -legacy (RC2-40 certificates, SHA-1 MAC). */
  opensslLegacyP12?: string;
  /** keytool -importkeystore to PKCS12 and to JKS. */
  keytoolP12?: string;
  keytoolJks?: string;
  /** KeyDesk -keydb -convert from the openssl file. */
  cms: string;
}

const toPem = (der: Uint8Array) => encodePem('CERTIFICATE', der);

/** `count` distinct RSA certificates from one issuing CA, as a company's CA issues them. */
export function rsaCertificates(count: number): Uint8Array[] {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caKey = new Uint8Array(ca.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const issuer = parseDistinguishedName('CN=Bench Issuing CA G2,OU=Certificate Services,O=KeyDesk Bench Ltd,C=GB');
  // A few subject keys: generating 10,000 RSA keys would take minutes, and a store's cost
  // does not depend on whether keys repeat.
  const keys = [2048, 2048, 2048, 4096].map((modulusLength) => new Uint8Array(generateKeyPairSync('rsa', { modulusLength }).publicKey.export({ format: 'der', type: 'spki' })));
  return Array.from({ length: count }, (_, i) =>
    buildCertificate({
      subject: parseDistinguishedName(`CN=app-${i + 1}.bench.example.com,OU=Middleware,O=KeyDesk Bench Ltd,L=London,C=GB`),
      issuer: { name: issuer, privateKey: caKey },
      subjectPublicKey: i % 7 === 6 ? keys[3]! : keys[i % 3]!,
      hash: 'sha256',
      validityDays: 398,
      profile: 'tls',
      subjectAltNames: { dns: [`app-${i + 1}.bench.example.com`, `mq-${i + 1}.bench.example.com`] },
    }),
  );
}

/** `count` EC certificates, as the earlier bench made them. */
export function ecCertificates(count: number): Uint8Array[] {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caKey = new Uint8Array(ca.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const issuer = parseDistinguishedName('CN=Bench EC Issuing CA,O=KeyDesk');
  const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }));
  return Array.from({ length: count }, (_, i) =>
    buildCertificate({ subject: parseDistinguishedName(`CN=EC ${i + 1},O=KeyDesk`), issuer: { name: issuer, privateKey: caKey }, subjectPublicKey: spki, hash: 'sha256', validityDays: 365, profile: 'tls' }),
  );
}

/** The system's CA bundle (Debian: /etc/ssl/certs), real certificates from real CAs. */
export function systemCaCertificates(): Uint8Array[] {
  const dir = '/etc/ssl/certs';
  if (!existsSync(dir)) return [];
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem')).sort()) {
    for (const block of findPemBlocks(readFileSync(join(dir, name), 'latin1'))) {
      if (block.label !== 'CERTIFICATE' || !block.der) continue;
      const id = Buffer.from(block.der).toString('base64');
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(block.der);
    }
  }
  return out;
}

function run(tool: string, args: string[], cwd: string): void {
  const r = spawnSync(tool, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}`);
}

/**
 * Writes the stores for `certificates` under `dir` with the name `name`: openssl's two
 * PKCS#12 forms, keytool's PKCS12 and JKS (from a PKCS#12 KeyDesk wrote, which carries
 * Java's trusted-certificate attribute that openssl 3.0 cannot write), and CMS.
 */
export function writeBenchStores(dir: string, name: string, certificates: Uint8Array[], password: string, tools: { openssl: boolean; keytool: boolean; keydesk: string }): BenchStores {
  const pem = join(dir, `${name}.pem`);
  writeFileSync(pem, certificates.map(toPem).join(''));
  const stores: BenchStores = { opensslP12: join(dir, `${name}.openssl.p12`), cms: join(dir, `${name}.kdb`) };
  if (tools.openssl) {
    run('openssl', ['pkcs12', '-export', '-nokeys', '-in', pem, '-out', stores.opensslP12, '-passout', `pass:${password}`], dir);
    stores.opensslLegacyP12 = join(dir, `${name}.openssl-legacy.p12`);
    run('openssl', ['pkcs12', '-export', '-nokeys', '-legacy', '-in', pem, '-out', stores.opensslLegacyP12, '-passout', `pass:${password}`], dir);
  } else {
    const signers: SignerEntry[] = certificates.map((certificate, i) => ({ kind: 'signer', label: `signer ${i + 1}`, certificate }));
    writeFileSync(stores.opensslP12, pkcs12Codec.write({ format: 'pkcs12', properties: {}, entries: signers } satisfies KeyStore, password));
  }
  if (tools.keytool) {
    const source = join(dir, `${name}.keydesk.p12`);
    const signers: SignerEntry[] = certificates.map((certificate, i) => ({ kind: 'signer', label: `signer ${i + 1}`, certificate }));
    writeFileSync(source, pkcs12Codec.write({ format: 'pkcs12', properties: {}, entries: signers } satisfies KeyStore, password));
    for (const [type, file] of [['PKCS12', `${name}.keytool.p12`], ['JKS', `${name}.keytool.jks`]] as const) {
      run('keytool', ['-importkeystore', '-noprompt', '-srckeystore', source, '-srcstoretype', 'PKCS12', '-srcstorepass', password, '-destkeystore', join(dir, file), '-deststoretype', type, '-deststorepass', password], dir);
    }
    stores.keytoolP12 = join(dir, `${name}.keytool.p12`);
    stores.keytoolJks = join(dir, `${name}.keytool.jks`);
  }
  // CMS: KeyDesk converts what openssl wrote, as an operator moving to a .kdb would.
  const converted = spawnSync(process.execPath, [tools.keydesk, '-keydb', '-convert', '-db', stores.opensslP12, '-pw', password, '-new_db', stores.cms, '-new_format', 'cms'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (converted.status !== 0) {
    // Without the CLI (a broken build), write it directly: the bench still shows the rest.
    const signers: SignerEntry[] = certificates.map((certificate, i) => ({ kind: 'signer', label: `signer ${i + 1}`, certificate }));
    writeFileSync(stores.cms, writeCmsStore({ format: 'cms', properties: {}, entries: signers }, password).kdb);
  }
  return stores;
}

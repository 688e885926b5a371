/**
 * Key stores for e2e tests: made at test time by openssl (a peer nobody here wrote), or
 * IBM's own GSKit files copied from ../shared/fixtures/kdb into a temporary folder (never
 * into the repository).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { copyWritable } from '../core/testing/peer-tools';

export const haveOpenssl = spawnSync('openssl', ['version']).error === undefined;

export function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keydesk-e2e-'));
}

/** SHA-256 fingerprint as openssl prints it (AA:BB:…) of a PEM or DER certificate file. */
export function opensslSha256(certificateFile: string, cwd: string, inform: 'PEM' | 'DER' = 'PEM'): string {
  return openssl(['x509', '-in', certificateFile, '-inform', inform, '-noout', '-fingerprint', '-sha256'], cwd).trim().split('=')[1]!;
}

export interface MadeStore {
  dir: string;
  path: string;
  password: string;
  personalLabel: string;
  signerLabel: string;
  /** Signers signed by the root: one expired last year, one expiring in 12 days. */
  expiredLabel: string;
  expiringLabel: string;
  /** SHA-256 fingerprint of the personal certificate as openssl prints it (AA:BB:…). */
  personalSha256: string;
  rootSha256: string;
  /** The personal key's PKCS#8 DER in base64, as openssl wrote it: what must never reach the page. */
  privateKeyBase64: string;
}

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/**
 * A CA, a queue manager certificate it signed (RSA), and two partner certificates with
 * past and near expiry dates (openssl ca, since openssl x509 cannot backdate), in one
 * OpenSSL PKCS#12.
 */
export function makePkcs12WithChain(): MadeStore {
  const dir = tempDir();
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/O=KeyDesk Test/CN=KeyDesk Test Root CA',
      '-days',
      '3650',
    ],
    dir,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'qm.key', '-out', 'qm.csr', '-subj', '/O=KeyDesk Test/CN=QM1'], dir);
  openssl(['x509', '-req', '-in', 'qm.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'qm.pem', '-days', '365'], dir);

  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      'database = index.txt',
      'new_certs_dir = .',
      'serial = ca.serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      'organizationName = optional',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'ca.serial'), '1000\n');
  const day = 24 * 3600 * 1000;
  const partner = (name: string, from: Date, to: Date) => {
    openssl(
      [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/O=Partner/CN=${name}`,
      ],
      dir,
    );
    openssl(
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.pem',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.pem`,
        '-startdate',
        utcStamp(from),
        '-enddate',
        utcStamp(to),
        '-notext',
      ],
      dir,
    );
  };
  partner('expired-partner', new Date(Date.now() - 400 * day), new Date(Date.now() - 35 * day));
  // Noon (local time, the browser's too) twelve calendar days ahead: the badge counts
  // calendar days, so an expiry at now + 12 days read 13 days left when run after 23:00.
  const inTwelveDays = new Date();
  inTwelveDays.setHours(12, 0, 0, 0);
  inTwelveDays.setDate(inTwelveDays.getDate() + 12);
  partner('expiring-partner', new Date(Date.now() - 300 * day), inTwelveDays);
  writeFileSync(join(dir, 'signers.pem'), ['ca.pem', 'expired-partner.pem', 'expiring-partner.pem'].map((f) => readFileSync(join(dir, f), 'utf8')).join(''));

  // Each CA travels as its own named certificate bag: a signer beside the personal entry.
  openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'qm.pem',
      '-inkey',
      'qm.key',
      '-name',
      'ibmwebspheremqqm1',
      '-certfile',
      'signers.pem',
      '-caname',
      'root-ca',
      '-caname',
      'expired-partner',
      '-caname',
      'expiring-partner',
      '-out',
      'qm.p12',
      '-passout',
      'pass:passw0rd',
    ],
    dir,
  );
  const keyPem = readFileSync(join(dir, 'qm.key'), 'utf8');
  if (!keyPem.includes('BEGIN PRIVATE KEY')) throw new Error('openssl wrote the key in another form than PKCS#8');
  return {
    dir,
    path: join(dir, 'qm.p12'),
    password: 'passw0rd',
    personalLabel: 'ibmwebspheremqqm1',
    signerLabel: 'root-ca',
    expiredLabel: 'expired-partner',
    expiringLabel: 'expiring-partner',
    personalSha256: opensslSha256('qm.pem', dir),
    rootSha256: opensslSha256('ca.pem', dir),
    privateKeyBase64: keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
  };
}

/** IBM's GSKit files (see ../shared/fixtures/kdb/PROVENANCE.md); absent on most machines. */
export const gskitFixtures = resolve(__dirname, '../../shared/fixtures/kdb');

export interface NativeKdb {
  dir: string;
  path: string;
  password: string;
}

/** gsk-v6-mixed.kdb and its stash, copied to a temporary folder as key.kdb/key.sth. */
export function copyNativeKdb(name = 'gsk-v6-mixed'): NativeKdb | undefined {
  const kdb = join(gskitFixtures, `${name}.kdb`);
  const sth = join(gskitFixtures, `${name}.sth`);
  if (!existsSync(kdb) || !existsSync(sth)) return undefined;
  const dir = tempDir();
  copyWritable(kdb, join(dir, 'key.kdb'));
  copyWritable(sth, join(dir, 'key.sth'));
  for (const sibling of ['rdb', 'crl']) {
    const file = join(gskitFixtures, `${name}.${sibling}`);
    if (existsSync(file)) copyWritable(file, join(dir, `key.${sibling}`));
  }
  return { dir, path: join(dir, 'key.kdb'), password: 'password' };
}

/**
 * Key stores for e2e tests, made at test time by openssl (a peer nobody here wrote).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const haveOpenssl = spawnSync('openssl', ['version']).error === undefined;

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

export interface MadeStore {
  path: string;
  password: string;
  personalLabel: string;
  signerLabel: string;
  /** SHA-256 fingerprint of the personal certificate as openssl prints it (AA:BB:…). */
  personalSha256: string;
}

/** A CA and a queue manager certificate it signed (RSA), in one OpenSSL PKCS#12. */
export function makePkcs12WithChain(): MadeStore {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-e2e-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=KeyDesk Test/CN=KeyDesk Test Root CA', '-days', '3650'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'qm.key', '-out', 'qm.csr', '-subj', '/O=KeyDesk Test/CN=QM1'], dir);
  openssl(['x509', '-req', '-in', 'qm.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'qm.pem', '-days', '365'], dir);
  // The CA travels as its own certificate bag, named: a signer beside the personal entry.
  openssl(['pkcs12', '-export', '-in', 'qm.pem', '-inkey', 'qm.key', '-name', 'ibmwebspheremqqm1', '-certfile', 'ca.pem', '-caname', 'root-ca', '-out', 'qm.p12', '-passout', 'pass:passw0rd'], dir);
  const fingerprint = openssl(['x509', '-in', 'qm.pem', '-noout', '-fingerprint', '-sha256'], dir).trim().split('=')[1]!;
  return { path: join(dir, 'qm.p12'), password: 'passw0rd', personalLabel: 'ibmwebspheremqqm1', signerLabel: 'root-ca', personalSha256: fingerprint };
}

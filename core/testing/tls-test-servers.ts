/**
 * Servers on 127.0.0.1 for the TLS probe's tests, set up as queue managers are: a PKI made
 * by openssl (a root, an intermediate that issues the queue manager's certificate, and a
 * separate CA for the application), node:tls servers with SSLCAUTH(REQUIRED) or
 * OPTIONAL, `openssl s_server` (which sends alerts as GSKit does), and plain TCP servers
 * for the ports that do not speak TLS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runTool } from './peer-tools';

export interface ProbePki {
  dir: string;
  at(name: string): string;
  subject(pem: string): string;
}

/** Writes root, inter (issued by root), qm (RSA, issued by inter), qm-ec (EC, issued by
 * inter), appca and app (issued by appca), otherca, each as NAME.pem and NAME.key. */
export function makeProbePki(dir: string): ProbePki {
  const at = (name: string) => join(dir, name);
  const o = (...args: string[]) => runTool('openssl', args, { cwd: dir });
  writeFileSync(at('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n');
  writeFileSync(at('server.ext'), 'keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  writeFileSync(at('client.ext'), 'keyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');
  const root = (name: string, cn: string) =>
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/O=KeyDesk Test/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign');
  const issued = (name: string, cn: string, by: string, ext: string, key: string[] = ['-newkey', 'rsa:2048']) => {
    o('req', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=KeyDesk Test/CN=${cn}`);
    o('x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}.key`, '-set_serial', String(Date.now() % 1_000_000_000), '-out', `${name}.pem`, '-days', '30', '-extfile', ext);
  };
  root('root', 'Probe Root CA');
  issued('inter', 'Probe Intermediate CA', 'root', 'ca.ext');
  issued('qm', 'QM1', 'inter', 'server.ext');
  issued('qm-ec', 'QM2', 'inter', 'server.ext', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  root('appca', 'App CA');
  issued('app', 'app', 'appca', 'client.ext');
  root('otherca', 'Other CA');
  const subject = (pem: string) => o('x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253').toString().trim().replace(/^subject=/, '');
  return { dir, at, subject };
}

export interface Running {
  port: number;
  close(): Promise<void>;
}

export interface NodeServerOptions {
  cert: string[];
  key: string;
  /** The CAs it trusts for client certificates, and names in its CertificateRequest. */
  ca?: string[];
  clientAuth?: 'required' | 'optional' | 'none';
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Written once the client's certificate is accepted, as a queue manager would answer. */
  greeting?: string;
}

export async function startNodeTlsServer(o: NodeServerOptions): Promise<Running> {
  const sockets = new Set<Socket>();
  const server: TlsServer = createTlsServer(
    {
      cert: o.cert.map((f) => readFileSync(f)).join(''),
      key: readFileSync(o.key),
      ...(o.ca ? { ca: o.ca.map((f) => readFileSync(f)) } : {}),
      requestCert: (o.clientAuth ?? 'required') !== 'none',
      rejectUnauthorized: (o.clientAuth ?? 'required') === 'required',
      ...(o.minVersion ? { minVersion: o.minVersion } : {}),
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
    },
    (socket) => {
      socket.on('error', () => undefined);
      if (o.greeting) socket.write(o.greeting);
    },
  );
  server.on('tlsClientError', () => undefined);
  return listen(server, sockets);
}

/** `openssl s_server`: refuses an untrusted client certificate with an alert (unknown_ca). */
export async function startOpensslServer(o: { cwd: string; cert: string; key: string; chain?: string; caFile: string; verify: 'required' | 'optional'; tls13Only?: boolean }): Promise<Running> {
  const port = await freePort();
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', o.cert, '-key', o.key, '-CAfile', o.caFile, o.verify === 'required' ? '-Verify' : '-verify', '1', '-verify_return_error', '-quiet', ...(o.chain ? ['-cert_chain', o.chain] : []), ...(o.tls13Only ? ['-tls1_3'] : [])];
  const child: ChildProcess = spawn('openssl', args, { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  await waitForPort(port);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** A TCP port that is not TLS: it writes `banner` (an MQ TSH header, an SSH greeting), or
 * hangs up at the hello ('close'), or says nothing and keeps the connection ('silent'). */
export async function startPlainServer(behaviour: { banner: Buffer | string } | 'close' | 'silent'): Promise<Running> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    if (behaviour === 'close') socket.once('data', () => socket.destroy());
    else if (behaviour !== 'silent') socket.write(behaviour.banner);
  });
  return listen(server, sockets);
}

/** A port nothing listens on (taken, then released). */
export async function refusedPort(): Promise<number> {
  return freePort();
}

async function listen(server: NetServer | TlsServer, sockets: Set<Socket>): Promise<Running> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createNetServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`openssl s_server did not start on port ${port}`);
}

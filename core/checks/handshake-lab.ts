/**
 * The handshake lab: a real TLS handshake on 127.0.0.1 between two key stores, store A as
 * the queue manager (TLS server) and store B as the client, with the CipherSpec mapped to
 * node:tls settings and SSLCAUTH(REQUIRED) by default. Keys go from the loaded stores to
 * OpenSSL in memory only — nothing is written to disk.
 *
 * The verdict is the handshake's; the explanation comes from the stores
 * (handshake-analysis.ts), because node:tls reports failures in OpenSSL's words.
 */
import { createPrivateKey } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { nodeTls } from '../lazy-node-modules';
import { encodePem } from '../formats/pem';
import { generateKeyPair } from '../crypto/key-generation';
import { buildCertificate } from '../x509/certificate-builder';
import { describeCertificate } from '../x509/certificate-details';
import { parseDistinguishedName } from '../x509/distinguished-name-parse';
import { cipherSpecForSuite, DEFAULT_CIPHER_SPEC, tlsSettingsFor, type TlsSettings } from './cipher-specs';
import { analyseHandshake, identityOf, type HandshakeProblem, type LabIdentity, type LabParty } from './handshake-analysis';

export type { LabParty, HandshakeProblem };

export type ClientAuth = 'required' | 'optional';

export interface HandshakeOptions {
  /** SSLCIPH on both ends; ANY_TLS12_OR_HIGHER when absent. */
  cipherSpec?: string;
  /** SSLCAUTH on the queue manager's channel. */
  clientAuth?: ClientAuth;
  /** Also try a client the queue manager does not trust, which must be refused. */
  reverse?: boolean;
  timeoutMs?: number;
  now?: Date;
}

/** What node:tls itself said, for whoever wants OpenSSL's words. */
export interface TlsErrors {
  server?: string;
  client?: string;
}

export interface ReverseCase {
  /** True when the queue manager refused the stranger, as it must. */
  refused: boolean;
  /** The stranger's subject: a throw-away certificate made in memory for this test. */
  client: string;
  message: string;
  tls?: TlsErrors;
}

export interface HandshakeReport {
  ok: boolean;
  /** Negotiated, on success: 'TLSv1.3', and the suite in OpenSSL's and MQ's names. */
  protocol?: string;
  cipher?: string;
  cipherSpec?: string;
  settings: { cipherSpec: string; minVersion: string; maxVersion: string; clientAuth: ClientAuth };
  /** Why it failed (or will fail), in MQ terms: which side, which AMQ message, what to do. */
  problems: HandshakeProblem[];
  notes: string[];
  tls?: TlsErrors;
  reverse?: ReverseCase;
}

interface Attempt {
  ok: boolean;
  protocol?: string;
  cipher?: string;
  errors: TlsErrors;
  /** Set when the queue manager refused the client's certificate (OpenSSL's verify code). */
  clientRefused?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

function pemKey(pkcs8: Uint8Array): string {
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

const pemCertificates = (ders: readonly Uint8Array[]) => ders.map((der) => encodePem('CERTIFICATE', der));

/** OpenSSL's "…:SSL routines:func:reason:file:line…" → "reason". */
function plainTlsError(e: Error): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1];
  return (reason ?? e.message).trim();
}

/**
 * One handshake. Success means the client read the queue manager's first bytes: under
 * TLS 1.3 the client finishes before the server has judged its certificate, so
 * 'secureConnect' alone proves nothing.
 */
async function attempt(server: LabIdentity, client: LabIdentity, settings: TlsSettings, clientAuth: ClientAuth, timeoutMs: number): Promise<Attempt> {
  const errors: TlsErrors = {};
  const common = { minVersion: settings.minVersion, maxVersion: settings.maxVersion, ciphers: settings.ciphers } as const;
  const sockets = new Set<TLSSocket>();
  let clientRefused: string | undefined;
  // OpenSSL refuses to load a certificate signed with MD2 or MD5 ("ca md too weak") before
  // any handshake: that side's attempt fails there, and the analysis says which certificate.
  let tlsServer: ReturnType<ReturnType<typeof nodeTls>["createServer"]>;
  try {
    tlsServer = nodeTls().createServer(
      {
        ...common,
        key: pemKey(server.privateKey),
        cert: pemCertificates(server.presented).join(''),
        // An empty list still replaces Node's public roots: only the store's signers count.
        ca: pemCertificates(server.anchors),
        requestCert: true,
        // Node checks a client certificate only after the TLS handshake either way; doing it
        // here keeps OpenSSL's reason, which Node drops when it hangs up by itself.
        rejectUnauthorized: false,
        honorCipherOrder: true,
      },
      (socket) => {
        sockets.add(socket);
        const sent = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
        // SSLCAUTH(OPTIONAL): a client may send no certificate, but one it sends must verify.
        if (sent ? !socket.authorized : clientAuth === 'required') {
          clientRefused = sent ? String(socket.authorizationError) : 'no certificate sent';
          errors.server = `refused the client's certificate: ${clientRefused}`;
          socket.destroy();
          return;
        }
        socket.end('MQ');
      },
    );
  } catch (e) {
    errors.server = `could not present its certificate: ${plainTlsError(e as Error)}`;
    return { ok: false, errors };
  }
  const serverVerdict = new Promise<void>((resolve) => {
    tlsServer.on('tlsClientError', (e) => {
      errors.server ??= plainTlsError(e);
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    tlsServer.once('error', reject);
    tlsServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = tlsServer.address() as AddressInfo;
  try {
    return await new Promise<Attempt>((resolve) => {
      let protocol: string | undefined;
      let cipher: string | undefined;
      let settled = false;
      let socket: TLSSocket;
      try {
        socket = nodeTls().connect({
          ...common,
          host: '127.0.0.1',
          port,
          key: pemKey(client.privateKey),
          cert: pemCertificates(client.presented).join(''),
          ca: pemCertificates(client.anchors),
          // MQ checks the peer's DN with SSLPEER, not its host name.
          checkServerIdentity: () => undefined,
        });
      } catch (e) {
        errors.client = `could not present its certificate: ${plainTlsError(e as Error)}`;
        resolve({ ok: false, errors });
        return;
      }
      sockets.add(socket);
      const finish = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (ok) {
          resolve({ ok, protocol, cipher, errors });
          return;
        }
        // The server's own verdict may arrive just after the client noticed the hang-up.
        void Promise.race([serverVerdict, new Promise((r) => setTimeout(r, 300))]).then(() => resolve({ ok, protocol, cipher, errors, ...(clientRefused ? { clientRefused } : {}) }));
      };
      const timer = setTimeout(() => {
        errors.client ??= `no answer within ${timeoutMs} ms`;
        finish(false);
      }, timeoutMs);
      socket.once('secureConnect', () => {
        protocol = socket.getProtocol() ?? undefined;
        cipher = socket.getCipher()?.name;
      });
      socket.once('data', () => finish(true));
      socket.once('error', (e) => {
        errors.client ??= plainTlsError(e);
        finish(false);
      });
      socket.once('close', () => finish(false));
    });
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
}

/** A client nobody trusts, made in memory: same kind of key as the real client's. */
async function strangerLike(client: LabIdentity): Promise<LabIdentity> {
  const ec = client.details.keyAlgorithm === 'EC';
  const pair = await generateKeyPair(ec ? { algorithm: 'EC', curve: 'P-256' } : { algorithm: 'RSA', size: 2048 });
  const certificate = buildCertificate({
    subject: parseDistinguishedName('CN=KeyDesk lab stranger,O=Not trusted by the queue manager'),
    subjectPublicKey: pair.publicKey,
    subjectPrivateKey: pair.privateKey,
    hash: 'sha256',
    validityDays: 1,
    profile: 'tls',
  });
  return { ...client, label: 'stranger', privateKey: pair.privateKey, presented: [certificate], details: describeCertificate(certificate) };
}

export async function runHandshakeLab(server: LabParty, client: LabParty, options: HandshakeOptions = {}): Promise<HandshakeReport> {
  const now = options.now ?? new Date();
  const clientAuth = options.clientAuth ?? 'required';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const notes: string[] = [];
  const settings = tlsSettingsFor(options.cipherSpec ?? DEFAULT_CIPHER_SPEC);
  const a = identityOf('queue manager', server, notes);
  const b = identityOf('client', client, notes);
  const predicted = analyseHandshake(a, b, settings, now);
  const tried = await attempt(a, b, settings, clientAuth, timeoutMs);
  const report: HandshakeReport = {
    ok: tried.ok,
    settings: { cipherSpec: settings.cipherSpec, minVersion: settings.minVersion, maxVersion: settings.maxVersion, clientAuth },
    problems: [],
    notes,
  };
  if (tried.ok) {
    report.protocol = tried.protocol;
    report.cipher = tried.cipher;
    const spec = tried.cipher ? cipherSpecForSuite(tried.cipher) : undefined;
    if (spec) report.cipherSpec = spec;
    // GSKit can be stricter than OpenSSL; say what the stores suggest even so.
    for (const p of predicted) notes.push(`node:tls accepted this, but IBM MQ may not: ${p.message}`);
  } else {
    report.tls = tried.errors;
    report.problems = predicted.length > 0 ? predicted : [{ side: 'queue manager', amq: 'AMQ9631 / AMQ9633', message: `the handshake failed for a reason the stores do not show (queue manager: ${tried.errors.server ?? 'no error'}; client: ${tried.errors.client ?? 'no error'}).` }];
  }
  if (options.reverse) report.reverse = await reverseCase(a, b, settings, clientAuth, timeoutMs);
  return report;
}

async function reverseCase(server: LabIdentity, client: LabIdentity, settings: TlsSettings, clientAuth: ClientAuth, timeoutMs: number): Promise<ReverseCase> {
  const stranger = await strangerLike(client);
  const subject = stranger.details.subject;
  const tried = await attempt(server, stranger, settings, clientAuth, timeoutMs);
  if (tried.ok) {
    return { refused: false, client: subject, message: `the queue manager accepted a client it has never trusted (${subject}): check SSLCAUTH and its signer certificates.`, tls: tried.errors };
  }
  if (tried.clientRefused === undefined) {
    // It failed before the queue manager judged the client (the client did not trust the
    // queue manager, or no cipher fitted): that proves nothing about strangers.
    return {
      refused: false,
      client: subject,
      message: `inconclusive: the handshake failed before the queue manager looked at the client's certificate (${tried.errors.client ?? tried.errors.server ?? 'no reason given'}). Make the normal case work first; then the reverse case shows the queue manager's own refusal.`,
      tls: tried.errors,
    };
  }
  return {
    refused: true,
    client: subject,
    message: `as it must, the queue manager refused a client whose certificate (${subject}) is not among its Signer Certificates (${tried.clientRefused}; AMQ9633 at the queue manager, MQRC 2393 or 2059 at the client).`,
    tls: tried.errors,
  };
}

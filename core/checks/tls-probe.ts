/**
 * Examine a live TLS endpoint (issue 17): connect to a queue manager's listener (or any TLS
 * port), presenting the store's personal certificate when a label is given, and say in MQ's
 * terms what the server presented, what it asked for, what was agreed and how it took the
 * client's certificate. An MQ listener whose channel uses TLS speaks TLS from its first
 * byte, so this works against a queue manager's port as against any TLS server.
 *
 * How it sees what node:tls hides: the TLS socket runs over a pass-through stream that
 * keeps a copy of every byte the server sends (tls-server-flight.ts reads them). Under TLS
 * 1.2 the server's Certificate and CertificateRequest (with the CA names it accepts) are
 * in the clear there. Under TLS 1.3 they are encrypted; rather than decrypting the
 * handshake, a second, TLS-1.2-only hello is sent, without a client certificate, and
 * dropped as soon as the server's first flight is read: a server that still allows 1.2
 * shows its list that way, and one that does not is reported as such ("cannot be read
 * under TLS 1.3"). The list a server sends does not depend on the protocol version in
 * OpenSSL or GSKit, so the second look reads the same list.
 *
 * Nothing is written anywhere; the private key goes to OpenSSL in memory only, as in the
 * handshake lab.
 */
import { createPrivateKey } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { nodeNet, nodeStream, nodeTls } from '../lazy-node-modules';
import { KeyDeskError } from '../errors';
import { worded } from '../wording';
import { encodePem } from '../formats/pem';
import { isTrustedSigner, type KeyStore } from '../model/key-store';
import { describeCertificate, certificateNamesOf } from '../x509/certificate-details';
import { formatDistinguishedName } from '../x509/distinguished-name';
import { buildChain } from '../x509/chain-builder';
import { cipherSpecAliases, cipherSpecForSuite, lookupCipherSpec, tlsSettingsFor, type TlsSettings } from './cipher-specs';
import { identityOf, type LabIdentity } from './handshake-analysis';
import { outOfDate, sameIdentity, trustPath } from './trust-path';
import { ALERT_NAMES, readServerFlight, SUITE_NAMES, type ServerFlight } from './tls-server-flight';

export interface TlsProbeOptions {
  host: string;
  port: number;
  /** Server name indication; the host name by default (none for an IP address). MQ
   * clients send `<channel>.chl.mq.ibm.com` to pick a channel's certificate. */
  sni?: string;
  timeoutMs?: number;
  /** Offer only this SSLCIPH and say whether the server agrees to it. */
  cipherSpec?: string;
  /** The store whose signers judge the server's chain, whose personal certificates are
   * matched against the CAs the server lists, and (with `label`) whose certificate is presented. */
  store?: { path: string; store: KeyStore; label?: string };
  now?: Date;
}

export type ProbeFailureKind = 'does-not-resolve' | 'refused' | 'unreachable' | 'timeout' | 'not-tls' | 'closed' | 'handshake';

export interface PresentedCertificate {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** 'RSA 2048', 'EC P-256'. */
  key: string;
  signatureAlgorithm: string;
  sha256: string;
  selfSigned: boolean;
  isCa: boolean;
  /** With a store: its signers verify this certificate (with the ones above it as sent). */
  trusted?: boolean;
  /** With a store: the label of the signer that is this very certificate. */
  signerLabel?: string;
  /** Public data, for Add to Signers. */
  pem: string;
}

export interface ProbeProblem {
  amq?: string;
  message: string;
}

export interface TlsProbeReport {
  host: string;
  port: number;
  sni?: string;
  /** The handshake completed and the server did not refuse the client's certificate. */
  ok: boolean;
  /** Why there was no usable handshake, in one plain line. */
  failure?: { kind: ProbeFailureKind; message: string };
  /** What answered when it was not TLS (printable characters only). */
  banner?: string;
  protocol?: string;
  /** OpenSSL's name (TLS 1.3: the IANA name). */
  cipher?: string;
  /** The MQ SSLCIPH values that negotiate this suite: the CipherSpec and the ANY_* aliases. */
  cipherSpecs: string[];
  /** For -cipherspec: whether the server agreed to it. */
  cipherSpecAsked?: { name: string; agreed: boolean; message: string };
  /** Leaf first, as the server sent it. */
  chain: PresentedCertificate[];
  /** With a store: whether it trusts the server, and if not which signer it lacks. */
  trust?: { trusted: boolean; message: string; missingSigner?: string; amq?: string };
  clientAuth: {
    /** 'unknown' under TLS 1.3 when neither a refusal nor a TLS 1.2 look told. */
    requested: boolean | 'unknown';
    /** The issuers the server accepts (its CertificateRequest); absent when it could not be read. */
    acceptableCas?: string[];
    /** Where the list came from, or why it could not be read. */
    source: string;
    /** Each personal certificate of the store against that list. */
    matches: { label: string; listed: boolean; message: string }[];
  };
  /** With a label: what became of the certificate presented. */
  presented?: { label: string; subject: string; outcome: 'accepted' | 'refused' | 'not-requested'; alert?: string; message: string; amq?: string };
  problems: ProbeProblem[];
  notes: string[];
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** After the handshake, how long to listen for a refusal: a TLS 1.3 server judges the
 * client's certificate after the client has finished, and a queue manager then waits for
 * the client to speak first, so silence this long means the certificate was taken. */
const REFUSAL_WAIT_MS = 1000;

interface Attempt {
  /** Before any TLS byte: the name did not resolve, the port refused, nothing answered. */
  networkError?: NodeJS.ErrnoException;
  connectTimedOut?: boolean;
  tlsTimedOut?: boolean;
  inbound: Buffer;
  secure: boolean;
  protocol?: string;
  cipher?: string;
  /** Node's view of the chain, when the raw bytes could not show it (TLS 1.3). */
  peerChain: Uint8Array[];
  tlsError?: string;
  /** The alert number OpenSSL reported, wherever in the handshake it came. */
  alert?: number;
  /** The server hung up after the handshake (without an alert), or said something. */
  afterHandshake?: 'closed' | 'data' | 'quiet';
}

interface AttemptOptions {
  host: string;
  port: number;
  servername?: string;
  settings: { minVersion: 'TLSv1.2' | 'TLSv1.3'; maxVersion: 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
  identity?: LabIdentity;
  timeoutMs: number;
  /** Stop once the server's first TLS 1.2 flight is in: for reading the CA list only. */
  firstFlightOnly?: boolean;
}

const pemKey = (pkcs8: Uint8Array) => createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();

/** A stream over the TCP socket that keeps a copy of what the server sends; `onInbound`
 * sees each chunk before the TLS client does. */
function tap(raw: Socket, inbound: Buffer[], onInbound?: () => void): Duplex {
  const duplex = new (nodeStream().Duplex)({
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback);
    },
    final(callback) {
      raw.end();
      callback();
    },
    destroy(error, callback) {
      raw.destroy();
      callback(error);
    },
  });
  raw.on('data', (chunk: Buffer) => {
    inbound.push(chunk);
    onInbound?.();
    if (duplex.destroyed) return;
    if (!duplex.push(chunk)) raw.pause();
  });
  raw.on('end', () => duplex.push(null));
  raw.on('error', (e) => duplex.destroy(e));
  return duplex;
}

function chainFromNode(socket: TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  let cert = socket.getPeerCertificate(true) as (ReturnType<TLSSocket['getPeerCertificate']> & { issuerCertificate?: unknown }) | undefined;
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate as typeof cert;
  }
  return chain;
}

function attempt(options: AttemptOptions): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const inbound: Buffer[] = [];
    const result: Attempt = { inbound: Buffer.alloc(0), secure: false, peerChain: [] };
    let tls: TLSSocket | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const raw = nodeNet().connect({ host: options.host, port: options.port });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.inbound = Buffer.concat(inbound);
      tls?.destroy();
      raw.destroy();
      resolve(result);
    };
    timer = setTimeout(() => {
      if (tls) result.tlsTimedOut = true;
      else result.connectTimedOut = true;
      finish();
    }, options.timeoutMs);
    raw.once('error', (e: NodeJS.ErrnoException) => {
      if (!tls) {
        result.networkError = e;
        finish();
      }
    });
    const firstFlightRead = () => {
      const flight = readServerFlight(Buffer.concat(inbound));
      if (flight.serverHelloDone || flight.alert || flight.notTls || flight.serverHello?.protocol === 'TLSv1.3') finish();
    };
    raw.once('connect', () => {
      const identity = options.identity;
      tls = nodeTls().connect({
        // For the CA-list look: the flight is read and the connection dropped before the TLS
        // client can answer it, so that look never completes a handshake.
        socket: tap(raw, inbound, options.firstFlightOnly ? firstFlightRead : undefined),
        ...(options.servername ? { servername: options.servername } : {}),
        minVersion: options.settings.minVersion,
        maxVersion: options.settings.maxVersion,
        ...(options.settings.ciphers ? { ciphers: options.settings.ciphers } : {}),
        ...(identity ? { key: pemKey(identity.privateKey), cert: identity.presented.map((der) => encodePem('CERTIFICATE', der)).join('') } : {}),
        // Trust is judged from the store's signers (trust-path.ts), in MQ's words; an empty
        // list also keeps node's public roots out of the chain it reports.
        ca: [],
        rejectUnauthorized: false,
        // MQ checks the peer's DN with SSLPEER, not its host name.
        checkServerIdentity: () => undefined,
      });
      tls.once('secureConnect', () => {
        result.secure = true;
        result.protocol = tls!.getProtocol() ?? undefined;
        result.cipher = tls!.getCipher()?.name;
        result.peerChain = chainFromNode(tls!);
        if (options.firstFlightOnly) return finish();
        const wait = setTimeout(() => {
          result.afterHandshake = 'quiet';
          finish();
        }, Math.min(REFUSAL_WAIT_MS, options.timeoutMs));
        tls!.once('data', () => {
          clearTimeout(wait);
          result.afterHandshake = 'data';
          finish();
        });
        tls!.once('close', () => {
          clearTimeout(wait);
          result.afterHandshake ??= 'closed';
          finish();
        });
      });
      tls.once('error', (e: Error) => {
        result.tlsError = plainTlsError(e);
        const alert = /alert number (\d+)/i.exec(e.message)?.[1];
        if (alert !== undefined) result.alert = Number(alert);
        finish();
      });
      tls.once('close', () => {
        if (!result.secure) finish();
      });
    });
  });
}

function plainTlsError(e: Error): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1];
  return (reason ?? e.message).trim();
}

const where = (o: { host: string; port: number }) => `${o.host}(${o.port})`;

function networkFailure(e: NodeJS.ErrnoException, o: TlsProbeOptions): { kind: ProbeFailureKind; message: string } {
  const at = where(o);
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return { kind: 'does-not-resolve', message: `the host name ${o.host} does not resolve (${e.code}): check the spelling in CONNAME, or use the IP address.` };
    case 'ECONNREFUSED':
      return { kind: 'refused', message: `${at} refused the connection: nothing listens on port ${o.port} there (is the listener started? check the port in CONNAME and DISPLAY LSSTATUS on the queue manager).` };
    case 'ETIMEDOUT':
      return { kind: 'timeout', message: `${at} did not answer the connection: a firewall may drop it, or the host is down.` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', message: `${at} cannot be reached from here (${e.code}): no route to that host.` };
    default:
      return { kind: 'unreachable', message: `${at}: could not connect (${e.code ?? e.message}).` };
  }
}

/** Printable text of a non-TLS answer, for the banner line. */
function printable(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[^\x20-\x7e]+/g, '·')
    .replace(/^·+|·+$/g, '')
    .slice(0, 80);
}

function notTlsMessage(o: TlsProbeOptions, banner: Uint8Array): string {
  const text = printable(banner);
  if (text.startsWith('TSH')) {
    return `${where(o)} answered in MQ's own protocol (a TSH header), not TLS: the channel it picked has no SSLCIPH. Set SSLCIPH on the channel, or connect without TLS.`;
  }
  return `${where(o)} does not speak TLS: it answered "${text}". Check the port — it may be another service, or an MQ listener whose channel has no SSLCIPH.`;
}

function keyText(d: ReturnType<typeof describeCertificate>): string {
  return [d.keyAlgorithm, d.curve ?? d.keySize].filter((x) => x !== undefined).join(' ');
}

/** The MQ names for a suite: the CipherSpec itself and the ANY_* aliases that reach it. */
export function cipherSpecsForSuite(cipher: string | undefined, protocol: string | undefined): string[] {
  const spec = cipher ? cipherSpecForSuite(cipher) : undefined;
  if (!spec) return [];
  return [spec, ...cipherSpecAliases.filter((a) => (protocol === 'TLSv1.3' || protocol === 'TLSv1.2') && a.minVersion <= protocol && protocol <= a.maxVersion).map((a) => a.name)];
}

/** What an alert from the server means for an MQ client presenting `label`. */
function alertExplanation(alert: number, label: string | undefined, issuer: string | undefined, afterCertificateRequest: boolean): { message: string; amq: string } | undefined {
  const yours = label ? `your certificate "${label}"` : 'the client';
  const client = 'the client sees AMQ9665 (connection closed by the remote end), MQRC 2393 or 2059';
  switch (alert) {
    case 48:
      return { message: `the server does not trust the issuer of ${yours}${issuer ? ` (${issuer})` : ''}: add that CA certificate to the queue manager's key repository and REFRESH SECURITY TYPE(SSL).`, amq: `AMQ9633 at the queue manager; ${client}` };
    case 42:
    case 43:
    case 46:
      return { message: `the server refused ${yours} (${ALERT_NAMES[alert]}): its chain or its key usage is not acceptable there; check that its issuers are in the queue manager's key repository and that it allows clientAuth.`, amq: `AMQ9633 at the queue manager; ${client}` };
    case 45:
      return { message: `the server says ${yours} has expired: renew it.`, amq: `AMQ9633 at the queue manager; ${client}` };
    case 44:
      return { message: `the server says ${yours} is revoked.`, amq: `AMQ9633 / AMQ9716 at the queue manager; ${client}` };
    case 116:
      return { message: `the server requires a client certificate (SSLCAUTH(REQUIRED)) and ${label ? `none was sent` : worded('none was given: use -label with a personal certificate of the store', 'none was given: choose a client certificate of the store')}.`, amq: `AMQ9642 at the queue manager; ${client}` };
    case 40:
      return afterCertificateRequest && !label
        ? { message: worded('the server requires a client certificate (SSLCAUTH(REQUIRED)) and none was given: use -label with a personal certificate of the store.', 'the server requires a client certificate (SSLCAUTH(REQUIRED)) and none was given: choose a client certificate of the store.'), amq: `AMQ9642 at the queue manager; ${client}` }
        : afterCertificateRequest
          ? { message: `the server refused the handshake after ${yours} was sent (handshake_failure): it most likely does not accept the certificate.`, amq: `AMQ9633 at the queue manager; ${client}` }
          : { message: 'the server and this client share no protocol version and cipher (handshake_failure): the channel\'s SSLCIPH differs from what was offered.', amq: 'AMQ9631 / AMQ9616 at the queue manager' };
    case 70:
      return { message: 'the server does not accept the TLS version offered (protocol_version): the channel\'s SSLCIPH fixes another version.', amq: 'AMQ9631 / AMQ9616 at the queue manager' };
    case 71:
      return { message: 'the server refused the ciphers offered as too weak (insufficient_security).', amq: 'AMQ9616 at the queue manager' };
    case 112:
      return { message: worded('the server does not know the server name sent (unrecognized_name): check -sni (an MQ client sends the channel name as <channel>.chl.mq.ibm.com).', 'the server does not know the server name sent (unrecognized_name): check Server name (an MQ client sends the channel name as <channel>.chl.mq.ibm.com).'), amq: 'AMQ9673 / AMQ9631 at the queue manager' };
    case 51:
      return { message: `the server could not verify the signature made with ${yours}'s key (decrypt_error).`, amq: `AMQ9633 at the queue manager; ${client}` };
    default:
      return undefined;
  }
}

export async function probeTlsEndpoint(options: TlsProbeOptions): Promise<TlsProbeReport> {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const notes: string[] = [];
  const problems: ProbeProblem[] = [];
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) throw new KeyDeskError('usage', worded(`-port takes a port number from 1 to 65535, not "${options.port}".`, `the port is a number from 1 to 65535, not "${options.port}".`));
  if (options.host.trim() === '') throw new KeyDeskError('usage', worded('give the host to connect to with -host.', 'give the host to connect to.'));
  const settings: TlsSettings | undefined = options.cipherSpec !== undefined ? tlsSettingsFor(options.cipherSpec) : undefined;
  const label = options.store?.label;
  const identity = options.store && label !== undefined ? identityOf('client', { path: options.store.path, store: options.store.store, label }, notes) : undefined;
  const servername = options.sni ?? (nodeNet().isIP(options.host) ? undefined : options.host);
  const report: TlsProbeReport = {
    host: options.host,
    port: options.port,
    ...(servername ? { sni: servername } : {}),
    ok: false,
    cipherSpecs: [],
    chain: [],
    clientAuth: { requested: 'unknown', source: '', matches: [] },
    problems,
    notes,
  };

  // Without -cipherspec: what a default MQ channel offers (ANY_TLS12_OR_HIGHER's range), with
  // OpenSSL's usual ciphers, so a server that chooses a suite MQ has no name for is shown as such.
  const main = await attempt({
    host: options.host,
    port: options.port,
    servername,
    settings: settings ?? { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
    identity,
    timeoutMs,
  });
  if (main.networkError) {
    report.failure = networkFailure(main.networkError, options);
    return report;
  }
  if (main.connectTimedOut) {
    report.failure = { kind: 'timeout', message: `${where(options)} did not accept the connection within ${timeoutMs / 1000} s: a firewall may drop it, or the host is down.` };
    return report;
  }
  const flight = readServerFlight(main.inbound);
  if (flight.notTls) {
    report.banner = printable(flight.notTls);
    report.failure = { kind: 'not-tls', message: notTlsMessage(options, flight.notTls) };
    return report;
  }
  if (main.inbound.length === 0) {
    report.failure = main.tlsTimedOut
      ? { kind: 'timeout', message: `${where(options)} accepted the connection but sent nothing back to the TLS hello within ${timeoutMs / 1000} s: it is probably not a TLS port (an MQ listener whose channel has no SSLCIPH waits for MQ's own header), or something in between holds the connection.` }
      : { kind: 'closed', message: `${where(options)} closed the connection without answering the TLS hello: it is not a TLS port (an MQ listener whose channel has no SSLCIPH hangs up so), or a firewall cuts it.` };
    return report;
  }

  report.protocol = main.protocol ?? flight.serverHello?.protocol;
  report.cipher = main.cipher ?? (flight.serverHello ? SUITE_NAMES[flight.serverHello.suite] ?? `0x${flight.serverHello.suite.toString(16).padStart(4, '0')}` : undefined);
  report.cipherSpecs = cipherSpecsForSuite(report.cipher, report.protocol);
  if (report.cipher && report.cipherSpecs.length === 0) notes.push(`${report.cipher} is not the suite of any CipherSpec IBM MQ enables: an MQ client could not agree to it.`);

  const alert = flight.alert?.description ?? main.alert;
  const alertName = alert !== undefined ? ALERT_NAMES[alert] ?? `alert ${alert}` : undefined;
  const spec = options.cipherSpec !== undefined ? lookupCipherSpec(options.cipherSpec)?.name ?? options.cipherSpec : undefined;
  if (spec) {
    report.cipherSpecAsked = flight.serverHello
      ? { name: spec, agreed: true, message: `the server agrees to ${spec}${report.cipher ? ` (${report.cipher})` : ''}.` }
      : { name: spec, agreed: false, message: `the server does not agree to ${spec}${alertName ? ` (it answered ${alertName})` : ''}: the channel's SSLCIPH is another CipherSpec (AMQ9631 at the queue manager).` };
  }

  // The chain, exactly as sent where the bytes are readable (TLS 1.2); node's otherwise.
  const chain = flight.certificates ?? main.peerChain;
  const anchors = options.store ? options.store.store.entries.filter(isTrustedSigner) : [];
  report.chain = chain.map((der, i) => {
    const d = describeCertificate(der);
    const signer = anchors.find((s) => sameIdentity(s.certificate, der));
    return {
      subject: d.subject,
      issuer: d.issuer,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      key: keyText(d),
      signatureAlgorithm: d.signatureAlgorithm,
      sha256: d.sha256,
      selfSigned: d.selfSigned,
      isCa: d.basicConstraints?.ca === true,
      ...(options.store ? { trusted: trustPath(der, chain.slice(i + 1), anchors.map((a) => a.certificate)).trusted } : {}),
      ...(signer ? { signerLabel: signer.label } : {}),
      pem: encodePem('CERTIFICATE', der),
    };
  });
  if (chain.length > 0 && options.store) report.trust = judgeTrust(chain, anchors.map((a) => a.certificate), options.store.path);
  for (const late of outOfDate(chain, now)) {
    problems.push({ amq: 'AMQ9633 at the client', message: `${late.subject}, on the server's chain, ${late.expired ? `expired on ${late.date.slice(0, 10)}` : `is not valid before ${late.date.slice(0, 10)}`}: the queue manager must renew it.` });
  }

  // What the server asked for.
  const requestedIn12 = flight.serverHello?.protocol === 'TLSv1.2' && (flight.certificateRequest !== undefined || flight.serverHelloDone === true);
  if (requestedIn12) {
    report.clientAuth.requested = flight.certificateRequest !== undefined;
    report.clientAuth.source = 'read from the TLS 1.2 handshake (CertificateRequest)';
    if (flight.certificateRequest) report.clientAuth.acceptableCas = flight.certificateRequest.caNames.map(nameText);
  } else if (flight.serverHello?.protocol === 'TLSv1.3') {
    const second = await attempt({ host: options.host, port: options.port, servername, settings: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, timeoutMs, firstFlightOnly: true });
    const look = readServerFlight(second.inbound);
    if (look.serverHello?.protocol === 'TLSv1.2' && (look.serverHelloDone || look.certificateRequest)) {
      report.clientAuth.requested = look.certificateRequest !== undefined;
      report.clientAuth.source = 'under TLS 1.3 the request is encrypted; read from a second, TLS 1.2 hello (no certificate sent), which this server also accepts';
      if (look.certificateRequest) report.clientAuth.acceptableCas = look.certificateRequest.caNames.map(nameText);
    } else {
      report.clientAuth.source = 'cannot be read: under TLS 1.3 the CertificateRequest is encrypted, and this server refuses TLS 1.2, where it is sent in the clear';
    }
  } else {
    report.clientAuth.source = 'not reached: the handshake stopped before the server asked';
  }
  if (alert === 116) report.clientAuth.requested = true;
  if (report.clientAuth.acceptableCas && options.store) report.clientAuth.matches = matchPersonal(options.store.store, report.clientAuth.acceptableCas);
  if (report.clientAuth.acceptableCas?.length === 0) notes.push('the server asks for a client certificate but names no CAs: it accepts any issuer in its key repository.');

  const asked = report.clientAuth.requested === true || flight.certificateRequest !== undefined;
  const issuer = identity?.details.issuer;
  if (main.secure && alert === undefined && main.afterHandshake !== 'closed') {
    report.ok = true;
    if (identity) {
      const requested = report.clientAuth.requested;
      const who = { label: identity.label, subject: identity.details.subject };
      report.presented =
        requested === false
          ? { ...who, outcome: 'not-requested', message: `the server did not ask for a client certificate, so "${identity.label}" was not sent (a queue manager asks even under SSLCAUTH(OPTIONAL): this may not be one).` }
          : requested === true
            ? { ...who, outcome: 'accepted', message: `the server accepted "${identity.label}" (${identity.details.subject}).` }
            : { ...who, outcome: 'accepted', message: `the server completed the handshake without refusing "${identity.label}" (${identity.details.subject}); whether it asked for it cannot be seen under TLS 1.3.` };
    }
  } else if (main.secure && alert === undefined && main.afterHandshake === 'closed') {
    const message = identity
      ? `the server closed the connection right after the handshake, without an alert: it most likely refused "${identity.label}" (${identity.details.subject}) after checking it.`
      : worded('the server closed the connection right after the handshake, without an alert: it most likely wants a client certificate (use -label).', 'the server closed the connection right after the handshake, without an alert: it most likely wants a client certificate (choose one).');
    report.failure = { kind: 'handshake', message: `${where(options)}: ${message}` };
    if (identity) report.presented = { label: identity.label, subject: identity.details.subject, outcome: 'refused', message, amq: 'AMQ9633 or AMQ9642 at the queue manager; the client sees AMQ9665' };
    else problems.push({ amq: 'AMQ9642 at the queue manager', message });
  } else {
    const explained = alert !== undefined ? alertExplanation(alert, identity?.label, issuer, asked || flight.serverHello !== undefined) : undefined;
    const refusedSpec = report.cipherSpecAsked?.agreed === false ? report.cipherSpecAsked.message : undefined;
    const reason = refusedSpec ?? explained?.message ?? (alertName ? `the server ended the handshake with ${alertName}.` : main.tlsTimedOut ? `the handshake did not finish within ${timeoutMs / 1000} s.` : `the handshake failed: ${main.tlsError ?? 'the connection closed'}.`);
    report.failure = { kind: main.tlsTimedOut && alert === undefined ? 'timeout' : 'handshake', message: `${where(options)}: ${reason}` };
    const aboutCertificate = alert !== undefined && [40, 42, 43, 44, 45, 46, 48, 49, 51, 116].includes(alert) && flight.serverHello !== undefined;
    // Said once: as what became of the certificate presented, else as a problem.
    if (identity && aboutCertificate) report.presented = { label: identity.label, subject: identity.details.subject, outcome: 'refused', ...(alertName ? { alert: alertName } : {}), message: reason, ...(explained ? { amq: explained.amq } : {}) };
    else if (!refusedSpec) problems.push({ ...(explained ? { amq: explained.amq } : {}), message: reason });
    if (main.tlsError && alert === undefined) notes.push(`node:tls said: ${main.tlsError}`);
  }
  return report;
}

function nameText(der: Uint8Array): string {
  try {
    return formatDistinguishedName(der);
  } catch {
    return `(a name KeyDesk cannot read: ${Buffer.from(der).toString('hex').slice(0, 40)}…)`;
  }
}

function judgeTrust(chain: Uint8Array[], anchors: Uint8Array[], storePath: string): NonNullable<TlsProbeReport['trust']> {
  const verdict = trustPath(chain[0]!, chain.slice(1), anchors);
  const leaf = certificateNamesOf(chain[0]!).subject;
  if (verdict.trusted) {
    const root = certificateNamesOf(verdict.chain[verdict.chain.length - 1]!).subject;
    return { trusted: true, message: `${storePath} trusts the server's certificate (${leaf}): its chain ends at ${root}, one of the store's signers.` };
  }
  if (verdict.reason === 'issuer-missing') {
    const sentIncomplete = !chain.some((der) => certificateNamesOf(der).subject === verdict.missingIssuer);
    return {
      trusted: false,
      missingSigner: verdict.missingIssuer,
      amq: 'AMQ9633 at the client (MQRC 2393)',
      message: `${storePath} lacks the signer ${verdict.missingIssuer}, the issuer of ${verdict.stopsAt}${sentIncomplete ? ', and the server did not send it (an incomplete chain)' : ''}. Add that CA certificate to the store's Signer Certificates (get it from the CA or the queue manager's administrator).`,
    };
  }
  const presentedRoot = chain.some((der) => sameIdentity(der, verdict.chain[verdict.chain.length - 1]!));
  return {
    trusted: false,
    missingSigner: verdict.root,
    amq: 'AMQ9633 at the client (MQRC 2393)',
    message: presentedRoot
      ? `${storePath} does not trust ${verdict.root}, the root of the server's chain. The server sent it: compare its SHA-256 fingerprint with the one the queue manager's administrator gives, then add it to the store's Signer Certificates.`
      : `${storePath} does not trust ${verdict.root}, where the server's chain ends. Add that CA certificate to the store's Signer Certificates.`,
  };
}

/** Each personal certificate of the store: is one of its issuers among the CAs the server lists? */
function matchPersonal(store: KeyStore, cas: string[]): TlsProbeReport['clientAuth']['matches'] {
  if (cas.length === 0) return [];
  const listed = new Set(cas);
  const signers = store.entries.flatMap((e) => (e.kind === 'signer' ? [e.certificate] : []));
  return store.entries.flatMap((e) => {
    if (e.kind !== 'personal' || e.chain.length === 0) return [];
    const chain = buildChain(e.chain[0]!, [...e.chain.slice(1), ...signers]).chain;
    const issuers = chain.map((der) => certificateNamesOf(der).issuer);
    const hit = issuers.find((dn) => listed.has(dn));
    const own = certificateNamesOf(e.chain[0]!).issuer;
    return [
      hit
        ? { label: e.label, listed: true, message: `your ${e.label} is issued under ${hit}, which the server lists.` }
        : { label: e.label, listed: false, message: `your ${e.label} is issued by a CA the server does not list (${own}): the server will refuse it unless that CA is added to its key repository.` },
    ];
  });
}

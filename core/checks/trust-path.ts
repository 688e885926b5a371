/**
 * Would a peer holding `anchors` as its signer certificates accept `leaf`, presented with
 * `presented` (the chain the owner sends)? The doctor asks it of a store about itself,
 * the handshake lab of each side about the other; both need the answer in MQ's terms —
 * which certificate's issuer is missing, by DN — which a TLS stack's one-word error lacks.
 */
import { X509Certificate } from 'node:crypto';
import { buildChain, isUncheckableRoot, issued } from '../x509/chain-builder';
import { certificateNamesOf, describeCertificate } from '../x509/certificate-details';

export type TrustVerdict =
  | { trusted: true; chain: Uint8Array[] }
  /** The chain stops at `stopsAt`: nothing offered or trusted issued it. */
  | { trusted: false; reason: 'issuer-missing'; chain: Uint8Array[]; stopsAt: string; missingIssuer: string }
  /** The chain reaches a root, but only a copy the peer sent, not one it trusts. */
  | { trusted: false; reason: 'root-not-trusted'; chain: Uint8Array[]; root: string };

/** Subject and key: a re-issued root (new dates or signature, same name and key) is the
 * same trust anchor to OpenSSL and GSKit alike. */
export function sameIdentity(a: Uint8Array, b: Uint8Array): boolean {
  if (Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0) return true;
  try {
    const x = new X509Certificate(a);
    const y = new X509Certificate(b);
    return x.subject === y.subject && x.publicKey.equals(y.publicKey);
  } catch {
    return false;
  }
}

export function trustPath(leaf: Uint8Array, presented: readonly Uint8Array[], anchors: readonly Uint8Array[]): TrustVerdict {
  // Anchors first: where the peer holds a certificate itself, its own copy is the one used.
  const built = buildChain(leaf, [...anchors, ...presented]);
  const last = built.chain[built.chain.length - 1]!;
  const lastDetails = describeCertificate(last);
  // buildChain asks OpenSSL whether a certificate issued itself, which also wants
  // keyCertSign; a self-signed end-entity certificate (KeyDesk's, keytool's) lacks it yet
  // is its own root to every TLS stack, so "names match and the signature verifies" decides.
  if (!built.complete && !lastDetails.selfSigned) {
    return { trusted: false, reason: 'issuer-missing', chain: built.chain, stopsAt: lastDetails.subject, missingIssuer: lastDetails.issuer };
  }
  if (anchors.some((a) => sameIdentity(a, last))) return { trusted: true, chain: built.chain };
  return { trusted: false, reason: 'root-not-trusted', chain: built.chain, root: lastDetails.subject };
}

/** The certificates in `chain` that are outside their validity period at `now`. */
export interface OutOfDate {
  subject: string;
  /** True: expired on `date`; false: not valid before `date`. */
  expired: boolean;
  date: string;
}

export function outOfDate(chain: readonly Uint8Array[], now: Date): OutOfDate[] {
  return chain.flatMap((der): OutOfDate[] => {
    const d = describeCertificate(der);
    if (Date.parse(d.notAfter) < now.getTime()) return [{ subject: d.subject, expired: true, date: d.notAfter }];
    if (Date.parse(d.notBefore) > now.getTime()) return [{ subject: d.subject, expired: false, date: d.notBefore }];
    return [];
  });
}

const bytesKey = (der: Uint8Array) => Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');

/** A certificate by name; loaded into OpenSSL only when a chain reaches it. */
class Indexed {
  private loaded: X509Certificate | null | undefined;

  constructor(
    readonly der: Uint8Array,
    readonly subject: string,
    readonly issuer: string,
  ) {}

  get x509(): X509Certificate | undefined {
    if (this.loaded === undefined) {
      try {
        this.loaded = new X509Certificate(this.der);
      } catch {
        this.loaded = null;
      }
    }
    return this.loaded ?? undefined;
  }

  static of(der: Uint8Array): Indexed | undefined {
    try {
      const { subject, issuer } = certificateNamesOf(der);
      return new Indexed(der, subject, issuer);
    } catch {
      return undefined;
    }
  }
}

/**
 * Chains for many certificates of one store at once. buildChain tries every candidate
 * for every link, which is fine for one entry and quadratic for a doctor walking
 * thousands of signers; here issuers are looked up by name first (read from the DER, no
 * OpenSSL object per certificate) and only those are checked by signature, as OpenSSL's
 * own lookup does.
 */
export class IssuerIndex {
  private readonly bySubject = new Map<string, Indexed[]>();
  private readonly byBytes = new Map<string, Indexed>();

  constructor(certificates: readonly Uint8Array[]) {
    for (const der of certificates) this.add(der);
  }

  private add(der: Uint8Array): void {
    const indexed = Indexed.of(der);
    if (!indexed) return;
    const list = this.bySubject.get(indexed.subject) ?? [];
    list.push(indexed);
    this.bySubject.set(indexed.subject, list);
    this.byBytes.set(bytesKey(der), indexed);
  }

  /** Leaf first, then issuers; `complete` when it ends at a certificate that signed itself
   * (names equal and its own key verifies it: keyCertSign is not asked for, see trustPath;
   * or an MD2 root, whose own signature OpenSSL cannot check). */
  chain(leaf: Uint8Array, extra: readonly Uint8Array[] = []): { chain: Uint8Array[]; complete: boolean } {
    const local = extra.length > 0 ? new IssuerIndex(extra) : undefined;
    // A leaf that is one of the index's own certificates is already read.
    const first = this.byBytes.get(bytesKey(leaf)) ?? Indexed.of(leaf);
    if (!first) return { chain: [leaf], complete: false };
    let current: Indexed = first;
    const chain = [leaf];
    const seen = new Set([bytesKey(leaf)]);
    for (;;) {
      // OpenSSL is asked only where names say a signature is worth checking.
      if (current.subject === current.issuer && ((current.x509 && verifies(current.x509, current.x509)) || isUncheckableRoot(current.der))) return { chain, complete: true };
      const candidates: Indexed[] = [...(this.bySubject.get(current.issuer) ?? []), ...(local?.bySubject.get(current.issuer) ?? [])];
      const own = candidates.length > 0 ? current.x509 : undefined;
      const issuer: Indexed | undefined = own && candidates.find((c) => !seen.has(bytesKey(c.der)) && c.x509 !== undefined && issued(c.x509, own));
      if (!issuer) return { chain, complete: false };
      chain.push(issuer.der);
      seen.add(bytesKey(issuer.der));
      current = issuer;
    }
  }
}

function verifies(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

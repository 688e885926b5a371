/**
 * The chain a peer would build: from a certificate up through the issuers the store
 * holds, each checked by signature, not just by name. A CMS database keeps issuers as
 * separate signer entries, so a personal entry's chain exists only as this walk; the
 * doctor uses the same walk to find a missing intermediate.
 */
import { X509Certificate } from 'node:crypto';
import { describedCertificate, uncheckableSignatureBy } from './certificate-details';

export interface BuiltChain {
  /** Leaf first; each next one issued the previous. */
  chain: Uint8Array[];
  /** True when the last certificate is self-signed (a root was reached), counting a root
   * whose own MD2 signature OpenSSL cannot check (see isUncheckableRoot). */
  complete: boolean;
}

function parse(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** `issuer` issued `subject`: names, key identifiers and key usage agree (checkIssued) and
 * the signature verifies — or, for an MD2 signature OpenSSL cannot verify, opens with the
 * issuer's key, so the chain names the issuer that signed it (its weak signature is the
 * Doctor's WEAK_SIGNATURE and a problem for -cert -validate, not a missing issuer). */
export function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && (subject.verify(issuer.publicKey) || uncheckableSignatureBy(new Uint8Array(subject.raw), issuer.publicKey) !== undefined);
  } catch {
    return false;
  }
}

/** A self-signed certificate whose own signature OpenSSL 3 cannot check (MD2): OpenSSL's
 * verify says no, yet it is a root (certificate-details.ts says why). */
export function isUncheckableRoot(der: Uint8Array): boolean {
  try {
    return describedCertificate(der).selfSignatureNotCheckable !== undefined;
  } catch {
    return false;
  }
}

export function buildChain(leaf: Uint8Array, candidates: readonly Uint8Array[]): BuiltChain {
  const pool = candidates.map((der) => ({ der, cert: parse(der) })).filter((c) => c.cert !== undefined) as { der: Uint8Array; cert: X509Certificate }[];
  const chain = [leaf];
  let current = parse(leaf);
  const seen = new Set<string>(current ? [current.fingerprint256] : []);
  while (current) {
    if (issued(current, current) || (current.subject === current.issuer && isUncheckableRoot(chain[chain.length - 1]!))) return { chain, complete: true };
    const next = pool.find((c) => !seen.has(c.cert.fingerprint256) && issued(c.cert, current!));
    if (!next) return { chain, complete: false };
    chain.push(next.der);
    seen.add(next.cert.fingerprint256);
    current = next.cert;
  }
  return { chain, complete: false };
}

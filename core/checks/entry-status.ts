/**
 * What an entry is and what is wrong with it, in the words the table shows and the CSV
 * writes, so a help desk reading either one over the phone says the same thing. Imports
 * nothing from Node: the renderer shares it.
 */
import type { EntrySummary } from '../api/contract';

export function statusOf(entry: EntrySummary): string {
  if (entry.reason) return 'Cannot be read';
  switch (entry.kind) {
    case 'personal':
      if (entry.chainLength === 0) return 'Key without certificate';
      return entry.selfSigned ? 'Self-signed, with key' : 'CA-signed, with key';
    case 'signer':
      if (entry.trusted === false) return 'Not trusted (kept)';
      if (entry.selfSigned) return entry.basicConstraints?.ca ? 'Trusted root CA' : 'Trusted self-signed';
      return entry.basicConstraints?.ca ? 'Trusted intermediate CA' : 'Trusted certificate';
    case 'request':
      return 'Awaiting signed certificate';
    default:
      return '';
  }
}

export interface Weakness {
  /** 'Weak key' or 'Weak signature': the words on the badge. */
  words: 'Weak key' | 'Weak signature';
  /** Why, in one line. */
  why: string;
}

/** What makes a key too weak: RSA or DSA below 2048 bits, EC below 256. One rule for the
 * table's badge, the CSV and the Doctor's WEAK_KEY. */
export function keyWeakness(entry: Pick<EntrySummary, 'keyAlgorithm' | 'keySize' | 'curve'>): string | undefined {
  const size = entry.keySize;
  const rsaLike = entry.keyAlgorithm === 'RSA' || entry.keyAlgorithm === 'RSASSA-PSS' || entry.keyAlgorithm === 'DSA';
  if (size === undefined || !((rsaLike && size < 2048) || (entry.keyAlgorithm === 'EC' && size < 256))) return undefined;
  return entry.curve ? `EC ${entry.curve}` : `${size}-bit ${entry.keyAlgorithm}`;
}

export interface SignatureWeakness {
  /** The digest as people name it: 'MD2', 'MD4', 'MD5', 'SHA-1'. */
  digest: string;
  /** MD2, MD4 and MD5 are refused outright; SHA-1 is being refused. */
  refused: boolean;
  /** A self-signed root: its own signature is never checked in a handshake, so whatever
   * its digest it is worth knowing only. */
  anchor: boolean;
  /** Why, in one clause, naming the digest as it is. */
  why: string;
}

const WEAK_DIGESTS: Record<string, { digest: string; refused: boolean }> = {
  MD2: { digest: 'MD2', refused: true },
  MD4: { digest: 'MD4', refused: true },
  MD5: { digest: 'MD5', refused: true },
  SHA1: { digest: 'SHA-1', refused: false },
};

/**
 * The one weak-signature rule, for the table's badge, the CSV, the HTML report and the
 * Doctor's WEAK_SIGNATURE alike: the same certificate gets the same verdict everywhere,
 * whichever of MD2, MD5 or SHA-1 signed it.
 */
export function signatureWeakness(entry: Pick<EntrySummary, 'signatureAlgorithm' | 'selfSigned'>): SignatureWeakness | undefined {
  const match = /^(MD[245]|SHA1)with/i.exec(entry.signatureAlgorithm ?? '');
  const weak = match ? WEAK_DIGESTS[match[1]!.toUpperCase()] : undefined;
  if (!weak) return undefined;
  const anchor = entry.selfSigned === true;
  const why = anchor
    ? `as a self-signed root its own ${weak.digest} signature is not checked in a handshake, but it shows its age`
    : weak.refused
      ? `IBM MQ (under TLS 1.2 and later) and current TLS stacks refuse certificates signed with ${weak.digest} (AMQ9633)`
      : 'SHA-1 signatures are being refused by TLS stacks (OpenSSL at security level 1 and above, Java)';
  return { ...weak, anchor, why };
}

/** "self-signature not checkable (MD2)" for a root whose own signature OpenSSL cannot check
 * (certificate-details.ts, selfSignatureNotCheckable), where every front end says so. */
export function selfSignatureNote(entry: Pick<EntrySummary, 'selfSignatureNotCheckable'>): string | undefined {
  return entry.selfSignatureNotCheckable ? `self-signature not checkable (${entry.selfSignatureNotCheckable})` : undefined;
}

/** The badge: a weak key, or a weak signature on anything but a self-signed root. */
export function weaknessOf(entry: Pick<EntrySummary, 'keyAlgorithm' | 'keySize' | 'curve' | 'signatureAlgorithm' | 'selfSigned'>): Weakness | undefined {
  const key = keyWeakness(entry);
  if (key) return { words: 'Weak key', why: `${key} key: below 2048-bit RSA or 256-bit EC, current TLS stacks refuse it` };
  const signature = signatureWeakness(entry);
  if (signature && !signature.anchor) return { words: 'Weak signature', why: `signed with ${entry.signatureAlgorithm}: ${signature.why}` };
  return undefined;
}

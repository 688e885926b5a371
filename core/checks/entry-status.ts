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

/**
 * The Doctor's thresholds (WEAK_KEY, WEAK_SIGNATURE in doctor.ts): RSA or DSA below 2048
 * bits, EC below 256; an MD5 or SHA-1 signature, except on a self-signed root, whose own
 * signature no handshake checks.
 */
export function weaknessOf(entry: Pick<EntrySummary, 'keyAlgorithm' | 'keySize' | 'curve' | 'signatureAlgorithm' | 'selfSigned'>): Weakness | undefined {
  const size = entry.keySize;
  const rsaLike = entry.keyAlgorithm === 'RSA' || entry.keyAlgorithm === 'RSASSA-PSS' || entry.keyAlgorithm === 'DSA';
  if (size !== undefined && ((rsaLike && size < 2048) || (entry.keyAlgorithm === 'EC' && size < 256))) {
    const key = entry.curve ? `EC ${entry.curve}` : `${size}-bit ${entry.keyAlgorithm}`;
    return { words: 'Weak key', why: `${key} key: below 2048-bit RSA or 256-bit EC, current TLS stacks refuse it` };
  }
  const algorithm = entry.signatureAlgorithm ?? '';
  if (/^(MD[25]|SHA1)with/i.test(algorithm) && !entry.selfSigned) {
    return { words: 'Weak signature', why: `signed with ${algorithm}: TLS stacks refuse MD5 and SHA-1 signatures` };
  }
  return undefined;
}

/**
 * PKCS#10 certification requests (RFC 2986), as runmqakm -certreq -create writes them for
 * a CA to sign. Requested subject alternative names go in a PKCS#9 extensionRequest
 * attribute, the form OpenSSL, GSKit and Windows CAs all read.
 */
import { asn1, encodeDer, oidToDer, toBinary, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import {
  embedDer,
  extendedKeyUsageExtensionValue,
  extensionNode,
  keyUsageExtensionValue,
  loadPublicKey,
  loadSigningKey,
  signingKeyMatches,
  type KeyHoldingSigner,
  signerFor,
  subjectAltNameValue,
  type ExtendedKeyUsageName,
  type KeyUsageName,
  type SigningHash,
  type SubjectAltNames,
} from './certificate-builder';
import { nameAttributes } from './distinguished-name';

const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXTENDED_KEY_USAGE = '2.5.29.37';

export interface CertificationRequestInput {
  /** An X.501 Name: a forge node (parseDistinguishedName's result) or its DER. */
  subject: Asn1 | Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  publicKey: Uint8Array;
  /** PKCS#8 DER, or a signer for a key held on a token; signs the request, proving the requester holds it. */
  privateKey: Uint8Array | KeyHoldingSigner;
  hash: SigningHash;
  rsaPss?: boolean;
  /** As in CertificateInput: SHA-1 only when asked for by name. */
  allowSha1?: boolean;
  subjectAltNames?: SubjectAltNames;
  /** runmqakm -ku / -eku on a request: asked for in the extensionRequest; the CA decides. */
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: ExtendedKeyUsageName[];
}

/** A signed PKCS#10 request (DER). */
export function buildCertificationRequest(input: CertificationRequestInput): Uint8Array {
  const privateKey = loadSigningKey(input.privateKey, 'the private key');
  if (!signingKeyMatches(privateKey, loadPublicKey(input.publicKey, 'the public key'))) {
    throw new KeyDeskError('usage', 'the private key does not belong to the public key of the request');
  }
  const signer = signerFor(privateKey, input.hash, 'the private key', input.rsaPss ?? false, input.allowSha1 ?? false);
  const subject = embedDer(input.subject, 'the subject name');
  const emptySubject = nameAttributes(subject).length === 0;
  const subjectAltName = subjectAltNameValue(input.subjectAltNames);
  if (emptySubject && !subjectAltName) throw new KeyDeskError('usage', 'a request with an empty subject needs at least one subject alternative name');

  const requested: Asn1[] = [];
  if (subjectAltName) requested.push(extensionNode(OID_SUBJECT_ALT_NAME, emptySubject, subjectAltName));
  if (input.keyUsage) requested.push(extensionNode(OID_KEY_USAGE, true, keyUsageExtensionValue(input.keyUsage)));
  if (input.extendedKeyUsage) requested.push(extensionNode(OID_EXTENDED_KEY_USAGE, false, extendedKeyUsageExtensionValue(input.extendedKeyUsage)));
  const attributes: Asn1[] = [];
  if (requested.length > 0) {
    const extensions = asn1.create(U, T.SEQUENCE, true, requested);
    attributes.push(
      asn1.create(U, T.SEQUENCE, true, [asn1.create(U, T.OID, false, oidToDer(OID_EXTENSION_REQUEST)), asn1.create(U, T.SET, true, [extensions])]),
    );
  }
  const info = asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.INTEGER, false, '\x00'), // v1, the only version
    subject,
    embedDer(input.publicKey, 'the public key'),
    // [0] IMPLICIT SET OF Attribute; present even when empty, as RFC 2986 requires.
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
  ]);
  const signature = signer.sign(encodeDer(info));
  return encodeDer(asn1.create(U, T.SEQUENCE, true, [info, signer.algorithm, asn1.create(U, T.BITSTRING, false, `\x00${toBinary(signature)}`)]));
}

/**
 * The facts about a pending PKCS#10 certificate request (RFC 2986) that a key store's
 * request entry shows: what was asked for, with which key. Field names and spellings are
 * those of CertificateDetails, so a request and a certificate list side by side.
 */
import { createHash } from 'node:crypto';
import { asn1, derToOid, encodeDer, parseDer, type Asn1 } from '../asn1/der';
import { KeyDeskError } from '../errors';
import { describePublicKey } from '../crypto/key-info';
import { formatDistinguishedName } from './distinguished-name';
import { Malformed, extensionValues, readExtension, signatureAlgorithmName, subjectAltNamesOf } from './certificate-details';

export interface CertificationRequestDetails {
  /** RFC 4514, as for certificates. */
  subject: string;
  keyAlgorithm: string;
  keySize?: number;
  curve?: string;
  /** Java name, as keytool -printcertreq prints it. */
  signatureAlgorithm: string;
  /** From the extensionRequest attribute, in CertificateDetails' spelling. */
  subjectAltNames: string[];
  /** Lowercase hex SHA-256 of the whole DER. */
  sha256: string;
}

/** PKCS#9 extensionRequest, and the Microsoft attribute older Windows CAs' tools write
 * with the same Extensions syntax. */
const EXTENSION_REQUEST_OIDS = new Set(['1.2.840.113549.1.9.14', '1.3.6.1.4.1.311.2.1.14']);
const EXT_SUBJECT_ALT_NAME = '2.5.29.17';

function malformed(what: string): KeyDeskError {
  return new KeyDeskError('damaged', `certification request is malformed: ${what}`);
}

function sequence(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || node.tagClass !== asn1.Class.UNIVERSAL || node.type !== asn1.Type.SEQUENCE || !Array.isArray(node.value)) {
    throw malformed(`${what} is not a SEQUENCE`);
  }
  return node.value;
}

/** The Extensions value of the first extension-request attribute, if any. Exported for
 * the certificate builder, which copies requested SANs when it signs a request. */
export function requestedExtensions(attributes: Asn1 | undefined): Asn1 | undefined {
  if (!attributes || !Array.isArray(attributes.value)) return undefined;
  for (const attribute of attributes.value) {
    const [type, values] = sequence(attribute, 'an attribute');
    if (type?.type !== asn1.Type.OID || typeof type.value !== 'string') throw malformed('an attribute type is not an OID');
    if (!EXTENSION_REQUEST_OIDS.has(derToOid(type.value))) continue;
    const first = Array.isArray(values?.value) ? values.value[0] : undefined;
    if (!first) throw malformed('the extension request has no value');
    return first;
  }
  return undefined;
}

export function describeCertificationRequest(der: Uint8Array): CertificationRequestDetails {
  let root: Asn1;
  try {
    root = parseDer(der);
  } catch (e) {
    throw new KeyDeskError('damaged', `certification request is not valid DER: ${(e as Error).message}`);
  }
  const [info, signatureAlgorithm] = sequence(root, 'the request');
  const [, subject, spki, ...rest] = sequence(info, 'certificationRequestInfo');
  if (!subject || !spki || !signatureAlgorithm) throw malformed('certificationRequestInfo is missing fields');
  // attributes is [0] IMPLICIT SET OF Attribute; some generators omit it when empty.
  const attributes = rest.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  let extensions: Map<string, Uint8Array>;
  let algorithm: string;
  try {
    extensions = extensionValues(requestedExtensions(attributes));
    algorithm = signatureAlgorithmName(signatureAlgorithm);
  } catch (e) {
    if (e instanceof Malformed) throw malformed(e.message);
    throw e;
  }
  return {
    subject: formatDistinguishedName(subject),
    ...describePublicKey(encodeDer(spki), 'spki'),
    signatureAlgorithm: algorithm,
    subjectAltNames: readExtension(extensions, EXT_SUBJECT_ALT_NAME, subjectAltNamesOf) ?? [],
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}

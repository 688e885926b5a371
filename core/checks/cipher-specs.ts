/**
 * IBM MQ CipherSpecs (SSLCIPH values) as /work/shared/MQ.md lists them for AIX, Linux and
 * Windows: which protocol each fixes, which key the certificate must carry, the OpenSSL
 * (Node) name of the suite, and whether MQ still accepts it by default. The doctor judges
 * a spec with this table and the handshake lab turns it into node:tls settings.
 */
import { KeyDeskError } from '../errors';

export type TlsProtocol = 'TLSv1.3' | 'TLSv1.2' | 'TLSv1' | 'SSLv3';

/** The key a certificate needs for a spec: TLS 1.3 suites name none. */
export type RequiredKey = 'RSA' | 'EC' | 'any';

/**
 * enabled: MQ accepts it out of the box. weak: MQ disables it unless the operator turns
 * weak specs back on. deprecated: the protocol itself is off (TLS 1.0 needs
 * AMQ_TLS_V1_ENABLE, SSL 3.0 is gone).
 */
export type CipherSpecStatus = 'enabled' | 'weak' | 'deprecated';

export interface CipherSpec {
  name: string;
  protocol: TlsProtocol;
  /** OpenSSL's name; for TLS 1.3 the IANA name, which is also MQ's. */
  openssl?: string;
  key: RequiredKey;
  status: CipherSpecStatus;
}

/** ANY_* aliases: MQ negotiates among the enabled specs within a protocol range. */
export interface CipherSpecAlias {
  name: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  alias: true;
}

const tls13 = (name: string): CipherSpec => ({ name, protocol: 'TLSv1.3', openssl: name, key: 'any', status: 'enabled' });
const tls12 = (name: string, openssl: string | undefined, key: RequiredKey, status: CipherSpecStatus = 'enabled'): CipherSpec => ({ name, protocol: 'TLSv1.2', openssl, key, status });

/** In IBM's preference order within each protocol (MQ.md). */
const SPECS: CipherSpec[] = [
  tls13('TLS_CHACHA20_POLY1305_SHA256'),
  tls13('TLS_AES_256_GCM_SHA384'),
  tls13('TLS_AES_128_GCM_SHA256'),
  tls13('TLS_AES_128_CCM_SHA256'),
  tls13('TLS_AES_128_CCM_8_SHA256'),
  tls12('ECDHE_ECDSA_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'EC'),
  tls12('ECDHE_ECDSA_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'EC'),
  tls12('ECDHE_ECDSA_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'EC'),
  tls12('ECDHE_ECDSA_AES_256_CBC_SHA384', 'ECDHE-ECDSA-AES256-SHA384', 'EC'),
  tls12('ECDHE_RSA_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'RSA'),
  tls12('ECDHE_RSA_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'RSA'),
  tls12('ECDHE_RSA_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256', 'RSA'),
  tls12('ECDHE_RSA_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384', 'RSA'),
  tls12('TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256', 'RSA'),
  tls12('TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384', 'RSA'),
  tls12('TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256', 'RSA'),
  tls12('TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256', 'RSA'),
  // Off by default in MQ; the lab does not try them, so no OpenSSL names are needed.
  tls12('ECDHE_ECDSA_3DES_EDE_CBC_SHA256', undefined, 'EC', 'weak'),
  tls12('ECDHE_RSA_3DES_EDE_CBC_SHA256', undefined, 'RSA', 'weak'),
  tls12('ECDHE_ECDSA_RC4_128_SHA256', undefined, 'EC', 'weak'),
  tls12('ECDHE_RSA_RC4_128_SHA256', undefined, 'RSA', 'weak'),
  tls12('ECDHE_ECDSA_NULL_SHA256', undefined, 'EC', 'weak'),
  tls12('ECDHE_RSA_NULL_SHA256', undefined, 'RSA', 'weak'),
  tls12('TLS_RSA_WITH_NULL_SHA256', undefined, 'RSA', 'weak'),
  ...(['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_DES_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'].map(
    (name): CipherSpec => ({ name, protocol: 'TLSv1', key: 'RSA', status: 'deprecated' }),
  )),
  ...([
    'NULL_MD5',
    'NULL_SHA',
    'RC4_MD5_EXPORT',
    'RC4_MD5_US',
    'RC4_SHA_US',
    'RC2_MD5_EXPORT',
    'DES_SHA_EXPORT',
    'DES_SHA_EXPORT1024',
    'RC4_56_SHA_EXPORT1024',
    'FIPS_WITH_DES_CBC_SHA',
    'FIPS_WITH_3DES_EDE_CBC_SHA',
    'TRIPLE_DES_SHA_US',
    'AES_SHA_US',
  ].map((name): CipherSpec => ({ name, protocol: 'SSLv3', key: 'RSA', status: 'deprecated' }))),
];

/** MQ's ANY alias also reaches TLS 1.0 when AMQ_TLS_V1_ENABLE is set; that is off by
 * default and deprecated, so here it means what a default installation negotiates. */
const ALIASES: CipherSpecAlias[] = [
  { name: 'ANY', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', alias: true },
  { name: 'ANY_TLS12_OR_HIGHER', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', alias: true },
  { name: 'ANY_TLS13_OR_HIGHER', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', alias: true },
  { name: 'ANY_TLS12', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', alias: true },
  { name: 'ANY_TLS13', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', alias: true },
];

export const DEFAULT_CIPHER_SPEC = 'ANY_TLS12_OR_HIGHER';

/** SSLCIPH's field length: a longer value cannot be a CipherSpec. */
const SSLCIPH_MAX = 32;

/** The spec or alias for an SSLCIPH value; MQSC folds unquoted values to upper case, so
 * the lookup does too. Undefined for names MQ does not know. */
export function lookupCipherSpec(value: string): CipherSpec | CipherSpecAlias | undefined {
  const name = value.trim().toUpperCase();
  if (name.length === 0 || name.length > SSLCIPH_MAX) return undefined;
  return SPECS.find((s) => s.name === name) ?? ALIASES.find((a) => a.name === name);
}

export function isAlias(spec: CipherSpec | CipherSpecAlias): spec is CipherSpecAlias {
  return 'alias' in spec;
}

/** The MQ name of a suite Node reports after a handshake (OpenSSL or IANA spelling). */
export function cipherSpecForSuite(opensslOrIana: string): string | undefined {
  return SPECS.find((s) => s.openssl === opensslOrIana || (s.protocol === 'TLSv1.3' && s.name === opensslOrIana))?.name;
}

export interface TlsSettings {
  cipherSpec: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  /** node:tls `ciphers`: TLS 1.3 suites and TLS 1.2 OpenSSL names in one list. */
  ciphers: string;
  /** The key the queue manager's certificate must have for this spec. */
  key: RequiredKey;
}

const enabledIn = (protocols: TlsProtocol[]) => SPECS.filter((s) => s.status === 'enabled' && protocols.includes(s.protocol));

/**
 * node:tls settings that negotiate what two MQ ends with this SSLCIPH negotiate. Refuses
 * names MQ does not know ('usage') and specs MQ would not start a channel with
 * ('unsupported', with the AMQ message the operator would see).
 */
export function tlsSettingsFor(value: string): TlsSettings {
  const spec = lookupCipherSpec(value);
  if (!spec) throw new KeyDeskError('usage', `"${value}" is not an IBM MQ CipherSpec (for example ${DEFAULT_CIPHER_SPEC}, TLS_AES_256_GCM_SHA384 or ECDHE_RSA_AES_256_GCM_SHA384).`);
  if (isAlias(spec)) {
    const protocols: TlsProtocol[] = spec.minVersion === spec.maxVersion ? [spec.minVersion] : ['TLSv1.3', 'TLSv1.2'];
    return { cipherSpec: spec.name, minVersion: spec.minVersion, maxVersion: spec.maxVersion, ciphers: enabledIn(protocols).map((s) => s.openssl).join(':'), key: 'any' };
  }
  if (spec.status !== 'enabled' || !spec.openssl) {
    throw new KeyDeskError('unsupported', `${spec.name} is ${describeStatus(spec)}: IBM MQ will not start a channel with it by default (AMQ9616). Use ${DEFAULT_CIPHER_SPEC} or a TLS 1.3 CipherSpec.`);
  }
  const version = spec.protocol as 'TLSv1.2' | 'TLSv1.3';
  return { cipherSpec: spec.name, minVersion: version, maxVersion: version, ciphers: spec.openssl, key: spec.key };
}

export function describeStatus(spec: CipherSpec): string {
  if (spec.status === 'weak') return 'a weak TLS 1.2 CipherSpec that IBM MQ disables by default';
  if (spec.protocol === 'TLSv1') return 'a TLS 1.0 CipherSpec, deprecated (MQ accepts it only with AMQ_TLS_V1_ENABLE=TRUE)';
  if (spec.protocol === 'SSLv3') return 'an SSL 3.0 CipherSpec, deprecated and removed from IBM MQ';
  return 'enabled';
}

/** The key algorithm a spec needs, in the words the operator picked a key with. */
export function keyFits(required: RequiredKey, keyAlgorithm: string | undefined): boolean {
  if (required === 'any') return keyAlgorithm === 'RSA' || keyAlgorithm === 'EC' || keyAlgorithm === 'RSASSA-PSS';
  if (required === 'RSA') return keyAlgorithm === 'RSA' || keyAlgorithm === 'RSASSA-PSS';
  return keyAlgorithm === 'EC';
}

/** Every CipherSpec and alias MQ names, for a chooser (the handshake lab's in the UI). */
export const allCipherSpecs: readonly CipherSpec[] = SPECS;
export const cipherSpecAliases: readonly CipherSpecAlias[] = ALIASES;

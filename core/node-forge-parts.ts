/**
 * The parts of node-forge KeyDesk uses — ASN.1, its byte buffers, and the RC2 and DES
 * ciphers of legacy PKCS#12 and PEM files — loaded without the rest. node-forge's index
 * loads every module it has (TLS, SSH, PKCS#7, its own RSA and prime search…), which was a
 * third of every CLI call's start-up: a `-cert -list` of the JDK's cacerts spent longer
 * loading TLS cipher suites than reading the store.
 */
import type Forge from 'node-forge';
// Each of these registers itself on the shared forge object, as node-forge's index does.
import forgeCore from 'node-forge/lib/forge';
import 'node-forge/lib/util';
import 'node-forge/lib/asn1';
import 'node-forge/lib/rc2';
import 'node-forge/lib/cipher';
import 'node-forge/lib/des';

export const forge = forgeCore as typeof Forge;
export type { Forge };

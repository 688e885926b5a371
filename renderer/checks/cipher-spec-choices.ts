/**
 * The CipherSpecs MQ knows (core/checks/cipher-specs.ts, from IBM's lists), grouped for a
 * chooser: first what both certificates' keys can use, then enabled specs that need
 * another key type (MQ refuses them with these certificates, AMQ9616), then what MQ
 * disables by default — kept so a class can see the refusal.
 */
import { allCipherSpecs, cipherSpecAliases, DEFAULT_CIPHER_SPEC, keyFits, type CipherSpec } from '../../core/checks/cipher-specs';

export interface CipherSpecGroup {
  title: string;
  names: string[];
}

const keyWords = (keys: (string | undefined)[]) => {
  const known = [...new Set(keys.filter((k): k is string => Boolean(k)))];
  return known.length ? known.join(' and ') : 'unknown';
};

export function cipherSpecGroups(serverKey: string | undefined, clientKey: string | undefined): CipherSpecGroup[] {
  const fitsBoth = (s: CipherSpec) => keyFits(s.key, serverKey) && keyFits(s.key, clientKey);
  const enabled = allCipherSpecs.filter((s) => s.status === 'enabled');
  const aliases = [DEFAULT_CIPHER_SPEC, ...cipherSpecAliases.map((a) => a.name).filter((n) => n !== DEFAULT_CIPHER_SPEC)];
  const keys = keyWords([serverKey, clientKey]);
  return [
    {
      title: `Fit both certificates (${keys} keys)`,
      names: [...aliases, ...enabled.filter(fitsBoth).map((s) => s.name)],
    },
    {
      title: `Need another key type (not ${keys})`,
      names: enabled.filter((s) => !fitsBoth(s)).map((s) => s.name),
    },
    {
      title: 'Disabled by default in MQ',
      names: allCipherSpecs.filter((s) => s.status !== 'enabled').map((s) => s.name),
    },
  ].filter((g) => g.names.length > 0);
}

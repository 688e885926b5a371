/**
 * A token's name where a store path goes: an RFC 7512 PKCS#11 URI with the module,
 * `pkcs11:token=LABEL?module-path=MODULE`. Free of Node modules: the window builds and
 * shows these too.
 */
import { worded } from '../wording';
import { KeyDeskError } from '../errors';

const URI_SCHEME = 'pkcs11:';

export interface TokenAddress {
  module: string;
  tokenLabel: string;
}

export function isTokenPath(path: string): boolean {
  return path.toLowerCase().startsWith(URI_SCHEME);
}

/** RFC 7512: unreserved characters as they are, everything else percent-encoded. */
function pctEncode(value: string): string {
  return Array.from(new TextEncoder().encode(value), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-._~/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export function tokenPath({ module, tokenLabel }: TokenAddress): string {
  return `${URI_SCHEME}token=${pctEncode(tokenLabel)}?module-path=${pctEncode(module)}`;
}

export function parseTokenPath(path: string): TokenAddress {
  const body = path.slice(URI_SCHEME.length);
  const [pathPart = '', query = ''] = body.split('?', 2);
  const attrs = new Map<string, string>();
  for (const pair of [...pathPart.split(';'), ...query.split('&')]) {
    const at = pair.indexOf('=');
    if (at > 0) attrs.set(pair.slice(0, at).toLowerCase(), decodeURIComponent(pair.slice(at + 1)));
  }
  const tokenLabel = attrs.get('token');
  const module = attrs.get('module-path');
  if (!tokenLabel || !module) throw new KeyDeskError('usage', worded(`${path}: a token is named with its module and its label (-crypto MODULE -tokenlabel LABEL).`, `${path}: a token is named with its module and its label (Open Cryptographic Token…).`));
  return { module, tokenLabel };
}

/** How a token is named to a person: its label, not the URI. */
export function tokenDisplayName(path: string): string {
  try {
    return `${parseTokenPath(path).tokenLabel} (token)`;
  } catch {
    return path;
  }
}

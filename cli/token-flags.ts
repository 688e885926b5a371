/**
 * runmqakm's `-crypto MODULE -tokenlabel LABEL` (IBM MQ, "Commands for cryptographic device
 * operations", https://ibm.com/docs/SSFKSJ_9.3.0/secure/q083850_.html; the options table,
 * https://www.ibm.com/support/knowledgecenter/SSFKSJ_8.0.0/com.ibm.mq.ref.adm.doc/q083860_.htm):
 * the token becomes the store the command works on, named by its PKCS#11 URI where -db's
 * path would go, so every command runs on it through the same API as on a file.
 */
import { listTokenSlots, tokenPath } from '../core/api/token-stores';
import { usageError, type ParsedCommand } from './arguments';

export function tokenAsStorePath(parsed: ParsedCommand): void {
  const module = parsed.values.get('crypto');
  if (module === undefined) {
    for (const flag of ['tokenlabel', 'secondarydb', 'secondarydbpw', 'secondarydbtype']) {
      if (parsed.values.has(flag)) throw usageError(`-${flag} goes with -crypto MODULE (a PKCS#11 token)`);
    }
    return;
  }
  if (module === '') throw usageError('-crypto needs the path of the PKCS#11 module (the token vendor\'s library)');
  if (parsed.values.has('db')) throw usageError('give -db (a key database file) or -crypto with -tokenlabel (a PKCS#11 token), not both');
  const type = parsed.values.get('secondarydbtype');
  if (type !== undefined && !['cms', 'kdb'].includes(type.toLowerCase())) throw usageError(`-secondaryDBtype takes cms (a .kdb), not "${type}"`);
  if (parsed.values.has('secondarydbpw') && !parsed.values.has('secondarydb')) throw usageError('-secondaryDBpw goes with -secondaryDB FILE');
  let tokenLabel = parsed.values.get('tokenlabel');
  if (tokenLabel === undefined) {
    // "Optional if -crypto present": a module with one token names it.
    const tokens = listTokenSlots(module).filter((s) => s.present && s.initialized);
    if (tokens.length !== 1) {
      throw usageError(
        tokens.length === 0
          ? `${module} reports no initialized token; initialize one (softhsm2-util --init-token, or the vendor's tool)`
          : `${module} has ${tokens.length} tokens (${tokens.map((t) => `"${t.tokenLabel}"`).join(', ')}): name one with -tokenlabel`,
      );
    }
    tokenLabel = tokens[0]!.tokenLabel;
  }
  parsed.values.set('db', tokenPath({ module, tokenLabel }));
}

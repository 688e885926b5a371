/**
 * keydesk: runmqakm's command line over KeyDesk's API (direct calls, no server).
 * Exit codes: 0 success, 1 the operation was refused or failed, 2 usage error.
 */
import { KeyDeskService } from '../core/api/service';
import type { KeyDeskApi } from '../core/api/contract';
import { isKeyDeskError } from '../core/errors';
import { checkKeywordValues, parseFlags, parseObjectAndAction, usageError, type CommandSpec, type ObjectGrammar, type ParsedCommand } from './arguments';
import { atFileHint, systemTerminal, useTerminal } from './password';
import { tokenAsStorePath } from './token-flags';
import { closeAllTokens } from '../core/tokens/token-store';
import { TOKEN_FLAGS } from './arguments';
import { completeStorePaths } from './store-path';
import { ibmRefusal } from './ibm-messages';
import { certDetails, certDetailsSpec } from './commands/cert-details';
import { certList, certListSpec } from './commands/cert-list';
import { uiServe, uiServeSpec } from './commands/ui-serve';
import { certAdd, certAddSpec, certDelete, certDeleteSpec, certExtract, certExtractSpec, certModify, certModifySpec, certRename, certRenameSpec } from './commands/cert-change';
import { certreqDetails, certreqDetailsSpec, certreqList, certreqListSpec } from './commands/certreq';
import { version, versionSpec } from './commands/version';
import { certCreate, certCreateSpec, certreqCreate, certreqCreateSpec, certreqDelete, certreqDeleteSpec, certreqExtract, certreqExtractSpec } from './commands/cert-create';
import { certPopulate, certPopulateSpec, certReceive, certReceiveSpec, certSign, certSignSpec, certValidate, certValidateSpec } from './commands/cert-ca-flow';
import { certExport, certExportSpec, certImport, certImportSpec } from './commands/cert-transfer';
import {
  keydbChangePassword,
  keydbChangePasswordSpec,
  keydbConvert,
  keydbConvertSpec,
  keydbCreate,
  keydbCreateSpec,
  keydbDelete,
  keydbDeleteSpec,
  keydbExpiry,
  keydbExpirySpec,
  keydbList,
  keydbListSpec,
  keydbRepair,
  keydbRepairSpec,
  keydbStash,
  keydbStashSpec,
} from './commands/keydb';
import { certGetDefault, certGetDefaultSpec, certSetDefault, certSetDefaultSpec } from './commands/cert-default';
import { randomCreate, randomCreateSpec } from './commands/random';
import { keydbCheck, keydbCheckSpec, keydbScan, keydbScanSpec } from './commands/keydb-check';
import { certSslPeer, certSslPeerSpec, keydbSslPeer, keydbSslPeerSpec } from './commands/sslpeer';
import { tlsTest, tlsTestSpec } from './commands/tls-test';
import { tlsProbe, tlsProbeSpec } from './commands/tls-probe';
import { keydbCompare, keydbCompareSpec, keydbExchange, keydbExchangeSpec } from './commands/keydb-pair';

type Out = (line: string) => void;
interface Command {
  spec: CommandSpec;
  /** `warn`: stderr, for what a script parsing stdout must not mistake for output. */
  run: (api: KeyDeskApi, parsed: ParsedCommand, out: Out, warn: Out) => Promise<void>;
  /** Usage lines for -help; several where one action has several forms. */
  summary: string | string[];
  /** A bare word right after the action is this flag's value (`-keydb -scan DIR`). */
  leadingValue?: string;
  /** Password flags whose value becomes a store's new password (not checked against one). */
  setsPassword?: readonly string[];
  /** It changes or writes files: as runmqakm, it prints nothing on stdout when it
   * succeeds (scripts take any output for a failure); its notes go to stderr. */
  changes?: true;
  /** It takes -crypto MODULE -tokenlabel LABEL (and -secondaryDB) in place of -db, as
   * runmqakm does for cryptographic device operations (cli/token-flags.ts). */
  token?: true;
}

const commands: Record<string, Command> = {
  'cert list': { token: true, spec: certListSpec, run: certList, summary: '-cert -list [all|personal|ca] [-label L] [-expiry DAYS] -db FILE (-pw PW | -stashed) [-json | -format csv|html|json [-days N]]' },
  'cert details': { token: true, spec: certDetailsSpec, run: certDetails, summary: '-cert -details -label LABEL -db FILE (-pw PW | -stashed) [-chain | -json]   (runmqakm\'s layout; -chain adds the issuers)' },
  'cert add': { token: true, changes: true, spec: certAddSpec, run: certAdd, summary: '-cert -add [-label LABEL] -file CERTFILE -db FILE (-pw PW | -stashed)   (no -label: each certificate labelled with its subject DN)' },
  'cert extract': { token: true, changes: true, spec: certExtractSpec, run: certExtract, summary: '-cert -extract -label LABEL -target FILE (or -file FILE) [-format ascii|binary] -db FILE (-pw PW | -stashed)' },
  'cert delete': { token: true, changes: true, spec: certDeleteSpec, run: certDelete, summary: '-cert -delete -label LABEL -db FILE (-pw PW | -stashed)' },
  'cert modify': { token: true, changes: true, spec: certModifySpec, run: certModify, summary: '-cert -modify -label LABEL -trust enable|disable   (disable: CMS .kdb only)' },
  'cert rename': { token: true, changes: true, spec: certRenameSpec, run: certRename, summary: '-cert -rename -label LABEL -new_label NEW -db FILE (-pw PW | -stashed)' },
  'cert create': { token: true, changes: true, spec: certCreateSpec, run: certCreate, summary: '-cert -create -label L -dn "CN=..,O=..,C=.." [-size 2048|3072|4096|256|384|521] [-sig_alg|-sigalg ALG] [-expire DAYS] [-san_dnsname N,..] [-san_ipaddr A,..] [-san_emailaddr E,..] [-ku U,..] [-eku U,..] [-ca true] [-ca_label CA] [-x509version 3] [-default_cert yes|no] -db FILE (-pw PW | -stashed)' },
  'cert receive': { token: true, changes: true, spec: certReceiveSpec, run: certReceive, summary: '-cert -receive -file CERTFILE [-default_cert yes|no] -db FILE (-pw PW | -stashed)' },
  'cert sign': { token: true, changes: true, spec: certSignSpec, run: certSign, summary: '-cert -sign -label CA_LABEL -file CSR -target CERTFILE [-expire DAYS] [-format ascii|binary] [-ca true] -db FILE (-pw PW | -stashed)' },
  'cert validate': { token: true, spec: certValidateSpec, run: certValidate, summary: '-cert -validate -label LABEL -db FILE (-pw PW | -stashed) [-json]' },
  'cert export': { token: true, changes: true, spec: certExportSpec, run: certExport, setsPassword: ['target_pw'], summary: '-cert -export [-label LABEL] -target FILE2 -target_pw PW2 [-target_type pkcs12|cms|jks|jceks] -db FILE (-pw PW | -stashed)   (no -label: every entry)' },
  'cert import': {
    changes: true,
    spec: certImportSpec,
    run: certImport,
    setsPassword: ['target_pw'],
    summary: [
      '-cert -import (-file | -db) SOURCE.p12 -pw PW [-type pkcs12] [-label LABEL] [-new_label NEW] -target FILE2 (-target_pw PW2 | -target_stashed) [-target_type cms] [-default_cert yes|no]',
      '-cert -import -file CERTFILE -keyfile KEYFILE [-key_pw PW] -label LABEL -target FILE2 (-target_pw PW2 | -target_stashed)',
    ],
  },
  'cert populate': { changes: true, spec: certPopulateSpec, run: certPopulate, summary: '-cert -populate -db FILE (-pw PW | -stashed)   (well-known public CAs; see the warning)' },
  'certreq create': { token: true, changes: true, spec: certreqCreateSpec, run: certreqCreate, summary: '-certreq -create -label L -dn DN [-size ..] [-sig_alg ..] [-san_* ..] [-ku ..] [-eku ..] -file OUT.arm (or -target OUT.arm) -db FILE (-pw PW | -stashed)' },
  'certreq extract': { token: true, changes: true, spec: certreqExtractSpec, run: certreqExtract, summary: '-certreq -extract -label L -target OUT.arm -db FILE (-pw PW | -stashed)' },
  'certreq recreate': { token: true, changes: true, spec: certreqExtractSpec, run: certreqExtract, summary: '-certreq -recreate -label L -target OUT.arm -db FILE (-pw PW | -stashed)   (a personal certificate: a renewal request, same key and subject)' },
  'certreq delete': { token: true, changes: true, spec: certreqDeleteSpec, run: certreqDelete, summary: '-certreq -delete -label L -db FILE (-pw PW | -stashed)' },
  'certreq list': { token: true, spec: certreqListSpec, run: certreqList, summary: '-certreq -list -db FILE (-pw PW | -stashed) [-json]' },
  'certreq details': { token: true, spec: certreqDetailsSpec, run: certreqDetails, summary: '-certreq -details -label LABEL -db FILE (-pw PW | -stashed) [-json]' },
  // An object with no action, as runmqakm has it: parseObjectAndAction gives it the action ''.
  'version ': { spec: versionSpec, run: version, summary: '-version   (KeyDesk\'s version, in the shape of runmqakm\'s banner)' },
  'keydb create': {
    changes: true,
    spec: keydbCreateSpec,
    run: keydbCreate,
    setsPassword: ['pw'],
    summary: '-keydb -create -db FILE (-pw PW | -prompt) [-type cms|pkcs12|jks|jceks] [-stash|-stashpw|-v1stash] [-version 4|6] [-populate [-ibmcloudtrust]] [-pqc false] [-expire DAYS] [-strong]   (no -type: from FILE\'s extension, else cms)',
  },
  'keydb stashpw': { changes: true, spec: keydbStashSpec, run: keydbStash, summary: '-keydb -stashpw -db FILE -pw PW [-type cms|pkcs12|jks|jceks] [-v1stash]' },
  'keydb changepw': { token: true, changes: true, spec: keydbChangePasswordSpec, run: keydbChangePassword, setsPassword: ['new_pw'], summary: '-keydb -changepw -db FILE (-pw PW | -stashed) -new_pw NEW [-stash] [-strong]' },
  'keydb convert': {
    changes: true,
    spec: keydbConvertSpec,
    run: keydbConvert,
    setsPassword: ['new_pw'],
    summary: '-keydb -convert -db FILE (-pw PW | -stashed) [-old_format|-type T] [-new_db|-target FILE2] [-new_pw PW2] -new_format cms|pkcs12|jks|jceks [-stash|-v1stash]   (no FILE2: FILE\'s name with the new extension)',
  },
  'keydb delete': { changes: true, spec: keydbDeleteSpec, run: keydbDelete, summary: '-keydb -delete -db FILE (-pw PW | -stashed)   (the store with its .rdb, .crl and .sth)' },
  'keydb expiry': { spec: keydbExpirySpec, run: keydbExpiry, summary: '-keydb -expiry -db FILE (-pw PW | -stashed)   (always "Password Expiry Time : 0": KeyDesk does not expire passwords)' },
  'keydb list': { spec: keydbListSpec, run: keydbList, summary: '-keydb -list [-db FILE (-pw PW | -stashed)]   (the types KeyDesk reads and writes, or FILE\'s type)' },
  'cert setdefault': { token: true, changes: true, spec: certSetDefaultSpec, run: certSetDefault, summary: '-cert -setdefault -label LABEL -db FILE (-pw PW | -stashed)   (CMS records it; PKCS#12/JKS only with one personal certificate)' },
  'cert getdefault': { token: true, spec: certGetDefaultSpec, run: certGetDefault, summary: '-cert -getdefault -db FILE (-pw PW | -stashed) [-json]   (the default certificate, as -cert -details prints it)' },
  'random create': { spec: randomCreateSpec, run: randomCreate, summary: '-random -create -length N [-strong]   (a random password on stdout)' },
  'keydb repair': { changes: true, spec: keydbRepairSpec, run: keydbRepair, summary: '-keydb -repair -db DAMAGED_FILE -target REPAIRED_FILE [-pw PW | -stashed]   (undo an ASCII-mode transfer; written only when it verifies)' },
  'keydb check': { token: true, spec: keydbCheckSpec, run: keydbCheck, summary: '-keydb -check -db FILE (-pw PW | -stashed) [-mqname QM] [-certlabel L] [-cipherspec SPEC] [-days N] [-json]   (MQ doctor)' },
  'keydb scan': { spec: keydbScanSpec, run: keydbScan, leadingValue: 'dir', summary: '-keydb -scan DIR [-pw PW] [-days N] [-json | -format html]   (every store under DIR)' },
  'keydb compare': { spec: keydbCompareSpec, run: keydbCompare, summary: '-keydb -compare -db A (-pw PA | -stashed) -db2 B (-pw2 PB | -stashed2) [-json]' },
  'keydb exchange': { spec: keydbExchangeSpec, run: keydbExchange, summary: '-keydb -exchange -db A (-pw PA | -stashed) -label LA -peer_db B (-peer_pw PB | -peer_stashed) -peer_label LB [-json]' },
  'keydb sslpeer': { spec: keydbSslPeerSpec, run: keydbSslPeer, summary: '-keydb -sslpeer -filter "CN=app*,O=Bars" -db FILE (-pw PW | -stashed) [-json]' },
  'cert sslpeer': { spec: certSslPeerSpec, run: certSslPeer, summary: '-cert -sslpeer -label LABEL -db FILE (-pw PW | -stashed) [-json]' },
  'tls test': {
    token: true,
    spec: tlsTestSpec,
    run: tlsTest,
    summary: '-tls -test -db A (-pw PA | -stashed) -label LA -peer_db B (-peer_pw PB | -peer_stashed) -peer_label LB [-cipherspec SPEC] [-cauth required|optional] [-reverse] [-json]',
  },
  'tls probe': {
    spec: tlsProbeSpec,
    run: tlsProbe,
    summary: '-tls -probe -host H -port P [-db FILE (-pw PW | -stashed) [-label L]] [-cipherspec SPEC] [-sni NAME] [-timeout S] [-json]   (a live TLS endpoint, a queue manager\'s listener say)',
  },
  'ui serve': { spec: uiServeSpec, run: uiServe, summary: '-ui -serve [-port N] [-db FILE (-pw PW | -stashed)]   (browser mode on 127.0.0.1)' },
};

/** An object's actions and value flags, from the command table (see parseObjectAndAction). */
function grammarOf(object: string): ObjectGrammar | undefined {
  const own = Object.entries(commands).filter(([key]) => key.startsWith(`${object} `));
  if (own.length === 0) return undefined;
  return {
    actions: own.map(([key]) => key.slice(object.length + 1)),
    valueFlags: new Set(own.flatMap(([, c]) => [...c.spec.values, ...(c.leadingValue ? [c.leadingValue] : [])])),
  };
}

export const helpText = [
  'KeyDesk — key stores (CMS .kdb, PKCS#12, JKS, JCEKS) with runmqakm syntax.',
  '',
  'Usage: keydesk -OBJECT -ACTION [flags]',
  ...Object.values(commands).flatMap((c) => [c.summary].flat().map((line) => `  keydesk ${line}`)),
  '',
  'Passwords: -pw PW (taken literally, as runmqakm takes it, even when it starts with @),',
  '  -pw:file FILE (the first line of FILE), KEYDESK_PW=PW, or -stashed (reads <stem>.sth).',
  '  Every password flag has the :file form: -new_pw:file, -target_pw:file, -key_pw:file, -peer_pw:file, -pw2:file.',
  'Changes: saved at once and atomically across the store\'s files (.kdb/.rdb/.crl/.sth); no copy is kept.',
  '  -backup keeps the replaced files as <file>.bak (mode 0600; they may hold deleted keys or the old password).',
  '  -drop_damaged saves a damaged version-3 .kdb without its damaged records (refused otherwise).',
  '  With no password given at a terminal, KeyDesk asks for it (no echo), as runmqakm does.',
  'runmqakm compatibility (cli/RUNMQAKM.md): flags before or after the action, -sigalg for -sig_alg,',
  '  argv elements of several words, empty elements skipped, -db key for key.kdb; -fips [yes|no] is accepted',
  '  and ignored. A change prints nothing on stdout when it succeeds; its notes go to stderr.',
  'PKCS#11 tokens: -crypto MODULE -tokenlabel LABEL -pw PIN in place of -db on -cert and -certreq commands,',
  '  -keydb -changepw (the PIN) and -keydb -check; -secondaryDB FILE.kdb [-secondaryDBpw PW] keeps the signers.',
  '  Keys are made on the token and never leave it (-cert -export of one is refused).',
  '  Not supported, refused by name: -pqc true,',
  '  -x509version 1|2, MD5/DSA/SHA-3/post-quantum signatures, -size 512, -cert -list -v/-rfc3339.',
  'Exit codes: 0 success, 1 refused or failed, 2 usage error; 23 a duplicate certificate or label (GSKit\'s,',
  '  with CTGSK2021W on stdout; a missing label prints CTGSK3029W there). KEYDESK_DEBUG=1 shows stack traces.',
];

export interface CliIo {
  out: Out;
  err: Out;
  debug: boolean;
  /** The real process: a missing password is asked for at the terminal, as runmqakm does,
   * when there is one (systemTerminal checks then). Tests that run the CLI in-process leave
   * it unset, so a developer's terminal is never asked mid-test. */
  interactive?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo, api: KeyDeskApi = new KeyDeskService()): Promise<number> {
  let parsed: ParsedCommand | undefined;
  useTerminal(io.interactive ? systemTerminal : undefined);
  try {
    const { object, action, rest } = parseObjectAndAction(argv, grammarOf);
    if (['help', 'h', '?'].includes(object)) {
      helpText.forEach((line) => io.out(line));
      return 0;
    }
    const command = commands[`${object} ${action}`];
    if (!command) throw usageError(`unknown command -${object} -${action}`);
    const args = command.leadingValue && rest[0] !== undefined && !rest[0].startsWith('-') ? [`-${command.leadingValue}`, ...rest] : rest;
    const spec = command.token ? { ...command.spec, values: [...command.spec.values, ...TOKEN_FLAGS] } : command.spec;
    parsed = parseFlags(object, action, args, spec);
    checkKeywordValues(parsed);
    completeStorePaths(parsed, new Set(object === 'keydb' && action === 'create' ? ['db'] : object === 'keydb' && action === 'convert' ? ['new_db', 'target'] : []));
    if (command.token) tokenAsStorePath(parsed);
    const note = (line: string) => io.err(`keydesk: note: ${line}`);
    await command.run(api, parsed, command.changes ? note : io.out, io.err);
    // An old script's `-pw @FILE` now sets the literal text as the password: say so while it can still be undone.
    const setHint = command.setsPassword && atFileHint(parsed, command.setsPassword);
    if (setHint) note(`${setHint}.`);
    return 0;
  } catch (e) {
    if (isKeyDeskError(e)) {
      const hint = e.code === 'wrong-password' && parsed ? atFileHint(parsed) : undefined;
      const ibm = ibmRefusal(e.reason, parsed?.values.get('label'));
      if (ibm?.line) io.out(ibm.line);
      io.err(`keydesk: ${e.message}${hint ? ` Note: ${hint}.` : ''}`);
      if (io.debug && e.stack) io.err(e.stack);
      return ibm?.exitCode ?? (e.code === 'usage' ? 2 : 1);
    }
    // Not an error we foresaw: still one line, but say it is ours to fix.
    io.err(`keydesk: internal error: ${(e as Error)?.message ?? String(e)} — please report it (KEYDESK_DEBUG=1 shows details).`);
    if (io.debug && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  } finally {
    // A command's token sessions end with it (browser mode keeps its own open).
    if (parsed?.object !== 'ui') closeAllTokens();
  }
}

export async function main(): Promise<void> {
  // `keydesk … | head` closes the pipe early; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  // Lines written in one burst (a 10,000-entry listing) go out as one write: a write per
  // line to a pipe costs more than building the listing. Flushed before any stderr line,
  // so the two streams keep their order, and on the next turn, so nothing waits (the
  // browser-mode URL of -ui -serve shows at once).
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    process.stdout.write(pending.join(''));
    pending = [];
  };
  const code = await runCli(process.argv.slice(2), {
    out: (line) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push(`${line}\n`);
    },
    err: (line) => {
      flush();
      process.stderr.write(`${line}\n`);
    },
    debug: process.env.KEYDESK_DEBUG === '1',
    // Not process.stdin.isTTY here: touching process.stdin builds a stream, and loads
    // node's stream and fs machinery, on every call; systemTerminal looks when it must ask.
    interactive: true,
  });
  flush();
  process.exitCode = code;
}

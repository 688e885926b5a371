/**
 * keydesk: runmqakm's command line over KeyDesk's API (direct calls, no server).
 * Exit codes: 0 success, 1 the operation was refused or failed, 2 usage error.
 */
import { KeyDeskService } from '../core/api/service';
import type { KeyDeskApi } from '../core/api/contract';
import { isKeyDeskError } from '../core/errors';
import { parseFlags, parseObjectAndAction, usageError, type CommandSpec, type ParsedCommand } from './arguments';
import { certDetails, certDetailsSpec } from './commands/cert-details';
import { certList, certListSpec } from './commands/cert-list';
import { uiServe, uiServeSpec } from './commands/ui-serve';
import { certreqDetails, certreqDetailsSpec, certreqList, certreqListSpec } from './commands/certreq';
import {
  keydbChangePassword,
  keydbChangePasswordSpec,
  keydbConvert,
  keydbConvertSpec,
  keydbCreate,
  keydbCreateSpec,
  keydbStash,
  keydbStashSpec,
} from './commands/keydb';

type Out = (line: string) => void;
interface Command {
  spec: CommandSpec;
  run: (api: KeyDeskApi, parsed: ParsedCommand, out: Out) => Promise<void>;
  summary: string;
}

const commands: Record<string, Command> = {
  'cert list': { spec: certListSpec, run: certList, summary: '-cert -list [all|personal|ca] -db FILE (-pw PW | -stashed) [-json]' },
  'cert details': { spec: certDetailsSpec, run: certDetails, summary: '-cert -details -label LABEL -db FILE (-pw PW | -stashed) [-json]' },
  'certreq list': { spec: certreqListSpec, run: certreqList, summary: '-certreq -list -db FILE (-pw PW | -stashed) [-json]' },
  'certreq details': { spec: certreqDetailsSpec, run: certreqDetails, summary: '-certreq -details -label LABEL -db FILE (-pw PW | -stashed) [-json]' },
  'keydb create': { spec: keydbCreateSpec, run: keydbCreate, summary: '-keydb -create -db FILE -pw PW -type cms|pkcs12|jks|jceks [-stash|-v1stash] [-version 4|6]' },
  'keydb stashpw': { spec: keydbStashSpec, run: keydbStash, summary: '-keydb -stashpw -db FILE -pw PW [-v1stash]' },
  'keydb changepw': { spec: keydbChangePasswordSpec, run: keydbChangePassword, summary: '-keydb -changepw -db FILE (-pw PW | -stashed) -new_pw NEW [-stash]' },
  'keydb convert': { spec: keydbConvertSpec, run: keydbConvert, summary: '-keydb -convert -db FILE (-pw PW | -stashed) -new_db FILE2 -new_pw PW2 -new_format cms|pkcs12|jks|jceks' },
  'ui serve': { spec: uiServeSpec, run: uiServe, summary: '-ui -serve [-port N]   (browser mode on 127.0.0.1)' },
};

export const helpText = [
  'KeyDesk — key stores (CMS .kdb, PKCS#12, JKS, JCEKS) with runmqakm syntax.',
  '',
  'Usage: keydesk -OBJECT -ACTION [flags]',
  ...Object.values(commands).map((c) => `  keydesk ${c.summary}`),
  '',
  'Passwords: -pw PW, -pw @FILE (first line of FILE), KEYDESK_PW=PW, or -stashed (reads <stem>.sth).',
  'Exit codes: 0 success, 1 refused or failed, 2 usage error. KEYDESK_DEBUG=1 shows stack traces.',
];

export interface CliIo {
  out: Out;
  err: Out;
  debug: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo, api: KeyDeskApi = new KeyDeskService()): Promise<number> {
  try {
    const { object, action, rest } = parseObjectAndAction(argv);
    if (['help', 'h', '?'].includes(object)) {
      helpText.forEach((line) => io.out(line));
      return 0;
    }
    const command = commands[`${object} ${action}`];
    if (!command) throw usageError(`unknown command -${object} -${action}`);
    await command.run(api, parseFlags(object, action, rest, command.spec), io.out);
    return 0;
  } catch (e) {
    if (isKeyDeskError(e)) {
      io.err(`keydesk: ${e.message}`);
      if (io.debug && e.stack) io.err(e.stack);
      return e.code === 'usage' ? 2 : 1;
    }
    // Not an error we foresaw: still one line, but say it is ours to fix.
    io.err(`keydesk: internal error: ${(e as Error)?.message ?? String(e)} — please report it (KEYDESK_DEBUG=1 shows details).`);
    if (io.debug && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}

export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    debug: process.env.KEYDESK_DEBUG === '1',
  });
  process.exitCode = code;
}

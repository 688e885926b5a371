/**
 * SoftHSM2 as the token tests work on: a configuration and a token folder of the test's
 * own (SOFTHSM2_CONF, read when the module is initialized, which KeyDesk does afresh
 * after every CLI command), tokens made with softhsm2-util as an operator would, and
 * OpenSSL's PKCS#11 engine pointed at the same module for handshakes with a token's key.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const PKCS11_ENGINE = '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so';

let addon: boolean | undefined;

/** Why token tests cannot run here, or undefined when they can. */
export function softHsmMissing(): string | undefined {
  if (!existsSync(SOFTHSM_MODULE)) return `${SOFTHSM_MODULE} is not installed (apt-get install softhsm2)`;
  if (spawnSync('softhsm2-util', ['--version'], { stdio: 'ignore' }).error) return 'softhsm2-util is not installed';
  if (addon === undefined) {
    try {
      require('pkcs11js');
      addon = true;
    } catch {
      addon = false;
    }
  }
  if (!addon) return 'the pkcs11js addon did not build';
  return undefined;
}

export function softHsmNote(): string {
  const missing = softHsmMissing();
  return missing ? ` (skipped: ${missing})` : '';
}

export function engineMissing(): string | undefined {
  if (!existsSync(PKCS11_ENGINE)) return `OpenSSL's pkcs11 engine (${PKCS11_ENGINE}, apt-get install libengine-pkcs11-openssl) is not installed`;
  if (spawnSync('pkcs11-tool', ['--help'], { stdio: 'ignore' }).error) return 'pkcs11-tool (opensc) is not installed';
  return undefined;
}

export interface SoftHsm {
  conf: string;
  /** The environment a peer process (pkcs11-tool, openssl) needs to see the same tokens. */
  env: NodeJS.ProcessEnv;
  initToken(label: string, pin?: string): void;
}

/** A SoftHSM2 of the test's own under `dir`; this process's SOFTHSM2_CONF points at it. */
export function newSoftHsm(dir: string): SoftHsm {
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const openssl = join(dir, 'openssl-pkcs11.cnf');
  writeFileSync(
    openssl,
    [
      'openssl_conf = openssl_init',
      '[openssl_init]',
      'engines = engine_section',
      '[engine_section]',
      'pkcs11 = pkcs11_section',
      '[pkcs11_section]',
      'engine_id = pkcs11',
      `dynamic_path = ${PKCS11_ENGINE}`,
      `MODULE_PATH = ${SOFTHSM_MODULE}`,
      'init = 0',
      '',
    ].join('\n'),
  );
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf, OPENSSL_CONF: openssl };
  return {
    conf,
    env,
    initToken(label, pin = '1234') {
      const r = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '87654321'], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${r.stderr}`);
    },
  };
}

/**
 * openssl s_server with the queue manager's key on the token (engine pkcs11, RFC 7512
 * URI), requiring a client certificate it trusts; one connection from s_client holding
 * the partner's key. Returns what each side printed.
 */
export async function engineHandshake(
  env: NodeJS.ProcessEnv,
  cwd: string,
  server: { tokenLabel: string; keyLabel: string; cert: string; trusts: string },
  client: { cert: string; key: string; trusts: string },
): Promise<{ server: string; client: string }> {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const key = `pkcs11:token=${encodeURIComponent(server.tokenLabel)};object=${encodeURIComponent(server.keyLabel)};type=private?pin-value=1234`;
  const child = spawn(
    'openssl',
    ['s_server', '-engine', 'pkcs11', '-keyform', 'engine', '-key', key, '-cert', server.cert, '-CAfile', server.trusts, '-Verify', '2', '-verify_return_error', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-www'],
    { cwd, env },
  );
  let serverOut = '';
  child.stdout.on('data', (d) => (serverOut += d));
  child.stderr.on('data', (d) => (serverOut += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (serverOut.includes('ACCEPT')) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`s_server did not start: ${serverOut}`));
      }
    }, 50);
  });
  const c = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-cert', client.cert, '-key', client.key, '-CAfile', client.trusts, '-verify_return_error'], {
    cwd,
    env,
    input: 'GET / HTTP/1.0\r\n\r\n',
    encoding: 'utf8',
    timeout: 15_000,
  });
  const timer = setTimeout(() => child.kill(), 5000);
  await exited;
  clearTimeout(timer);
  return { server: serverOut, client: `${c.stdout}${c.stderr}` };
}


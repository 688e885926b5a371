/**
 * Runs the real command lines of real-command-lines.json as their scripts run them
 * (issue 14): sequence by sequence in a fresh folder, each line's argv unchanged but for
 * its file paths, which move into that folder. What a line needs from outside its
 * sequence (a store the script found in place, a PKCS#12 another tool wrote, a signed
 * certificate a CA sent back) is made just before it from the line's `fixtures` hint,
 * with KeyDesk itself, openssl or keytool: nothing is kept as test data, so the files are
 * always what today's tools write.
 *
 * Each line gets a verdict:
 * - ok: exit 0, nothing on stderr but notes, and the script's own reading of the output
 *   (READINGS below) finds what the script looks for;
 * - refused: exit status other than 0 and one plain line on stderr (not an internal error);
 * - wrong: anything else — a crash, several lines, an internal error, or exit 0 with
 *   output the script would misread;
 * - skipped: a peer tool its fixtures need (openssl, keytool) is not installed, or an
 *   earlier step of its sequence was skipped.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { hasTool, runTool } from '../../core/testing/peer-tools';
import { runCli } from '../main';
import { systemTerminal } from '../password';

export interface RealLine {
  tool: string;
  argv: string[];
  source: string;
  note: string;
  needs: string;
  /** See Fixture; made in order, just before the line runs. */
  fixtures?: Fixture[];
  sequence?: string;
  step?: number;
  substituted?: Record<string, string>;
  keydesk_today: { exit: number; says?: string; basis?: string };
}

/**
 * What a line needs that no earlier step of its sequence made. Paths are written as the
 * script writes them and moved into the folder as the argv's are. A DN names a
 * certificate: the same DN is the same CA (or leaf) everywhere in a run, so a PEM, a
 * PKCS#12 and a signed certificate that name one issuer chain up as they would in life.
 */
export type Fixture =
  /** A store made by KeyDesk (default), or by keytool with these trusted certificates. */
  | { store: string; pw?: string; type?: 'cms' | 'pkcs12' | 'jks'; by?: 'keydesk' | 'keytool'; trusted?: string[]; replace?: boolean }
  /** A personal certificate: self-signed by KeyDesk, or issued by `issuer` (openssl) and imported. */
  | { personal: string; in: string; dn?: string; issuer?: string; default?: boolean; pw?: string; ifMissing?: boolean }
  /** A CA certificate added as a trusted signer. */
  | { signer: string; in: string; dn?: string; pw?: string }
  /** A pending certificate request. */
  | { request: string; in: string; dn?: string; pw?: string }
  /** A file of CA certificates (PEM, or DER for one); with `issuer`, of the leaf it issued;
   * `wellKnown`: the public root of that subject as Node ships it, where the script
   * downloads the real one (crt.sh). */
  | { pem: string; dn: string | string[]; der?: boolean; issuer?: string; wellKnown?: boolean }
  /** A PKCS#12 as openssl writes it: its key and certificate, with `name` as friendly name
   * (none when absent, as Go's go-pkcs12 and certutil write some), and the issuer's
   * certificate when `chain` (named `caname`, or unnamed). */
  | { p12: string; pw: string; dn: string; issuer?: string; name?: string; chain?: boolean; caname?: string }
  /** The certificate a CA (`issuer`) returns for the store's request `label`, or for a
   * renewal request of its personal certificate `label` (`renewal`). */
  | { signed: string; label: string; in: string; issuer: string; renewal?: boolean; pw?: string }
  /** A copy of a file, as a script's own `cp` makes it. */
  | { copy: string; to: string }
  /** What the person at the terminal types when the line asks for a password. */
  | { typed: string[] };

export type Verdict = 'ok' | 'refused' | 'wrong' | 'skipped';

export interface LineResult {
  /** Index in real-command-lines.json. */
  index: number;
  line: RealLine;
  /** The argv as run, the folder written as $TMP. */
  ran: string[];
  /** Each path of the argv and where it was moved. */
  paths: { from: string; to: string }[];
  /** Values the script took from an earlier step's output (READINGS), in place of the JSON's. */
  fed: { flag: string; value: string }[];
  code: number;
  stdout: string[];
  stderr: string[];
  verdict: Verdict;
  /** The refusal's message, the check that failed, or why the line was skipped. */
  why: string;
}

/** The Java front ends print their own list format (`Certificates in database:`): for
 * their lines only the exit status is compared. */
export const JAVA_TOOLS = new Set(['runmqckm', 'ikeycmd', 'gsk7cmd', 'gsk6cmd', 'gskcmd', 'gskcmd.bat', 'keyman']);

const PATH_FLAGS = new Set(['-db', '-file', '-target', '-new_db', '-keyfile']);

/** Actions that change files; as runmqakm's, they must print nothing on stdout when they
 * succeed (cli/RUNMQAKM.md §3.7: scripts die unless the output is empty). */
const CHANGES = new Set(['create', 'add', 'delete', 'import', 'export', 'extract', 'rename', 'receive', 'setdefault', 'changepw', 'stashpw', 'convert', 'recreate', 'modify', 'sign']);

export function loadLines(file: string): RealLine[] {
  return JSON.parse(readFileSync(file, 'utf8')) as RealLine[];
}

/** The lines in the order their scripts run them: each sequence by step, a line without
 * one alone. */
export function groupLines(lines: RealLine[]): { name: string; members: { index: number; line: RealLine }[] }[] {
  const groups = new Map<string, { index: number; line: RealLine }[]>();
  lines.forEach((line, index) => {
    const name = line.sequence ?? `line ${index}: ${line.tool} ${line.argv.slice(0, 2).join(' ')} (${/^index file id \d+|^[^ #]+/.exec(line.source)![0]})`;
    groups.set(name, [...(groups.get(name) ?? []), { index, line }]);
  });
  return [...groups].map(([name, members]) => ({ name, members: members.sort((a, b) => (a.line.step ?? 0) - (b.line.step ?? 0)) }));
}

/** Where a script's path lands in the folder `root`. Relative paths are taken from the
 * folder itself (`..` stops there); Windows `C:\x` becomes `C/x`. */
export function place(root: string, path: string): string {
  const windows = /^([A-Za-z]):\\(.*)$/.exec(path);
  if (windows) return join(root, windows[1]!, ...windows[2]!.split('\\'));
  return isAbsolute(path) ? join(root, path) : join(root, resolve('/', path));
}

/** The argv with each path moved under `root`. A PowerShell `""` element before a value
 * is skipped, as KeyDesk skips it. */
function rewrite(argv: readonly string[], root: string): { argv: string[]; paths: { from: string; to: string }[] } {
  const out = [...argv];
  const paths: { from: string; to: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!PATH_FLAGS.has(argv[i]!)) continue;
    let j = i + 1;
    while (argv[j] === '') j++;
    const value = argv[j];
    if (value === undefined || value.startsWith('-')) continue;
    out[j] = place(root, value);
    paths.push({ from: value, to: out[j]! });
    // Scripts make their folders (mkdir -p, mktemp -d) before they run the tool.
    mkdirSync(dirname(out[j]!), { recursive: true });
  }
  return { argv: out, paths };
}

const valueOf = (argv: readonly string[], flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i === -1 ? undefined : argv.slice(i + 1).find((a) => a !== '');
};

/** `CN=ROOTCA,O=MQ Test` (as GSKit prints it, most specific first) → openssl's `/O=MQ Test/CN=ROOTCA`. */
function subject(dn: string): string {
  const parts = dn.split(/(?<!\\),\s*/).map((p) => p.replace(/\//g, '\\/'));
  return `/${parts.reverse().join('/')}`;
}

/** CA and leaf certificates made with openssl, once per DN for the whole run. */
class Pki {
  private made = new Map<string, string>();
  private count = 0;
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  /** A new file name in dir, for what a fixture writes on its way. */
  scratch(extension: string): string {
    return join(this.dir, `scratch${++this.count}.${extension}`);
  }
  private openssl(args: string[]): void {
    runTool('openssl', args, { cwd: this.dir });
  }
  /** A CA's key and certificate (`<name>.key`, `<name>.pem` in dir). */
  ca(dn: string): string {
    const known = this.made.get(`ca ${dn}`);
    if (known) return known;
    const name = join(this.dir, `ca${++this.count}`);
    this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject(dn), '-days', '3650', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.made.set(`ca ${dn}`, name);
    return name;
  }
  /** A leaf's key and certificate, issued by the CA of `issuer` (self-signed without one). */
  leaf(dn: string, issuer?: string): string {
    const key = `leaf ${dn} by ${issuer ?? '-'}`;
    const known = this.made.get(key);
    if (known) return known;
    const name = join(this.dir, `leaf${++this.count}`);
    if (!issuer) {
      this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject(dn), '-days', '365']);
    } else {
      const ca = this.ca(issuer);
      this.openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject(dn)]);
      this.sign(`${name}.csr`, issuer, `${name}.pem`);
    }
    this.made.set(key, name);
    return name;
  }
  /** Signs a request with the CA of `issuer`, keeping its extensions (its SANs). */
  sign(csr: string, issuer: string, out: string): void {
    const ca = this.ca(issuer);
    this.openssl(['x509', '-req', '-in', csr, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', out, '-days', '365', '-copy_extensions', 'copy', '-extfile', this.leafExtensions(), '-extensions', 'leaf']);
  }
  private leafExtensions(): string {
    const file = join(this.dir, 'leaf.cnf');
    if (!existsSync(file)) writeFileSync(file, '[leaf]\nbasicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\n');
    return file;
  }
}

/** The public root certificate of subject `dn` among Node's bundled roots (Mozilla's list). */
function wellKnownRoot(dn: string): string {
  const wanted = dn.split(/(?<!\\),\s*/).sort().join('\n');
  const pem = rootCertificates.find((p) => new X509Certificate(p).subject.split('\n').sort().join('\n') === wanted);
  if (!pem) throw new Error(`fixture: no root certificate with subject ${dn} in Node's list`);
  return `${pem}\n`;
}

/** The peer tools a line's fixtures call. */
function toolsFor(fixtures: readonly Fixture[]): ('openssl' | 'keytool')[] {
  const tools = new Set<'openssl' | 'keytool'>();
  for (const f of fixtures) {
    if ('store' in f && f.by === 'keytool') tools.add('keytool').add('openssl');
    if (('personal' in f && f.issuer) || 'signer' in f || ('pem' in f && !f.wellKnown) || 'p12' in f || 'signed' in f) tools.add('openssl');
  }
  return [...tools];
}

export interface Io {
  code: number;
  out: string[];
  err: string[];
}

/** The CLI in-process, as run-cli.ts runs it; `typed` answers its password prompts as a
 * person at the terminal would (only lines whose script is run by hand have them). */
export async function keydesk(argv: readonly string[], typed?: readonly string[]): Promise<Io> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), debug: false };
  if (!typed) return { code: await runCli(argv, io), out, err };
  const answers = [...typed];
  const saved = { available: systemTerminal.available, ask: systemTerminal.ask };
  systemTerminal.available = () => true;
  systemTerminal.ask = () => answers.shift() ?? '';
  try {
    return { code: await runCli(argv, { ...io, interactive: true }), out, err };
  } finally {
    Object.assign(systemTerminal, saved);
  }
}

/** A fixture step that must work: KeyDesk's or a peer's failure here is the harness's, not the line's. */
async function must(argv: string[], what: string): Promise<void> {
  const r = await keydesk(argv);
  if (r.code !== 0) throw new Error(`fixture (${what}): keydesk ${argv.join(' ')} exited ${r.code}: ${r.err.join(' | ')}`);
}

const isNote = (l: string) => l.startsWith('keydesk: note: ') || l.startsWith('keydesk: warning: ');

export class Runner {
  readonly pki: Pki;
  /** Passwords of the stores the fixtures made, for the fixtures that fill them. */
  private passwords = new Map<string, string>();

  constructor(readonly dir: string) {
    this.pki = new Pki(join(dir, 'pki'));
  }

  /** The credentials a fixture uses for the store at `path`. */
  private credentials(path: string, line: RealLine, pw: string | undefined): string[] {
    const given = pw ?? valueOf(line.argv, '-pw') ?? this.passwords.get(path);
    if (given !== undefined) return ['-pw', given];
    return ['-stashed'];
  }

  private async make(f: Fixture, root: string, line: RealLine): Promise<void> {
    const at = (p: string) => {
      const full = place(root, p);
      mkdirSync(dirname(full), { recursive: true });
      return full;
    };
    if ('store' in f) {
      const path = at(f.store);
      const pw = f.pw ?? valueOf(line.argv, '-pw') ?? 'Fixture-Passw0rd1';
      const type = f.type ?? (/\.(p12|pfx)$/i.test(path) ? 'pkcs12' : /\.jks$/i.test(path) ? 'jks' : 'cms');
      // The other branch of an if/else the script takes on another run: the store as that run finds it.
      if (f.replace) for (const ext of ['', '.rdb', '.crl', '.sth']) rmSync(ext ? path.replace(/\.[^./]+$/, ext) : path, { force: true });
      if (f.by === 'keytool') {
        for (const [i, dn] of (f.trusted ?? []).entries()) {
          const ca = this.pki.ca(dn);
          runTool('keytool', ['-importcert', '-noprompt', '-alias', `trusted${i}`, '-file', `${ca}.pem`, '-keystore', path, '-storepass', pw, '-storetype', type === 'jks' ? 'JKS' : 'PKCS12']);
        }
      } else {
        await must(['-keydb', '-create', '-db', path, '-pw', pw, '-type', type, '-stash'], 'store');
      }
      this.passwords.set(path, pw);
    } else if ('personal' in f) {
      const path = at(f.in);
      const creds = this.credentials(path, line, f.pw);
      const dn = f.dn ?? `CN=${f.personal}`;
      // What an earlier step would have brought in, had it not been refused for its own defect.
      if (f.ifMissing && (await keydesk(['-cert', '-details', '-db', path, ...creds, '-label', f.personal])).code === 0) return;
      if (f.issuer) {
        // Issued by a CA, as a store in service holds it: imported with its key from what openssl wrote.
        const leaf = this.pki.leaf(dn, f.issuer);
        const p12 = this.pki.scratch('p12');
        runTool('openssl', ['pkcs12', '-export', '-inkey', `${leaf}.key`, '-in', `${leaf}.pem`, '-name', f.personal, '-out', p12, '-passout', 'pass:fixture']);
        const target = creds[0] === '-pw' ? ['-target_pw', creds[1]!] : ['-target_stashed'];
        await must(['-cert', '-import', '-file', p12, '-pw', 'fixture', '-target', path, ...target, ...(f.default ? ['-default_cert', 'yes'] : [])], `personal ${f.personal}`);
      } else {
        await must(['-cert', '-create', '-db', path, ...creds, '-label', f.personal, '-dn', dn, ...(f.default ? ['-default_cert', 'yes'] : [])], `personal ${f.personal}`);
      }
    } else if ('signer' in f) {
      const path = at(f.in);
      const ca = this.pki.ca(f.dn ?? `CN=${f.signer}`);
      await must(['-cert', '-add', '-db', path, ...this.credentials(path, line, f.pw), '-label', f.signer, '-file', `${ca}.pem`], `signer ${f.signer}`);
    } else if ('request' in f) {
      const path = at(f.in);
      const csr = this.pki.scratch('csr');
      await must(['-certreq', '-create', '-db', path, ...this.credentials(path, line, f.pw), '-label', f.request, '-dn', f.dn ?? `CN=${f.request}`, '-file', csr], `request ${f.request}`);
    } else if ('pem' in f) {
      const path = at(f.pem);
      if (f.wellKnown) {
        writeFileSync(path, [f.dn].flat().map(wellKnownRoot).join(''));
        return;
      }
      const names = [f.dn].flat().map((dn) => (f.issuer ? this.pki.leaf(dn, f.issuer) : this.pki.ca(dn)));
      if (f.der) runTool('openssl', ['x509', '-in', `${names[0]}.pem`, '-outform', 'DER', '-out', path]);
      else writeFileSync(path, Buffer.concat(names.map((n) => readFileSync(`${n}.pem`))));
    } else if ('p12' in f) {
      const path = at(f.p12);
      const leaf = this.pki.leaf(f.dn, f.issuer);
      const chain = f.chain && f.issuer ? ['-certfile', `${this.pki.ca(f.issuer)}.pem`, ...(f.caname ? ['-caname', f.caname] : [])] : [];
      runTool('openssl', ['pkcs12', '-export', '-inkey', `${leaf}.key`, '-in', `${leaf}.pem`, ...chain, ...(f.name ? ['-name', f.name] : []), '-out', path, '-passout', `pass:${f.pw}`]);
    } else if ('signed' in f) {
      const path = at(f.signed);
      const store = at(f.in);
      const csr = this.pki.scratch('csr');
      await must(['-certreq', f.renewal ? '-recreate' : '-extract', '-db', store, ...this.credentials(store, line, f.pw), '-label', f.label, '-target', csr], `request of ${f.label}`);
      this.pki.sign(csr, f.issuer, path);
    } else if ('copy' in f) {
      copyFileSync(at(f.copy), at(f.to));
    }
  }

  /** Runs one sequence (or lone line) in its own folder. */
  async runGroup(members: { index: number; line: RealLine }[], root: string): Promise<LineResult[]> {
    mkdirSync(root, { recursive: true });
    const results: LineResult[] = [];
    const outputs = new Map<number, string[]>();
    // A step that could not run leaves later steps without what they build on.
    let skippedBefore: string | undefined;
    for (const { index, line } of members) {
      const fixtures = line.fixtures ?? [];
      const missing = toolsFor(fixtures).filter((t) => !hasTool(t));
      const base = { index, line, paths: [] as { from: string; to: string }[], fed: [] as { flag: string; value: string }[], code: -1, stdout: [] as string[], stderr: [] as string[] };
      if (missing.length > 0 || skippedBefore) {
        skippedBefore ??= `${missing.join(' and ')} not installed`;
        results.push({ ...base, ran: line.argv, verdict: 'skipped', why: missing.length > 0 ? `${skippedBefore} (its fixtures need it)` : `an earlier step was skipped: ${skippedBefore}` });
        continue;
      }
      for (const f of fixtures) await this.make(f, root, line);
      const given = fed(line, outputs);
      const scripted = line.argv.map((a, i) => given.find((g) => line.argv[i - 1] === g.flag)?.value ?? a);
      const { argv, paths } = rewrite(scripted, root);
      const typed = fixtures.find((f): f is { typed: string[] } => 'typed' in f)?.typed;
      const r = await keydesk(argv, typed);
      if (line.step !== undefined) outputs.set(line.step, r.out);
      const shown = (s: string) => paths.reduce((t, p) => t.split(p.to).join(p.from), s).split(root).join('$TMP');
      const result: LineResult = {
        ...base,
        ran: argv.map((a) => a.split(root).join('$TMP')),
        paths: paths.map((p) => ({ from: p.from, to: p.to.split(root).join('$TMP') })),
        fed: given,
        code: r.code,
        stdout: r.out.map(shown),
        stderr: r.err.map(shown),
        ...judge(line, { code: r.code, out: r.out.map(shown), err: r.err.map(shown) }),
      };
      if (result.verdict === 'ok') {
        const wrong = misread(line, r.out);
        if (wrong) Object.assign(result, { verdict: 'wrong', why: wrong });
      }
      results.push(result);
    }
    return results;
  }
}

/** The verdict from the exit status and stderr alone. */
function judge(line: RealLine, r: Io): { verdict: Verdict; why: string } {
  const errors = r.err.filter((l) => l.trim() !== '');
  if (r.code === 0) {
    const stray = errors.filter((l) => !isNote(l));
    if (stray.length > 0) return { verdict: 'wrong', why: `exit 0 with error text on stderr: ${stray.join(' | ')}` };
    const action = line.argv.slice(1, 4).map((a) => a.slice(1)).find((a) => CHANGES.has(a));
    if (action && r.out.length > 0 && !JAVA_TOOLS.has(line.tool)) return { verdict: 'wrong', why: `a change printed on stdout: ${r.out.join(' | ')}` };
    return { verdict: 'ok', why: errors.join(' | ') };
  }
  if (errors.length !== 1) return { verdict: 'wrong', why: `exit ${r.code} with ${errors.length} lines on stderr: ${errors.join(' | ')}` };
  const message = errors[0]!;
  if (/internal error/i.test(message) || !message.startsWith('keydesk: ')) return { verdict: 'wrong', why: message };
  return { verdict: 'refused', why: message };
}

// ---- The scripts' own reading of the output (cli/testing/REAL-SCRIPTS.md) ----

/**
 * How a script reads a line's output: what it extracts, and whether that is what it
 * needs. Where the script passes what it read to a later step (a label it then renames or
 * sets as default), `feeds` names that step and flag: the later line runs with the value
 * read here, as the script runs it, in place of the value substituted in the JSON.
 */
interface Reading {
  name: string;
  at: (line: RealLine) => boolean;
  /** What the script extracts from stdout (labels, a date…). */
  read: (out: string[]) => string[];
  /** undefined when the script gets what it needs; else what goes wrong for it. */
  expect: (found: string[], line: RealLine) => string | undefined;
  feeds?: { steps: number[]; flag: string };
}

const step = (sequence: string, n: number) => (l: RealLine) => l.sequence === sequence && l.step === n;

/** GNU date's reading of a date text (as `date -d "$x" +%Y%m%d`), undefined when it cannot. */
function gnuDate(text: string): string | undefined {
  const r = spawnSync('date', ['-d', text, '+%Y%m%d'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
let gnuDateHere: boolean | undefined;
const haveGnuDate = () => (gnuDateHere ??= gnuDate('2031-07-24') === '20310724');
const todayYmd = () => new Date().toISOString().slice(0, 10).replace(/-/g, '');
/** A date the script reads, for a certificate the fixtures made valid: later than today. */
function readsAsValid(text: string): string | undefined {
  if (!haveGnuDate()) return undefined;
  const date = gnuDate(text);
  return date && date >= todayYmd() ? undefined : `date -d reads ${JSON.stringify(text)} as ${JSON.stringify(date ?? 'invalid date')}`;
}

/** Go's strings.TrimLeft(s, "-*!") then TrimSpace, and tls.go's strings.Trim(label, "\""). */
const goLabel = (s: string, cutset: RegExp) => s.replace(cutset, '').trim().replace(/^"+|"+$/g, '');
const one = (what: string) => (found: string[]) => (found.length === 1 ? undefined : `${found.length} ${what} found: ${JSON.stringify(found)}`);
const some = (what: string) => (found: string[]) => (found.length > 0 && found.every((f) => f !== '') ? undefined : `no ${what} found`);

export const READINGS: Reading[] = [
  {
    name: 'mq-container GetCertificateLabels (keystore.go L186-188): the imported key, which relabelCertificate renames',
    at: step('mq-container-tls-startup', 4),
    read: (out) => out.filter((s) => s.startsWith('-') || s.startsWith('*-')).map((s) => goLabel(s, /^[-*]+/)),
    expect: one('personal label'),
    feeds: { steps: [5], flag: '-label' },
  },
  {
    name: 'mq-container ListAllCertificates (keystore.go L232-233): the two trusted certificates, each renamed Trust<i>',
    at: step('mq-container-tls-startup', 7),
    read: (out) => out.filter((s) => /^(-|\*-|!)/.test(s)).map((s) => goLabel(s, /^[-*!]+/)),
    expect: (found) => (found.length === 2 ? undefined : `${found.length} labels found: ${JSON.stringify(found)}`),
    feeds: { steps: [8], flag: '-label' },
  },
  {
    name: 'mq-container ConfigureTLS: SSLKEYR is set only when the list is not empty',
    at: step('mq-container-tls-startup', 10),
    read: (out) => out.filter((s) => /^(-|\*-|!)/.test(s)),
    expect: some('certificate'),
  },
  {
    name: 'CertNanny _getCertLabel: s{\\A[\\-!]\\s*}{} and the last line matching ibmwebspheremq.*',
    at: step('certnanny-mq-renew', 1),
    read: (out) => out.map((l) => l.replace(/^[-!]\s*/, '')).filter((l) => /ibmwebspheremq.*/.test(l)).slice(-1),
    expect: (found) => (found[0] === 'ibmwebspheremqqm1' ? undefined : `it takes ${JSON.stringify(found[0])} for the queue manager's certificate`),
    feeds: { steps: [2, 3], flag: '-label' },
  },
  {
    name: 'CertNanny installCert: every label m/\\t(.*$)/ finds (but the header and legend) is deleted',
    at: step('certnanny-mq-install', 2),
    read: (out) => out.filter((l) => !/Certificates found/.test(l) && !/default, - /.test(l)).flatMap((l) => /\t(.*$)/.exec(l)?.[1] ?? []),
    expect: (found) => (found.length === 0 ? undefined : `in a new store it would delete ${JSON.stringify(found)}`),
  },
  {
    name: "covener list_expiry.sh: grep -v 'secret key' | grep \\* | awk '{print $2}' | sed s/\"//g, the default certificate",
    at: step('covener-list-expiry', 1),
    read: (out) => out.filter((l) => !l.includes('secret key') && l.includes('*')).map((l) => (l.trim().split(/\s+/)[1] ?? '').replace(/"/g, '')),
    expect: (found) => (found.length === 1 && found[0] === 'default' ? undefined : `it finds ${JSON.stringify(found)}, not the default certificate "default"`),
    feeds: { steps: [2], flag: '-label' },
  },
  {
    name: 'covener mergekdbs.sh: grep ^\\! | cut -d\\! -f 2 | sed s/"//g, each trusted label (read strips the TAB)',
    at: step('covener-mergekdbs', 2),
    read: (out) => out.filter((l) => l.startsWith('!')).map((l) => l.split('!')[1]!.replace(/"/g, '').trim()),
    expect: (found) => (found.includes('Root CA') ? undefined : `it finds ${JSON.stringify(found)}`),
  },
  {
    name: 'covener list_ca_details.sh: grep ^\\! | cut -d\\! -f 2 | sed s/"//g, each trusted label (read strips the TAB)',
    at: step('covener-list-ca-details', 1),
    read: (out) => out.filter((l) => l.startsWith('!')).map((l) => l.split('!')[1]!.replace(/"/g, '').trim()),
    expect: (found) => (found.includes('Root CA') ? undefined : `it finds ${JSON.stringify(found)}`),
    feeds: { steps: [2], flag: '-label' },
  },
  {
    name: "Db2 ssl_certificate.sh: tail -1 | awk '{print $2}', the server certificate's label",
    at: step('db2-ssl-expiry-check', 1),
    read: (out) => [(out.at(-1) ?? '').trim().split(/\s+/)[1] ?? ''],
    expect: (found) => (found[0] === 'mylabel' ? undefined : `the last line gives ${JSON.stringify(found[0])}, not the server certificate "mylabel"`),
    feeds: { steps: [2], flag: '-label' },
  },
  {
    name: "Db2 ssl_certificate.sh: grep -i 'Not After' | awk -F ': ' '{print $2}' | awk '{print $1\" \"$2\" \"$3}', then date -d \"$EXPDATE - 7 days\"",
    at: step('db2-ssl-expiry-check', 2),
    read: (out) => [out.filter((l) => /not after/i.test(l)).map((l) => (l.split(': ')[1] ?? '').split(/\s+/).filter(Boolean).slice(0, 3).join(' ')).join('\n')],
    expect: (found) => readsAsValid(`${found[0]} - 7 days`),
  },
  {
    name: 'mqsslsetup.sh exp_certs: grep "To ", else grep "Not After", ${l2#Not After : }, awk $1-$4, date -d (a certificate it cannot date is deleted)',
    at: (l) => step('mqsslsetup-f-remove-expired', 2)(l) || step('mqsslsetup-g-replace', 1)(l),
    read: (out) => {
      const to = out.filter((l) => l.includes('To '));
      // The unquoted echo joins grep's lines with spaces.
      const l4 = to.length > 0 ? to.join(' ').replace(/^To {11}: /, '') : out.filter((l) => l.includes('Not After')).join(' ').replace(/^Not After : /, '');
      return [l4.split(/\s+/).filter(Boolean).slice(0, 4).join(' ') || '99991231'];
    },
    expect: (found) => readsAsValid(found[0]!),
  },
  {
    name: "WebSEAL guide: grep 'Not After' | awk -F: '{print $2}', then date -d",
    at: step('webseal-check-certs', 2),
    read: (out) => [out.filter((l) => l.includes('Not After')).map((l) => l.split(':')[1] ?? '').join('\n')],
    expect: (found) => readsAsValid(found[0]!),
  },
  {
    name: 'Liberty plug-in set-up: grep "^-[[:space:]]" | head -1 | sed "s/^-[[:space:]]*//", the personal label -setdefault takes',
    at: step('liberty-odr-plugin-key', 2),
    read: (out) => out.filter((l) => /^-\s/.test(l)).slice(0, 1).map((l) => l.replace(/^-\s*/, '')),
    expect: one('personal label'),
    feeds: { steps: [3], flag: '-label' },
  },
  {
    name: 'Db2 container: grep "^-" | head -1 | sed "s/^-[[:space:]]*//" | sed "s/[[:space:]]*$//", the personal label -setdefault takes',
    at: step('db2-container-ssl', 5),
    read: (out) => out.filter((l) => l.startsWith('-')).slice(0, 1).map((l) => l.replace(/^-\s*/, '').replace(/\s*$/, '')),
    expect: one('personal label'),
    feeds: { steps: [6], flag: '-label' },
  },
  {
    name: 'CA-2036 roll-out: grep $CA_2036_LABEL, then the old CA is deleted',
    at: step('mq-ca-2036-rollout', 1),
    read: (out) => out.filter((l) => l.includes('wmqca_2036')),
    expect: some('line with wmqca_2036'),
  },
  {
    name: "mqsslsetup.sh menu 16: grep -i password | cut -d: -f2, ' 0' for no expiry",
    at: (l) => l.argv.includes('-keydb') && l.argv.includes('-expiry'),
    read: (out) => [out.filter((l) => /password/i.test(l)).map((l) => l.split(':')[1]).join('\n')],
    expect: (found) => (found[0] === ' 0' ? undefined : `it reads ${JSON.stringify(found[0])} and passes it to date --date`),
  },
  {
    name: 'ITM renewCert: -cert -list -label default shows that entry',
    at: step('itm-teps-renew-default-cert', 5),
    read: (out) => out.filter((l) => /^\*?[-!]\t"?default"?$/.test(l)),
    expect: one('line for default'),
  },
];

/** The first reading (of those for a native tool's line) whose script gets it wrong. */
function misread(line: RealLine, out: string[]): string | undefined {
  if (JAVA_TOOLS.has(line.tool)) return undefined;
  for (const r of READINGS) {
    if (!r.at(line)) continue;
    const wrong = r.expect(r.read(out), line);
    if (wrong) return `${r.name}: ${wrong}`;
  }
  return undefined;
}

/** The values a line takes from earlier steps' output, as its script passes them. */
function fed(line: RealLine, outputs: Map<number, string[]>): { flag: string; value: string }[] {
  if (!line.sequence || line.step === undefined || JAVA_TOOLS.has(line.tool)) return [];
  return READINGS.flatMap((r) => {
    if (!r.feeds?.steps.includes(line.step!)) return [];
    const producer = [...outputs].find(([n]) => r.at({ ...line, step: n }));
    const value = producer && r.read(producer[1])[0];
    return value ? [{ flag: r.feeds.flag, value }] : [];
  });
}

/** keydesk_today as this run found it. */
export function today(result: LineResult, reasons: Record<number, string>): RealLine['keydesk_today'] {
  if (result.verdict === 'ok') {
    const how = [
      // Only where the script's reading differs from the value the JSON guessed for it.
      ...result.fed.filter((f) => valueOf(result.line.argv, f.flag) !== f.value).map((f) => `${f.flag} ${f.value} as the script reads it from an earlier step's output`),
      ...(result.line.fixtures?.some((f) => 'typed' in f) ? ['the password typed at the prompt'] : []),
    ];
    return how.length > 0 ? { exit: 0, basis: `ok with ${how.join(', ')}` } : { exit: 0 };
  }
  const says = result.verdict === 'skipped' ? undefined : result.stderr.filter((l) => !isNote(l)).at(-1);
  const basis = reasons[result.index] ?? `${result.verdict}: ${result.why}`;
  return { exit: result.code, ...(says ? { says } : {}), basis };
}

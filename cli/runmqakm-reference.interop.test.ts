/**
 * cli/RUNMQAKM.md's rows that no other test proved (issue 14: "for each row, KeyDesk's
 * status and the test that proves it"): what KeyDesk does with each documented object,
 * action, flag and value — supported, different, accepted and ignored, refused by name, or
 * not supported — checked the way a script would check it: exit status, stdout, and the
 * store as `-cert -list` shows it afterwards.
 *
 * Each test cites the RUNMQAKM.md section and the source id of the row it proves
 * ([IBM] I…, [IBM-code] G…, [3P] G…, as listed in RUNMQAKM.md §0).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasTool, makeTempDir, missingNote, runTool } from '../core/testing/peer-tools';
import { ibmDate } from './ibm-text';
import { cli, ok, okNotes } from './testing/run-cli';

const temp = makeTempDir('keydesk-reference-');
afterAll(() => temp.cleanup());
let folders = 0;
/** A fresh folder per test. */
const folder = () => {
  const dir = join(temp.dir, `t${++folders}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const keydeskBin = resolve(__dirname, '../bin/keydesk');
const LEGEND = '* default, - personal, ! trusted, # secret key';

async function newStore(path: string, type = 'cms', pw = 'Passw0rd1'): Promise<string[]> {
  await ok('-keydb', '-create', '-db', path, '-pw', pw, '-type', type, '-stash');
  return ['-db', path, '-stashed'];
}

/** The listing's entry lines (mark, TAB, label), or [] for "No certificates were found." */
async function listed(...args: string[]): Promise<string[]> {
  const out = await ok('-cert', '-list', ...args);
  return out === 'No certificates were found.' ? [] : out.split('\n').slice(2);
}

/** A run refused with one line on stderr, nothing on stdout. */
function refusedInOneLine(r: { code: number; out: string; err: string }, code: number, says: RegExp): void {
  expect(r.code, r.err).toBe(code);
  expect(r.out).toBe('');
  expect(r.err.split('\n')).toHaveLength(1);
  expect(r.err).toMatch(says);
}

describe('§1 command-line grammar', () => {
  it('joined option forms (-label=x, -dbFILE) and flags before the object are usage errors naming the word; the two-word form works', async () => {
    // [IBM] I12: "an option and operand pair"; joined forms appear in no source (§1, §8 question 8).
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    await ok('-cert', '-create', ...db, '-label', 'two words', '-dn', 'CN=two words');
    refusedInOneLine(await cli('-cert', '-list', `-db=${join(dir, 'k.kdb')}`, '-stashed'), 2, /-cert -list does not take -db=/);
    refusedInOneLine(await cli('-cert', '-list', `-db${join(dir, 'k.kdb')}`, '-stashed'), 2, /-cert -list does not take -db\//);
    refusedInOneLine(await cli('-cert', '-details', ...db, '-label=x'), 2, /-cert -details does not take -label=x/);
    // I12: "The object and action keywords are positional": nothing may stand before the object.
    refusedInOneLine(await cli('-db', join(dir, 'k.kdb'), '-cert', '-list', '-stashed'), 2, /unknown object -db/);
    expect(await listed(...db)).toEqual(['-\t"two words"']);
  });

  it('object, action and flag names and keyword values match ignoring case (-CERT -LIST CA, -TYPE CMS, -format BINARY, -trust DISABLE, -new_format P12)', async () => {
    // [3P] §1 "value case": `-cert -list CA` (DISA STIG), `-format ASCII` (G18), `-type CMS`, `-new_format p12` (G16).
    const dir = folder();
    const path = join(dir, 'k.kdb');
    await ok('-KEYDB', '-CREATE', '-DB', path, '-PW', 'Passw0rd1', '-TYPE', 'CMS', '-STASH');
    await ok('-cert', '-create', '-db', path, '-stashed', '-label', 'ca', '-dn', 'CN=Case CA', '-ca', 'TRUE');
    await ok('-cert', '-extract', '-db', path, '-stashed', '-label', 'ca', '-target', join(dir, 'ca.der'), '-format', 'BINARY');
    expect(readFileSync(join(dir, 'ca.der'))[0]).toBe(0x30); // DER, not PEM
    await newStore(join(dir, 'other.kdb'));
    await ok('-Cert', '-Add', '-db', join(dir, 'other.kdb'), '-Stashed', '-label', 'case ca', '-file', join(dir, 'ca.der'), '-Format', 'Binary', '-Trust', 'DISABLE');
    expect(await listed('CA', '-DB', join(dir, 'other.kdb'), '-STASHED', '-TYPE', 'cms')).toEqual([' \t"case ca"']);
    expect(await listed('ALL', '-db', join(dir, 'other.kdb'), '-stashed')).toEqual([' \t"case ca"']);
    await ok('-keydb', '-convert', '-db', path, '-stashed', '-new_db', join(dir, 'k.p12'), '-new_format', 'P12');
    expect(await ok('-keydb', '-list', '-db', join(dir, 'k.p12'), '-pw', 'Passw0rd1')).toBe('pkcs12');
  });

  it("-? after an action is a usage error (exit 2), not GSKit's -Command usage- text; -? or -help alone prints KeyDesk's help", async () => {
    // [3P] G8: `gsk8capicmd_64 -cert -create -?` prints "-Command usage-"; [IBM] I12: -help is an object.
    const usage = await cli('-cert', '-create', '-?');
    refusedInOneLine(usage, 2, /-cert -create does not take -\?/);
    expect(usage.out).not.toContain('-Command usage-');
    for (const argv of [['-?'], ['-help']]) {
      const help = await cli(...argv);
      expect(help.code).toBe(0);
      expect(help.lines[0]).toMatch(/^KeyDesk/);
      expect(help.out).toContain('keydesk -cert -create');
    }
  });

  it("a label holding ' is created, listed, renamed and deleted as given (G2's runmqakm quirk is not copied)", async () => {
    // [IBM-code] G2: "runmqakm can't handle certs with ' in them so just use capicmd" (-cert -rename).
    const db = await newStore(join(folder(), 'k.kdb'));
    await ok('-cert', '-create', ...db, '-label', "it's mine", '-dn', "CN=Let's Encrypt test");
    expect(await listed(...db)).toEqual(['-\t"it\'s mine"']);
    await okNotes('-cert', '-rename', ...db, '-label', "it's mine", '-new_label', "O'Brien");
    expect(await listed(...db)).toEqual(["-\tO'Brien"]);
    expect((await ok('-cert', '-details', ...db, '-label', "O'Brien")).split('\n')).toEqual(expect.arrayContaining(["Label : O'Brien", 'Subject : "CN=Let\'s Encrypt test"']));
    await okNotes('-cert', '-delete', ...db, '-label', "o'brien");
    expect(await listed(...db)).toEqual([]);
  });

  it('the real process: the one command is keydesk (-version says so), and dates stay en_US under LC_ALL=de_DE', async () => {
    // §1 "tool names" ([IBM] I12, I13; G11), §3.5 -version (G5), §3.2 dates: GSKit localises them
    // (I21 contents "Forcing output to a different locale"; G1 prints en_GB) — KeyDesk never does.
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8'));
    expect(Object.keys(pkg.bin)).toEqual(['keydesk']);
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    await ok('-cert', '-create', ...db, '-label', 'dated', '-dn', 'CN=dated', '-expire', '40');
    const facts = JSON.parse(await ok('-cert', '-details', ...db, '-label', 'dated', '-json'));
    const env = { ...process.env, LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8', KEYDESK_DEBUG: '' };
    // The control: under this environment node itself formats dates in German.
    const german = spawnSync(process.execPath, ['-e', 'process.stdout.write(new Date(Date.UTC(2026, 2, 1)).toLocaleDateString(undefined, { month: "long" }))'], { encoding: 'utf8', env });
    expect(german.stdout).toBe('März');
    const version = spawnSync(keydeskBin, ['-version'], { encoding: 'utf8', env });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.split('\n')).toEqual(expect.arrayContaining(['@(#)InternalName:     keydesk', '@(#)OriginalFilename: keydesk']));
    const details = spawnSync(keydeskBin, ['-cert', '-details', ...db, '-label', 'dated'], { encoding: 'utf8', env });
    expect(details.status, details.stderr).toBe(0);
    const lines = details.stdout.split('\n');
    expect(lines).toContain(`Not Before : ${ibmDate(facts.notBefore)}`);
    expect(lines).toContain(`Not After : ${ibmDate(facts.notAfter)}`);
    expect(lines.find((l) => l.startsWith('Not After : '))).toMatch(/^Not After : [A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M GMT[+-]\d{2}:\d{2}$/);
  }, 30_000);
});

describe('§2.1 and §2.5 objects KeyDesk does not have', () => {
  it('-secretkey (-create, -extract), -crl and -seckey are unknown objects: one line, exit 2, the store unchanged', async () => {
    // [IBM] I6 (-secretkey -create -size), [3P] G23 (-secretkey -extract); -crl, -seckey: no source (§2.1).
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    const before = readFileSync(join(dir, 'k.kdb'));
    for (const argv of [
      ['-secretkey', '-create', ...db, '-label', 'aes', '-size', '32'],
      ['-secretkey', '-extract', ...db, '-label', 'aes', '-target', join(dir, 'aes.key'), '-format', 'binary'],
      ['-crl', '-list', ...db],
      ['-seckey', '-list', ...db],
    ]) {
      refusedInOneLine(await cli(...argv), 2, new RegExp(`^keydesk: unknown object ${argv[0]}`));
    }
    expect(readFileSync(join(dir, 'k.kdb')).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'aes.key'))).toBe(false);
  });
});

describe('§2.2 -keydb', () => {
  it("-strong on -keydb -create and -changepw checks the new password against IBM's rules: refused in one line naming the rule, nothing written; one that meets them is set; -changepw takes -expire, -stash and -fips", async () => {
    // [IBM] I5 (zh): -strong — 14 characters or more, lower and upper case, a digit or special
    // character, no character more than three times, never three alike in a row, printable ASCII.
    const dir = folder();
    const weak: Array<[string, RegExp]> = [
      ['Short-Pw1', /at least 14 characters, not 9/],
      ['all-lowercase-here-1', /needs an uppercase letter/],
      ['ALL-UPPERCASE-HERE-1', /needs a lowercase letter/],
      ['OnlyLettersHereAndThere', /needs a digit or a special character/],
      ['Passw0rd-a-a-a-Bcd', /"a" occurs 4 times/],
      ['Passw0rd-xxx-Bcd', /"x" stands three times in a row/],
      ['Passw0rd-Grüße-1', /printable ASCII characters only/],
    ];
    for (const [password, rule] of weak) {
      refusedInOneLine(await cli('-keydb', '-create', '-db', join(dir, 'strong.kdb'), '-pw', password, '-strong'), 1, rule);
      expect(existsSync(join(dir, 'strong.kdb')), password).toBe(false);
    }
    await ok('-keydb', '-create', '-db', join(dir, 'strong.kdb'), '-pw', 'Strong-Passw0rd-1', '-strong');
    await ok('-cert', '-list', '-db', join(dir, 'strong.kdb'), '-pw', 'Strong-Passw0rd-1');
    const db = join(dir, 'k.kdb');
    await newStore(db, 'cms', 'Old-Passw0rd1');
    refusedInOneLine(await cli('-keydb', '-changepw', '-db', db, '-pw', 'Old-Passw0rd1', '-new_pw', 'New-Passw0rd2', '-strong'), 1, /-strong's rules: it needs at least 14 characters/);
    await ok('-cert', '-list', '-db', db, '-pw', 'Old-Passw0rd1');
    await ok('-cert', '-list', '-db', db, '-stashed');
    await okNotes('-keydb', '-changepw', '-db', db, '-pw', 'Old-Passw0rd1', '-new_pw', 'New-Passw0rd2', '-expire', '60', '-stash', '-fips');
    await ok('-cert', '-list', '-db', db, '-stashed');
    await ok('-cert', '-list', '-db', db, '-pw', 'New-Passw0rd2');
    expect((await cli('-cert', '-list', '-db', db, '-pw', 'Old-Passw0rd1')).code).toBe(1);
    // The lifetime is not recorded: KeyDesk does not expire passwords (§3.4).
    expect(await ok('-keydb', '-expiry', '-db', db, '-stashed')).toBe('Password Expiry Time : 0');
  });

  it('-keydb -create without -type takes the type from the file name: .p12/.pfx a PKCS#12 openssl reads, .jks/.jceks Java stores, anything else CMS', async () => {
    // [inferred] §2.6 -type "from the file"; a CMS database under a .p12 name is unreadable to every other tool.
    const dir = folder();
    const expected: Record<string, string> = { 'a.p12': 'pkcs12', 'b.pfx': 'pkcs12', 'c.jks': 'jks', 'd.jceks': 'jceks', 'e.kdb': 'cms', 'f.db': 'cms' };
    for (const [name, type] of Object.entries(expected)) {
      await ok('-keydb', '-create', '-db', join(dir, name), '-pw', 'Passw0rd1');
      expect(await ok('-keydb', '-list', '-db', join(dir, name), '-pw', 'Passw0rd1'), name).toBe(type);
    }
    expect(existsSync(join(dir, 'a.rdb'))).toBe(false);
    if (hasTool('openssl')) {
      const read = spawnSync('openssl', ['pkcs12', '-in', join(dir, 'a.p12'), '-passin', 'pass:Passw0rd1', '-nokeys'], { encoding: 'utf8' });
      expect(read.status, read.stderr).toBe(0);
    }
  });
});

describe('§5 the files of a store', () => {
  it('CMS: .kdb, .rdb, .crl and .sth at one stem, 144 bytes each (version 6) or G4\'s 88 with -version 4, which a request grows to 5088; a PKCS#12\'s stash is <stem>.sth', async () => {
    // [IBM] I17: the stash is "at the same path as the keystore, with a file extension of .sth";
    // [3P] G4, G8: fresh CMS files of 88 bytes, a 193-byte .sth, the .rdb at 5088 after -certreq -create.
    const dir = folder();
    const size = (name: string) => statSync(join(dir, name)).size;
    await newStore(join(dir, 'v6.kdb'));
    expect(['v6.kdb', 'v6.rdb', 'v6.crl', 'v6.sth'].map(size)).toEqual([144, 144, 144, 193]);
    await ok('-keydb', '-create', '-db', join(dir, 'v4.kdb'), '-pw', 'Passw0rd1', '-type', 'cms', '-version', '4', '-stash');
    expect(['v4.kdb', 'v4.rdb', 'v4.crl', 'v4.sth'].map(size)).toEqual([88, 88, 88, 193]);
    await okNotes('-certreq', '-create', '-db', join(dir, 'v4.kdb'), '-stashed', '-label', 'req', '-dn', 'CN=req', '-size', '2048', '-file', join(dir, 'req.arm'));
    expect(size('v4.rdb')).toBe(5088);
    expect(size('v4.kdb')).toBe(88);
    await newStore(join(dir, 'store.p12'), 'pkcs12');
    expect(size('store.sth')).toBe(193);
    expect(await listed('-db', join(dir, 'store.p12'), '-stashed')).toEqual([]);
  });

  it.skipIf(!hasTool('openssl'))(`a PKCS#12 with an empty password opens given no password, or -pw "" before another flag; one with a password is refused without it, naming the file${missingNote('openssl')}`, async () => {
    // §5 "password sources" ([IBM] I13, I14); real-command-lines.json #122 (index file id 57943786667):
    // `-cert -import -file new_cert.p12 -type pkcs12 -target pdsrv.kdb -stashed -label …`, no password
    // for the PKCS#12, and #124 `-cert -validate -label … -db new_cert.p12`, none at all.
    const dir = folder();
    runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.pem', '-subj', '/CN=portail', '-days', '30'], { cwd: dir });
    runTool('openssl', ['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-name', 'portail', '-out', 'new_cert.p12', '-passout', 'pass:'], { cwd: dir });
    runTool('openssl', ['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-name', 'portail', '-out', 'locked.p12', '-passout', 'pass:secret'], { cwd: dir });
    const target = await newStore(join(dir, 'pdsrv.kdb'));
    const saved = process.env.KEYDESK_PW;
    delete process.env.KEYDESK_PW;
    try {
      refusedInOneLine(await cli('-cert', '-list', '-db', join(dir, 'locked.p12')), 2, /no password for .*locked\.p12/);
      refusedInOneLine(
        await cli('-cert', '-import', '-file', join(dir, 'locked.p12'), '-type', 'pkcs12', '-target', join(dir, 'pdsrv.kdb'), '-stashed', '-label', 'portail'),
        2,
        /no password for .*locked\.p12/,
      );
      expect(await listed(...target)).toEqual([]);
      expect(await listed('-db', join(dir, 'new_cert.p12'))).toEqual(['-\tportail']);
      expect(await listed('-db', join(dir, 'new_cert.p12'), '-pw', '', '-type', 'pkcs12')).toEqual(['-\tportail']);
      await ok('-cert', '-import', '-file', join(dir, 'new_cert.p12'), '-type', 'pkcs12', '-target', join(dir, 'pdsrv.kdb'), '-stashed', '-label', 'portail');
      expect(await listed(...target)).toEqual(['-\tportail']);
    } finally {
      if (saved === undefined) delete process.env.KEYDESK_PW;
      else process.env.KEYDESK_PW = saved;
    }
  });
});

describe('§2.3 -cert', () => {
  it('-cert -create needs -label and -dn; -template, -certpolicy, -pqcdemo, -pqcdemor are usage errors; -secondarydb without -crypto is a usage error; nothing written', async () => {
    // [3P] G8 (usage text: -label "Optional", -dn | -template, -certpolicy, -pqcdemo, -pqcdemor, -secondarydb);
    // [IBM] I8: -san_* may stand in for -dn (runmqckm).
    const db = await newStore(join(folder(), 'k.kdb'));
    refusedInOneLine(await cli('-cert', '-create', ...db, '-dn', 'CN=no label'), 2, /-cert -create needs -label/);
    refusedInOneLine(await cli('-cert', '-create', ...db, '-label', 'san', '-san_dnsname', 'qm1.example'), 2, /-cert -create needs -dn/);
    for (const extra of [['-template', 'tls'], ['-certpolicy', '1.2.3.4'], ['-pqcdemo'], ['-pqcdemor']]) {
      refusedInOneLine(await cli('-cert', '-create', ...db, '-label', 'x', '-dn', 'CN=x', ...extra), 2, new RegExp(`-cert -create does not take ${extra[0]}`));
    }
    // The usage text: "-secondarydb Optional if -crypto present" — it goes with a token.
    refusedInOneLine(await cli('-cert', '-create', ...db, '-label', 'x', '-dn', 'CN=x', '-secondarydb', 'second.kdb', '-secondarydbpw', 'x'), 2, /-secondarydb goes with -crypto MODULE/);
    expect(await listed(...db)).toEqual([]);
  });

  it.skipIf(!hasTool('openssl'))(`-cert -export -encryption strong and weak are accepted and write the same protection; another word is a usage error${missingNote('openssl')}`, async () => {
    // [IBM] I4: -encryption, "Strength of encryption used in certificate export command".
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    await ok('-cert', '-create', ...db, '-label', 'qm1', '-dn', 'CN=QM1');
    const protection = (file: string) => {
      const r = spawnSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Export-pw1', '-info', '-noout'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return `${r.stdout}${r.stderr}`;
    };
    for (const strength of ['strong', 'weak']) {
      await okNotes('-cert', '-export', ...db, '-label', 'qm1', '-target', join(dir, `${strength}.p12`), '-target_pw', 'Export-pw1', '-target_type', 'pkcs12', '-encryption', strength);
    }
    const strong = protection(join(dir, 'strong.p12'));
    expect(strong).toMatch(/AES-256-CBC/);
    expect(protection(join(dir, 'weak.p12'))).toBe(strong);
    expect(await listed('-db', join(dir, 'weak.p12'), '-pw', 'Export-pw1')).toEqual(['-\tqm1']);
    refusedInOneLine(await cli('-cert', '-export', ...db, '-label', 'qm1', '-target', join(dir, 'odd.p12'), '-target_pw', 'Export-pw1', '-encryption', 'nonsense'), 2, /-encryption takes strong, weak, not "nonsense"/);
    expect(existsSync(join(dir, 'odd.p12'))).toBe(false);
  });

  it('a successful change prints nothing on stdout: -keydb -create, -cert -create, -add, -modify, -setdefault, -rename, -delete, -certreq -create, -cert -sign, -receive', async () => {
    // [3P] G4 (the shell prompt follows each of these), G18 (scripts die unless -cert -sign's output is "").
    const dir = folder();
    expect(await okNotes('-keydb', '-create', '-db', join(dir, 'ca.kdb'), '-pw', 'Passw0rd1', '-type', 'cms', '-stash')).toBe('');
    const ca = ['-db', join(dir, 'ca.kdb'), '-stashed'];
    await okNotes('-cert', '-create', ...ca, '-label', 'ca', '-dn', 'CN=Quiet CA', '-ca', 'true');
    await okNotes('-cert', '-extract', ...ca, '-label', 'ca', '-target', join(dir, 'ca.pem'));
    await okNotes('-keydb', '-create', '-db', join(dir, 'qm.kdb'), '-pw', 'Passw0rd1', '-type', 'cms', '-stash');
    const qm = ['-db', join(dir, 'qm.kdb'), '-stashed'];
    await okNotes('-cert', '-add', ...qm, '-label', 'ca', '-file', join(dir, 'ca.pem'));
    await okNotes('-cert', '-modify', ...qm, '-label', 'ca', '-trust', 'disable');
    await okNotes('-cert', '-modify', ...qm, '-label', 'ca', '-trust', 'enable');
    await okNotes('-certreq', '-create', ...qm, '-label', 'qm1', '-dn', 'CN=QM1', '-file', join(dir, 'qm1.csr'));
    await okNotes('-cert', '-sign', ...ca, '-label', 'ca', '-file', join(dir, 'qm1.csr'), '-target', join(dir, 'qm1.arm'), '-expire', '30');
    await okNotes('-cert', '-receive', ...qm, '-file', join(dir, 'qm1.arm'));
    await okNotes('-cert', '-setdefault', ...qm, '-label', 'qm1');
    await okNotes('-cert', '-rename', ...qm, '-label', 'ca', '-new_label', 'quiet ca');
    expect(await listed(...qm)).toEqual(['!\t"quiet ca"', '*-\tqm1']);
    await okNotes('-cert', '-delete', ...qm, '-label', 'quiet ca');
    expect(await listed(...qm)).toEqual(['*-\tqm1']);
  });
});

describe('§2.6 value sets', () => {
  it('runmqckm-era names: MD2WithRSA and MD2_WITH_RSA are refused by name; SHA3WithRSA and SHA5WithRSA make SHA-384 and SHA-512, as I1 says', async () => {
    // [IBM] I1: `MD2_WITH_RSA | MD2WithRSA | …`; I1, I4: "SHA3WithRSA and SHA5WithRSA are deprecated because they
    // are an abbreviated form of SHA384WithRSA and SHA512WithRSA respectively".
    const db = await newStore(join(folder(), 'k.kdb'));
    for (const value of ['MD2WithRSA', 'MD2_WITH_RSA']) {
      refusedInOneLine(await cli('-cert', '-create', ...db, '-label', 'md2', '-dn', 'CN=md2', '-sig_alg', value), 1, new RegExp(`-sig_alg ${value}: MD5 and MD2 signatures are broken`));
    }
    for (const [value, name] of [['SHA3WithRSA', 'SHA384WithRSASignature'], ['SHA5WithRSA', 'SHA512WithRSASignature']] as const) {
      await ok('-cert', '-create', ...db, '-label', value, '-dn', `CN=${value}`, '-sig_alg', value);
      expect((await ok('-cert', '-details', ...db, '-label', value)).split('\n')).toContain(`Signature Algorithm : ${name} (1.2.840.113549.1.1.${name.startsWith('SHA384') ? 12 : 13})`);
    }
    expect(await listed(...db)).toEqual(['-\tSHA3WithRSA', '-\tSHA5WithRSA']);
  });

  it('-certreq -create refuses -sigalg md5 and -size 512 by name, as -cert -create does; no request file is written', async () => {
    // [IBM] I14 (IHS 8.5.5): `-size 2048 | 1024 | 512`, `-sigalg md5|sha1|…`.
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    refusedInOneLine(await cli('-certreq', '-create', ...db, '-label', 'r', '-dn', 'CN=r', '-file', join(dir, 'r.csr'), '-sigalg', 'md5'), 1, /-sig_alg md5: MD5 and MD2 signatures are broken/);
    refusedInOneLine(await cli('-certreq', '-create', ...db, '-label', 'r', '-dn', 'CN=r', '-file', join(dir, 'r.csr'), '-size', '512'), 1, /-size 512 is not supported/);
    expect(existsSync(join(dir, 'r.csr'))).toBe(false);
    expect((await cli('-certreq', '-list', ...db)).stdout).toBe('Certificates requests found\n');
  });

  it("without -expire, -cert -create makes a certificate valid 365 days (KeyDesk's default; GSKit's was not found), with -expire 9999 that many", async () => {
    // [IBM] I1: `-expire days`; its default: not found (§2.6, §8 question 1).
    const db = await newStore(join(folder(), 'k.kdb'));
    const days = async (label: string) => {
      const facts = JSON.parse(await ok('-cert', '-details', ...db, '-label', label, '-json'));
      return (Date.parse(facts.notAfter) - Date.parse(facts.notBefore)) / 86_400_000;
    };
    await ok('-cert', '-create', ...db, '-label', 'plain', '-dn', 'CN=plain');
    expect(await days('plain')).toBe(365);
    await ok('-cert', '-create', ...db, '-label', 'long', '-dn', 'CN=long', '-expire', '9999');
    expect(await days('long')).toBe(9999);
  });

  it('-format on -cert -add is checked but the content decides: DER under -format ascii or none (G20), PEM under -format binary', async () => {
    // [IBM] I1, I22 (`-format ascii|binary`, default ascii); [3P] G20: a DER file added without -format.
    const dir = folder();
    const ca = await newStore(join(dir, 'ca.kdb'));
    await ok('-cert', '-create', ...ca, '-label', 'ca', '-dn', 'CN=Format CA', '-ca', 'true');
    await ok('-cert', '-extract', ...ca, '-label', 'ca', '-target', join(dir, 'ca.der'), '-format', 'binary');
    await ok('-cert', '-extract', ...ca, '-label', 'ca', '-target', join(dir, 'ca.pem'));
    expect(readFileSync(join(dir, 'ca.pem'), 'latin1')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    for (const [file, format] of [['ca.der', ['-format', 'ascii']], ['ca.der', []], ['ca.pem', ['-format', 'binary']]] as const) {
      const db = await newStore(join(dir, `${file}-${format.length}.kdb`));
      await okNotes('-cert', '-add', ...db, '-label', 'ca', '-file', join(dir, file), ...format);
      expect(await listed(...db), `${file} ${format.join(' ')}`).toEqual(['!\tca']);
    }
    refusedInOneLine(await cli('-cert', '-add', ...ca, '-label', 'x', '-file', join(dir, 'ca.pem'), '-format', 'base64'), 2, /-format takes ascii or binary, not "base64"/);
  });

  it('-keydb -create -type takes cms, kdb, pkcs12 and p12 (and jks, jceks beyond runmqakm); another word is a usage error', async () => {
    // [IBM] I5 ("pkcs12", "[Deprecated] cms"), I13; [IBM-code] G2 (`-type p12`); [3P] G8 (`<cms | kdb>`).
    const dir = folder();
    const made: Record<string, string> = { cms: 'a.kdb', kdb: 'b.kdb', pkcs12: 'c.p12', p12: 'd.p12', jks: 'e.jks', jceks: 'f.jceks' };
    for (const [type, name] of Object.entries(made)) {
      await ok('-keydb', '-create', '-db', join(dir, name), '-pw', 'Passw0rd1', '-type', type);
      const expected = type === 'kdb' ? 'cms' : type === 'p12' ? 'pkcs12' : type;
      expect(await ok('-keydb', '-list', '-db', join(dir, name), '-pw', 'Passw0rd1'), type).toBe(expected);
    }
    refusedInOneLine(await cli('-keydb', '-create', '-db', join(dir, 'g.kdb'), '-pw', 'Passw0rd1', '-type', 'pkcs11'), 2, /-type takes cms, kdb, pkcs12, p12, jks, jceks, not "pkcs11"/);
    expect(existsSync(join(dir, 'g.kdb'))).toBe(false);
    // On the -cert commands too, where the file's content decides: a typo is named, nothing written.
    const db = ['-db', join(dir, 'a.kdb'), '-pw', 'Passw0rd1'];
    refusedInOneLine(await cli('-cert', '-create', ...db, '-label', 'tb', '-dn', 'CN=tb', '-type', 'nonsense'), 2, /-type takes .*not "nonsense"/);
    refusedInOneLine(await cli('-cert', '-list', ...db, '-type', 'cmss'), 2, /-type takes .*not "cmss"/);
    expect(await listed(...db)).toEqual([]);
    await ok('-cert', '-list', ...db, '-type', 'CMS');
  });
});

describe('§2.4 -certreq', () => {
  it('-certreq -extract writes the pending request again; -certreq -delete removes it; a missing label is refused (exit 1) with CTGSK3029W', async () => {
    // [IBM] I21 contents: "Extract certificate request (-extract)", "Delete a certificate request (-delete)".
    const dir = folder();
    const db = await newStore(join(dir, 'k.kdb'));
    await okNotes('-certreq', '-create', ...db, '-label', 'pending', '-dn', 'CN=pending', '-file', join(dir, 'first.arm'));
    await okNotes('-certreq', '-extract', ...db, '-label', 'pending', '-target', join(dir, 'again.arm'));
    expect(readFileSync(join(dir, 'again.arm'), 'utf8')).toBe(readFileSync(join(dir, 'first.arm'), 'utf8'));
    expect(readFileSync(join(dir, 'again.arm'), 'utf8')).toMatch(/^-----BEGIN NEW CERTIFICATE REQUEST-----\n/);
    await okNotes('-certreq', '-delete', ...db, '-label', 'pending');
    expect((await cli('-certreq', '-list', ...db)).stdout).toBe('Certificates requests found\n');
    const deleted = await cli('-certreq', '-delete', ...db, '-label', 'pending');
    expect(deleted).toMatchObject({ code: 1, out: "CTGSK3029W The database doesn't contain an entry with label 'pending'." });
    const extracted = await cli('-certreq', '-extract', ...db, '-label', 'pending', '-target', join(dir, 'none.arm'));
    expect(extracted).toMatchObject({ code: 1, out: "CTGSK3029W The database doesn't contain an entry with label 'pending'." });
    expect(extracted.err).toMatch(/no pending request labelled "pending"/);
    expect(existsSync(join(dir, 'none.arm'))).toBe(false);
  });
});

describe('§4 messages', () => {
  it('-cert -receive of a certificate whose issuer is not in the store: exit 1, no CTGSK2146W or CTGSK2043W, nothing stored; a missing label in -cert -details prints CTGSK3029W on stdout', async () => {
    // [3P] G4: GSKit prints CTGSK2146W, "Additional untranslated info" lines and CTGSK2043W, and stores the certificate.
    const dir = folder();
    const ca = await newStore(join(dir, 'ca.kdb'));
    await ok('-cert', '-create', ...ca, '-label', 'ca', '-dn', 'CN=Absent CA', '-ca', 'true');
    const qm = await newStore(join(dir, 'qm.kdb'));
    await ok('-certreq', '-create', ...qm, '-label', 'qm1', '-dn', 'CN=QM1', '-file', join(dir, 'qm1.csr'));
    await ok('-cert', '-sign', ...ca, '-label', 'ca', '-file', join(dir, 'qm1.csr'), '-target', join(dir, 'qm1.arm'));
    const before = readFileSync(join(dir, 'qm.kdb'));
    const r = await cli('-cert', '-receive', ...qm, '-file', join(dir, 'qm1.arm'));
    refusedInOneLine(r, 1, /CN=Absent CA, is not among the signer certificates/);
    expect(r.out).not.toMatch(/CTGSK/);
    expect(readFileSync(join(dir, 'qm.kdb')).equals(before)).toBe(true);
    expect(await listed(...qm)).toEqual([]);
    expect((await ok('-certreq', '-list', ...qm)).split('\n')).toContain('\tqm1');
    // [IBM-code] G11, [3P] G17: CTGSK3029W on the command's output for a missing label, exit not 0.
    const missing = await cli('-cert', '-details', ...qm, '-label', 'nobody');
    expect(missing).toMatchObject({ code: 1, out: "CTGSK3029W The database doesn't contain an entry with label 'nobody'." });
    expect(missing.err.split('\n')).toHaveLength(1);
  });
});

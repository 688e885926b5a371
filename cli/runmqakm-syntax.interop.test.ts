/**
 * runmqakm's command-line forms that real scripts use (issue 14): flags before the action,
 * -fips with a value, and argv elements holding several words — IBM's MQ container
 * (ibm-messaging/mq-container, internal/keystore/keystore.go) passes "-fips false" and
 * "-size 2048 -sig_alg sha512 -eku serverAuth" each as one argument.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../core/testing/peer-tools';
import { cli, ok } from './testing/run-cli';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const at = (name: string) => join(temp.dir, name);

describe('argument forms runmqakm accepts', () => {
  it('flags between the object and the action (-keydb -fips -stashpw)', async () => {
    await ok('-keydb', '-create', '-db', at('a.kdb'), '-pw', 'Passw0rd!', '-type', 'cms');
    await ok('-keydb', '-fips', '-stashpw', '-db', at('a.kdb'), '-pw', 'Passw0rd!');
    expect(existsSync(at('a.sth'))).toBe(true);
    await ok('-cert', '-db', at('a.kdb'), '-stashed', '-list');
  });

  it('-fips with a value, before or after the action', async () => {
    await ok('-keydb', '-create', '-fips', 'false', '-db', at('b.kdb'), '-pw', 'Passw0rd!', '-type', 'cms', '-stash');
    await ok('-cert', '-list', '-db', at('b.kdb'), '-stashed', '-fips', 'true');
  });

  it('argv elements holding several words, as the MQ container passes them', async () => {
    await ok('-keydb', '-create -fips false', '-db', at('c.kdb'), '-pw', 'Passw0rd!', '-type cms', '-stash');
    await ok('-cert', '-create', '-db', at('c.kdb'), '-stashed', '-label', 'qm1 label', '-dn', 'CN=QM1, O=Some Org', '-size 256 -sig_alg EC_ecdsa_with_SHA256');
    // A value with spaces stays one value: the label and the DN above.
    const listed = JSON.parse(await ok('-cert', '-details', '-label', 'qm1 label', '-db', at('c.kdb'), '-stashed', '-json'));
    expect(listed.subject).toMatch(/O=Some Org/);
  });

  it('an object without an action, or an unknown object, is a usage error in one line', async () => {
    const none = await cli('-keydb', '-db', at('a.kdb'), '-pw', 'x');
    expect(none).toMatchObject({ code: 2 });
    expect(none.err).toMatch(/^keydesk: -keydb needs an action/);
    const unknown = await cli('-nothing', '-list');
    expect(unknown.err).toMatch(/^keydesk: unknown object -nothing/);
  });
});

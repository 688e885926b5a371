/** Browser mode must answer only its own page on loopback, with the session token. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { KeyDeskApi } from '../core/api/contract';
import { KeyDeskError } from '../core/errors';
import { makeTempDir } from '../core/testing/peer-tools';
import { createServer } from 'node:net';
import { createBrowserModeServer, listen, maxBody } from './http-server';

const temp = makeTempDir();
const staticDir = join(temp.dir, 'ui');
mkdirSync(staticDir);
writeFileSync(join(staticDir, 'index.html'), '<html>KeyDesk UI</html>');
writeFileSync(join(temp.dir, 'secret.txt'), 'outside the UI folder');

const calls: unknown[] = [];
const api = {
  openStore: async (r: unknown) => {
    calls.push(r);
    throw new KeyDeskError('wrong-password', '/tmp/x.p12: the password is wrong.');
  },
  closeStore: async () => ({ closed: true }),
  entryDetails: async () => {
    throw new Error('boom');
  },
} as unknown as KeyDeskApi;

const token = 'test-token';
const server = createBrowserModeServer({ api, staticDir, token });
let port = 0;
beforeAll(async () => {
  await listen(server, { token });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  temp.cleanup();
});

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode server', () => {
  it('serves the UI with a strict content security policy', async () => {
    const r = await call('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('KeyDesk UI');
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('refuses API calls without the token, and never calls the API for them', async () => {
    const r = await call('/api/openStore', { method: 'POST', body: '{"path":"/etc/shadow"}' });
    expect(r.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it('passes errors on as one plain line with their code', async () => {
    const r = await call('/api/openStore', { method: 'POST', headers: { 'x-keydesk-token': token }, body: '{"path":"/tmp/x.p12","password":"no"}' });
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'wrong-password', message: '/tmp/x.p12: the password is wrong.' } });
  });

  it('reports an unforeseen failure without a stack', async () => {
    const r = await call('/api/entryDetails', { method: 'POST', headers: { 'x-keydesk-token': token }, body: '{}' });
    const { error } = JSON.parse(r.body);
    expect(error.code).toBe('internal');
    expect(error.message).not.toMatch(/\sat\s/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await call('/', { headers: { host: `evil.example:${port}` } });
    expect(r.status).toBe(403);
  });

  it('refuses a cross-site Origin, even with the token', async () => {
    const r = await call('/api/closeStore', { method: 'POST', headers: { 'x-keydesk-token': token, origin: 'https://evil.example' }, body: '{"storeId":"x"}' });
    expect(r.status).toBe(403);
  });

  it('serves nothing outside the UI folder', async () => {
    const r = await call('/..%2Fsecret.txt');
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
  });

  describe('bodies that are not one JSON object: 400 (413 when too large), one line, and the API never called', () => {
    const bodies: [string, string, number, RegExp][] = [
      ['null', 'null', 400, /^request body must be a JSON object, not null\.$/],
      ['a number', '42', 400, /^request body must be a JSON object, not a number\.$/],
      ['a string', '"/etc/shadow"', 400, /^request body must be a JSON object, not a string\.$/],
      ['true', 'true', 400, /^request body must be a JSON object, not a boolean\.$/],
      ['an array', '[{"path":"/tmp/x.p12"}]', 400, /^request body must be a JSON object, not an array\.$/],
      ['invalid JSON', '{"path": ', 400, /^request body is not JSON\.$/],
      ['over the size limit', JSON.stringify({ path: 'x'.repeat(maxBody + 10) }), 413, /^request body is larger than 1 MiB/],
    ];
    for (const [name, body, status, message] of bodies) {
      it(name, async () => {
        const before = calls.length;
        const r = await call('/api/openStore', { method: 'POST', headers: { 'x-keydesk-token': token }, body });
        expect(r.status).toBe(status);
        const { ok, error } = JSON.parse(r.body);
        expect(ok).toBe(false);
        expect(error.code).toBe('usage');
        expect(error.message).toMatch(message);
        expect(error.message).not.toMatch(/internal|\n/);
        expect(calls.length).toBe(before);
      });
    }

    it('still answers on the same connection after a refusal', async () => {
      const r = await call('/api/closeStore', { method: 'POST', headers: { 'x-keydesk-token': token }, body: '{"storeId":"x"}' });
      expect(JSON.parse(r.body)).toEqual({ ok: true, value: { closed: true } });
    });
  });

  it('refuses a port in use in one line, as the user\'s to change', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const used = (holder.address() as AddressInfo).port;
    try {
      const second = createBrowserModeServer({ api, staticDir, token });
      await expect(listen(second, { port: used, token })).rejects.toMatchObject({
        code: 'conflict',
        message: `port ${used} on 127.0.0.1 is in use; choose another with -port`,
      });
    } finally {
      holder.close();
    }
  });
});

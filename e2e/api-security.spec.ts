/**
 * Browser mode's API answers only KeyDesk's own page: a call without the session token,
 * with a wrong one, with a foreign Host (DNS rebinding) or a foreign Origin (another site
 * in the same browser) is refused before anything is read.
 */
import { test, expect } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { e2ePort, e2eToken } from '../playwright.config';

function call(path: string, headers: Record<string, string>, body = '{}'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: e2ePort, path, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ownHost = `127.0.0.1:${e2ePort}`;
const listHome = JSON.stringify({});

test('with the token, from its own host, the API answers', async () => {
  const answer = await call('/api/listDirectory', { Host: ownHost, 'X-KeyDesk-Token': e2eToken }, listHome);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
});

test('without the token the API refuses', async () => {
  const answer = await call('/api/listDirectory', { Host: ownHost }, listHome);
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(answer.body).not.toContain('entries');
});

test('with a wrong token the API refuses', async () => {
  const answer = await call('/api/openStore', { Host: ownHost, 'X-KeyDesk-Token': `${e2eToken}x` }, JSON.stringify({ path: '/etc/passwd', password: 'x' }));
  expect(answer.status).toBe(403);
});

test('with a foreign Host the API refuses, even with the token (DNS rebinding)', async () => {
  for (const host of [`evil.example:${e2ePort}`, 'evil.example', `127.0.0.1.nip.io:${e2ePort}`, `localhost:${e2ePort + 1}`]) {
    const answer = await call('/api/listDirectory', { Host: host, 'X-KeyDesk-Token': e2eToken }, listHome);
    expect(answer.status, host).toBe(403);
    expect(answer.body, host).not.toContain('entries');
  }
});

test('from a foreign Origin the API refuses, even with the token (cross-site calls)', async () => {
  const answer = await call('/api/listDirectory', { Host: ownHost, Origin: 'https://evil.example', 'X-KeyDesk-Token': e2eToken }, listHome);
  expect(answer.status).toBe(403);
});

test('the page itself is served with a strict Content-Security-Policy', async ({ request }) => {
  const response = await request.get('/');
  expect(response.status()).toBe(200);
  const policy = response.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe');
});

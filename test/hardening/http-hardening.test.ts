// Security headers, CORS, HSTS and the bounds on what a request may send, on the real server.
import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHardenedServer } from './hardened-server.ts';

const apps: FastifyInstance[] = [];
async function serverWith(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildHardenedServer({ LOAD_SHEDDING_ENABLED: 'false', ...env });
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('security headers', () => {
  it('are on every response, problems included', async () => {
    const app = await serverWith();
    for (const url of ['/v1/notes/a', '/v1/notes/missing', '/nowhere', '/healthz']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers, url).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
      });
    }
  });

  it('forbid caching of responses to requests carrying Authorization', async () => {
    const app = await serverWith();
    const anonymous = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(anonymous.headers['cache-control']).toBeUndefined();
    const authorized = await app.inject({
      method: 'GET',
      url: '/v1/notes/a',
      headers: { authorization: 'Bearer abc' },
    });
    expect(authorized.headers['cache-control']).toBe('no-store');
  });
});

describe('HSTS', () => {
  const overHttps = { method: 'GET' as const, url: '/v1/notes/a', headers: { 'x-forwarded-proto': 'https' } };

  it('is absent over plain http, and when X-Forwarded-Proto is not trusted', async () => {
    const app = await serverWith();
    expect(
      (await app.inject({ method: 'GET', url: '/v1/notes/a' })).headers['strict-transport-security'],
    ).toBe(undefined);
    expect((await app.inject(overHttps)).headers['strict-transport-security']).toBeUndefined();
  });

  it('is sent for https behind a trusted proxy', async () => {
    const app = await serverWith({ TRUST_PROXY: 'true' });
    expect((await app.inject(overHttps)).headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const plain = await app.inject({ ...overHttps, headers: { 'x-forwarded-proto': 'http' } });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('is always sent with HSTS_ENABLED', async () => {
    const app = await serverWith({ HSTS_ENABLED: 'true' });
    expect(
      (await app.inject({ method: 'GET', url: '/v1/notes/a' })).headers['strict-transport-security'],
    ).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://app.example.com';

  it('is closed without CORS_ALLOWED_ORIGINS: no CORS header at all', async () => {
    const app = await serverWith();
    const response = await app.inject({ method: 'GET', url: '/v1/notes/a', headers: { origin: ALLOWED } });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('allows a listed origin and exposes the headers clients need', async () => {
    const app = await serverWith({ CORS_ALLOWED_ORIGINS: `${ALLOWED},https://other.example.com` });
    const response = await app.inject({ method: 'GET', url: '/v1/notes/a', headers: { origin: ALLOWED } });
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers.vary).toMatch(/Origin/);
    const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    for (const name of [
      'etag',
      'location',
      'link',
      'x-request-id',
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset-seconds',
      'ratelimit',
      'ratelimit-policy',
    ]) {
      expect(exposed).toContain(name);
    }
  });

  it('does not allow an origin that is not listed', async () => {
    const app = await serverWith({ CORS_ALLOWED_ORIGINS: ALLOWED });
    const response = await app.inject({
      method: 'GET',
      url: '/v1/notes/a',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from a listed origin, and gives nothing to an unlisted one', async () => {
    const app = await serverWith({ CORS_ALLOWED_ORIGINS: ALLOWED });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/v1/notes/a',
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'if-match, content-type',
        },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(allowed.headers['access-control-allow-methods']).toContain('PATCH');
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('if-match');
    expect(allowed.headers['access-control-max-age']).toBe('600');

    const denied = await preflight('https://evil.example.com');
    // Without Access-Control-Allow-Origin the browser refuses, whatever else the answer says.
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('OPTIONS that is not a preflight', () => {
  it('is a 405 problem with Allow, with or without CORS', async () => {
    const envs: Record<string, string>[] = [{}, { CORS_ALLOWED_ORIGINS: 'https://app.example.com' }];
    for (const env of envs) {
      const app = await serverWith(env);
      const response = await app.inject({ method: 'OPTIONS', url: '/v1/notes/a' });
      expect(response.statusCode).toBe(405);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers.allow).toBe('GET, HEAD, PATCH');
    }
  });
});

describe('request bounds', () => {
  it('answers an over-long request target with a 414 problem that does not echo it', async () => {
    const app = await serverWith({ HTTP_MAX_URL_LENGTH: '256' });
    for (const url of [
      `/v1/notes/a?verbose=${'x'.repeat(300)}`,
      `/v1/notes/${'a'.repeat(300)}`,
      `/${'b'.repeat(300)}`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(414);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 414, title: 'URI Too Long' });
      expect(response.body).not.toContain('x'.repeat(300));
    }
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
  });

  it('answers over-large headers with a 431 problem (Node refuses them before routing)', async () => {
    const app = await serverWith({ HTTP_MAX_HEADER_SIZE: '2048' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const send = (headers: Record<string, string>) =>
      new Promise<{ status: number; contentType: string | undefined; body: string }>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/v1/notes/a', headers }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              body,
            }),
          );
        });
        request.on('error', reject);
        request.end();
      });

    const refused = await send({ 'x-padding': 'p'.repeat(4096) });
    expect(refused.status).toBe(431);
    expect(refused.contentType).toBe('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });

    expect((await send({ 'x-padding': 'p'.repeat(512) })).status).toBe(200);
  });

  it('refuses a body that tries to set __proto__ with a 4xx problem', async () => {
    const app = await serverWith();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"text":"hi","__proto__":{"polluted":true}}',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

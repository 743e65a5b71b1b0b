import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { limitedServers } from './limited-server.ts';

const serverWith = limitedServers();

const NOTES = {
  RATE_LIMIT_ROUTE_1_PATTERN: '/v1/notes',
  RATE_LIMIT_ROUTE_1_POLICY_1_METHOD: 'POST',
  RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT: '2',
  RATE_LIMIT_ROUTE_1_POLICY_1_WINDOW: '1m',
  RATE_LIMIT_ROUTE_2_PATTERN: '/v1/notes/*',
  RATE_LIMIT_ROUTE_2_POLICY_1_LIMIT: '3',
  RATE_LIMIT_ROUTE_2_POLICY_1_WINDOW: '30s',
  RATE_LIMIT_DEFAULT_LIMIT: '5',
};

const createNote = { method: 'POST' as const, url: '/v1/notes', payload: { text: 'hi' } };

describe('rate limit headers and rejection', () => {
  it('sends the limit, what remains and when it resets, in both header styles', async () => {
    const { app } = await serverWith(NOTES);
    const first = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset-seconds': '30',
      'ratelimit-policy': '"route-2-1";q=3;w=30',
      ratelimit: '"route-2-1";r=2;t=30',
    });
  });

  it('answers 429 with a problem and Retry-After once the limit is used up, and counts it', async () => {
    const { app, metrics } = await serverWith(NOTES);
    expect((await app.inject(createNote)).statusCode).toBe(201);
    expect((await app.inject(createNote)).headers['x-ratelimit-remaining']).toBe('0');
    const refused = await app.inject(createNote);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers.ratelimit).toMatch(/^"route-1-1";r=0;t=(59|60)$/);
    expect(refused.json()).toMatchObject({
      type: '/problems/rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'At most 2 requests per 60 seconds; retry in 60 seconds.',
      instance: '/v1/notes',
    });
    expect(metrics.rejected).toEqual(['/v1/notes']);
  });

  it('counts each policy separately', async () => {
    const { app } = await serverWith(NOTES);
    await app.inject(createNote);
    await app.inject(createNote);
    expect((await app.inject(createNote)).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
  });

  it('limits unmatched requests by the default policy, or not at all with RATE_LIMIT_ALLOW_IF_NO_MATCH', async () => {
    const limited = await serverWith(NOTES);
    const unknown = await limited.app.inject({ method: 'GET', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['ratelimit-policy']).toBe('"default";q=5;w=60');

    const open = await serverWith({ ...NOTES, RATE_LIMIT_ALLOW_IF_NO_MATCH: 'true' });
    const passed = await open.app.inject({ method: 'GET', url: '/nowhere' });
    expect(passed.statusCode).toBe(404);
    expect(passed.headers['ratelimit-policy']).toBeUndefined();
    expect(passed.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('never limits health and readiness', async () => {
    const { app } = await serverWith({ RATE_LIMIT_DEFAULT_LIMIT: '1' });
    for (let i = 0; i < 3; i++) {
      for (const url of ['/healthz', '/readyz']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.headers['x-ratelimit-limit']).toBeUndefined();
      }
    }
  });

  it('opens a new window once the old one has passed', async () => {
    const { app } = await serverWith({ RATE_LIMIT_DEFAULT_LIMIT: '1', RATE_LIMIT_DEFAULT_WINDOW: '1s' });
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    await sleep(1100);
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
  });
});

describe('memory store bound', () => {
  it('lets new clients through unlimited (counted as store failures) once it holds its maximum', async () => {
    const { app, metrics } = await serverWith({
      RATE_LIMIT_MEMORY_MAX_KEYS: '100',
      RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip',
    });
    const from = (address: string) =>
      app.inject({ method: 'GET', url: '/v1/notes/a', remoteAddress: address });
    for (let client = 0; client < 100; client++) {
      expect(
        (await from(`10.0.${Math.floor(client / 250)}.${client % 250}`)).headers['x-ratelimit-limit'],
      ).toBe('100');
    }
    const overflow = await from('10.9.9.9');
    expect(overflow.statusCode).toBe(200);
    expect(overflow.headers['x-ratelimit-limit']).toBeUndefined();
    expect(metrics.storeFailures).toBe(1);
    // Clients already counted keep their limits.
    expect((await from('10.0.0.1')).headers['x-ratelimit-remaining']).toBe('98');
  });
});

describe('rate limit keys', () => {
  const ONE_PER_CLIENT = { RATE_LIMIT_DEFAULT_LIMIT: '1' };
  const get = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => ({
    method: 'GET' as const,
    url: '/v1/notes/a',
    headers,
    remoteAddress,
  });

  it('client_id: counts per OAuth client, and per address for anonymous requests', async () => {
    const { app } = await serverWith({ ...ONE_PER_CLIENT, RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'client_id' });
    expect((await app.inject(get({ 'x-test-client-id': 'alpha' }))).statusCode).toBe(200);
    expect((await app.inject(get({ 'x-test-client-id': 'alpha' }, '127.0.0.2'))).statusCode).toBe(429);
    expect((await app.inject(get({ 'x-test-client-id': 'beta' }))).statusCode).toBe(200);
    expect((await app.inject(get({}))).statusCode).toBe(200);
    expect((await app.inject(get({}))).statusCode).toBe(429);
    expect((await app.inject(get({}, '127.0.0.3'))).statusCode).toBe(200);
  });

  it('remote_ip: counts per address whatever the client', async () => {
    const { app } = await serverWith({ ...ONE_PER_CLIENT, RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip' });
    expect((await app.inject(get({ 'x-test-client-id': 'alpha' }))).statusCode).toBe(200);
    expect((await app.inject(get({ 'x-test-client-id': 'beta' }))).statusCode).toBe(429);
    expect((await app.inject(get({ 'x-test-client-id': 'beta' }, '127.0.0.2'))).statusCode).toBe(200);
  });

  it('remote_ip: counts an IPv6 /64 as one client', async () => {
    const { app } = await serverWith({ ...ONE_PER_CLIENT, RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip' });
    expect((await app.inject(get({}, '2001:db8:0:1::1'))).statusCode).toBe(200);
    expect((await app.inject(get({}, '2001:db8:0:1::2'))).statusCode).toBe(429);
    expect((await app.inject(get({}, '2001:db8:0:2::1'))).statusCode).toBe(200);
  });

  it('takes the address from X-Forwarded-For only with TRUST_PROXY', async () => {
    const forwarded = (address: string) => get({ 'x-forwarded-for': address });
    const direct = await serverWith({ ...ONE_PER_CLIENT, RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip' });
    expect((await direct.app.inject(forwarded('192.0.2.1'))).statusCode).toBe(200);
    expect((await direct.app.inject(forwarded('192.0.2.2'))).statusCode).toBe(429);

    const proxied = await serverWith({
      ...ONE_PER_CLIENT,
      RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip',
      TRUST_PROXY: 'true',
    });
    expect((await proxied.app.inject(forwarded('192.0.2.1'))).statusCode).toBe(200);
    expect((await proxied.app.inject(forwarded('192.0.2.2'))).statusCode).toBe(200);
    expect((await proxied.app.inject(forwarded('192.0.2.1'))).statusCode).toBe(429);
  });
});

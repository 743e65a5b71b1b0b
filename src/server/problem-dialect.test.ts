// Problem dialects per API: every problem on a route of the dialect API, and every unmatched request
// under its base paths, is worded by its dialect, whatever raised it (guards, validation, parsers,
// rate limits, load shedding, the error handler); the RFC 9457 API next to it answers as before.
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialectSampleApi, sampleApi } from '../../test/support/sample-api.ts';
import { buildServer, type ServerOptions } from './build-server.ts';
import type { RequestAuthentication, RequestAuthenticator } from './authentication-hook.ts';
import { MemoryRateLimitStore } from './rate-limit/memory-rate-limit-store.ts';

/** `Bearer ok:a,b` is a caller with scopes a and b; anything else is an invalid token. */
const authenticator: RequestAuthenticator = {
  async authenticate(authorization): Promise<RequestAuthentication> {
    if (authorization === undefined) return { kind: 'anonymous' };
    const ok = /^Bearer ok:(.*)$/.exec(authorization);
    if (!ok) return { kind: 'invalid', reason: 'no such token' };
    return { kind: 'authenticated', caller: { clientId: 'client-1', scopes: ok[1]!.split(',') } };
  },
};

const WRITER = { authorization: 'Bearer ok:notes.write' };

function serverWith(extra: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  let counter = 0;
  return buildServer({
    logger: pino({ level: 'silent' }),
    ids: { next: () => `id-${++counter}` },
    http: { requestTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 5000, bodyLimitBytes: 1024 },
    apis: [sampleApi, dialectSampleApi],
    readiness: { database: async () => ({ ok: true, endpoints: [] }) },
    authenticator,
    ...extra,
  });
}

interface Response {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** A problem in the test dialect, and nothing of the RFC 9457 wording. */
function expectDialect(response: Response, status: number, kind: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({
    type: `https://errors.example.test/${kind}`,
    title: expect.any(String),
    status,
    correlationId: response.headers['x-request-id'],
  });
  for (const field of ['requestId', 'traceId', 'instance', 'invalidParams', 'kind']) {
    expect(body).not.toHaveProperty(field);
  }
  return body;
}

/** A problem in the server's RFC 9457 wording, as the first API has always answered. */
function expectRfc9457(response: Response, status: number, type: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({
    type,
    status,
    title: expect.any(String),
    requestId: response.headers['x-request-id'],
  });
  expect(body).not.toHaveProperty('kind');
  expect(body).not.toHaveProperty('correlationId');
  return body;
}

describe('problem dialects on one server', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serverWith();
  });
  afterAll(() => app.close());

  it('400 and 422 validation problems carry the invalid fields in the dialect', async () => {
    const badParam = expectDialect(
      await app.inject({ url: '/v2/notes/ABC!', headers: WRITER }),
      400,
      'invalid-parameters',
    );
    expect(badParam.violations).toEqual([
      { field: 'id', reason: expect.stringContaining('must match pattern') },
    ]);
    const badBody = expectDialect(
      await app.inject({ method: 'POST', url: '/v2/notes', headers: WRITER, payload: {} }),
      422,
      'invalid-body',
    );
    expect(badBody.violations).toEqual([{ field: 'body.text', reason: 'is required' }]);

    const before = expectRfc9457(
      await app.inject({ url: '/v1/notes/ABC!' }),
      400,
      '/problems/invalid-parameters',
    );
    expect(before.invalidParams).toEqual([
      { name: 'id', reason: expect.stringContaining('must match pattern') },
    ]);
    expectRfc9457(
      await app.inject({ method: 'POST', url: '/v1/notes', payload: {} }),
      422,
      '/problems/invalid-body',
    );
  });

  it('400 for malformed JSON and for a missing body', async () => {
    const malformed = { 'content-type': 'application/json', ...WRITER };
    expectDialect(
      await app.inject({ method: 'POST', url: '/v2/notes', headers: malformed, payload: '{"text": ' }),
      400,
      'malformed-body',
    );
    expectDialect(
      await app.inject({ method: 'POST', url: '/v2/notes', headers: WRITER }),
      400,
      'bad-request',
    );
    expectRfc9457(await app.inject({ method: 'POST', url: '/v1/notes' }), 400, 'about:blank');
  });

  it('401 and 403 keep their challenges', async () => {
    const anonymous = await app.inject({ url: '/v2/notes/a' });
    expectDialect(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const invalid = await app.inject({ url: '/v2/notes/a', headers: { authorization: 'Bearer forged' } });
    expectDialect(invalid, 401, 'invalid-token');
    expect(invalid.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="no such token"',
    );
    const reader = await app.inject({
      url: '/v2/notes/a',
      headers: { authorization: 'Bearer ok:notes.read' },
    });
    expectDialect(reader, 403, 'insufficient-scope');
    expect(reader.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="notes.write"');
  });

  it('404 for unknown paths under each base path; RFC 9457 elsewhere', async () => {
    expectDialect(await app.inject({ url: '/v2/unknown?x=1' }), 404, 'not-found');
    expectDialect(await app.inject({ url: '/v2' }), 404, 'not-found');
    expectDialect(await app.inject({ url: '/qr/v2/abc' }), 404, 'not-found');
    expectRfc9457(await app.inject({ url: '/v1/unknown' }), 404, 'about:blank');
    expectRfc9457(await app.inject({ url: '/v2x/unknown' }), 404, 'about:blank');
    expectRfc9457(await app.inject({ url: '/qr/unknown' }), 404, 'about:blank');
  });

  it("404 from the module's problem table", async () => {
    const body = expectDialect(
      await app.inject({ url: '/v2/notes/missing', headers: WRITER }),
      404,
      'note-not-found',
    );
    expect(body.detail).toBe('note missing not found');
    expectRfc9457(await app.inject({ url: '/v1/notes/missing' }), 404, '/problems/note-not-found');
  });

  it('405 with Allow', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/v2/notes/abc' });
    expectDialect(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('GET, HEAD, PATCH');
    expectRfc9457(await app.inject({ method: 'DELETE', url: '/v1/notes/abc' }), 405, 'about:blank');
  });

  it('406 and 415 from content negotiation', async () => {
    expectDialect(
      await app.inject({ url: '/v2/notes/a', headers: { accept: 'text/html', ...WRITER } }),
      406,
      'not-acceptable',
    );
    const textBody = { 'content-type': 'text/plain', ...WRITER };
    const unsupported = await app.inject({
      method: 'POST',
      url: '/v2/notes',
      headers: textBody,
      payload: 'x',
    });
    expectDialect(unsupported, 415, 'unsupported-media-type');
    expect(unsupported.headers['accept-post']).toBe('application/json');
    expectRfc9457(
      await app.inject({ url: '/v1/notes/a', headers: { accept: 'text/html' } }),
      406,
      'about:blank',
    );
  });

  it('413 for an oversize body', async () => {
    const oversize = JSON.stringify({ text: 'x'.repeat(2048) });
    const json = { 'content-type': 'application/json', ...WRITER };
    expectDialect(
      await app.inject({ method: 'POST', url: '/v2/notes', headers: json, payload: oversize }),
      413,
      'content-too-large',
    );
    expectRfc9457(
      await app.inject({ method: 'POST', url: '/v1/notes', headers: json, payload: oversize }),
      413,
      'about:blank',
    );
  });

  it('500 without internals', async () => {
    const response = await app.inject({ url: '/v2/notes/crash', headers: WRITER });
    const body = expectDialect(response, 500, 'internal-server-error');
    expect(body.detail).toBe('An unexpected error occurred; it has been logged.');
    expect(response.body).not.toMatch(/secret_table|password/);
    expectRfc9457(await app.inject({ url: '/v1/notes/crash' }), 500, 'about:blank');
  });

  it('successful responses are untouched', async () => {
    const response = await app.inject({ url: '/v2/notes/abc', headers: WRITER });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'abc', text: 'limit=5' });
  });
});

describe('problem dialects of protections', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('429 keeps its rate limit headers', async () => {
    const policy = {
      name: 'default',
      method: undefined,
      limit: 1,
      windowMs: 60_000,
      keyStrategy: 'remote_ip' as const,
    };
    const app = await serverWith({
      rateLimit: {
        policies: { routes: [], defaultPolicy: policy, allowIfNoMatch: false },
        store: new MemoryRateLimitStore({ maxKeys: 100 }),
        failOpen: false,
      },
    });
    apps.push(app);
    expect((await app.inject({ url: '/v2/notes/a', headers: WRITER })).statusCode).toBe(200);
    const limited = await app.inject({ url: '/v2/notes/a', headers: WRITER });
    expectDialect(limited, 429, 'rate-limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.headers.ratelimit).toBeDefined();
    expectDialect(await app.inject({ url: '/v2/unknown' }), 429, 'rate-limited');
    expectRfc9457(await app.inject({ url: '/v1/notes/a' }), 429, '/problems/rate-limited');
  });

  it('503 from load shedding keeps Retry-After', async () => {
    const app = await serverWith({
      loadShedding: {
        enabled: true,
        maxEventLoopDelayMs: 0,
        maxHeapUsedBytes: 1,
        maxRssBytes: 0,
        sampleIntervalMs: 10,
        retryAfterSeconds: 7,
      },
    });
    apps.push(app);
    await sleep(50);
    const shed = await app.inject({ url: '/v2/notes/a', headers: WRITER });
    expectDialect(shed, 503, 'overloaded');
    expect(shed.headers['retry-after']).toBe('7');
    expectDialect(await app.inject({ url: '/qr/v2/a' }), 503, 'overloaded');
    expectRfc9457(await app.inject({ url: '/v1/notes/a' }), 503, '/problems/overloaded');
  });

  it('refuses base paths without a dialect, and two dialects claiming one base path', async () => {
    await expect(serverWith({ apis: [{ ...sampleApi, problemBasePaths: ['/v1'] }] })).rejects.toThrow(
      /problemBasePaths without a problemDialect/,
    );
    const rival = { ...dialectSampleApi, name: 'rival', operations: [], problemDialect: () => ({}) };
    await expect(serverWith({ apis: [dialectSampleApi, rival] })).rejects.toThrow(
      /claim base path \/v2 with different problem dialects/,
    );
  });
});

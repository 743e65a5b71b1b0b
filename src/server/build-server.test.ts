import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sampleApi } from '../../test/support/sample-api.ts';
import type { DatabaseHealth } from '../db/connection-pool.ts';
import { buildServer } from './build-server.ts';

const logLines: Record<string, unknown>[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

let health: DatabaseHealth = {
  ok: true,
  endpoints: [{ name: 'writer', role: 'writer', ok: true, latencyMs: 1 }],
};
let app: FastifyInstance;
let counter = 0;

beforeAll(async () => {
  app = await buildServer({
    logger,
    ids: { next: () => `generated-${++counter}` },
    http: {
      requestTimeoutMs: 5000,
      headersTimeoutMs: 2000,
      keepAliveTimeoutMs: 5000,
      bodyLimitBytes: 1024,
    },
    apis: [sampleApi],
    readiness: { database: async () => health },
    currentTraceId: () => '0af7651916cd43dd8448eb211c80319c',
  });
});
afterAll(() => app.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  return body;
}

describe('successful operations', () => {
  it('coerces and defaults query parameters, and serializes only what the schema declares', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/notes/abc' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toEqual({ id: 'abc', text: 'limit=5' });
  });

  it('accepts merge-patch and tells the handler which media type came', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: '/v1/notes/abc',
      headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      payload: JSON.stringify({ text: 'hello' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'abc', text: 'application/merge-patch+json' });
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id', async () => {
    const response = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'req-123_abc.def:9' } });
    expect(response.headers['x-request-id']).toBe('req-123_abc.def:9');
  });

  it('replaces a malformed one with a generated id', async () => {
    const response = await app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\u0000<script>' },
    });
    expect(response.headers['x-request-id']).toMatch(/^generated-\d+$/);
  });

  it('puts the request and trace ids in problems', async () => {
    const response = await app.inject({ url: '/nowhere', headers: { 'x-request-id': 'trace-me' } });
    const body = expectProblem(response, 404);
    expect(body).toMatchObject({
      requestId: 'trace-me',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      instance: '/nowhere',
    });
  });
});

describe('problem responses', () => {
  it('404 for an unknown route', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/unknown?x=1' }), 404);
  });

  it('405 with Allow for a known path and an unknown method', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/v1/notes/abc' });
    expectProblem(response, 405);
    expect(response.headers.allow).toBe('GET, HEAD, PATCH');
  });

  it('400 for malformed JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": ',
    });
    expectProblem(response, 400);
  });

  it('400 for prototype poisoning', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": "x", "__proto__": {"admin": true}}',
    });
    expectProblem(response, 400);
  });

  it('400 for a missing required body', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/notes' });
    expectProblem(response, 400);
  });

  it('400 with invalidParams naming a bad path parameter', async () => {
    const body = expectProblem(await app.inject({ method: 'GET', url: '/v1/notes/ABC!' }), 400);
    expect(body.invalidParams).toEqual([
      { name: 'id', reason: expect.stringContaining('must match pattern') },
    ]);
  });

  it('400 with invalidParams naming every bad or unknown query parameter', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/notes/abc?limit=99&verbose=perhaps&extra=1',
    });
    const body = expectProblem(response, 400);
    expect(body.invalidParams.map((param: { name: string }) => param.name).sort()).toEqual([
      'extra',
      'limit',
      'verbose',
    ]);
  });

  it('422 with invalidParams for a well-formed body that breaks the schema', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      payload: { text: '', priority: '5', unknown: true },
    });
    const body = expectProblem(response, 422);
    expect(body.invalidParams).toEqual(
      expect.arrayContaining([
        { name: 'body.text', reason: expect.stringContaining('must NOT have fewer than 1') },
        { name: 'body.priority', reason: 'must be integer' },
        { name: 'body.unknown', reason: 'is not a known field' },
      ]),
    );
  });

  it('422 for a missing required field', async () => {
    const body = expectProblem(await app.inject({ method: 'POST', url: '/v1/notes', payload: {} }), 422);
    expect(body.invalidParams).toEqual([{ name: 'body.text', reason: 'is required' }]);
  });

  it('415 for a body of the wrong media type', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'text/plain' },
      payload: 'text=hello',
    });
    expectProblem(response, 415);
    expect(response.headers['accept-post']).toBe('application/json');
  });

  it('415 for a body with no media type at all', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: '/v1/notes/abc',
      headers: { 'content-type': '' },
      payload: '{"text":"x"}',
    });
    expectProblem(response, 415);
    expect(response.headers['accept-patch']).toBe('application/merge-patch+json, application/json');
  });

  it('406 when the client accepts nothing the operation produces', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/notes/abc',
      headers: { accept: 'text/html' },
    });
    expectProblem(response, 406);
  });

  it('accepts wildcards and q-values', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/notes/abc',
      headers: { accept: 'text/html;q=0.9, application/*;q=0.5' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('413 for an oversize body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2048) }),
    });
    expectProblem(response, 413);
  });

  it("maps a module's domain error through its problem table", async () => {
    const body = expectProblem(await app.inject({ url: '/v1/notes/missing' }), 404);
    expect(body).toMatchObject({ type: '/problems/note-not-found', detail: 'note missing not found' });
  });

  it('500 with nothing internal in the body, logged with the request id', async () => {
    const response = await app.inject({ url: '/v1/notes/crash', headers: { 'x-request-id': 'crash-1' } });
    const body = expectProblem(response, 500);
    expect(response.body).not.toMatch(/secret_table|password|SELECT|at .*\.ts/);
    expect(body.detail).toBe('An unexpected error occurred; it has been logged.');
    const logged = logLines.find((line) => line.reqId === 'crash-1' && line.level === 50);
    expect(logged?.err).toMatchObject({ message: expect.stringContaining('secret_table') });
  });

  it('500 when a handler returns a status the contract does not declare', async () => {
    expectProblem(await app.inject({ url: '/v1/notes/undeclared' }), 500);
  });

  it('400 for a malformed URL encoding', async () => {
    expectProblem(await app.inject({ url: '/v1/notes/%E0%A4%A' }), 400);
  });
});

describe('health', () => {
  it('/healthz answers ok', async () => {
    const response = await app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers ready when every endpoint is up', async () => {
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: [{ name: 'writer', role: 'writer', ok: true, latencyMs: 1 }],
    });
  });

  it('/readyz answers a 503 problem naming what is down, without hosts or driver messages', async () => {
    health = {
      ok: false,
      endpoints: [
        { name: 'writer', role: 'writer', ok: true },
        { name: 'reader-1', role: 'reader', ok: false, error: 'connect ECONNREFUSED 10.1.2.3:5432' },
      ],
    };
    const response = await app.inject({ url: '/readyz' });
    const body = expectProblem(response, 503);
    expect(body.detail).toBe('Unreachable: reader-1.');
    expect(response.body).not.toContain('10.1.2.3');
    expect(response.headers['retry-after']).toBe('5');
  });
});

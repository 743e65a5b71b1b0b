// What a hostile or careless client sends at the edges of HTTP, on the real server: paths with a
// trailing slash, bodies that are not UTF-8, JSON in other charsets or content codings, numbers
// JavaScript reads but HTTP parameters should not carry, prototype keys, enormous validation
// failures, and errors whose words are not ours.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_INVALID_PARAMS, MAX_PARAM_NAME_LENGTH } from '../../src/server/validation-problem.ts';
import { buildHardenedServer } from './hardened-server.ts';

const apps: FastifyInstance[] = [];
async function server(options: { bodyLimitBytes?: number } = {}): Promise<FastifyInstance> {
  const app = await buildHardenedServer({ LOAD_SHEDDING_ENABLED: 'false' }, options);
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function problemOf(response: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.body) as Record<string, unknown> & { status: number; detail?: string };
}

const postNote = (app: FastifyInstance, payload: string | Buffer, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/notes',
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });

describe('a trailing slash', () => {
  it('names no resource: a 404 problem, not a 405 listing the methods of the path without it', async () => {
    const app = await server();
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await app.inject({ method, url: '/v1/notes/a/' });
      expect(response.statusCode, method).toBe(404);
      expect(response.headers.allow).toBeUndefined();
      expect(problemOf(response).detail).toBe(`No route for ${method} /v1/notes/a/.`);
    }
    expect((await app.inject({ method: 'DELETE', url: '/v1/notes/a' })).statusCode).toBe(405);
  });
});

describe('validation problems', () => {
  it('list at most the first few invalid fields and say how many there were', async () => {
    const app = await server({ bodyLimitBytes: 1024 * 1024 });
    const keys = 60_000;
    const body = `{"text":"hi",${Array.from({ length: keys }, (_, i) => `"k${i}":1`).join(',')}}`;
    const response = await postNote(app, body);
    expect(response.statusCode).toBe(422);
    const problem = problemOf(response);
    expect(problem.invalidParams).toHaveLength(MAX_INVALID_PARAMS);
    expect((problem.invalidParams as unknown[])[0]).toEqual({
      name: 'body.k0',
      reason: 'is not a known field',
    });
    expect(problem.detail).toContain(
      `${keys} problems were found; the first ${MAX_INVALID_PARAMS} are listed.`,
    );
    expect(response.body.length).toBeLessThan(4096);
  });

  it('cut the names a client chose', async () => {
    const app = await server({ bodyLimitBytes: 64 * 1024 });
    const response = await postNote(app, JSON.stringify({ text: 'hi', ['x'.repeat(10_000)]: 1 }));
    expect(response.statusCode).toBe(422);
    const [param] = problemOf(response).invalidParams as { name: string }[];
    expect(param!.name).toHaveLength(MAX_PARAM_NAME_LENGTH);
    expect(param!.name.endsWith('\u2026')).toBe(true);
  });
});

describe('JSON bodies', () => {
  it('refuses invalid UTF-8 with a 400 problem instead of storing U+FFFD', async () => {
    const app = await server();
    const body = Buffer.concat([
      Buffer.from('{"text":"Ada '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(' L"}'),
    ]);
    const response = await postNote(app, body);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({
      type: '/problems/malformed-body',
      title: 'The request body is not valid UTF-8',
    });
    // Valid UTF-8, and a leading byte order mark, still pass.
    expect((await postNote(app, Buffer.from('\ufeff{"text":"Ada Łovelace"}'))).statusCode).toBe(201);
  });

  it('refuses a charset other than UTF-8 with a 415 problem', async () => {
    const app = await server();
    const json = JSON.stringify({ text: 'hi' });
    const refused = await postNote(app, json, { 'content-type': 'application/json; charset=latin1' });
    expect(refused.statusCode).toBe(415);
    expect(problemOf(refused).detail).toBe(
      'Send the body in UTF-8 (charset=utf-8 or no charset), not charset=latin1.',
    );
    const patched = await app.inject({
      method: 'PATCH',
      url: '/v1/notes/a',
      headers: { 'content-type': 'application/merge-patch+json; charset="ISO-8859-1"' },
      payload: json,
    });
    expect(patched.statusCode).toBe(415);
    for (const contentType of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
    ]) {
      expect((await postNote(app, json, { 'content-type': contentType })).statusCode, contentType).toBe(201);
    }
  });

  it('refuses a content coding with a 415 problem and Accept-Encoding: identity', async () => {
    const app = await server();
    const { gzipSync } = await import('node:zlib');
    const response = await postNote(app, gzipSync(JSON.stringify({ text: 'hi' })), {
      'content-encoding': 'gzip',
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers['accept-encoding']).toBe('identity');
    expect(problemOf(response).detail).toBe('Send the body without a content coding, not gzip.');
    const identity = await postNote(app, JSON.stringify({ text: 'hi' }), { 'content-encoding': 'identity' });
    expect(identity.statusCode).toBe(201);
  });

  it('names a prototype key as what it is: valid JSON with a forbidden key', async () => {
    const app = await server();
    for (const payload of [
      '{"text":"hi","__proto__":{"polluted":true}}',
      '{"text":"hi","nested":{"\\u005f_proto__":{}}}',
      '{"text":"hi","constructor":{"prototype":{"polluted":true}}}',
    ]) {
      const response = await postNote(app, payload);
      expect(response.statusCode, payload).toBe(400);
      expect(problemOf(response)).toMatchObject({
        type: '/problems/forbidden-key',
        title: 'The request body uses a forbidden key',
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const malformed = await postNote(app, '{"text":');
    expect(problemOf(malformed)).toMatchObject({ status: 400, title: 'The request body is not valid JSON' });
  });
});

describe('numeric parameters', () => {
  it('are plain decimals: hex, exponents, padding and fractions are 400 problems', async () => {
    const app = await server();
    for (const limit of ['0x10', '1e2', '%205', '5%20', '10.0', '+5', '', '0b1']) {
      const response = await app.inject({ method: 'GET', url: `/v1/notes/a?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
      expect(problemOf(response).invalidParams).toEqual([{ name: 'limit', reason: 'must be an integer' }]);
    }
    const ok = await app.inject({ method: 'GET', url: '/v1/notes/a?limit=7' });
    expect(ok.json()).toEqual({ id: 'a', text: 'limit=7' });
  });
});

describe('errors the service did not write', () => {
  it('keep their client-error status but not their words', async () => {
    const app = await server();
    const response = await app.inject({ method: 'GET', url: '/v1/notes/foreign-client-error' });
    expect(response.statusCode).toBe(409);
    expect(problemOf(response).detail).toBe('The request could not be processed as sent.');
    expect(response.body).not.toContain('password');
  });

  it('come from Fastify in our own words', async () => {
    const app = await server();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/notes',
      headers: { 'content-type': 'application/json', 'content-length': '5' },
      payload: '{"text":"hi"}',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).detail).toBe('The request body is not as long as its Content-Length says.');
  });
});

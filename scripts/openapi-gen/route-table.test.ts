import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { routeSchemas } from '../../test/route-schemas.ts';
import { strictAjv } from '../../test/strict-ajv.ts';
import { fixtureOperations } from './fixtures/repo/api/fixture/server.gen.ts';
import { petsOperations } from './fixtures/repo/api/pets/server.gen.ts';

function route(operationId: string) {
  const found = fixtureOperations.find((candidate) => candidate.operationId === operationId);
  if (found === undefined) throw new Error(`no route ${operationId}`);
  return found;
}

describe('the generated route table', () => {
  it('compiles with ajv 8 in strict mode, with ajv-formats', () => {
    const schemas = routeSchemas([...fixtureOperations, ...petsOperations]);
    expect(schemas.length).toBe(33);
    for (const { where, schema } of schemas) {
      expect(() => strictAjv().compile(schema), where).not.toThrow();
    }
  });

  it('describes each operation for the router', () => {
    const { schema: _schema, ...getProfile } = route('getProfile');
    expect(getProfile).toEqual({
      operationId: 'getProfile',
      method: 'GET',
      path: '/v1/profiles/{id}',
      url: '/v1/profiles/:id',
      tags: ['profiles'],
      security: [{ oauth: ['profile.read'] }, { bearerAuth: [] }],
      requestContentTypes: [],
      requestBodyRequired: false,
      responses: {
        '200': { contentTypes: ['application/json'], headers: ['ETag', 'Cache-Control'] },
        '304': { contentTypes: [], headers: ['ETag'] },
        '404': { contentTypes: ['application/problem+json'], headers: [] },
      },
    });
    expect(route('getHealth').security).toEqual([]);
    expect(route('list_profiles').security).toEqual([{ bearerAuth: [] }]);
  });

  it('holds plain JSON data', () => {
    expect(JSON.parse(JSON.stringify(fixtureOperations))).toEqual(fixtureOperations);
  });
});

describe('a generated route on a real Fastify instance', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(
    operationId: string,
    status: number,
    respond: (request: FastifyRequest) => unknown,
    options: FastifyServerOptions = {},
  ) {
    const instance = Fastify(options);
    app = instance;
    const { method, url, schema } = route(operationId);
    instance.route({
      method,
      url,
      schema,
      handler: (request, reply) => reply.code(status).send(respond(request)),
    });
    await instance.ready();
    return instance;
  }

  const validProfile = { email: 'ada@example.com', displayName: 'Ada', password: 'secret' };

  it('serializes the response through its schema: undeclared and writeOnly properties are dropped', async () => {
    const stored = {
      id: '0190f6e4-7d2c-7000-8000-000000000000',
      ...validProfile,
      createdAt: '2026-01-01T00:00:00.000Z',
      internalNote: 'never leaves the server',
    };
    const server = await serve('createProfile', 201, () => stored);
    const response = await server.inject({ method: 'POST', url: '/v1/profiles', payload: validProfile });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: stored.id,
      email: stored.email,
      displayName: stored.displayName,
      createdAt: stored.createdAt,
    });
  });

  it('validates the request body against its media type schema', async () => {
    const server = await serve('createProfile', 201, () => ({}));
    const response = await server.inject({
      method: 'POST',
      url: '/v1/profiles',
      payload: { ...validProfile, email: 'not an email' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ message: 'body/email must match format "email"' });
    const missing = await server.inject({
      method: 'POST',
      url: '/v1/profiles',
      payload: { displayName: 'Ada' },
    });
    expect(missing.statusCode).toBe(400);
  });

  it('validates path parameters', async () => {
    const health = await serve('getHealth', 200, () => ({ status: 'ok', uptime: 1 }));
    expect((await health.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await health.inject({ method: 'GET', url: '/health/sideways' })).statusCode).toBe(400);
  });

  it('coerces query parameters and applies their defaults', async () => {
    const server = await serve('list_profiles', 200, (request) => ({
      items: [],
      next: JSON.stringify(request.query),
    }));
    const response = await server.inject({
      method: 'GET',
      url: '/v1/profiles?updatedAfter=2026-01-01T00:00:00Z&tags=a',
    });
    expect(JSON.parse(response.json<{ next: string }>().next)).toEqual({
      updatedAfter: '2026-01-01T00:00:00Z',
      tags: ['a'],
      limit: 20,
    });
    const tooSmall = await server.inject({
      method: 'GET',
      url: '/v1/profiles?updatedAfter=2026-01-01T00:00:00Z&limit=0',
    });
    expect(tooSmall.statusCode).toBe(400);
  });

  it('rejects unknown query parameters when ajv does not strip them', async () => {
    const server = await serve('list_profiles', 200, () => ({ items: [] }), {
      ajv: { customOptions: { removeAdditional: false } },
    });
    const ok = await server.inject({ method: 'GET', url: '/v1/profiles?updatedAfter=2026-01-01T00:00:00Z' });
    expect(ok.statusCode).toBe(200);
    const unknown = await server.inject({
      method: 'GET',
      url: '/v1/profiles?updatedAfter=2026-01-01T00:00:00Z&sort=name',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ message: 'querystring must NOT have additional properties' });
  });
});

// The server's side of authentication, with a stand-in authenticator: the hook records the caller,
// the guard enforces each operation's `security` (alternatives, open requirements), and an
// authenticator that cannot answer makes a 503, not a 401.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { sampleApi } from '../../test/support/sample-api.ts';
import type { RequestAuthentication, RequestAuthenticator } from './authentication-hook.ts';
import { buildServer } from './build-server.ts';

/** Tokens are the outcome they stand for: `Bearer ok:a,b` is a caller with scopes a and b. */
const standIn: RequestAuthenticator = {
  async authenticate(authorization): Promise<RequestAuthentication> {
    if (authorization === undefined) return { kind: 'anonymous' };
    if (authorization === 'Bearer unavailable') throw new Error('client store unreachable');
    const ok = /^Bearer ok:(.*)$/.exec(authorization);
    if (!ok) return { kind: 'invalid', reason: 'no such token' };
    return { kind: 'authenticated', caller: { clientId: 'client-1', scopes: ok[1]!.split(',') } };
  },
};

function secured(security: OperationRoute['security']) {
  return { ...sampleApi, operations: sampleApi.operations.map((operation) => ({ ...operation, security })) };
}

let app: FastifyInstance | undefined;
afterEach(() => app?.close());

async function serverWith(security: OperationRoute['security']) {
  app = await buildServer({
    logger: pino({ level: 'silent' }),
    ids: { next: () => 'request-1' },
    http: { requestTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 5000, bodyLimitBytes: 1024 },
    apis: [secured(security)],
    readiness: { database: async () => ({ ok: true, endpoints: [] }) },
    authenticator: standIn,
  });
  return app;
}

const get = (server: FastifyInstance, authorization?: string) =>
  server.inject({ method: 'GET', url: '/v1/notes/n1', headers: authorization ? { authorization } : {} });

describe('security guard', () => {
  it('needs every scope of one requirement; any requirement of several will do', async () => {
    const server = await serverWith([{ oauth2: ['notes.read', 'notes.audit'] }, { oauth2: ['notes.admin'] }]);
    expect((await get(server, 'Bearer ok:notes.read,notes.audit')).statusCode).toBe(200);
    expect((await get(server, 'Bearer ok:notes.admin')).statusCode).toBe(200);
    const partial = await get(server, 'Bearer ok:notes.read');
    expect(partial.statusCode).toBe(403);
    expect(partial.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="notes.read notes.audit"',
    );
    expect(partial.json()).toMatchObject({
      status: 403,
      type: '/problems/insufficient-scope',
      requestId: 'request-1',
    });
  });

  it('answers 401 before validation: an unauthenticated caller learns nothing about the request', async () => {
    const server = await serverWith([{ oauth2: ['notes.read'] }]);
    const response = await server.inject({ method: 'GET', url: '/v1/notes/NOT_VALID?unknown=1' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    const invalid = await get(server, 'Bearer forged');
    expect(invalid.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="no such token"',
    );
    expect(invalid.json()).toMatchObject({
      status: 401,
      type: '/problems/invalid-token',
      detail: 'no such token',
    });
  });

  it('leaves open an operation with security [] or an empty requirement, whatever token comes', async () => {
    const openings: OperationRoute['security'][] = [[], [{ oauth2: ['notes.read'] }, {}]];
    for (const security of openings) {
      const server = await serverWith(security);
      expect((await get(server)).statusCode).toBe(200);
      expect((await get(server, 'Bearer forged')).statusCode).toBe(200);
      await server.close();
      app = undefined;
    }
  });

  it('answers 503 with Retry-After when the authenticator cannot tell', async () => {
    const server = await serverWith([{ oauth2: ['notes.read'] }]);
    const response = await get(server, 'Bearer unavailable');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('client store unreachable');
  });
});

// POST /oauth/token and GET /.well-known/jwks.json over HTTP, on PGlite and on PostgreSQL: the
// client credentials grant, both client authentication methods, every RFC 6749 5.2 error.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { basicAuthorization, TEST_CLIENT, TEST_SCRYPT } from '../../../test/support/test-auth.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { uuidV7Generator } from '../../platform/ids.ts';
import { SERVICE_SCOPES } from '../../service-catalog.ts';
import { createClientAdmin } from '../create-auth.ts';
import type { ClientAdmin } from '../domain/client-admin.ts';

const FORM = 'application/x-www-form-urlencoded';

describeEachDatabase('OAuth token endpoint', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let admin: ClientAdmin;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    admin = createClientAdmin({
      db: db.pool,
      clock,
      ids: uuidV7Generator,
      scrypt: TEST_SCRYPT,
      scopes: SERVICE_SCOPES,
    });
  });
  afterAll(() => app.close());

  function tokenRequest(
    parameters: Record<string, string>,
    headers: Record<string, string> = {},
    payload?: string,
  ): Promise<LightMyRequestResponse> {
    return app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': FORM, ...headers },
      payload: payload ?? new URLSearchParams(parameters).toString(),
    });
  }

  const basic = { authorization: basicAuthorization(TEST_CLIENT) };

  function expectTokenError(response: LightMyRequestResponse, status: number, error: string): void {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<{ error: string; error_description: string }>();
    expect(body.error).toBe(error);
    expect(body.error_description.length).toBeGreaterThan(0);
  }

  describe('success', () => {
    it('issues a signed JWT with every claim for Basic client authentication, not to be cached', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials' }, basic);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<{
        access_token: string;
        token_type: string;
        expires_in: number;
        scope: string;
      }>();
      expect(body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'profile.read profile.write',
      });

      const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      const { keys } = jwks.json<{ keys: { kid: string; alg: string; d?: string }[] }>();
      const header = decodeProtectedHeader(body.access_token);
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
      expect(keys.map((key) => key.kid)).toEqual([header.kid]);
      expect(keys[0]).not.toHaveProperty('d');

      const claims = decodeJwt(body.access_token);
      const now = Math.floor(clock.now().getTime() / 1000);
      expect(claims).toMatchObject({
        iss: 'urn:node-backend-template:issuer',
        aud: 'urn:node-backend-template:api',
        sub: TEST_CLIENT.id,
        client_id: TEST_CLIENT.id,
        scope: 'profile.read profile.write',
        iat: now,
        exp: now + 300,
      });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('accepts the credentials in the body instead', async () => {
      const response = await tokenRequest({
        grant_type: 'client_credentials',
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
      });
      expect(response.statusCode, response.body).toBe(200);
    });

    it('grants a requested subset of the scopes', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials', scope: 'profile.read' }, basic);
      expect(response.json()).toMatchObject({ scope: 'profile.read' });
      expect(decodeJwt(response.json<{ access_token: string }>().access_token).scope).toBe('profile.read');
    });
  });

  describe('errors (RFC 6749 5.2)', () => {
    it('invalid_scope for a scope beyond the client’s, or an empty or malformed one', async () => {
      const { client, secret } = await admin.create('reader only', ['profile.read']);
      const reader = { authorization: basicAuthorization({ id: client.id, secret }) };
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials', scope: 'profile.read profile.write' }, reader),
        400,
        'invalid_scope',
      );
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials', scope: '' }, basic),
        400,
        'invalid_scope',
      );
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials', scope: 'profile."read' }, basic),
        400,
        'invalid_scope',
      );
    });

    it('invalid_request for Basic and body credentials together', async () => {
      expectTokenError(
        await tokenRequest(
          { grant_type: 'client_credentials', client_id: TEST_CLIENT.id, client_secret: TEST_CLIENT.secret },
          basic,
        ),
        400,
        'invalid_request',
      );
    });

    it('invalid_request for a missing grant_type, a repeated parameter, a half of the body credentials, malformed Basic', async () => {
      expectTokenError(await tokenRequest({}, basic), 400, 'invalid_request');
      expectTokenError(
        await tokenRequest({}, basic, 'grant_type=client_credentials&grant_type=client_credentials'),
        400,
        'invalid_request',
      );
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials', client_id: TEST_CLIENT.id }),
        400,
        'invalid_request',
      );
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }),
        400,
        'invalid_request',
      );
    });

    it('invalid_request for a body that is not form-encoded', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/json', ...basic },
        payload: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expectTokenError(response, 400, 'invalid_request');
      const empty = await app.inject({ method: 'POST', url: '/oauth/token', headers: basic });
      expectTokenError(empty, 400, 'invalid_request');
    });

    it('unsupported_grant_type for any other grant', async () => {
      expectTokenError(await tokenRequest({ grant_type: 'password' }, basic), 400, 'unsupported_grant_type');
    });

    it('invalid_client with 401 and a Basic challenge for a wrong secret or an unknown client over Basic', async () => {
      for (const client of [
        { id: TEST_CLIENT.id, secret: 'wrong-secret' },
        { id: 'no-such-client', secret: TEST_CLIENT.secret },
      ]) {
        const response = await tokenRequest(
          { grant_type: 'client_credentials' },
          { authorization: basicAuthorization(client) },
        );
        expectTokenError(response, 401, 'invalid_client');
        expect(response.headers['www-authenticate']).toMatch(/^Basic /);
      }
    });

    it('invalid_client with 400 for wrong body credentials or none', async () => {
      expectTokenError(
        await tokenRequest({
          grant_type: 'client_credentials',
          client_id: TEST_CLIENT.id,
          client_secret: 'nope',
        }),
        400,
        'invalid_client',
      );
      expectTokenError(await tokenRequest({ grant_type: 'client_credentials' }), 400, 'invalid_client');
    });

    it('invalid_client for a revoked client: no new tokens at once', async () => {
      const { client, secret } = await admin.create('soon revoked', ['profile.read']);
      const credentials = { authorization: basicAuthorization({ id: client.id, secret }) };
      expect((await tokenRequest({ grant_type: 'client_credentials' }, credentials)).statusCode).toBe(200);
      await admin.revoke(client.id);
      expectTokenError(
        await tokenRequest({ grant_type: 'client_credentials' }, credentials),
        401,
        'invalid_client',
      );
    });

    it('answers GET on the token endpoint 405 with Allow: POST', async () => {
      const response = await app.inject({ method: 'GET', url: '/oauth/token' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });
  });
});

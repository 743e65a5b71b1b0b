// Who may call the Profile API, on PGlite and on PostgreSQL. Authentication and scopes are checked
// for every operation of the contract's list (a new operation is covered by being in the spec), and
// each client sees only its own profiles: another client's profile is a 404 on every operation
// that takes an id, and lists show none of it.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileOperations } from '../../../api/profile/server.gen.ts';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { contractClient, type ContractClient } from '../../../test/support/contract-client.ts';
import {
  newProfileInput,
  PROFILE_CONTRACT,
  profileClient,
  type ProfileClient,
} from '../../../test/support/profile-client.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { obtainToken, TEST_CLIENT, TEST_SCRYPT, TEST_SIGNING_KEY } from '../../../test/support/test-auth.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { createClientAdmin } from '../../auth/create-auth.ts';
import type { ClientAdmin } from '../../auth/domain/client-admin.ts';
import { SERVICE_SCOPES } from '../../service-catalog.ts';
import { createJwtSigner } from '../../auth/tokens/jwt-signer.ts';
import { readSigningKey } from '../../auth/tokens/signing-key.ts';
import { uuidV7Generator } from '../../platform/ids.ts';

const SOME_ID = '0190a5c6-0000-7000-8000-000000000000';
const ISSUER = 'urn:node-backend-template:issuer';
const AUDIENCE = 'urn:node-backend-template:api';

type Operation = (typeof profileOperations)[number];

/** A request each operation would accept from a caller allowed to make it. */
function requestFor(operation: Operation, id = SOME_ID) {
  const url = operation.path.replace('{id}', id);
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (operation.requestContentTypes.length > 0) {
    headers['content-type'] = operation.requestContentTypes[0]!;
    payload = JSON.stringify(
      operation.method === 'PATCH' ? { name: 'Someone Else' } : newProfileInput({ name: 'Someone Else' }),
    );
  }
  if (['PUT', 'PATCH', 'DELETE'].includes(operation.method)) headers['if-match'] = '*';
  return { method: operation.method, url, headers, ...(payload === undefined ? {} : { payload }) };
}

function scopesOf(operation: Operation): string[] {
  return operation.security.flatMap((requirement) => Object.values(requirement).flat());
}

describeEachDatabase('Profile API access', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let anonymous: ContractClient;
  let admin: ClientAdmin;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    anonymous = await contractClient(app, PROFILE_CONTRACT);
    admin = createClientAdmin({
      db: db.pool,
      clock,
      ids: uuidV7Generator,
      scrypt: TEST_SCRYPT,
      scopes: SERVICE_SCOPES,
    });
  });
  afterAll(() => app.close());

  function send(operation: Operation, authorization?: string): Promise<LightMyRequestResponse> {
    const request = requestFor(operation);
    return anonymous.inject({
      ...request,
      headers: { ...request.headers, ...(authorization ? { authorization } : {}) },
    });
  }

  function expectProblem(response: LightMyRequestResponse, status: number, challenge: RegExp): void {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(challenge);
  }

  it('secures every operation of the contract with at least one scope', () => {
    expect(profileOperations.length).toBeGreaterThan(0);
    for (const operation of profileOperations) expect(scopesOf(operation).length).toBeGreaterThan(0);
  });

  describe.each(profileOperations.map((operation) => [operation.operationId, operation] as const))(
    '%s',
    (_name, operation) => {
      it('401 with a bare Bearer challenge without a token (RFC 6750 3.1)', async () => {
        expectProblem(await send(operation), 401, /^Bearer$/);
      });

      it('401 invalid_token for a token that is not one, or a non-Bearer scheme ignored as none', async () => {
        expectProblem(await send(operation, 'Bearer not-a-jwt'), 401, /^Bearer error="invalid_token"/);
        expectProblem(await send(operation, 'Bearer'), 401, /^Bearer error="invalid_token"/);
        expectProblem(await send(operation, 'Basic dGVzdDp0ZXN0'), 401, /^Bearer$/);
      });

      it('403 insufficient_scope naming the scope, for a token without it', async () => {
        const needed = scopesOf(operation);
        const others = SERVICE_SCOPES.filter((scope) => !needed.includes(scope));
        const token = await obtainToken(app, TEST_CLIENT, others.join(' '));
        const response = await send(operation, `Bearer ${token}`);
        expectProblem(response, 403, /^Bearer error="insufficient_scope", scope="[^"]+"$/);
        expect(response.headers['www-authenticate']).toContain(`scope="${needed.join(' ')}"`);
      });
    },
  );

  describe('tokens that must be refused', () => {
    const getProfile = profileOperations.find((operation) => operation.operationId === 'getProfile')!;

    async function signedWith(options: {
      issuer?: string;
      audience?: string;
      key?: string;
    }): Promise<string> {
      const key = await readSigningKey(options.key ?? TEST_SIGNING_KEY);
      const signer = createJwtSigner({
        key,
        issuer: options.issuer ?? ISSUER,
        audience: options.audience ?? AUDIENCE,
        ttlSeconds: 300,
        clock,
      });
      return (await signer.sign({ clientId: TEST_CLIENT.id, scopes: SERVICE_SCOPES })).token;
    }

    it('accepts a token this test signs like the service does (so the refusals below are for their one flaw)', async () => {
      const response = await send(getProfile, `Bearer ${await signedWith({})}`);
      expect(response.statusCode).toBe(404);
    });

    it.each([
      [
        'a wrong signature (another key)',
        {
          key: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        },
      ],
      ['a wrong audience', { audience: 'urn:someone-else' }],
      ['a wrong issuer', { issuer: 'urn:someone-else' }],
    ])('refuses %s with 401 invalid_token', async (_flaw, options) => {
      expectProblem(
        await send(getProfile, `Bearer ${await signedWith(options)}`),
        401,
        /error="invalid_token"/,
      );
    });

    it('refuses an expired token', async () => {
      const token = await obtainToken(app);
      clock.advance(301_000);
      try {
        const response = await send(getProfile, `Bearer ${token}`);
        expectProblem(response, 401, /error="invalid_token", error_description="the token has expired"/);
      } finally {
        clock.advance(-301_000);
      }
    });

    it('refuses alg none and a symmetric algorithm', async () => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(clock.now().getTime() / 1000);
      const claims = {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: TEST_CLIENT.id,
        client_id: TEST_CLIENT.id,
        scope: 'profile.read',
        iat: now,
        exp: now + 60,
      };
      const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims)}.`;
      expectProblem(await send(getProfile, `Bearer ${unsigned}`), 401, /error="invalid_token"/);
      const hmac = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('a-guessable-shared-secret-of-32-bytes'));
      expectProblem(await send(getProfile, `Bearer ${hmac}`), 401, /error="invalid_token"/);
    });

    it('refuses a token of the service’s own key that is not typed at+jwt (RFC 9068)', async () => {
      const key = await readSigningKey(TEST_SIGNING_KEY);
      const tokenTyped = (typ: string | undefined) =>
        new SignJWT({ client_id: TEST_CLIENT.id, scope: SERVICE_SCOPES.join(' ') })
          .setProtectedHeader({ alg: key.algorithm, kid: key.keyId, ...(typ === undefined ? {} : { typ }) })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject(TEST_CLIENT.id)
          .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
          .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
          .sign(key.privateKey);
      for (const typ of ['JWT', undefined]) {
        expectProblem(
          await send(getProfile, `Bearer ${await tokenTyped(typ)}`),
          401,
          /error="invalid_token", error_description="the token is not an access token \(its typ header is not at\+jwt\)"/,
        );
      }
      expect((await send(getProfile, `Bearer ${await tokenTyped('at+jwt')}`)).statusCode).toBe(404);
    });

    it('refuses the token of a client that does not exist as it does a revoked one, naming neither', async () => {
      const key = await readSigningKey(TEST_SIGNING_KEY);
      const signer = createJwtSigner({ key, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 300, clock });
      const { token } = await signer.sign({ clientId: 'never-existed', scopes: SERVICE_SCOPES });
      expectProblem(
        await send(getProfile, `Bearer ${token}`),
        401,
        /error="invalid_token", error_description="the token's client is not active \(revoked or unknown\)"/,
      );
    });

    it("refuses a revoked client's token already issued, once the status cache has expired", async () => {
      const { client, secret } = await admin.create('revoked later', ['profile.read']);
      const token = await obtainToken(app, { id: client.id, secret });
      expect((await send(getProfile, `Bearer ${token}`)).statusCode).toBe(404);
      await admin.revoke(client.id);
      clock.advance(2_001);
      expectProblem(
        await send(getProfile, `Bearer ${token}`),
        401,
        /error="invalid_token", error_description="the token's client is not active \(revoked or unknown\)"/,
      );
    });
  });

  describe("another client's profiles", () => {
    let owner: ProfileClient;
    let stranger: ProfileClient;

    beforeAll(async () => {
      owner = await profileClient(app);
      const { client, secret } = await admin.create('stranger', SERVICE_SCOPES);
      stranger = await profileClient(app, { as: { id: client.id, secret } });
    });

    const byId = profileOperations.filter((operation) => operation.path.includes('{id}'));

    it('covers every operation that takes an id', () => {
      expect(byId.map((operation) => operation.method).sort()).toEqual(['DELETE', 'GET', 'PATCH', 'PUT']);
    });

    it.each(byId.map((operation) => [operation.operationId, operation] as const))(
      '%s: 404, never 403 and never the profile, and the profile is untouched',
      async (_name, operation) => {
        const { profile, etag } = await owner.create(newProfileInput());
        const response = await stranger.inject(requestFor(operation, profile.id));
        expect(response.statusCode, response.body).toBe(404);
        expect(response.body).not.toContain(profile.email);
        const after = await owner.read(profile.id);
        expect(after).toEqual({ profile, etag });
      },
    );

    it('lists only the caller’s own profiles, in both pagination modes', async () => {
      const { profile } = await owner.create(newProfileInput());
      const mine = await stranger.create(newProfileInput());
      for (const url of ['/v1/profiles?pageSize=100', '/v1/profiles?limit=100']) {
        const strangers = (await stranger.inject({ method: 'GET', url })).json<{ data: { id: string }[] }>()
          .data;
        expect(strangers.map((each) => each.id)).toEqual([mine.profile.id]);
        const owners = (await owner.inject({ method: 'GET', url })).json<{ data: { id: string }[] }>().data;
        expect(owners.map((each) => each.id)).toContain(profile.id);
        expect(owners.map((each) => each.id)).not.toContain(mine.profile.id);
      }
    });

    it('lets two clients use the same email (uniqueness is per client, so a 409 leaks nothing)', async () => {
      const input = newProfileInput();
      await owner.create(input);
      await stranger.create(input);
    });
  });
});

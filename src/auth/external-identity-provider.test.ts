// AUTH_JWKS_URL mode: tokens of an external identity provider, verified against its JWKS served by
// an in-process HTTP server on 127.0.0.1, including a key rotation the service learns of by
// fetching the JWKS again when a token names an unknown key id.
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { contractClient, type ContractClient } from '../../test/support/contract-client.ts';
import { PROFILE_CONTRACT } from '../../test/support/profile-client.ts';
import { buildTestApp } from '../../test/support/test-app.ts';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'profile-api';

interface ProviderKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function providerKey(kid: string): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

describeEachDatabase('external identity provider', (db) => {
  let jwksServer: Server;
  let published: ProviderKey[] = [];
  let fetches = 0;
  let app: FastifyInstance;
  let api: ContractClient;
  let first: ProviderKey;
  let second: ProviderKey;
  let providerEnv: Record<string, string>;

  beforeAll(async () => {
    first = await providerKey('key-1');
    second = await providerKey('key-2');
    published = [first];
    jwksServer = createServer((_request, response) => {
      fetches += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published.map((key) => key.jwk) }));
    });
    jwksServer.listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    const { port } = jwksServer.address() as AddressInfo;
    providerEnv = {
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_SIGNING_KEY: '',
      AUTH_BOOTSTRAP_CLIENT_ID: '',
      AUTH_BOOTSTRAP_CLIENT_SECRET: '',
    };
    app = await buildTestApp(db.pool, { env: providerEnv, jwksCooldownMs: 0 });
    api = await contractClient(app, PROFILE_CONTRACT);
  });
  afterAll(async () => {
    await app.close();
    jwksServer.close();
  });

  function tokenOf(
    key: ProviderKey,
    claims: Record<string, unknown>,
    overrides: { issuer?: string; typ?: string | null } = {},
  ) {
    const typ = overrides.typ === undefined ? 'at+jwt' : overrides.typ;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, ...(typ === null ? {} : { typ }) })
      .setIssuer(overrides.issuer ?? ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
  }

  async function listAs(token: string) {
    return api.inject({ method: 'GET', url: '/v1/profiles', headers: { authorization: `Bearer ${token}` } });
  }

  it('serves neither the token endpoint nor a JWKS of its own', async () => {
    expect((await app.inject({ method: 'POST', url: '/oauth/token' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(404);
  });

  it('takes scopes from `scope` or `scp` and the client from client_id, azp or sub', async () => {
    for (const claims of [
      { client_id: 'machine-a', scope: 'profile.read' },
      { azp: 'machine-a', scp: ['profile.read'] },
      { sub: 'machine-a', scope: 'openid profile.read' },
    ]) {
      expect((await listAs(await tokenOf(first, claims))).statusCode).toBe(200);
    }
    const writeOnly = await tokenOf(first, { client_id: 'machine-a', scp: ['profile.write'] });
    expect((await listAs(writeOnly)).statusCode).toBe(403);
  });

  it('keeps each provider client’s profiles its own', async () => {
    const writer = (client: string) =>
      tokenOf(first, { client_id: client, scope: 'profile.read profile.write' });
    const created = await api.inject({
      method: 'POST',
      url: '/v1/profiles',
      headers: { authorization: `Bearer ${await writer('machine-b')}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Grace Hopper', email: 'grace@example.com' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ data: { id: string } }>().data.id;
    const other = await api.inject({
      method: 'GET',
      url: `/v1/profiles/${id}`,
      headers: { authorization: `Bearer ${await writer('machine-c')}` },
    });
    expect(other.statusCode).toBe(404);
  });

  it('refuses another issuer and a key the provider does not publish', async () => {
    const wrongIssuer = await tokenOf(
      first,
      { client_id: 'machine-a', scope: 'profile.read' },
      { issuer: 'https://evil.test/' },
    );
    expect((await listAs(wrongIssuer)).headers['www-authenticate']).toMatch(/error="invalid_token"/);
    const stranger = await providerKey('key-unknown');
    const unknownKey = await listAs(
      await tokenOf(stranger, { client_id: 'machine-a', scope: 'profile.read' }),
    );
    expect(unknownKey.statusCode).toBe(401);
    expect(unknownKey.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('refuses a token that is not typed as an access token (RFC 9068), unless told the provider’s type', async () => {
    const claims = { client_id: 'machine-a', scope: 'profile.read' };
    for (const typ of ['JWT', null]) {
      const refused = await listAs(await tokenOf(first, claims, { typ }));
      expect(refused.statusCode, String(typ)).toBe(401);
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer error="invalid_token", error_description="the token is not an access token (its typ header is not at+jwt)"',
      );
    }
    // RFC 9068 allows the full media type name too.
    expect((await listAs(await tokenOf(first, claims, { typ: 'application/at+jwt' }))).statusCode).toBe(200);

    const plainJwtProvider = await buildTestApp(db.pool, {
      env: { ...providerEnv, AUTH_ACCESS_TOKEN_TYPE: 'JWT' },
      jwksCooldownMs: 0,
    });
    try {
      const list = async (token: string) =>
        plainJwtProvider.inject({
          method: 'GET',
          url: '/v1/profiles',
          headers: { authorization: `Bearer ${token}` },
        });
      expect((await list(await tokenOf(first, claims, { typ: 'JWT' }))).statusCode).toBe(200);
      expect((await list(await tokenOf(first, claims))).statusCode).toBe(401);
    } finally {
      await plainJwtProvider.close();
    }
  });

  describe('key rotation', () => {
    it('fetches the JWKS again for a token naming an unknown kid, then verifies with the new key', async () => {
      const before = fetches;
      published = [second];
      const rotated = await tokenOf(second, { client_id: 'machine-a', scope: 'profile.read' });
      expect((await listAs(rotated)).statusCode).toBe(200);
      expect(fetches).toBe(before + 1);
      // Cached: the next token with that kid needs no fetch.
      expect((await listAs(rotated)).statusCode).toBe(200);
      expect(fetches).toBe(before + 1);
      // The retired key is gone from the refreshed set.
      const retired = await tokenOf(first, { client_id: 'machine-a', scope: 'profile.read' });
      expect((await listAs(retired)).statusCode).toBe(401);
    });
  });
});

// The protections as the service runs them (createApp), on the Profile API: a 429 that satisfies the
// contract, and rate limits off in the test app unless a test turns them on.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../database/describe-each-database.ts';
import { newProfileInput, profileClient, type ProfileClient } from '../support/profile-client.ts';
import { buildTestApp } from '../support/test-app.ts';

describeEachDatabase('Profile API behind rate limits', (db) => {
  let limited: FastifyInstance;
  let unlimited: FastifyInstance;
  let client: ProfileClient;

  beforeAll(async () => {
    limited = await buildTestApp(db.pool, {
      env: {
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_ROUTE_1_PATTERN: '/v1/profiles',
        RATE_LIMIT_ROUTE_1_POLICY_1_METHOD: 'POST',
        RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT: '1',
        RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY: 'client_id',
      },
      clientIdFromHeader: true,
    });
    unlimited = await buildTestApp(db.pool);
    client = await profileClient(limited);
  });
  afterAll(async () => {
    await limited.close();
    await unlimited.close();
  });

  it('answers the over-limit create with a 429 the contract declares, headers and all', async () => {
    const headers = { 'x-test-client-id': `client-${db.kind}` };
    const created = await client.send('POST', '/v1/profiles', newProfileInput(), headers);
    expect(created.statusCode).toBe(201);
    expect(created.headers['ratelimit-policy']).toBe('"route-1-1";q=1;w=60');

    // client.send checks the response against oapi/profile.yaml, required headers included.
    const refused = await client.send('POST', '/v1/profiles', newProfileInput(), headers);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');

    // Another client has its own count.
    const other = await client.send('POST', '/v1/profiles', newProfileInput(), {
      'x-test-client-id': 'other',
    });
    expect(other.statusCode).toBe(201);
  });

  it('limits nothing in the test app by default', async () => {
    const unlimitedClient = await profileClient(unlimited);
    for (let i = 0; i < 3; i++) {
      const response = await unlimitedClient.send('POST', '/v1/profiles', newProfileInput());
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

// A server that turns the login away (a database it does not have, a role it does not know) is an
// unavailable database: the token endpoint answers 503 with Retry-After, as for an unreachable one,
// never 500, and readiness says the writer is down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describePostgres } from './describe-each-database.ts';
import { basicAuthorization, TEST_CLIENT } from '../support/test-auth.ts';
import { buildTestApp } from '../support/test-app.ts';
import type { PostgresConnectionPool } from '../../src/db/postgres/create-postgres-pool.ts';

describePostgres('a PostgreSQL that refuses the login', (db) => {
  const cases = [
    ['a database that does not exist (3D000)', { database: 'no_such_database' }],
    ['a role that does not exist (28000)', { user: 'no_such_role' }],
  ] as const;
  const apps: FastifyInstance[] = [];
  const pools: PostgresConnectionPool[] = [];
  beforeAll(async () => {
    for (const [, wrong] of cases) {
      const pool = db.createPool({ writer: { ...db.endpoint, ...wrong }, connectionTimeoutMs: 2_000 });
      pools.push(pool);
      // No bootstrap client: ensuring it would need the database at start.
      apps.push(
        await buildTestApp(pool, { env: { AUTH_BOOTSTRAP_CLIENT_ID: '', AUTH_BOOTSTRAP_CLIENT_SECRET: '' } }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it.each(cases.map(([what], index) => [what, index] as const))(
    'answers a token request with 503 and Retry-After: %s',
    async (_what, index) => {
      const response = await apps[index]!.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuthorization(TEST_CLIENT),
        },
        payload: 'grant_type=client_credentials',
      });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
    },
  );

  it.each(cases.map(([what], index) => [what, index] as const))('is not ready: %s', async (_what, index) => {
    const response = await apps[index]!.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json()).toMatchObject({ detail: 'Unreachable: writer.' });
  });
});

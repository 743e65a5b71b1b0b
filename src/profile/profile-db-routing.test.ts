// Reads go to reader(), writes run in one bounded transaction (withTimeoutTx) on the writer:
// proven on the statements a recording pool saw, for every operation and its failure paths.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { newProfileInput, profileClient, type ProfileClient } from '../../test/support/profile-client.ts';
import { recordingPool, type RecordingPool } from '../../test/support/recording-pool.ts';
import { buildTestApp } from '../../test/support/test-app.ts';

const TX_TIMEOUT_MS = 4321;

describeEachDatabase('Profile database routing', (db) => {
  let pool: RecordingPool;
  let app: FastifyInstance;
  let client: ProfileClient;

  beforeAll(async () => {
    pool = recordingPool(db.pool);
    app = await buildTestApp(pool, { env: { DB_TX_TIMEOUT: `${TX_TIMEOUT_MS}ms` } });
    client = await profileClient(app);
  });
  afterAll(() => app.close());
  beforeEach(() => pool.clear());

  /**
   * The Profile module's statements. The caller's client status is read on reader() whenever its
   * 2 s cache has expired, which on a slow machine can fall inside any request: not this test's concern.
   */
  const profileStatements = () => pool.statements.filter(({ sql }) => !/\bFROM oauth_clients\b/.test(sql));

  function expectReadOnly() {
    expect(profileStatements().length).toBeGreaterThan(0);
    expect(profileStatements().filter((statement) => statement.door !== 'reader')).toEqual([]);
    expect(pool.transactions).toEqual([]);
    for (const { sql } of profileStatements()) expect(sql).toMatch(/^SELECT /);
  }

  function expectOneBoundedTransaction() {
    expect(pool.transactions).toEqual([{ door: 'withTimeoutTx', timeoutMs: TX_TIMEOUT_MS }]);
    expect(profileStatements().length).toBeGreaterThan(0);
    expect(profileStatements().filter((statement) => statement.door !== 'withTimeoutTx')).toEqual([]);
  }

  describe('reads use reader() only', () => {
    it.each([
      ['GET one', 'found'],
      ['GET one, 304', 'not-modified'],
      ['list, cursor mode', 'cursor'],
      ['list, cursor mode with a cursor', 'cursor-after'],
      ['list, offset mode', 'offset'],
    ])('%s', async (_title, kind) => {
      const { profile, etag } = await client.create(newProfileInput());
      const { meta } = (await client.inject({ method: 'GET', url: '/v1/profiles?limit=1' })).json<{
        meta: { nextCursor: string | null };
      }>();
      await client.create(newProfileInput());
      pool.clear();
      const requests: Record<string, { url: string; headers?: Record<string, string> }> = {
        found: { url: `/v1/profiles/${profile.id}` },
        'not-modified': { url: `/v1/profiles/${profile.id}`, headers: { 'if-none-match': etag } },
        cursor: { url: '/v1/profiles?limit=5' },
        'cursor-after': { url: `/v1/profiles?limit=1&after=${meta.nextCursor}` },
        offset: { url: '/v1/profiles?page=1&pageSize=5' },
      };
      const response = await client.inject({ method: 'GET', ...requests[kind]! });
      expect(response.statusCode).toBeLessThan(500);
      expectReadOnly();
    });

    it('GET one, 404: the reader misses, then one writer lookup rules out replica lag', async () => {
      pool.clear();
      const response = await client.inject({
        method: 'GET',
        url: '/v1/profiles/0190a5c6-0000-7000-8000-000000000000',
      });
      expect(response.statusCode).toBe(404);
      expect(profileStatements().map(({ door }) => door)).toEqual(['reader', 'writer']);
      expect(pool.transactions).toEqual([]);
      for (const { sql } of pool.statements) expect(sql).toMatch(/^SELECT /);
    });
  });

  describe('writes run in withTimeoutTx, never on reader()', () => {
    it('POST, and POST with a taken email (409)', async () => {
      const input = newProfileInput();
      await client.create(input);
      expectOneBoundedTransaction();
      expect(pool.statements.some(({ sql }) => sql.startsWith('INSERT INTO profiles'))).toBe(true);
      pool.clear();
      expect((await client.inject({ method: 'POST', url: '/v1/profiles', payload: input })).statusCode).toBe(
        409,
      );
      expectOneBoundedTransaction();
    });

    const writes: { method: string; body: () => unknown; status: number }[] = [
      { method: 'PUT', body: () => newProfileInput(), status: 200 },
      { method: 'PATCH', body: () => ({ age: 44 }), status: 200 },
      { method: 'DELETE', body: () => undefined, status: 204 },
    ];

    it.each(writes)('$method: success, 412 and 404 alike', async ({ method, body, status }) => {
      const send = (url: string, ifMatch: string) => {
        const payload = body();
        return payload === undefined
          ? client.inject({ method, url, headers: { 'if-match': ifMatch } })
          : client.send(method, url, payload, { 'if-match': ifMatch });
      };
      for (const expected of [status, 412]) {
        const { profile } = await client.create(newProfileInput());
        if (expected === 412) {
          await client.send('PATCH', `/v1/profiles/${profile.id}`, { age: 9 }, { 'if-match': '*' });
        }
        pool.clear();
        expect((await send(`/v1/profiles/${profile.id}`, '"1"')).statusCode).toBe(expected);
        expectOneBoundedTransaction();
        expect(pool.statements.some(({ sql }) => sql.startsWith('UPDATE profiles'))).toBe(expected !== 412);
      }
      pool.clear();
      expect((await send('/v1/profiles/0190a5c6-0000-7000-8000-000000000000', '*')).statusCode).toBe(404);
      expectOneBoundedTransaction();
    });

    it('a write the HTTP adapter refuses (428) runs no statement of its own', async () => {
      const { profile } = await client.create(newProfileInput());
      pool.clear();
      const response = await client.send('PATCH', `/v1/profiles/${profile.id}`, { age: 3 }, {});
      expect(response.statusCode).toBe(428);
      expect(profileStatements()).toEqual([]);
      expect(pool.transactions).toEqual([]);
    });
  });
});

// The Profile API over HTTP, on PGlite and on PostgreSQL: creating, reading, validation, conditional
// reads and deletion. Every response is checked against oapi/profile.yaml by the client.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { newProfileInput, profileClient, type ProfileClient } from '../../../test/support/profile-client.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '0190a5c6-0000-7000-8000-000000000000';

describeEachDatabase('Profile API: create, read, delete', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let client: ProfileClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    client = await profileClient(app);
  });
  afterAll(() => app.close());

  function problemOf(response: { json: () => unknown }) {
    return response.json() as {
      type: string;
      status: number;
      invalidParams?: { name: string; reason: string }[];
    };
  }

  describe('POST /v1/profiles', () => {
    it('creates a profile: 201, Location, a strong ETag, the success envelope and a UUIDv7 id', async () => {
      const input = newProfileInput({ name: 'Ada Lovelace', age: 36 });
      const { data: created, response } = await client.api.POST('/v1/profiles', {
        body: input,
        headers: { 'x-request-id': 'create-1' },
      });
      expect(response.status).toBe(201);
      const { data, meta } = created!;
      expect(data.id).toMatch(UUID_V7);
      expect(response.headers.get('location')).toBe(`/v1/profiles/${data.id}`);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(data).toEqual({
        id: data.id,
        name: 'Ada Lovelace',
        email: input.email,
        age: 36,
        createdAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
      });
      expect(meta).toEqual({ requestId: 'create-1', traceId: '' });
      expect(response.headers.get('x-request-id')).toBe('create-1');
    });

    it('reads back what it created, from the Location', async () => {
      const created = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: newProfileInput(),
      });
      const read = await client.inject({ method: 'GET', url: String(created.headers.location) });
      expect(read.statusCode).toBe(200);
      expect(read.headers.etag).toBe(created.headers.etag);
      expect(read.json<{ data: unknown }>().data).toEqual(created.json<{ data: unknown }>().data);
    });

    it('answers a refused body with the typed Problem, naming each field', async () => {
      const { data, error, response } = await client.api.POST('/v1/profiles', {
        body: newProfileInput({ name: 'Zoë', age: 151 }),
      });
      expect(data).toBeUndefined();
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(error?.status).toBe(422);
      expect(error?.invalidParams?.map((param) => param.name).sort()).toEqual(['body.age', 'body.name']);
    });

    it('stores an absent or null age as null, and the bounds 1 and 150 as given', async () => {
      const { age: _age, ...withoutAge } = newProfileInput();
      expect((await client.create(withoutAge)).profile.age).toBeNull();
      expect((await client.create(newProfileInput({ age: null }))).profile.age).toBeNull();
      expect((await client.create(newProfileInput({ age: 1 }))).profile.age).toBe(1);
      expect((await client.create(newProfileInput({ age: 150 }))).profile.age).toBe(150);
    });

    it('counts the name in characters, not bytes or UTF-16 units: 5 to 50', async () => {
      const accepted = ['Zoë Ø', '🙂🙂🙂🙂🙂', '名前です。', '🙂'.repeat(50), 'é'.repeat(50)];
      for (const name of accepted) {
        const { profile } = await client.create(newProfileInput({ name }));
        expect((await client.read(profile.id)).profile.name).toBe(name);
      }
      for (const name of ['🙂🙂🙂🙂', 'Zoë', '🙂'.repeat(51), 'é'.repeat(51)]) {
        const response = await client.inject({
          method: 'POST',
          url: '/v1/profiles',
          payload: newProfileInput({ name }),
        });
        expect(response.statusCode, name).toBe(422);
        expect(problemOf(response).invalidParams?.[0]?.name).toBe('body.name');
      }
    });

    it('refuses a name with white space at either end', async () => {
      const response = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: newProfileInput({ name: ' Ada Lovelace ' }),
      });
      expect(response.statusCode).toBe(422);
      expect(problemOf(response).invalidParams).toEqual([
        { name: 'body.name', reason: 'must not start or end with white space' },
      ]);
    });

    it.each([
      ['age 0', { age: 0 }, 'body.age'],
      ['age 151', { age: 151 }, 'body.age'],
      ['a fractional age', { age: 1.5 }, 'body.age'],
      ['an age as a string', { age: '30' }, 'body.age'],
      ['a malformed email', { email: 'not-an-email' }, 'body.email'],
      ['a too long email', { email: `${'a'.repeat(250)}@example.com` }, 'body.email'],
      ['a name of the wrong type', { name: 12345 }, 'body.name'],
    ])('422 for %s, naming the field', async (_title, override, field) => {
      const response = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { ...newProfileInput(), ...override },
      });
      expect(response.statusCode).toBe(422);
      const problem = problemOf(response);
      expect(problem.type).toBe('/problems/invalid-body');
      expect(problem.invalidParams?.map((param) => param.name)).toContain(field);
    });

    it('422 for unknown fields and for missing required ones', async () => {
      const unknown = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { ...newProfileInput(), id: UNKNOWN_ID, role: 'admin' },
      });
      expect(unknown.statusCode).toBe(422);
      expect(problemOf(unknown).invalidParams).toEqual(
        expect.arrayContaining([
          { name: 'body.id', reason: 'is not a known field' },
          { name: 'body.role', reason: 'is not a known field' },
        ]),
      );
      const missing = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'Nobody Here' },
      });
      expect(missing.statusCode).toBe(422);
      expect(problemOf(missing).invalidParams).toEqual([{ name: 'body.email', reason: 'is required' }]);
    });

    it('400 for a body that is not JSON, 415 for another media type', async () => {
      const malformed = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        headers: { 'content-type': 'application/json' },
        payload: '{"name": "Ada',
      });
      expect(malformed.statusCode).toBe(400);
      const form = await client.inject({
        method: 'POST',
        url: '/v1/profiles',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=Ada+Lovelace&email=ada@example.com',
      });
      expect(form.statusCode).toBe(415);
    });

    it('409 for an email a live profile already uses, compared case-insensitively', async () => {
      const input = newProfileInput({ email: `Grace.Hopper.${process.pid}@Example.COM` });
      await client.create(input);
      for (const email of [input.email, input.email.toLowerCase(), input.email.toUpperCase()]) {
        const { error, response } = await client.api.POST('/v1/profiles', {
          body: newProfileInput({ email }),
        });
        expect(response.status, email).toBe(409);
        expect(error).toMatchObject({
          type: '/problems/email-already-used',
          invalidParams: [{ name: 'body.email', reason: 'is already used by another profile' }],
        });
      }
    });

    it('of concurrent creates with one email (in any case) exactly one succeeds, the rest are 409', async () => {
      const email = `race.${process.pid}@example.com`;
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          client.inject({
            method: 'POST',
            url: '/v1/profiles',
            payload: newProfileInput({ email: index % 2 === 0 ? email : email.toUpperCase() }),
          }),
        ),
      );
      const statuses = responses.map((response) => response.statusCode).sort();
      expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
    });
  });

  describe('GET /v1/profiles/{id}', () => {
    it('400 naming the id when it is not a UUID, on every method', async () => {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const withBody = method === 'PUT' || method === 'PATCH';
        const response = await client.inject({
          method,
          url: '/v1/profiles/not-a-uuid',
          headers: { 'if-match': '*' },
          ...(withBody ? { payload: newProfileInput() } : {}),
        });
        expect(response.statusCode, method).toBe(400);
        expect(problemOf(response).invalidParams?.[0]?.name).toBe('id');
      }
    });

    it('404 problem for an unknown id', async () => {
      const { error, response } = await client.api.GET('/v1/profiles/{id}', {
        params: { path: { id: UNKNOWN_ID } },
      });
      expect(response.status).toBe(404);
      expect(error).toMatchObject({ type: '/problems/profile-not-found', status: 404 });
    });

    it('304 without a body when If-None-Match holds the current tag, compared weakly, in a list, or *', async () => {
      const { profile, etag } = await client.create(newProfileInput());
      for (const ifNoneMatch of [etag, `W/${etag}`, `"999", ${etag}`, '*']) {
        const { response } = await client.api.GET('/v1/profiles/{id}', {
          params: { path: { id: profile.id }, header: { 'If-None-Match': ifNoneMatch } },
          parseAs: 'text',
        });
        expect(response.status, ifNoneMatch).toBe(304);
        expect(await response.text()).toBe('');
        expect(response.headers.get('etag')).toBe(etag);
      }
    });

    it('200 when If-None-Match holds another tag, and after the profile changed', async () => {
      const { profile, etag } = await client.create(newProfileInput());
      const other = await client.inject({
        method: 'GET',
        url: `/v1/profiles/${profile.id}`,
        headers: { 'if-none-match': '"999"' },
      });
      expect(other.statusCode).toBe(200);
      await client.send('PATCH', `/v1/profiles/${profile.id}`, { age: 41 }, { 'if-match': etag });
      const stale = await client.inject({
        method: 'GET',
        url: `/v1/profiles/${profile.id}`,
        headers: { 'if-none-match': etag },
      });
      expect(stale.statusCode).toBe(200);
      expect(stale.headers.etag).toBe('"2"');
    });
  });

  describe('DELETE /v1/profiles/{id}', () => {
    it('soft-deletes: 204 without a body, then 404 for GET, PUT, PATCH and DELETE', async () => {
      const { profile, etag } = await client.create(newProfileInput());
      const url = `/v1/profiles/${profile.id}`;
      const path = { id: profile.id };
      const deleted = await client.api.DELETE('/v1/profiles/{id}', {
        params: { path, header: { 'If-Match': etag } },
      });
      expect(deleted.response.status).toBe(204);
      expect(deleted.data).toBeUndefined();

      expect((await client.api.GET('/v1/profiles/{id}', { params: { path } })).response.status).toBe(404);
      for (const ifMatch of [etag, '"2"', '*']) {
        const put = await client.send('PUT', url, newProfileInput(), { 'if-match': ifMatch });
        const patch = await client.send('PATCH', url, { age: 5 }, { 'if-match': ifMatch });
        const again = await client.inject({ method: 'DELETE', url, headers: { 'if-match': ifMatch } });
        expect([put.statusCode, patch.statusCode, again.statusCode], ifMatch).toEqual([404, 404, 404]);
      }
      const { rows } = await db.pool
        .writer()
        .query<{ deleted_at: Date | null }>('SELECT deleted_at FROM profiles WHERE id = $1', [profile.id]);
      expect(rows[0]?.deleted_at).toEqual(clock.now());
    });

    it('frees the email: a new profile may use it, in any case, while the deleted one stays gone', async () => {
      const first = await client.create(newProfileInput({ email: `Reuse.${process.pid}@example.com` }));
      await client.inject({
        method: 'DELETE',
        url: `/v1/profiles/${first.profile.id}`,
        headers: { 'if-match': first.etag },
      });
      const second = await client.create(newProfileInput({ email: `reuse.${process.pid}@EXAMPLE.com` }));
      expect(second.profile.id).not.toBe(first.profile.id);
      expect(
        (await client.inject({ method: 'GET', url: `/v1/profiles/${first.profile.id}` })).statusCode,
      ).toBe(404);
      // Deleting the second as well leaves two deleted rows with one email: still allowed.
      await client.inject({
        method: 'DELETE',
        url: `/v1/profiles/${second.profile.id}`,
        headers: { 'if-match': second.etag },
      });
      await client.create(newProfileInput({ email: `reuse.${process.pid}@example.com` }));
    });
  });
});

// PUT, PATCH and DELETE under optimistic concurrency: If-Match rules, full replacement, JSON Merge
// Patch semantics, and no lost update when many writers race with one ETag.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import {
  newProfileInput,
  profileClient,
  type ProfileClient,
  type ProfileJson,
} from '../../../test/support/profile-client.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';

interface ProblemJson {
  type: string;
  status: number;
  invalidParams?: { name: string; reason: string }[];
}

const problemOf = (response: LightMyRequestResponse) => response.json<ProblemJson>();
const dataOf = (response: LightMyRequestResponse) => response.json<{ data: ProfileJson }>().data;

describeEachDatabase('Profile API: conditional writes', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let client: ProfileClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    client = await profileClient(app);
  });
  afterAll(() => app.close());

  /** Each write method with a body it accepts. */
  const writes = [
    { method: 'PUT', body: () => newProfileInput({ name: 'Replaced Name' }) },
    { method: 'PATCH', body: () => ({ age: 77 }) },
    { method: 'DELETE', body: () => undefined },
  ] as const;

  function write(
    method: string,
    id: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const url = `/v1/profiles/${id}`;
    return body === undefined
      ? client.inject({ method, url, headers })
      : client.send(method, url, body, headers);
  }

  describe('If-Match', () => {
    it.each(writes)('$method without If-Match: 428, and nothing changes', async ({ method, body }) => {
      const { profile } = await client.create(newProfileInput());
      const response = await write(method, profile.id, body(), {});
      expect(response.statusCode).toBe(428);
      expect(problemOf(response).type).toBe('/problems/if-match-required');
      expect((await client.read(profile.id)).etag).toBe('"1"');
    });

    it.each(writes)('$method with a stale ETag: 412 carrying the current ETag', async ({ method, body }) => {
      const { profile } = await client.create(newProfileInput());
      await client.send('PATCH', `/v1/profiles/${profile.id}`, { age: 2 }, { 'if-match': '"1"' });
      const response = await write(method, profile.id, body(), { 'if-match': '"1"' });
      expect(response.statusCode).toBe(412);
      expect(response.headers.etag).toBe('"2"');
      expect(problemOf(response).type).toBe('/problems/version-mismatch');
      expect((await client.read(profile.id)).profile.age).toBe(2);
    });

    it.each(writes)(
      '$method never matches a weak tag, nor a tag it did not issue',
      async ({ method, body }) => {
        const { profile, etag } = await client.create(newProfileInput());
        for (const ifMatch of [`W/${etag}`, '"v1"', '"01"', '""']) {
          const response = await write(method, profile.id, body(), { 'if-match': ifMatch });
          expect(response.statusCode, ifMatch).toBe(412);
          expect(response.headers.etag).toBe(etag);
        }
      },
    );

    it.each(writes)('$method with If-Match: * succeeds whatever the version', async ({ method, body }) => {
      const { profile } = await client.create(newProfileInput());
      await client.send('PATCH', `/v1/profiles/${profile.id}`, { age: 3 }, { 'if-match': '*' });
      const response = await write(method, profile.id, body(), { 'if-match': '*' });
      expect(response.statusCode).toBe(method === 'DELETE' ? 204 : 200);
    });

    it.each(writes)(
      '$method succeeds when the current tag is anywhere in a list',
      async ({ method, body }) => {
        const { profile, etag } = await client.create(newProfileInput());
        const response = await write(method, profile.id, body(), { 'if-match': `"7", W/"8", ${etag}` });
        expect(response.statusCode).toBe(method === 'DELETE' ? 204 : 200);
      },
    );

    it.each(writes)('$method with a malformed If-Match: 400 naming the header', async ({ method, body }) => {
      const { profile } = await client.create(newProfileInput());
      const response = await write(method, profile.id, body(), { 'if-match': '1' });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).invalidParams).toEqual([
        { name: 'If-Match', reason: 'must be * or a list of quoted entity tags' },
      ]);
    });
  });

  describe('PUT /v1/profiles/{id}', () => {
    it('replaces every field: an absent age becomes null, the version and updatedAt move on', async () => {
      const { profile, etag } = await client.create(newProfileInput({ age: 50 }));
      clock.advance(60_000);
      const replacement = newProfileInput({ name: 'Brand New Name' });
      delete replacement.age;
      const response = await client.send('PUT', `/v1/profiles/${profile.id}`, replacement, {
        'if-match': etag,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(dataOf(response)).toEqual({
        ...profile,
        name: 'Brand New Name',
        email: replacement.email,
        age: null,
        updatedAt: clock.now().toISOString(),
      });
      expect((await client.read(profile.id)).profile).toEqual(dataOf(response));
    });

    it('keeps the ETag and updatedAt when the replacement changes nothing', async () => {
      const input = newProfileInput();
      const { profile, etag } = await client.create(input);
      clock.advance(60_000);
      const response = await client.send('PUT', `/v1/profiles/${profile.id}`, input, { 'if-match': etag });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe(etag);
      expect(dataOf(response)).toEqual(profile);
    });

    it("409 for another live profile's email, 422 for an invalid body", async () => {
      const taken = await client.create(newProfileInput());
      const { profile, etag } = await client.create(newProfileInput());
      const url = `/v1/profiles/${profile.id}`;
      const conflict = await client.send(
        'PUT',
        url,
        newProfileInput({ email: taken.profile.email.toUpperCase() }),
        { 'if-match': etag },
      );
      expect(conflict.statusCode).toBe(409);
      const invalid = await client.send('PUT', url, { name: 'Only A Name' }, { 'if-match': etag });
      expect(invalid.statusCode).toBe(422);
      expect(problemOf(invalid).invalidParams).toEqual([{ name: 'body.email', reason: 'is required' }]);
      expect((await client.read(profile.id)).etag).toBe(etag);
    });
  });

  describe('PATCH /v1/profiles/{id} (JSON Merge Patch)', () => {
    const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

    it('null clears the age; absent fields stay as they were', async () => {
      const { profile, etag } = await client.create(newProfileInput({ age: 40 }));
      const response = await client.send(
        'PATCH',
        `/v1/profiles/${profile.id}`,
        { age: null },
        {
          ...MERGE_PATCH,
          'if-match': etag,
        },
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(dataOf(response)).toMatchObject({ name: profile.name, email: profile.email, age: null });
    });

    it('changes only the fields present', async () => {
      const { profile, etag } = await client.create(newProfileInput({ age: 40 }));
      const response = await client.send(
        'PATCH',
        `/v1/profiles/${profile.id}`,
        { name: 'Renamed Person' },
        {
          ...MERGE_PATCH,
          'if-match': etag,
        },
      );
      expect(dataOf(response)).toMatchObject({ name: 'Renamed Person', email: profile.email, age: 40 });
    });

    it('{} and a patch that repeats the current values are no-ops that keep the ETag', async () => {
      const { profile, etag } = await client.create(newProfileInput({ age: null }));
      clock.advance(60_000);
      for (const patch of [{}, { age: null }, { name: profile.name, email: profile.email }]) {
        const response = await client.send('PATCH', `/v1/profiles/${profile.id}`, patch, {
          ...MERGE_PATCH,
          'if-match': etag,
        });
        expect(response.statusCode, JSON.stringify(patch)).toBe(200);
        expect(response.headers.etag).toBe(etag);
        expect(dataOf(response)).toEqual(profile);
      }
    });

    it('422 for null name or email (they are not nullable), for unknown fields and for a non-object', async () => {
      const { profile, etag } = await client.create(newProfileInput());
      const cases: [unknown, string][] = [
        [{ name: null }, 'body.name'],
        [{ email: null }, 'body.email'],
        [{ nickname: 'x' }, 'body.nickname'],
        [{ age: 0 }, 'body.age'],
        [['age', 3], 'body'],
      ];
      for (const [patch, field] of cases) {
        const response = await client.send('PATCH', `/v1/profiles/${profile.id}`, patch, {
          ...MERGE_PATCH,
          'if-match': etag,
        });
        expect(response.statusCode, JSON.stringify(patch)).toBe(422);
        expect(problemOf(response).invalidParams?.[0]?.name).toBe(field);
      }
      expect((await client.read(profile.id)).etag).toBe(etag);
    });

    it('accepts application/merge-patch+json and application/json alike, and no other media type', async () => {
      const { profile } = await client.create(newProfileInput({ age: 10 }));
      const url = `/v1/profiles/${profile.id}`;
      const merge = await client.send('PATCH', url, { age: 11 }, { ...MERGE_PATCH, 'if-match': '"1"' });
      const plain = await client.send('PATCH', url, { age: 12 }, { 'if-match': '"2"' });
      expect([merge.statusCode, plain.statusCode]).toEqual([200, 200]);
      expect(dataOf(plain).age).toBe(12);
      const text = await client.inject({
        method: 'PATCH',
        url,
        headers: { 'content-type': 'text/plain', 'if-match': '"3"' },
        payload: '{"age": 13}',
      });
      expect(text.statusCode).toBe(415);
      expect(text.headers['accept-patch']).toBe('application/merge-patch+json, application/json');
    });

    it("409 for another live profile's email; a change of case of its own email is fine", async () => {
      const taken = await client.create(newProfileInput());
      const { profile, etag } = await client.create(newProfileInput());
      const url = `/v1/profiles/${profile.id}`;
      const conflict = await client.send('PATCH', url, { email: taken.profile.email }, { 'if-match': etag });
      expect(conflict.statusCode).toBe(409);
      const recased = await client.send(
        'PATCH',
        url,
        { email: profile.email.toUpperCase() },
        { 'if-match': etag },
      );
      expect(recased.statusCode).toBe(200);
      expect(dataOf(recased).email).toBe(profile.email.toUpperCase());
    });
  });

  describe('no lost update', () => {
    const WRITERS = 24;

    it(`of ${WRITERS} concurrent PATCHes with one ETag exactly one succeeds; the rest get 412 with the winner's ETag`, async () => {
      const { profile, etag } = await client.create(newProfileInput());
      const responses = await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          client.send(
            'PATCH',
            `/v1/profiles/${profile.id}`,
            { name: `Writer number ${writer}` },
            {
              'if-match': etag,
            },
          ),
        ),
      );
      const statuses = responses.map((response) => response.statusCode);
      const winners = responses.filter((response) => response.statusCode === 200);
      expect(winners).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(WRITERS - 1);
      for (const loser of responses.filter((response) => response.statusCode === 412)) {
        expect(loser.headers.etag).toBe('"2"');
      }
      const current = await client.read(profile.id);
      expect(current.etag).toBe('"2"');
      expect(current.profile.name).toBe(dataOf(winners[0]!).name);
    });

    it('concurrent PATCHes with If-Match: * all succeed, each applied on the version before it', async () => {
      const { profile } = await client.create(newProfileInput());
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, writer) =>
          client.send(
            'PATCH',
            `/v1/profiles/${profile.id}`,
            { name: `Any version ${writer}` },
            { 'if-match': '*' },
          ),
        ),
      );
      expect(responses.map((response) => response.statusCode)).toEqual(Array(12).fill(200));
      const etags = responses.map((response) => String(response.headers.etag));
      expect(new Set(etags).size).toBe(12);
      expect((await client.read(profile.id)).etag).toBe('"13"');
    });

    it('concurrent writes that each send the ETag they last saw never lose a change', async () => {
      const { profile } = await client.create(newProfileInput({ age: 1 }));
      // Each writer adds one to the age, retrying on 412 with the ETag the 412 carries.
      const increment = async (): Promise<number> => {
        let { etag, profile: seen } = await client.read(profile.id);
        for (let attempt = 1; ; attempt += 1) {
          const response = await client.send(
            'PATCH',
            `/v1/profiles/${profile.id}`,
            { age: (seen.age ?? 0) + 1 },
            {
              'if-match': etag,
            },
          );
          if (response.statusCode === 200) return attempt;
          expect(response.statusCode).toBe(412);
          ({ etag, profile: seen } = await client.read(profile.id));
        }
      };
      await Promise.all(Array.from({ length: 8 }, increment));
      const current = await client.read(profile.id);
      expect(current.profile.age).toBe(9);
      expect(current.etag).toBe('"9"');
    });
  });
});

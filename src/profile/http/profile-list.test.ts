// GET /v1/profiles in both pagination modes, on PGlite and on PostgreSQL: meta, Link headers, mode
// rules, empty pages, signed cursors, and a cursor walk while other rows are being inserted.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdGenerator } from '../../platform/ids.ts';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import {
  newProfileInput,
  profileClient,
  type ProfileClient,
  type ProfileJson,
} from '../../../test/support/profile-client.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';

interface ListMeta {
  mode: 'offset' | 'cursor';
  requestId: string;
  traceId: string;
  etags: Record<string, string>;
  page?: number;
  pageSize?: number;
  totalItems?: number;
  totalPages?: number;
  limit?: number;
  nextCursor?: string | null;
  prevCursor?: string | null;
}

interface Page {
  response: LightMyRequestResponse;
  data: ProfileJson[];
  meta: ListMeta;
  /** rel -> href of the Link header. */
  links: Record<string, string>;
}

interface ProblemJson {
  type: string;
  invalidParams?: { name: string; reason: string }[];
}

const START = Date.parse('2026-02-01T00:00:00.000Z');

/** UUIDv7s that do not grow with creation order, so ties on createdAt are really broken by id. */
function shuffledIds(): IdGenerator {
  let count = 0;
  return { next: () => uuidv7({ msecs: START - 1_000_000 + ((count++ * 7919) % 10_007) }) };
}

function parseLinks(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of header ? header.split(', ') : []) {
    const match = /^<([^>]+)>; rel="([a-z]+)"$/.exec(part);
    expect(match, part).not.toBeNull();
    links[match![2]!] = match![1]!;
  }
  return links;
}

/** Newest first: (createdAt DESC, id DESC). */
function newestFirst(profiles: readonly ProfileJson[]): ProfileJson[] {
  return [...profiles].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
}

const idsOf = (profiles: readonly ProfileJson[]) => profiles.map((profile) => profile.id);

function flipOneByte(base64url: string, index: number): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64url');
}

describeEachDatabase('Profile API: listing', (db) => {
  let clock: TestClock;
  let app: FastifyInstance;
  let client: ProfileClient;

  beforeEach(async () => {
    // Every test counts and orders the whole table, so each starts from an empty one.
    await db.pool.writer().query('DELETE FROM profiles');
    clock = new TestClock(new Date(START));
    app = await buildTestApp(db.pool, { clock, ids: shuffledIds() });
    client = await profileClient(app);
  });
  afterEach(() => app.close());

  async function list(query: string, on: ProfileClient = client): Promise<Page> {
    const response = await on.inject({ method: 'GET', url: `/v1/profiles${query}` });
    expect(response.statusCode, response.body).toBe(200);
    const { data, meta } = response.json<{ data: ProfileJson[]; meta: ListMeta }>();
    return { response, data, meta, links: parseLinks(response.headers.link as string | undefined) };
  }

  async function listProblem(query: string): Promise<ProblemJson> {
    const response = await client.inject({ method: 'GET', url: `/v1/profiles${query}` });
    expect(response.statusCode, response.body).toBe(400);
    return response.json<ProblemJson>();
  }

  /**
   * `count` profiles, `sameInstant` of them in a row sharing one createdAt (ties), the clock moving a
   * second between groups. Returned newest first.
   */
  async function seed(count: number, sameInstant = 1): Promise<ProfileJson[]> {
    const created: ProfileJson[] = [];
    for (let index = 0; index < count; index += 1) {
      clock.set(new Date(START + Math.floor(index / sameInstant) * 1000));
      created.push((await client.create(newProfileInput())).profile);
    }
    return newestFirst(created);
  }

  describe('offset mode', () => {
    it('pages newest first with meta and first/prev/next/last links, past the end too', async () => {
      const rows = await seed(5);
      const first = await list('?page=1&pageSize=2');
      expect(idsOf(first.data)).toEqual(idsOf(rows.slice(0, 2)));
      expect(first.meta).toEqual({
        requestId: expect.any(String),
        traceId: '',
        mode: 'offset',
        page: 1,
        pageSize: 2,
        totalItems: 5,
        totalPages: 3,
        etags: Object.fromEntries(rows.slice(0, 2).map((row) => [row.id, '"1"'])),
      });
      expect(first.links).toEqual({
        first: '/v1/profiles?page=1&pageSize=2',
        next: '/v1/profiles?page=2&pageSize=2',
        last: '/v1/profiles?page=3&pageSize=2',
      });

      const second = await list(first.links.next!.slice('/v1/profiles'.length));
      expect(idsOf(second.data)).toEqual(idsOf(rows.slice(2, 4)));
      expect(second.links).toEqual({
        first: '/v1/profiles?page=1&pageSize=2',
        prev: '/v1/profiles?page=1&pageSize=2',
        next: '/v1/profiles?page=3&pageSize=2',
        last: '/v1/profiles?page=3&pageSize=2',
      });

      const last = await list('?page=3&pageSize=2');
      expect(idsOf(last.data)).toEqual(idsOf(rows.slice(4)));
      expect(last.links).toEqual({
        first: '/v1/profiles?page=1&pageSize=2',
        prev: '/v1/profiles?page=2&pageSize=2',
        last: '/v1/profiles?page=3&pageSize=2',
      });

      const beyond = await list('?page=9&pageSize=2');
      expect(beyond.data).toEqual([]);
      expect(beyond.meta).toMatchObject({ page: 9, totalItems: 5, totalPages: 3, etags: {} });
      // Past the end, prev leads back to the last page that has rows.
      expect(beyond.links).toEqual({
        first: '/v1/profiles?page=1&pageSize=2',
        prev: '/v1/profiles?page=3&pageSize=2',
        last: '/v1/profiles?page=3&pageSize=2',
      });
    });

    it('takes page or pageSize alone, the other defaulting (page 1, 20 a page)', async () => {
      const rows = await seed(3);
      const byPage = await list('?page=1');
      expect(byPage.meta).toMatchObject({
        mode: 'offset',
        page: 1,
        pageSize: 20,
        totalItems: 3,
        totalPages: 1,
      });
      expect(idsOf(byPage.data)).toEqual(idsOf(rows));
      expect((await list('?pageSize=2')).meta).toMatchObject({ mode: 'offset', page: 1, pageSize: 2 });
    });

    it('describes an empty collection: no rows, no pages, first and last on page 1', async () => {
      const empty = await list('?page=1&pageSize=10');
      expect(empty.meta).toMatchObject({ totalItems: 0, totalPages: 0, etags: {} });
      expect(empty.links).toEqual({
        first: '/v1/profiles?page=1&pageSize=10',
        last: '/v1/profiles?page=1&pageSize=10',
      });
    });

    it('400 naming page or pageSize when out of bounds; 200 a page is allowed', async () => {
      for (const [query, name] of [
        ['?pageSize=0', 'pageSize'],
        ['?pageSize=201', 'pageSize'],
        ['?page=0', 'page'],
        ['?page=x', 'page'],
      ] as const) {
        expect((await listProblem(query)).invalidParams?.[0]?.name, query).toBe(name);
      }
      expect((await list('?pageSize=200')).meta.pageSize).toBe(200);
    });

    it('reaches the first 10,000 rows at most: deeper pages are a 400 pointing to cursor pagination', async () => {
      for (const query of ['?page=51&pageSize=200', '?page=501', '?page=3334&pageSize=3']) {
        const problem = await listProblem(query);
        expect(problem.type, query).toBe('/problems/invalid-parameters');
        expect(problem.invalidParams, query).toEqual([
          { name: 'page', reason: expect.stringContaining('go further with cursor pagination') },
        ]);
      }
      // The contract's bound, whatever the page size.
      for (const query of ['?page=10001&pageSize=1', '?page=1000000']) {
        expect((await listProblem(query)).invalidParams, query).toEqual([
          { name: 'page', reason: 'must be <= 10000' },
        ]);
      }
      expect((await list('?page=50&pageSize=200')).meta.page).toBe(50);
      expect((await list('?page=500')).meta.page).toBe(500);
    });
  });

  describe('cursor mode', () => {
    it('is the default: first page of 20, with a next cursor and no previous one', async () => {
      const rows = await seed(25);
      const first = await list('');
      expect(first.meta).toEqual({
        requestId: expect.any(String),
        traceId: '',
        mode: 'cursor',
        limit: 20,
        nextCursor: expect.any(String),
        prevCursor: null,
        etags: Object.fromEntries(rows.slice(0, 20).map((row) => [row.id, '"1"'])),
      });
      expect(idsOf(first.data)).toEqual(idsOf(rows.slice(0, 20)));
      expect(first.links).toEqual({
        next: `/v1/profiles?limit=20&after=${first.meta.nextCursor}`,
      });

      const second = await list(first.links.next!.slice('/v1/profiles'.length));
      expect(idsOf(second.data)).toEqual(idsOf(rows.slice(20)));
      expect(second.meta).toMatchObject({ nextCursor: null, prevCursor: expect.any(String) });
      expect(second.links).toEqual({ prev: `/v1/profiles?limit=20&before=${second.meta.prevCursor}` });
    });

    it('sends no Link header for a list that fits on one page', async () => {
      await seed(2);
      const only = await list('?limit=5');
      expect(only.meta).toMatchObject({ nextCursor: null, prevCursor: null });
      expect(only.response.headers.link).toBeUndefined();
    });

    it('walks forward by next links and back by prev links: every row once, in order, ties broken by id', async () => {
      const rows = await seed(11, 4);
      const forward: Page[] = [await list('?limit=3')];
      while (forward.at(-1)!.links.next) forward.push(await list(forward.at(-1)!.links.next!.slice(12)));
      expect(forward.map((page) => page.data.length)).toEqual([3, 3, 3, 2]);
      expect(idsOf(forward.flatMap((page) => page.data))).toEqual(idsOf(rows));

      const backward: Page[] = [forward.at(-1)!];
      while (backward.at(-1)!.links.prev) backward.push(await list(backward.at(-1)!.links.prev!.slice(12)));
      expect(backward).toHaveLength(4);
      expect(idsOf(backward.reverse().flatMap((page) => page.data))).toEqual(idsOf(rows));
      expect(backward[0]!.meta.prevCursor).toBeNull();
    });

    it('400 naming limit when out of bounds', async () => {
      for (const query of ['?limit=0', '?limit=201', '?limit=ten']) {
        expect((await listProblem(query)).invalidParams?.[0]?.name, query).toBe('limit');
      }
    });
  });

  describe('mode rules', () => {
    it('400 naming the cursor parameters when mixed with offset ones', async () => {
      await seed(3);
      const { meta } = await list('?limit=1');
      const mixed = await listProblem('?page=1&limit=5');
      expect(mixed).toMatchObject({ type: '/problems/invalid-parameters' });
      expect(mixed.invalidParams).toEqual([
        { name: 'limit', reason: 'cannot be combined with page: choose offset or cursor pagination' },
      ]);
      const names = (
        await listProblem(`?pageSize=5&page=2&after=${meta.nextCursor}&limit=1`)
      ).invalidParams?.map((param) => param.name);
      expect(names).toEqual(['limit', 'after']);
    });

    it('400 naming before when after and before come together', async () => {
      await seed(3);
      const { meta } = await list('?limit=1');
      const problem = await listProblem(`?after=${meta.nextCursor}&before=${meta.nextCursor}`);
      expect(problem.invalidParams).toEqual([{ name: 'before', reason: 'cannot be combined with after' }]);
    });

    it('400 naming an unknown query parameter', async () => {
      expect((await listProblem('?sort=name')).invalidParams?.[0]?.name).toBe('sort');
    });
  });

  describe('meta.etags and deleted rows', () => {
    it("holds each listed profile's current ETag, usable for a conditional write straight away", async () => {
      const rows = await seed(3);
      const target = rows[1]!;
      await client.send('PATCH', `/v1/profiles/${target.id}`, { age: 61 }, { 'if-match': '"1"' });
      for (const query of ['?limit=10', '?page=1']) {
        const { meta } = await list(query);
        expect(meta.etags).toEqual({ [rows[0]!.id]: '"1"', [target.id]: '"2"', [rows[2]!.id]: '"1"' });
        expect((await client.read(target.id)).etag).toBe(meta.etags[target.id]);
      }
      const { meta } = await list('?limit=10');
      const write = await client.send(
        'PATCH',
        `/v1/profiles/${target.id}`,
        { age: 62 },
        {
          'if-match': meta.etags[target.id]!,
        },
      );
      expect(write.statusCode).toBe(200);
    });

    it('lists no deleted profile in either mode, nor counts it', async () => {
      const rows = await seed(4);
      await client.inject({
        method: 'DELETE',
        url: `/v1/profiles/${rows[1]!.id}`,
        headers: { 'if-match': '*' },
      });
      const live = [rows[0]!, rows[2]!, rows[3]!];
      const offset = await list('?page=1&pageSize=10');
      expect(idsOf(offset.data)).toEqual(idsOf(live));
      expect(offset.meta.totalItems).toBe(3);
      expect(idsOf((await list('?limit=10')).data)).toEqual(idsOf(live));
    });
  });

  describe('empty cursor pages', () => {
    it('before the newest row: an empty page whose next cursor continues past that row', async () => {
      const rows = await seed(3);
      const first = await list('?limit=1');
      const empty = await list(`?limit=1&before=${first.meta.nextCursor}`);
      expect(empty.data).toEqual([]);
      expect(empty.meta).toMatchObject({ prevCursor: null, nextCursor: expect.any(String), etags: {} });
      expect(Object.keys(empty.links)).toEqual(['next']);
      const onward = await list(empty.links.next!.slice(12));
      expect(idsOf(onward.data)).toEqual([rows[1]!.id]);
    });

    it('after rows deleted meanwhile: an empty page that leads back to the rows still newer', async () => {
      const rows = await seed(5);
      const first = await list('?limit=2');
      for (const row of rows.slice(2)) {
        await client.inject({
          method: 'DELETE',
          url: `/v1/profiles/${row.id}`,
          headers: { 'if-match': '*' },
        });
      }
      const empty = await list(`?limit=2&after=${first.meta.nextCursor}`);
      expect(empty.data).toEqual([]);
      expect(empty.meta).toMatchObject({ nextCursor: null, prevCursor: expect.any(String) });
      // The cursor marks the position between rows 2 and 3: newer than it lies row 1 only.
      const back = await list(empty.links.prev!.slice(12));
      expect(idsOf(back.data)).toEqual([rows[0]!.id]);
      expect(back.meta.prevCursor).toBeNull();
    });

    it('with every row gone: an empty page with no cursors and no Link', async () => {
      const rows = await seed(2);
      const first = await list('?limit=1');
      for (const row of rows) {
        await client.inject({
          method: 'DELETE',
          url: `/v1/profiles/${row.id}`,
          headers: { 'if-match': '*' },
        });
      }
      for (const query of [`?after=${first.meta.nextCursor}`, `?before=${first.meta.nextCursor}`]) {
        const empty = await list(query);
        expect(empty.meta).toMatchObject({ nextCursor: null, prevCursor: null });
        expect(empty.response.headers.link).toBeUndefined();
      }
    });
  });

  describe('a cursor walk while rows are being inserted', () => {
    it('forward then backward, every seeded row exactly once and in order; new rows only at the newest end', async () => {
      // 14 rows a second apart, then 28 rows sharing 4 instants: ties broken by id.
      const distinct = await seed(14);
      clock.set(new Date(START + 20_000));
      const tied: ProfileJson[] = [];
      for (let index = 0; index < 28; index += 1) {
        if (index % 7 === 0) clock.advance(1000);
        tied.push((await client.create(newProfileInput())).profile);
      }
      const seeded = newestFirst([...distinct, ...tied]);
      const seededIds = new Set(idsOf(seeded));
      clock.advance(60_000);

      // Every page is fetched while another request inserts a row, newer than all seeded ones.
      const inserted: string[] = [];
      const insertOne = async () => {
        clock.advance(10);
        inserted.push((await client.create(newProfileInput())).profile.id);
      };
      const pageDuringInsert = async (query: string) => (await Promise.all([list(query), insertOne()]))[0];

      const forward: Page[] = [await pageDuringInsert('?limit=4')];
      while (forward.at(-1)!.meta.nextCursor) {
        forward.push(await pageDuringInsert(`?limit=4&after=${forward.at(-1)!.meta.nextCursor}`));
      }
      const backward: Page[] = [forward.at(-1)!];
      while (backward.at(-1)!.meta.prevCursor) {
        backward.push(await pageDuringInsert(`?limit=4&before=${backward.at(-1)!.meta.prevCursor}`));
      }
      expect(forward.length).toBeGreaterThanOrEqual(11);

      for (const pages of [forward, [...backward].reverse()]) {
        const ids = idsOf(pages.flatMap((page) => page.data));
        const seen = ids.filter((id) => seededIds.has(id));
        expect(seen).toEqual(idsOf(seeded));
        // Anything not seeded was inserted during the walk, and sits before every seeded row.
        const firstSeeded = ids.indexOf(seeded[0]!.id);
        expect(ids.slice(firstSeeded).every((id) => seededIds.has(id))).toBe(true);
        expect(ids.slice(0, firstSeeded).every((id) => inserted.includes(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
      }
      // Walking backward goes on into the rows inserted meanwhile, at the newest end, to the end.
      const backwardIds = idsOf(backward.flatMap((page) => page.data));
      expect(backwardIds.filter((id) => inserted.includes(id)).length).toBeGreaterThan(forward.length);
    });
  });

  describe('cursor tampering', () => {
    async function cursor(): Promise<string> {
      await seed(3);
      const { meta } = await list('?limit=1');
      return meta.nextCursor!;
    }

    async function expectRefused(parameter: 'after' | 'before', value: string, reason: RegExp) {
      const problem = await listProblem(`?${parameter}=${value}`);
      expect(problem.invalidParams?.[0]?.name).toBe(parameter);
      expect(problem.invalidParams?.[0]?.reason).toMatch(reason);
    }

    it.each(['after', 'before'] as const)('%s: one byte of the payload flipped', async (parameter) => {
      const [payload, signature] = (await cursor()).split('.') as [string, string];
      await expectRefused(parameter, `${flipOneByte(payload, 10)}.${signature}`, /altered/);
    });

    it.each(['after', 'before'] as const)('%s: one byte of the signature flipped', async (parameter) => {
      const [payload, signature] = (await cursor()).split('.') as [string, string];
      await expectRefused(parameter, `${payload}.${flipOneByte(signature, 7)}`, /altered/);
    });

    it.each(['after', 'before'] as const)('%s: expired after PAGINATION_CURSOR_TTL', async (parameter) => {
      await app.close();
      app = await buildTestApp(db.pool, { clock, env: { PAGINATION_CURSOR_TTL: '30s' } });
      client = await profileClient(app);
      const issued = await cursor();
      clock.advance(29_000);
      expect((await list(`?${parameter}=${issued}`)).response.statusCode).toBe(200);
      clock.advance(1_000);
      await expectRefused(parameter, issued, /expired/);
    });

    it.each(['after', 'before'] as const)('%s: signed with another HMAC_SECRET', async (parameter) => {
      await seed(3);
      const other = await buildTestApp(db.pool, {
        clock,
        hmacSecret: 'another-secret-another-secret-another!',
      });
      try {
        const { meta } = await list('?limit=1', await profileClient(other));
        await expectRefused(parameter, meta.nextCursor!, /altered or was signed with another key/);
      } finally {
        await other.close();
      }
    });

    it.each(['after', 'before'] as const)('%s: garbage, in shape or in content', async (parameter) => {
      await expectRefused(parameter, 'not-a-cursor', /must match pattern/);
      await expectRefused(parameter, `${'A'.repeat(600)}.B`, /must NOT have more than 512 characters/);
      await expectRefused(parameter, 'abc.def', /altered/);
    });
  });
});

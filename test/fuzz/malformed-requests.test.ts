// Property-based fuzzing of the whole HTTP surface: thousands of malformed requests against every
// operation of every contract, the health routes and unknown routes. Each must be answered with a
// 4xx problem (never a 5xx, never a success) and must leave the data exactly as it was.
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { describePglite } from '../database/describe-each-database.ts';
import { buildTestApp } from '../support/test-app.ts';
import { loadOperations, methodsByPath, PLAIN_ROUTES } from './fuzz-targets.ts';
import {
  malformedRequest,
  type Credentials,
  type FuzzContext,
  type FuzzRequest,
  type MalformedRequest,
} from './malformed-request-arbitrary.ts';

/** Fixed so every run sends the same requests; fast-check prints it with any counterexample. */
const SEED = 20_261_124;
const RUNS = 10_000;

const operations = await loadOperations();

/**
 * Every request the fuzzer sends as a legitimate client passes through here. The API is open today;
 * once bearer authentication guards it, this is the one place that adds a valid token.
 */
function authorized(request: FuzzRequest): FuzzRequest {
  return request;
}

const BROKEN_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'Bearer not-a-jwt',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJmdXp6In0.',
  'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
  'Basic ZnV6ejpmdXp6',
  `Bearer ${'a'.repeat(20_000)}`,
  'Bearer x\r\nX-Injected: 1',
];

function presenting(credentials: Credentials, request: FuzzRequest, pick: number): FuzzRequest {
  if (credentials === 'valid') return authorized(request);
  if (credentials === 'none') return request;
  const authorization = BROKEN_AUTHORIZATION[pick % BROKEN_AUTHORIZATION.length]!;
  return { ...request, headers: { ...request.headers, authorization } };
}

function describeRequest({ target, defect, credentials, request }: MalformedRequest): string {
  return `${target} [${defect}] (${credentials} credentials) ${request.method} ${request.url.slice(0, 120)}`;
}

/** The answer is a 4xx RFC 9457 problem whose status matches the response's. */
function expectProblem(response: LightMyRequestResponse, malformed: MalformedRequest): void {
  const where = describeRequest(malformed);
  const status = response.statusCode;
  if (status < 400 || status > 499) {
    throw new Error(`${where}: answered ${status}: ${response.body.slice(0, 300)}`);
  }
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json')) {
    throw new Error(`${where}: ${status} with content type "${contentType}"`);
  }
  if (malformed.request.method === 'HEAD') {
    if (response.body !== '') throw new Error(`${where}: HEAD answered with a body`);
    return;
  }
  let problem: { type?: unknown; title?: unknown; status?: unknown };
  try {
    problem = JSON.parse(response.body) as typeof problem;
  } catch {
    throw new Error(`${where}: ${status} body is not JSON: ${response.body.slice(0, 300)}`);
  }
  if (typeof problem.type !== 'string' || problem.type === '')
    throw new Error(`${where}: problem without type`);
  if (typeof problem.title !== 'string' || problem.title === '')
    throw new Error(`${where}: problem without title`);
  if (problem.status !== status)
    throw new Error(`${where}: problem status ${String(problem.status)} != ${status}`);
}

describePglite('Malformed requests across the HTTP surface', (db) => {
  const bodyLimitBytes = loadConfig({}).http.bodyLimitBytes;
  let app: FastifyInstance;
  let context: FuzzContext;

  async function profileRows(): Promise<unknown[]> {
    const { rows } = await db.pool
      .writer()
      .query(
        'SELECT id, name, email, age, version, created_at, updated_at, deleted_at FROM profiles ORDER BY id',
      );
    return rows;
  }

  /** Puts the rows back after a failing request changed them, so shrinking starts from the same data. */
  async function restoreProfileRows(rows: unknown[]): Promise<void> {
    await db.pool.withTx(async (tx) => {
      await tx.query('DELETE FROM profiles');
      await tx.query('INSERT INTO profiles SELECT * FROM json_populate_recordset(NULL::profiles, $1)', [
        JSON.stringify(rows),
      ]);
    });
  }

  beforeAll(async () => {
    app = await buildTestApp(db.pool);
    const seededIds: string[] = [];
    for (const [name, age] of [
      ['Ada Lovelace', 36],
      ['Grace Hopper', null],
      ['Katherine Johnson', 101],
    ] as const) {
      const created = await app.inject(
        authorized({
          method: 'POST',
          url: '/v1/profiles',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, age }),
        }) as InjectOptions,
      );
      expect(created.statusCode).toBe(201);
      seededIds.push(created.json<{ data: { id: string } }>().data.id);
    }
    context = {
      operations,
      methodsByPath: methodsByPath(operations, PLAIN_ROUTES),
      seededIds,
      bodyLimitBytes,
    };
  });
  afterAll(() => app.close());

  it('finds the route tables', () => {
    expect(operations.map((operation) => operation.operationId)).toContain('createProfile');
  });

  it(`answers ${RUNS} malformed requests with 4xx problems and changes no data`, async () => {
    const before = await profileRows();
    const perTarget = new Map<string, number>();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(malformedRequest(context), fc.nat(), async (malformed, pick) => {
        const request = presenting(malformed.credentials, malformed.request, pick);
        const response = await app.inject(request as InjectOptions);
        sent += 1;
        perTarget.set(malformed.target, (perTarget.get(malformed.target) ?? 0) + 1);
        expectProblem(response, malformed);
        const after = await profileRows();
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          await restoreProfileRows(before);
          throw new Error(`${describeRequest(malformed)}: changed the data (${response.statusCode})`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );

    expect(await profileRows()).toEqual(before);
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    for (const operation of operations) expect(perTarget.get(operation.operationId) ?? 0).toBeGreaterThan(50);
    for (const route of PLAIN_ROUTES) expect(perTarget.get(route.path) ?? 0).toBeGreaterThan(10);
    expect(perTarget.get('unknown route') ?? 0).toBeGreaterThan(50);
  }, 180_000);
});

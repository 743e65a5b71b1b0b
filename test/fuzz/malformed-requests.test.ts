// Property-based fuzzing of the whole HTTP surface: thousands of malformed requests against every
// operation of every contract, the health routes and unknown routes. Each must be answered with a
// 4xx problem (never a 5xx, never a success) and must leave the data exactly as it was.
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { describePglite } from '../database/describe-each-database.ts';
import { obtainToken } from '../support/test-auth.ts';
import { buildTestApp } from '../support/test-app.ts';
import { loadOperations, methodsByPath, PLAIN_ROUTES } from './fuzz-targets.ts';
import { hostileCharacter, propertiesOf } from './schema-values.ts';
import {
  validCall,
  type Credentials,
  type FuzzContext,
  type FuzzRequest,
  type MalformedRequest,
} from './fuzz-request.ts';
import { malformedRequest } from './malformed-request-arbitrary.ts';
import { restoreTables, sameData, snapshotTables } from './table-snapshot.ts';
import { seedRecords } from './seed-records.ts';

/** Fixed so every run sends the same requests; fast-check prints it with any counterexample. */
const SEED = 20_261_124;
const RUNS = 10_000;

const operations = await loadOperations();
/** The operations of the Payment API, its payload routes and its sandbox: the Pix dialect's. */
const PIX_TARGETS = new Set(
  operations
    .filter((operation) => operation.path.startsWith('/v2/') || operation.path.startsWith('/qr/v2/'))
    .map((operation) => operation.operationId),
);

/** The test client's access token (every scope) for the app under test; set once that app is built. */
let accessToken = '';

/** Every request the fuzzer sends as a legitimate client passes through here to get a valid token. */
function authorized(request: FuzzRequest): FuzzRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${accessToken}` } };
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
  // A Payment operation's problems are in the Pix dialect, whatever raised them, except for a URL
  // Fastify cannot route at all (undecodable, a parameter over the length limit): no API owns it,
  // and the server answers it before routing (400, 404 or 414, `about:blank`).
  const unroutable = problem.type === 'about:blank' && [400, 404, 414].includes(status);
  if (PIX_TARGETS.has(malformed.target) && !unroutable) {
    const pix = problem as { type: string; correlationId?: unknown };
    if (!pix.type.startsWith('https://pix.bcb.gov.br/api/v2/error/'))
      throw new Error(`${where}: problem type ${pix.type} is not in the Pix dialect`);
    if (typeof pix.correlationId !== 'string') throw new Error(`${where}: Pix problem without correlationId`);
  }
}

describePglite('Malformed requests across the HTTP surface', (db) => {
  const bodyLimitBytes = loadConfig({}).http.bodyLimitBytes;
  let app: FastifyInstance;
  let context: FuzzContext;

  beforeAll(async () => {
    app = await buildTestApp(db.pool);
    accessToken = await obtainToken(app);
    const seeded = await seedRecords(app, accessToken);
    context = {
      operations,
      methodsByPath: methodsByPath(operations, PLAIN_ROUTES),
      seededPaths: seeded.pathsFor,
      seededIds: seeded.profileIds,
      bodyLimitBytes,
    };
  });
  afterAll(() => app.close());

  it('finds the route tables', () => {
    expect(operations.map((operation) => operation.operationId)).toContain('createProfile');
  });

  it(`answers ${RUNS} malformed requests with 4xx problems and changes no data`, async () => {
    const before = await snapshotTables(db.pool);
    // The watched tables are found in the catalogue: the modules' own, and the clients'.
    expect([...before.keys()]).toEqual(expect.arrayContaining(['profiles', 'pix_charges', 'oauth_clients']));
    const perTarget = new Map<string, number>();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(malformedRequest(context), fc.nat(), async (malformed, pick) => {
        const request = presenting(malformed.credentials, malformed.request, pick);
        const response = await app.inject(request as InjectOptions);
        sent += 1;
        perTarget.set(malformed.target, (perTarget.get(malformed.target) ?? 0) + 1);
        // Restored before anything throws, so shrinking starts from the same data.
        const changed = !sameData(await snapshotTables(db.pool), before);
        if (changed) await restoreTables(db.pool, before);
        expectProblem(response, malformed);
        if (changed) {
          throw new Error(`${describeRequest(malformed)}: changed the data (${response.statusCode})`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );

    expect(await snapshotTables(db.pool)).toEqual(before);
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    for (const operation of operations) expect(perTarget.get(operation.operationId) ?? 0).toBeGreaterThan(50);
    for (const route of PLAIN_ROUTES) expect(perTarget.get(route.path) ?? 0).toBeGreaterThan(10);
    expect(perTarget.get('unknown route') ?? 0).toBeGreaterThan(50);
  }, 180_000);

  it(`answers junk If-None-Match on a readable resource with 200, 304 or a problem, never a 5xx`, async () => {
    // A conditional read with a header it cannot parse is still a read: the server may ignore the
    // condition (200), find it met (304) or reject it (4xx), and must change nothing.
    const conditionalReads = operations.filter(
      (operation) =>
        operation.method === 'GET' &&
        operation.path.includes('{') &&
        'if-none-match' in propertiesOf(operation.schema.headers ?? {}),
    );
    expect(conditionalReads.length).toBeGreaterThan(0);
    const before = await snapshotTables(db.pool);
    const ifNoneMatch = fc.oneof(
      fc.constantFrom(
        '*',
        '"1"',
        'W/"1"',
        '"2", "1"',
        '"',
        '',
        ',',
        'W/',
        '"1"\r\nX-Injected: 1',
        '"\u0000"',
      ),
      fc.string({ unit: hostileCharacter, maxLength: 40 }),
      fc.integer({ min: 1025, max: 20_000 }).map((length) => `"${'1'.repeat(length)}"`),
    );

    await fc.assert(
      fc.asyncProperty(
        // Each operation on the records seeded for it, so a read of an existing record is tried.
        fc
          .constantFrom(...conditionalReads)
          .chain((operation) =>
            fc.constantFrom(...context.seededPaths(operation)).map((url) => ({ operation, url })),
          ),
        ifNoneMatch,
        fc.constantFrom('GET', 'HEAD'),
        async ({ operation, url }, value, method) => {
          const id = url.split('/').at(-1);
          const request = authorized({ method, url, headers: { 'if-none-match': value } });
          const response = await app.inject(request as InjectOptions);
          const where = `${method} ${request.url} If-None-Match ${JSON.stringify(value).slice(0, 60)}`;
          if (response.statusCode >= 400) {
            expectProblem(response, {
              target: operation.operationId,
              defect: where,
              credentials: 'valid',
              request,
            });
          } else if (response.statusCode === 304 || method === 'HEAD') {
            if (response.statusCode !== 304 && response.statusCode !== 200)
              throw new Error(`${where}: ${response.statusCode}`);
            if (response.body !== '') throw new Error(`${where}: ${response.statusCode} with a body`);
          } else if (response.statusCode === 200) {
            if (response.json<{ data: { id: string } }>().data.id !== id)
              throw new Error(`${where}: another record`);
          } else {
            throw new Error(`${where}: answered ${response.statusCode}`);
          }
          if (!sameData(await snapshotTables(db.pool), before)) {
            await restoreTables(db.pool, before);
            throw new Error(`${where}: changed the data`);
          }
        },
      ),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});

// A database per test: the valid calls write, and one's email or version must not meet another's.
describePglite('The valid calls the fuzzer plants its defects in', { isolation: 'test' }, (db) => {
  it.each(operations.map((operation) => ({ operationId: operation.operationId, operation })))(
    "succeed for $operationId, so each rejection above is the defect's doing",
    async ({ operation }) => {
      const app = await buildTestApp(db.pool);
      try {
        accessToken = await obtainToken(app);
        const seeded = await seedRecords(app, accessToken);
        const path = seeded.pathsFor(operation)[0]!;
        const response = await app.inject(authorized(validCall(operation, path)) as InjectOptions);
        expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
        expect(response.statusCode, response.body).toBeLessThan(300);
      } finally {
        await app.close();
      }
    },
  );
});

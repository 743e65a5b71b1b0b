// Property-based fuzzing of the OAuth token endpoint, which is registered by hand rather than from a
// contract and so is not among the generated operations the main fuzz test covers. No request here
// carries valid credentials, so every answer must be a 4xx: RFC 6749's own error document (5.2), or
// a problem for what is refused before the endpoint (media type, size, method), never a token.
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePglite } from '../database/describe-each-database.ts';
import { basicAuthorization, TEST_CLIENT } from '../support/test-auth.ts';
import { buildTestApp } from '../support/test-app.ts';

const SEED = 20_261_125;
const RUNS = 2_000;

const TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '%00', '../../etc/passwd', '\u202e', 'a'.repeat(5_000)),
);

const grantType = fc.oneof(
  fc.constantFrom('client_credentials', 'password', 'authorization_code', 'CLIENT_CREDENTIALS', ''),
  hostileText,
);

const scope = fc.oneof(
  fc.constantFrom('profile.read', 'profile.read profile.write', 'admin', '  ', 'profile.read\tx', '"'),
  hostileText,
);

/** Credentials that must never be accepted: unknown clients, the test client with a wrong secret, junk. */
const credentials = fc.oneof(
  fc.constant<Record<string, string>>({}),
  fc.record({ client_id: fc.constant(TEST_CLIENT.id), client_secret: hostileText }),
  fc.record({ client_id: hostileText, client_secret: hostileText }),
  fc.record({ client_id: hostileText }),
);

const authorization = fc.oneof(
  fc.constant(undefined),
  fc
    .string({ unit: 'grapheme', maxLength: 40 })
    .map((secret) => basicAuthorization({ id: TEST_CLIENT.id, secret: `${secret}-wrong` })),
  fc.constantFrom('Basic', 'Basic !!!', 'Basic Og==', 'Bearer x', `Basic ${'A'.repeat(10_000)}`),
  hostileText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
);

const formBody = fc
  .record({ grant_type: grantType, scope, extra: fc.option(hostileText, { nil: undefined }) })
  .chain((fields) => credentials.map((creds) => ({ ...fields, ...creds })))
  .map(({ extra, ...fields }) => {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    if (extra !== undefined) form.append(extra, extra);
    return form.toString();
  });

const body = fc.oneof(
  { weight: 6, arbitrary: formBody },
  { weight: 1, arbitrary: formBody.map((form) => `${form}&grant_type=client_credentials`) },
  { weight: 1, arbitrary: fc.constant('x='.repeat(10_000)) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: hostileText },
);

const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  undefined,
);

interface TokenRequest extends InjectOptions {
  headers: Record<string, string>;
  payload: string;
}

const tokenRequest = fc
  .record({
    method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
    body,
    contentType,
    authorization,
  })
  .map(({ method, body: payload, contentType: type, authorization: auth }) => {
    const headers: Record<string, string> = {};
    if (type !== undefined) headers['content-type'] = type;
    if (auth !== undefined) headers.authorization = auth;
    return { method, url: '/oauth/token', headers, payload } satisfies TokenRequest;
  });

function expectRefusal(response: LightMyRequestResponse, request: TokenRequest): void {
  const where = `${String(request.method)} ${JSON.stringify(request.headers)} ${request.payload.slice(0, 200)}`;
  const status = response.statusCode;
  if (status < 400 || status > 499) throw new Error(`${where}: answered ${status}: ${response.body}`);
  const type = String(response.headers['content-type'] ?? '');
  const document = JSON.parse(response.body) as { error?: unknown; status?: unknown; type?: unknown };
  if (type.startsWith('application/problem+json')) {
    if (document.status !== status || typeof document.type !== 'string')
      throw new Error(`${where}: malformed problem ${response.body}`);
    return;
  }
  if (!type.startsWith('application/json') || !TOKEN_ERRORS.has(String(document.error)))
    throw new Error(`${where}: ${status} is neither an RFC 6749 error nor a problem: ${response.body}`);
  if (response.headers['cache-control'] !== 'no-store')
    throw new Error(`${where}: token error without Cache-Control: no-store`);
}

describePglite('Malformed token requests', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db.pool);
  });
  afterAll(() => app.close());

  async function clientRows(): Promise<unknown[]> {
    const { rows } = await db.pool.writer().query('SELECT * FROM oauth_clients ORDER BY id');
    return rows;
  }

  it(`refuses ${RUNS} malformed or unauthenticated token requests with a 4xx, changing nothing`, async () => {
    const before = await clientRows();
    await fc.assert(
      fc.asyncProperty(tokenRequest, async (request) => {
        expectRefusal(await app.inject(request), request);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(await clientRows()).toEqual(before);
  });
});

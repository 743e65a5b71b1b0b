// The Lambda handler invoked as API Gateway invokes it: HTTP API (payload 2.0) and REST API (1.0)
// events, on both databases. On PostgreSQL the handler opens its own pool, as in a deployed function.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/database/describe-each-database.ts';
import { TEST_AUTH_ENV, TEST_CLIENT, basicAuthorization } from '../test/support/test-auth.ts';
import { TEST_PAYMENT_ENV } from '../test/support/test-payment.ts';
import { createLambdaHandler, lambdaConfig, type LambdaHandler } from './lambda.ts';

interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const context = { awsRequestId: 'test', functionName: 'node-backend-template' };

function httpApiEvent(method: string, path: string, headers: Record<string, string>, body?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', ...headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: randomUUID(),
      stage: '$default',
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

function restApiEvent(method: string, path: string, headers: Record<string, string>, body?: string) {
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: { Host: 'api.example.com', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    requestContext: { identity: { sourceIp: '203.0.113.8' }, requestId: randomUUID(), stage: 'prod' },
    isBase64Encoded: false,
    body: body ?? null,
  };
}

it('uses one database connection and no load shedding unless told otherwise', () => {
  const env = {
    POSTGRES_PRIMARY_HOST: 'db',
    HMAC_SECRET: 'x'.repeat(32),
    ...TEST_AUTH_ENV,
    ...TEST_PAYMENT_ENV,
  };
  const config = lambdaConfig(env);
  expect(config.database.kind === 'postgres' && config.database.poolMax).toBe(1);
  expect(config.loadShedding.enabled).toBe(false);
  const wider = lambdaConfig({ ...env, POSTGRES_POOL_MAX: '3', LOAD_SHEDDING_ENABLED: 'true' });
  expect(wider.database.kind === 'postgres' && wider.database.poolMax).toBe(3);
  expect(wider.loadShedding.enabled).toBe(true);
});

it('refuses to start on the embedded database, and tries again on the next invocation', async () => {
  const handler = createLambdaHandler({ env: { HMAC_SECRET: 'x'.repeat(32), ...TEST_AUTH_ENV } });
  const event = httpApiEvent('GET', '/healthz', {});
  await expect(handler(event, context)).rejects.toThrow(/POSTGRES_PRIMARY_HOST: is required on Lambda/);
  await expect(handler(event, context)).rejects.toThrow(/POSTGRES_PRIMARY_HOST/);
  await handler.close();
});

describeEachDatabase('Lambda handler', (db) => {
  const applicationName = `lambda-${randomBytes(4).toString('hex')}`;
  let handler: LambdaHandler;
  let coldStartMs = 0;

  beforeAll(() => {
    const env: Record<string, string> = {
      ...TEST_AUTH_ENV,
      ...TEST_PAYMENT_ENV,
      HMAC_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'silent',
      OTEL_SDK_DISABLED: 'true',
      RATE_LIMIT_ENABLED: 'false',
    };
    if (db.kind === 'postgres') {
      Object.assign(env, {
        POSTGRES_PRIMARY_HOST: db.endpoint.host,
        POSTGRES_PRIMARY_PORT: String(db.endpoint.port),
        POSTGRES_PRIMARY_USER: db.endpoint.user,
        POSTGRES_PRIMARY_PASSWORD: db.endpoint.password ?? '',
        POSTGRES_PRIMARY_DATABASE: db.endpoint.database,
        POSTGRES_APPLICATION_NAME: applicationName,
      });
      handler = createLambdaHandler({ env });
    } else {
      handler = createLambdaHandler({ env, openDatabase: async () => db.pool });
    }
  });
  afterAll(async () => {
    // The PGlite connection is the suite's own, closed by it.
    if (db.kind === 'postgres') await handler.close();
  });

  let token = '';
  let location = '';

  it('answers a token request from an HTTP API (2.0) event, the cold start included', async () => {
    const started = performance.now();
    const result = (await handler(
      httpApiEvent(
        'POST',
        '/oauth/token',
        {
          authorization: basicAuthorization(TEST_CLIENT),
          'content-type': 'application/x-www-form-urlencoded',
        },
        'grant_type=client_credentials',
      ),
      context,
    )) as LambdaResult;
    coldStartMs = performance.now() - started;
    expect(result.statusCode, result.body).toBe(200);
    token = (JSON.parse(result.body) as { access_token: string }).access_token;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    process.stdout.write(`Lambda cold start to first response [${db.kind}]: ${Math.round(coldStartMs)} ms\n`);
  });

  it('creates a profile from an HTTP API (2.0) event', async () => {
    const email = `${randomUUID()}@example.org`;
    const result = (await handler(
      httpApiEvent(
        'POST',
        '/v1/profiles',
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify({ name: 'Ada Lovelace', email, age: 36 }),
      ),
      context,
    )) as LambdaResult;
    expect(result.statusCode, result.body).toBe(201);
    location = result.headers.location ?? '';
    expect(location).toMatch(/^\/v1\/profiles\/[0-9a-f-]{36}$/);
  });

  it('reads it from a REST API (1.0) event, on the same connection', async () => {
    const result = (await handler(
      restApiEvent('GET', location, { Authorization: `Bearer ${token}` }),
      context,
    )) as LambdaResult;
    expect(result.statusCode, result.body).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ data: { name: 'Ada Lovelace' } });
    if (db.kind === 'postgres') {
      const { rows } = await db.pool.withConnection((session) =>
        session.query<{ connections: string }>(
          'SELECT count(*) AS connections FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        ),
      );
      expect(Number(rows[0]!.connections)).toBe(1);
    }
  });

  it('answers a problem from a REST API (1.0) event', async () => {
    const result = (await handler(
      restApiEvent('GET', '/v1/profiles/not-a-uuid', { Authorization: `Bearer ${token}` }),
      context,
    )) as LambdaResult;
    expect(result.statusCode).toBe(400);
    expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(result.body)).toMatchObject({ status: 400, invalidParams: [{ name: 'id' }] });

    const unauthenticated = (await handler(restApiEvent('GET', location, {}), context)) as LambdaResult;
    expect(unauthenticated.statusCode).toBe(401);
  });
});

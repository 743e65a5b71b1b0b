// One request through the real service, started as `npm start` starts it (manual/detect mode: the
// SDK preloaded by src/telemetry/register.ts), on real PostgreSQL, exporting to an in-process OTLP
// receiver: its spans, its log lines and its metrics.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePostgres } from '../database/describe-each-database.ts';
import { TEST_HMAC_SECRET } from '../support/test-app.ts';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';
import { startService, type ServiceProcess } from './service-process.ts';

const SERVER = 2;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function ancestors(span: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current?.parentSpanId) {
    const parentId: string = current.parentSpanId;
    current = spans.find((each) => each.spanId === parentId);
    if (current) chain.push(current);
  }
  return chain;
}

describePostgres('the telemetry of one request', (db) => {
  let receiver: OtlpReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const { host, port, user, password, database } = db.endpoint;
    service = await startService({
      env: {
        POSTGRES_PRIMARY_HOST: host,
        POSTGRES_PRIMARY_PORT: String(port),
        POSTGRES_PRIMARY_USER: user,
        POSTGRES_PRIMARY_PASSWORD: password ?? '',
        POSTGRES_PRIMARY_DATABASE: database,
        HMAC_SECRET: TEST_HMAC_SECRET,
        SERVICE_NAME: 'telemetry-under-test',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
  });

  describe('a created profile', () => {
    const callerTraceId = hex(16);
    const callerSpanId = hex(8);
    let response: Response;
    let body: { meta: { requestId: string; traceId: string } };

    beforeAll(async () => {
      response = await fetch(`${service.url}/v1/profiles`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: await service.authorization(),
          traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
        },
        body: JSON.stringify({ name: 'Ada Lovelace', email: `ada-${hex(4)}@example.com` }),
      });
      body = (await response.json()) as typeof body;
      await receiver.waitFor(
        () => receiver.spans().some((span) => span.kind === SERVER && span.traceId === callerTraceId),
        'server span',
      );
    });

    it('continues the caller’s W3C trace and reports its id in meta.traceId', () => {
      expect(response.status).toBe(201);
      expect(body.meta.traceId).toBe(callerTraceId);
    });

    it('has a server span named by route template, a use-case child and PostgreSQL grandchildren', () => {
      const spans = receiver.spans().filter((span) => span.traceId === callerTraceId);
      const server = spans.find((span) => span.kind === SERVER);
      expect(server).toMatchObject({
        name: 'POST /v1/profiles',
        parentSpanId: callerSpanId,
        serviceName: 'telemetry-under-test',
      });
      expect(server?.attributes).toMatchObject({
        'http.route': '/v1/profiles',
        'http.request.method': 'POST',
        'http.response.status_code': 201,
      });

      const useCase = spans.find((span) => span.name === 'ProfileService.create');
      expect(useCase?.parentSpanId).toBe(server?.spanId);

      // The authentication hook's client status read has a span of its own, beside the use case.
      const authentication = spans.find((span) => span.name === 'ClientStatus.isActive');
      const queries = spans.filter((span) => span.name.startsWith('pg.query'));
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        const parents = ancestors(query, spans).map((span) => span.spanId);
        expect(parents.includes(useCase!.spanId) || parents.includes(authentication?.spanId ?? '-')).toBe(
          true,
        );
        expect(query.attributes['db.system.name'] ?? query.attributes['db.system']).toBe('postgresql');
      }
      expect(
        queries.map((span) => span.attributes['db.query.text'] ?? span.attributes['db.statement']),
      ).toEqual(expect.arrayContaining([expect.stringMatching(/INSERT INTO profiles/i)]));
    });

    it('writes the trace and span ids into every log line of the request', () => {
      const lines = service.logLines().filter((line) => line.reqId === body.meta.requestId);
      expect(lines.map((line) => line.msg)).toContain('request completed');
      for (const line of lines) {
        expect(line.trace_id).toBe(callerTraceId);
        expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      }
    });

    it('sends the log records over OTLP when OTEL_LOGS_EXPORTER=otlp, with the trace id', async () => {
      await receiver.waitFor(
        () =>
          receiver.exports.some(
            (each) => each.path === '/v1/logs' && each.body.toString('utf8').includes(callerTraceId),
          ),
        'log export carrying the trace id',
      );
    });
  });

  it('answers a problem with the trace id of its request', async () => {
    const response = await fetch(`${service.url}/v1/profiles/${randomUUID()}`, {
      headers: { authorization: await service.authorization() },
    });
    const problem = (await response.json()) as { status: number; traceId?: string };
    expect(problem.status).toBe(404);
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    await receiver.waitFor(
      () =>
        receiver
          .spans()
          .some((span) => span.traceId === problem.traceId && span.name === 'GET /v1/profiles/:id'),
      'the 404 request span',
    );
    const useCase = receiver
      .spans()
      .find((span) => span.traceId === problem.traceId && span.name === 'ProfileService.get');
    // Not found is an outcome, not a failure of the service.
    expect(useCase?.attributes['app.domain_error.code']).toBe('profile.not_found');
    expect(useCase?.status?.code ?? 0).not.toBe(2);
  });

  it('counts requests at /metrics by route and status', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{http_request_method="POST",http_response_status_code="201",url_scheme="http",http_route="\/v1\/profiles"\} 1$/m,
    );
    expect(text).toMatch(
      /^db_client_connection_count\{db_client_connection_pool_name="writer",db_client_connection_state="idle"\} \d+$/m,
    );
    expect(text).toMatch(
      /^db_client_connection_wait_time_seconds_count\{db_client_connection_pool_name="writer"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^profiles_created_total 1$/m);
  });

  it('does not trace scrapes of /metrics', () => {
    expect(
      receiver.spans().filter((span) => String(span.attributes['url.path']).startsWith('/metrics')),
    ).toEqual([]);
  });
});

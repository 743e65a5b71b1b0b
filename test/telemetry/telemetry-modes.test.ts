// The three modes and the off switch, each in a process of its own: what starts, what is loaded,
// and which OTLP protocol carries the signals.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from './otlp-receiver.ts';
import { REPO_ROOT, runToExit, startService, type ServiceProcess } from './service-process.ts';

const AGENT = '@opentelemetry/auto-instrumentations-node/register';
// The agent's default resource detectors include cloud ones that query metadata servers off this host.
const AGENT_ENV = { OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process' };
const LOADED_MODULES = join(REPO_ROOT, 'test/fixtures/telemetry/loaded-telemetry-modules.ts');
const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const METRICS_EXPORT = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

function telemetryLine(service: ServiceProcess): Record<string, unknown> | undefined {
  return service.logLines().find((line) => line.msg === 'telemetry');
}

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await OtlpReceiver.start();
});
afterAll(async () => {
  await receiver?.close();
});

describe('OTEL_SDK_DISABLED=true', () => {
  it('loads no OpenTelemetry package at all', async () => {
    const run = await runToExit({ script: LOADED_MODULES, env: { OTEL_SDK_DISABLED: 'true' } });
    expect(run.code, run.output).toBe(0);
    expect(JSON.parse(run.output.trim().split('\n').at(-1) ?? '')).toEqual({ tracing: 'none', packages: [] });
  });

  it('loads the SDK when telemetry is on (the check above can fail)', async () => {
    const run = await runToExit({
      script: LOADED_MODULES,
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
    });
    expect(run.code, run.output).toBe(0);
    const result = JSON.parse(run.output.trim().split('\n').at(-1) ?? '') as {
      tracing: string;
      packages: string[];
    };
    expect(result.tracing).toBe('sdk');
    expect(result.packages).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-node', '@opentelemetry/sdk-metrics']),
    );
  });

  it('serves no /metrics and puts no trace id in problems', async () => {
    const service = await startService({ env: { OTEL_SDK_DISABLED: 'true' } });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
      const headers = { authorization: await service.authorization() };
      const problem = (await (
        await fetch(`${service.url}/v1/profiles/${randomUUID()}`, { headers })
      ).json()) as Record<string, unknown>;
      expect(problem.status).toBe(404);
      expect(problem).not.toHaveProperty('traceId');
      expect(service.logLines().some((line) => 'trace_id' in line)).toBe(false);
    } finally {
      await service.stop();
    }
  });
});

describe('exporter protocols (standard OTEL_* variables)', () => {
  it('exports traces and metrics over OTLP/gRPC', async () => {
    const service = await startService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_METRIC_EXPORT_INTERVAL: '500',
      },
    });
    try {
      await fetch(`${service.url}/v1/profiles/${randomUUID()}`, {
        headers: { authorization: await service.authorization() },
      });
      await receiver.waitFor(
        () =>
          receiver.exports.some(
            (each) =>
              each.path === TRACE_EXPORT &&
              each.contentType === 'application/grpc' &&
              each.body.includes('GET /v1/profiles/:id'),
          ),
        'gRPC trace export with the request span',
      );
      await receiver.waitFor(
        () =>
          receiver.exports.some(
            (each) => each.path === METRICS_EXPORT && each.body.includes('http.server.request.duration'),
          ),
        'gRPC metrics export',
      );
    } finally {
      await service.stop();
    }
  });

  it('exports traces over OTLP/HTTP with protobuf', async () => {
    const service = await startService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_METRICS_EXPORTER: 'none',
        SERVICE_NAME: 'protobuf-check',
      },
    });
    try {
      await fetch(`${service.url}/v1/profiles/${randomUUID()}`, {
        headers: { authorization: await service.authorization() },
      });
      await receiver.waitFor(
        () =>
          receiver.exports.some(
            (each) =>
              each.path === '/v1/traces' &&
              each.contentType === 'application/x-protobuf' &&
              each.body.includes('protobuf-check') &&
              each.body.includes('ProfileService.get'),
          ),
        'protobuf trace export',
      );
    } finally {
      await service.stop();
    }
  });
});

describe('modes', () => {
  it('detect: uses an attached agent and starts no SDK of its own', async () => {
    const service = await startService({
      imports: [AGENT],
      env: {
        ...AGENT_ENV,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg',
        SERVICE_NAME: 'detect-with-agent',
      },
    });
    try {
      expect(telemetryLine(service)).toMatchObject({ telemetry: { mode: 'detect', tracing: 'agent' } });
      const response = await fetch(`${service.url}/v1/profiles/${randomUUID()}`, {
        headers: { authorization: await service.authorization() },
      });
      const { traceId } = (await response.json()) as { traceId: string };
      await receiver.waitFor(
        () =>
          receiver.spans().some((span) => span.traceId === traceId && span.name === 'GET /v1/profiles/:id'),
        "the agent's server span, named by the service's route",
      );
      // The use-case span goes to the agent's SDK too: one trace, one exporter.
      expect(
        receiver.spans().some((span) => span.traceId === traceId && span.name === 'ProfileService.get'),
      ).toBe(true);
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('auto: without the agent it warns and traces nothing', async () => {
    const service = await startService({ env: { TELEMETRY_MODE: 'auto', OTEL_METRICS_EXPORTER: 'none' } });
    try {
      expect(telemetryLine(service)).toMatchObject({ telemetry: { mode: 'auto', tracing: 'none' } });
      expect(
        service.logLines().some((line) => String(line.msg).includes('no OpenTelemetry agent is attached')),
      ).toBe(true);
      const headers = { authorization: await service.authorization() };
      const problem = (await (
        await fetch(`${service.url}/v1/profiles/${randomUUID()}`, { headers })
      ).json()) as Record<string, unknown>;
      expect(problem).not.toHaveProperty('traceId');
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('manual: refuses to start beside an attached agent', async () => {
    const run = await runToExit({
      imports: [AGENT],
      env: {
        ...AGENT_ENV,
        TELEMETRY_MODE: 'manual',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      },
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('TELEMETRY_MODE=manual, but an OpenTelemetry agent is already attached');
  });

  it('manual without the preload: starts the SDK late and says so', async () => {
    const service = await startService({
      withoutPreload: true,
      env: { TELEMETRY_MODE: 'manual', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
    });
    try {
      expect(telemetryLine(service)).toMatchObject({ telemetry: { mode: 'manual', tracing: 'sdk' } });
      expect(service.logLines().some((line) => String(line.msg).includes('was not preloaded'))).toBe(true);
    } finally {
      await service.stop();
    }
  });
});

describe('Redis and outgoing HTTP', () => {
  let echo: Server;
  const received: { traceparent: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    echo = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ traceparent: request.headers.traceparent as string | undefined, body });
        response.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await once(echo, 'listening');
  });
  afterAll(async () => {
    await new Promise((resolve) => echo.close(resolve));
  });

  it('traces ioredis commands as children of the active span and sends W3C trace context out', async () => {
    const run = await runToExit({
      script: join(REPO_ROOT, 'test/fixtures/telemetry/redis-and-fetch.ts'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      args: ['redis://127.0.0.1:6379', `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`],
    });
    expect(run.code, run.output).toBe(0);
    const [call] = received;
    const traceId = call?.body ?? '';
    expect(call?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const spans = receiver.spans().filter((span) => span.traceId === traceId);
    const parent = spans.find((span) => span.name === 'rate-limit-check');
    const redis = spans.filter(
      (span) => span.attributes['db.system'] === 'redis' || span.attributes['db.system.name'] === 'redis',
    );
    expect(redis.map((span) => span.name).sort()).toEqual(['get', 'set']);
    for (const span of redis) expect(span.parentSpanId).toBe(parent?.spanId);
  });
});

// What a collector's absence costs: nothing with no endpoint configured (spans are still recorded, so
// trace ids reach responses, but nothing is sent), one throttled warning while a configured one cannot
// be reached, and a final flush that never holds shutdown up for longer than its bound.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_FLUSH_BOUND_MS } from '../../src/telemetry/active-telemetry.ts';
import { FAILURE_MESSAGE } from '../../src/telemetry/throttled-failure-log.ts';
import { freePort, startService, type ServiceProcess } from './service-process.ts';

async function traceIdOfAProblem(service: ServiceProcess): Promise<unknown> {
  const response = await fetch(`${service.url}/v1/profiles/${randomUUID()}`, {
    headers: { authorization: await service.authorization() },
  });
  expect(response.status).toBe(404);
  return ((await response.json()) as { traceId?: unknown }).traceId;
}

// A busy test machine must not shed the requests these tests make.
const NO_SHEDDING = { LOAD_SHEDDING_ENABLED: 'false' };

async function timedStop(service: ServiceProcess): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  const code = await service.stop();
  return { code, ms: performance.now() - started };
}

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('no OTLP endpoint configured (the default)', () => {
  it('exports nothing, still puts trace ids in responses, and stops within 2 s, saying so', async () => {
    const service = await startService({ env: NO_SHEDDING });
    let stopped: { code: number | null; ms: number } | undefined;
    try {
      expect(service.logLines().find((line) => line.msg === 'telemetry')).toMatchObject({
        telemetry: { tracing: 'sdk', spansExported: false, metrics: { endpoint: true, otlp: false } },
      });
      expect(await traceIdOfAProblem(service)).toMatch(/^[0-9a-f]{32}$/);
      // Give the batch processor (100 ms in these tests) a chance to try an export, were there one.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      stopped = await timedStop(service);
    }
    expect(stopped.code, service.output()).toBe(0);
    expect(stopped.ms, service.output()).toBeLessThan(2_000);
    const messages = service.logLines().map((line) => line.msg);
    expect(messages).toContain('stopped');
    expect(messages).not.toContain(FAILURE_MESSAGE);
  }, 90_000);
});

describe('an OTLP endpoint that cannot be reached', () => {
  let silent: Server;
  let silentPort = 0;
  const held = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: the exporter waits for its whole timeout.
    silent = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    }).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('logs the failed exports once, not once per batch', async () => {
    const closedPort = await freePort();
    const service = await startService({
      env: {
        ...NO_SHEDDING,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        OTEL_METRIC_EXPORT_INTERVAL: '200',
      },
    });
    try {
      await traceIdOfAProblem(service);
      const failures = () => service.logLines().filter((line) => line.msg === FAILURE_MESSAGE);
      await eventually(() => failures().length > 0, 'a warning about the failed export');
      // Several metric pushes and span batches fail in the next second; the warning is not repeated.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(failures()).toHaveLength(1);
      expect(failures()[0]).toMatchObject({ level: 40, err: expect.any(Object) });
    } finally {
      await service.stop();
    }
  }, 90_000);

  it('bounds the final flush when the collector does not answer', async () => {
    const service = await startService({
      env: { ...NO_SHEDDING, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${silentPort}` },
    });
    let stopped: { code: number | null; ms: number } | undefined;
    try {
      expect(service.logLines().find((line) => line.msg === 'telemetry')).toMatchObject({
        telemetry: { spansExported: true, metrics: { otlp: true } },
      });
      await traceIdOfAProblem(service);
    } finally {
      stopped = await timedStop(service);
    }
    expect(stopped.code, service.output()).toBe(0);
    expect(stopped.ms, service.output()).toBeLessThan(FINAL_FLUSH_BOUND_MS + 2_000);
    expect(service.logLines().map((line) => line.msg)).toContain('stopped');
  }, 90_000);
});

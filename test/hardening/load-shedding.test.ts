// Load shedding on the real server: thresholds forced low (a tiny heap bound, a blocked event loop)
// so the process counts as overloaded.
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingProtectionMetrics } from '../rate-limit/limited-server.ts';
import { buildHardenedServer } from './hardened-server.ts';

const apps: FastifyInstance[] = [];
async function serverWith(env: Record<string, string>, metrics: RecordingProtectionMetrics) {
  const app = await buildHardenedServer(env, { protectionMetrics: metrics });
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: nothing else runs, as under a CPU-bound handler.
  }
}

describe('load shedding', () => {
  it('answers 503 with Retry-After past the heap threshold, counted by reason; liveness still answers', async () => {
    const metrics = new RecordingProtectionMetrics();
    const app = await serverWith(
      {
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY: '0',
        LOAD_SHEDDING_MAX_HEAP_USED_BYTES: '1',
        LOAD_SHEDDING_SAMPLE_INTERVAL: '10ms',
        LOAD_SHEDDING_RETRY_AFTER: '7s',
      },
      metrics,
    );
    await sleep(50);
    const shed = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.json()).toMatchObject({ type: '/problems/overloaded', status: 503, instance: '/v1/notes/a' });
    expect(metrics.shed).toEqual(['heapUsedBytes']);

    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Readiness reports the pressure, so the load balancer sends traffic elsewhere meanwhile.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });

  it('sheds after the event loop was blocked', async () => {
    const metrics = new RecordingProtectionMetrics();
    const app = await serverWith(
      { LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY: '20ms', LOAD_SHEDDING_SAMPLE_INTERVAL: '200ms' },
      metrics,
    );
    blockEventLoop(1000);
    // Lets the overdue sample run; the next one is 200 ms away.
    await sleep(20);
    const shed = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(shed.statusCode).toBe(503);
    expect(metrics.shed).toContain('eventLoopDelay');
  });

  it('does not take the work of building the server for overload', async () => {
    const metrics = new RecordingProtectionMetrics();
    const app = await buildHardenedServer(
      { LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY: '20ms', LOAD_SHEDDING_SAMPLE_INTERVAL: '200ms' },
      {
        protectionMetrics: metrics,
        // Start-up work that blocks the event loop after the load shedder started sampling it.
        plugins: [{ routes: [], register: async () => blockEventLoop(1000) }],
      },
    );
    apps.push(app);
    // Lets the overdue sample, which saw the blocked start-up, run.
    await sleep(20);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
    expect(metrics.shed).toEqual([]);

    // Once a sample has been taken wholly after start-up, a blocked event loop counts again.
    await sleep(400);
    blockEventLoop(1000);
    await sleep(20);
    expect((await app.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(503);
  });

  it('checks nothing with a threshold of 0 or when disabled', async () => {
    const metrics = new RecordingProtectionMetrics();
    const zero = await serverWith(
      {
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY: '0',
        LOAD_SHEDDING_MAX_HEAP_USED_BYTES: '0',
        LOAD_SHEDDING_SAMPLE_INTERVAL: '10ms',
      },
      metrics,
    );
    const disabled = await serverWith(
      {
        LOAD_SHEDDING_ENABLED: 'false',
        LOAD_SHEDDING_MAX_HEAP_USED_BYTES: '1',
        LOAD_SHEDDING_SAMPLE_INTERVAL: '10ms',
      },
      metrics,
    );
    blockEventLoop(200);
    await sleep(50);
    expect((await zero.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
    expect((await disabled.inject({ method: 'GET', url: '/v1/notes/a' })).statusCode).toBe(200);
    expect(metrics.shed).toEqual([]);
  });
});

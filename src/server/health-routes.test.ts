import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHealth } from '../db/connection-pool.ts';
import { buildServer } from './build-server.ts';

const writerUp = { name: 'writer', role: 'writer', ok: true, latencyMs: 2 } as const;
const writerDown = { name: 'writer', role: 'writer', ok: false, error: 'connect ECONNREFUSED' } as const;
const readerUp = { name: 'reader-1', role: 'reader', ok: true, latencyMs: 3 } as const;
const readerDown = { name: 'reader-2', role: 'reader', ok: false, error: 'connect ECONNREFUSED' } as const;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function readyz(
  health: DatabaseHealth,
  readersOptional?: boolean,
  readersDown: number[] = [],
  pendingMigrations?: () => Promise<readonly string[]>,
) {
  app = await buildServer({
    logger: pino({ level: 'silent' }),
    ids: { next: () => 'id' },
    http: { requestTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 5000, bodyLimitBytes: 1024 },
    apis: [],
    readiness: {
      database: async () => health,
      ...(readersOptional === undefined ? {} : { readersOptional }),
      readersChecked: (unavailable) => readersDown.push(unavailable),
      ...(pendingMigrations ? { pendingMigrations } : {}),
    },
  });
  return app.inject({ url: '/readyz' });
}

describe('/readyz with read replicas', () => {
  const readerOutage: DatabaseHealth = { ok: false, endpoints: [writerUp, readerUp, readerDown] };

  it('fails on a reader outage by default, naming the reader', async () => {
    const response = await readyz(readerOutage);
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 503, detail: 'Unreachable: reader-2.' });
  });

  it('stays ready but degraded on a reader outage when readers are optional', async () => {
    const response = await readyz(readerOutage, true);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'degraded',
      checks: [writerUp, readerUp, { name: 'reader-2', role: 'reader', ok: false }],
    });
  });

  it('fails when the writer is down even when readers are optional', async () => {
    const response = await readyz({ ok: false, endpoints: [writerDown, readerUp] }, true);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ detail: 'Unreachable: writer.' });
  });

  it('reports the readers found down at every check, for the replicas-unavailable metric', async () => {
    const reported: number[] = [];
    await readyz(readerOutage, true, reported);
    await app!.inject({ url: '/readyz' });
    await app!.close();
    await readyz({ ok: true, endpoints: [writerUp, readerUp] }, true, reported);
    await readyz({ ok: false, endpoints: [writerDown, readerDown] }, false, reported);
    expect(reported).toEqual([1, 1, 0, 1]);
  });

  it('answers ready, not degraded, when every endpoint is up', async () => {
    const response = await readyz({ ok: true, endpoints: [writerUp, readerUp] }, true);
    expect(response.json()).toEqual({ status: 'ready', checks: [writerUp, readerUp] });
  });
});

describe('/readyz with migrations to check', () => {
  const up: DatabaseHealth = { ok: true, endpoints: [writerUp] };

  it('is not ready while migrations are pending, naming them', async () => {
    const response = await readyz(up, undefined, [], async () => [
      '20260101000000_a.sql',
      '20260102000000_b.sql',
    ]);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      status: 503,
      title: 'Not ready',
      detail: 'Migrations pending: 20260101000000_a.sql, 20260102000000_b.sql.',
    });
  });

  it('is ready once none is pending', async () => {
    const response = await readyz(up, undefined, [], async () => []);
    expect(response.json()).toEqual({ status: 'ready', checks: [writerUp] });
  });

  it('reports a writer that is down as such, without asking it for migrations', async () => {
    let asked = false;
    const response = await readyz({ ok: false, endpoints: [writerDown] }, undefined, [], async () => {
      asked = true;
      return [];
    });
    expect(response.json()).toMatchObject({ detail: 'Unreachable: writer.' });
    expect(asked).toBe(false);
  });

  it('is not ready when the check itself fails', async () => {
    const response = await readyz(up, undefined, [], () => Promise.reject(new Error('connection lost')));
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ detail: 'Migrations pending: (could not be checked).' });
  });
});

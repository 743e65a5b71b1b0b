// The service against a real primary and streaming replica while one of them is down, and while the
// primary's pool is exhausted: no 5xx beyond 503 problems, no hang past the configured timeouts,
// and recovery without restarting the service.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgClusterRequired } from '../pg-cluster.ts';
import type { ClusterService } from '../support/cluster-service.ts';
import { clusterSuite } from './cluster-suite.ts';
import { newProfileBody } from '../support/profile-payload.ts';
import { connectionsOn, readProfiles } from '../support/server-connections.ts';
import { obtainToken } from '../support/test-auth.ts';

const enabled = pgClusterRequired();

/** Generous on purpose: these catch a hang, they do not measure (bench/replica-failover.ts does). */
const MARGIN_MS = 10_000;

async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(50);
  }
}

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; detail?: string };
  expect(body.status).toBe(status);
  return body;
}

describe.skipIf(!enabled)('read replicas: failures survived', () => {
  const { cluster: started, service } = clusterSuite();

  async function createProfile(svc: ClusterService): Promise<string> {
    const { data, error, response } = await svc.profiles.POST('/v1/profiles', { body: newProfileBody() });
    expect(response.status, JSON.stringify(error)).toBe(201);
    return data!.data.id;
  }

  const logged = (svc: ClusterService, message: string) =>
    svc.logs.filter((line) => line.msg.includes(message)).length;

  it('moves reads to the primary while the replica is down, reports it, and moves them back when it returns', async () => {
    const svc = await service('rr-replica-down', {
      POSTGRES_READER_RECHECK_INTERVAL: '200ms',
      READINESS_REQUIRES_REPLICAS: 'true',
    });
    // The default: a lost replica leaves the service ready, degraded.
    const lenient = await service('rr-replica-down-lenient');
    const id = await createProfile(svc);
    await started().waitForReplication();
    expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
    expect((await connectionsOn(started(), 'replica', 'rr-replica-down')).some(readProfiles)).toBe(true);

    await started().stop('replica');
    const statuses: number[] = [];
    for (let read = 0; read < 10; read += 1) {
      statuses.push((await svc.request(`/v1/profiles/${id}`)).status);
      statuses.push((await svc.request('/v1/profiles?pageSize=5')).status);
    }
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect((await connectionsOn(started(), 'primary', 'rr-replica-down')).some(readProfiles)).toBe(true);
    expect(logged(svc, 'database reader marked down')).toBe(1);

    const readiness = await svc.request('/readyz');
    expect((await expectProblem(readiness, 503)).detail).toBe('Unreachable: reader-1.');
    const degraded = await lenient.request('/readyz');
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({
      status: 'degraded',
      checks: [
        { name: 'writer', role: 'writer', ok: true, latencyMs: expect.any(Number) },
        { name: 'reader-1', role: 'reader', ok: false },
      ],
    });
    // Writes never needed the replica.
    const written = await createProfile(svc);

    await started().start('replica');
    // The replica restarted, so any connection the service holds there is a new one: reads are back.
    await eventually('reads go back to the replica', 10_000, async () => {
      expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
      return (await connectionsOn(started(), 'replica', 'rr-replica-down')).some(readProfiles);
    });
    expect(logged(svc, 'database reader answers again')).toBe(1);
    expect(await (await svc.request('/readyz')).json()).toMatchObject({ status: 'ready' });
    await started().waitForReplication();
    expect((await svc.request(`/v1/profiles/${written}`)).status).toBe(200);
  });

  it('answers writes 503 while the primary is down, keeps reading from the replica and issuing tokens, and writes again when it returns', async () => {
    const svc = await service('rr-primary-down', { POSTGRES_CONNECT_TIMEOUT: '1s' });
    const id = await createProfile(svc);
    await started().waitForReplication();

    await started().stop('primary');
    const began = performance.now();
    const created = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
    const tookMs = performance.now() - began;
    expect((await expectProblem(created, 503)).detail).toBe('The database is unavailable; retry shortly.');
    expect(created.headers.get('retry-after')).toBe('1');
    expect(tookMs).toBeLessThan(1_000 + MARGIN_MS);
    const patched = await svc.request(`/v1/profiles/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      json: { age: 50 },
    });
    await expectProblem(patched, 503);
    await expectProblem(
      await svc.request(`/v1/profiles/${id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } }),
      503,
    );

    // Reads: the replica's copy, its "not found", and its lists.
    const read = await svc.request(`/v1/profiles/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect((await svc.request(`/v1/profiles/${id}`, { headers: { 'if-none-match': '"1"' } })).status).toBe(
      304,
    );
    expect((await svc.request('/v1/profiles?pageSize=5')).status).toBe(200);
    expect((await svc.request(`/v1/profiles/${randomUUID()}`)).status).toBe(404);
    // Only the primary could answer a client that has seen a newer version than the replica holds.
    await expectProblem(
      await svc.request(`/v1/profiles/${id}`, { headers: { 'if-none-match': '"2"' } }),
      503,
    );

    // Clients are read from the replica too: a token is still issued, and it works.
    const token = await obtainToken(svc.app);
    const withNewToken = await svc.request(`/v1/profiles/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withNewToken.status).toBe(200);

    expect((await expectProblem(await svc.request('/readyz'), 503)).detail).toBe('Unreachable: writer.');

    await started().start('primary');
    const whileRecovering: number[] = [];
    await eventually('writes succeed again', 20_000, async () => {
      const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
      whileRecovering.push(response.status);
      return response.status === 201;
    });
    expect(whileRecovering.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(await (await svc.request('/readyz')).json()).toMatchObject({ status: 'ready' });
  });

  it('answers writes 503 within the transaction budget while the primary hangs, and keeps reading from the replica', async () => {
    const svc = await service('rr-primary-hung', { DB_TX_TIMEOUT: '1s', POSTGRES_CONNECT_TIMEOUT: '1s' });
    const id = await createProfile(svc);
    await started().waitForReplication();
    expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);

    await started().freeze('primary');
    // The pooled connection hears nothing back: given up 1 s (grace) after the 1 s budget.
    const began = performance.now();
    const created = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
    const tookMs = performance.now() - began;
    await expectProblem(created, 503);
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(2_000 + MARGIN_MS);
    // A new connection gets no answer either: the connect timeout bounds it.
    await expectProblem(await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() }), 503);
    expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
    expect((await expectProblem(await svc.request('/readyz'), 503)).detail).toBe('Unreachable: writer.');

    await started().thaw('primary');
    await eventually('writes succeed again', 20_000, async () => {
      const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
      expect([201, 503]).toContain(response.status);
      return response.status === 201;
    });
  });

  it('moves reads to the primary a grace after the statement timeout when the replica hangs, and back when it answers', async () => {
    const svc = await service('rr-replica-hung', {
      POSTGRES_STATEMENT_TIMEOUT: '1s',
      POSTGRES_CONNECT_TIMEOUT: '1s',
      POSTGRES_READER_RECHECK_INTERVAL: '200ms',
    });
    const id = await createProfile(svc);
    await started().waitForReplication();
    expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
    const hungPids = new Set(
      (await connectionsOn(started(), 'replica', 'rr-replica-hung')).map((c) => c.pid),
    );
    expect(hungPids.size).toBeGreaterThan(0);

    await started().freeze('replica');
    const began = performance.now();
    const read = await svc.request(`/v1/profiles/${id}`);
    const tookMs = performance.now() - began;
    expect(read.status).toBe(200);
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(2_000 + MARGIN_MS);
    expect(logged(svc, 'database reader marked down')).toBe(1);
    // Marked down: the next reads go straight to the primary.
    for (let again = 0; again < 5; again += 1) {
      expect((await svc.request('/v1/profiles?pageSize=5')).status).toBe(200);
    }

    await started().thaw('replica');
    await eventually('the replica answers again', 10_000, async () => logged(svc, 'answers again') === 1);
    await eventually('reads go back to the replica', 10_000, async () => {
      expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);
      const connections = await connectionsOn(started(), 'replica', 'rr-replica-hung');
      return connections.some((connection) => !hungPids.has(connection.pid) && readProfiles(connection));
    });
  });

  it('makes requests wait at most the connect timeout for an exhausted pool, then answers 503, and leaks nothing', async () => {
    const svc = await service('rr-pool', {
      POSTGRES_POOL_MAX: '2',
      POSTGRES_CONNECT_TIMEOUT: '500ms',
      DB_TX_TIMEOUT: '20s',
    });
    const id = await createProfile(svc);
    await started().waitForReplication();

    // Holding SHARE on the table blocks every insert: each POST then holds one writer connection.
    const blocker = new pg.Client(started().primary);
    blocker.on('error', () => {});
    await blocker.connect();
    try {
      await blocker.query('BEGIN; LOCK TABLE profiles IN SHARE MODE');
      const held = [1, 2].map(() => svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() }));
      await eventually('both writer connections wait on the lock', 10_000, async () => {
        const connections = await connectionsOn(started(), 'primary', 'rr-pool');
        return connections.filter((connection) => connection.waitEventType === 'Lock').length === 2;
      });
      expect(svc.db.stats()[0]).toMatchObject({ endpoint: 'writer', total: 2, idle: 0 });

      const began = performance.now();
      const refused = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
      const waitedMs = performance.now() - began;
      expect((await expectProblem(refused, 503)).detail).toBe('The database is unavailable; retry shortly.');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(waitedMs).toBeGreaterThanOrEqual(450);
      expect(waitedMs).toBeLessThan(500 + MARGIN_MS);
      // Reads have pools of their own.
      expect((await svc.request(`/v1/profiles/${id}`)).status).toBe(200);

      await blocker.query('COMMIT');
      expect((await Promise.all(held)).map((response) => response.status)).toEqual([201, 201]);
    } finally {
      await blocker.end().catch(() => {});
    }

    await eventually('every pool is idle again', 5_000, async () =>
      svc.db.stats().every((endpoint) => endpoint.waiting === 0 && endpoint.idle === endpoint.total),
    );
    expect(svc.db.stats()[0]).toEqual({ endpoint: 'writer', total: 2, idle: 2, waiting: 0 });
    const busy = [
      ...(await connectionsOn(started(), 'primary', 'rr-pool')),
      ...(await connectionsOn(started(), 'replica', 'rr-pool')),
    ].filter((connection) => connection.state !== 'idle');
    expect(busy).toEqual([]);
  });
});

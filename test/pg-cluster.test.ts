import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLive, processesIn } from './support/process-table.ts';
import { SqlState } from '../src/db/errors.ts';
import { pgClusterAvailable, pgClusterRequired, startPgCluster } from './pg-cluster.ts';
import type { PgCluster, PgEndpoint } from './pg-cluster.ts';

const SCRIPT = fileURLToPath(new URL('../scripts/pg-cluster.sh', import.meta.url));
const available = pgClusterAvailable();

async function query<T = Record<string, unknown>>(
  endpoint: PgEndpoint,
  text: string,
  values: unknown[] = [],
) {
  const client = new Client({ ...endpoint, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query<T & Record<string, unknown>>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('pgClusterAvailable and startPgCluster without binaries', () => {
  const empty = mkdtempSync(join(tmpdir(), 'pg-cluster-nobin-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('reports the cluster unavailable when the binaries directory lacks PostgreSQL', () => {
    expect(pgClusterAvailable({ bindir: empty })).toBe(false);
  });

  it("rejects with the script's reason", async () => {
    await expect(startPgCluster({ bindir: empty })).rejects.toThrow(/exit 3.*binaries not found/s);
  });

  it('skips the suites that need a cluster outside CI', () => {
    expect(pgClusterRequired({ bindir: empty, ci: false })).toBe(false);
  });

  it('fails, rather than skips, in CI', () => {
    expect(() => pgClusterRequired({ bindir: empty, ci: true })).toThrow(/CI=true.*no usable PostgreSQL/);
  });
});

describe.skipIf(!available)('a primary with a streaming replica', () => {
  let cluster: PgCluster | undefined;
  let dir = '';

  function started(): PgCluster {
    if (cluster === undefined) throw new Error('the cluster did not start');
    return cluster;
  }

  beforeAll(async () => {
    const began = performance.now();
    cluster = await startPgCluster();
    console.info(`pg-cluster start: ${Math.round(performance.now() - began)} ms`);
    dir = realpathSync(cluster.dir);
    await query(cluster.primary, 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)');
  });

  afterAll(async () => {
    await cluster?.teardown();
  });

  it('prints the connection facts a configuration reads', () => {
    const { env, primary, replica } = started();
    expect(env.POSTGRES_PRIMARY_HOST).toBe('127.0.0.1');
    expect(env.POSTGRES_PRIMARY_PORT).toBe(String(primary.port));
    expect(env.POSTGRES_REPLICA_1_PORT).toBe(String(replica.port));
    expect(env.PG_CLUSTER_DIR).toBe(started().dir);
    expect(primary.port).not.toBe(replica.port);
  });

  it('replicates a row written on the primary', async () => {
    const { primary, replica } = started();
    await query(primary, "INSERT INTO notes VALUES (1, 'first')");
    await started().waitForReplication();
    expect(await query(replica, 'SELECT body FROM notes WHERE id = 1')).toEqual([{ body: 'first' }]);
  });

  it('is in recovery on the replica only', async () => {
    const { primary, replica } = started();
    expect(await query(primary, 'SELECT pg_is_in_recovery() AS recovery')).toEqual([{ recovery: false }]);
    expect(await query(replica, 'SELECT pg_is_in_recovery() AS recovery')).toEqual([{ recovery: true }]);
  });

  it('refuses writes on the replica with SQLSTATE 25006', async () => {
    await expect(query(started().replica, "INSERT INTO notes VALUES (99, 'nope')")).rejects.toMatchObject({
      code: SqlState.readOnlySqlTransaction,
    });
  });

  it('keeps the primary working while the replica is down, and the replica catches up', async () => {
    const c = started();
    await c.stop('replica');
    await expect(query(c.replica, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await c.status()).replica).toEqual({ running: false, frozen: false, pid: undefined });

    await query(c.primary, "INSERT INTO notes VALUES (2, 'while the replica was down')");
    expect(await query(c.primary, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 2 }]);
    await expect(c.waitForReplication(300)).rejects.toThrow(/had not replayed up to .*ECONNREFUSED/s);

    await c.start('replica');
    const status = await c.status();
    expect(status.replica.running).toBe(true);
    expect(status.replication).toBe('streaming');
    await c.waitForReplication();
    expect(await query(c.replica, 'SELECT body FROM notes WHERE id = 2')).toEqual([
      { body: 'while the replica was down' },
    ]);
  });

  it('keeps serving reads from the replica while the primary is down, and resumes replication', async () => {
    const c = started();
    await c.stop('primary');
    await expect(query(c.primary, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await query(c.replica, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 2 }]);
    expect(await query(c.replica, 'SELECT pg_is_in_recovery() AS recovery')).toEqual([{ recovery: true }]);
    await expect(c.waitForStreaming(300)).rejects.toThrow(/not streaming.*ECONNREFUSED/s);
    const status = await c.status();
    expect(status.primary.running).toBe(false);
    expect(status.replication).toBe('unknown');

    await c.start('primary');
    await c.waitForStreaming();
    await query(c.primary, "INSERT INTO notes VALUES (3, 'after the primary came back')");
    await c.waitForReplication();
    expect(await query(c.replica, 'SELECT body FROM notes WHERE id = 3')).toEqual([
      { body: 'after the primary came back' },
    ]);
  });

  it('fails to start the replica within the bound while the primary is down, leaving it serving reads', async () => {
    const c = started();
    await c.stop('primary');
    await c.stop('replica');
    const failure = await promisify(execFile)('bash', [SCRIPT, 'start-node', c.dir, 'replica'], {
      env: { ...process.env, PG_CLUSTER_TIMEOUT: '3' },
    }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/cannot stream: the primary is stopped/);
    expect(await query(c.replica, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 3 }]);

    await c.start('primary');
    await c.waitForStreaming();
  });

  it('runs the suites that need a cluster where the binaries are, in CI or not', () => {
    expect(pgClusterRequired({ ci: true })).toBe(true);
    expect(pgClusterRequired({ ci: false })).toBe(true);
  });

  it('queries either node', async () => {
    const c = started();
    expect(await c.query('replica', 'SELECT pg_is_in_recovery() AS recovery')).toEqual([{ recovery: true }]);
    expect(await c.query('primary', 'SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
  });

  it('holds the replica behind while replay is paused, still answering reads, and catches up on resume', async () => {
    const c = started();
    await c.pauseReplay();
    try {
      await c.query('primary', "INSERT INTO notes VALUES (4, 'while replay was paused')");
      await expect(c.waitForReplication(300)).rejects.toThrow(/had not replayed/);
      expect(await c.query('replica', 'SELECT count(*)::int AS n FROM notes WHERE id = 4')).toEqual([
        { n: 0 },
      ]);
    } finally {
      await c.resumeReplay();
    }
    await c.waitForReplication();
    expect(await c.query('replica', 'SELECT body FROM notes WHERE id = 4')).toEqual([
      { body: 'while replay was paused' },
    ]);
  });

  it('freezes a server: nothing answers, not even a new connection, until it is thawed', async () => {
    const c = started();
    await c.freeze('primary');
    try {
      const status = await c.status();
      expect(status.primary).toMatchObject({ running: true, frozen: true });
      expect(status.replica).toMatchObject({ running: true, frozen: false });
      const client = new Client({ ...c.primary, connectionTimeoutMillis: 500 });
      client.on('error', () => {});
      await expect(client.connect()).rejects.toThrow(/timeout/i);
      // The replica still answers reads.
      expect(await c.query('replica', 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 4 }]);
    } finally {
      await c.thaw('primary');
    }
    expect((await c.status()).primary).toMatchObject({ running: true, frozen: false });
    expect(await c.query('primary', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('restores both servers, streaming, whatever was stopped or frozen', async () => {
    const c = started();
    await c.freeze('replica');
    await c.restore();
    expect((await c.status()).replica).toMatchObject({ running: true, frozen: false });
    await c.freeze('replica');
    await c.stop('replica');
    expect((await c.status()).replica).toMatchObject({ running: false, frozen: false });
    await c.restore();
  });

  it('restores both servers, streaming, whatever was stopped', async () => {
    const c = started();
    await c.pauseReplay();
    await c.stop('replica');
    await c.stop('primary');
    await c.restore();
    const status = await c.status();
    expect([status.primary.running, status.replica.running, status.replication]).toEqual([
      true,
      true,
      'streaming',
    ]);
    expect(await c.query('replica', 'SELECT pg_get_wal_replay_pause_state() AS state')).toEqual([
      { state: 'not paused' },
    ]);
    await c.restore();
  });

  it('tears down without leaving a process or the directory behind, and may be called twice', async () => {
    const c = started();
    const { primary, replica } = await c.status();
    const running = processesIn(dir);
    expect(running).toEqual(expect.arrayContaining([primary.pid, replica.pid]));

    await c.teardown();
    expect(existsSync(dir)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
    expect(running.filter(isLive)).toEqual([]);

    await expect(c.teardown()).resolves.toBeUndefined();
  });
});

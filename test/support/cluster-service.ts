// The service as production builds it (config -> database-from-config -> createApp), listening on a
// loopback port in front of a pg-cluster primary and replica. Suites and the failover benchmark
// drive it over real HTTP and watch the servers from the side.
import { fileURLToPath } from 'node:url';
import { createProfileClient, type ProfileClient } from '@node-backend-template/profile-client';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { postgresPoolFromConfig } from '../../src/database-from-config.ts';
import { applyMigrations, loadMigrations } from '../../src/db/migrations.ts';
import type { PostgresConnectionPool } from '../../src/db/postgres/create-postgres-pool.ts';
import type { PgCluster } from '../pg-cluster.ts';
import { TEST_HMAC_SECRET } from './test-app.ts';
import { obtainToken, TEST_AUTH_ENV, TEST_SCRYPT } from './test-auth.ts';
import { TEST_PAYMENT_ENV } from './test-payment.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** One line of the service's log, as pino wrote it. */
export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

export interface ClusterService {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: PostgresConnectionPool;
  /** What the service logged, oldest first. */
  readonly logs: LogLine[];
  /** A request to the service, bounded by `timeoutMs` (default 30 s) so a hang fails the test. */
  request(path: string, init?: ServiceRequest): Promise<Response>;
  /** The generated Profile client (clients/profile) over HTTP, with the token; each call bounded to 30 s. */
  readonly profiles: ProfileClient;
  close(): Promise<void>;
}

export interface ServiceRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs?: number;
}

/** The variables the service reads to reach the cluster: POSTGRES_PRIMARY_* and POSTGRES_REPLICA_1_*. */
export function clusterEnvironment(cluster: PgCluster): Record<string, string> {
  return Object.fromEntries(
    Object.entries(cluster.env).filter(
      ([key]) => key.startsWith('POSTGRES_PRIMARY_') || key.startsWith('POSTGRES_REPLICA_'),
    ),
  );
}

/**
 * Starts the service against the cluster with `env` on top of the cluster's variables. Give each
 * service its own POSTGRES_APPLICATION_NAME, so pg_stat_activity on either server tells which
 * connections are its.
 */
export async function startClusterService(
  cluster: PgCluster,
  env: Record<string, string> = {},
): Promise<ClusterService> {
  const config = loadConfig({
    LOG_LEVEL: 'info',
    HMAC_SECRET: TEST_HMAC_SECRET,
    ...TEST_AUTH_ENV,
    ...TEST_PAYMENT_ENV,
    // Long enough for any suite: the token is taken once, while the primary is up.
    AUTH_TOKEN_TTL: '1h',
    ...clusterEnvironment(cluster),
    ...env,
  });
  if (config.database.kind !== 'postgres') throw new Error('the cluster environment names no primary');
  const logs: LogLine[] = [];
  const logger = pino(
    { level: config.log.level },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const db = postgresPoolFromConfig(config.database, logger);
  let app: FastifyInstance | undefined;
  let authorization: string;
  try {
    app = await createApp(config, { db, logger, hmacSecret: TEST_HMAC_SECRET, scrypt: TEST_SCRYPT });
    await app.listen({ host: '127.0.0.1', port: 0 });
    authorization = `Bearer ${await obtainToken(app)}`;
  } catch (error) {
    await app?.close();
    await db.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the service has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  const server = app;
  return {
    url,
    app: server,
    config,
    db,
    logs,
    profiles: createProfileClient(url, {
      token: authorization.slice('Bearer '.length),
      fetch: (request) => fetch(request, { signal: AbortSignal.timeout(30_000) }),
    }),
    request(path, init = {}) {
      const headers: Record<string, string> = { authorization, ...init.headers };
      let body: string | undefined;
      if (init.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
      });
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

/** Applies the repository's migrations on the primary, as MIGRATE_ON_START would. */
export async function migrateCluster(cluster: PgCluster): Promise<void> {
  const config = loadConfig({
    HMAC_SECRET: TEST_HMAC_SECRET,
    ...TEST_AUTH_ENV,
    ...TEST_PAYMENT_ENV,
    ...clusterEnvironment(cluster),
  });
  if (config.database.kind !== 'postgres') throw new Error('the cluster environment names no primary');
  const db = postgresPoolFromConfig(config.database, { info: () => {}, warn: () => {} });
  try {
    await applyMigrations(db, await loadMigrations(MIGRATIONS_DIR));
  } finally {
    await db.close();
  }
}

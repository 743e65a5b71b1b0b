// Config -> database adapter. main.ts opens its database here, and the suites that run the service
// against a real primary and replica build theirs here too, so both get the very same pool.
import type { Config, PostgresDatabaseConfig } from './config/config.ts';
import type { PostgresEndpoint } from './config/postgres-config.ts';
import type { ConnectionPool } from './db/connection-pool.ts';
import type { DatabaseLogger } from './db/database-logger.ts';
import { createPostgresPool, type PostgresConnectionPool } from './db/postgres/create-postgres-pool.ts';

/** Pool usage for metrics, by pool ('writer', 'reader-1', ...). */
export interface PoolUsage {
  pool: string;
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Where pool telemetry goes; telemetry's own types stay out of this file. */
export interface DatabaseObserver {
  connectionWaited(pool: string, waitMs: number): void;
  observePools(read: () => readonly PoolUsage[]): void;
}

export function postgresPoolFromConfig(
  database: PostgresDatabaseConfig,
  logger: DatabaseLogger,
  observer?: DatabaseObserver,
): PostgresConnectionPool {
  const pool = createPostgresPool({
    writer: database.primary,
    readers: database.replicas,
    ssl: { mode: database.sslMode, caFile: database.sslRootCertPath },
    max: database.poolMax,
    readerMax: database.readerPoolMax,
    connectionTimeoutMs: database.connectTimeoutMs,
    idleTimeoutMs: database.idleTimeoutMs,
    statementTimeoutMs: database.statementTimeoutMs,
    idleInTransactionTimeoutMs: database.idleInTransactionTimeoutMs,
    applicationName: database.applicationName,
    readerRecheckIntervalMs: database.readerRecheckIntervalMs,
    logger,
    onConnectionWait: observer
      ? (endpoint, waitMs) => observer.connectionWaited(endpoint, waitMs)
      : undefined,
  });
  observer?.observePools(() =>
    pool.stats().map(({ endpoint, total, idle, waiting }) => ({
      pool: endpoint,
      total,
      idle,
      waiting,
      max: endpoint === 'writer' ? database.poolMax : database.readerPoolMax,
    })),
  );
  return pool;
}

/** The embedded database (PGlite) unless a PostgreSQL primary is configured. */
export function openDatabase(
  config: Config,
  logger: DatabaseLogger,
  observer?: DatabaseObserver,
): Promise<ConnectionPool> | ConnectionPool {
  const { database } = config;
  if (database.kind === 'embedded') {
    logger.info({ dataDir: database.dataDir }, 'using the embedded database (PGlite)');
    // Loaded only here: a service on PostgreSQL never loads PGlite.
    return import('./db/pglite/create-pglite-connection.ts').then(({ createPgliteConnection }) =>
      createPgliteConnection({ dataDir: database.dataDir, logger }),
    );
  }
  // Where the data goes, so a misspelt variable cannot silently leave the service elsewhere. The
  // password never appears.
  const where = ({ host, port, database: name, user }: PostgresEndpoint) => ({
    host,
    port,
    database: name,
    user,
  });
  logger.info(
    { primary: where(database.primary), replicas: database.replicas.map(where), sslMode: database.sslMode },
    'using PostgreSQL',
  );
  return postgresPoolFromConfig(database, logger, observer);
}

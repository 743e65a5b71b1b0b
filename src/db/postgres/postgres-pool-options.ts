import type { DatabaseLogger } from '../database-logger.ts';

/** One PostgreSQL server: the primary, or a replica. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password?: string | undefined;
  database: string;
  /** Overrides the pool-wide application name for this endpoint (shows in pg_stat_activity). */
  applicationName?: string | undefined;
}

/**
 * `require` encrypts without checking the certificate unless `caFile` is given, in which case the
 * chain is checked but not the host name (libpq's verify-ca); `verify-full` checks both.
 */
export type PostgresSslMode = 'disable' | 'require' | 'verify-full';

export interface PostgresPoolOptions {
  writer: PostgresEndpoint;
  /** Read replicas; reads are spread over the healthy ones at random. */
  readers?: readonly PostgresEndpoint[] | undefined;
  ssl?: { mode: PostgresSslMode; caFile?: string | undefined } | undefined;
  /** Connections of the writer's pool, and of each reader's unless `readerMax` is given. Default 10. */
  max?: number | undefined;
  /** Connections of each reader's pool. Default: `max`. */
  readerMax?: number | undefined;
  /**
   * How long to wait for a pooled connection, including opening a new one. On expiry the caller gets
   * a ConnectionError (an HTTP 503). Default 5000.
   */
  connectionTimeoutMs?: number | undefined;
  /** An unused connection is closed after this long. Default 10000. */
  idleTimeoutMs?: number | undefined;
  /** The session's statement_timeout; 0 turns it off. Default 30000. */
  statementTimeoutMs?: number | undefined;
  /** The session's idle_in_transaction_session_timeout; 0 turns it off. Default 60000. */
  idleInTransactionTimeoutMs?: number | undefined;
  /** Default 'node-backend-template'. */
  applicationName?: string | undefined;
  /** How often a reader marked down is probed until it answers again. Default 5000. */
  readerRecheckIntervalMs?: number | undefined;
  logger?: DatabaseLogger | undefined;
  /** Told how long each caller waited for a pooled connection (`endpoint`: writer, reader-1 ...), got or not. */
  onConnectionWait?: ((endpoint: string, waitMs: number) => void) | undefined;
}

export const postgresPoolDefaults = {
  max: 10,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  applicationName: 'node-backend-template',
  readerRecheckIntervalMs: 5_000,
} as const;

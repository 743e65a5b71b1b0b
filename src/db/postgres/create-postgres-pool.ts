import type pg from 'pg';

import type { ConnectionPool, DatabaseHealth, EndpointHealth } from '../connection-pool.ts';
import { silentDatabaseLogger } from '../database-logger.ts';
import { ConnectionError, QueryTimeoutError } from '../errors.ts';
import type { Querier } from '../querier.ts';
import { resetSession } from '../reset-session.ts';
import { assertTimeoutMs, runTransaction } from '../run-transaction.ts';
import { openQuerierScope, querierOf } from '../scoped-querier.ts';
import { runInSessionScope } from '../session-scope.ts';
import { EndpointPool, type EndpointStats } from './endpoint-pool.ts';
import {
  postgresPoolDefaults,
  type PostgresEndpoint,
  type PostgresPoolOptions,
} from './postgres-pool-options.ts';
import { ReaderSet } from './reader-set.ts';
import { tlsOptionsFor } from './tls-options.ts';
import { createTypeParsers } from './type-parsers.ts';

/** How much longer than the server's own timeout the client waits for an answer. */
const UNANSWERED_GRACE_MS = 1_000;

export interface PostgresConnectionPool extends ConnectionPool {
  /** Per endpoint (`writer`, `reader-1` ...): connections open and idle, callers waiting. */
  stats(): EndpointStats[];
}

/**
 * The node-postgres adapter: one pg.Pool for the writer and one per reader.
 *
 * Reads through `reader()` go to a healthy reader at random. A read that cannot reach its reader
 * marks that reader down and is run once more on the writer, so the caller sees no error; the reader
 * is probed every `readerRecheckIntervalMs` until it answers. With no reader up, reads go to the writer.
 *
 * Nested `withTx` (or `withConnection` inside `withTx`) is not supported and rejects: pass the
 * transaction's Querier down instead.
 */
export function createPostgresPool(options: PostgresPoolOptions): PostgresConnectionPool {
  const max = options.max ?? postgresPoolDefaults.max;
  const settings = {
    max,
    readerMax: options.readerMax ?? max,
    connectionTimeoutMs: options.connectionTimeoutMs ?? postgresPoolDefaults.connectionTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? postgresPoolDefaults.idleTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs ?? postgresPoolDefaults.statementTimeoutMs,
    idleInTransactionTimeoutMs:
      options.idleInTransactionTimeoutMs ?? postgresPoolDefaults.idleInTransactionTimeoutMs,
    applicationName: options.applicationName ?? postgresPoolDefaults.applicationName,
    readerRecheckIntervalMs: options.readerRecheckIntervalMs ?? postgresPoolDefaults.readerRecheckIntervalMs,
  };
  const logger = options.logger ?? silentDatabaseLogger;
  const ssl = tlsOptionsFor(options.ssl?.mode ?? 'disable', options.ssl?.caFile);
  const types = createTypeParsers();
  const poolConfig = (endpoint: PostgresEndpoint, poolMax: number): pg.PoolConfig => ({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    application_name: endpoint.applicationName ?? settings.applicationName,
    ssl,
    types,
    max: poolMax,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    // node-postgres sends these at connect time only when non-zero; 0 leaves the server's default.
    statement_timeout: settings.statementTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    keepAlive: true,
  });

  // The server ends a statement at statement_timeout; one still unanswered a grace later will not be
  // answered (a hung server, a dead link), so the client gives the connection up. 0 turns both off.
  const statementBoundMs =
    settings.statementTimeoutMs > 0 ? settings.statementTimeoutMs + UNANSWERED_GRACE_MS : undefined;
  const onWait = options.onConnectionWait;
  const writerPool = new EndpointPool({
    name: 'writer',
    role: 'writer',
    config: poolConfig(options.writer, settings.max),
    logger,
    statementBoundMs,
    onWait,
  });
  const readerPools = (options.readers ?? []).map(
    (endpoint, index) =>
      new EndpointPool({
        name: `reader-${index + 1}`,
        role: 'reader',
        config: poolConfig(endpoint, settings.readerMax),
        logger,
        statementBoundMs,
        onWait,
      }),
  );
  const allPools = [writerPool, ...readerPools];
  const probeBoundMs = Math.min(settings.connectionTimeoutMs, 2_000);
  const readers = new ReaderSet(readerPools, {
    logger,
    recheckIntervalMs: settings.readerRecheckIntervalMs,
    probeBoundMs,
  });

  const writer = querierOf((sql, params) => writerPool.query(sql, params));
  const reader =
    readerPools.length === 0
      ? writer
      : querierOf(async (sql, params) => {
          const chosen = readers.pick();
          if (chosen === undefined) {
            return writerPool.query(sql, params);
          }
          try {
            return await chosen.query(sql, params);
          } catch (error) {
            if (!(error instanceof ConnectionError)) {
              throw error;
            }
            // Only reads come through reader(), so running the statement again is safe.
            readers.markDown(chosen, error);
            return writerPool.query(sql, params);
          }
        });

  async function transaction<T>(timeoutMs: number | undefined, fn: (tx: Querier) => Promise<T>): Promise<T> {
    return runInSessionScope(pool, 'withTx', async () => {
      // The server bounds each statement by the budget too; the client gives up a grace later.
      const lease = await writerPool.lease(
        timeoutMs === undefined ? undefined : timeoutMs + UNANSWERED_GRACE_MS,
      );
      let broken: unknown;
      try {
        return await runTransaction(lease.query, fn, {
          timeoutMs,
          serverTimeouts: true,
          onSessionBroken: (error) => {
            broken ??= error;
          },
        });
      } finally {
        lease.release(broken);
      }
    });
  }

  async function probeEndpoint(endpoint: EndpointPool): Promise<EndpointHealth> {
    const { name, role } = endpoint;
    try {
      const latencyMs = Math.round(await endpoint.probe(probeBoundMs));
      readers.markUp(endpoint);
      return { name, role, ok: true, latencyMs };
    } catch (error) {
      readers.markDown(endpoint, error);
      return { name, role, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  let closing: Promise<void> | undefined;

  const pool: PostgresConnectionPool = {
    writer: () => writer,
    reader: () => reader,

    withTx: (fn) => transaction(undefined, fn),

    withTimeoutTx: async (timeoutMs, fn) => {
      assertTimeoutMs(timeoutMs);
      return transaction(timeoutMs, fn);
    },

    withConnection: (fn) =>
      runInSessionScope(pool, 'withConnection', async () => {
        const lease = await writerPool.lease();
        const session = openQuerierScope(lease.query, 'pinned connection');
        let broken: unknown;
        try {
          return await fn(session.querier);
        } catch (error) {
          if (error instanceof ConnectionError || error instanceof QueryTimeoutError) {
            broken = error;
          }
          throw error;
        } finally {
          session.end();
          if (broken === undefined) {
            broken = await resetSession(lease.query, lease.inTransaction()).catch((error: unknown) => error);
          }
          lease.release(broken);
        }
      }),

    health: async (): Promise<DatabaseHealth> => {
      const endpoints = await Promise.all(allPools.map(probeEndpoint));
      return { ok: endpoints.every((endpoint) => endpoint.ok), endpoints };
    },

    stats: () => allPools.map((endpoint) => endpoint.stats()),

    close: () => {
      closing ??= (async () => {
        readers.close();
        await Promise.all(allPools.map((endpoint) => endpoint.end()));
      })();
      return closing;
    },
  };
  return pool;
}

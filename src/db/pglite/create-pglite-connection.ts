import { Mutex, PGlite, type Results } from '@electric-sql/pglite';

import { classifyDatabaseError } from '../classify-error.ts';
import type { ConnectionPool, DatabaseHealth } from '../connection-pool.ts';
import { type DatabaseLogger, silentDatabaseLogger } from '../database-logger.ts';
import type { Querier } from '../querier.ts';
import { resetSession } from '../reset-session.ts';
import { assertTimeoutMs, runTransaction, type SessionResult } from '../run-transaction.ts';
import { openQuerierScope, querierOf } from '../scoped-querier.ts';
import { isInSessionScope, runInSessionScope } from '../session-scope.ts';
import { withinMs } from '../time-bound.ts';
import { lockDataDir } from './data-dir-lock.ts';

export interface PgliteConnectionOptions {
  /** Where the database lives on disk; in memory when omitted. */
  dataDir?: string | undefined;
  /** A tarball made by `dumpDataDir` to start from. */
  loadDataDir?: Blob | File | undefined;
  logger?: DatabaseLogger | undefined;
}

export interface PgliteConnection extends ConnectionPool {
  /** The whole database as an uncompressed tarball, for `loadDataDir`. */
  dumpDataDir(): Promise<Blob | File>;
}

const HEALTH_BOUND_MS = 2_000;

const asText = (value: string): string => value;

// The value types of the node-postgres adapter (see postgres/type-parsers.ts): int8, numeric, date,
// timestamp and interval as their text. PGlite derives array parsers from these.
const parsers = {
  20: asText, // int8
  1700: asText, // numeric
  1082: asText, // date
  1114: asText, // timestamp without time zone
  1186: asText, // interval
};

/**
 * The PGlite adapter: PostgreSQL compiled to WebAssembly, in this process. There is one session, so
 * writer() and reader() are the same Querier, and withTx and withConnection hold the database for
 * their whole callback; other callers wait.
 *
 * Differences from the node-postgres adapter:
 * - PGlite does not enforce statement_timeout (a statement runs to its end), so withTimeoutTx is
 *   bounded only by the deadline checked before each statement and before COMMIT.
 * - Inside withTx or withConnection, a query through writer() or reader() rejects at once: it would
 *   wait for the transaction around it forever.
 * - Nested withTx (or withConnection inside withTx) is not supported and rejects, as on node-postgres.
 *
 * A data directory is locked to this process while open (a `pglite.lock` file holding the pid).
 */
export async function createPgliteConnection(
  options: PgliteConnectionOptions = {},
): Promise<PgliteConnection> {
  const logger = options.logger ?? silentDatabaseLogger;
  const lock = options.dataDir === undefined ? undefined : await lockDataDir(options.dataDir, logger);
  let db: PGlite;
  try {
    db = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, parsers });
    await db.waitReady;
  } catch (error) {
    await lock?.release();
    throw error;
  }

  // PGlite runs one statement at a time but lets any caller's statement into an open transaction;
  // this lock keeps a transaction or pinned session to itself.
  const session = new Mutex();

  const run = async (sql: string, params?: readonly unknown[]): Promise<SessionResult> => {
    try {
      if (params && params.length > 0) {
        return sessionResult(await db.query(sql, [...params]));
      }
      // Without parameters, the simple protocol: several statements allowed, as on node-postgres.
      return sessionResult((await db.exec(sql)).at(-1));
    } catch (error) {
      throw classifyDatabaseError(withoutParams(error));
    }
  };

  const rollBackLeftovers = async (): Promise<void> => {
    if (db.isInTransaction()) {
      await run('ROLLBACK').catch((error: unknown) => {
        logger.warn({ err: error }, 'could not roll back a transaction left open on PGlite');
      });
    }
  };

  const writer = querierOf(async (sql, params) => {
    if (isInSessionScope(pool)) {
      throw new Error(
        'writer() or reader() was used inside withTx or withConnection; PGlite has one session, so the ' +
          'query would wait for the transaction around it forever: use the Querier you were given',
      );
    }
    return session.runExclusive(async () => {
      try {
        return await run(sql, params);
      } finally {
        // A BEGIN sent this way must not leave every later caller inside its transaction.
        await rollBackLeftovers();
      }
    });
  });

  const transaction = <T>(timeoutMs: number | undefined, fn: (tx: Querier) => Promise<T>): Promise<T> =>
    runInSessionScope(pool, 'withTx', () =>
      session.runExclusive(async () => {
        try {
          return await runTransaction(run, fn, {
            timeoutMs,
            serverTimeouts: false,
            onSessionBroken: () => undefined,
          });
        } finally {
          await rollBackLeftovers();
        }
      }),
    );

  let closing: Promise<void> | undefined;

  const pool: PgliteConnection = {
    writer: () => writer,
    reader: () => writer,

    withTx: (fn) => transaction(undefined, fn),

    withTimeoutTx: async (timeoutMs, fn) => {
      assertTimeoutMs(timeoutMs);
      return transaction(timeoutMs, fn);
    },

    withConnection: (fn) =>
      runInSessionScope(pool, 'withConnection', () =>
        session.runExclusive(async () => {
          const pinned = openQuerierScope(run, 'pinned connection');
          try {
            return await fn(pinned.querier);
          } finally {
            pinned.end();
            await resetSession(run, db.isInTransaction()).catch((error: unknown) => {
              logger.warn({ err: error }, 'could not reset the PGlite session after withConnection');
            });
          }
        }),
      ),

    health: async (): Promise<DatabaseHealth> => {
      const started = performance.now();
      try {
        await withinMs(
          session.runExclusive(() => run('SELECT 1')),
          HEALTH_BOUND_MS,
          () => new Error(`no answer within ${HEALTH_BOUND_MS} ms`),
        );
        const latencyMs = Math.round(performance.now() - started);
        return { ok: true, endpoints: [{ name: 'writer', role: 'writer', ok: true, latencyMs }] };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, endpoints: [{ name: 'writer', role: 'writer', ok: false, error: message }] };
      }
    },

    dumpDataDir: () => session.runExclusive(() => db.dumpDataDir('none')),

    close: () => {
      closing ??= session.runExclusive(async () => {
        try {
          await db.close();
        } finally {
          await lock?.release();
        }
      });
      return closing;
    },
  };
  return pool;
}

function sessionResult(result: Results | undefined): SessionResult {
  return {
    rows: result?.rows ?? [],
    rowCount: result?.rowCount ?? result?.affectedRows ?? 0,
    command: result?.command ?? '',
  };
}

/** PGlite attaches the statement's parameter values to its errors; they must not reach a log. */
function withoutParams(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && 'params' in error) {
    delete (error as { params?: unknown }).params;
  }
  return error;
}

import pg from 'pg';

import { classifyDatabaseError } from '../classify-error.ts';
import type { DatabaseLogger } from '../database-logger.ts';
import { ConnectionError, DatabaseError } from '../errors.ts';
import type { SessionQuery, SessionResult } from '../run-transaction.ts';
import { withinMs } from '../time-bound.ts';

export interface EndpointStats {
  endpoint: string;
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

/** A connection checked out of the pool until `release`. */
export interface Lease {
  query: SessionQuery;
  inTransaction(): boolean;
  /** Gives the connection back; with a reason, closes it instead, as it may be broken. */
  release(reason?: unknown): void;
}

export interface EndpointPoolOptions {
  name: string;
  role: 'writer' | 'reader';
  config: pg.PoolConfig;
  logger: DatabaseLogger;
  /** How long `query` waits for an answer before it gives the connection up (see `lease`); none when undefined. */
  statementBoundMs?: number | undefined;
  /** Told how long each caller waited for a connection. */
  onWait?: ((endpoint: string, waitMs: number) => void) | undefined;
}

/**
 * One pg.Pool for one server (the writer or one reader), speaking in classified errors, and one
 * connection of its own for health probes: a pool whose every connection is busy must not make a busy
 * server look dead to /readyz (nor a reader look down), so probes never queue behind traffic.
 */
export class EndpointPool {
  readonly name: string;
  readonly role: 'writer' | 'reader';
  readonly #pool: pg.Pool;
  readonly #probePool: pg.Pool;
  readonly #statementBoundMs: number | undefined;
  readonly #onWait: ((endpoint: string, waitMs: number) => void) | undefined;

  constructor(options: EndpointPoolOptions) {
    const { name, logger } = options;
    this.name = name;
    this.role = options.role;
    this.#statementBoundMs = options.statementBoundMs;
    this.#onWait = options.onWait;
    this.#pool = new pg.Pool(options.config);
    this.#probePool = new pg.Pool({ ...options.config, max: 1 });
    // Without a listener, an idle connection dropped by the server would crash the process.
    for (const pool of [this.#pool, this.#probePool]) {
      pool.on('error', (error) => {
        logger.warn({ endpoint: name, err: error }, 'idle database connection failed and was closed');
      });
    }
  }

  /** One statement on a pooled connection, which is closed afterwards only if it may be broken. */
  async query(sql: string, params?: readonly unknown[]): Promise<SessionResult> {
    const lease = await this.lease(this.#statementBoundMs);
    let failure: unknown;
    try {
      return await lease.query(sql, params);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // pg.Pool#query would close the connection after any error, even a unique violation; an
      // ordinary error leaves it usable. A BEGIN sent this way must not hand its transaction on.
      const broken = (failure !== undefined && !leavesSessionUsable(failure)) || lease.inTransaction();
      lease.release(broken ? (failure ?? 'left in a transaction') : undefined);
    }
  }

  /**
   * With `queryTimeoutMs`, a statement not answered in time fails with a ConnectionError and its
   * connection is cut at once, so the statements after it on this lease (a ROLLBACK) fail at once
   * too instead of queueing behind an answer that may never come: a server that is hung, or behind
   * a dead link, accepts bytes but never replies.
   */
  async lease(queryTimeoutMs?: number): Promise<Lease> {
    return this.#leaseOf(await this.#connect(), queryTimeoutMs);
  }

  #leaseOf(client: pg.PoolClient, queryTimeoutMs: number | undefined): Lease {
    let broken: unknown;
    // A checked-out connection that breaks between statements emits 'error'; unheard, it would crash.
    const onError = (error: Error): void => {
      broken ??= error;
    };
    client.on('error', onError);
    return {
      query: async (sql, params) => {
        // Without values node-postgres uses the simple protocol, which allows several statements.
        const values = params && params.length > 0 ? [...params] : undefined;
        // query_timeout is honoured per query by node-postgres but missing from its QueryConfig type.
        const config: pg.QueryConfig<unknown[]> & { query_timeout?: number | undefined } = {
          text: sql,
          values,
          query_timeout: queryTimeoutMs,
        };
        try {
          return sessionResult(await client.query(config));
        } catch (error) {
          if (queryTimeoutMs !== undefined && isReadTimeout(error)) {
            client.connection.stream.destroy();
            broken ??= error;
            throw new ConnectionError(`${this.name} did not answer within ${queryTimeoutMs} ms`, {
              cause: error,
            });
          }
          throw classifyDatabaseError(error);
        }
      },
      inTransaction: () => client.getTransactionStatus() !== 'I',
      release: (reason?: unknown) => {
        client.off('error', onError);
        client.release(reason !== undefined || broken !== undefined);
      },
    };
  }

  /**
   * `SELECT 1` on the probe connection, answered within `boundMs`; resolves to the round trip's
   * milliseconds.
   */
  async probe(boundMs: number): Promise<number> {
    const started = performance.now();
    const connected = this.#probePool.connect().catch((error: unknown) => {
      throw classifyDatabaseError(error);
    });
    const attempt = connected.then(async (client) => {
      const lease = this.#leaseOf(client, boundMs);
      try {
        await lease.query('SELECT 1');
        lease.release();
      } catch (error) {
        lease.release(error);
        throw error;
      }
    });
    await withinMs(
      attempt,
      boundMs,
      () => new ConnectionError(`${this.name} did not answer SELECT 1 within ${boundMs} ms`),
    );
    return performance.now() - started;
  }

  stats(): EndpointStats {
    return {
      endpoint: this.name,
      total: this.#pool.totalCount,
      idle: this.#pool.idleCount,
      waiting: this.#pool.waitingCount,
    };
  }

  async end(): Promise<void> {
    await Promise.all(
      [this.#pool, this.#probePool].map(async (pool) => {
        if (!pool.ending) await pool.end();
      }),
    );
  }

  async #connect(): Promise<pg.PoolClient> {
    const started = performance.now();
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw classifyDatabaseError(error);
    } finally {
      this.#onWait?.(this.name, performance.now() - started);
    }
  }
}

/** Multi-statement text (simple protocol, no parameters) yields one result per statement: keep the last. */
function sessionResult(result: pg.QueryResult | pg.QueryResult[]): SessionResult {
  const last = Array.isArray(result) ? result.at(-1) : result;
  return {
    rows: (last?.rows ?? []) as unknown[],
    rowCount: last?.rowCount ?? 0,
    command: last?.command ?? '',
  };
}

/** node-postgres's own `query_timeout` expired: the server sent no answer in time. */
function isReadTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** An ordinary ERROR (constraint, syntax, statement timeout) leaves the session idle and usable. */
function leavesSessionUsable(error: unknown): boolean {
  const original = error instanceof DatabaseError ? error.cause : error;
  return original instanceof pg.DatabaseError && original.severity === 'ERROR';
}

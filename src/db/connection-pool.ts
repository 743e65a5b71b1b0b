import type { Querier } from './querier.ts';

/**
 * Runs work atomically: commit when `fn` resolves, roll back when it throws (rethrowing the error,
 * classified). Use only the `tx` Querier inside `fn`; it fails once the transaction has ended.
 * Transactions do not nest: withTx, withTimeoutTx or withConnection called inside `fn` rejects.
 */
export interface TxManager {
  withTx<T>(fn: (tx: Querier) => Promise<T>): Promise<T>;
  /**
   * Like withTx, bounded by `timeoutMs` (a positive integer; counted once a connection is held,
   * waiting for one is bounded by the pool's own connection timeout). The bound is enforced inside
   * PostgreSQL where the adapter can (statement and idle-in-transaction timeouts, SET LOCAL) and by
   * a deadline checked before every statement and before COMMIT; either way the caller gets a
   * QueryTimeoutError, nothing is committed and the connection is released. PGlite cannot interrupt
   * a running statement, so there only the deadline applies.
   */
  withTimeoutTx<T>(timeoutMs: number, fn: (tx: Querier) => Promise<T>): Promise<T>;
}

/** Read/write routing, as in the read replica pattern. */
export interface ConnectionManager {
  /** The primary: every write, and reads that must see the latest commit. */
  writer(): Querier;
  /**
   * Reads that may lag behind the latest commit: each statement goes to a healthy replica chosen at
   * random, or to the writer when none is configured or all are down. Send only reads here.
   */
  reader(): Querier;
}

export interface EndpointHealth {
  name: string;
  role: 'writer' | 'reader';
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

export interface DatabaseHealth {
  /** True when the writer and every configured reader answered. */
  ok: boolean;
  endpoints: EndpointHealth[];
}

export interface ConnectionPool extends ConnectionManager, TxManager {
  /**
   * Pins one writer connection for `fn` (session-level state such as advisory locks). Afterwards the
   * session is reset: an open transaction rolled back, settings back to default, advisory locks freed.
   */
  withConnection<T>(fn: (session: Querier) => Promise<T>): Promise<T>;
  health(): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

import { classifyDatabaseError } from './classify-error.ts';
import { ConnectionError, DatabaseError, QueryTimeoutError } from './errors.ts';
import type { Querier, QueryResult } from './querier.ts';
import { openQuerierScope } from './scoped-querier.ts';

/** A statement's result as an adapter sees it: with the command tag, which tells a COMMIT that rolled back. */
export interface SessionResult extends QueryResult<unknown> {
  command: string;
}

/** Runs one statement on the session (connection) a transaction holds; errors already classified. */
export type SessionQuery = (sql: string, params?: readonly unknown[]) => Promise<SessionResult>;

export interface TransactionRunOptions {
  /** A budget for the whole transaction, already checked by assertTimeoutMs; none when undefined. */
  timeoutMs?: number | undefined;
  /** Also have the server enforce the budget (statement and idle-in-transaction timeouts, LOCAL). */
  serverTimeouts: boolean;
  /** Told when the session may be left in an unknown state, so the adapter does not reuse it. */
  onSessionBroken(error: unknown): void;
}

/** withTimeoutTx's budget must be a positive whole number of milliseconds; it is also written into SQL. */
export function assertTimeoutMs(timeoutMs: number): void {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`Transaction timeout must be a positive integer of milliseconds, got ${timeoutMs}`);
  }
}

/**
 * BEGIN, `fn`, COMMIT; ROLLBACK when `fn` throws, rethrowing its error classified. With a budget,
 * every statement (COMMIT included) first checks the deadline and fails with a QueryTimeoutError
 * without being sent once it has passed, so the transaction as a whole is bounded even where the
 * server cannot bound it.
 */
export async function runTransaction<T>(
  query: SessionQuery,
  fn: (tx: Querier) => Promise<T>,
  options: TransactionRunOptions,
): Promise<T> {
  const { timeoutMs } = options;
  const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
  const assertBeforeDeadline = (): void => {
    if (deadline !== undefined && performance.now() >= deadline) {
      throw new QueryTimeoutError(`transaction exceeded its ${timeoutMs} ms budget; statement not sent`);
    }
  };

  const begin =
    timeoutMs !== undefined && options.serverTimeouts
      ? `BEGIN; SET LOCAL statement_timeout = ${timeoutMs}; ` +
        `SET LOCAL idle_in_transaction_session_timeout = ${timeoutMs}`
      : 'BEGIN';
  try {
    await query(begin);
  } catch (error) {
    options.onSessionBroken(error);
    throw error;
  }

  const tx = openQuerierScope(query, 'transaction', assertBeforeDeadline);
  let result: T;
  try {
    result = await fn(tx.querier);
    assertBeforeDeadline();
  } catch (thrown) {
    tx.end();
    const error = classifyDatabaseError(thrown);
    if (error instanceof ConnectionError || error instanceof QueryTimeoutError) {
      options.onSessionBroken(error);
    }
    try {
      await query('ROLLBACK');
    } catch (rollbackError) {
      options.onSessionBroken(rollbackError);
    }
    throw error;
  }
  tx.end();

  let commit: SessionResult;
  try {
    commit = await query('COMMIT');
  } catch (error) {
    if (error instanceof ConnectionError || error instanceof QueryTimeoutError) {
      options.onSessionBroken(error);
    }
    throw error;
  }
  // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK and no error: a statement failed
  // and `fn` caught it. Nothing was saved, so the caller must not be told it was.
  if (commit.command === 'ROLLBACK') {
    throw new DatabaseError('transaction rolled back at COMMIT: a statement inside it had failed', {
      code: '25P02',
    });
  }
  return result;
}

import type { QueryResult, Querier } from './querier.ts';

export type RunQuery = (sql: string, params?: readonly unknown[]) => Promise<QueryResult<unknown>>;

/** A Querier over an adapter's run function, returning only what the port promises. */
export function querierOf(run: RunQuery, beforeEach?: () => void): Querier {
  return {
    query: async <Row>(sql: string, params?: readonly unknown[]) => {
      beforeEach?.();
      const { rows, rowCount } = await run(sql, params);
      return { rows: rows as Row[], rowCount };
    },
  };
}

/** A Querier valid only until `end()`: a transaction's, or a pinned connection's. */
export interface QuerierScope {
  readonly querier: Querier;
  end(): void;
}

/**
 * A Querier that fails loudly once its transaction or pinned connection is over, instead of running
 * on a connection that has gone back to the pool. `beforeEach` runs before every statement is sent
 * (the transaction deadline lives there).
 */
export function openQuerierScope(run: RunQuery, what: string, beforeEach?: () => void): QuerierScope {
  let open = true;
  const querier = querierOf(run, () => {
    if (!open) {
      throw new Error(`This ${what} has ended; its Querier cannot be used any more`);
    }
    beforeEach?.();
  });
  return {
    querier,
    end: () => {
      open = false;
    },
  };
}

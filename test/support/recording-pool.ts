// A real connection pool, wrapped to record which of its doors each statement went through, so a
// test can prove where reads and writes are routed instead of trusting the code.
import type { ConnectionPool } from '../../src/db/connection-pool.ts';
import type { Querier } from '../../src/db/querier.ts';

export type PoolDoor = 'reader' | 'writer' | 'withTx' | 'withTimeoutTx' | 'withConnection';

export interface RecordedStatement {
  /** The door the statement came through; statements of a transaction carry the transaction's. */
  door: PoolDoor;
  sql: string;
}

export interface RecordingPool extends ConnectionPool {
  readonly statements: RecordedStatement[];
  /** Each transaction opened, with its timeout when it had one. */
  readonly transactions: { door: 'withTx' | 'withTimeoutTx' | 'withConnection'; timeoutMs?: number }[];
  clear(): void;
}

export function recordingPool(pool: ConnectionPool): RecordingPool {
  const statements: RecordedStatement[] = [];
  const transactions: RecordingPool['transactions'] = [];
  const recorded = (door: PoolDoor, querier: Querier): Querier => ({
    query(sql, params) {
      statements.push({ door, sql: sql.replace(/\s+/g, ' ').trim() });
      return querier.query(sql, params);
    },
  });
  return {
    statements,
    transactions,
    clear() {
      statements.length = 0;
      transactions.length = 0;
    },
    reader: () => recorded('reader', pool.reader()),
    writer: () => recorded('writer', pool.writer()),
    withTx(fn) {
      transactions.push({ door: 'withTx' });
      return pool.withTx((tx) => fn(recorded('withTx', tx)));
    },
    withTimeoutTx(timeoutMs, fn) {
      transactions.push({ door: 'withTimeoutTx', timeoutMs });
      return pool.withTimeoutTx(timeoutMs, (tx) => fn(recorded('withTimeoutTx', tx)));
    },
    withConnection(fn) {
      transactions.push({ door: 'withConnection' });
      return pool.withConnection((session) => fn(recorded('withConnection', session)));
    },
    health: () => pool.health(),
    // The wrapped pool belongs to whoever made it.
    close: async () => undefined,
  };
}

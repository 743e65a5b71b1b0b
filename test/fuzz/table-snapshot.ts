// Every table a request could change, read whole, and put back whole: the fuzzer compares the
// data before and after each request and restores it when a request changed it, so shrinking a
// failure starts from the same data.
import type { ConnectionPool } from '../../src/db/connection-pool.ts';

/** In foreign-key order: a table comes after those it refers to. */
const TABLES = [
  'profiles',
  'pix_locations',
  'pix_charges',
  'pix_charge_revisions',
  'pix_received',
  'pix_refunds',
  'pix_idempotency_keys',
  'pix_webhooks',
] as const;

export type TableSnapshot = Record<(typeof TABLES)[number], unknown[]>;

export async function snapshotTables(db: ConnectionPool): Promise<TableSnapshot> {
  const snapshot = {} as TableSnapshot;
  for (const table of TABLES) {
    const { rows } = await db.writer().query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    snapshot[table] = rows;
  }
  return snapshot;
}

export async function restoreTables(db: ConnectionPool, snapshot: TableSnapshot): Promise<void> {
  await db.withTx(async (tx) => {
    for (const table of [...TABLES].reverse()) await tx.query(`DELETE FROM ${table}`);
    for (const table of TABLES) {
      // OVERRIDING SYSTEM VALUE: the ids of identity columns are put back as they were.
      await tx.query(
        `INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${table}, $1)`,
        [JSON.stringify(snapshot[table])],
      );
    }
  });
}

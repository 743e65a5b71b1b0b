// Every table a request could change, read whole, and put back whole: the fuzzer compares the
// data before and after each request and restores it when a request changed it, so shrinking a
// failure starts from the same data. The tables are found in the catalogue, so a module's new
// table is watched without touching this file.
import type { ConnectionPool } from '../../src/db/connection-pool.ts';

export type TableSnapshot = Map<string, unknown[]>;

/** The schema's tables but dbmate's own, in foreign-key order: a table after those it refers to. */
async function tablesOf(db: ConnectionPool): Promise<string[]> {
  const { rows: tables } = await db.writer().query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename`,
  );
  const { rows: references } = await db.writer().query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint
       JOIN pg_class child ON child.oid = pg_constraint.conrelid
       JOIN pg_class parent ON parent.oid = pg_constraint.confrelid
      WHERE pg_constraint.contype = 'f' AND child.relnamespace = current_schema()::regnamespace`,
  );
  const ordered: string[] = [];
  const visit = (table: string, path: readonly string[]): void => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`foreign keys form a cycle: ${[...path, table].join(' -> ')}`);
    for (const { parent } of references.filter((reference) => reference.child === table)) {
      if (parent !== table) visit(parent, [...path, table]);
    }
    ordered.push(table);
  };
  for (const { name } of tables) visit(name, []);
  return ordered;
}

/** Read once per database: requests do not create tables, and the fuzzer snapshots after each one. */
const tablesByDatabase = new WeakMap<ConnectionPool, Promise<string[]>>();

export async function snapshotTables(db: ConnectionPool): Promise<TableSnapshot> {
  let tables = tablesByDatabase.get(db);
  if (!tables) {
    tables = tablesOf(db);
    tablesByDatabase.set(db, tables);
  }
  const snapshot: TableSnapshot = new Map();
  for (const table of await tables) {
    const { rows } = await db.writer().query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    snapshot.set(table, rows);
  }
  return snapshot;
}

/** The same data, for comparing two snapshots. */
export function sameData(a: TableSnapshot, b: TableSnapshot): boolean {
  return JSON.stringify([...a]) === JSON.stringify([...b]);
}

export async function restoreTables(db: ConnectionPool, snapshot: TableSnapshot): Promise<void> {
  const tables = [...snapshot.keys()];
  await db.withTx(async (tx) => {
    for (const table of [...tables].reverse()) await tx.query(`DELETE FROM ${table}`);
    for (const table of tables) {
      // OVERRIDING SYSTEM VALUE: the ids of identity columns are put back as they were.
      await tx.query(
        `INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${table}, $1)`,
        [JSON.stringify(snapshot.get(table))],
      );
    }
  });
}

// Which migrations the database still lacks. A service started on a database that is behind its code
// would answer requests with "relation does not exist"; instead it reports not ready, naming what is
// missing, until `npm run db:migrate` (or another instance with MIGRATE_ON_START) has applied them.
import type { ConnectionManager } from './connection-pool.ts';
import type { Migration } from './migration-file.ts';
import type { Querier } from './querier.ts';

/** The migrations not recorded in dbmate's schema_migrations (all of them when it does not exist). */
export async function pendingMigrations(db: Querier, migrations: readonly Migration[]): Promise<Migration[]> {
  // Looked up, never created: checking must not write.
  const { rows } = await db.query<{ found: string | null }>(
    "SELECT to_regclass(quote_ident(coalesce(current_schema(), 'public')) || '.schema_migrations')::text AS found",
  );
  const table = rows[0]?.found ?? null;
  if (table === null) return [...migrations];
  const applied = new Set(
    (await db.query<{ version: string }>(`SELECT version FROM ${table}`)).rows.map((row) => row.version),
  );
  return migrations.filter((migration) => !applied.has(migration.version));
}

/**
 * For readiness: the file names still pending, asked of the writer each time until none is; from then
 * on the answer stays empty without a query, as applied migrations do not come undone.
 */
export function pendingMigrationsCheck(
  db: ConnectionManager,
  migrations: readonly Migration[],
): () => Promise<string[]> {
  let upToDate = migrations.length === 0;
  return async () => {
    if (upToDate) return [];
    const pending = (await pendingMigrations(db.writer(), migrations)).map((migration) => migration.fileName);
    upToDate = pending.length === 0;
    return pending;
  };
}

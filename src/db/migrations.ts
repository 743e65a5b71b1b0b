import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ConnectionPool } from './connection-pool.ts';
import { type DatabaseLogger, silentDatabaseLogger } from './database-logger.ts';
import { type Migration, MigrationFileError, parseMigration } from './migration-file.ts';
import type { Querier } from './querier.ts';

export type { Migration } from './migration-file.ts';
export { MigrationFileError } from './migration-file.ts';

/**
 * The session advisory lock every runner of this project takes ("dbmigrat" in ASCII). dbmate itself
 * takes no lock, so running dbmate and this runner at the same moment is not guarded.
 */
export const MIGRATION_LOCK_KEY = '7233464250984980852';

const LOCK_RETRY_MS = 200;

/**
 * Reads `<dir>/*.sql`, dbmate's format, in dbmate's order (by file name; fixed-width versions such as
 * dbmate's timestamps make that the version order). Other files are ignored; a .sql file that is not
 * a well-formed migration, or a version used twice, is an error naming the file.
 */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Migrations directory ${dir} cannot be read`, { cause: error });
  }
  const fileNames = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name)
    .sort(byCodeUnits);
  const migrations = await Promise.all(
    fileNames.map(async (fileName) => parseMigration(fileName, await readFile(join(dir, fileName), 'utf8'))),
  );
  const seen = new Map<string, string>();
  for (const migration of migrations) {
    const earlier = seen.get(migration.version);
    if (earlier !== undefined) {
      throw new MigrationFileError(
        migration.fileName,
        `version ${migration.version} is also used by ${earlier}`,
      );
    }
    seen.set(migration.version, migration.fileName);
  }
  return migrations;
}

export interface ApplyMigrationsOptions {
  logger?: DatabaseLogger | undefined;
}

/**
 * Applies the migrations not yet recorded in dbmate's `schema_migrations` table, in file name order,
 * each in its own transaction together with the row recording it (outside one for
 * `transaction:false`, as dbmate does). Holds a session advisory lock throughout, so runners started
 * together apply each migration once. Returns the versions applied.
 */
export async function applyMigrations(
  pool: ConnectionPool,
  migrations: readonly Migration[],
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const logger = options.logger ?? silentDatabaseLogger;
  const ordered = [...migrations].sort((a, b) => byCodeUnits(a.fileName, b.fileName));
  return pool.withConnection(async (session) => {
    // A migration, and the wait for another runner, must not be cut short by the service's
    // statement timeout. withConnection resets the session afterwards.
    await session.query('SET statement_timeout = 0');
    await acquireMigrationLock(session, logger);
    try {
      const table = await migrationsTable(session);
      const applied = new Set(
        (await session.query<{ version: string }>(`SELECT version FROM ${table}`)).rows.map(
          (row) => row.version,
        ),
      );
      const done: string[] = [];
      for (const migration of ordered) {
        if (applied.has(migration.version)) {
          continue;
        }
        const started = performance.now();
        await applyOne(session, table, migration);
        const durationMs = Math.round(performance.now() - started);
        logger.info(
          { version: migration.version, file: migration.fileName, durationMs },
          'migration applied',
        );
        applied.add(migration.version);
        done.push(migration.version);
      }
      return done;
    } finally {
      await session.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/**
 * Takes the lock by polling rather than waiting in pg_advisory_lock: a session waiting inside a
 * statement holds a transaction open, and CREATE INDEX CONCURRENTLY in the runner holding the lock
 * would wait for that transaction to end, a deadlock.
 */
async function acquireMigrationLock(session: Querier, logger: DatabaseLogger): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const { rows } = await session.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
    );
    if (rows[0]?.locked === true) {
      return;
    }
    if (attempt === 0) {
      logger.info({ lockKey: MIGRATION_LOCK_KEY }, 'waiting for another migration runner to finish');
    }
    await sleep(LOCK_RETRY_MS);
  }
}

/** dbmate's table, created as dbmate 2 creates it, in the current schema. */
async function migrationsTable(session: Querier): Promise<string> {
  const { rows } = await session.query<{ schema: string }>(
    "SELECT quote_ident(coalesce(current_schema(), 'public')) AS schema",
  );
  const table = `${rows[0]?.schema ?? 'public'}.schema_migrations`;
  await session.query(`CREATE TABLE IF NOT EXISTS ${table} (version varchar PRIMARY KEY)`);
  return table;
}

async function applyOne(session: Querier, table: string, migration: Migration): Promise<void> {
  const record = `INSERT INTO ${table} (version) VALUES ($1)`;
  try {
    if (!migration.transaction) {
      await session.query(migration.up);
      await session.query(record, [migration.version]);
      return;
    }
    await session.query('BEGIN');
    try {
      await session.query(migration.up);
      await session.query(record, [migration.version]);
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.fileName} failed: ${reason}`, { cause: error });
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import { describeEachDatabase, describePostgres } from '../../test/database/describe-each-database.ts';
import { fixtureMigrationsDir } from '../../test/database/test-migrations.ts';
import type { ConnectionPool } from './connection-pool.ts';
import type { DatabaseLogger } from './database-logger.ts';
import { applyMigrations, loadMigrations, MIGRATION_LOCK_KEY, MigrationFileError } from './migrations.ts';

const ACCOUNTS = fixtureMigrationsDir('accounts');
const ACCOUNT_VERSIONS = ['20240101000000', '20240102000000', '20240103000000'];
const DBMATE = fileURLToPath(new URL('../../node_modules/.bin/dbmate', import.meta.url));

async function recordedVersions(pool: ConnectionPool): Promise<string[]> {
  const { rows } = await pool
    .writer()
    .query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((row) => row.version);
}

describe('loadMigrations', () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch !== undefined) {
      await rm(scratch, { recursive: true, force: true });
      scratch = undefined;
    }
  });

  it('reads the .sql files in file name order and ignores other files', async () => {
    const migrations = await loadMigrations(ACCOUNTS);
    expect(migrations.map((migration) => migration.version)).toEqual(ACCOUNT_VERSIONS);
    expect(migrations.map((migration) => migration.transaction)).toEqual([true, true, false]);
    expect(await loadMigrations(fixtureMigrationsDir('empty'))).toEqual([]);
  });

  it('rejects a .sql file whose name is not <version>_<name>.sql, naming it', async () => {
    await expect(loadMigrations(fixtureMigrationsDir('invalid-name'))).rejects.toThrow(
      /Migration create_things\.sql: the file name must be/,
    );
  });

  it('rejects a file with statements before its up section, naming it', async () => {
    await expect(loadMigrations(fixtureMigrationsDir('statements-before-up'))).rejects.toThrow(
      /Migration 20240101000000_early_statement\.sql: statements before/,
    );
  });

  it('rejects two files with the same version', async () => {
    scratch = await mkdtemp(join(tmpdir(), 'migrations-'));
    const body = '-- migrate:up\nSELECT 1;\n-- migrate:down\n';
    await writeFile(join(scratch, '5_first.sql'), body);
    await writeFile(join(scratch, '5_second.sql'), body);
    const load = loadMigrations(scratch);
    await expect(load).rejects.toBeInstanceOf(MigrationFileError);
    await expect(load).rejects.toThrow('Migration 5_second.sql: version 5 is also used by 5_first.sql');
  });

  it('rejects a directory that does not exist', async () => {
    await expect(loadMigrations(join(tmpdir(), 'no-such-migrations-dir'))).rejects.toThrow(/cannot be read/);
  });
});

describeEachDatabase(
  'applyMigrations',
  { migrationsDir: fixtureMigrationsDir('empty'), isolation: 'test' },
  (db) => {
    it('applies pending migrations in order, records each, logs each, and returns their versions', async () => {
      const logged: object[] = [];
      const logger: DatabaseLogger = { info: (fields) => logged.push(fields), warn: () => undefined };
      const applied = await applyMigrations(db.pool, await loadMigrations(ACCOUNTS), { logger });
      expect(applied).toEqual(ACCOUNT_VERSIONS);
      expect(await recordedVersions(db.pool)).toEqual(ACCOUNT_VERSIONS);
      expect(logged).toMatchObject(ACCOUNT_VERSIONS.map((version) => ({ version })));
      expect(
        logged.every((fields) => typeof (fields as { durationMs?: unknown }).durationMs === 'number'),
      ).toBe(true);
      const { rows } = await db.pool
        .writer()
        .query("SELECT indexname FROM pg_indexes WHERE indexname = 'notes_account_id_idx'");
      expect(rows).toHaveLength(1);
    });

    it('applies nothing the second time', async () => {
      const migrations = await loadMigrations(ACCOUNTS);
      await applyMigrations(db.pool, migrations);
      expect(await applyMigrations(db.pool, migrations)).toEqual([]);
      expect(await recordedVersions(db.pool)).toEqual(ACCOUNT_VERSIONS);
    });

    it('applies only what is missing when an earlier run got part of the way', async () => {
      const migrations = await loadMigrations(ACCOUNTS);
      await applyMigrations(db.pool, migrations.slice(0, 1));
      expect(await applyMigrations(db.pool, migrations)).toEqual(ACCOUNT_VERSIONS.slice(1));
    });

    it('applies each migration exactly once when two runners start together', async () => {
      const migrations = await loadMigrations(ACCOUNTS);
      const [first, second] = await Promise.all([
        applyMigrations(db.pool, migrations),
        applyMigrations(db.pool, migrations),
      ]);
      expect([...first, ...second].sort()).toEqual(ACCOUNT_VERSIONS);
      expect(await recordedVersions(db.pool)).toEqual(ACCOUNT_VERSIONS);
    });

    it('rolls back a failing migration with its version row, keeps the ones before, and names the file', async () => {
      const outcome = applyMigrations(db.pool, await loadMigrations(fixtureMigrationsDir('failing')));
      await expect(outcome).rejects.toThrow(/^Migration 20230102000000_bad\.sql failed: .*no_such_table/);
      expect(await recordedVersions(db.pool)).toEqual(['20230101000000']);
      const { rows } = await db.pool
        .writer()
        .query("SELECT tablename FROM pg_tables WHERE tablename IN ('good', 'half_done') ORDER BY tablename");
      expect(rows).toEqual([{ tablename: 'good' }]);
      // The lock went with the failure: the next run is not blocked.
      expect(await applyMigrations(db.pool, await loadMigrations(ACCOUNTS))).toEqual(ACCOUNT_VERSIONS);
    });
  },
);

describePostgres(
  'applyMigrations across processes',
  { migrationsDir: fixtureMigrationsDir('empty'), isolation: 'test' },
  (db) => {
    // Also a regression test: waiting inside pg_advisory_lock deadlocked with CREATE INDEX CONCURRENTLY.
    it('applies each migration exactly once when two pools migrate the same database together', async () => {
      const migrations = await loadMigrations(ACCOUNTS);
      const [first, second] = await Promise.all([
        applyMigrations(db.createPool({ max: 1 }), migrations),
        applyMigrations(db.createPool({ max: 1 }), migrations),
      ]);
      expect([...first, ...second].sort()).toEqual(ACCOUNT_VERSIONS);
      expect(await recordedVersions(db.pool)).toEqual(ACCOUNT_VERSIONS);
    });

    it('waits while another session holds the migration lock, then applies', async () => {
      const migrations = await loadMigrations(ACCOUNTS);
      const blocker = db.createPool({ max: 1 });
      let waiting: Promise<string[]> | undefined;
      await blocker.withConnection(async (session) => {
        await session.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        waiting = applyMigrations(db.pool, migrations);
        // While the lock is held elsewhere the runner must not have recorded anything.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await recordedVersions(db.pool)).toEqual([]);
      });
      expect(await waiting).toEqual(ACCOUNT_VERSIONS);
    });

    it('leaves nothing pending for dbmate', async () => {
      await applyMigrations(db.pool, await loadMigrations(ACCOUNTS));
      const { stdout } = await dbmate(db.url, ['status', '--exit-code']);
      expect(stdout).toContain('Applied: 3');
      expect(stdout).toContain('Pending: 0');
    });

    it('finds nothing to apply after dbmate up', async () => {
      await dbmate(db.url, ['up']);
      expect(await recordedVersions(db.pool)).toEqual(ACCOUNT_VERSIONS);
      expect(await applyMigrations(db.pool, await loadMigrations(ACCOUNTS))).toEqual([]);
    });

    it('creates schema_migrations with the same definition as dbmate', async () => {
      const definition = async (pool: ConnectionPool) =>
        (
          await pool.writer().query(`
          SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                 (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary) AS primary_keys
          FROM pg_attribute a
          WHERE a.attrelid = 'schema_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped`)
        ).rows;
      await applyMigrations(db.pool, []);
      const ours = await definition(db.pool);
      await db.pool.writer().query('DROP TABLE schema_migrations');
      await dbmate(db.url, ['up']);
      expect(await definition(db.pool)).toEqual(ours);
      expect(ours).toEqual([
        { column: 'version', type: 'character varying', not_null: true, primary_keys: 1 },
      ]);
    });
  },
);

async function dbmate(url: string, args: string[]): Promise<{ stdout: string }> {
  const withSslMode = new URL(url);
  withSslMode.searchParams.set('sslmode', 'disable');
  return promisify(execFile)(
    DBMATE,
    ['--url', withSslMode.toString(), '--migrations-dir', ACCOUNTS, '--no-dump-schema', ...args],
    { env: { PATH: process.env.PATH ?? '' } },
  );
}

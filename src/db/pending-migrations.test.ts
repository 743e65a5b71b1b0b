import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { DEFAULT_MIGRATIONS_DIR, fixtureMigrationsDir } from '../../test/database/test-migrations.ts';
import { applyMigrations, loadMigrations } from './migrations.ts';
import { pendingMigrations, pendingMigrationsCheck } from './pending-migrations.ts';

describeEachDatabase(
  'pending migrations of a database that has none applied',
  { migrationsDir: fixtureMigrationsDir('empty') },
  (db) => {
    it('are all of them, found without creating anything; then fewer as they are applied', async () => {
      const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR);
      expect(migrations.length).toBeGreaterThan(1);
      const check = pendingMigrationsCheck(db.pool, migrations);

      expect(await pendingMigrations(db.pool.writer(), migrations)).toEqual(migrations);
      expect(await check()).toEqual(migrations.map((migration) => migration.fileName));

      await applyMigrations(db.pool, migrations.slice(0, 1));
      expect(await check()).toEqual(migrations.slice(1).map((migration) => migration.fileName));

      await applyMigrations(db.pool, migrations);
      expect(await check()).toEqual([]);
      expect(await pendingMigrations(db.pool.writer(), migrations)).toEqual([]);
    });
  },
);

describeEachDatabase('pending migrations of a migrated database', (db) => {
  it('are none, and the check asks the database only until it has seen none', async () => {
    const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR);
    let queries = 0;
    const counting = {
      writer: () => ({
        query: ((sql: string, params?: readonly unknown[]) => {
          queries += 1;
          return db.pool.writer().query(sql, params);
        }) as ReturnType<typeof db.pool.writer>['query'],
      }),
      reader: () => db.pool.reader(),
    };
    const check = pendingMigrationsCheck(counting, migrations);
    expect(await check()).toEqual([]);
    const asked = queries;
    expect(asked).toBeGreaterThan(0);
    expect(await check()).toEqual([]);
    expect(queries).toBe(asked);
  });
});

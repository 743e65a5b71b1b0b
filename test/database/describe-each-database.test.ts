import { randomUUID } from 'node:crypto';

import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { pidOfFinishedProcess } from './child-process.ts';
import { describeEachDatabase, describePostgres } from './describe-each-database.ts';
import { PostgresTestServer } from './postgres-test-server.ts';
import { assertTestDatabaseName, newTestDatabaseName, ownerPid } from './test-database-names.ts';
import { fixtureMigrationsDir } from './test-migrations.ts';

describe('test database names', () => {
  it.each([
    'postgres',
    'template1',
    'nbt_test',
    'NBT_TEST_1_a',
    'nbt_test_1_a"; DROP DATABASE x; --',
    `nbt_test_${'x'.repeat(60)}`,
  ])('refuses %j', (name) => {
    expect(() => assertTestDatabaseName(name)).toThrow(/Refusing to create or drop/);
  });

  it('names a new database after this process', () => {
    const name = newTestDatabaseName();
    expect(name).toMatch(/^nbt_test_\d+_[0-9a-f]{8}$/);
    expect(ownerPid(name)).toBe(process.pid);
    expect(ownerPid('nbt_test_template_0123456789abcdef')).toBeUndefined();
  });
});

const server = PostgresTestServer.fromEnvironment();

describe.runIf(server !== undefined)('the PostgreSQL test server', () => {
  const admin = server as PostgresTestServer;

  it('refuses to drop a database that is not a test database, before touching the server', async () => {
    await expect(admin.dropDatabase('postgres')).rejects.toThrow(
      /Refusing to create or drop database "postgres"/,
    );
  });

  it('drops the databases of test processes that are gone, and only those', async () => {
    const deadPid = await pidOfFinishedProcess();
    const orphan = `nbt_test_${deadPid}_orphan`;
    const mine = newTestDatabaseName();
    const client = new pg.Client({ connectionString: admin.adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${orphan}"`);
      await client.query(`CREATE DATABASE "${mine}"`);
      expect(await admin.dropLeftovers()).toContain(orphan);
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname',
        [[orphan, mine]],
      );
      expect(rows).toEqual([{ datname: mine }]);
    } finally {
      await client.query(`DROP DATABASE IF EXISTS "${orphan}"`);
      await client.query(`DROP DATABASE IF EXISTS "${mine}"`);
      await client.end();
    }
  });
});

describeEachDatabase('a suite database', { migrationsDir: fixtureMigrationsDir('accounts') }, (db) => {
  let collectionError: unknown;
  try {
    void db.pool;
  } catch (error) {
    collectionError = error;
  }

  it('is not there while the suite is collected', () => {
    expect(collectionError).toBeInstanceOf(Error);
    expect((collectionError as Error).message).toMatch(/only inside tests and hooks/);
  });

  it('is migrated with the suite migrations', async () => {
    const { rows } = await db.pool.writer().query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: '20240101000000' },
      { version: '20240102000000' },
      { version: '20240103000000' },
    ]);
  });

  it('is shared by the tests of the suite', async () => {
    await db.pool
      .writer()
      .query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [randomUUID(), 'shared@example.com']);
    const { rowCount } = await db.pool
      .writer()
      .query("SELECT 1 FROM accounts WHERE email = 'shared@example.com'");
    expect(rowCount).toBe(1);
  });

  it('still holds what an earlier test of the suite wrote', async () => {
    const { rowCount } = await db.pool
      .writer()
      .query("SELECT 1 FROM accounts WHERE email = 'shared@example.com'");
    expect(rowCount).toBe(1);
  });
});

describeEachDatabase(
  'a database per test',
  { migrationsDir: fixtureMigrationsDir('accounts'), isolation: 'test' },
  (db) => {
    it('is written by one test', async () => {
      await db.pool
        .writer()
        .query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [randomUUID(), 'once@example.com']);
      expect((await db.pool.writer().query('SELECT 1 FROM accounts')).rowCount).toBe(1);
    });

    it('is fresh in the next', async () => {
      expect((await db.pool.writer().query('SELECT 1 FROM accounts')).rowCount).toBe(0);
    });
  },
);

describePostgres('a PostgreSQL suite database', (db) => {
  it('has a name with the test prefix and this process id, and a URL dbmate can use', async () => {
    expect(ownerPid(db.endpoint.database)).toBe(process.pid);
    expect(db.url).toMatch(new RegExp(`/${db.endpoint.database}$`));
    const { rows } = await db.pool.writer().query<{ name: string }>('SELECT current_database() AS name');
    expect(rows[0]?.name).toBe(db.endpoint.database);
  });
});

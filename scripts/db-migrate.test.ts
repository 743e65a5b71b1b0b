import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../src/db/migrations.ts';
import { describePostgres } from '../test/database/describe-each-database.ts';
import { databaseUrl } from './database-url.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EMPTY = fileURLToPath(new URL('../test/fixtures/migrations/empty', import.meta.url));

/** Runs `npm run db:migrate` as a new user would, with only the given environment. */
async function dbMigrate(env: Record<string, string>, ...command: string[]) {
  const processEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/db-migrate.ts', ...command],
      {
        cwd: ROOT,
        env: processEnv,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('databaseUrl', () => {
  it('percent-encodes credentials and brackets IPv6 hosts', () => {
    expect(
      databaseUrl(
        { host: '::1', port: 5433, user: 'app user', password: 'p@ss/word', database: 'db' },
        { mode: 'verify-full', rootCertPath: '/etc/ca.pem' },
      ),
    ).toBe(
      'postgres://app%20user:p%40ss%2Fword@[::1]:5433/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem',
    );
  });
});

describe('npm run db:migrate', () => {
  it('refuses to run without a real database, explaining embedded mode', async () => {
    const result = await dbMigrate({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('set POSTGRES_PRIMARY_HOST');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a bad variable', async () => {
    const result = await dbMigrate({ POSTGRES_PRIMARY_HOST: 'db', POSTGRES_PRIMARY_PORT: 'x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('POSTGRES_PRIMARY_PORT: must be an integer');
  });
});

describePostgres('npm run db:migrate on a real database', { migrationsDir: EMPTY }, (db) => {
  function envOf(): Record<string, string> {
    const { host, port, user, database } = db.endpoint;
    return {
      POSTGRES_PRIMARY_HOST: host,
      POSTGRES_PRIMARY_PORT: String(port),
      POSTGRES_PRIMARY_USER: user,
      POSTGRES_PRIMARY_DATABASE: database,
    };
  }

  it('applies migrations/ with dbmate, recorded so that the service has nothing left to apply', async () => {
    const result = await dbMigrate(envOf());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { rows } = await db.pool
      .writer()
      .query<{ version: string }>('SELECT version FROM schema_migrations');
    const expected = (await loadMigrations(`${ROOT}migrations`)).map((migration) => migration.version);
    expect(rows.map((row) => row.version).sort()).toEqual(expected.sort());
    await expect(db.pool.writer().query('SELECT count(*) FROM profiles')).resolves.toBeDefined();
    await expect(applyMigrations(db.pool, await loadMigrations(`${ROOT}migrations`))).resolves.toEqual([]);

    const status = await dbMigrate(envOf(), 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Pending: 0');
  });

  it("fails with dbmate's exit code when the database cannot be reached", async () => {
    const result = await dbMigrate({ ...envOf(), POSTGRES_PRIMARY_PORT: '1' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/connect|refused/i);
  });
});

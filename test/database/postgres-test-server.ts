import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';

import { applyMigrations } from '../../src/db/migrations.ts';
import { createPostgresPool } from '../../src/db/postgres/create-postgres-pool.ts';
import type { PostgresEndpoint } from '../../src/db/postgres/postgres-pool-options.ts';
import { isProcessRunning } from '../../src/platform/process-running.ts';
import {
  assertTestDatabaseName,
  newTestDatabaseName,
  ownerPid,
  TEST_DATABASE_PREFIX,
  templateBuildName,
  templateDatabaseName,
} from './test-database-names.ts';
import type { TestMigrations } from './test-migrations.ts';

const OBJECT_IN_USE = '55006';

/**
 * The real PostgreSQL server named by TEST_DATABASE_URL (an admin connection that may create
 * databases). Migrations run once into a template database; every suite gets a copy.
 */
export class PostgresTestServer {
  readonly adminUrl: string;
  readonly #admin: URL;

  constructor(adminUrl: string) {
    this.adminUrl = adminUrl;
    this.#admin = new URL(adminUrl);
  }

  /** The server from TEST_DATABASE_URL, or undefined when it is not set. */
  static fromEnvironment(): PostgresTestServer | undefined {
    const url = process.env.TEST_DATABASE_URL;
    return url === undefined || url === '' ? undefined : new PostgresTestServer(url);
  }

  endpoint(database: string): PostgresEndpoint {
    return {
      host: this.#admin.hostname,
      port: this.#admin.port === '' ? 5432 : Number(this.#admin.port),
      user: decodeURIComponent(this.#admin.username),
      password: this.#admin.password === '' ? undefined : decodeURIComponent(this.#admin.password),
      database,
    };
  }

  url(database: string): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  }

  /** The template holding these migrations, built (once, under a lock) if no run has built it yet. */
  async ensureTemplate({ migrations, fingerprint }: TestMigrations): Promise<string> {
    const template = templateDatabaseName(fingerprint);
    return this.#withAdmin(async (admin) => {
      // Other test processes may be building the same template right now.
      await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
      try {
        if (await databaseExists(admin, template)) {
          return template;
        }
        const build = templateBuildName(fingerprint);
        await admin.query(`DROP DATABASE IF EXISTS "${build}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${build}"`);
        const pool = createPostgresPool({ writer: this.endpoint(build), max: 1 });
        try {
          await applyMigrations(pool, migrations);
        } finally {
          await pool.close();
        }
        // The migrating session may take a moment to leave after the pool closed.
        await whileInUse(() => admin.query(`ALTER DATABASE "${build}" RENAME TO "${template}"`));
        return template;
      } finally {
        await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
      }
    });
  }

  /** A new database copied from `template`, named for this process. */
  async createDatabase(template: string): Promise<string> {
    const name = newTestDatabaseName();
    assertTestDatabaseName(template);
    await this.#withAdmin((admin) =>
      whileInUse(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)),
    );
    return name;
  }

  async dropDatabase(name: string): Promise<void> {
    assertTestDatabaseName(name);
    await this.#withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }

  /** Drops the databases of test processes that are gone (killed, crashed); returns their names. */
  async dropLeftovers(): Promise<string[]> {
    const names = await this.#withAdmin(async (admin) => {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
        [TEST_DATABASE_PREFIX],
      );
      return rows.map((row) => row.datname);
    });
    const dead = names.filter((name) => {
      const pid = ownerPid(name);
      return pid !== undefined && !isProcessRunning(pid);
    });
    for (const name of dead) {
      await this.dropDatabase(name);
    }
    return dead;
  }

  async #withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
    const admin = new pg.Client({ connectionString: this.adminUrl, application_name: 'test-harness' });
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.end();
    }
  }
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

/** CREATE DATABASE ... TEMPLATE and RENAME fail while a session is still connected to the source. */
async function whileInUse<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: unknown }).code !== OBJECT_IN_USE || attempt >= 50) {
        throw error;
      }
      await sleep(100);
    }
  }
}

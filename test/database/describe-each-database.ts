import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';

import {
  createPgliteConnection,
  type PgliteConnection,
} from '../../src/db/pglite/create-pglite-connection.ts';
import {
  createPostgresPool,
  type PostgresConnectionPool,
} from '../../src/db/postgres/create-postgres-pool.ts';
import type { PostgresEndpoint, PostgresPoolOptions } from '../../src/db/postgres/postgres-pool-options.ts';
import { pgliteSnapshot } from './pglite-snapshots.ts';
import { PostgresTestServer } from './postgres-test-server.ts';
import { loadTestMigrations } from './test-migrations.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseSuiteOptions {
  /** Migrations to apply; the repository's migrations/ by default. */
  migrationsDir?: string;
  /** `suite` (default): one database for the whole describe block. `test`: a fresh one for every test. */
  isolation?: 'suite' | 'test';
}

export interface PgliteTestDatabase {
  readonly kind: 'pglite';
  /** A migrated database of its own; available in hooks and tests. */
  readonly pool: PgliteConnection;
}

export interface PostgresTestDatabase {
  readonly kind: 'postgres';
  /** A migrated database of its own; available in hooks and tests. */
  readonly pool: PostgresConnectionPool;
  /** Where that database is, for tests that build pools of their own. */
  readonly endpoint: PostgresEndpoint;
  /** The same as a postgres:// URL (for dbmate). */
  readonly url: string;
  /**
   * Another pool on the same database (readers, timeouts, sizes of the test's choosing); closed when
   * the database is.
   */
  createPool(options?: Partial<PostgresPoolOptions>): PostgresConnectionPool;
}

export type TestDatabase = PgliteTestDatabase | PostgresTestDatabase;

type SuiteBody<Database> = (db: Database) => void;

/** `(title, body)` or `(title, options, body)`, like vitest's describe with a database added. */
export interface DescribeWithDatabase<Database> {
  (title: string, body: SuiteBody<Database>): void;
  (title: string, options: DatabaseSuiteOptions, body: SuiteBody<Database>): void;
}

function withOptionalOptions<Database>(
  define: (title: string, options: DatabaseSuiteOptions, body: SuiteBody<Database>) => void,
): DescribeWithDatabase<Database> {
  return (
    title: string,
    optionsOrBody: DatabaseSuiteOptions | SuiteBody<Database>,
    maybeBody?: SuiteBody<Database>,
  ) => {
    if (typeof optionsOrBody === 'function') {
      define(title, {}, optionsOrBody);
    } else if (maybeBody === undefined) {
      throw new TypeError(`${title}: (title, options, body) without a body`);
    } else {
      define(title, optionsOrBody, maybeBody);
    }
  };
}

/** The suite on PGlite only. */
export const describePglite = withOptionalOptions<PgliteTestDatabase>((title, options, body) => {
  describe(`${title} [pglite]`, () => {
    let pool: PgliteConnection | undefined;
    let snapshot: Blob | undefined;
    const open = async (): Promise<void> => {
      snapshot ??= await pgliteSnapshot(await loadTestMigrations(options.migrationsDir));
      pool = await createPgliteConnection({ loadDataDir: snapshot });
    };
    const close = async (): Promise<void> => {
      await pool?.close();
      pool = undefined;
    };
    registerLifecycle(options, open, close);
    body({
      kind: 'pglite',
      get pool() {
        return available(pool);
      },
    });
  });
});

/** The suite on real PostgreSQL only (reader routing, pool limits, concurrency between sessions). */
export const describePostgres = withOptionalOptions<PostgresTestDatabase>((title, options, body) => {
  const server = PostgresTestServer.fromEnvironment();
  if (server === undefined) {
    describe.skip(`${title} [postgres: set TEST_DATABASE_URL to run]`, () => {
      body(unavailablePostgres);
    });
    return;
  }
  describe(`${title} [postgres]`, () => {
    let database: string | undefined;
    let pool: PostgresConnectionPool | undefined;
    let extraPools: PostgresConnectionPool[] = [];
    let template: string | undefined;
    const open = async (): Promise<void> => {
      template ??= await server.ensureTemplate(await loadTestMigrations(options.migrationsDir));
      database = await server.createDatabase(template);
      pool = createPostgresPool(testPoolOptions(server.endpoint(database)));
    };
    const close = async (): Promise<void> => {
      const pools = pool === undefined ? extraPools : [pool, ...extraPools];
      await Promise.all(pools.map((each) => each.close()));
      pool = undefined;
      extraPools = [];
      if (database !== undefined) {
        await server.dropDatabase(database);
        database = undefined;
      }
    };
    registerLifecycle(options, open, close);
    body({
      kind: 'postgres',
      get pool() {
        return available(pool);
      },
      get endpoint() {
        return server.endpoint(available(database));
      },
      get url() {
        return server.url(available(database));
      },
      createPool(overrides = {}) {
        const extra = createPostgresPool({
          ...testPoolOptions(server.endpoint(available(database))),
          ...overrides,
        });
        extraPools.push(extra);
        return extra;
      },
    });
  });
});

/**
 * Defines the suite twice: on PGlite, and on the real PostgreSQL of TEST_DATABASE_URL (skipped, and
 * marked so in its title, when that is not set). Each run gets its own migrated database.
 *
 *   describeEachDatabase('profile store', (db) => {
 *     it('saves', async () => { await db.pool.writer().query('...') });
 *   });
 */
export const describeEachDatabase = withOptionalOptions<TestDatabase>((title, options, body) => {
  describePglite(title, options, body);
  describePostgres(title, options, body);
});

function testPoolOptions(writer: PostgresEndpoint): PostgresPoolOptions {
  // Small pools: the server is shared by every test process.
  return { writer, max: 4, connectionTimeoutMs: 5_000, statementTimeoutMs: 20_000, applicationName: 'test' };
}

function registerLifecycle(
  options: DatabaseSuiteOptions,
  open: () => Promise<void>,
  close: () => Promise<void>,
): void {
  if (options.isolation === 'test') {
    beforeEach(open);
    afterEach(close);
  } else {
    beforeAll(open);
    afterAll(close);
  }
}

function available<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new Error('The test database exists only inside tests and hooks, not while the suite is collected');
  }
  return value;
}

const unavailablePostgres: PostgresTestDatabase = {
  kind: 'postgres',
  get pool(): PostgresConnectionPool {
    return available<PostgresConnectionPool>(undefined);
  },
  get endpoint(): PostgresEndpoint {
    return available<PostgresEndpoint>(undefined);
  },
  get url(): string {
    return available<string>(undefined);
  },
  createPool: () => available<PostgresConnectionPool>(undefined),
};

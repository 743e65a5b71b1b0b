// The service on a real PostgreSQL that nobody has migrated yet: it says which database it uses and
// which migrations are missing, and answers /readyz with 503 until they are applied, instead of
// reporting ready and failing requests with "relation does not exist".
import { expect, it } from 'vitest';
import { describePostgres } from './database/describe-each-database.ts';
import { DEFAULT_MIGRATIONS_DIR, fixtureMigrationsDir } from './database/test-migrations.ts';
import { runToExit, startService } from './telemetry/service-process.ts';
import { TEST_AUTH_ENV } from './support/test-auth.ts';
import { TEST_PAYMENT_ENV } from './support/test-payment.ts';
import { applyMigrations, loadMigrations } from '../src/db/migrations.ts';

const PASSWORD = 'a-password-that-must-never-be-logged';

describePostgres(
  'the service on a database without its migrations',
  { migrationsDir: fixtureMigrationsDir('empty') },
  (db) => {
    const databaseEnv = () => ({
      ...TEST_PAYMENT_ENV,
      POSTGRES_PRIMARY_HOST: db.endpoint.host,
      POSTGRES_PRIMARY_PORT: String(db.endpoint.port),
      POSTGRES_PRIMARY_USER: db.endpoint.user,
      POSTGRES_PRIMARY_DATABASE: db.endpoint.database,
      // The test server trusts local logins, so any password is accepted (and must stay unlogged).
      POSTGRES_PRIMARY_PASSWORD: PASSWORD,
      HMAC_SECRET: 'h'.repeat(48),
      MIGRATIONS_DIR: DEFAULT_MIGRATIONS_DIR,
      OTEL_SDK_DISABLED: 'true',
      // A busy test machine must not turn /readyz into "overloaded".
      LOAD_SHEDDING_ENABLED: 'false',
    });

    it('refuses to start with a bootstrap client, which it could not store', async () => {
      const run = await runToExit({ env: { ...TEST_AUTH_ENV, ...databaseEnv(), PORT: '0' } });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain('migrations pending (');
      expect(run.output).toContain('run npm run db:migrate first');
      expect(run.output).not.toContain(PASSWORD);
    }, 120_000);

    it('starts, names the database and the pending migrations, and is ready only once they are applied', async () => {
      const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR);
      const service = await startService({
        env: { ...databaseEnv(), AUTH_BOOTSTRAP_CLIENT_ID: '', AUTH_BOOTSTRAP_CLIENT_SECRET: '' },
      });
      try {
        const lines = service.logLines();
        expect(lines.find((line) => line.msg === 'using PostgreSQL')).toMatchObject({
          primary: {
            host: db.endpoint.host,
            port: db.endpoint.port,
            database: db.endpoint.database,
            user: db.endpoint.user,
          },
          replicas: [],
        });
        expect(lines.find((line) => String(line.msg).startsWith('migrations pending'))).toMatchObject({
          level: 40,
          pending: migrations.map((migration) => migration.fileName),
        });

        const notReady = await fetch(`${service.url}/readyz`);
        expect(notReady.status).toBe(503);
        const problem = (await notReady.json()) as { detail: string };
        expect(problem.detail).toBe(
          `Migrations pending: ${migrations.map((migration) => migration.fileName).join(', ')}.`,
        );

        await applyMigrations(db.pool, migrations);
        const ready = await fetch(`${service.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(service.output()).not.toContain(PASSWORD);
      } finally {
        await service.stop();
      }
    }, 120_000);
  },
);

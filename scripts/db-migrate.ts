// `npm run db:migrate [-- <dbmate command>]`: applies migrations/ to the configured PostgreSQL primary
// with dbmate (default command `up`; `status`, `rollback` and the rest pass through). Embedded mode
// needs no command: the service migrates its own database at start.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ConfigIssue } from '../src/config/config-error.ts';
import { readPostgresEndpoints } from '../src/config/postgres-config.ts';
import { readEnvironment } from '../src/config/read-environment.ts';
import { databaseUrl } from './database-url.ts';

const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

function fail(message: string): never {
  process.stderr.write(`db:migrate: ${message}\n`);
  process.exit(1);
}

const env = readEnvironment(process.env);
const issues: ConfigIssue[] = [];
const endpoints = readPostgresEndpoints(
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  issues,
);
if (issues.length > 0) fail(issues.map((issue) => `${issue.variable}: ${issue.message}`).join('\n  '));
if (!endpoints) {
  fail(
    'set POSTGRES_PRIMARY_HOST (and the other POSTGRES_PRIMARY_* variables) to migrate a real PostgreSQL; ' +
      'the embedded database applies migrations itself when the service starts',
  );
}
const sslMode = env.POSTGRES_SSLMODE || 'disable';
if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
  fail(`POSTGRES_SSLMODE: must be one of ${SSL_MODES.join(', ')} (got "${sslMode}")`);
}

const dbmateCli = join(
  dirname(createRequire(import.meta.url).resolve('dbmate/package.json')),
  'dist',
  'cli.js',
);
const command = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [
    dbmateCli,
    '--no-dump-schema',
    '--migrations-dir',
    env.MIGRATIONS_DIR || 'migrations',
    ...(command.length ? command : ['up']),
  ],
  {
    stdio: 'inherit',
    // The URL travels in the environment, not the command line, so `ps` never shows the password.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(endpoints.primary, {
        mode: sslMode as (typeof SSL_MODES)[number],
        rootCertPath: env.POSTGRES_SSL_ROOT_CERT,
      }),
    },
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

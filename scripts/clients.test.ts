// `npm run clients` as a process: create, list, revoke on the embedded database and on PostgreSQL,
// usage errors and exit codes, and a clear refusal while another process holds the embedded database.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteConnection } from '../src/db/pglite/create-pglite-connection.ts';
import { describePostgres } from '../test/database/describe-each-database.ts';
import { TEST_HMAC_SECRET, buildTestApp } from '../test/support/test-app.ts';
import { obtainToken, TEST_SIGNING_KEY } from '../test/support/test-auth.ts';
import { TEST_PAYMENT_ENV } from '../test/support/test-payment.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function clients(env: Record<string, string>, ...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/clients.ts', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function createdClient(result: Result): { id: string; secret: string } {
  expect(result.code, result.stderr).toBe(0);
  const id = /client_id: +(\S+)/.exec(result.stdout)?.[1];
  const secret = /client_secret: +(\S+)/.exec(result.stdout)?.[1];
  expect(id).toBeDefined();
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { id: id!, secret: secret! };
}

describe('npm run clients: usage', () => {
  it.each([
    [[], 'no command'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['create', '--scopes', 'profile.read'], 'create needs --name'],
    [['create', '--name', 'x'], 'create needs --scopes'],
    [['create', '--name', 'x', '--scopes', 'profile.read', '--colour', 'red'], "Unknown option '--colour'"],
    [['revoke'], 'revoke needs exactly one client id'],
    [['list', 'extra'], 'list takes no arguments'],
  ])('%j: exit 2 with the reason and the usage', async (args, reason) => {
    const result = await clients({ DATA_DIR: '/nonexistent/never-opened' }, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('usage: npm run clients');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

// Each command is a process that opens the embedded database and brings it up to date: a few seconds
// each on a busy machine, so these tests get a wider limit than the default 30 s (a limit, not a timing
// under test).
describe('npm run clients on the embedded database', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clients-cli-'));
  const env = { DATA_DIR: dataDir, MIGRATIONS_DIR: join(ROOT, 'migrations') };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates (secret printed once), lists without secrets, revokes', async () => {
    const created = createdClient(
      await clients(env, 'create', '--name', 'billing job', '--scopes', 'profile.read'),
    );

    const listed = await clients(env, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${created.id}\tbilling job\tprofile.read\t`);
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).not.toContain(created.secret);

    const revoked = await clients(env, 'revoke', created.id);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${created.id}\n` });
    expect((await clients(env, 'list')).stdout).toMatch(/\trevoked \d{4}-/);
  });

  it('--json prints one JSON document per command on stdout, for scripts', async () => {
    const created = await clients(
      env,
      'create',
      '--json',
      '--name',
      'nightly export',
      '--scopes',
      'profile.read profile.write',
    );
    expect(created.code, created.stderr).toBe(0);
    const client = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(client).toEqual({
      client_id: expect.any(String),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      name: 'nightly export',
      scopes: ['profile.read', 'profile.write'],
    });

    const listed = await clients(env, 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(entries).toContainEqual({
      client_id: client.client_id,
      name: 'nightly export',
      scopes: ['profile.read', 'profile.write'],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      revoked_at: null,
    });
    expect(listed.stdout).not.toContain(String(client.client_secret));

    const revoked = await clients(env, 'revoke', String(client.client_id), '--json');
    expect(JSON.parse(revoked.stdout)).toEqual({ client_id: client.client_id, revoked: true });
    const after = JSON.parse((await clients(env, 'list', '--json')).stdout) as {
      client_id: string;
      revoked_at: string | null;
    }[];
    expect(after.find((entry) => entry.client_id === client.client_id)?.revoked_at).toMatch(/^\d{4}-/);
  }, 120_000);

  it('exit 1 for an unknown client to revoke, exit 2 for an unknown scope', async () => {
    const unknown = await clients(env, 'revoke', 'no-such-client');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no client no-such-client');
    const badScope = await clients(env, 'create', '--name', 'x', '--scopes', 'profile.admin');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('unknown scope(s): profile.admin');
  });

  it('refuses clearly while another process (the service) has the database open', async () => {
    const held = await createPgliteConnection({
      dataDir: join(dataDir, 'pglite'),
      logger: pino({ level: 'silent' }),
    });
    try {
      const result = await clients(env, 'list');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'the embedded database is open in another process (stop the service first)',
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await held.close();
    }
  });
});

describePostgres('npm run clients on PostgreSQL', (db) => {
  it('creates a client whose secret gets tokens from the service, until it is revoked', async () => {
    const { host, port, user, password, database } = db.endpoint;
    const env = {
      POSTGRES_PRIMARY_HOST: host,
      POSTGRES_PRIMARY_PORT: String(port),
      POSTGRES_PRIMARY_USER: user,
      POSTGRES_PRIMARY_PASSWORD: password ?? '',
      POSTGRES_PRIMARY_DATABASE: database,
      HMAC_SECRET: TEST_HMAC_SECRET,
      AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
      ...TEST_PAYMENT_ENV,
    };
    const created = createdClient(
      await clients(env, 'create', '--name', 'report job', '--scopes', 'profile.read profile.write'),
    );
    const app = await buildTestApp(db.pool);
    try {
      expect(await obtainToken(app, created, 'profile.write')).toMatch(/^ey/);
      expect((await clients(env, 'revoke', created.id)).code).toBe(0);
      await expect(obtainToken(app, created)).rejects.toThrow(/invalid_client/);
    } finally {
      await app.close();
    }
  });
});

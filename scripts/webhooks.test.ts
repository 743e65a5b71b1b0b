// `npm run webhooks` as a process, on the embedded database and on PostgreSQL: dead-lettered events
// (paid charges whose events the relay's own store recorded as dead) listed, re-queued one by one and
// all at once; an unknown event, a wrong command line and an unreachable database each get a clear
// message and their exit code, never a stack.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionPool } from '../src/db/connection-pool.ts';
import { applyMigrations, loadMigrations } from '../src/db/migrations.ts';
import { createPgliteConnection } from '../src/db/pglite/create-pglite-connection.ts';
import { ChargeService } from '../src/payment/domain/charge-service.ts';
import { PixService } from '../src/payment/domain/pix-service.ts';
import { createSqlEventOutbox } from '../src/payment/persistence/sql-event-outbox.ts';
import { sqlPaymentEventLog } from '../src/payment/persistence/sql-payment-event-log.ts';
import { createSqlPaymentStore } from '../src/payment/persistence/sql-payment-store.ts';
import { systemClock } from '../src/platform/clock.ts';
import { uuidV7Generator } from '../src/platform/ids.ts';
import { describePostgres } from '../test/database/describe-each-database.ts';
import { testPaymentIds } from '../test/support/payment-test-ids.ts';
import { TEST_HMAC_SECRET } from '../test/support/test-app.ts';
import { TEST_SIGNING_KEY } from '../test/support/test-auth.ts';
import { TEST_PAYMENT_ENV } from '../test/support/test-payment.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OWNER = 'client-a';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** As `npm run webhooks -- <args>` runs it: through the operator launcher. */
async function webhooks(env: Record<string, string>, ...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/run-operator.js', 'webhooks', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const noStack = (result: Result) => expect(result.stderr).not.toMatch(/\n\s+at /);

/**
 * Pays `count` charges (one event each, in the outbox), then has the relay's store record every one
 * as given up on, as the relay does after a 410. Answers the event ids, oldest first.
 */
async function seedDeadEvents(db: ConnectionPool, count: number): Promise<string[]> {
  const deps = {
    db,
    storeOn: createSqlPaymentStore,
    eventsOn: sqlPaymentEventLog({ ids: uuidV7Generator, traceContext: () => undefined }),
    eventsCommitted: () => undefined,
    clock: systemClock,
    ids: testPaymentIds(),
    txTimeoutMs: 10_000,
    idempotencyTtlSeconds: 86_400,
    sandbox: true,
  };
  const charges = new ChargeService(deps);
  const pix = new PixService(deps);
  for (let n = 1; n <= count; n += 1) {
    const txid = `deadletter${String(n).padStart(20, '0')}`;
    await charges.createWithTxid(OWNER, txid, {
      originalCents: 100 * n,
      key: `receiver-${n}@example.com`,
      expiresInSeconds: 3600,
    });
    await pix.pay(OWNER, txid, {});
  }
  const outbox = createSqlEventOutbox(db.writer());
  const claimed = await outbox.claim(
    { holder: 'seed', now: new Date(), leaseMs: 60_000, limit: count },
    false,
  );
  expect(claimed).toHaveLength(count);
  for (const event of claimed) {
    const kept = await outbox.settle(
      event,
      'seed',
      { status: 'dead', error: 'answered 410' },
      true,
      new Date(),
    );
    expect(kept).toBe(true);
  }
  return claimed.sort((a, b) => a.sequence - b.sequence).map((event) => event.id);
}

interface OutboxState {
  status: string;
  attempts: number;
  requeues: number;
}

async function outboxStates(db: ConnectionPool): Promise<Map<string, OutboxState>> {
  const { rows } = await db
    .writer()
    .query<OutboxState & { event_id: string }>(
      'SELECT event_id, status, attempts, requeues FROM payment_event_outbox ORDER BY sequence',
    );
  return new Map(
    rows.map((row) => [row.event_id, { status: row.status, attempts: row.attempts, requeues: row.requeues }]),
  );
}

/**
 * The operator's round on a database holding three dead events: list, a wrong id, re-queue one, list
 * again as JSON, re-queue the rest; answers nothing, checks as it goes.
 */
async function operatorRound(env: Record<string, string>, ids: string[]): Promise<void> {
  const [first, second, third] = ids as [string, string, string];

  const listed = await webhooks(env, 'dead');
  expect(listed.code, listed.stderr).toBe(0);
  const lines = listed.stdout.trimEnd().split('\n');
  expect(lines.map((line) => line.split('\t')[0])).toEqual([first, second, third]);
  for (const [n, line] of lines.entries()) {
    const [, type, owner, key, attempts, diedAt, error] = line.split('\t');
    expect({ type, owner, key, attempts, error }).toEqual({
      type: 'pix.received',
      owner: OWNER,
      key: `receiver-${n + 1}@example.com`,
      attempts: '1',
      error: 'answered 410',
    });
    expect(diedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  }

  const unknown = randomUUID();
  const missing = await webhooks(env, 'retry', unknown);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(`webhooks: no dead event ${unknown}\n`);
  expect(missing.stdout).toBe('');

  expect(await webhooks(env, 'retry', second)).toMatchObject({ code: 0, stdout: 're-queued 1 event\n' });

  const json = await webhooks(env, 'dead', '--json');
  expect(json.code, json.stderr).toBe(0);
  const dead = JSON.parse(json.stdout) as { id: string; attempts: number; lastError: string }[];
  expect(dead.map((event) => event.id)).toEqual([first, third]);
  expect(dead[0]).toMatchObject({ attempts: 1, lastError: 'answered 410', endToEndId: expect.any(String) });

  const all = await webhooks(env, 'retry', '--all-dead', '--json');
  expect(all.code, all.stderr).toBe(0);
  expect(JSON.parse(all.stdout)).toEqual({ requeued: 2 });
}

describe('npm run webhooks: usage', () => {
  it.each([
    [[], 'no command'],
    [['bury'], 'unknown command "bury"'],
    [['dead', 'extra'], 'dead takes no arguments'],
    [['dead', '--colour'], "Unknown option '--colour'"],
    [['retry'], 'retry needs exactly one event id, or --all-dead'],
    [['retry', randomUUID(), '--all-dead'], 'retry needs exactly one event id, or --all-dead'],
    [['retry', 'not-an-id'], '"not-an-id" is not an event id'],
  ])('%j: exit 2 with the reason and the usage', async (args, reason) => {
    const result = await webhooks({ DATA_DIR: '/nonexistent/never-opened' }, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`webhooks: ${reason}`);
    expect(result.stderr).toContain('usage: npm run webhooks -- <command> [--json]');
    expect(result.stdout).toBe('');
    noStack(result);
  });

  it('exit 1 with the configuration problem, before touching any database', async () => {
    const result = await webhooks({ POSTGRES_PRIMARY_HOST: '127.0.0.1' }, 'dead');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webhooks: Invalid configuration/);
    expect(result.stderr).toContain('PIX_WEBHOOK_SIGNING_SECRET: is required with a real database');
    noStack(result);
  });
});

describe('npm run webhooks on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'webhooks-cli-'));
  const env = { DATA_DIR: dataDir, MIGRATIONS_DIR: join(ROOT, 'migrations') };
  const openDatabase = async () => {
    const db = await createPgliteConnection({ dataDir: join(dataDir, 'pglite') });
    await applyMigrations(db, await loadMigrations(env.MIGRATIONS_DIR));
    return db;
  };
  let ids: string[];

  beforeAll(async () => {
    const db = await openDatabase();
    try {
      ids = await seedDeadEvents(db, 3);
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the dead events, re-queues one, then all; refuses an unknown one', async () => {
    await operatorRound(env, ids);
    const db = await openDatabase();
    try {
      const states = await outboxStates(db);
      for (const id of ids) expect(states.get(id)).toEqual({ status: 'pending', attempts: 0, requeues: 1 });
    } finally {
      await db.close();
    }
  }, 120_000);
});

describePostgres('npm run webhooks on PostgreSQL', (db) => {
  let env: Record<string, string>;

  beforeAll(() => {
    const { host, port, user, password, database } = db.endpoint;
    env = {
      POSTGRES_PRIMARY_HOST: host,
      POSTGRES_PRIMARY_PORT: String(port),
      POSTGRES_PRIMARY_USER: user,
      POSTGRES_PRIMARY_PASSWORD: password ?? '',
      POSTGRES_PRIMARY_DATABASE: database,
      HMAC_SECRET: TEST_HMAC_SECRET,
      AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
      ...TEST_PAYMENT_ENV,
    };
  });

  it('lists the dead events, re-queues one, then all; refuses an unknown one', async () => {
    const ids = await seedDeadEvents(db.pool, 3);
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    await operatorRound(env, ids);
    const states = await outboxStates(db.pool);
    for (const id of ids) expect(states.get(id)).toEqual({ status: 'pending', attempts: 0, requeues: 1 });
  }, 120_000);

  it('says so when the database cannot be reached, exit 1', async () => {
    // A loopback port nobody listens on: taken, then released.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const result = await webhooks(
      { ...env, POSTGRES_PRIMARY_HOST: '127.0.0.1', POSTGRES_PRIMARY_PORT: String(port) },
      'dead',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('webhooks: database unreachable (ECONNREFUSED)\n');
    expect(result.stdout).toBe('');
    noStack(result);
  });
});

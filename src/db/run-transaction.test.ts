import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { expect, it } from 'vitest';

import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { fixtureMigrationsDir } from '../../test/database/test-migrations.ts';
import { DatabaseError, QueryTimeoutError, UniqueViolationError } from './errors.ts';
import type { Querier } from './querier.ts';

describeEachDatabase('transactions', { migrationsDir: fixtureMigrationsDir('accounts') }, (db) => {
  const insertAccount = (querier: Querier, email: string) =>
    querier.query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [randomUUID(), email]);
  const accountCount = async (email: string): Promise<number> => {
    const { rows } = await db.pool
      .writer()
      .query<{ count: number }>('SELECT count(*)::int AS count FROM accounts WHERE email = $1', [email]);
    return rows[0]?.count ?? -1;
  };
  /** The node-postgres writer pool is back to rest: nobody waiting, every open connection idle. */
  const expectWriterAtRest = (): void => {
    if (db.kind === 'postgres') {
      const [writer] = db.pool.stats();
      expect(writer).toMatchObject({ endpoint: 'writer', waiting: 0 });
      expect(writer?.idle).toBe(writer?.total);
    }
  };

  it('commits when the callback resolves, and returns its value', async () => {
    const result = await db.pool.withTx(async (tx) => {
      await insertAccount(tx, 'commit@example.com');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await accountCount('commit@example.com')).toBe(1);
  });

  it('rolls back when the callback throws, and rethrows the same error', async () => {
    const failure = new Error('business rule says no');
    const outcome = db.pool.withTx(async (tx) => {
      await insertAccount(tx, 'rollback@example.com');
      throw failure;
    });
    await expect(outcome).rejects.toBe(failure);
    expect(await accountCount('rollback@example.com')).toBe(0);
  });

  it('rolls back on a failed statement and rethrows it classified', async () => {
    await insertAccount(db.pool.writer(), 'taken@example.com');
    const outcome = db.pool.withTx(async (tx) => {
      await insertAccount(tx, 'first-of-two@example.com');
      await insertAccount(tx, 'taken@example.com');
    });
    await expect(outcome).rejects.toBeInstanceOf(UniqueViolationError);
    expect(await accountCount('first-of-two@example.com')).toBe(0);
  });

  it('refuses to report success when a statement failed and the callback swallowed the error', async () => {
    await insertAccount(db.pool.writer(), 'swallowed@example.com');
    const outcome = db.pool.withTx(async (tx) => {
      await insertAccount(tx, 'lost@example.com');
      await insertAccount(tx, 'swallowed@example.com').catch(() => undefined);
    });
    await expect(outcome).rejects.toMatchObject({ name: 'DatabaseError', code: '25P02' });
    await expect(outcome).rejects.toBeInstanceOf(DatabaseError);
    expect(await accountCount('lost@example.com')).toBe(0);
  });

  it('withTimeoutTx fails a statement that runs past the budget with QueryTimeoutError and frees the connection', async () => {
    // PGlite cannot interrupt a statement (and pg_sleep blocks this thread), so keep its sleep short.
    const sleepSeconds = db.kind === 'postgres' ? 5 : 0.4;
    const started = performance.now();
    const outcome = db.pool.withTimeoutTx(150, async (tx) => {
      await insertAccount(tx, 'slow@example.com');
      await tx.query(`SELECT pg_sleep(${sleepSeconds})`);
    });
    await expect(outcome).rejects.toBeInstanceOf(QueryTimeoutError);
    if (db.kind === 'postgres') {
      // The server canceled the statement: nowhere near the five seconds it asked for.
      expect(performance.now() - started).toBeLessThan(3_000);
    }
    expect(await accountCount('slow@example.com')).toBe(0);
    expectWriterAtRest();
    await db.pool.withTx((tx) => insertAccount(tx, 'after-timeout@example.com'));
    expect(await accountCount('after-timeout@example.com')).toBe(1);
  });

  it('withTimeoutTx bounds the time between statements: past the deadline nothing more is sent', async () => {
    const outcome = db.pool.withTimeoutTx(100, async (tx) => {
      await tx.query('SELECT 1');
      await sleep(250);
      // nextval is not transactional: had this been sent, the sequence would have moved.
      await tx.query("SELECT nextval('notes_id_seq')");
    });
    await expect(outcome).rejects.toThrow(QueryTimeoutError);
    await expect(outcome).rejects.toThrow(/statement not sent/);
    const { rows } = await db.pool
      .writer()
      .query<{ is_called: boolean }>('SELECT is_called FROM notes_id_seq');
    expect(rows[0]?.is_called).toBe(false);
    expectWriterAtRest();
  });

  it('withTimeoutTx does not commit work that finished after the deadline', async () => {
    const outcome = db.pool.withTimeoutTx(100, async (tx) => {
      await insertAccount(tx, 'late@example.com');
      await sleep(250);
    });
    await expect(outcome).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(await accountCount('late@example.com')).toBe(0);
  });

  it('withTimeoutTx commits work done within the budget', async () => {
    await db.pool.withTimeoutTx(5_000, (tx) => insertAccount(tx, 'in-time@example.com'));
    expect(await accountCount('in-time@example.com')).toBe(1);
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'withTimeoutTx refuses the budget %s before starting',
    async (budget) => {
      let called = false;
      const outcome = db.pool.withTimeoutTx(budget, () => {
        called = true;
        return Promise.resolve();
      });
      await expect(outcome).rejects.toBeInstanceOf(RangeError);
      expect(called).toBe(false);
    },
  );

  it("refuses a transaction's Querier once the transaction has ended", async () => {
    let kept: Querier | undefined;
    await db.pool.withTx((tx) => {
      kept = tx;
      return Promise.resolve();
    });
    await expect(kept?.query('SELECT 1')).rejects.toThrow(/transaction has ended/);
  });

  it("refuses a pinned connection's Querier once withConnection has returned", async () => {
    let kept: Querier | undefined;
    await db.pool.withConnection((session) => {
      kept = session;
      return Promise.resolve();
    });
    await expect(kept?.query('SELECT 1')).rejects.toThrow(/pinned connection has ended/);
  });

  it('refuses a nested withTx, and withConnection inside withTx', async () => {
    const nested = db.pool.withTx(() => db.pool.withTx(() => Promise.resolve()));
    await expect(nested).rejects.toThrow(/nesting is not supported/);
    const pinned = db.pool.withTx(() => db.pool.withConnection(() => Promise.resolve()));
    await expect(pinned).rejects.toThrow(/nesting is not supported/);
  });

  it('allows a new transaction from work that outlived the one that started it', async () => {
    let later: Promise<unknown> = Promise.resolve();
    await db.pool.withTx(async () => {
      later = sleep(20).then(() => db.pool.withTx((tx) => insertAccount(tx, 'later@example.com')));
      return Promise.resolve();
    });
    await later;
    expect(await accountCount('later@example.com')).toBe(1);
  });

  it('withConnection keeps session state to itself: settings and advisory locks end with it', async () => {
    const backend = async (session: Querier): Promise<number | undefined> =>
      (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const first = await db.pool.withConnection(async (session) => {
      await session.query("SET application_name = 'pinned'");
      await session.query('SELECT pg_advisory_lock(42)');
      return backend(session);
    });
    await db.pool.withConnection(async (session) => {
      // The same server session again (the pool hands out the connection used last), now reset.
      expect(await backend(session)).toBe(first);
      const { rows } = await session.query<{ name: string; locks: number }>(
        "SELECT current_setting('application_name') AS name, " +
          "(SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks",
      );
      expect(rows[0]?.name).not.toBe('pinned');
      expect(rows[0]?.locks).toBe(0);
    });
  });

  it('withConnection rolls back a transaction the callback left open', async () => {
    await db.pool.withConnection(async (session) => {
      await session.query('BEGIN');
      await insertAccount(session, 'left-open@example.com');
    });
    expect(await accountCount('left-open@example.com')).toBe(0);
  });

  if (db.kind === 'pglite') {
    it('on PGlite, rejects writer() inside a transaction instead of waiting for itself forever', async () => {
      const outcome = db.pool.withTx(() => db.pool.writer().query('SELECT 1'));
      await expect(outcome).rejects.toThrow(/use the Querier you were given/);
    });
  } else {
    it('on PostgreSQL, writer() inside a transaction runs on another connection, outside it', async () => {
      await db.pool.withTx(async (tx) => {
        await insertAccount(tx, 'uncommitted@example.com');
        const { rows } = await db.pool
          .writer()
          .query<{ count: number }>(
            "SELECT count(*)::int AS count FROM accounts WHERE email = 'uncommitted@example.com'",
          );
        expect(rows[0]?.count).toBe(0);
      });
    });
  }
});

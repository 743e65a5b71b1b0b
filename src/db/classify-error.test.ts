import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import { describe, expect, it } from 'vitest';

import { describeEachDatabase, describePostgres } from '../../test/database/describe-each-database.ts';
import { fixtureMigrationsDir } from '../../test/database/test-migrations.ts';
import { classifyDatabaseError } from './classify-error.ts';
import {
  ConnectionError,
  ForeignKeyViolationError,
  IntegrityViolationError,
  QueryTimeoutError,
  ReadOnlyDatabaseError,
  RetryableTransactionError,
  UniqueViolationError,
} from './errors.ts';
import { createPostgresPool } from './postgres/create-postgres-pool.ts';

function driverError(fields: Record<string, unknown>): Error {
  return Object.assign(
    new Error(typeof fields.message === 'string' ? fields.message : 'driver error'),
    fields,
  );
}

describe('classifyDatabaseError', () => {
  it.each([
    ['23505', UniqueViolationError],
    ['23503', ForeignKeyViolationError],
    ['23502', IntegrityViolationError],
    ['23514', IntegrityViolationError],
    ['40001', RetryableTransactionError],
    ['40P01', RetryableTransactionError],
    ['57014', QueryTimeoutError],
    ['25P03', QueryTimeoutError],
    ['25006', ReadOnlyDatabaseError],
    ['08006', ConnectionError],
    ['08001', ConnectionError],
    ['57P01', ConnectionError],
    ['57P02', ConnectionError],
    ['57P03', ConnectionError],
    ['53300', ConnectionError],
    ['3D000', ConnectionError],
    ['28000', ConnectionError],
    ['28P01', ConnectionError],
  ])('maps SQLSTATE %s to %o, keeping code and cause', (code, type) => {
    const original = driverError({ code, constraint: 'c', table: 't' });
    const classified = classifyDatabaseError(original);
    expect(classified).toBeInstanceOf(type);
    expect(classified).toMatchObject({ code, cause: original });
  });

  it('carries the constraint and table of a violation, and never the values of the row', () => {
    const original = driverError({
      code: '23505',
      message: 'duplicate key value violates unique constraint "accounts_email_key"',
      detail: 'Key (email)=(ana@example.com) already exists.',
      constraint: 'accounts_email_key',
      table: 'accounts',
    });
    const classified = classifyDatabaseError(original) as UniqueViolationError;
    expect(classified.constraint).toBe('accounts_email_key');
    expect(classified.table).toBe('accounts');
    expect(classified.message).toBe('unique constraint "accounts_email_key" violated on table "accounts"');
  });

  it('returns errors already classified, errors of other kinds and non-errors unchanged', () => {
    const classified = new UniqueViolationError('taken');
    const syntax = driverError({ code: '42601', message: 'syntax error at or near "SELEC"' });
    const plain = new TypeError('not a database error');
    expect(classifyDatabaseError(classified)).toBe(classified);
    expect(classifyDatabaseError(syntax)).toBe(syntax);
    expect(classifyDatabaseError(plain)).toBe(plain);
    expect(classifyDatabaseError('text')).toBe('text');
    expect(classifyDatabaseError(undefined)).toBeUndefined();
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])(
    'treats socket error %s as a ConnectionError',
    (code) => {
      const original = driverError({ code, message: `connect ${code} 127.0.0.1:5432` });
      expect(classifyDatabaseError(original)).toBeInstanceOf(ConnectionError);
    },
  );

  it('treats a failed connect to every address of a host (an AggregateError) as a ConnectionError', () => {
    const original = new AggregateError(
      [driverError({ code: 'ECONNREFUSED' }), driverError({ code: 'ECONNREFUSED' })],
      'connect failed',
    );
    expect(classifyDatabaseError(original)).toMatchObject({
      name: 'ConnectionError',
      message: 'database unreachable (ECONNREFUSED)',
    });
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Query read timeout',
  ])('treats the node-postgres error "%s" as a ConnectionError', (message) => {
    expect(classifyDatabaseError(new Error(message))).toBeInstanceOf(ConnectionError);
  });

  it('leaves a driver-like message alone when the server sent a SQLSTATE with it', () => {
    const original = driverError({ code: '42P01', message: 'Connection terminated is a table name here' });
    expect(classifyDatabaseError(original)).toBe(original);
  });

  it('reports a refused connection to a closed loopback port as a ConnectionError', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));

    const pool = createPostgresPool({
      writer: { host: '127.0.0.1', port, user: 'nobody', database: 'none' },
    });
    try {
      const error = await pool
        .writer()
        .query('SELECT 1')
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await pool.close();
    }
  });
});

describeEachDatabase(
  'errors raised by the database',
  { migrationsDir: fixtureMigrationsDir('accounts') },
  (db) => {
    const insertAccount = (email: string | null, balance = '0') =>
      db.pool
        .writer()
        .query('INSERT INTO accounts (id, email, balance) VALUES ($1, $2, $3)', [
          randomUUID(),
          email,
          balance,
        ]);

    it('arrive as UniqueViolationError naming the constraint, without the duplicated value', async () => {
      await insertAccount('ana@example.com');
      const error = await insertAccount('ana@example.com').catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UniqueViolationError);
      expect(error).toMatchObject({ code: '23505', constraint: 'accounts_email_key', table: 'accounts' });
      expect((error as Error).message).not.toContain('ana@example.com');
      // PGlite hangs the statement's parameters on its errors; they must not reach a log through `cause`.
      expect((error as Error).cause).not.toHaveProperty('params');
    });

    it('arrive as ForeignKeyViolationError', async () => {
      const error = await db.pool
        .writer()
        .query('INSERT INTO notes (account_id, body) VALUES ($1, $2)', [randomUUID(), '{}'])
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ForeignKeyViolationError);
      expect(error).toMatchObject({ code: '23503', constraint: 'notes_account_id_fkey' });
    });

    it('arrive as IntegrityViolationError for NOT NULL and CHECK', async () => {
      await expect(insertAccount(null)).rejects.toMatchObject({
        name: 'IntegrityViolationError',
        code: '23502',
      });
      await expect(insertAccount('bob@example.com', '-1')).rejects.toMatchObject({
        name: 'IntegrityViolationError',
        code: '23514',
        constraint: 'accounts_balance_check',
      });
    });

    it('arrive as ReadOnlyDatabaseError for a write in a read-only transaction', async () => {
      const error = await db.pool
        .withTx(async (tx) => {
          await tx.query('SET TRANSACTION READ ONLY');
          await tx.query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [
            randomUUID(),
            'ro@example.com',
          ]);
        })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ReadOnlyDatabaseError);
    });

    // PGlite has a single session: no second one can cancel, deadlock or conflict with it. Raising the
    // SQLSTATE proves its errors take the same path; the real causes are provoked on PostgreSQL below.
    it.runIf(db.kind === 'pglite')('keep their SQLSTATE through the PGlite adapter', async () => {
      const raise = (state: string) =>
        db.pool.writer().query(`DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${state}'; END $$`);
      await expect(raise('query_canceled')).rejects.toBeInstanceOf(QueryTimeoutError);
      await expect(raise('serialization_failure')).rejects.toBeInstanceOf(RetryableTransactionError);
      await expect(raise('deadlock_detected')).rejects.toBeInstanceOf(RetryableTransactionError);
    });
  },
);

describePostgres('errors between sessions', { migrationsDir: fixtureMigrationsDir('accounts') }, (db) => {
  const newAccount = async (): Promise<string> => {
    const id = randomUUID();
    await db.pool
      .writer()
      .query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [id, `${id}@example.com`]);
    return id;
  };

  it('a statement canceled from another session arrives as QueryTimeoutError', async () => {
    const error = await db.pool.withConnection(async (pinned) => {
      const { rows } = await pinned.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]?.pid;
      const sleeping = pinned.query('SELECT pg_sleep(10)').catch((thrown: unknown) => thrown);
      await waitUntil(async () => {
        const { rowCount } = await db.pool
          .writer()
          .query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%'", [pid]);
        return rowCount === 1;
      });
      await db.pool.writer().query('SELECT pg_cancel_backend($1)', [pid]);
      return sleeping;
    });
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(error).toMatchObject({ code: '57014' });
  });

  it('a concurrent update under REPEATABLE READ arrives as RetryableTransactionError (40001)', async () => {
    const id = await newAccount();
    const error = await db.pool
      .withTx(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await tx.query('SELECT balance FROM accounts WHERE id = $1', [id]);
        await db.pool.writer().query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [id]);
        await tx.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [id]);
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RetryableTransactionError);
    expect(error).toMatchObject({ code: '40001' });
  });

  it('a deadlock arrives as RetryableTransactionError (40P01) in one of the two transactions', async () => {
    const [first, second] = [await newAccount(), await newAccount()];
    let lockedFirstRows = 0;
    let bothLocked: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      bothLocked = resolve;
    });
    const transfer = (from: string, to: string) =>
      db.pool.withTx(async (tx) => {
        await tx.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [from]);
        lockedFirstRows += 1;
        if (lockedFirstRows === 2) {
          bothLocked();
        }
        await barrier;
        await tx.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [to]);
      });
    const outcomes = await Promise.allSettled([transfer(first, second), transfer(second, first)]);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toBeInstanceOf(RetryableTransactionError);
    expect(failures[0]?.reason).toMatchObject({ code: '40P01' });
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met within 5 s');
}

import { randomUUID } from 'node:crypto';

import { expect, it } from 'vitest';

import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { fixtureMigrationsDir } from '../../test/database/test-migrations.ts';

describeEachDatabase('the Querier contract', { migrationsDir: fixtureMigrationsDir('accounts') }, (db) => {
  it('returns the same JavaScript values from every adapter', async () => {
    const { rows } = await db.pool.writer().query(`
      SELECT '2024-05-06 07:08:09.123+00'::timestamptz AS at,
             9007199254740993::int8 AS big,
             12.50::numeric AS amount,
             '{"a": [1, "x"]}'::json AS json,
             '{"b": {"c": true}}'::jsonb AS jsonb,
             '0190b6a4-2c51-7c3a-8f5e-3b1d2a4c5e6f'::uuid AS id,
             '2024-05-06'::date AS day,
             '2024-05-06 07:08:09'::timestamp AS local_time,
             '1 day 02:00:00'::interval AS span,
             ARRAY[1, NULL]::int8[] AS bigs,
             ARRAY[1.10]::numeric[] AS amounts,
             ARRAY['2024-05-06'::date] AS days,
             42::int4 AS small,
             1.5::float8 AS ratio,
             true AS flag,
             'text'::text AS label,
             NULL::text AS nothing
    `);
    expect(rows).toEqual([
      {
        at: new Date('2024-05-06T07:08:09.123Z'),
        big: '9007199254740993',
        amount: '12.50',
        json: { a: [1, 'x'] },
        jsonb: { b: { c: true } },
        id: '0190b6a4-2c51-7c3a-8f5e-3b1d2a4c5e6f',
        day: '2024-05-06',
        local_time: '2024-05-06 07:08:09',
        span: '1 day 02:00:00',
        bigs: ['1', null],
        amounts: ['1.10'],
        days: ['2024-05-06'],
        small: 42,
        ratio: 1.5,
        flag: true,
        label: 'text',
        nothing: null,
      },
    ]);
    expect(rows[0]?.at).toBeInstanceOf(Date);
  });

  it('takes parameters of those types and gives them back unchanged', async () => {
    const id = randomUUID();
    const createdAt = new Date('2023-01-02T03:04:05.678Z');
    await db.pool
      .writer()
      .query('INSERT INTO accounts (id, email, balance, created_at) VALUES ($1, $2, $3, $4)', [
        id,
        'params@example.com',
        '1234567890.12',
        createdAt,
      ]);
    await db.pool
      .writer()
      .query('INSERT INTO notes (account_id, body) VALUES ($1, $2)', [id, JSON.stringify({ tags: ['a'] })]);
    const { rows } = await db.pool
      .writer()
      .query(
        'SELECT a.id, a.balance, a.created_at, n.id AS note_id, n.body FROM accounts a JOIN notes n ON n.account_id = a.id WHERE a.id = $1',
        [id],
      );
    expect(rows).toEqual([
      {
        id,
        balance: '1234567890.12',
        created_at: createdAt,
        note_id: expect.any(String),
        body: { tags: ['a'] },
      },
    ]);
  });

  it('counts the rows a statement returned or changed', async () => {
    const writer = db.pool.writer();
    const emails = ['count-a@example.com', 'count-b@example.com'];
    const inserted = await writer.query(
      'INSERT INTO accounts (id, email) SELECT gen_random_uuid(), unnest($1::text[])',
      [emails],
    );
    expect(inserted).toEqual({ rows: [], rowCount: 2 });
    const updated = await writer.query("UPDATE accounts SET balance = 1 WHERE email LIKE 'count-%'");
    expect(updated.rowCount).toBe(2);
    const selected = await writer.query(
      "SELECT email FROM accounts WHERE email LIKE 'count-%' ORDER BY email",
    );
    expect(selected).toEqual({ rows: emails.map((email) => ({ email })), rowCount: 2 });
    const created = await writer.query('CREATE TEMPORARY TABLE scratch (id int)');
    expect(created).toEqual({ rows: [], rowCount: 0 });
  });

  it('runs several statements in one call when there are no parameters, answering with the last', async () => {
    const result = await db.pool.writer().query('SELECT 1 AS first; SELECT 2 AS second');
    expect(result).toEqual({ rows: [{ second: 2 }], rowCount: 1 });
  });

  it('does not hand a transaction opened through writer() on to later statements', async () => {
    const writer = db.pool.writer();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO accounts (id, email) VALUES ($1, $2)', [
      randomUUID(),
      'begun@example.com',
    ]);
    await writer.query('ROLLBACK');
    const { rowCount } = await writer.query("SELECT 1 FROM accounts WHERE email = 'begun@example.com'");
    expect(rowCount).toBe(1);
  });

  it('reads through reader() like through writer() (the writer when no replica is configured)', async () => {
    expect(db.pool.reader()).toBe(db.pool.writer());
    const { rows } = await db.pool.reader().query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});

import { type AddressInfo, createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';
import { afterEach, expect, it } from 'vitest';

import { describePostgres } from '../../../test/database/describe-each-database.ts';
import { TcpProxy } from '../../../test/database/tcp-proxy.ts';
import type { DatabaseLogger } from '../database-logger.ts';
import { ConnectionError } from '../errors.ts';
import type { Querier } from '../querier.ts';
import type { PostgresConnectionPool } from './create-postgres-pool.ts';

interface LogLine {
  level: 'info' | 'warn';
  message: string;
  fields: object;
}

function recordingLogger(): DatabaseLogger & { lines: LogLine[]; count(message: string): number } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', message, fields }),
    warn: (fields, message) => lines.push({ level: 'warn', message, fields }),
    count: (message) => lines.filter((line) => line.message.includes(message)).length,
  };
}

/** Which endpoint answered: each one connects under its own application name. */
async function answeredBy(querier: Querier): Promise<string | undefined> {
  const { rows } = await querier.query<{ name: string }>(
    "SELECT current_setting('application_name') AS name",
  );
  return rows[0]?.name;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await check()) {
      return;
    }
    await sleep(50);
  }
  throw new Error(`Not within 5 s: ${what}`);
}

describePostgres('the node-postgres pool', (db) => {
  const proxies: TcpProxy[] = [];
  const replica = async (): Promise<TcpProxy> => {
    const proxy = await TcpProxy.start({ host: db.endpoint.host, port: db.endpoint.port });
    proxies.push(proxy);
    return proxy;
  };
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  });

  /** A writer on the server itself and one reader per proxy, told apart by application name. */
  const routedPool = (
    readers: TcpProxy[],
    logger: DatabaseLogger = recordingLogger(),
  ): PostgresConnectionPool =>
    db.createPool({
      writer: { ...db.endpoint, applicationName: 'writer' },
      readers: readers.map((proxy, index) => ({
        ...db.endpoint,
        port: proxy.port,
        applicationName: `reader-${index + 1}`,
      })),
      readerRecheckIntervalMs: 50,
      connectionTimeoutMs: 2_000,
      logger,
    });

  it('sends reads to a reader and writes to the writer', async () => {
    const proxy = await replica();
    const pool = routedPool([proxy]);
    expect(await answeredBy(pool.reader())).toBe('reader-1');
    expect(await answeredBy(pool.writer())).toBe('writer');
    expect(proxy.accepted).toBe(1);
  });

  it('spreads reads over the healthy readers', async () => {
    const pool = routedPool([await replica(), await replica()]);
    const seen = new Set<string | undefined>();
    for (let read = 0; read < 40; read += 1) {
      seen.add(await answeredBy(pool.reader()));
    }
    expect(seen).toEqual(new Set(['reader-1', 'reader-2']));
  });

  it('moves reads to the writer when the reader goes down, without an error, and back when it returns', async () => {
    const proxy = await replica();
    const logger = recordingLogger();
    const pool = routedPool([proxy], logger);
    expect(await answeredBy(pool.reader())).toBe('reader-1');

    await proxy.stop();
    for (let read = 0; read < 5; read += 1) {
      expect(await answeredBy(pool.reader())).toBe('writer');
    }
    expect(logger.count('database reader marked down')).toBe(1);

    await proxy.resume();
    await eventually(
      async () => (await answeredBy(pool.reader())) === 'reader-1',
      'the reader takes reads again',
    );
    expect(logger.count('database reader answers again')).toBe(1);
    expect(logger.count('database reader marked down')).toBe(1);
  });

  it('sends reads to the writer when every reader is down', async () => {
    const readers = [await replica(), await replica()];
    const pool = routedPool(readers);
    await Promise.all(readers.map((proxy) => proxy.stop()));
    for (let read = 0; read < 6; read += 1) {
      expect(await answeredBy(pool.reader())).toBe('writer');
    }
  });

  it('does not retry on the writer, nor mark the reader down, when a read fails for another reason', async () => {
    const logger = recordingLogger();
    const pool = routedPool([await replica()], logger);
    await expect(pool.reader().query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    expect(logger.count('marked down')).toBe(0);
    expect(await answeredBy(pool.reader())).toBe('reader-1');
  });

  it('reports a reader that is down in health(), and marks it down', async () => {
    const healthyProxy = await replica();
    const downProxy = await replica();
    const logger = recordingLogger();
    const pool = routedPool([healthyProxy, downProxy], logger);
    await downProxy.stop();

    const health = await pool.health();
    expect(health.ok).toBe(false);
    expect(health.endpoints).toEqual([
      { name: 'writer', role: 'writer', ok: true, latencyMs: expect.any(Number) },
      { name: 'reader-1', role: 'reader', ok: true, latencyMs: expect.any(Number) },
      { name: 'reader-2', role: 'reader', ok: false, error: expect.stringMatching(/ECONNREFUSED/) },
    ]);
    expect(logger.count('database reader marked down')).toBe(1);
    for (let read = 0; read < 10; read += 1) {
      expect(await answeredBy(pool.reader())).toBe('reader-1');
    }

    await downProxy.resume();
    await eventually(async () => (await pool.health()).ok, 'health() reports every endpoint up');
  });

  // A replica that turns the login away: a database it does not have (3D000), a role it does not
  // know (28000; the test server trusts every password, so a wrong one is not refused here, but it is
  // the same SQLSTATE class). Its reads must go to the writer, not fail.
  it.each([
    ['a database the replica does not have', { database: 'no_such_database' }, '3D000'],
    ['a role the replica does not know', { user: 'no_such_role' }, '28000'],
  ])('moves reads to the writer when the reader refuses the login: %s', async (_what, wrong, code) => {
    const logger = recordingLogger();
    const pool = db.createPool({
      writer: { ...db.endpoint, applicationName: 'writer' },
      readers: [{ ...db.endpoint, ...wrong, applicationName: 'reader-1' }],
      readerRecheckIntervalMs: 50,
      logger,
    });
    for (let read = 0; read < 3; read += 1) {
      expect(await answeredBy(pool.reader())).toBe('writer');
    }
    expect(logger.count('database reader marked down')).toBe(1);
    const marked = logger.lines.find((line) => line.message.includes('marked down'));
    expect(marked?.fields).toMatchObject({ err: { name: 'ConnectionError', code } });
    const health = await pool.health();
    expect(health.endpoints[1]).toMatchObject({ name: 'reader-1', ok: false });
  });

  it('treats a reader that accepts connections but never answers as down', async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const logger = recordingLogger();
      const pool = db.createPool({
        writer: { ...db.endpoint, applicationName: 'writer' },
        readers: [{ ...db.endpoint, port: (silent.address() as AddressInfo).port }],
        connectionTimeoutMs: 300,
        logger,
      });
      // The read waits connectionTimeoutMs for the reader, then gets its answer from the writer.
      expect(await answeredBy(pool.reader())).toBe('writer');
      expect(logger.count('database reader marked down')).toBe(1);
      const health = await pool.health();
      expect(health.ok).toBe(false);
      expect(health.endpoints[1]).toMatchObject({ name: 'reader-1', ok: false });
      await pool.close();
    } finally {
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('gives up a reader that stops answering a grace after the statement timeout, and reads from the writer', async () => {
    const proxy = await replica();
    const logger = recordingLogger();
    const pool = db.createPool({
      writer: { ...db.endpoint, applicationName: 'writer' },
      readers: [{ ...db.endpoint, port: proxy.port, applicationName: 'reader-1' }],
      statementTimeoutMs: 300,
      logger,
    });
    expect(await answeredBy(pool.reader())).toBe('reader-1');

    proxy.hang();
    const started = performance.now();
    expect(await answeredBy(pool.reader())).toBe('writer');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_200);
    expect(waited).toBeLessThan(10_000);
    expect(logger.count('database reader marked down')).toBe(1);
    // The connection that got no answer is gone, not back in the pool.
    expect(pool.stats()[1]).toMatchObject({ endpoint: 'reader-1', total: 0 });
    proxy.unhang();
  });

  it('fails a transaction on a writer that stops answering within its budget and a grace, closing the connection', async () => {
    const proxy = await replica();
    const pool = db.createPool({ writer: { ...db.endpoint, port: proxy.port }, statementTimeoutMs: 0 });
    await pool.withTimeoutTx(300, (tx) => tx.query('SELECT 1'));
    expect(pool.stats()[0]).toMatchObject({ total: 1, idle: 1 });

    proxy.hang();
    const started = performance.now();
    const outcome = pool.withTimeoutTx(300, (tx) => tx.query('SELECT 1'));
    await expect(outcome).rejects.toBeInstanceOf(ConnectionError);
    await expect(outcome).rejects.toThrow(/writer did not answer within 1300 ms/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(pool.stats()[0]).toMatchObject({ total: 0, waiting: 0 });

    proxy.unhang();
    expect(await pool.withTimeoutTx(300, (tx) => tx.query('SELECT 1 AS one'))).toMatchObject({
      rows: [{ one: 1 }],
    });
  });

  it('sizes the reader pools apart from the writer with readerMax', async () => {
    const pool = db.createPool({
      writer: db.endpoint,
      readers: [db.endpoint],
      max: 3,
      readerMax: 1,
    });
    const reads = [1, 2, 3].map(() => pool.reader().query('SELECT pg_sleep(0.2)'));
    await eventually(
      () => Promise.resolve(pool.stats()[1]?.waiting === 2),
      'two reads wait for the one reader connection',
    );
    expect(pool.stats()[1]).toMatchObject({ endpoint: 'reader-1', total: 1 });
    await Promise.all(reads);
    const writes = [1, 2, 3].map(() => pool.writer().query('SELECT pg_sleep(0.2)'));
    await eventually(
      () => Promise.resolve(pool.stats()[0]?.total === 3),
      'the writer opens three connections',
    );
    await Promise.all(writes);
  });

  it('fails with ConnectionError when no connection frees up within connectionTimeoutMs', async () => {
    const pool = db.createPool({ max: 1, connectionTimeoutMs: 300 });
    let waited = 0;
    await pool.withConnection(async () => {
      const started = performance.now();
      const outcome = pool.writer().query('SELECT 1');
      await eventually(
        () => Promise.resolve(pool.stats()[0]?.waiting === 1),
        'the query waits for a connection',
      );
      await expect(outcome).rejects.toBeInstanceOf(ConnectionError);
      await expect(outcome).rejects.toThrow(/timeout exceeded when trying to connect/);
      waited = performance.now() - started;
    });
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5_000);
    expect((await pool.writer().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('answers health() on a connection of its own while every traffic connection is held', async () => {
    const pool = db.createPool({
      writer: { ...db.endpoint, applicationName: 'writer' },
      readers: [{ ...db.endpoint, applicationName: 'reader-1' }],
      max: 2,
      connectionTimeoutMs: 3_000,
    });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let pinned = 0;
    const holding = [
      // Every writer connection pinned, and the reader's busy with slow reads.
      ...[1, 2].map(() =>
        pool.withConnection(async () => {
          pinned += 1;
          await gate;
        }),
      ),
      ...[1, 2].map(() => pool.reader().query('SELECT pg_sleep(2)')),
    ];
    try {
      await eventually(
        () => Promise.resolve(pinned === 2 && pool.stats().every((each) => each.total === 2)),
        'every traffic connection is in use',
      );
      const waitingRead = pool.writer().query('SELECT 1');
      await eventually(
        () => Promise.resolve(pool.stats()[0]?.waiting === 1),
        'a caller waits for the writer',
      );

      const started = performance.now();
      const health = await pool.health();
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(health).toMatchObject({
        ok: true,
        endpoints: [
          { name: 'writer', ok: true },
          { name: 'reader-1', ok: true },
        ],
      });
      open();
      await waitingRead;
    } finally {
      open();
      await Promise.all(holding);
    }
  });

  it('keeps a connection after an ordinary error instead of reconnecting', async () => {
    const pool = db.createPool({ max: 1 });
    const backend = async () =>
      (await pool.writer().query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const before = await backend();
    await expect(pool.writer().query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
    expect(await backend()).toBe(before);
  });

  it('counts connections per endpoint in stats()', async () => {
    const pool = routedPool([await replica()]);
    expect(pool.stats()).toEqual([
      { endpoint: 'writer', total: 0, idle: 0, waiting: 0 },
      { endpoint: 'reader-1', total: 0, idle: 0, waiting: 0 },
    ]);
    await pool.writer().query('SELECT 1');
    await pool.withTx(async (tx) => {
      await tx.query('SELECT 1');
      expect(pool.stats()[0]).toEqual({ endpoint: 'writer', total: 1, idle: 0, waiting: 0 });
    });
    expect(pool.stats()[0]).toEqual({ endpoint: 'writer', total: 1, idle: 1, waiting: 0 });
  });

  it('closes every endpoint, once, however often close() is called', async () => {
    const pool = routedPool([await replica()]);
    await pool.reader().query('SELECT 1');
    await Promise.all([pool.close(), pool.close()]);
    await pool.close();
    expect(pool.stats().map((stats) => stats.total)).toEqual([0, 0]);
  });

  it('parses values per pool and leaves node-postgres global parsers alone', async () => {
    const globalDateParser = pg.types.getTypeParser(pg.types.builtins.DATE) as (text: string) => unknown;
    const { rows } = await db.pool.writer().query<{ day: unknown }>("SELECT '2024-05-06'::date AS day");
    expect(rows[0]?.day).toBe('2024-05-06');
    expect(pg.types.getTypeParser(pg.types.builtins.DATE)).toBe(globalDateParser);
    expect(globalDateParser('2024-05-06')).toBeInstanceOf(Date);
  });

  it('fails with ConnectionError when sslmode=require meets a server without TLS', async () => {
    const pool = db.createPool({ ssl: { mode: 'require' } });
    const outcome = pool.writer().query('SELECT 1');
    await expect(outcome).rejects.toBeInstanceOf(ConnectionError);
    await expect(outcome).rejects.toThrow(/does not support SSL/);
  });
});

import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startTypeScriptProcess } from '../../../test/database/child-process.ts';
import { pgliteSnapshot } from '../../../test/database/pglite-snapshots.ts';
import { fixtureMigrationsDir, loadTestMigrations } from '../../../test/database/test-migrations.ts';
import { QueryTimeoutError } from '../errors.ts';
import { createPgliteConnection } from './create-pglite-connection.ts';
import { LOCK_FILE_NAME } from './data-dir-lock.ts';

const HOLDER = fileURLToPath(new URL('../../../test/fixtures/hold-pglite-data-dir.ts', import.meta.url));

// Loading a dump is several times faster than letting PGlite create a database from nothing.
let blank: Blob;
beforeAll(async () => {
  blank = await pgliteSnapshot(await loadTestMigrations(fixtureMigrationsDir('empty')));
});

describe('createPgliteConnection on a data directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'pglite-')), 'data');
  });
  afterEach(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

  it('keeps the data across close and reopen, and removes its lock on close', async () => {
    const first = await createPgliteConnection({ dataDir, loadDataDir: blank });
    await first.writer().query("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    await first.close();
    await first.close();
    await expect(access(join(dataDir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });

    const second = await createPgliteConnection({ dataDir });
    try {
      expect((await second.writer().query('SELECT note FROM kept')).rows).toEqual([{ note: 'still here' }]);
    } finally {
      await second.close();
    }
  });

  it('refuses a data directory already open in this process, and the open one keeps working', async () => {
    const open = await createPgliteConnection({ dataDir, loadDataDir: blank });
    try {
      await expect(createPgliteConnection({ dataDir })).rejects.toThrow(/in use by this process/);
      expect((await open.writer().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await open.close();
    }
  });

  it('refuses a data directory open in another live process', async () => {
    await (await createPgliteConnection({ dataDir, loadDataDir: blank })).close();
    const holder = await startTypeScriptProcess(HOLDER, [dataDir], 'ready');
    try {
      await expect(createPgliteConnection({ dataDir })).rejects.toThrow(`in use by process ${holder.pid}`);
    } finally {
      await holder.stop();
    }
    // Killed without closing: its lock is stale now, and is taken over.
    const reopened = await createPgliteConnection({ dataDir });
    await reopened.close();
  });
});

describe('createPgliteConnection in memory', () => {
  it('reports health, and reports it failed once closed', async () => {
    const db = await createPgliteConnection({ loadDataDir: blank });
    expect(await db.health()).toEqual({
      ok: true,
      endpoints: [{ name: 'writer', role: 'writer', ok: true, latencyMs: expect.any(Number) }],
    });
    await db.close();
    expect(await db.health()).toMatchObject({ ok: false, endpoints: [{ name: 'writer', ok: false }] });
  });

  it('lets a statement run to its end under withTimeoutTx, then fails the transaction', async () => {
    const db = await createPgliteConnection({ loadDataDir: blank });
    try {
      const started = performance.now();
      const outcome = db.withTimeoutTx(50, (tx) => tx.query('SELECT pg_sleep(0.3)'));
      await expect(outcome).rejects.toBeInstanceOf(QueryTimeoutError);
      // PGlite ignores statement_timeout: the sleep was not interrupted.
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await db.close();
    }
  });

  it('starts from a dump of another instance', async () => {
    const source = await createPgliteConnection({ loadDataDir: blank });
    await source
      .writer()
      .query("CREATE TABLE copied (note text); INSERT INTO copied VALUES ('from the dump')");
    const dump = await source.dumpDataDir();
    await source.close();
    const copy = await createPgliteConnection({ loadDataDir: dump });
    try {
      expect((await copy.writer().query('SELECT note FROM copied')).rows).toEqual([
        { note: 'from the dump' },
      ]);
    } finally {
      await copy.close();
    }
  });
});

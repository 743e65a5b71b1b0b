import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pidOfFinishedProcess, startSleepingProcess } from '../../../test/database/child-process.ts';
import { type DatabaseLogger, silentDatabaseLogger } from '../database-logger.ts';
import { LOCK_FILE_NAME, lockDataDir } from './data-dir-lock.ts';

describe('lockDataDir', () => {
  let dataDir: string;
  let lockFile: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pglite-lock-'));
    lockFile = join(dataDir, LOCK_FILE_NAME);
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('writes the owner pid and removes the lock file on release', async () => {
    const lock = await lockDataDir(dataDir, silentDatabaseLogger);
    expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
    await expect(readFile(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    await lock.release();
  });

  it('creates the data directory when it does not exist yet', async () => {
    const nested = join(dataDir, 'not', 'there');
    const lock = await lockDataDir(nested, silentDatabaseLogger);
    expect(await readFile(join(nested, LOCK_FILE_NAME), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('refuses a directory this process already holds', async () => {
    const lock = await lockDataDir(dataDir, silentDatabaseLogger);
    await expect(lockDataDir(dataDir, silentDatabaseLogger)).rejects.toThrow(/in use by this process/);
    await lock.release();
    await (await lockDataDir(dataDir, silentDatabaseLogger)).release();
  });

  it('refuses a directory held by another live process, naming it', async () => {
    const other = startSleepingProcess();
    try {
      await writeFile(lockFile, `${other.pid}\n`);
      await expect(lockDataDir(dataDir, silentDatabaseLogger)).rejects.toThrow(
        `in use by process ${other.pid}`,
      );
      expect(await readFile(lockFile, 'utf8')).toBe(`${other.pid}\n`);
    } finally {
      await other.stop();
    }
  });

  it('takes over the lock of a process that has exited, and says so through a pino logger', async () => {
    const stalePid = await pidOfFinishedProcess();
    await writeFile(lockFile, `${stalePid}\n`);
    const lines: string[] = [];
    const logger: DatabaseLogger = pino({ base: null }, { write: (line: string) => lines.push(line) });
    const lock = await lockDataDir(dataDir, logger);
    expect(await readFile(lockFile, 'utf8')).toBe(`${process.pid}\n`);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        level: 40,
        dataDir,
        stalePid,
        msg: expect.stringMatching(/stopped process/),
      }),
    ]);
    await lock.release();
  });

  it('leaves a lock file alone on release once it is no longer its own', async () => {
    const lock = await lockDataDir(dataDir, silentDatabaseLogger);
    await writeFile(lockFile, '1\n');
    await lock.release();
    expect(await readFile(lockFile, 'utf8')).toBe('1\n');
  });
});

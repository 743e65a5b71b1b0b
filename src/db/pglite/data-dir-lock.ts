import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { isProcessRunning } from '../../platform/process-running.ts';
import type { DatabaseLogger } from '../database-logger.ts';

export const LOCK_FILE_NAME = 'pglite.lock';

export interface DataDirLock {
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Claims a PGlite data directory for this process. PGlite itself does not notice a second process
 * opening the same directory, and two writers corrupt it. The lock file holds the owner's pid; a lock
 * left by a process that no longer runs is taken over.
 */
export async function lockDataDir(dataDir: string, logger: DatabaseLogger): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  // Written aside and linked into place, so nobody ever reads a lock file without its pid.
  const candidate = join(dataDir, `${LOCK_FILE_NAME}.${randomUUID()}`);
  await writeFile(candidate, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(candidate, lockPath);
        return ownedLock(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      }
      const owner = await readOwner(lockPath);
      if (owner !== undefined && isProcessRunning(owner)) {
        const who = owner === process.pid ? 'this process (it is already open here)' : `process ${owner}`;
        throw new Error(
          `PGlite data directory ${dataDir} is in use by ${who}; two processes writing it would corrupt it ` +
            `(lock file ${lockPath})`,
        );
      }
      logger.warn(
        { dataDir, stalePid: owner },
        'taking over the PGlite data directory lock of a stopped process',
      );
      await rm(lockPath, { force: true });
    }
    throw new Error(`Could not lock PGlite data directory ${dataDir}: another process keeps claiming it`);
  } finally {
    await rm(candidate, { force: true });
  }
}

function ownedLock(lockPath: string): DataDirLock {
  let released = false;
  return {
    release: async () => {
      if (released) {
        return;
      }
      released = true;
      if ((await readOwner(lockPath)) === process.pid) {
        await rm(lockPath, { force: true });
      }
    },
  };
}

async function readOwner(lockPath: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(lockPath, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

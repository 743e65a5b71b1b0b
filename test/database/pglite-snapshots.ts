import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { applyMigrations } from '../../src/db/migrations.ts';
import { createPgliteConnection } from '../../src/db/pglite/create-pglite-connection.ts';
import type { TestMigrations } from './test-migrations.ts';

// Migrating a fresh PGlite takes seconds; loading a migrated data directory, a fraction of one. The
// snapshot is kept on disk between runs, keyed by the migrations and the PGlite build.
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/pglite-test-snapshots', import.meta.url));
const PGLITE_PACKAGE = fileURLToPath(
  new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
);
const KEEP_SNAPSHOTS = 4;

const inThisProcess = new Map<string, Promise<Blob>>();

/** A migrated PGlite data directory, for `createPgliteConnection({ loadDataDir })`. */
export function pgliteSnapshot(migrations: TestMigrations): Promise<Blob> {
  let snapshot = inThisProcess.get(migrations.fingerprint);
  if (snapshot === undefined) {
    snapshot = cachedOrBuilt(migrations);
    inThisProcess.set(migrations.fingerprint, snapshot);
  }
  return snapshot;
}

async function cachedOrBuilt({ migrations, fingerprint }: TestMigrations): Promise<Blob> {
  const { version } = JSON.parse(await readFile(PGLITE_PACKAGE, 'utf8')) as { version: string };
  const file = join(CACHE_DIR, `${fingerprint.slice(0, 16)}-pglite-${version}.tar`);
  try {
    const bytes = await readFile(file);
    const now = new Date();
    await utimes(file, now, now);
    return new Blob([bytes]);
  } catch {
    // Not cached yet: build it below.
  }

  const db = await createPgliteConnection();
  let snapshot: Blob;
  try {
    await applyMigrations(db, migrations);
    snapshot = await db.dumpDataDir();
  } finally {
    await db.close();
  }
  // Several test processes may build the same snapshot at once; each renames a whole file into place.
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, new Uint8Array(await snapshot.arrayBuffer()));
  await rename(partial, file);
  // Best effort: another process may be pruning the same files.
  await pruneCache().catch(() => undefined);
  return snapshot;
}

/** Keeps the snapshots used most recently; the others belong to migrations that have since changed. */
async function pruneCache(): Promise<void> {
  const files = await Promise.all(
    (await readdir(CACHE_DIR))
      .filter((name) => name.endsWith('.tar'))
      .map(async (name) => ({
        path: join(CACHE_DIR, name),
        used: (await stat(join(CACHE_DIR, name))).mtimeMs,
      })),
  );
  const stale = files.sort((a, b) => b.used - a.used).slice(KEEP_SNAPSHOTS);
  await Promise.all(stale.map((file) => rm(file.path, { force: true })));
}

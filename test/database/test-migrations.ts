import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { loadMigrations, type Migration } from '../../src/db/migrations.ts';

/** The repository's migrations/, used when a suite names no other directory. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface TestMigrations {
  migrations: Migration[];
  /** Changes whenever any migration does: names the template database and the PGlite snapshot. */
  fingerprint: string;
}

/** The default directory may not exist yet (no migrations written); any other must. */
export async function loadTestMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<TestMigrations> {
  const migrations = dir === DEFAULT_MIGRATIONS_DIR && !existsSync(dir) ? [] : await loadMigrations(dir);
  const fingerprint = createHash('sha256').update(JSON.stringify(migrations)).digest('hex');
  return { migrations, fingerprint };
}

/** A directory under test/fixtures/migrations/. */
export function fixtureMigrationsDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/migrations/${name}`, import.meta.url));
}

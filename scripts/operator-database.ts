// The database an operator command works on: the service's own, read from the same environment. The
// embedded one is brought up to date as the service would at start; it admits one process, so the
// service must be stopped first.
import type { Config } from '../src/config/config.ts';
import { openDatabase } from '../src/database-from-config.ts';
import type { ConnectionPool } from '../src/db/connection-pool.ts';
import type { DatabaseLogger } from '../src/db/database-logger.ts';
import { applyMigrations, loadMigrations } from '../src/db/migrations.ts';

export async function openOperatorDatabase(config: Config): Promise<ConnectionPool> {
  const quiet: DatabaseLogger = {
    info: () => undefined,
    warn: (_fields, message) => process.stderr.write(`${message}\n`),
  };
  let db: ConnectionPool;
  try {
    db = await openDatabase(config, quiet);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (config.database.kind === 'embedded' && message.includes('is in use')) {
      throw new Error(
        `the embedded database is open in another process (stop the service first): ${message}`,
      );
    }
    throw error;
  }
  if (config.database.kind === 'embedded') {
    await applyMigrations(db, await loadMigrations(config.migrations.dir), { logger: quiet });
  }
  return db;
}

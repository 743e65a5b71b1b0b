// Runs once before the suite. Database templates for real-PostgreSQL tests are prepared here.
import { PostgresTestServer } from './database/postgres-test-server.ts';
import { loadTestMigrations } from './database/test-migrations.ts';

export default async function setup(): Promise<void> {
  const server = PostgresTestServer.fromEnvironment();
  if (server === undefined) {
    return;
  }
  const dropped = await server.dropLeftovers();
  if (dropped.length > 0) {
    console.info(`Dropped test databases left by stopped test runs: ${dropped.join(', ')}`);
  }
  // Test files would build it on first use; building it here once spares them the wait and the lock.
  await server.ensureTemplate(await loadTestMigrations());
}

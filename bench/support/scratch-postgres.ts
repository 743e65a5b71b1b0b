// A database of its own on the PostgreSQL server a benchmark is given, dropped afterwards whatever
// happens, so a benchmark never touches data it did not create.
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The service's POSTGRES_PRIMARY_* variables for a connection URL. */
export function postgresVariables(url: string): Record<string, string> {
  const parsed = new URL(url);
  return {
    POSTGRES_PRIMARY_HOST: parsed.hostname,
    POSTGRES_PRIMARY_PORT: parsed.port || '5432',
    POSTGRES_PRIMARY_USER: decodeURIComponent(parsed.username || 'postgres'),
    ...(parsed.password ? { POSTGRES_PRIMARY_PASSWORD: decodeURIComponent(parsed.password) } : {}),
    POSTGRES_PRIMARY_DATABASE: parsed.pathname.slice(1),
  };
}

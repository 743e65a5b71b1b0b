import type { PostgresEndpoint } from '../src/config/postgres-config.ts';

/** A libpq-style URL for tools such as dbmate; credentials percent-encoded. */
export function databaseUrl(
  endpoint: PostgresEndpoint,
  ssl: { mode: 'disable' | 'require' | 'verify-full'; rootCertPath?: string | undefined },
): string {
  const user = encodeURIComponent(endpoint.user);
  const password = endpoint.password === undefined ? '' : `:${encodeURIComponent(endpoint.password)}`;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const query = new URLSearchParams({ sslmode: ssl.mode });
  if (ssl.rootCertPath) query.set('sslrootcert', ssl.rootCertPath);
  return `postgres://${user}${password}@${host}:${endpoint.port}/${encodeURIComponent(endpoint.database)}?${query.toString()}`;
}

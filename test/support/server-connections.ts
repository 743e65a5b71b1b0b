// What a server itself says about a service's connections, so routing is proven where it happens
// rather than taken from the service's word.
import type { PgCluster, PgNode } from '../pg-cluster.ts';

export interface ServerConnection {
  pid: number;
  /** active, idle, idle in transaction ... */
  state: string;
  /** The statement running now, or the last one run. */
  query: string;
  waitEventType: string | null;
}

/** The connections `applicationName` holds on `node` (pg_stat_activity), oldest first. */
export function connectionsOn(
  cluster: PgCluster,
  node: PgNode,
  applicationName: string,
): Promise<ServerConnection[]> {
  return cluster.query<ServerConnection>(
    node,
    `SELECT pid, state, query, wait_event_type AS "waitEventType" FROM pg_stat_activity
      WHERE application_name = $1 AND backend_type = 'client backend' ORDER BY backend_start, pid`,
    [applicationName],
  );
}

/** Whether the last statement of a connection read the profiles table (and wrote nothing). */
export function readProfiles(connection: ServerConnection): boolean {
  return /^\s*SELECT\b[\s\S]*\bFROM profiles\b/i.test(connection.query);
}

/** Whether the last statement of a connection was the authentication's client status read. */
export function checkedClientStatus(connection: ServerConnection): boolean {
  return /\bFROM oauth_clients\b/i.test(connection.query);
}

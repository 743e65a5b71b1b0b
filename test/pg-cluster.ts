// A real PostgreSQL primary with a streaming replica, for suites that must prove read-replica
// routing against real replication and real outages. It drives scripts/pg-cluster.sh.
//
// Teardown has to run even when a test fails, so start in beforeAll and tear down in afterAll; a
// failed start leaves nothing behind, hence the `?.`, and teardown is safe to call twice:
//
//   const enabled = pgClusterRequired(); // skips without PostgreSQL, except under CI=true: fails
//   describe.skipIf(!enabled)('reads from the replica', () => {
//     let cluster: PgCluster;
//     beforeAll(async () => { cluster = await startPgCluster(); });
//     afterEach(async () => { await cluster?.restore(); });
//     afterAll(async () => { await cluster?.teardown(); });
//     it('...', async () => { ...; await cluster.waitForReplication(); ... });
//   });
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from 'pg';

const SCRIPT = fileURLToPath(new URL('../scripts/pg-cluster.sh', import.meta.url));
const POLL_INTERVAL_MS = 50;
const DEFAULT_WAIT_MS = 30_000;

const run = promisify(execFile);

export type PgNode = 'primary' | 'replica';

export interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface PgNodeStatus {
  /** The server's processes exist (frozen ones too). */
  running: boolean;
  /** Suspended by `freeze`: connections stay open, nothing answers. */
  frozen: boolean;
  pid: number | undefined;
}

export interface PgClusterStatus {
  primary: PgNodeStatus;
  replica: PgNodeStatus;
  /** The replica's state as the primary sees it ('streaming', 'catchup', ...), 'none', or 'unknown' while the primary is down. */
  replication: string;
}

export interface PgClusterOptions {
  /** Directory of the PostgreSQL binaries; found by the script when omitted. */
  bindir?: string;
  /** Bound, in seconds, of every wait inside the script (server start and stop, streaming). */
  timeoutSeconds?: number;
}

export interface PgCluster {
  /** The directory holding both data dirs, the unix sockets and the logs. */
  readonly dir: string;
  readonly primary: PgEndpoint;
  readonly replica: PgEndpoint;
  /** The script's KEY=value facts (POSTGRES_PRIMARY_HOST, POSTGRES_REPLICA_1_PORT, ...), as a config would read them. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops one server (fast shutdown); resolves once its postmaster has exited. */
  stop(node: PgNode): Promise<void>;
  /** Starts one server; resolves once it accepts connections and, for the replica, streams again. */
  start(node: PgNode): Promise<void>;
  /**
   * Suspends every process of one server (SIGSTOP): its connections stay open and new ones are
   * accepted by the kernel, but nothing answers, as with a hung server or a dead network link.
   */
  freeze(node: PgNode): Promise<void>;
  /** Resumes a frozen server; it answers what it was sent meanwhile. */
  thaw(node: PgNode): Promise<void>;
  status(): Promise<PgClusterStatus>;
  /** Resolves once the primary reports the replica as streaming. */
  waitForStreaming(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once the replica has replayed everything the primary had written when called, so a test
   * can read its own write from the replica without sleeping. Returns the LSN waited for.
   */
  waitForReplication(timeoutMs?: number): Promise<string>;
  /** One statement on a node as the superuser, on a connection of its own; the rows. */
  query<Row = Record<string, unknown>>(node: PgNode, text: string, values?: unknown[]): Promise<Row[]>;
  /**
   * Pauses WAL replay on the replica and resolves once it has paused: from then on the replica
   * lags behind every commit, deterministically, while it keeps answering reads.
   */
  pauseReplay(): Promise<void>;
  /** Resumes WAL replay (a no-op when it runs); the replica then catches up. */
  resumeReplay(): Promise<void>;
  /** Back to the state a test expects: both servers running (thawed), replay resumed, the replica streaming. */
  restore(): Promise<void>;
  /** Stops both servers and removes the directory; safe to call twice. */
  teardown(): Promise<void>;
}

function scriptEnv(options: PgClusterOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.bindir !== undefined) env.PG_BINDIR = options.bindir;
  if (options.timeoutSeconds !== undefined) env.PG_CLUSTER_TIMEOUT = String(options.timeoutSeconds);
  return env;
}

/** True when the script finds usable PostgreSQL binaries (and, as root, the postgres account). */
export function pgClusterAvailable(options: PgClusterOptions = {}): boolean {
  const result = spawnSync('bash', [SCRIPT, 'check'], { env: scriptEnv(options), stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Whether suites that need a cluster run: true when the binaries are there, false (skip) where they
 * are not, except in CI (`ci`, by default CI=true in the environment), where missing binaries must
 * fail the run instead of passing it silently.
 */
export function pgClusterRequired(options: PgClusterOptions & { ci?: boolean } = {}): boolean {
  const { ci = process.env.CI === 'true', ...clusterOptions } = options;
  if (pgClusterAvailable(clusterOptions)) return true;
  if (ci) {
    throw new Error(
      'CI=true, but scripts/pg-cluster.sh check finds no usable PostgreSQL server binaries: ' +
        'install them (Debian: apt-get install postgresql) or set PG_BINDIR',
    );
  }
  return false;
}

async function runScript(args: string[], options: PgClusterOptions): Promise<string> {
  try {
    const { stdout } = await run('bash', [SCRIPT, ...args], { env: scriptEnv(options) });
    return stdout;
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: unknown };
    const stderr = typeof failure.stderr === 'string' ? failure.stderr.trim() : '';
    throw new Error(`pg-cluster.sh ${args.join(' ')} failed (exit ${String(failure.code)}): ${stderr}`, {
      cause: error,
    });
  }
}

function parseFacts(stdout: string): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) facts[line.slice(0, at)] = line.slice(at + 1);
  }
  return facts;
}

function fact(facts: Record<string, string>, key: string): string {
  const value = facts[key];
  if (value === undefined || value === '') throw new Error(`pg-cluster.sh printed no ${key}`);
  return value;
}

function nodeStatus(facts: Record<string, string>, prefix: string): PgNodeStatus {
  const pid = facts[`${prefix}_PID`];
  const state = facts[`${prefix}_STATE`];
  return {
    running: state === 'running' || state === 'frozen',
    frozen: state === 'frozen',
    pid: pid === undefined || pid === '' ? undefined : Number(pid),
  };
}

async function queryRows<Row>(endpoint: PgEndpoint, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new Client({ ...endpoint, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query<Row & Record<string, unknown>>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

async function queryOne<T>(
  endpoint: PgEndpoint,
  text: string,
  values: unknown[] = [],
): Promise<T | undefined> {
  const client = new Client({ ...endpoint, connectionTimeoutMillis: 2_000 });
  // A server going down mid-poll must surface as a rejected query, not an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<Record<string, T>>(text, values);
    const row = result.rows[0];
    return row === undefined ? undefined : Object.values(row)[0];
  } finally {
    await client.end().catch(() => {});
  }
}

async function pollUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await done()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`${what} within ${timeoutMs} ms${reason}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Creates a primary and a streaming replica in a new temporary directory; resolves once the replica streams. */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const facts = parseFacts(await runScript(['start'], options));
  const dir = fact(facts, 'PG_CLUSTER_DIR');
  const user = fact(facts, 'POSTGRES_PRIMARY_USER');
  const database = fact(facts, 'POSTGRES_PRIMARY_DATABASE');
  const primary: PgEndpoint = {
    host: fact(facts, 'POSTGRES_PRIMARY_HOST'),
    port: Number(fact(facts, 'POSTGRES_PRIMARY_PORT')),
    user,
    database,
  };
  const replica: PgEndpoint = {
    host: fact(facts, 'POSTGRES_REPLICA_1_HOST'),
    port: Number(fact(facts, 'POSTGRES_REPLICA_1_PORT')),
    user,
    database,
  };

  const cluster: PgCluster = {
    dir,
    primary,
    replica,
    env: facts,
    async stop(node) {
      await runScript(['stop-node', dir, node], options);
    },
    async start(node) {
      await runScript(['start-node', dir, node], options);
    },
    async freeze(node) {
      await runScript(['freeze-node', dir, node], options);
    },
    async thaw(node) {
      await runScript(['thaw-node', dir, node], options);
    },
    async status() {
      const state = parseFacts(await runScript(['status', dir], options));
      return {
        primary: nodeStatus(state, 'PG_PRIMARY'),
        replica: nodeStatus(state, 'PG_REPLICA'),
        replication: state.PG_REPLICATION_STATE ?? 'unknown',
      };
    },
    async waitForStreaming(timeoutMs = DEFAULT_WAIT_MS) {
      await pollUntil('the replica was not streaming', timeoutMs, async () => {
        const streaming = await queryOne<string>(
          primary,
          "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
        );
        return Number(streaming) > 0;
      });
    },
    async waitForReplication(timeoutMs = DEFAULT_WAIT_MS) {
      const target = await queryOne<string>(primary, 'SELECT pg_current_wal_lsn()::text');
      if (target === undefined) throw new Error('the primary reported no WAL position');
      await pollUntil(`the replica had not replayed up to ${target}`, timeoutMs, async () => {
        const replayed = await queryOne<boolean | null>(
          replica,
          'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn',
          [target],
        );
        return replayed === true;
      });
      return target;
    },
    query(node, text, values) {
      return queryRows(node === 'primary' ? primary : replica, text, values);
    },
    async pauseReplay() {
      await queryOne(replica, 'SELECT pg_wal_replay_pause()');
      await pollUntil('the replica had not paused replay', DEFAULT_WAIT_MS, async () => {
        const state = await queryOne<string>(replica, 'SELECT pg_get_wal_replay_pause_state()');
        return state === 'paused';
      });
    },
    async resumeReplay() {
      await queryOne(replica, 'SELECT pg_wal_replay_resume()');
    },
    async restore() {
      const state = await cluster.status();
      if (state.primary.frozen) await cluster.thaw('primary');
      if (state.replica.frozen) await cluster.thaw('replica');
      if (!state.primary.running) await cluster.start('primary');
      if (!state.replica.running) await cluster.start('replica');
      await cluster.resumeReplay();
      await cluster.waitForStreaming();
    },
    async teardown() {
      await runScript(['stop', dir], options);
    },
  };
  return cluster;
}

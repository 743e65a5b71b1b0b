// Failover numbers for docs/persistence.md: the service (as production builds it, default settings
// unless named) in front of a pg-cluster primary and replica, each node stopped and started (and
// frozen and thawed) several times. Not part of `npm test`.
//
//   npx tsx bench/replica-failover.ts            # 5 runs of each scenario
//   RUNS=9 npx tsx bench/replica-failover.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { startPgCluster, type PgCluster } from '../test/pg-cluster.ts';
import { migrateCluster, startClusterService, type ClusterService } from '../test/support/cluster-service.ts';
import { newProfileBody } from '../test/support/profile-payload.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const results = new Map<string, number[]>();
const readsDuringOutage = { reads: 0, failures: 0 };

function record(metric: string, ms: number): void {
  results.set(metric, [...(results.get(metric) ?? []), ms]);
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const round = (ms: number) => (ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
  return `median ${round(median)} ms, range ${round(sorted[0]!)}-${round(sorted.at(-1)!)} ms (n=${sorted.length})`;
}

/** When the service logged `message` for the n-th time (pino's `time`, epoch ms). */
async function loggedAt(
  svc: ClusterService,
  message: string,
  nth: number,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = svc.logs.filter((entry) => entry.msg.includes(message))[nth - 1];
    if (line) return line.time;
    if (Date.now() > deadline) throw new Error(`never logged: ${message} (#${nth})`);
    await sleep(10);
  }
}

async function createProfile(svc: ClusterService): Promise<string> {
  const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
  if (response.status !== 201) throw new Error(`create answered ${response.status}`);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

/** Reads one profile back to back until stopped; counts what was not a 200 and the slowest read. */
function readLoop(svc: ClusterService, id: string) {
  let running = true;
  const stats = { reads: 0, failures: 0, slowestMs: 0 };
  const done = (async () => {
    while (running) {
      const began = performance.now();
      const response = await svc.request(`/v1/profiles/${id}`);
      await response.arrayBuffer();
      stats.reads += 1;
      if (response.status !== 200) stats.failures += 1;
      stats.slowestMs = Math.max(stats.slowestMs, performance.now() - began);
      await sleep(5);
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await done;
      return stats;
    },
  };
}

async function replicaStopped(cluster: PgCluster, svc: ClusterService, run: number): Promise<void> {
  const id = await createProfile(svc);
  await cluster.waitForReplication();
  const loop = readLoop(svc, id);
  await sleep(200);
  const stopIssued = Date.now();
  await cluster.stop('replica');
  const stopped = Date.now();
  const markedDown = await loggedAt(svc, 'database reader marked down', run);
  record('replica stop-node (fast shutdown, until the postmaster exits)', stopped - stopIssued);
  record('replica stop-node issued -> reader marked down, reads on the primary', markedDown - stopIssued);
  // A random pause, so the start lands anywhere in the recheck period rather than at one phase of it.
  await sleep(200 + Math.random() * recheckIntervalMs(svc));
  const startIssued = Date.now();
  await cluster.start('replica');
  const accepting = Date.now();
  const back = await loggedAt(svc, 'database reader answers again', run);
  record('replica start-node (PostgreSQL start + streaming)', accepting - startIssued);
  record('replica accepting -> reads back on the replica', back - accepting);
  await sleep(200);
  const stats = await loop.stop();
  readsDuringOutage.reads += stats.reads;
  readsDuringOutage.failures += stats.failures;
  record('slowest read during replica stop and start', stats.slowestMs);
}

async function primaryStopped(cluster: PgCluster, svc: ClusterService): Promise<void> {
  await createProfile(svc);
  await cluster.stop('primary');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const began = performance.now();
    const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
    await response.arrayBuffer();
    if (response.status !== 503) throw new Error(`write with the primary down answered ${response.status}`);
    record('primary stopped: write answered 503 in', performance.now() - began);
  }
  const startIssued = Date.now();
  await cluster.start('primary');
  const accepting = Date.now();
  record('primary start-node (PostgreSQL start)', accepting - startIssued);
  for (;;) {
    const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
    await response.arrayBuffer();
    if (response.status === 201) break;
    await sleep(10);
  }
  record('primary accepting -> first write 201', Date.now() - accepting);
  await cluster.waitForStreaming();
}

async function primaryHung(cluster: PgCluster, svc: ClusterService): Promise<void> {
  await createProfile(svc);
  await cluster.freeze('primary');
  const began = performance.now();
  const response = await svc.request('/v1/profiles', { method: 'POST', json: newProfileBody() });
  await response.arrayBuffer();
  if (response.status !== 503) throw new Error(`write with the primary hung answered ${response.status}`);
  record('primary hung (DB_TX_TIMEOUT=1s): write answered 503 in', performance.now() - began);
  await cluster.thaw('primary');
}

function recheckIntervalMs(svc: ClusterService): number {
  return svc.config.database.kind === 'postgres' ? svc.config.database.readerRecheckIntervalMs : 0;
}

async function replicaHung(cluster: PgCluster, svc: ClusterService, run: number): Promise<void> {
  // The replica must have taken reads back after the run before.
  if (run > 1) await loggedAt(svc, 'database reader answers again', run - 1);
  const id = await createProfile(svc);
  await cluster.waitForReplication();
  await (await svc.request(`/v1/profiles/${id}`)).arrayBuffer();
  await cluster.freeze('replica');
  const began = performance.now();
  const response = await svc.request(`/v1/profiles/${id}`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`read with the replica hung answered ${response.status}`);
  record('replica hung (POSTGRES_STATEMENT_TIMEOUT=1s): read answered 200 in', performance.now() - began);
  await cluster.thaw('replica');
}

async function scenario(
  cluster: PgCluster,
  env: Record<string, string>,
  body: (svc: ClusterService, run: number) => Promise<void>,
): Promise<void> {
  const svc = await startClusterService(cluster, env);
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      try {
        await body(svc, run);
      } finally {
        await cluster.restore();
      }
    }
  } finally {
    await svc.close();
  }
}

const cluster = await startPgCluster();
try {
  await migrateCluster(cluster);
  await cluster.waitForReplication();
  await scenario(cluster, {}, (svc, run) => replicaStopped(cluster, svc, run));
  await scenario(cluster, {}, (svc) => primaryStopped(cluster, svc));
  await scenario(cluster, { DB_TX_TIMEOUT: '1s' }, (svc) => primaryHung(cluster, svc));
  await scenario(cluster, { POSTGRES_STATEMENT_TIMEOUT: '1s' }, (svc, run) => replicaHung(cluster, svc, run));
} finally {
  await cluster.teardown();
}

console.log(`replica failover, ${RUNS} runs each, default settings unless named:`);
for (const [metric, values] of results) {
  console.log(`  ${metric}: ${summary(values)}`);
}
console.log(
  `  reads during replica stop and start: ${readsDuringOutage.reads}, of which not 200: ${readsDuringOutage.failures}`,
);

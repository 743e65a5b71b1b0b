// Pix webhook delivery from payment to receiver, PostgreSQL alone against NATS JetStream, side by
// side: see docs/benchmarks-webhooks.md, which this script writes (and only it).
//
//   npm run bench -- webhooks            # BENCH_RUNS (3) runs of 1,000 payments per pipeline
//   npm run bench -- webhooks --quick    # one run of 100 payments per pipeline; writes nothing
//
// Each pipeline is the compiled service as deployed (npm run build, NODE_ENV=production), its relay
// running because the server listens, on a scratch database of its own on the PostgreSQL at
// BENCH_DATABASE_URL (loopback), dropped afterwards; the NATS one also publishes to a stream of its
// own on BENCH_NATS_URL (nats://127.0.0.1:4222), deleted afterwards. A separate process rather than
// createApp in this one: the relay then shares no event loop with the load generator and the
// receiver, whose work would otherwise be counted as the relay's lag.
//
// A run: webhooks registered through PUT /v2/webhook/{chave} for BENCH_WEBHOOK_KEYS keys (a key's
// notifications go one after another, by design, so the number of keys bounds the parallelism),
// charges created through POST /v2/cob spread over the keys, then all paid through the sandbox
// endpoint with BENCH_PAY_CONCURRENCY requests in flight. The receiver verifies every signature
// and counts each event id once. Lag: the arrival at the receiver minus the event's `occurred_at`,
// read in the payment's transaction before its writes and commit (the same clock: one machine).
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as prettier from 'prettier';
import { startCountingReceiver, type CountingReceiver } from './support/counting-receiver.ts';
import {
  createScratchDatabase,
  postgresVariables,
  type ScratchDatabase,
} from './support/scratch-postgres.ts';
import {
  DEPLOYED_NODE_ARGS,
  fetchToken,
  startService,
  type ServiceProcess,
} from './support/service-process.ts';
import { median } from './support/stats.ts';
import {
  renderWebhookReport,
  type PipelineName,
  type WebhookMeasurement,
  type WebhookResults,
} from './support/webhook-report.ts';

const QUICK = process.argv.includes('--quick');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const settings = {
  runs: QUICK ? 1 : Number(process.env.BENCH_RUNS ?? 3),
  payments: QUICK ? 100 : Number(process.env.BENCH_WEBHOOK_PAYMENTS ?? 1_000),
  keys: Number(process.env.BENCH_WEBHOOK_KEYS ?? 16),
  payConcurrency: Number(process.env.BENCH_PAY_CONCURRENCY ?? 16),
  warmupPayments: QUICK ? 0 : 100,
  /** Paid one at a time after each run, for the lag with nothing queued. */
  lonePayments: QUICK ? 5 : 20,
};
const DELIVERY_TIMEOUT_MS = 180_000;
const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = randomBytes(32).toString('base64url');
const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

for (const url of [SERVER_URL, NATS_URL]) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    throw new Error(`${url}: the benchmark runs against loopback addresses only`);
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The parent's environment without anything that would configure the service differently. */
function cleanEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        !/^(OTEL_|TELEMETRY_|POSTGRES_|BENCH_|AUTH_|PIX_|EVENTS_|RATE_LIMIT_|LOAD_SHEDDING_|LOG_|DATA_DIR|HMAC_|MIGRATE|NODE_OPTIONS)/.test(
          entry[0],
        ),
    ),
  );
}

/** Runs `work` over the items with at most `limit` in flight. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

function keyOf(index: number): string {
  return `recebedor-${String(index).padStart(2, '0')}@example.com`;
}

interface Pipeline {
  name: PipelineName;
  database: ScratchDatabase;
  service: ServiceProcess;
  token: string;
  receiver: CountingReceiver;
  pool: pg.Pool;
}

async function api(pipeline: Pipeline, method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${pipeline.service.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${pipeline.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function createCharges(pipeline: Pipeline, count: number, offset: number): Promise<string[]> {
  const txids: string[] = [];
  const indexes = Array.from({ length: count }, (_, index) => offset + index);
  await eachBounded(indexes, settings.payConcurrency, async (index) => {
    const response = await api(pipeline, 'POST', '/v2/cob', {
      calendario: { expiracao: 86400 },
      devedor: { cpf: '12345678909', nome: 'Fulano de Tal' },
      valor: { original: '10.00' },
      chave: keyOf(index % settings.keys),
    });
    if (response.status !== 201) throw new Error(`POST /v2/cob answered ${response.status}`);
    txids.push(((await response.json()) as { txid: string }).txid);
  });
  return txids;
}

async function pay(pipeline: Pipeline, txid: string): Promise<void> {
  const response = await api(pipeline, 'POST', `/v2/sandbox/cob/${txid}/pagamento`, {
    pagador: { cpf: '98765432100', nome: 'Beltrano' },
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`sandbox payment of ${txid} answered ${response.status}`);
}

/** Each payment's lag (ascending) from its event row to its first arrival, and the span they cover. */
async function lagsOf(pipeline: Pipeline, txids: readonly string[]) {
  const { rows } = await pipeline.pool.query<{ id: string; occurred_at: Date }>(
    `SELECT id::text, occurred_at FROM payment_events WHERE txid = ANY($1) AND type = 'pix.received'`,
    [txids],
  );
  if (rows.length !== txids.length) throw new Error(`${rows.length} events for ${txids.length} payments`);
  const lags: number[] = [];
  let firstCommit = Number.POSITIVE_INFINITY;
  let lastArrival = 0;
  for (const row of rows) {
    const arrival = pipeline.receiver.arrivals.get(row.id);
    if (!arrival) throw new Error(`event ${row.id} was never delivered`);
    const committed = row.occurred_at.getTime();
    firstCommit = Math.min(firstCommit, committed);
    lastArrival = Math.max(lastArrival, arrival.receivedAt);
    lags.push(arrival.receivedAt - committed);
  }
  lags.sort((a, b) => a - b);
  const quantile = (q: number) => lags[Math.min(lags.length - 1, Math.ceil(q * lags.length) - 1)]!;
  return { quantile, max: lags.at(-1)!, spanMs: Math.max(1, lastArrival - firstCommit) };
}

/** Payments one at a time, each notified before the next is paid: the lag with no queue to wait in. */
async function measureLoneLag(pipeline: Pipeline, count: number, offset: number): Promise<number> {
  const txids = await createCharges(pipeline, count, offset);
  for (const txid of txids) {
    const arrived = pipeline.receiver.awaitTxids(new Set([txid]), 1, DELIVERY_TIMEOUT_MS);
    await pay(pipeline, txid);
    await arrived;
  }
  return (await lagsOf(pipeline, txids)).quantile(0.5);
}

/** Pays the charges concurrently, then waits for every notification; the lag of each from its event row. */
async function measure(pipeline: Pipeline, count: number, offset: number): Promise<WebhookMeasurement> {
  const txids = await createCharges(pipeline, count, offset);
  const duplicatesBefore = pipeline.receiver.duplicates();
  const arrived = pipeline.receiver.awaitTxids(new Set(txids), count, DELIVERY_TIMEOUT_MS);
  const payStarted = Date.now();
  await eachBounded(txids, settings.payConcurrency, (txid) => pay(pipeline, txid));
  const payFinished = Date.now();
  await arrived;
  // Any copy of an event sent again would come within moments of the first.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const lags = await lagsOf(pipeline, txids);
  return {
    payments: count,
    paymentsPerSecond: count / ((payFinished - payStarted) / 1000),
    notificationsPerSecond: count / (lags.spanMs / 1000),
    lagP50Ms: lags.quantile(0.5),
    lagP99Ms: lags.quantile(0.99),
    lagMaxMs: lags.max,
    loneLagP50Ms: await measureLoneLag(pipeline, settings.lonePayments, offset + count),
    duplicates: pipeline.receiver.duplicates() - duplicatesBefore,
  };
}

const scratch = await mkdtemp(join(tmpdir(), 'bench-webhooks-'));
const streamName = `BENCH_PAYMENT_EVENTS_${process.pid}`;
const pipelines: Pipeline[] = [];
const databases: ScratchDatabase[] = [];
const nats = await connect({ servers: NATS_URL });

let cleaning: Promise<void> | undefined;
/** Stops the services, drops the databases and deletes the stream: once, however the run ends. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const pipeline of pipelines) {
      await pipeline.service.stop();
      await pipeline.receiver.close();
      await pipeline.pool.end();
    }
    for (const database of databases) await database.drop();
    const jsm = await jetstreamManager(nats);
    await jsm.streams.delete(streamName).catch(() => undefined);
    await nats.close();
    if (!process.env.BENCH_KEEP_SCRATCH) await rm(scratch, { recursive: true, force: true });
  })();
  return cleaning;
}
// Interrupted, the run still leaves nothing behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  log('building (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const signing = generateKeyPairSync('ed25519');
  const payload = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const common: Record<string, string> = {
    ...cleanEnvironment(),
    HMAC_SECRET: randomBytes(48).toString('base64url'),
    AUTH_SIGNING_KEY: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PIX_PAYLOAD_SIGNING_KEY: payload.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PIX_WEBHOOK_SIGNING_SECRET: SIGNING_SECRET,
    // The receiver is on loopback, which the target policy refuses otherwise.
    PIX_WEBHOOK_ALLOW_INSECURE: 'true',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
    AUTH_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
    AUTH_TOKEN_TTL: '1h',
    PIX_SANDBOX: 'true',
    RATE_LIMIT_ENABLED: 'false',
    OTEL_SDK_DISABLED: 'true',
    MIGRATE_ON_START: 'true',
  };
  const variants: Record<PipelineName, Record<string, string>> = {
    'PostgreSQL alone': {},
    'NATS JetStream': {
      EVENTS_NATS_URL: NATS_URL,
      EVENTS_NATS_STREAM: streamName,
      EVENTS_NATS_SUBJECT_PREFIX: `bench-${process.pid}.payment`,
    },
  };
  for (const [name, env] of Object.entries(variants) as [PipelineName, Record<string, string>][]) {
    const database = await createScratchDatabase(
      SERVER_URL,
      `bench_webhooks_${name.startsWith('NATS') ? 'nats' : 'postgres'}_${process.pid}`,
    );
    databases.push(database);
    const service = await startService({
      name,
      nodeArgs: DEPLOYED_NODE_ARGS,
      env: {
        ...common,
        ...postgresVariables(database.url),
        ...env,
        DATA_DIR: join(scratch, name.replaceAll(' ', '-')),
      },
      cwd: ROOT,
      logFile: join(scratch, `${name.replaceAll(' ', '-')}.log`),
    });
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    const pipeline: Pipeline = {
      name,
      database,
      service,
      token: await fetchToken(service.baseUrl, CLIENT_ID, CLIENT_SECRET),
      receiver: await startCountingReceiver(SIGNING_SECRET),
      pool,
    };
    pipelines.push(pipeline);
    for (let key = 0; key < settings.keys; key += 1) {
      const response = await api(pipeline, 'PUT', `/v2/webhook/${encodeURIComponent(keyOf(key))}`, {
        webhookUrl: pipeline.receiver.url,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`PUT /v2/webhook answered ${response.status}`);
    }
    log(`${name}: ready in ${service.startupMs.toFixed(0)} ms, ${settings.keys} webhooks registered`);
  }

  let offset = 0;
  if (settings.warmupPayments > 0) {
    log(`warming up (${settings.warmupPayments} payments per pipeline)`);
    for (const pipeline of pipelines) await measure(pipeline, settings.warmupPayments, offset);
    offset += settings.warmupPayments + settings.lonePayments;
  }
  const loadBefore = loadavg()[0]!;
  const samples = new Map<PipelineName, WebhookMeasurement[]>();
  for (let run = 0; run < settings.runs; run += 1) {
    // The pipelines take turns, the order rotating from run to run.
    const order = pipelines.map((_, index) => pipelines[(index + run) % pipelines.length]!);
    for (const pipeline of order) {
      const measurement = await measure(pipeline, settings.payments, offset);
      samples.set(pipeline.name, [...(samples.get(pipeline.name) ?? []), measurement]);
      log(
        `run ${run + 1}/${settings.runs} ${pipeline.name.padEnd(16)} ` +
          `${measurement.notificationsPerSecond.toFixed(0).padStart(5)} notifications/s  ` +
          `lag p50 ${measurement.lagP50Ms} ms  p99 ${measurement.lagP99Ms} ms  ` +
          `(alone ${measurement.loneLagP50Ms} ms)  ` +
          `(paid at ${measurement.paymentsPerSecond.toFixed(0)}/s, ${measurement.duplicates} duplicates)`,
      );
    }
    offset += settings.payments + settings.lonePayments;
  }
  const loadAfter = loadavg()[0]!;

  const rejected = pipelines.reduce((sum, pipeline) => sum + pipeline.receiver.rejected(), 0);
  if (rejected > 0) throw new Error(`${rejected} callbacks failed signature verification`);
  const postgresVersion = (await pipelines[0]!.pool.query<{ server_version: string }>('SHOW server_version'))
    .rows[0]!.server_version;
  const results: WebhookResults = {
    settings,
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      postgres: postgresVersion,
      nats: nats.info?.version ?? 'unknown',
      loadBefore,
      loadAfter,
    },
    samples: Object.fromEntries(samples) as WebhookResults['samples'],
  };
  const report = renderWebhookReport(results);
  process.stdout.write(`${report}\n`);
  if (QUICK) {
    log(
      `quick run: every payment notified once per pipeline, signatures verified ` +
        `(median notifications/s: ${[...samples].map(([name, runs]) => `${name} ${median(runs.map((r) => r.notificationsPerSecond)).toFixed(0)}`).join(', ')}); writes nothing`,
    );
  } else {
    const path = join(ROOT, 'docs/benchmarks-webhooks.md');
    const options = (await prettier.resolveConfig(path)) ?? {};
    await writeFile(path, await prettier.format(report, { ...options, filepath: path }));
    log('wrote docs/benchmarks-webhooks.md');
  }
} finally {
  await cleanUp();
}

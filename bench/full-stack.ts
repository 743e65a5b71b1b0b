// The whole service as deployed, against the least a server can do, side by side: see
// docs/benchmarks.md, which this script writes.
//
//   npm run bench                 # the full run; rewrites docs/benchmarks.md
//   npm run bench -- --quick      # every scenario once, briefly, on a small seed: a smoke test that
//                                 # fails unless every request was answered 2xx; writes nothing
//   npm run bench -- --profile    # GET by id and the cursor list against the baseline, then CPU
//                                 # profiles of the service with telemetry on and off; writes nothing
//
// Builds the service (npm run build) and runs the compiled JavaScript with NODE_ENV=production,
// telemetry exporting over OTLP to a sink in this process and /metrics scraped during the runs, on
// a scratch database of the PostgreSQL at BENCH_DATABASE_URL (loopback; default
// postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. Every request carries a real
// token from the service's own /oauth/token; the rate limiter is on with a limit no run reaches.
import autocannon from 'autocannon';
import { PGlite } from '@electric-sql/pglite';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as prettier from 'prettier';
import { renderReport, type BenchResults, type Measurement } from './support/benchmark-report.ts';
import {
  readCpuProfile,
  shareOfFunctions,
  summariseCpuProfile,
  type ProfileSummary,
} from './support/cpu-profile-summary.ts';
import { startOtlpSink } from './support/otlp-sink.ts';
import { Fixtures, scenarioOptions, type ScenarioName } from './support/scenarios.ts';
import { createScratchDatabase, postgresVariables } from './support/scratch-postgres.ts';
import {
  retryingOnTerminatedConnection,
  seedCharges,
  seedProfiles,
  type SqlRunner,
} from './support/seed-data.ts';
import {
  DEPLOYED_NODE_ARGS,
  fetchToken,
  startService,
  type ServiceProcess,
  type ServiceStart,
} from './support/service-process.ts';

const QUICK = process.argv.includes('--quick');
/** --profile: GET by id and the cursor list against the baseline, then CPU profiles; writes nothing. */
const PROFILE = process.argv.includes('--profile');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const settings = QUICK
  ? { runs: 1, seconds: 1, warmupSeconds: 0, connections: 8, profiles: 2_000, charges: 2_000, startups: 1 }
  : PROFILE
    ? {
        runs: 1,
        seconds: 5,
        warmupSeconds: 2,
        connections: 32,
        profiles: 10_000,
        charges: 2_000,
        startups: 1,
      }
    : {
        runs: Number(process.env.BENCH_RUNS ?? 3),
        seconds: Number(process.env.BENCH_DURATION_SECONDS ?? 5),
        warmupSeconds: 2,
        connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
        profiles: 100_000,
        charges: 100_000,
        startups: 3,
      };
const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = randomBytes(32).toString('base64url');

if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(SERVER_URL).hostname)) {
  throw new Error('BENCH_DATABASE_URL must be a loopback address');
}

type TargetName =
  | 'service'
  | 'service, second instance'
  | 'baseline'
  | 'telemetry off'
  | 'no authentication'
  | 'no rate limit'
  | 'request logs off'
  | 'service on PGlite';

interface Target {
  name: TargetName;
  start: Omit<ServiceStart, 'logFile' | 'cwd' | 'name'>;
  service?: ServiceProcess;
  /** Undefined: requests carry no token (the baseline, the service without authentication). */
  token?: string;
  fixtures?: Fixtures;
  scrapesMetrics: boolean;
}

/** Which targets each scenario compares; each run goes through all of them, in turns. */
const ALL_COMPARISONS: readonly { scenario: ScenarioName; targets: readonly TargetName[] }[] = [
  {
    scenario: 'GET profile by id',
    targets: [
      'service',
      'service, second instance',
      'baseline',
      'telemetry off',
      'no authentication',
      'no rate limit',
      'request logs off',
      'service on PGlite',
    ],
  },
  {
    scenario: 'cursor list (limit 20)',
    targets: ['service', 'baseline', 'telemetry off', 'service on PGlite'],
  },
  { scenario: 'offset list, page 500', targets: ['service', 'telemetry off'] },
  { scenario: 'POST profile', targets: ['service', 'telemetry off'] },
  { scenario: 'PATCH profile (If-Match)', targets: ['service'] },
  { scenario: 'POST /v2/cob', targets: ['service', 'telemetry off'] },
  { scenario: 'GET /v2/cob/{txid}', targets: ['service', 'telemetry off'] },
  { scenario: 'sandbox payment', targets: ['service'] },
];

const COMPARISONS = PROFILE
  ? ALL_COMPARISONS.slice(0, 2).map(({ scenario }) => ({
      scenario,
      targets: ['service', 'baseline', 'telemetry off'] as const,
    }))
  : ALL_COMPARISONS;
const USED_TARGETS = new Set<TargetName>(['service', ...COMPARISONS.flatMap(({ targets: names }) => names)]);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The parent's environment without anything that would configure the service differently. */
function cleanEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        !/^(OTEL_|TELEMETRY_|POSTGRES_|BENCH_|AUTH_|PIX_|RATE_LIMIT_|LOAD_SHEDDING_|LOG_|DATA_DIR|HMAC_|MIGRATE|NODE_OPTIONS)/.test(
          entry[0],
        ),
    ),
  );
}

function secrets() {
  const signing = generateKeyPairSync('ed25519');
  const payload = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    HMAC_SECRET: randomBytes(48).toString('base64url'),
    AUTH_SIGNING_KEY: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PIX_PAYLOAD_SIGNING_KEY: payload.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PIX_WEBHOOK_SIGNING_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  };
}

async function createTemplateCharge(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v2/cob`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      calendario: { expiracao: 86400 },
      devedor: { cpf: '12345678909', nome: 'Fulano de Tal' },
      valor: { original: '123.45' },
      chave: 'recebedor@example.com',
    }),
  });
  if (response.status !== 201) throw new Error(`POST /v2/cob answered ${response.status}`);
  return ((await response.json()) as { txid: string }).txid;
}

/** A profile to read (not the newest page's), and profiles for PATCH to walk through. */
async function fixturesFrom(db: SqlRunner): Promise<Fixtures> {
  const result = (await db.query(
    `SELECT id FROM profiles WHERE owner_id = '${CLIENT_ID}' ORDER BY created_at DESC LIMIT ${Math.min(
      settings.profiles - 100,
      50_000,
    )} OFFSET 100`,
  )) as { rows: { id: string }[] };
  const ids = result.rows.map((row) => row.id);
  return new Fixtures(ids[0]!, ids.slice(1), settings.charges);
}

const scratch = await mkdtemp(join(tmpdir(), 'bench-full-stack-'));
const sink = await startOtlpSink();
const database = await createScratchDatabase(SERVER_URL, `bench_full_${process.pid}`);
const targets = new Map<TargetName, Target>();
let scrapes = 0;

async function start(target: Target, extraArgs: readonly string[] = []): Promise<ServiceProcess> {
  const args = [...target.start.nodeArgs];
  args.splice(args.length - 1, 0, ...extraArgs);
  const service = await startService({
    ...target.start,
    name: target.name,
    nodeArgs: args,
    cwd: ROOT,
    logFile: join(scratch, `${target.name.replaceAll(' ', '-')}.log`),
  });
  target.service = service;
  return service;
}

async function measure(target: Target, scenario: ScenarioName, seconds: number): Promise<Measurement> {
  const service = target.service!;
  const rss: number[] = [];
  const rssTimer = setInterval(() => rss.push(service.rssBytes()), 250);
  // Scrapes run beside the load as a collector's would; each is awaited before the measurement ends,
  // so none is still in flight when the service is stopped, and a failed one fails the run.
  const inFlightScrapes: Promise<string | undefined>[] = [];
  const scrapeTimer = target.scrapesMetrics
    ? setInterval(() => {
        inFlightScrapes.push(
          fetch(`${service.baseUrl}/metrics`).then(
            async (response) => {
              await response.arrayBuffer();
              if (response.status !== 200) return `/metrics answered ${response.status}`;
              scrapes += 1;
              return undefined;
            },
            (error: unknown) => `/metrics failed: ${String(error)}`,
          ),
        );
      }, 1000)
    : undefined;
  try {
    const result = await autocannon({
      ...scenarioOptions(scenario, { baseUrl: service.baseUrl, token: target.token }, target.fixtures!),
      connections: settings.connections,
      duration: seconds,
    });
    clearInterval(scrapeTimer);
    const scrapeFailure = (await Promise.all(inFlightScrapes)).find((failure) => failure !== undefined);
    if (scrapeFailure) throw new Error(`${scenario} on ${target.name}: ${scrapeFailure} (log: ${scratch})`);
    const failures = result.errors + result.timeouts + result.non2xx;
    if (failures > 0 || result.requests.total === 0) {
      throw new Error(
        `${scenario} on ${target.name}: ${result.requests.total} requests, ${result.non2xx} non-2xx, ` +
          `${result.errors} errors, ${result.timeouts} timeouts (log: ${scratch})`,
      );
    }
    rss.push(service.rssBytes());
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      peakRssBytes: Math.max(...rss),
    };
  } finally {
    clearInterval(rssTimer);
    clearInterval(scrapeTimer);
  }
}

/**
 * The target restarted under `node --cpu-prof`, warmed up and loaded with the scenario; its profile
 * summarised from the start of the load on (the start-up and warm-up left out).
 */
async function profileUnderLoad(
  target: Target,
  scenario: ScenarioName,
): Promise<NonNullable<BenchResults['profile']>> {
  await target.service!.stop();
  const profileDir = join(scratch, `cpu-profile-${target.name.replaceAll(' ', '-')}-${Date.now()}`);
  await start(target, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  await measure(target, scenario, settings.warmupSeconds);
  const loadStartMicroseconds = Number(process.hrtime.bigint() / 1000n);
  await measure(target, scenario, Math.max(settings.seconds * 2, 10));
  await target.service!.stop();
  // Loader hooks run on a thread of their own, which writes a profile too: the main thread's is the largest.
  const files = (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile'));
  const sizes = await Promise.all(files.map(async (name) => (await stat(join(profileDir, name))).size));
  const file = files[sizes.indexOf(Math.max(...sizes))];
  if (!file) throw new Error(`the profiled ${target.name} wrote no .cpuprofile`);
  log(`CPU profile of ${target.name} under ${scenario}: ${join(profileDir, file)}`);
  const cpuProfile = readCpuProfile(join(profileDir, file));
  return {
    ...summariseCpuProfile(cpuProfile, 25, loadStartMicroseconds),
    // ajv compiles each schema into a function named validate<N>.
    validatorsShare: shareOfFunctions(cpuProfile, /^validate\d+$/, loadStartMicroseconds),
  };
}

/**
 * Vacuumed, analysed and checkpointed before each run: the write scenarios of one run would otherwise
 * leave autovacuum and a checkpoint working through the first turns of the next, and the targets
 * that rotate into those turns would look slower for it.
 */
async function settleDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    // Needs a superuser or pg_checkpoint; without either the run goes on, only less settled.
    await client.query('CHECKPOINT').catch((error: unknown) => log(`no CHECKPOINT: ${String(error)}`));
  } finally {
    await client.end();
  }
}

function printProfile(label: string, profile: ProfileSummary): void {
  log(`\n== ${label}: ${profile.totalMilliseconds.toFixed(0)} ms of samples`);
  for (const entry of profile.byOrigin.slice(0, 15))
    log(`${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.name}`);
  log('--');
  for (const entry of profile.byFunction)
    log(`${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.name}`);
}

try {
  log(`building (npm run build)`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

  const keys = secrets();
  const serviceEnv: Record<string, string> = {
    ...cleanEnvironment(),
    ...postgresVariables(database.url),
    ...keys,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUTH_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
    AUTH_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
    AUTH_TOKEN_TTL: '1h',
    PIX_SANDBOX: 'true',
    RATE_LIMIT_ENABLED: 'true',
    // Counted on every request, never reached.
    RATE_LIMIT_DEFAULT_LIMIT: '1000000000',
    RATE_LIMIT_DEFAULT_WINDOW: '1m',
    OTEL_SDK_DISABLED: 'false',
    TELEMETRY_MODE: 'manual',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_LOGS_EXPORTER: 'none',
    DATA_DIR: join(scratch, 'data'),
  };
  const deployed = (env: Record<string, string> = {}) => ({
    nodeArgs: DEPLOYED_NODE_ARGS,
    env: { ...serviceEnv, ...env },
  });
  const define = (name: TargetName, start: Target['start'], scrapesMetrics = true) => {
    if (USED_TARGETS.has(name)) targets.set(name, { name, start, scrapesMetrics });
  };
  define('service', deployed());
  // The same service in a process of its own: what it gets against the service is the noise floor,
  // the difference the machine makes between two identical processes, for reading the variants by.
  define('service, second instance', deployed());
  define('telemetry off', deployed({ OTEL_SDK_DISABLED: 'true' }), false);
  define('no rate limit', deployed({ RATE_LIMIT_ENABLED: 'false' }));
  define('request logs off', deployed({ LOG_LEVEL: 'warn' }));
  define('no authentication', {
    // The deployed command, with tsx loaded first and the variant's script in place of main.js.
    nodeArgs: [
      '--import',
      'tsx',
      ...DEPLOYED_NODE_ARGS.slice(0, -1),
      'bench/support/service-without-auth.ts',
    ],
    env: { ...serviceEnv, BENCH_CLIENT_ID: CLIENT_ID },
  });
  define(
    'baseline',
    {
      nodeArgs: ['--import', 'tsx', 'bench/support/baseline-server.ts'],
      env: {
        ...cleanEnvironment(),
        DATABASE_URL: database.url,
        OWNER_ID: CLIENT_ID,
        HMAC_SECRET: keys.HMAC_SECRET,
      },
    },
    false,
  );
  const pgliteData = join(scratch, 'pglite');
  const postgresVariableNames = Object.keys(postgresVariables(database.url));
  define('service on PGlite', {
    nodeArgs: DEPLOYED_NODE_ARGS,
    env: {
      ...Object.fromEntries(
        Object.entries(serviceEnv).filter(([name]) => !postgresVariableNames.includes(name)),
      ),
      DATA_DIR: pgliteData,
    },
  });

  // PostgreSQL: the first start applies the migrations; then the bulk seed, from a charge the API made.
  const service = targets.get('service')!;
  service.start = deployed({ MIGRATE_ON_START: 'true' });
  await start(service);
  service.token = await fetchToken(service.service!.baseUrl, CLIENT_ID, CLIENT_SECRET);
  const postgresTemplate = await createTemplateCharge(service.service!.baseUrl, service.token);
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => undefined);
  const client = retryingOnTerminatedConnection(pool);
  let seedStarted = performance.now();
  await seedProfiles(client, CLIENT_ID, settings.profiles);
  await seedCharges(client, CLIENT_ID, postgresTemplate, settings.charges);
  log(`seeded PostgreSQL in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const postgresFixtures = await fixturesFrom(client);
  const postgresVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  await pool.end();
  service.fixtures = postgresFixtures;
  service.start = deployed();

  for (const target of targets.values()) {
    if (target.name === 'service' || target.name === 'service on PGlite') continue;
    await start(target);
    target.fixtures = postgresFixtures;
    if (target.name !== 'baseline' && target.name !== 'no authentication')
      target.token = await fetchToken(target.service!.baseUrl, CLIENT_ID, CLIENT_SECRET);
    log(`${target.name}: ready in ${target.service!.startupMs.toFixed(0)} ms`);
  }

  // PGlite: a first start creates and migrates the database; seeded in this process while it is down.
  const pgliteStartups: number[] = [];
  const embedded = targets.get('service on PGlite');
  if (embedded) {
    await start(embedded);
    const pgliteTemplate = await createTemplateCharge(
      embedded.service!.baseUrl,
      await fetchToken(embedded.service!.baseUrl, CLIENT_ID, CLIENT_SECRET),
    );
    await embedded.service!.stop();
    seedStarted = performance.now();
    const pglite = new PGlite({ dataDir: join(pgliteData, 'pglite') });
    await seedProfiles(pglite, CLIENT_ID, settings.profiles);
    await seedCharges(pglite, CLIENT_ID, pgliteTemplate, settings.charges);
    embedded.fixtures = await fixturesFrom(pglite);
    await pglite.close();
    log(`seeded PGlite in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    await start(embedded);
    pgliteStartups.push(embedded.service!.startupMs);
    embedded.token = await fetchToken(embedded.service!.baseUrl, CLIENT_ID, CLIENT_SECRET);
  }

  // Start-up to ready on PostgreSQL, migrations already applied: the service started again, before
  // any load, so the database is not still busy with the runs' writes (autovacuum, checkpoints).
  const postgresStartups: number[] = [];
  for (let attempt = 0; attempt < settings.startups; attempt += 1) {
    await service.service!.stop();
    postgresStartups.push((await start(service)).startupMs);
  }

  const loadBefore = loadavg()[0]!;
  const samples: BenchResults['samples'] = {};
  const record = (scenario: ScenarioName, target: TargetName, measurement: Measurement) => {
    const byTarget = (samples[scenario] ??= {});
    (byTarget[target] ??= []).push(measurement);
  };
  if (settings.warmupSeconds > 0) {
    log('warming up (JIT, pools, caches)');
    for (const { scenario, targets: names } of COMPARISONS)
      for (const name of names) await measure(targets.get(name)!, scenario, settings.warmupSeconds);
  }
  for (let run = 0; run < settings.runs; run += 1) {
    await settleDatabase();
    for (const { scenario, targets: names } of COMPARISONS) {
      // Targets take turns, and the turn order rotates from run to run, so neither drift on a shared
      // machine nor going first favours one of them.
      const order = names.map((_, index) => names[(index + run) % names.length]!);
      for (const name of order) {
        const measurement = await measure(targets.get(name)!, scenario, settings.seconds);
        record(scenario, name, measurement);
        log(
          `run ${run + 1}/${settings.runs} ${scenario.padEnd(26)} ${name.padEnd(24)} ` +
            `${measurement.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${measurement.p50Ms} ms  ` +
            `p99 ${measurement.p99Ms} ms  rss ${(measurement.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
        );
      }
    }
  }
  const loadAfter = loadavg()[0]!;

  // Where the time goes: the service under the GET-by-id load with V8's sampling profiler.
  let profile: BenchResults['profile'];
  if (!QUICK) {
    profile = await profileUnderLoad(service, 'GET profile by id');
    if (PROFILE) {
      const withoutTelemetry = targets.get('telemetry off')!;
      printProfile('service', profile);
      printProfile('telemetry off', await profileUnderLoad(withoutTelemetry, 'GET profile by id'));
      printProfile('service, cursor list', await profileUnderLoad(service, 'cursor list (limit 20)'));
    }
  }

  const results: BenchResults = {
    quick: QUICK,
    settings,
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      postgres: postgresVersion,
      loadBefore,
      loadAfter,
    },
    samples,
    startupMs: { postgres: postgresStartups, pglite: pgliteStartups },
    telemetry: { exports: sink.exports(), scrapes },
    ...(profile ? { profile } : {}),
  };
  const report = renderReport(results);
  process.stdout.write(`${report}\n`);
  if (QUICK) {
    log('quick run: every scenario answered 2xx on every target (no timing is asserted)');
  } else if (!PROFILE) {
    // Formatted as `npm run lint` expects of every Markdown file.
    const path = join(ROOT, 'docs/benchmarks.md');
    const options = (await prettier.resolveConfig(path)) ?? {};
    await writeFile(path, await prettier.format(report, { ...options, filepath: path }));
    log('wrote docs/benchmarks.md');
  }
} finally {
  for (const target of targets.values()) await target.service?.stop();
  await database.drop();
  await sink.close();
  if (!process.env.BENCH_KEEP_SCRATCH) await rm(scratch, { recursive: true, force: true });
}

// HTTP throughput and latency of the service with telemetry off and on, side by side, for
// docs/benchmarks.md. Each variant is its own process (OpenTelemetry patches modules process-wide, so
// "off" would not be off in a process that once turned it on), built with createApp as main.ts builds
// it and preloaded as `npm start` preloads it. autocannon drives them in turns from this process over
// loopback; "on" exports traces and metrics over OTLP/HTTP to a sink here that discards them.
//
//   npm run bench -- http-throughput
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- http-throughput
//
// BENCH_DATABASE_URL adds real PostgreSQL (a scratch database per variant, dropped afterwards) beside
// the embedded PGlite. BENCH_RUNS (default 5), BENCH_DURATION_SECONDS (5) and BENCH_CONNECTIONS (10)
// size the runs; medians of the runs are printed. Not part of `npm test`.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ServiceReady } from './support/http-throughput-service.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SEEDED_PROFILES = 50;

const SERVICE = fileURLToPath(new URL('./support/http-throughput-service.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Telemetry = 'off' | 'on';
type Workload = 'GET one' | 'list' | 'POST';
const WORKLOADS: readonly Workload[] = ['GET one', 'list', 'POST'];
const VARIANTS: readonly Telemetry[] = ['off', 'on'];

interface Sample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface Service {
  telemetry: Telemetry;
  tracing: string;
  baseUrl: string;
  profileId: string;
  stop(): Promise<void>;
}

/** Accepts OTLP/HTTP exports and throws them away, counting them to show telemetry really ran. */
async function startOtlpSink(): Promise<{ server: Server; url: string; exports: () => number }> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
  };
}

/** The parent's environment without anything that would configure the service differently. */
function cleanEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(OTEL_|TELEMETRY_|POSTGRES_|BENCH_)/.test(entry[0]),
    ),
  );
}

function postgresVariables(url: string): Record<string, string> {
  const parsed = new URL(url);
  return {
    POSTGRES_PRIMARY_HOST: parsed.hostname,
    POSTGRES_PRIMARY_PORT: parsed.port || '5432',
    POSTGRES_PRIMARY_USER: decodeURIComponent(parsed.username || 'postgres'),
    ...(parsed.password ? { POSTGRES_PRIMARY_PASSWORD: decodeURIComponent(parsed.password) } : {}),
    POSTGRES_PRIMARY_DATABASE: parsed.pathname.slice(1),
  };
}

async function startService(
  telemetry: Telemetry,
  database: Record<string, string>,
  otlpUrl: string,
): Promise<Service> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-http-'));
  const env: Record<string, string> = {
    ...cleanEnvironment(),
    ...database,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    HMAC_SECRET: randomBytes(48).toString('base64url'),
    OTEL_SDK_DISABLED: telemetry === 'off' ? 'true' : 'false',
    ...(telemetry === 'on'
      ? {
          TELEMETRY_MODE: 'manual',
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_LOGS_EXPORTER: 'none',
        }
      : {}),
  };
  const child: ChildProcess = fork(SERVICE, [], {
    cwd: ROOT,
    env,
    execArgv: ['--import', 'tsx', '--import', './src/telemetry/register.ts'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ServiceReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServiceReady));
    child.once('exit', (code) =>
      reject(new Error(`the ${telemetry} service exited (${code}) before listening`)),
    );
  });
  const baseUrl = `http://127.0.0.1:${ready.port}`;

  let profileId = '';
  for (let index = 0; index < SEEDED_PROFILES; index += 1) {
    const response = await fetch(`${baseUrl}/v1/profiles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Seeded ${index}`, email: `seed-${index}-${randomUUID()}@example.org` }),
    });
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
    profileId = ((await response.json()) as { data: { id: string } }).data.id;
  }

  return {
    telemetry,
    tracing: ready.tracing,
    baseUrl,
    profileId,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let emailCounter = 0;

function workloadOptions(service: Service, workload: Workload): autocannon.Options {
  const common = { connections: CONNECTIONS, duration: DURATION_SECONDS };
  switch (workload) {
    case 'GET one':
      return { ...common, url: `${service.baseUrl}/v1/profiles/${service.profileId}` };
    case 'list':
      return { ...common, url: `${service.baseUrl}/v1/profiles?limit=20` };
    case 'POST':
      return {
        ...common,
        url: service.baseUrl,
        requests: [
          {
            method: 'POST',
            path: '/v1/profiles',
            headers: { 'content-type': 'application/json' },
            // Emails are unique: every request gets its own.
            setupRequest: (request) => {
              emailCounter += 1;
              return {
                ...request,
                body: JSON.stringify({ name: 'Bench Mark', email: `bench-${emailCounter}@example.org` }),
              };
            },
          },
        ],
      };
  }
}

async function measure(
  service: Service,
  workload: Workload,
  durationSeconds = DURATION_SECONDS,
): Promise<Sample> {
  const result = await autocannon({ ...workloadOptions(service, workload), duration: durationSeconds });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${workload} (telemetry ${service.telemetry}): ${result.errors} errors, ${result.non2xx} non-2xx answers`,
    );
  }
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianSample(samples: readonly Sample[]): Sample {
  return {
    requestsPerSecond: median(samples.map((sample) => sample.requestsPerSecond)),
    p50Ms: median(samples.map((sample) => sample.p50Ms)),
    p99Ms: median(samples.map((sample) => sample.p99Ms)),
  };
}

async function benchDatabase(
  label: string,
  databases: Record<Telemetry, Record<string, string>>,
  otlpUrl: string,
) {
  const services: Service[] = [];
  try {
    for (const telemetry of VARIANTS)
      services.push(await startService(telemetry, databases[telemetry], otlpUrl));
    for (const service of services) {
      process.stderr.write(
        `${label}: telemetry ${service.telemetry} (tracing: ${service.tracing}) at ${service.baseUrl}\n`,
      );
      // Warm-up: JIT, connection pools, PGlite's caches.
      for (const workload of WORKLOADS) await measure(service, workload, 1);
    }

    const samples = new Map<string, Sample[]>();
    for (let run = 1; run <= RUNS; run += 1) {
      // Variants take turns within each run, so drift on a shared machine hits both alike.
      for (const workload of WORKLOADS) {
        for (const service of services) {
          const sample = await measure(service, workload);
          const key = `${workload}|${service.telemetry}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          process.stderr.write(
            `  run ${run}/${RUNS} ${workload.padEnd(7)} telemetry ${service.telemetry.padEnd(3)} ` +
              `${sample.requestsPerSecond.toFixed(0)} req/s p50 ${sample.p50Ms} ms p99 ${sample.p99Ms} ms\n`,
          );
        }
      }
    }
    return WORKLOADS.map((workload) => {
      const off = samples.get(`${workload}|off`)!;
      const on = samples.get(`${workload}|on`)!;
      // Each run's on/off pair ran back to back, so their ratio is steadier than a ratio of medians.
      const ratios = on.map((sample, run) => sample.requestsPerSecond / off[run]!.requestsPerSecond);
      return { label, workload, off: medianSample(off), on: medianSample(on), ratio: median(ratios) };
    });
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
}

async function withScratchDatabases<T>(
  url: string,
  body: (databases: Record<Telemetry, Record<string, string>>) => Promise<T>,
): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const names = { off: `bench_http_${process.pid}_off`, on: `bench_http_${process.pid}_on` };
  try {
    for (const name of Object.values(names)) await admin.query(`CREATE DATABASE ${name}`);
    const base = new URL(url);
    const databaseUrl = (name: string) => {
      const copy = new URL(base);
      copy.pathname = `/${name}`;
      return postgresVariables(copy.href);
    };
    return await body({ off: databaseUrl(names.off), on: databaseUrl(names.on) });
  } finally {
    for (const name of Object.values(names))
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const sink = await startOtlpSink();
try {
  const rows = await benchDatabase('PGlite', { off: {}, on: {} }, sink.url);
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  if (postgresUrl) {
    rows.push(
      ...(await withScratchDatabases(postgresUrl, (databases) =>
        benchDatabase('PostgreSQL', databases, sink.url),
      )),
    );
  }

  console.log(
    `\nMedians of ${RUNS} runs of ${DURATION_SECONDS} s, ${CONNECTIONS} connections; ` +
      `${sink.exports()} OTLP exports received from the telemetry-on services. ` +
      "on/off: the median of the runs' req/s ratios (each pair ran back to back).\n",
  );
  console.log(
    '| Database | Workload | req/s off | req/s on | on/off | p50 ms off | p50 ms on | p99 ms off | p99 ms on |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { label, workload, off, on, ratio } of rows) {
    console.log(
      `| ${label} | ${workload} | ${off.requestsPerSecond.toFixed(0)} | ${on.requestsPerSecond.toFixed(0)} | ` +
        `${ratio.toFixed(2)} | ${off.p50Ms} | ${on.p50Ms} | ${off.p99Ms} | ${on.p99Ms} |`,
    );
  }
} finally {
  sink.server.close();
}

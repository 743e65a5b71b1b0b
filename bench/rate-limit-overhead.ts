// What the rate limiter adds to a request, for docs/rate-limiting.md: the sample API driven in
// process (inject, so no network noise) with limits off, on the memory store and on Redis
// (TEST_REDIS_URL). Not part of `npm test`.
//
//   npx tsx bench/rate-limit-overhead.ts                # 5 runs of 5000 requests per store
//   RUNS=9 REQUESTS=20000 npx tsx bench/rate-limit-overhead.ts
import { performance } from 'node:perf_hooks';
import { buildLimitedServer } from '../test/rate-limit/limited-server.ts';
import { buildHardenedServer } from '../test/hardening/hardened-server.ts';
import {
  deleteKeys,
  TEST_REDIS_URL,
  testRedisAvailable,
  uniqueKeyPrefix,
} from '../test/support/test-redis.ts';
import type { FastifyInstance } from 'fastify';

const RUNS = Number(process.env.RUNS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 5000);
const WARMUP = 500;
// High enough that no request is refused: the cost of counting, not of refusing.
const UNREACHABLE_LIMIT = String(1_000_000_000);

async function microsecondsPerRequest(app: FastifyInstance): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await app.inject({ method: 'GET', url: '/v1/notes/a' });
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const response = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    if (response.statusCode !== 200) throw new Error(`unexpected ${response.statusCode}`);
  }
  return ((performance.now() - start) * 1000) / REQUESTS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const scenarios: [string, () => Promise<FastifyInstance>][] = [
  ['no rate limit', () => buildHardenedServer({ LOAD_SHEDDING_ENABLED: 'false' })],
  [
    'memory store',
    async () => (await buildLimitedServer({ RATE_LIMIT_DEFAULT_LIMIT: UNREACHABLE_LIMIT })).app,
  ],
];
const prefix = uniqueKeyPrefix();
if (await testRedisAvailable()) {
  scenarios.push([
    'Redis store (loopback)',
    async () =>
      (
        await buildLimitedServer({
          RATE_LIMIT_DEFAULT_LIMIT: UNREACHABLE_LIMIT,
          REDIS_URL: TEST_REDIS_URL,
          RATE_LIMIT_REDIS_KEY_PREFIX: prefix,
        })
      ).app,
  ]);
}

for (const [name, build] of scenarios) {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const app = await build();
    samples.push(await microsecondsPerRequest(app));
    await app.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(24)} median ${median(samples).toFixed(1)} µs/request, range ${sorted[0]!.toFixed(1)}-${sorted.at(-1)!.toFixed(1)} (n=${RUNS} x ${REQUESTS})`,
  );
}
await deleteKeys(prefix);
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);

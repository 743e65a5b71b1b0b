// The scrape path with a real VictoriaMetrics (Debian package victoria-metrics): it scrapes the running
// service's /metrics, and a PromQL query over its HTTP API returns the request rate by route.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startService, type ServiceProcess } from './service-process.ts';

const BINARY = 'victoria-metrics';
const present = spawnSync('sh', ['-c', `command -v ${BINARY}`]).status === 0;
if (!present && process.env.CI === 'true') {
  throw new Error(`${BINARY} is required in CI (Debian package victoria-metrics; see .ci/run)`);
}

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function waitUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

(present ? describe : describe.skip)('VictoriaMetrics scraping the service', () => {
  let service: ServiceProcess;
  let victoria: ChildProcess;
  let storage: string;
  let victoriaUrl: string;
  let output = '';

  beforeAll(async () => {
    service = await startService({ env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' } });
    storage = mkdtempSync(join(tmpdir(), 'victoria-metrics-'));
    const scrapeConfig = join(storage, 'scrape.yaml');
    // The same job as deploy/vmagent/scrape.yaml, pointed at this test's service.
    writeFileSync(
      scrapeConfig,
      [
        'scrape_configs:',
        '  - job_name: node-backend-template',
        '    scrape_interval: 1s',
        '    metrics_path: /metrics',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${service.port}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    victoriaUrl = `http://127.0.0.1:${port}`;
    victoria = spawn(
      BINARY,
      [
        `-storageDataPath=${join(storage, 'data')}`,
        `-httpListenAddr=127.0.0.1:${port}`,
        `-promscrape.config=${scrapeConfig}`,
        '-search.latencyOffset=0s',
        '-search.disableCache',
        '-retentionPeriod=1d',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    victoria.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    victoria.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil('VictoriaMetrics to answer', async () =>
      (await fetch(`${victoriaUrl}/health`)).ok ? true : undefined,
    );
  });

  afterAll(async () => {
    if (victoria && victoria.exitCode === null) {
      const exited = once(victoria, 'exit');
      victoria.kill('SIGTERM');
      await exited;
    }
    if (storage) rmSync(storage, { recursive: true, force: true });
    await service?.stop();
  });

  async function query(promql: string): Promise<QueryResult['data']['result']> {
    const response = await fetch(`${victoriaUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as QueryResult;
    expect(body.status, output).toBe('success');
    return body.data.result;
  }

  it('returns the request rate by route from the scraped histogram', async () => {
    // Requests both before and after the first scrape, so the counter grows between samples.
    const hit = async (): Promise<void> => {
      for (let i = 0; i < 5; i += 1) expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    };
    await hit();
    await waitUntil('a scraped sample', async () => {
      const result = await query('http_server_request_duration_seconds_count{http_route="/healthz"}');
      return result.length > 0 ? result : undefined;
    });
    await hit();

    const rate = await waitUntil('a positive request rate', async () => {
      const result = await query(
        'sum by (http_route) (rate(http_server_request_duration_seconds_count{http_route="/healthz",http_response_status_code="200"}[1m]))',
      );
      const value = Number(result[0]?.value[1] ?? 0);
      return value > 0 ? result : undefined;
    });
    expect(rate[0]?.metric).toEqual({ http_route: '/healthz' });

    const up = await query('up{job="node-backend-template"}');
    expect(up[0]?.value[1]).toBe('1');
  });
});

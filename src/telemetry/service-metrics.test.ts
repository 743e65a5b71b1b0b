import { describe, expect, it } from 'vitest';
import { createActiveTelemetry } from './active-telemetry.ts';
import { MODULE_METRICS } from '../service-catalog.ts';
import { prometheusSeriesNames, serviceMetricCatalog } from './metric-catalog.ts';

function scrapedNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? ''),
  );
}

describe('the service metrics at /metrics', () => {
  const telemetry = createActiveTelemetry({ serviceName: 'metrics-test', tracing: 'none' });
  const server = telemetry.server!;

  it('export every metric of the catalog under its Prometheus name once recorded', async () => {
    server.requestCompleted({
      method: 'GET',
      route: '/v1/profiles/:id',
      status: 200,
      durationSeconds: 0.012,
    });
    server.requestCompleted({ method: 'BREW', route: undefined, status: 503, durationSeconds: 2 });
    server.protection.rateLimitRejected('/v1/profiles');
    server.protection.loadShed('eventLoopDelay');
    server.protection.rateLimitStoreFailed();
    server.replicasChecked(1);
    telemetry.connectionWaited('writer', 3);
    telemetry.observePools(() => [{ pool: 'writer', total: 4, idle: 1, waiting: 2, max: 10 }]);
    for (const metric of MODULE_METRICS) {
      if (metric.kind === 'histogram') telemetry.meter.histogram(metric).record(1);
      else telemetry.meter.counter(metric).add();
    }

    const { contentType, body } = await server.scrapeMetrics();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const scraped = scrapedNames(body);
    for (const name of prometheusSeriesNames(serviceMetricCatalog(MODULE_METRICS)))
      expect(scraped, name).toContain(name);

    expect(body).toContain(
      'http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",url_scheme="http",http_route="/v1/profiles/:id",le="0.025"} 1',
    );
    // Unknown methods are folded and unmatched requests carry no route, so cardinality stays bounded.
    expect(body).toContain(
      'http_server_request_duration_seconds_count{http_request_method="_OTHER",http_response_status_code="503",url_scheme="http",error_type="503"} 1',
    );
    expect(body).toContain('http_server_rate_limit_rejections_total{http_route="/v1/profiles"} 1');
    expect(body).toContain('http_server_load_shed_rejections_total{reason="eventLoopDelay"} 1');
    expect(body).toContain('http_server_rate_limit_store_failures_total 1');
    expect(body).toContain(
      'db_client_connection_wait_time_seconds_sum{db_client_connection_pool_name="writer"} 0.003',
    );
    expect(body).toContain(
      'db_client_connection_count{db_client_connection_pool_name="writer",db_client_connection_state="used"} 3',
    );
    expect(body).toContain(
      'db_client_connection_pending_requests{db_client_connection_pool_name="writer"} 2',
    );
    expect(body).toContain('db_client_connection_max{db_client_connection_pool_name="writer"} 10');
    expect(body).toContain('profiles_created_total 1');
    expect(body).toMatch(/^target_info\{service_name="metrics-test"/m);
  });

  it("export a module's declared metric with its declared attributes only (labels stay bounded)", async () => {
    const orders = telemetry.meter.counter({
      name: 'sample.orders',
      unit: '{order}',
      description: 'Sample orders placed.',
      attributes: ['status'],
    });
    orders.add(2, { status: 'ATIVA', txid: 'unbounded-value' });
    const { body } = await server.scrapeMetrics();
    expect(body).toContain('# HELP sample_orders_total Sample orders placed.');
    expect(body).toContain('sample_orders_total{status="ATIVA"} 2');
    expect(body).not.toContain('unbounded-value');
  });

  it('leaves traces and log fields off when nothing traces', () => {
    expect(telemetry.currentTraceId()).toBe('');
    expect(telemetry.logFields).toBeUndefined();
  });
});

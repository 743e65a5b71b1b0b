// Every infrastructure metric the service records: one list that creates the instruments, names the
// Prometheus series (scraped at /metrics, or written by the Collector) and is checked against the
// dashboard and the alert rules. Modules declare their own (src/platform/business-metric.ts);
// `serviceMetricCatalog` composes both. Names follow the OpenTelemetry semantic conventions where one exists.
import type { BusinessMetric } from '../platform/business-metric.ts';

export type MetricKind = 'counter' | 'histogram' | 'gauge';

export interface MetricSpec {
  /** OpenTelemetry instrument name. */
  name: string;
  kind: MetricKind;
  /** UCUM unit; `{thing}` annotations count things and add no suffix. */
  unit: string;
  description: string;
  /** Histograms only. */
  buckets?: readonly number[];
}

// The semantic conventions' advice for http.server.request.duration: 5 ms to 10 s.
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
// Waiting for a pooled connection is normally far below a millisecond; the tail is what matters.
const POOL_WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metricCatalog = {
  httpServerDuration: {
    name: 'http.server.request.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of HTTP server requests, by route template, method and status.',
    buckets: HTTP_DURATION_BUCKETS,
  },
  dbConnectionCount: {
    name: 'db.client.connection.count',
    kind: 'gauge',
    unit: '{connection}',
    description: 'Open PostgreSQL connections per pool, by state (idle or used).',
  },
  dbConnectionMax: {
    name: 'db.client.connection.max',
    kind: 'gauge',
    unit: '{connection}',
    description: 'The most connections each pool may open.',
  },
  dbConnectionPendingRequests: {
    name: 'db.client.connection.pending_requests',
    kind: 'gauge',
    unit: '{request}',
    description: 'Callers waiting for a pooled PostgreSQL connection.',
  },
  dbConnectionWaitTime: {
    name: 'db.client.connection.wait_time',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to obtain a PostgreSQL connection from the pool.',
    buckets: POOL_WAIT_BUCKETS,
  },
  dbReplicasUnavailable: {
    name: 'db.client.replicas.unavailable',
    kind: 'gauge',
    unit: '{replica}',
    description: 'Read replicas the last readiness check found down (their reads go to the primary).',
  },
  rateLimitRejections: {
    name: 'http.server.rate_limit.rejections',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests refused with 429 by the rate limiter, by route template.',
  },
  rateLimitStoreFailures: {
    name: 'http.server.rate_limit.store_failures',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests whose rate limit could not be checked because the shared store failed.',
  },
  loadShedEvents: {
    name: 'http.server.load_shed.rejections',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests refused with 503 because the process was overloaded, by reason.',
  },
} as const satisfies Record<string, MetricSpec>;

/** A module's metric as a catalogue entry: every module metric is a counter. */
export function businessMetricSpec(metric: BusinessMetric): MetricSpec {
  return {
    name: metric.name,
    kind: metric.kind ?? 'counter',
    unit: metric.unit,
    description: metric.description,
    ...(metric.buckets ? { buckets: metric.buckets } : {}),
  };
}

/** The whole catalogue: the infrastructure's metrics and every module's. */
export function serviceMetricCatalog(moduleMetrics: readonly BusinessMetric[]): MetricSpec[] {
  return [...Object.values(metricCatalog), ...moduleMetrics.map(businessMetricSpec)];
}

const UNIT_SUFFIXES: Readonly<Record<string, string>> = { s: 'seconds', ms: 'milliseconds', By: 'bytes' };

/**
 * The Prometheus name of an instrument, as the OpenTelemetry-to-Prometheus rules make it (and as the
 * Collector's Prometheus remote-write exporter does): dots to underscores, the unit as a suffix,
 * `_total` on counters. Histograms add `_bucket`, `_sum` and `_count` to it.
 */
export function prometheusName(spec: Pick<MetricSpec, 'name' | 'kind' | 'unit'>): string {
  let name = spec.name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_+/g, '_');
  const suffix = UNIT_SUFFIXES[spec.unit];
  if (suffix && !name.endsWith(`_${suffix}`)) name = `${name}_${suffix}`;
  if (spec.kind === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
  return name;
}

/** Every series name a scrape can show for these metrics. */
export function prometheusSeriesNames(specs: Iterable<MetricSpec>): Set<string> {
  const names = new Set<string>();
  for (const spec of specs) {
    const base = prometheusName(spec);
    if (spec.kind === 'histogram') for (const part of ['_bucket', '_sum', '_count']) names.add(base + part);
    else names.add(base);
  }
  return names;
}

// The service's own instruments, recorded on whatever Meter it is handed: the SDK's when telemetry is
// on, nothing otherwise. Attribute names follow the OpenTelemetry semantic conventions.
import { ValueType, type Attributes, type Gauge, type Histogram, type Meter } from '@opentelemetry/api';
import type { BusinessMeter, BusinessMetric } from '../platform/business-metric.ts';
import type { Counter } from '../platform/counter.ts';
import type { ProtectionMetrics } from '../platform/protection-metrics.ts';
import type { ValueRecorder } from '../platform/value-recorder.ts';
import type { CompletedRequest } from '../server/server-telemetry.ts';
import { businessMetricSpec, metricCatalog, type MetricSpec } from './metric-catalog.ts';

/** One connection pool as the database adapter reports it. */
export interface PoolSnapshot {
  pool: string;
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  max: number;
}

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);

export class ServiceMetrics implements ProtectionMetrics, BusinessMeter {
  readonly #meter: Meter;
  readonly #httpDuration: Histogram;
  readonly #poolWait: Histogram;
  readonly #rateLimited: Counter;
  readonly #loadShed: Counter;
  readonly #rateLimitStoreFailures: Counter;
  readonly #replicasUnavailable: Gauge;

  constructor(meter: Meter) {
    this.#meter = meter;
    this.#httpDuration = histogram(meter, metricCatalog.httpServerDuration);
    this.#poolWait = histogram(meter, metricCatalog.dbConnectionWaitTime);
    this.#rateLimited = counter(meter, metricCatalog.rateLimitRejections);
    this.#loadShed = counter(meter, metricCatalog.loadShedEvents);
    this.#rateLimitStoreFailures = counter(meter, metricCatalog.rateLimitStoreFailures);
    this.#replicasUnavailable = meter.createGauge(
      metricCatalog.dbReplicasUnavailable.name,
      instrumentOptions(metricCatalog.dbReplicasUnavailable),
    );
  }

  /** A module's declared metric; recordings keep only the attributes it declared, so labels stay bounded. */
  counter(metric: BusinessMetric): Counter {
    const instrument = counter(this.#meter, businessMetricSpec(metric));
    const declared = new Set(metric.attributes);
    return {
      add: (value = 1, attributes) => {
        if (attributes === undefined) return instrument.add(value);
        const kept = Object.fromEntries(Object.entries(attributes).filter(([name]) => declared.has(name)));
        instrument.add(value, kept);
      },
    };
  }

  /** A module's declared histogram; attributes kept as for counters. */
  histogram(metric: BusinessMetric): ValueRecorder {
    const instrument = histogram(this.#meter, businessMetricSpec(metric));
    const declared = new Set(metric.attributes);
    return {
      record: (value, attributes) => {
        if (attributes === undefined) return instrument.record(value);
        const kept = Object.fromEntries(Object.entries(attributes).filter(([name]) => declared.has(name)));
        instrument.record(value, kept);
      },
    };
  }

  requestCompleted(request: CompletedRequest): void {
    const method = request.method.toUpperCase();
    const attributes: Attributes = {
      'http.request.method': KNOWN_METHODS.has(method) ? method : '_OTHER',
      'http.response.status_code': request.status,
      'url.scheme': 'http',
    };
    if (request.route !== undefined) attributes['http.route'] = request.route;
    if (request.status >= 500) attributes['error.type'] = String(request.status);
    this.#httpDuration.record(request.durationSeconds, attributes);
  }

  rateLimitRejected(route: string): void {
    this.#rateLimited.add(1, route === '' ? {} : { 'http.route': route });
  }

  loadShed(reason: string): void {
    this.#loadShed.add(1, { reason });
  }

  /** What the last readiness check found: replicas down, 0 when all answer. */
  replicasChecked(unavailable: number): void {
    this.#replicasUnavailable.record(unavailable);
  }

  rateLimitStoreFailed(): void {
    this.#rateLimitStoreFailures.add(1);
  }

  /** Time a caller waited for a pooled connection, whether it got one or not. */
  connectionWaited(pool: string, waitSeconds: number): void {
    this.#poolWait.record(waitSeconds, { 'db.client.connection.pool.name': pool });
  }

  /** Reads the pools at every collection. */
  observePools(read: () => readonly PoolSnapshot[]): void {
    const gauge = (spec: MetricSpec) =>
      this.#meter.createObservableUpDownCounter(spec.name, instrumentOptions(spec));
    const count = gauge(metricCatalog.dbConnectionCount);
    const max = gauge(metricCatalog.dbConnectionMax);
    const pending = gauge(metricCatalog.dbConnectionPendingRequests);
    this.#meter.addBatchObservableCallback(
      (result) => {
        for (const snapshot of read()) {
          const pool = { 'db.client.connection.pool.name': snapshot.pool };
          result.observe(count, snapshot.idle, { ...pool, 'db.client.connection.state': 'idle' });
          result.observe(count, snapshot.total - snapshot.idle, {
            ...pool,
            'db.client.connection.state': 'used',
          });
          result.observe(max, snapshot.max, pool);
          result.observe(pending, snapshot.waiting, pool);
        }
      },
      [count, max, pending],
    );
  }
}

function instrumentOptions(spec: MetricSpec) {
  return { description: spec.description, unit: spec.unit, valueType: ValueType.INT };
}

function histogram(meter: Meter, spec: MetricSpec): Histogram {
  return meter.createHistogram(spec.name, {
    description: spec.description,
    unit: spec.unit,
    valueType: ValueType.DOUBLE,
    ...(spec.buckets ? { advice: { explicitBucketBoundaries: [...spec.buckets] } } : {}),
  });
}

function counter(meter: Meter, spec: MetricSpec): Counter {
  const instrument = meter.createCounter(spec.name, instrumentOptions(spec));
  return { add: (value = 1, attributes) => instrument.add(value, attributes) };
}

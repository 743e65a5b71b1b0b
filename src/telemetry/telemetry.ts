// What the composition root gets from telemetry. When it is off, `disabledTelemetry` stands in: no
// OpenTelemetry package is loaded and every recording is a no-op.
import { noopBusinessMeter, type BusinessMeter } from '../platform/business-metric.ts';
import { noopTracer, type Tracer } from '../platform/tracer.ts';
import type { ServerTelemetry } from '../server/server-telemetry.ts';
import type { PoolSnapshot } from './service-metrics.ts';
import type { FailureWarn } from './throttled-failure-log.ts';

export interface TelemetryStatus {
  /** Who produces traces: the service's own SDK, an attached agent, or nobody. */
  tracing: 'sdk' | 'agent' | 'none';
  /** Where metrics go: always /metrics when on, plus OTLP when configured. */
  metrics: { endpoint: boolean; otlp: boolean };
  /** Whether the service's SDK exports spans (OTLP or another configured exporter). */
  spansExported: boolean;
  /** Things a person should know (a missing agent, an SDK started late). */
  warnings: string[];
}

export interface Telemetry {
  readonly status: TelemetryStatus;
  readonly tracer: Tracer;
  /** Counters of the metrics modules declare. */
  readonly meter: BusinessMeter;
  /** For buildServer; undefined when off. */
  readonly server: ServerTelemetry | undefined;
  /** W3C trace id of the active span ('' when none). */
  readonly currentTraceId: () => string;
  /** Log line fields (trace_id, span_id); undefined when off. */
  readonly logFields: (() => Record<string, string>) | undefined;
  /** How long callers waited for a pooled connection (wire into the PostgreSQL adapter). */
  readonly connectionWaited: (pool: string, waitMs: number) => void;
  /** Reports the pools' state at every metric collection. */
  observePools(read: () => readonly PoolSnapshot[]): void;
  /** Exports what is buffered (metrics, and the service's SDK's spans) without stopping anything. */
  flush(): Promise<void>;
  /** Flushes and stops what the service started (not an agent's SDK). */
  /** Where failed exports (and other SDK errors) are reported, throttled; silent until called. */
  reportFailures(warn: FailureWarn): void;
  /** Flushes and stops what the service started (not an agent's SDK), giving up after a bound. */
  shutdown(): Promise<void>;
}

export const disabledTelemetry: Telemetry = {
  status: { tracing: 'none', metrics: { endpoint: false, otlp: false }, spansExported: false, warnings: [] },
  tracer: noopTracer,
  meter: noopBusinessMeter,
  server: undefined,
  currentTraceId: () => '',
  logFields: undefined,
  connectionWaited: () => undefined,
  observePools: () => undefined,
  flush: async () => undefined,
  reportFailures: () => undefined,
  shutdown: async () => undefined,
};

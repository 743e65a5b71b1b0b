// Telemetry when it is on. The service's metrics live in a meter provider of their own, read by
// /metrics (Prometheus text, for vmagent) and pushed over OTLP when configured: the same in every
// mode, since an agent's provider cannot be given the service's /metrics reader.
import { context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata, setGlobalErrorHandler } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { noopTracer } from '../platform/tracer.ts';
import type { ServerTelemetry } from '../server/server-telemetry.ts';
import { createOtelTracer, currentTraceId } from './otel-tracer.ts';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from './prometheus-text.ts';
import { ServiceMetrics } from './service-metrics.ts';
import type { Telemetry, TelemetryStatus } from './telemetry.ts';
import { throttledFailureLog } from './throttled-failure-log.ts';
import { traceLogFields } from './trace-log-fields.ts';

export interface ActiveTelemetryOptions {
  serviceName: string;
  tracing: TelemetryStatus['tracing'];
  warnings?: string[];
  /** The OTLP push, when configured. */
  otlpReader?: IMetricReader | undefined;
  /** Stops the SDK the service started, if it did. */
  stopSdk?: (() => Promise<void>) | undefined;
  /** Exports the SDK's buffered spans. */
  flushSdk?: (() => Promise<void>) | undefined;
  /** Whether that SDK exports spans. */
  spansExported?: boolean;
  /** How long shutdown waits for the last export; default FINAL_FLUSH_BOUND_MS. */
  finalFlushBoundMs?: number;
}

/**
 * The final flush gets this long: an exporter retries a collector that does not answer for its own
 * timeout (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s), which would hold every shutdown up as long.
 */
export const FINAL_FLUSH_BOUND_MS = 3_000;

export const METER_NAME = 'node-backend-template';

export function createActiveTelemetry(options: ActiveTelemetryOptions): Telemetry {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector, hostDetector] }))
      .merge(resourceFromAttributes({ 'service.name': options.serviceName })),
    readers: options.otlpReader ? [prometheus, options.otlpReader] : [prometheus],
  });
  const metrics = new ServiceMetrics(meterProvider.getMeter(METER_NAME));
  const tracing = options.tracing !== 'none';

  const server: ServerTelemetry = {
    routeMatched: (route) => {
      // The HTTP instrumentation (the service's or an agent's) names its server span and sets
      // http.route from this when the response ends: `GET /v1/profiles/:id`.
      const rpc = getRPCMetadata(context.active());
      if (rpc?.type === RPCType.HTTP) rpc.route = route;
    },
    requestCompleted: (request) => metrics.requestCompleted(request),
    replicasChecked: (unavailable) => metrics.replicasChecked(unavailable),
    protection: metrics,
    scrapeMetrics: async () => {
      const { resourceMetrics } = await prometheus.collect();
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: toPrometheusText(resourceMetrics) };
    },
  };

  return {
    status: {
      tracing: options.tracing,
      metrics: { endpoint: true, otlp: options.otlpReader !== undefined },
      spansExported: options.spansExported ?? false,
      warnings: options.warnings ?? [],
    },
    tracer: tracing ? createOtelTracer() : noopTracer,
    meter: metrics,
    server,
    currentTraceId: tracing ? currentTraceId : () => '',
    logFields: tracing ? traceLogFields : undefined,
    connectionWaited: (pool, waitMs) => metrics.connectionWaited(pool, waitMs / 1000),
    observePools: (read) => metrics.observePools(read),
    flush: async () => {
      await Promise.allSettled([meterProvider.forceFlush(), options.flushSdk?.()]);
    },
    reportFailures: (warn) => setGlobalErrorHandler(throttledFailureLog(warn)),
    shutdown: async () => {
      const flushed = Promise.allSettled([meterProvider.shutdown(), options.stopSdk?.()]);
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.finalFlushBoundMs ?? FINAL_FLUSH_BOUND_MS).unref();
      });
      await Promise.race([flushed, bound]);
      clearTimeout(timer);
    },
  };
}

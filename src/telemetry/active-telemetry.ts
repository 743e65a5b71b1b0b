// Telemetry when it is on. The service's metrics live in a meter provider of their own, read by
// /metrics (Prometheus text, for vmagent) and pushed over OTLP when configured: the same in every
// mode, since an agent's provider cannot be given the service's /metrics reader.
import { context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
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
}

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
    shutdown: async () => {
      await Promise.allSettled([meterProvider.shutdown(), options.stopSdk?.()]);
    },
  };
}

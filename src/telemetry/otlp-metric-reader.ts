// The OTLP push of the service's metrics, configured by the standard variables: on when
// OTEL_METRICS_EXPORTER names otlp or an OTLP endpoint is set (see otlp-export-choice.ts),
// OTEL_EXPORTER_OTLP[_METRICS]_PROTOCOL (grpc, http/protobuf, http/json), the exporters' own
// endpoint/header/timeout variables and OTEL_METRIC_EXPORT_INTERVAL.
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { exporterList, otlpExportWanted } from './otlp-export-choice.ts';

type Env = Readonly<Record<string, string | undefined>>;

export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The protocol a signal's exporter uses: its own variable, then the general one, then the default. */
export function otlpProtocol(env: Env, signal: 'TRACES' | 'METRICS' | 'LOGS'): OtlpProtocol {
  const raw = (env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] || env.OTEL_EXPORTER_OTLP_PROTOCOL || '').trim();
  if (raw === '') return 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  throw new Error(`OTLP protocol "${raw}" is not one of ${OTLP_PROTOCOLS.join(', ')}`);
}

/** Whether a signal's exporter list (OTEL_<SIGNAL>_EXPORTER) includes otlp; unset means `fallback`. */
export function exportsOtlp(env: Env, variable: string, fallback: boolean): boolean {
  const list = exporterList(env, variable);
  if (list.length === 0) return fallback;
  return list.includes('otlp') && !list.includes('none');
}

export async function otlpMetricReader(env: Env): Promise<PeriodicExportingMetricReader | undefined> {
  if (!otlpExportWanted(env, 'METRICS')) return undefined;
  const exporter = await otlpMetricExporter(otlpProtocol(env, 'METRICS'));
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL || 60_000);
  const timeout = Number(env.OTEL_METRIC_EXPORT_TIMEOUT || 30_000);
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: interval,
    exportTimeoutMillis: Math.min(timeout, interval),
  });
}

// Loaded on demand: the gRPC exporter alone pulls in a gRPC stack the other two never need.
async function otlpMetricExporter(protocol: OtlpProtocol): Promise<PushMetricExporter> {
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter();
    case 'http/json':
      return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter();
  }
}

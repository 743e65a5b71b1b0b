// Whether traces and metrics leave the process over OTLP. The specification makes otlp the default
// exporter, aimed at localhost:4318; with no collector there, every batch fails after retries and the
// final flush holds shutdown up for seconds. So here a signal is exported over OTLP only when asked:
// its OTEL_<SIGNAL>_EXPORTER names otlp, or an endpoint is configured for it.

type Env = Readonly<Record<string, string | undefined>>;

export type ExportedSignal = 'TRACES' | 'METRICS';

/** The names in an exporter list variable (OTEL_TRACES_EXPORTER=otlp,console), empty when unset. */
export function exporterList(env: Env, variable: string): string[] {
  return (env[variable] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** An endpoint for the signal: its own OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT or the general one. */
export function otlpEndpointConfigured(env: Env, signal: ExportedSignal): boolean {
  return [env.OTEL_EXPORTER_OTLP_ENDPOINT, env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]].some(
    (value) => value !== undefined && value.trim() !== '',
  );
}

/** True when the signal is to be pushed over OTLP (see the file comment). */
export function otlpExportWanted(env: Env, signal: ExportedSignal): boolean {
  const list = exporterList(env, `OTEL_${signal}_EXPORTER`);
  if (list.length > 0) return list.includes('otlp') && !list.includes('none');
  return otlpEndpointConfigured(env, signal);
}

/**
 * Whether the SDK should build span exporters from the environment itself: when OTLP is wanted, or
 * another exporter (console, zipkin) is named. Otherwise spans are recorded (trace ids reach logs and
 * responses) and dropped.
 */
export function spanExportConfigured(env: Env): boolean {
  const list = exporterList(env, 'OTEL_TRACES_EXPORTER');
  if (list.includes('none')) return false;
  return list.length > 0 || otlpEndpointConfigured(env, 'TRACES');
}

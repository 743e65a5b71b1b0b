import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * A pino mixin: the active span's ids on every log line, under the names the OpenTelemetry pino
 * instrumentation uses, so logs and traces join in Grafana whichever of the two wrote them.
 */
export function traceLogFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    trace_flags: `0${context.traceFlags.toString(16)}`,
  };
}

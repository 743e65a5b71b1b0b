// The platform Tracer port on the OpenTelemetry API: spans go to whichever SDK is registered, the
// service's own or an attached agent's.
import { SpanStatusCode, isSpanContextValid, trace, type Tracer as OtelTracer } from '@opentelemetry/api';
import { DomainError } from '../platform/domain-error.ts';
import type { Tracer } from '../platform/tracer.ts';

export function createOtelTracer(tracer: OtelTracer = trace.getTracer('node-backend-template')): Tracer {
  return {
    inSpan: (name, work) =>
      tracer.startActiveSpan(name, async (span) => {
        try {
          return await work();
        } catch (error) {
          if (error instanceof DomainError) {
            // An expected outcome (not found, version conflict ...): not a failure of the service.
            span.setAttribute('app.domain_error.code', error.code);
          } else {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute('error.type', error instanceof Error ? error.constructor.name : typeof error);
          }
          throw error;
        } finally {
          span.end();
        }
      }),
  };
}

/** W3C trace id of the active span, '' outside any. */
export function currentTraceId(): string {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : '';
}

// The platform Tracer port on the OpenTelemetry API: spans go to whichever SDK is registered, the
// service's own or an attached agent's.
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Span,
  type Tracer as OtelTracer,
} from '@opentelemetry/api';
import { DomainError } from '../platform/domain-error.ts';
import type { Tracer } from '../platform/tracer.ts';

export function createOtelTracer(tracer: OtelTracer = trace.getTracer('node-backend-template')): Tracer {
  return {
    inSpan: (name, work) => tracer.startActiveSpan(name, (span) => runIn(span, work)),
    currentContext: () => {
      const span = trace.getActiveSpan();
      if (!span || !isSpanContextValid(span.spanContext())) return undefined;
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return carrier.traceparent === undefined ? undefined : carrier;
    },
    inLinkedSpan: (name, origin, work) => {
      const linked = origin && trace.getSpanContext(propagation.extract(ROOT_CONTEXT, origin));
      const links = linked && isSpanContextValid(linked) ? [{ context: linked }] : [];
      return tracer.startActiveSpan(name, { root: true, links }, (span) => runIn(span, work));
    },
  };
}

async function runIn<T>(span: Span, work: () => Promise<T>): Promise<T> {
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
}

/** W3C trace id of the active span, '' outside any. */
export function currentTraceId(): string {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : '';
}

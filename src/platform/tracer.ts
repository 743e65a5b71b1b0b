/**
 * Explicit spans for the steps worth seeing in a trace (use cases), without tying the caller to a
 * tracing library. The default does nothing, so code that is handed no tracer pays nothing.
 */
export interface Tracer {
  /**
   * Runs `work` in a span named `name`, a child of the current one. An error thrown by `work` ends
   * the span marked as failed (a DomainError as an expected outcome, with its code) and is rethrown.
   */
  inSpan<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * The active span's context as W3C Trace Context fields (`traceparent`, `tracestate`), to be kept
   * with work done later elsewhere; undefined outside any span.
   */
  currentContext?(): TraceCarrier | undefined;
  /**
   * Runs `work` in a new span (a root: the request that caused it is long over) that links to the
   * span `origin` describes, so a trace viewer leads from one to the other.
   */
  inLinkedSpan?<T>(name: string, origin: TraceCarrier | undefined, work: () => Promise<T>): Promise<T>;
}

/** W3C Trace Context fields as text, the form a span context travels and is stored in. */
export type TraceCarrier = Readonly<Record<string, string>>;

export const noopTracer: Tracer = { inSpan: (_name, work) => work() };

/** `tracer.inLinkedSpan` where the tracer has it, else a plain child span. */
export function inLinkedSpan<T>(
  tracer: Tracer,
  name: string,
  origin: TraceCarrier | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.inLinkedSpan ? tracer.inLinkedSpan(name, origin, work) : tracer.inSpan(name, work);
}

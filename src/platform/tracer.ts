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
}

export const noopTracer: Tracer = { inSpan: (_name, work) => work() };

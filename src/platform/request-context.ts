/** What a handler may know about the request beyond its typed parameters. */
export interface RequestContext {
  requestId: string;
  /** W3C trace id of the active span; empty when tracing is off. */
  traceId: string;
}

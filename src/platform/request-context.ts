/** What a handler may know about the request beyond its typed parameters. */
export interface RequestContext {
  requestId: string;
  /** W3C trace id of the active span; empty when tracing is off. */
  traceId: string;
  /**
   * The authenticated OAuth client; undefined only on operations the contract leaves open
   * (`security: []`), as the server answers 401 before any secured handler runs.
   */
  clientId: string | undefined;
}

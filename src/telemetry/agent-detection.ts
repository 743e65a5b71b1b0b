// An OpenTelemetry agent (auto-instrumentations-node's register, or the one the OpenTelemetry Operator
// injects through NODE_OPTIONS) starts before the service's code and registers its context manager,
// propagator and (when it exports traces) tracer provider in the API's global registry. Reading that
// registry directly loads no OpenTelemetry package.

// The key @opentelemetry/api 1.x keeps its globals under.
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

export function otelAlreadyRegistered(): boolean {
  const registry = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS];
  return ['trace', 'context', 'propagation'].some((api) => registry?.[api] !== undefined);
}

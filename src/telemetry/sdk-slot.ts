// The SDK started by the preload (register.ts) handed to main.ts. A global slot rather than a module
// variable, so the hand-over holds however the two were loaded (node --import, tsx, a bundler).

export interface StartedSdk {
  /** Whether spans leave the process (an exporter is configured), or are only recorded. */
  spansExported: boolean;
  shutdown(): Promise<void>;
  /** Exports the spans still buffered (a Lambda invocation's, before it returns). */
  flush?(): Promise<void>;
}

const SLOT = Symbol.for('node-backend-template.telemetry.sdk');

export function publishSdk(sdk: StartedSdk): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = sdk;
}

export function publishedSdk(): StartedSdk | undefined {
  return (globalThis as Record<symbol, StartedSdk | undefined>)[SLOT];
}

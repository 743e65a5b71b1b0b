// What a module hands the composition root: its APIs (mounted by the server) and its metric
// declarations (composed into the service's catalogue). Each module has one factory returning this
// (src/profile/profile-module.ts); app.ts calls one factory per module and knows nothing else of it.
import type { BusinessMetric } from '../platform/business-metric.ts';
import type { ApiRegistration } from './register-api.ts';

export interface ServiceModule {
  /** For logs and errors only. */
  readonly name: string;
  readonly apis: readonly ApiRegistration[];
  /** Every metric the module records; docs/observability.md lists them with the catalogue. */
  readonly metrics: readonly BusinessMetric[];
  /** Started when the server listens, stopped when it closes. */
  readonly workers?: readonly BackgroundWorker[];
}

/**
 * Work a module does beside answering requests (the event relay): started once the server listens,
 * stopped when it closes, before the database goes. A server that never listens (tests driving it
 * with inject, Lambda) runs none.
 */
export interface BackgroundWorker {
  /** For logs only. */
  readonly name: string;
  start(): Promise<void>;
  /** Finishes what is in hand and stops; bounded by the worker's own timeouts. */
  stop(): Promise<void>;
}

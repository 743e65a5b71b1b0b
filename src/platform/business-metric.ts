// A module's own metrics: it declares each one here (name, unit, description, attributes) and gets a
// Counter for it from the meter the composition root hands it. The service's metric catalogue is the
// infrastructure's list plus every module's declarations, so adding a module edits no telemetry file.
import { noopCounter, type Counter } from './counter.ts';

export interface BusinessMetric {
  /** OpenTelemetry instrument name, dotted: `profiles.created`. */
  readonly name: string;
  /** UCUM unit; `{thing}` annotations count things and add no suffix. */
  readonly unit: string;
  readonly description: string;
  /** The attribute names recordings may carry (bounded values only: they become labels). */
  readonly attributes: readonly string[];
}

/** Makes the Counter of a declared metric: OpenTelemetry's when telemetry is on, a no-op otherwise. */
export interface BusinessMeter {
  counter(metric: BusinessMetric): Counter;
}

export const noopBusinessMeter: BusinessMeter = { counter: () => noopCounter };

// A module's own metrics: it declares each one here (name, unit, description, attributes) and gets a
// Counter for it from the meter the composition root hands it. The service's metric catalogue is the
// infrastructure's list plus every module's declarations, so adding a module edits no telemetry file.
import { noopCounter, type Counter } from './counter.ts';
import { noopValueRecorder, type ValueRecorder } from './value-recorder.ts';

export interface BusinessMetric {
  /** OpenTelemetry instrument name, dotted: `profiles.created`. */
  readonly name: string;
  /** UCUM unit; `{thing}` annotations count things and add no suffix. */
  readonly unit: string;
  readonly description: string;
  /** The attribute names recordings may carry (bounded values only: they become labels). */
  readonly attributes: readonly string[];
  /** A count (the default), or a distribution of measured values (durations, lags). */
  readonly kind?: 'counter' | 'histogram';
  /** Histogram bucket boundaries, in the metric's unit. */
  readonly buckets?: readonly number[];
}

/** Makes the Counter of a declared metric: OpenTelemetry's when telemetry is on, a no-op otherwise. */
export interface BusinessMeter {
  counter(metric: BusinessMetric): Counter;
  /** The recorder of a metric declared with kind 'histogram'. */
  histogram(metric: BusinessMetric): ValueRecorder;
}

export const noopBusinessMeter: BusinessMeter = {
  counter: () => noopCounter,
  histogram: () => noopValueRecorder,
};

// LOAD_SHEDDING_*: when the process is too busy to answer in time, refuse new work with a 503 rather
// than queueing it until every request times out. A threshold of 0 turns that check off.
import type { z } from 'zod';
import { boolean, duration, integer } from './env-values.ts';

export interface LoadSheddingConfig {
  enabled: boolean;
  /** Event loop delay (ms) above which requests are shed; 0 disables. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use (bytes); 0 disables. */
  maxHeapUsedBytes: number;
  /** Resident set size (bytes); 0 disables. */
  maxRssBytes: number;
  /** How often the measurements are taken. */
  sampleIntervalMs: number;
  /** Retry-After of a shed request, in seconds. */
  retryAfterSeconds: number;
}

export const loadSheddingVariables = {
  LOAD_SHEDDING_ENABLED: boolean.default(true),
  LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY: duration({ min: 0, max: 60_000 }).default(1_000),
  LOAD_SHEDDING_MAX_HEAP_USED_BYTES: integer({ min: 0 }).default(0),
  LOAD_SHEDDING_MAX_RSS_BYTES: integer({ min: 0 }).default(0),
  LOAD_SHEDDING_SAMPLE_INTERVAL: duration({ min: 10, max: 60_000 }).default(1_000),
  LOAD_SHEDDING_RETRY_AFTER: duration({ min: 1000, max: 3_600_000 }).default(10_000),
};

type Values = z.output<z.ZodObject<typeof loadSheddingVariables>>;

export function loadSheddingConfigFrom(values: Values): LoadSheddingConfig {
  return {
    enabled: values.LOAD_SHEDDING_ENABLED,
    maxEventLoopDelayMs: values.LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY,
    maxHeapUsedBytes: values.LOAD_SHEDDING_MAX_HEAP_USED_BYTES,
    maxRssBytes: values.LOAD_SHEDDING_MAX_RSS_BYTES,
    sampleIntervalMs: values.LOAD_SHEDDING_SAMPLE_INTERVAL,
    retryAfterSeconds: Math.ceil(values.LOAD_SHEDDING_RETRY_AFTER / 1000),
  };
}

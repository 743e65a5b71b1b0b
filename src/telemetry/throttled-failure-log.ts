// Failed exports (a collector down or unreachable) are worth a log line, but a batch fails every few
// seconds for as long as the collector is away: the first failure is logged at once, later ones at
// most once per interval, with how many were left out in between.

export type FailureWarn = (fields: { err: unknown; suppressed?: number }, message: string) => void;

export const FAILURE_LOG_INTERVAL_MS = 60_000;
export const FAILURE_MESSAGE = 'telemetry export failed';

export function throttledFailureLog(
  warn: FailureWarn,
  intervalMs: number = FAILURE_LOG_INTERVAL_MS,
  now: () => number = Date.now,
): (error: unknown) => void {
  let lastLoggedAt: number | undefined;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (lastLoggedAt !== undefined && at - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    lastLoggedAt = at;
    warn(suppressed > 0 ? { err: error, suppressed } : { err: error }, FAILURE_MESSAGE);
    suppressed = 0;
  };
}

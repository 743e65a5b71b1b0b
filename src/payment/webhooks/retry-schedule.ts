// When to try a failed delivery again: exponential backoff with full jitter (a random wait between
// zero and base * 2^(attempt-1), capped), so receivers coming back up are not hit by every sender at
// the same instant; a receiver's Retry-After is a floor.
export interface RetrySchedule {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait before the attempt after `attempts` failed ones. */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.min(attempts - 1, 40));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(schedule.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`; undefined if unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

// A failing dependency fails every request; one warning per interval (with how many were folded
// into it) says as much without flooding the logs.
import type { FastifyBaseLogger } from 'fastify';

export type Warn = (error: unknown) => void;

export function throttledWarning(
  logger: FastifyBaseLogger,
  message: string,
  intervalMs: number,
  now: () => number = Date.now,
): Warn {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn({ err: error, suppressed }, message);
    lastAt = at;
    suppressed = 0;
  };
}

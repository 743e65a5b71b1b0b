// Zod schemas for the shapes environment variables come in. Each one turns the raw string into a
// typed value or fails with a message a person can act on.
import ms from 'ms';
import { z } from 'zod';

/** A duration such as `500ms`, `30s`, `5m` or a bare number of milliseconds. */
export function duration(options: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return z.string().transform((raw, ctx) => {
    const value = /^\s*\d+\s*$/.test(raw)
      ? Number(raw)
      : (ms as (value: string) => number | undefined)(raw.trim());
    if (value === undefined || !Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: `must be a duration like 500ms, 30s or 5m (got "${raw}")` });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${ms(min)} and ${ms(max)} (got "${raw}")` });
      return z.NEVER;
    }
    return Math.round(value);
  });
}

export function integer(options: { min?: number; max?: number } = {}) {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max} (got "${raw}")` });
      return z.NEVER;
    }
    return value;
  });
}

export const port = integer({ min: 1, max: 65535 });

export const boolean = z.string().transform((raw, ctx) => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (got "${raw}")` });
  return z.NEVER;
});

export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  const isOneOf = (value: string): value is Values[number] => (values as readonly string[]).includes(value);
  return z.string().transform((raw, ctx) => {
    const value = raw.trim();
    if (isOneOf(value)) return value;
    ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (got "${raw}")` });
    return z.NEVER;
  });
}

/** A secret: never echoed back in error messages. */
export function secret(options: { minBytes: number }) {
  return z.string().refine((raw) => Buffer.byteLength(raw, 'utf8') >= options.minBytes, {
    message: `must be at least ${options.minBytes} bytes long`,
  });
}

export const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

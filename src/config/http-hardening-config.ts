// Browser-facing and transport hardening: CORS, HSTS, proxies, and bounds on what a request may send
// before any handler sees it.
import { z } from 'zod';
import { boolean, integer } from './env-values.ts';

export interface HttpHardeningConfig {
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all. */
  corsAllowedOrigins: string[];
  /** Send Strict-Transport-Security on every response (TLS terminated here or always in front). */
  hstsEnabled: boolean;
  /** Trust X-Forwarded-For/-Proto from the proxy in front (client address, HSTS over https). */
  trustProxy: boolean;
  /** Bytes of request line and headers Node accepts; beyond them: 431. */
  maxHeaderSizeBytes: number;
  /** Characters of request target accepted; beyond them: 414. */
  maxUrlLength: number;
}

export const httpHardeningVariables = {
  CORS_ALLOWED_ORIGINS: originList().default([]),
  HSTS_ENABLED: boolean.default(false),
  TRUST_PROXY: boolean.default(false),
  HTTP_MAX_HEADER_SIZE: integer({ min: 1024, max: 1024 * 1024 }).default(16 * 1024),
  HTTP_MAX_URL_LENGTH: integer({ min: 256, max: 64 * 1024 }).default(4096),
};

type Values = z.output<z.ZodObject<typeof httpHardeningVariables>>;

export function httpHardeningConfigFrom(values: Values): HttpHardeningConfig {
  return {
    corsAllowedOrigins: values.CORS_ALLOWED_ORIGINS,
    hstsEnabled: values.HSTS_ENABLED,
    trustProxy: values.TRUST_PROXY,
    maxHeaderSizeBytes: values.HTTP_MAX_HEADER_SIZE,
    maxUrlLength: values.HTTP_MAX_URL_LENGTH,
  };
}

/** `https://app.example.com, http://127.0.0.1:3000`: exact origins, no wildcards, no paths. */
function originList() {
  return z.string().transform((raw, ctx) => {
    const origins = raw
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    const bad = origins.filter((origin) => !isOrigin(origin));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of origins like https://app.example.com (bad: ${bad.join(', ')})`,
      });
    }
    return origins;
  });
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

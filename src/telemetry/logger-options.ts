// The pino options of the service's one logger: JSON to stdout (Fluent Bit ships it to VictoriaLogs),
// trace ids on every line when telemetry is on, and secrets never written.
import type { LoggerOptions } from 'pino';

/** Paths pino censors wherever they appear in a log call's object. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'hmacSecret',
  '*.hmacSecret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  "*.headers['set-cookie']",
  "*.headers['x-api-key']",
];

export interface LoggerSettings {
  level: string;
  serviceName: string;
  /** Adds fields to every line (the trace ids); absent when telemetry is off. */
  mixin?: () => Record<string, string>;
}

export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.serviceName },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(settings.mixin ? { mixin: settings.mixin } : {}),
  };
}

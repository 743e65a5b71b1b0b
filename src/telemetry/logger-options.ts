// The pino options of the service's one logger: JSON to stdout (Fluent Bit ships it to VictoriaLogs),
// trace ids on every line when telemetry is on, and secrets never written.
import type { LoggerOptions } from 'pino';

/**
 * Paths pino censors wherever they appear in a log call's object (at the top level or one level
 * down: `req.headers.authorization`, `config.password`). Main and the tests build their loggers from
 * these options, so what the tests prove is what production writes.
 */
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
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'id_token',
  '*.id_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'apiKey',
  '*.apiKey',
  'privateKey',
  '*.privateKey',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  "headers['set-cookie']",
  "*.headers['set-cookie']",
  "headers['x-api-key']",
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

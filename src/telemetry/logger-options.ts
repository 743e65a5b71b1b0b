// The pino options of the service's one logger: JSON to stdout (Fluent Bit ships it to VictoriaLogs),
// trace ids on every line when telemetry is on, and secrets never written.
import { pino, type Logger, type LoggerOptions } from 'pino';
import { censorSecrets } from './secret-censor.ts';

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
    // What each call logs (mixin fields included) and each child logger's bindings, before pino's
    // serializers pick fields from the request and reply objects (which never include headers).
    formatters: { log: censorSecrets, bindings: censorSecrets },
    ...(settings.mixin ? { mixin: settings.mixin } : {}),
  };
}

/**
 * The service process's logger on stdout, written asynchronously: a line is written at once when
 * stdout is idle, and lines logged while a write is under way go out together in the next, instead
 * of one blocking write per line. pino flushes what is pending when the process exits. (A Lambda
 * function logs synchronously instead: its process is frozen between invocations.)
 */
export function serviceLogger(settings: LoggerSettings): Logger {
  return pino(loggerOptions(settings), pino.destination({ dest: 1, sync: false }));
}

/**
 * The structured log as code beyond the composition root writes to it: pino's calling shape (fields
 * first, then the message), so the service's logger is handed over as it is.
 */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

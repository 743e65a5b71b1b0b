/** The slice of a pino logger the database layer writes to. */
export interface DatabaseLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export const silentDatabaseLogger: DatabaseLogger = {
  info: () => undefined,
  warn: () => undefined,
};

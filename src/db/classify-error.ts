import {
  ConnectionError,
  DatabaseError,
  ForeignKeyViolationError,
  IntegrityViolationError,
  QueryTimeoutError,
  ReadOnlyDatabaseError,
  RetryableTransactionError,
  SqlState,
  UniqueViolationError,
} from './errors.ts';

// Socket errors that mean the server could not be reached or the link broke. DNS failures are here
// too: for a replica host they mean the same as a refused connection.
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres reports a lost or unobtainable connection with plain Errors that carry no code.
const DRIVER_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'The server does not support SSL connections',
  // query_timeout expired: no answer, so the connection is as good as lost.
  'Query read timeout',
];

// SQLSTATEs after which the server has ended the session (57P04: database dropped, 57P05: idle
// session timeout), or refused it (53300: too many connections).
const SESSION_ENDED_STATES = new Set<string>([
  SqlState.adminShutdown,
  SqlState.crashShutdown,
  SqlState.cannotConnectNow,
  '57P04',
  '57P05',
  '53300',
]);

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  message?: unknown;
  errors?: unknown;
}

/**
 * Maps a node-postgres or PGlite error to the typed errors of errors.ts, keeping the original as
 * `cause`. Errors already classified, and errors that are none of the database's business, come back
 * unchanged. Messages are built from names only (constraint, table, column), never from the driver's
 * message or detail, which may quote the values of the row.
 */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseError || typeof error !== 'object' || error === null) {
    return error;
  }
  const driverError = error as DriverError;
  const code = typeof driverError.code === 'string' ? driverError.code : undefined;
  const details = {
    code,
    constraint: stringOrUndefined(driverError.constraint),
    table: stringOrUndefined(driverError.table),
    cause: error,
  };
  const on = details.table === undefined ? '' : ` on table "${details.table}"`;
  const constraint = details.constraint === undefined ? '' : ` "${details.constraint}"`;

  switch (code ?? '') {
    case SqlState.uniqueViolation:
      return new UniqueViolationError(`unique constraint${constraint} violated${on}`, details);
    case SqlState.foreignKeyViolation:
      return new ForeignKeyViolationError(`foreign key constraint${constraint} violated${on}`, details);
    case SqlState.notNullViolation: {
      const column = stringOrUndefined(driverError.column);
      const where = column === undefined ? on : ` in column "${column}"${on}`;
      return new IntegrityViolationError(`not-null constraint violated${where}`, details);
    }
    case SqlState.checkViolation:
      return new IntegrityViolationError(`check constraint${constraint} violated${on}`, details);
    case SqlState.serializationFailure:
      return new RetryableTransactionError('transaction aborted by a serialization failure', details);
    case SqlState.deadlockDetected:
      return new RetryableTransactionError('transaction aborted to break a deadlock', details);
    case SqlState.queryCanceled:
      return new QueryTimeoutError('statement canceled (statement timeout or cancel request)', details);
    case SqlState.idleInTransactionTimeout:
      return new QueryTimeoutError('session ended by the idle-in-transaction timeout', details);
    case SqlState.readOnlySqlTransaction:
      return new ReadOnlyDatabaseError('write attempted on a read-only server or transaction', details);
  }

  if (code !== undefined && (code.startsWith('08') || SESSION_ENDED_STATES.has(code))) {
    return new ConnectionError(`database connection lost or refused (SQLSTATE ${code})`, details);
  }
  // The server turned the connection away at login: a role or password it does not accept (28xxx) or
  // a database it does not have (3D000). Nothing this service can do now makes that request succeed,
  // but another server may (a reader's reads go to the writer), and an operator can fix it: the
  // database is unavailable, not the request wrong.
  if (code !== undefined && (code.startsWith('28') || code === SqlState.invalidCatalogName)) {
    return new ConnectionError(`database login refused (SQLSTATE ${code})`, details);
  }
  const networkCode = networkErrorCode(driverError);
  if (networkCode !== undefined) {
    return new ConnectionError(`database unreachable (${networkCode})`, details);
  }
  const message = typeof driverError.message === 'string' ? driverError.message : '';
  if (code === undefined && DRIVER_CONNECTION_MESSAGES.some((known) => message.startsWith(known))) {
    return new ConnectionError(`database connection failed: ${message}`, details);
  }
  return error;
}

function networkErrorCode(error: DriverError): string | undefined {
  if (typeof error.code === 'string' && NETWORK_ERROR_CODES.has(error.code)) {
    return error.code;
  }
  // Node reports a failed connect to a host with several addresses as an AggregateError.
  if (Array.isArray(error.errors)) {
    const codes = error.errors.map((inner) =>
      typeof inner === 'object' && inner !== null ? networkErrorCode(inner as DriverError) : undefined,
    );
    if (codes.length > 0 && codes.every((inner) => inner !== undefined)) {
      return codes[0];
    }
  }
  return undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

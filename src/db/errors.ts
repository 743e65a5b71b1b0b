// The one place that knows PostgreSQL's SQLSTATE codes. Adapters classify every driver error with
// classifyDatabaseError, so persistence code catches these types and maps them to domain errors.

export const SqlState = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  notNullViolation: '23502',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
  idleInTransactionTimeout: '25P03',
  readOnlySqlTransaction: '25006',
  invalidCatalogName: '3D000',
  invalidPassword: '28P01',
  invalidAuthorizationSpecification: '28000',
} as const;

export interface DatabaseErrorDetails {
  code?: string | undefined;
  constraint?: string | undefined;
  table?: string | undefined;
  cause?: unknown;
}

export class DatabaseError extends Error {
  readonly code: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string | undefined;

  constructor(message: string, details: DatabaseErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.constraint = details.constraint;
    this.table = details.table;
  }
}

/** 23505: a unique index or constraint rejected the row; `constraint` names which one. */
export class UniqueViolationError extends DatabaseError {}

/** 23503: a referenced row is missing, or a referencing row still exists. */
export class ForeignKeyViolationError extends DatabaseError {}

/** 23502 / 23514: the row breaks a NOT NULL or CHECK constraint. */
export class IntegrityViolationError extends DatabaseError {}

/** 40001 / 40P01: the transaction lost a race; running it again may succeed. */
export class RetryableTransactionError extends DatabaseError {}

/** 57014 or a transaction deadline: the statement or transaction took longer than allowed. */
export class QueryTimeoutError extends DatabaseError {}

/** The database could not be reached, the connection broke, or no pooled connection was free in time. */
export class ConnectionError extends DatabaseError {}

/** 25006: a write reached a server in recovery (a replica), usually a routing mistake or a failover. */
export class ReadOnlyDatabaseError extends DatabaseError {}

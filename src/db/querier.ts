export interface QueryResult<Row> {
  rows: Row[];
  /** Rows returned, or affected by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/**
 * Runs one parameterized statement. A pool, a pinned connection and an open transaction all look
 * the same to a caller, so persistence code never knows which one it was given.
 *
 * Errors thrown are classified (see classify-error.ts) wherever errors.ts has a type for them; any
 * other database error (a syntax error, say) comes as the driver raised it.
 * Values come back the same from every adapter: timestamptz as Date, int8 and numeric as string,
 * json/jsonb parsed, uuid as string; date, timestamp (without time zone) and interval as their
 * PostgreSQL text; arrays of these likewise. Pass json parameters as JSON.stringify(value).
 *
 * Without params, `sql` may hold several statements separated by semicolons (the simple protocol);
 * the result is the last statement's.
 */
export interface Querier {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

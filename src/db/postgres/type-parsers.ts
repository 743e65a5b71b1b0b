import pg from 'pg';

// OIDs from pg_type.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const INTERVAL = 1186;
const TEXT_ARRAY = 1009;
const INT8_ARRAY = 1016;
const NUMERIC_ARRAY = 1231;
const DATE_ARRAY = 1182;
const TIMESTAMP_ARRAY = 1115;
const INTERVAL_ARRAY = 1187;

const asText = (value: string): string => value;

/**
 * The value types every adapter returns, for one pool: int8 and numeric stay strings (no precision
 * lost), and so do date, timestamp without time zone and interval (a JavaScript Date would invent a
 * time zone for them). timestamptz (Date), json/jsonb (parsed) and uuid (string) keep node-postgres's
 * defaults. Set on the pool, so pg's process-wide registry is left alone.
 */
export function createTypeParsers(): pg.CustomTypesConfig {
  const parsers = new pg.TypeOverrides();
  // text[]'s parser: an array of strings, NULL elements as null. (@types/pg types the returned
  // parser's argument as an OID; it is the column's text.)
  const textArray = parsers.getTypeParser(TEXT_ARRAY, 'text') as unknown as (value: string) => unknown;
  for (const oid of [INT8, NUMERIC, DATE, TIMESTAMP, INTERVAL]) {
    parsers.setTypeParser(oid, 'text', asText);
  }
  for (const oid of [INT8_ARRAY, NUMERIC_ARRAY, DATE_ARRAY, TIMESTAMP_ARRAY, INTERVAL_ARRAY]) {
    parsers.setTypeParser(oid, 'text', textArray);
  }
  return parsers;
}

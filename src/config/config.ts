// The one typed reading of the environment. main.ts hands it a plain object (process.env merged
// over .env); nothing else in the service reads the environment.
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { boolean, duration, integer, nonEmpty, oneOf, secret } from './env-values.ts';
import {
  DEFAULT_SERVICE_NAME,
  telemetryConfigFrom,
  telemetryVariables,
  type TelemetryConfig,
} from './telemetry-config.ts';
import { ENDPOINT_FIELDS, readPostgresEndpoints, type PostgresEndpoint } from './postgres-config.ts';
import { readReplicaVariables } from './read-replica-config.ts';
import {
  rateLimitConfigFrom,
  rateLimitVariables,
  ROUTE_VARIABLE_EXAMPLES,
  type RateLimitConfig,
} from './rate-limit-config.ts';
import {
  loadSheddingConfigFrom,
  loadSheddingVariables,
  type LoadSheddingConfig,
} from './load-shedding-config.ts';
import {
  httpHardeningConfigFrom,
  httpHardeningVariables,
  type HttpHardeningConfig,
} from './http-hardening-config.ts';
import { authConfigFrom, authVariables, type AuthConfig } from './auth-config.ts';
import { paymentConfigFrom, paymentVariables, type PaymentConfig } from './payment-config.ts';
import { eventsConfigFrom, eventsVariables, type EventsConfig } from './events-config.ts';

const HMAC_SECRET_MIN_BYTES = 32;

const schema = z.object({
  SERVICE_NAME: nonEmpty.default(DEFAULT_SERVICE_NAME),
  HOST: nonEmpty.default('127.0.0.1'),
  // 0 asks the OS for a free port (the log says which).
  PORT: integer({ min: 0, max: 65535 }).default(8080),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: nonEmpty.default('.data'),

  HTTP_REQUEST_TIMEOUT: duration({ min: 1000 }).default(30_000),
  HTTP_HEADERS_TIMEOUT: duration({ min: 1000 }).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT: duration({ min: 1000 }).default(72_000),
  HTTP_BODY_LIMIT: integer({ min: 1024, max: 100 * 1024 * 1024 }).default(1024 * 1024),
  SHUTDOWN_TIMEOUT: duration({ min: 100 }).default(10_000),

  HMAC_SECRET: secret({ minBytes: HMAC_SECRET_MIN_BYTES }).optional(),

  POSTGRES_SSLMODE: oneOf(['disable', 'require', 'verify-full']).default('disable'),
  POSTGRES_SSL_ROOT_CERT: nonEmpty.optional(),
  POSTGRES_POOL_MAX: integer({ min: 1, max: 1000 }).default(10),
  POSTGRES_CONNECT_TIMEOUT: duration({ min: 100 }).default(5_000),
  POSTGRES_IDLE_TIMEOUT: duration({ min: 1000 }).default(30_000),
  POSTGRES_STATEMENT_TIMEOUT: duration({ min: 0 }).default(30_000),
  POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT: duration({ min: 0 }).default(60_000),
  POSTGRES_APPLICATION_NAME: nonEmpty.optional(),
  POSTGRES_READER_RECHECK_INTERVAL: duration({ min: 100 }).default(5_000),
  DB_TX_TIMEOUT: duration({ min: 10 }).default(5_000),
  PAGINATION_CURSOR_TTL: duration({ min: 1000 }).default(3_600_000),

  // Default: on in embedded mode (a laptop), off with a real database (a deployment).
  DOCS_ENABLED: boolean.optional(),

  MIGRATE_ON_START: boolean.default(false),
  MIGRATIONS_DIR: nonEmpty.default('migrations'),
  ...readReplicaVariables,
  ...telemetryVariables,
  ...rateLimitVariables,
  ...loadSheddingVariables,
  ...httpHardeningVariables,
  ...paymentVariables,
  ...eventsVariables,
});

// Read on their own, so a bad key is reported even when another variable is bad too.
const authSchema = z.object(authVariables);

export interface EmbeddedDatabaseConfig {
  kind: 'embedded';
  dataDir: string;
}

export interface PostgresDatabaseConfig {
  kind: 'postgres';
  primary: PostgresEndpoint;
  replicas: PostgresEndpoint[];
  sslMode: 'disable' | 'require' | 'verify-full';
  sslRootCertPath: string | undefined;
  poolMax: number;
  readerPoolMax: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  applicationName: string;
  readerRecheckIntervalMs: number;
}

export interface Config {
  serviceName: string;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  dataDir: string;
  http: {
    host: string;
    port: number;
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    bodyLimitBytes: number;
    shutdownTimeoutMs: number;
  };
  database: EmbeddedDatabaseConfig | PostgresDatabaseConfig;
  /** requireReplicas false: /readyz stays 200 ("degraded") while only replicas are down. */
  readiness: { requireReplicas: boolean };
  migrations: { dir: string; onStart: boolean };
  txTimeoutMs: number;
  pagination: { cursorTtlSeconds: number };
  /** Required with a real database; in embedded mode main.ts makes one under dataDir when absent. */
  hmacSecret: string | undefined;
  telemetry: TelemetryConfig;
  rateLimit: RateLimitConfig;
  loadShedding: LoadSheddingConfig;
  hardening: HttpHardeningConfig;
  auth: AuthConfig;
  /** GET /docs, the interactive API reference. */
  docs: { enabled: boolean };
  payment: PaymentConfig;
  events: EventsConfig;
}

/** Every variable the service reads (replicas as their _1_ form), for documentation checks. */
export function readVariableNames(): string[] {
  return [
    ...Object.keys(schema.shape),
    ...Object.keys(authSchema.shape),
    ...ENDPOINT_FIELDS.map((field) => `POSTGRES_PRIMARY_${field}`),
    ...ENDPOINT_FIELDS.map((field) => `POSTGRES_REPLICA_1_${field}`),
    ...ROUTE_VARIABLE_EXAMPLES,
  ];
}

/** Reads the whole environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const issues: ConfigIssue[] = [];
  const defined = definedOnly(env);
  const parsed = schema.safeParse(defined);
  const authParsed = authSchema.safeParse(defined);
  for (const result of [parsed, authParsed]) {
    if (result.success) continue;
    for (const issue of result.error.issues) {
      issues.push({ variable: String(issue.path[0]), message: issue.message });
    }
  }
  const endpoints = readPostgresEndpoints(defined, issues);
  const rateLimit = rateLimitConfigFrom(parsed.success ? parsed.data : undefined, defined, issues);

  if (parsed.success && endpoints && parsed.data.HMAC_SECRET === undefined) {
    issues.push({
      variable: 'HMAC_SECRET',
      message: `is required with a real database (at least ${HMAC_SECRET_MIN_BYTES} bytes; e.g. openssl rand -base64 48)`,
    });
  }
  const auth = authParsed.success
    ? authConfigFrom(authParsed.data, endpoints !== undefined, issues)
    : undefined;
  const payment = parsed.success
    ? paymentConfigFrom(parsed.data, endpoints !== undefined, issues)
    : undefined;
  const events = parsed.success ? eventsConfigFrom(parsed.data, endpoints !== undefined, issues) : undefined;
  if (issues.length > 0 || !parsed.success || !rateLimit || !auth || !payment || !events)
    throw new ConfigError(issues);

  const e = parsed.data;
  return {
    serviceName: e.SERVICE_NAME,
    log: { level: e.LOG_LEVEL },
    dataDir: e.DATA_DIR,
    http: {
      host: e.HOST,
      port: e.PORT,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    },
    database: endpoints
      ? {
          kind: 'postgres',
          primary: endpoints.primary,
          replicas: endpoints.replicas,
          sslMode: e.POSTGRES_SSLMODE,
          sslRootCertPath: e.POSTGRES_SSL_ROOT_CERT,
          poolMax: e.POSTGRES_POOL_MAX,
          readerPoolMax: e.POSTGRES_READER_POOL_MAX ?? e.POSTGRES_POOL_MAX,
          connectTimeoutMs: e.POSTGRES_CONNECT_TIMEOUT,
          idleTimeoutMs: e.POSTGRES_IDLE_TIMEOUT,
          statementTimeoutMs: e.POSTGRES_STATEMENT_TIMEOUT,
          idleInTransactionTimeoutMs: e.POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT,
          applicationName: e.POSTGRES_APPLICATION_NAME ?? e.SERVICE_NAME,
          readerRecheckIntervalMs: e.POSTGRES_READER_RECHECK_INTERVAL,
        }
      : { kind: 'embedded', dataDir: `${e.DATA_DIR}/pglite` },
    readiness: { requireReplicas: e.READINESS_REQUIRES_REPLICAS },
    migrations: { dir: e.MIGRATIONS_DIR, onStart: e.MIGRATE_ON_START },
    txTimeoutMs: e.DB_TX_TIMEOUT,
    pagination: { cursorTtlSeconds: Math.floor(e.PAGINATION_CURSOR_TTL / 1000) },
    hmacSecret: e.HMAC_SECRET,
    telemetry: telemetryConfigFrom(e),
    rateLimit,
    loadShedding: loadSheddingConfigFrom(e),
    hardening: httpHardeningConfigFrom(e),
    auth,
    docs: { enabled: e.DOCS_ENABLED ?? endpoints === undefined },
    payment,
    events,
  };
}

/** Empty strings count as unset, as in most .env tooling, so `FOO=` falls back to the default. */
function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') result[key] = value;
  }
  return result;
}

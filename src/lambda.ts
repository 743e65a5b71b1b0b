// AWS Lambda entry point: the same app as main.ts, served to API Gateway (HTTP API payload 2.0 and
// REST API 1.0 events) through @fastify/aws-lambda, with no listening socket. The first invocation of
// a container opens the database and builds the app; later ones reuse both. Migrations never run
// here (a cold start must not race other containers on the schema): the migration job does them.
// Handler: dist/src/lambda.handler (see docs/deployment.md).
import awsLambdaFastify from '@fastify/aws-lambda';
import { pino } from 'pino';
import { createApp } from './app.ts';
import { ConfigError } from './config/config-error.ts';
import { loadConfig, type Config } from './config/config.ts';
import { readEnvironment } from './config/read-environment.ts';
import { openDatabase } from './database-from-config.ts';
import type { ConnectionPool } from './db/connection-pool.ts';
import type { DatabaseLogger } from './db/database-logger.ts';
import { loggerOptions } from './telemetry/logger-options.ts';
import { startTelemetry } from './telemetry/start-telemetry.ts';
import type { Telemetry } from './telemetry/telemetry.ts';

/** One connection per container: a container serves one invocation at a time. */
export const LAMBDA_POOL_MAX = '1';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

interface Booted {
  proxy: Handler;
  telemetry: Telemetry;
  close(): Promise<void>;
}

/** The handler, and a way to release its connections (for tests; Lambda simply freezes containers). */
export type LambdaHandler = Handler & { close(): Promise<void> };

export interface LambdaOptions {
  /** The environment to read; process.env in the deployed function. */
  env: Record<string, string | undefined>;
  /** Opens the database; tests hand in one of their own. */
  openDatabase?: (config: Config, logger: DatabaseLogger, telemetry: Telemetry) => Promise<ConnectionPool>;
}

/**
 * The Lambda environment: the service's, with other defaults where a container differs from a
 * server: a pool of one connection, and no load shedding (Lambda runs one invocation per container at
 * a time and scales by containers; the cold start's event loop delay would shed the first requests).
 */
export function lambdaConfig(env: Record<string, string | undefined>): Config {
  const values = readEnvironment(env);
  if (!values.POSTGRES_POOL_MAX) values.POSTGRES_POOL_MAX = LAMBDA_POOL_MAX;
  if (!values.LOAD_SHEDDING_ENABLED) values.LOAD_SHEDDING_ENABLED = 'false';
  return loadConfig(values);
}

async function boot(options: LambdaOptions): Promise<Booted> {
  const config = lambdaConfig(options.env);
  const open = options.openDatabase ?? openDatabase;
  if (config.database.kind === 'embedded' && options.openDatabase === undefined) {
    throw new ConfigError([
      {
        variable: 'POSTGRES_PRIMARY_HOST',
        message: 'is required on Lambda: the embedded database would live and die with one container',
      },
    ]);
  }
  if (config.auth.mode === 'built-in' && config.auth.signingKey === undefined) {
    throw new ConfigError([{ variable: 'AUTH_SIGNING_KEY', message: 'is required on Lambda' }]);
  }
  if (config.hmacSecret === undefined) {
    throw new ConfigError([{ variable: 'HMAC_SECRET', message: 'is required on Lambda' }]);
  }
  const telemetry = await startTelemetry(config.telemetry);
  const logger = pino(
    loggerOptions({ level: config.log.level, serviceName: config.serviceName, mixin: telemetry.logFields }),
  );
  if (config.migrations.onStart) {
    logger.warn('MIGRATE_ON_START is ignored on Lambda: apply migrations with the migration job');
  }
  const db = await open(config, logger, telemetry);
  try {
    const app = await createApp(config, { db, logger, hmacSecret: config.hmacSecret, telemetry });
    const proxy = awsLambdaFastify(app, {
      callbackWaitsForEmptyEventLoop: false,
      // The app is built and started already; nothing here reads the raw event.
      decorateRequest: false,
    }) as Handler;
    await app.ready();
    const close = async () => {
      await app.close();
      await db.close();
      await telemetry.shutdown();
    };
    return { proxy, telemetry, close };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** A handler that builds the app on its first invocation and reuses it after. */
export function createLambdaHandler(options: LambdaOptions): LambdaHandler {
  let booted: Promise<Booted> | undefined;
  const handle: Handler = async (event, context) => {
    // A failed start is retried by the next invocation instead of failing every one after it.
    booted ??= boot(options).catch((error: unknown) => {
      booted = undefined;
      throw error;
    });
    const { proxy, telemetry } = await booted;
    try {
      return await proxy(event, context);
    } finally {
      // The container may be frozen as soon as the handler returns: export spans and metrics now.
      await telemetry.flush();
    }
  };
  const close = async () => {
    const started = await booted?.catch(() => undefined);
    booted = undefined;
    await started?.close();
  };
  return Object.assign(handle, { close });
}

export const handler = createLambdaHandler({ env: process.env });

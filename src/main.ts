// Composition root: environment -> config -> infrastructure -> modules -> server -> listen, and a
// graceful shutdown. The only file that reads process.env or chooses adapters.
import closeWithGrace from 'close-with-grace';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { ConfigError } from './config/config-error.ts';
import { loadConfig, type Config } from './config/config.ts';
import { readEnvironment } from './config/read-environment.ts';
import { applyMigrations, loadMigrations } from './db/migrations.ts';
import { loadOrCreateSecret } from './platform/local-secret-file.ts';
import { loggerOptions } from './telemetry/logger-options.ts';
import { startTelemetry } from './telemetry/start-telemetry.ts';
import type { Telemetry } from './telemetry/telemetry.ts';
import { createApp } from './app.ts';
import { openDatabase } from './database-from-config.ts';

function hmacSecretFor(config: Config, logger: Logger): string {
  if (config.hmacSecret) return config.hmacSecret;
  const secret = loadOrCreateSecret(config.dataDir, 'hmac-secret', () =>
    randomBytes(48).toString('base64url'),
  );
  if (secret.created) {
    logger.warn(
      { path: secret.path },
      'HMAC_SECRET is not set: generated one for embedded mode; set it in production',
    );
  }
  return secret.value;
}

async function start(config: Config, logger: Logger, telemetry: Telemetry): Promise<void> {
  const db = await openDatabase(config, logger, telemetry);
  let app: FastifyInstance | undefined;
  let grace: ReturnType<typeof closeWithGrace> | undefined;
  try {
    if (config.database.kind === 'embedded' || config.migrations.onStart) {
      const applied = await applyMigrations(db, await loadMigrations(config.migrations.dir), { logger });
      logger.info({ applied }, 'migrations up to date');
    }

    const server = await createApp(config, {
      db,
      logger,
      hmacSecret: hmacSecretFor(config, logger),
      telemetry,
    });
    app = server;
    grace = closeWithGrace({ delay: config.http.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'shutting down after an unhandled error');
      else logger.info({ signal }, 'shutting down');
      await server.close();
      await db.close();
      await telemetry.shutdown();
    });

    await server.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    grace?.uninstall();
    await app?.close();
    await db.close();
    throw error;
  }
}

function main(): void {
  let config: Config;
  try {
    config = loadConfig(readEnvironment(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  startTelemetry(config.telemetry).then(
    (telemetry) => {
      const logger = pino(
        loggerOptions({
          level: config.log.level,
          serviceName: config.serviceName,
          mixin: telemetry.logFields,
        }),
      );
      const { tracing, metrics, warnings } = telemetry.status;
      logger.info({ telemetry: { mode: config.telemetry.mode, tracing, metrics } }, 'telemetry');
      for (const warning of warnings) logger.warn(warning);
      start(config, logger, telemetry).catch(async (error: unknown) => {
        logger.fatal({ err: error }, 'failed to start');
        process.exitCode = 1;
        await telemetry.shutdown();
      });
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

main();

// Composition root: environment -> config -> infrastructure -> modules -> server -> listen, and a
// graceful shutdown. The only file that reads process.env or chooses adapters.
import closeWithGrace from 'close-with-grace';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError } from './config/config-error.ts';
import { loadConfig, type Config } from './config/config.ts';
import { readEnvironment } from './config/read-environment.ts';
import { applyMigrations, loadMigrations } from './db/migrations.ts';
import { pendingMigrationsCheck } from './db/pending-migrations.ts';
import { createClientAdmin } from './auth/create-auth.ts';
import { generateSigningKeyPem } from './auth/tokens/signing-key.ts';
import { payloadSigningKeyPem } from './payment/payload-signing/payload-signing-key.ts';
import { loadOrCreateSecret } from './platform/local-secret-file.ts';
import { systemClock } from './platform/clock.ts';
import { uuidV7Generator } from './platform/ids.ts';
import type { ConnectionPool } from './db/connection-pool.ts';
import { serviceLogger } from './telemetry/logger-options.ts';
import { startTelemetry } from './telemetry/start-telemetry.ts';
import type { Telemetry } from './telemetry/telemetry.ts';
import { createApp } from './app.ts';
import { webhookSecretFrom } from './payment/webhooks/webhook-signature.ts';
import { openDatabase } from './database-from-config.ts';
import { SERVICE_SCOPES } from './service-catalog.ts';

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

/** Embedded mode without PIX_WEBHOOK_SIGNING_SECRET: one made once and kept under DATA_DIR. */
function webhookSigningSecretFor(config: Config, logger: Logger): string {
  if (config.events.webhooks.signingSecret) return config.events.webhooks.signingSecret;
  const secret = loadOrCreateSecret(config.dataDir, 'pix-webhook-signing-secret', () =>
    webhookSecretFrom(randomBytes(32)),
  );
  if (secret.created) {
    logger.warn(
      { path: secret.path },
      'PIX_WEBHOOK_SIGNING_SECRET is not set: generated one for embedded mode; set it in production',
    );
  }
  return secret.value;
}

/** Embedded mode without AUTH_SIGNING_KEY: a key generated once and kept under DATA_DIR. */
function signingKeyFor(config: Config, logger: Logger): string | undefined {
  if (config.auth.mode !== 'built-in' || config.auth.signingKey !== undefined) return undefined;
  const key = loadOrCreateSecret(config.dataDir, 'auth-signing-key.pem', generateSigningKeyPem);
  if (key.created) {
    logger.warn(
      { path: key.path },
      'AUTH_SIGNING_KEY is not set: generated an Ed25519 key for embedded mode; set it in production',
    );
  }
  return key.value;
}

/** PIX_PAYLOAD_SIGNING_KEY, else (embedded mode only) an RSA key generated once under DATA_DIR. */
function payloadSigningKeyFor(config: Config, logger: Logger): string {
  const key = payloadSigningKeyPem({
    configured: config.payment.payloadSigningKey,
    dataDir: config.dataDir,
    embedded: config.database.kind === 'embedded',
  });
  if (key.generatedAt !== undefined) {
    logger.warn(
      { path: key.generatedAt },
      'PIX_PAYLOAD_SIGNING_KEY is not set: generated an RSA key for embedded mode; set it in production',
    );
  }
  return key.pem;
}

/**
 * Embedded mode with no bootstrap client: on the very first start (no client ever existed) a
 * development client is made and its secret shown this once, on stderr; only its hash is kept. At
 * later starts it gains the scopes of any module added since.
 */
async function ensureDevelopmentClient(config: Config, db: ConnectionPool): Promise<void> {
  if (config.database.kind !== 'embedded' || config.auth.mode !== 'built-in' || config.auth.bootstrapClient)
    return;
  const created = await createClientAdmin({
    db,
    clock: systemClock,
    ids: uuidV7Generator,
    scopes: SERVICE_SCOPES,
  }).ensureDevelopmentClient('development');
  if (!created) return;
  // The export lines stand alone, unindented and unframed, so each pastes whole into a shell.
  const lines = [
    '',
    `A development OAuth client was created (scopes: ${created.client.scopes.join(' ')}). Its secret is`,
    'shown only this once; keep it, for instance in your shell:',
    '',
    `export CLIENT_ID=${created.client.id}`,
    `export CLIENT_SECRET=${created.secret}`,
    '',
    'Then get a token:',
    '',
    `curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials http://127.0.0.1:${config.http.port}/oauth/token`,
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}

/**
 * The embedded database, or MIGRATE_ON_START: applies the migrations. Otherwise they are a separate
 * step (npm run db:migrate, a deploy job), and the returned check keeps /readyz at 503 until it ran.
 */
async function prepareSchema(
  config: Config,
  db: ConnectionPool,
  logger: Logger,
): Promise<(() => Promise<string[]>) | undefined> {
  const migrations = await loadMigrations(config.migrations.dir);
  if (config.database.kind === 'embedded' || config.migrations.onStart) {
    const applied = await applyMigrations(db, migrations, { logger });
    logger.info({ applied }, 'migrations up to date');
    return undefined;
  }
  const check = pendingMigrationsCheck(db, migrations);
  const pending = await check().catch(() => undefined);
  if (pending === undefined) {
    logger.warn('could not check for pending migrations (database unreachable); /readyz will');
  } else if (pending.length > 0 && config.auth.mode === 'built-in' && config.auth.bootstrapClient) {
    // The bootstrap client is written at start, into a table that does not exist yet.
    throw new Error(
      `migrations pending (${pending.join(', ')}); AUTH_BOOTSTRAP_CLIENT_ID is stored at start and ` +
        'needs them: run npm run db:migrate first, or set MIGRATE_ON_START=true',
    );
  } else if (pending.length > 0) {
    logger.warn(
      { pending },
      'migrations pending: not ready until they are applied (npm run db:migrate, or MIGRATE_ON_START=true)',
    );
  } else {
    logger.info('migrations up to date');
  }
  return check;
}

async function start(config: Config, logger: Logger, telemetry: Telemetry): Promise<void> {
  const db = await openDatabase(config, logger, telemetry);
  let app: FastifyInstance | undefined;
  let grace: ReturnType<typeof closeWithGrace> | undefined;
  try {
    const pendingMigrations = await prepareSchema(config, db, logger);
    await ensureDevelopmentClient(config, db);

    const signingKey = signingKeyFor(config, logger);
    const server = await createApp(config, {
      db,
      logger,
      hmacSecret: hmacSecretFor(config, logger),
      payloadSigningKey: payloadSigningKeyFor(config, logger),
      webhookSigningSecret: webhookSigningSecretFor(config, logger),
      telemetry,
      ...(signingKey === undefined ? {} : { signingKey }),
      ...(pendingMigrations ? { pendingMigrations } : {}),
    });
    app = server;
    grace = closeWithGrace({ delay: config.http.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
      const started = performance.now();
      if (err) logger.error({ err }, 'shutting down after an unhandled error');
      else logger.info({ signal }, 'shutting down');
      await server.close();
      await db.close();
      await telemetry.shutdown();
      logger.info({ durationMs: Math.round(performance.now() - started) }, 'stopped');
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
      const logger = serviceLogger({
        level: config.log.level,
        serviceName: config.serviceName,
        mixin: telemetry.logFields,
      });
      telemetry.reportFailures((fields, message) => logger.warn(fields, message));
      const { tracing, metrics, spansExported, warnings } = telemetry.status;
      logger.info(
        { telemetry: { mode: config.telemetry.mode, tracing, spansExported, metrics } },
        'telemetry',
      );
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

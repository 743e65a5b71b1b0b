// The service for bench/http-throughput.ts, one process per variant: what main.ts builds (createApp
// on the configured database, telemetry as the preload left it), listening on a loopback port it
// reports to the parent over IPC. Started with `--import ./src/telemetry/register.ts`, as `npm start`
// is, so "telemetry on" measures the same instrumentation production runs.
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/database-from-config.ts';
import { applyMigrations, loadMigrations } from '../../src/db/migrations.ts';
import { generateRsaPrivateKeyPem } from '../../src/platform/rsa-private-key.ts';
import { loggerOptions } from '../../src/telemetry/logger-options.ts';
import { startTelemetry } from '../../src/telemetry/start-telemetry.ts';

export interface ServiceReady {
  port: number;
  tracing: string;
}

const config = loadConfig(process.env);
const hmacSecret = process.env.HMAC_SECRET;
if (!hmacSecret) throw new Error('the benchmark passes HMAC_SECRET');

const telemetry = await startTelemetry(config.telemetry);
const logger = pino(
  loggerOptions({ level: config.log.level, serviceName: config.serviceName, mixin: telemetry.logFields }),
);
const db = await openDatabase(config, logger, telemetry);
await applyMigrations(db, await loadMigrations(config.migrations.dir), { logger });
// Embedded mode without PIX_PAYLOAD_SIGNING_KEY: a key for this run, as main.ts would generate one.
const payloadSigningKey = config.payment.payloadSigningKey ?? generateRsaPrivateKeyPem();
const app = await createApp(config, { db, logger, hmacSecret, telemetry, payloadSigningKey });
await app.listen({ host: '127.0.0.1', port: 0 });

const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
const ready: ServiceReady = { port: address.port, tracing: telemetry.status.tracing };
process.send?.(ready);

process.on('message', (message) => {
  if (message !== 'stop') return;
  void (async () => {
    await app.close();
    await db.close();
    await telemetry.shutdown();
    process.disconnect();
  })();
});

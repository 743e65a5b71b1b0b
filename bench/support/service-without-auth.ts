// The compiled service with token verification switched off, to measure what authentication costs:
// what dist/src/main.js builds, except that every request is taken to come from BENCH_CLIENT_ID
// with every scope (through createApp's identifyClient seam) and carries no token, so no JWT is
// parsed or verified. Everything else (rate limits keyed by that client, validation, telemetry,
// logs) is as deployed. Migrations are already applied by then. Benchmarks only.
import { pathToFileURL } from 'node:url';
import type * as App from '../../src/app.ts';
import type * as ConfigModule from '../../src/config/config.ts';
import type * as Environment from '../../src/config/read-environment.ts';
import type * as Database from '../../src/database-from-config.ts';
import type * as Catalog from '../../src/service-catalog.ts';
import type * as LoggerOptions from '../../src/telemetry/logger-options.ts';
import type * as StartTelemetry from '../../src/telemetry/start-telemetry.ts';

type Modules = {
  app: typeof App;
  config: typeof ConfigModule;
  environment: typeof Environment;
  database: typeof Database;
  loggerOptions: typeof LoggerOptions;
  telemetry: typeof StartTelemetry;
  catalog: typeof Catalog;
};

/** The compiled module of a source file (dist/src/x.js for src/x.ts), as deployed. */
const compiled = (path: string) => import(pathToFileURL(`${process.cwd()}/dist/src/${path}.js`).href);

const modules: Modules = {
  app: await compiled('app'),
  config: await compiled('config/config'),
  environment: await compiled('config/read-environment'),
  database: await compiled('database-from-config'),
  loggerOptions: await compiled('telemetry/logger-options'),
  telemetry: await compiled('telemetry/start-telemetry'),
  catalog: await compiled('service-catalog'),
};

const clientId = process.env.BENCH_CLIENT_ID;
if (!clientId) throw new Error('set BENCH_CLIENT_ID: the client every request is taken to come from');

const config = modules.config.loadConfig(modules.environment.readEnvironment(process.env));
const telemetry = await modules.telemetry.startTelemetry(config.telemetry);
// The service's own logger, asynchronous like main.ts's: a synchronous stdout would make this variant
// slower for a reason that has nothing to do with authentication.
const logger = modules.loggerOptions.serviceLogger({
  level: config.log.level,
  serviceName: config.serviceName,
  mixin: telemetry.logFields,
});
const db = await modules.database.openDatabase(config, logger, telemetry);
const app = await modules.app.createApp(config, {
  db,
  logger,
  hmacSecret: config.hmacSecret ?? '',
  telemetry,
  identifyClient: async (request) => {
    request.clientId = clientId;
    request.grantedScopes = modules.catalog.SERVICE_SCOPES;
  },
});
await app.listen({ host: config.http.host, port: config.http.port });

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await db.close();
    await telemetry.shutdown();
  })();
});

// The telemetry preload: `tsx --import ./src/telemetry/register.ts src/main.ts` (what `npm start`
// runs), compiled `node --import ./dist/src/telemetry/register.js dist/src/main.js` (`npm run start:prod`). Instrumentation must be in place before the modules it patches are loaded, so the SDK starts
// here, ahead of the application, unless telemetry is off, left to an agent, or an agent is attached.
// Configuration errors are left for main.ts to report with all the others.
import * as nodeModule from 'node:module';
import { ConfigError } from '../config/config-error.ts';
import { readEnvironment } from '../config/read-environment.ts';
import { loadTelemetryConfig, type TelemetryConfig } from '../config/telemetry-config.ts';
import { otelAlreadyRegistered } from './agent-detection.ts';
import { publishSdk, publishedSdk } from './sdk-slot.ts';

function telemetryConfig(env: Record<string, string | undefined>): TelemetryConfig | undefined {
  try {
    return loadTelemetryConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

// The first code the service runs, so the place to turn on V8's code cache (Node >= 22.1): modules
// loaded from here on (the SDK, then the whole application) are compiled once and read back at
// later starts, which took a fifth off the start-up in the benchmark. It goes to NODE_COMPILE_CACHE,
// else the system's temporary directory; where neither is writable it is simply off.
// Looked up at run time: Node 20 has no such export.
(nodeModule as Partial<typeof nodeModule>).enableCompileCache?.();

const env = readEnvironment(process.env);
const config = telemetryConfig(env);
if (config?.enabled && config.mode !== 'auto' && !publishedSdk() && !otelAlreadyRegistered()) {
  // The SDK and its exporters read OTEL_* from process.env; let those set in .env reach them too.
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('OTEL_') && value && process.env[name] === undefined) process.env[name] = value;
  }
  const { startSdk } = await import('./start-sdk.ts');
  publishSdk(await startSdk(config));
}

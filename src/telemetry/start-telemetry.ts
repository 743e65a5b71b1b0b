// main.ts's way into telemetry: decides who traces (the SDK the preload started, an attached agent,
// or nobody) and builds the service's metrics. With OTEL_SDK_DISABLED=true it loads nothing.
import type { TelemetryConfig } from '../config/telemetry-config.ts';
import { otelAlreadyRegistered } from './agent-detection.ts';
import { publishedSdk, type StartedSdk } from './sdk-slot.ts';
import { disabledTelemetry, type Telemetry, type TelemetryStatus } from './telemetry.ts';

// The preload as this very build needs it: the sources under tsx, the compiled files under plain node.
export const PRELOAD_FLAG = import.meta.url.endsWith('.js')
  ? '--import ./dist/src/telemetry/register.js'
  : '--import ./src/telemetry/register.ts';

export async function startTelemetry(config: TelemetryConfig): Promise<Telemetry> {
  if (!config.enabled) return disabledTelemetry;

  const warnings: string[] = [];
  let sdk: StartedSdk | undefined = publishedSdk();
  let tracing: TelemetryStatus['tracing'];
  if (sdk) {
    tracing = 'sdk';
  } else if (otelAlreadyRegistered()) {
    if (config.mode === 'manual') {
      throw new Error(
        'TELEMETRY_MODE=manual, but an OpenTelemetry agent is already attached to the process; ' +
          'use TELEMETRY_MODE=detect (or auto) to let it trace, or remove the agent',
      );
    }
    tracing = 'agent';
  } else if (config.mode === 'auto') {
    warnings.push(
      'TELEMETRY_MODE=auto, but no OpenTelemetry agent is attached: no traces. Start node with ' +
        '--import @opentelemetry/auto-instrumentations-node/register',
    );
    tracing = 'none';
  } else {
    warnings.push(
      `the OpenTelemetry SDK was not preloaded (${PRELOAD_FLAG}); started now, so modules loaded ` +
        'before it may go uninstrumented',
    );
    const { startSdk } = await import('./start-sdk.ts');
    sdk = await startSdk(config);
    tracing = 'sdk';
  }

  const [{ createActiveTelemetry }, { otlpMetricReader }] = await Promise.all([
    import('./active-telemetry.ts'),
    import('./otlp-metric-reader.ts'),
  ]);
  return createActiveTelemetry({
    serviceName: config.serviceName,
    tracing,
    warnings,
    otlpReader: await otlpMetricReader(process.env),
    stopSdk: sdk ? () => sdk.shutdown() : undefined,
    flushSdk: sdk?.flush ? () => sdk.flush!() : undefined,
    spansExported: sdk?.spansExported ?? false,
  });
}

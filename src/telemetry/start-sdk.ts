// Manual mode: the service starts the OpenTelemetry SDK itself, with the instrumentations it uses
// (HTTP server and fetch/undici clients, node-postgres, ioredis; pino when logs go over OTLP).
// Exporters, sampling, propagators and resource attributes come from the standard OTEL_* variables.
import { trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { register } from 'node:module';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { TelemetryConfig } from '../config/telemetry-config.ts';
import { spanExportConfigured } from './otlp-export-choice.ts';
import { exportsOtlp } from './otlp-metric-reader.ts';
import type { StartedSdk } from './sdk-slot.ts';

type Env = Readonly<Record<string, string | undefined>>;

// Operational endpoints polled every few seconds: tracing them would bury the requests worth seeing.
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

export async function startSdk(config: TelemetryConfig, env: Env = process.env): Promise<StartedSdk> {
  // Logs go to stdout for Fluent Bit; over OTLP only when asked for, or VictoriaLogs gets them twice.
  const logsOverOtlp = exportsOtlp(env, 'OTEL_LOGS_EXPORTER', false);
  // The application is ES modules, and an ES import of a CommonJS package (pino, ioredis) is not seen
  // by require hooks: patching needs the loader hook, limited to the modules instrumentations ask for
  // (they send their names over the channel as they are constructed).
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  const syncHooks = await import('import-in-the-middle/register-hooks.mjs');
  if (syncHooks.supportsSyncHooks()) {
    // In-thread hooks (module.registerHooks, Node >= 22.22.3 and >= 24.11.1): the off-thread loader
    // costs a round trip to its thread for every module the service imports, which was a third of
    // the start-up time with telemetry on.
    // The same options the loader thread would get: the channel instrumentations name modules on.
    syncHooks.register(registerOptions.data as Parameters<typeof syncHooks.register>[0]);
  } else {
    register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  }

  const [
    { NodeSDK },
    { HttpInstrumentation },
    { UndiciInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const instrumentations: NodeSDKConfiguration['instrumentations'] = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?', 1)[0] ?? ''),
    }),
    new UndiciInstrumentation(),
    // Statements outside any request (pool probes, migrations) would each be a lone trace. Taking a
    // connection from the pool is bookkeeping, not a statement: a span for it on every query cost
    // more than the time it shows, which db.client.connection.wait_time measures for every checkout.
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
  if (logsOverOtlp) {
    const { PinoInstrumentation } = await import('@opentelemetry/instrumentation-pino');
    // The service's own mixin writes the trace ids (in every mode); this one only sends the records.
    instrumentations.push(new PinoInstrumentation({ disableLogCorrelation: true }));
  }

  // With no exporter asked for, spans still get recorded (their ids reach logs and responses) by a
  // processor that exports nothing; the SDK's own default would push them to localhost:4318.
  const spansExported = spanExportConfigured(env);
  const spanProcessors = spansExported
    ? {}
    : { spanProcessors: [new (await import('@opentelemetry/sdk-trace-base')).NoopSpanProcessor()] };
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    instrumentations,
    ...spanProcessors,
    // The service's metrics have their own provider (/metrics and OTLP); see active-telemetry.ts.
    metricReaders: [],
    // An empty list keeps the SDK from defaulting to OTLP logs; with OTEL_LOGS_EXPORTER set it reads it.
    ...(logsOverOtlp ? {} : { logRecordProcessors: [] }),
    ...(config.awsXray ? await awsXrayOptions() : {}),
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return {
    spansExported,
    shutdown: () => sdk.shutdown(),
    flush: async () => {
      // The SDK registered its tracer provider globally, behind the API's proxy.
      const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as {
        forceFlush?: () => Promise<void>;
      };
      await provider.forceFlush?.();
    },
  };
}

/** X-Ray trace ids (epoch seconds first) and the X-Amzn-Trace-Id header beside W3C trace context. */
async function awsXrayOptions() {
  const [{ AWSXRayIdGenerator }, { AWSXRayPropagator }, core] = await Promise.all([
    import('@opentelemetry/id-generator-aws-xray'),
    import('@opentelemetry/propagator-aws-xray'),
    import('@opentelemetry/core'),
  ]);
  return {
    idGenerator: new AWSXRayIdGenerator(),
    textMapPropagator: new core.CompositePropagator({
      propagators: [
        new core.W3CTraceContextPropagator(),
        new core.W3CBaggagePropagator(),
        new AWSXRayPropagator(),
      ],
    }),
  };
}

// The service's own telemetry switches. Exporters, endpoints, sampling and resource attributes are
// the standard OTEL_* variables, read by the OpenTelemetry SDK itself (see docs/observability.md).
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { boolean, nonEmpty, oneOf } from './env-values.ts';

export const DEFAULT_SERVICE_NAME = 'node-backend-template';

export const telemetryVariables = {
  /** The specification's master switch: true loads nothing of the SDK. */
  OTEL_SDK_DISABLED: boolean.default(false),
  /** Also read by the SDK; the service defaults it to SERVICE_NAME. */
  OTEL_SERVICE_NAME: nonEmpty.optional(),
  TELEMETRY_MODE: oneOf(['manual', 'auto', 'detect']).default('detect'),
  TELEMETRY_AWS_XRAY: boolean.default(false),
};

export type TelemetryMode = 'manual' | 'auto' | 'detect';

export interface TelemetryConfig {
  enabled: boolean;
  /**
   * manual: the service starts the SDK itself. auto: an agent started by the runtime
   * (`--import @opentelemetry/auto-instrumentations-node/register`, or the OpenTelemetry Operator)
   * does; the service starts none. detect: use an attached agent, else start the SDK.
   */
  mode: TelemetryMode;
  /** `service.name` of every signal. */
  serviceName: string;
  /** AWS X-Ray compatible trace ids, and X-Ray propagation beside W3C trace context. */
  awsXray: boolean;
}

const schema = z.object({ SERVICE_NAME: nonEmpty.default(DEFAULT_SERVICE_NAME), ...telemetryVariables });

/** The telemetry part of the environment alone, for the preload that runs before the rest of the config. */
export function loadTelemetryConfig(env: Readonly<Record<string, string | undefined>>): TelemetryConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })),
    );
  }
  return telemetryConfigFrom(parsed.data);
}

export function telemetryConfigFrom(e: {
  SERVICE_NAME: string;
  OTEL_SDK_DISABLED: boolean;
  OTEL_SERVICE_NAME?: string | undefined;
  TELEMETRY_MODE: TelemetryMode;
  TELEMETRY_AWS_XRAY: boolean;
}): TelemetryConfig {
  return {
    enabled: !e.OTEL_SDK_DISABLED,
    mode: e.TELEMETRY_MODE,
    serviceName: e.OTEL_SERVICE_NAME ?? e.SERVICE_NAME,
    awsXray: e.TELEMETRY_AWS_XRAY,
  };
}

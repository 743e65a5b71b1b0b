import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';
import { loadTelemetryConfig } from './telemetry-config.ts';

describe('telemetry configuration', () => {
  it('is on, in detect mode, named after the service, without X-Ray by default', () => {
    expect(loadTelemetryConfig({ SERVICE_NAME: 'svc' })).toEqual({
      enabled: true,
      mode: 'detect',
      serviceName: 'svc',
      awsXray: false,
    });
  });

  it('reads the off switch, the mode, OTEL_SERVICE_NAME and the X-Ray setting', () => {
    expect(
      loadTelemetryConfig({
        OTEL_SDK_DISABLED: 'true',
        TELEMETRY_MODE: 'manual',
        OTEL_SERVICE_NAME: 'traced-as',
        SERVICE_NAME: 'svc',
        TELEMETRY_AWS_XRAY: 'true',
      }),
    ).toEqual({ enabled: false, mode: 'manual', serviceName: 'traced-as', awsXray: true });
  });

  it('names every bad variable, alone and within the whole configuration', () => {
    const bad = { TELEMETRY_MODE: 'agent', OTEL_SDK_DISABLED: 'maybe' };
    expect(() => loadTelemetryConfig(bad)).toThrow(ConfigError);
    try {
      loadConfig(bad);
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
        'OTEL_SDK_DISABLED',
        'TELEMETRY_MODE',
      ]);
    }
  });
});

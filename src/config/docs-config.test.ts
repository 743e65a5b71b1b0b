import { describe, expect, it } from 'vitest';
import { TEST_SIGNING_KEY } from '../../test/support/test-auth.ts';
import { TEST_PAYLOAD_SIGNING_KEY, TEST_WEBHOOK_SIGNING_SECRET } from '../../test/support/test-payment.ts';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';

const REAL_DATABASE = {
  POSTGRES_PRIMARY_HOST: '127.0.0.1',
  HMAC_SECRET: 'x'.repeat(32),
  AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
  PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY,
  PIX_WEBHOOK_SIGNING_SECRET: TEST_WEBHOOK_SIGNING_SECRET,
};

describe('DOCS_ENABLED', () => {
  it('defaults to on in embedded mode and off with a real database', () => {
    expect(loadConfig({}).docs).toEqual({ enabled: true });
    expect(loadConfig(REAL_DATABASE).docs).toEqual({ enabled: false });
  });

  it('is honoured either way', () => {
    expect(loadConfig({ DOCS_ENABLED: 'false' }).docs).toEqual({ enabled: false });
    expect(loadConfig({ ...REAL_DATABASE, DOCS_ENABLED: 'true' }).docs).toEqual({ enabled: true });
  });

  it('names the variable when it is not a boolean', () => {
    expect(() => loadConfig({ DOCS_ENABLED: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';
import { generateSigningKeyPem } from '../auth/tokens/signing-key.ts';
import { TEST_PAYMENT_ENV } from '../../test/support/test-payment.ts';

const SIGNING_KEY = generateSigningKeyPem();

const POSTGRES = {
  POSTGRES_PRIMARY_HOST: 'db',
  HMAC_SECRET: 'x'.repeat(32),
  AUTH_SIGNING_KEY: SIGNING_KEY,
  ...TEST_PAYMENT_ENV,
};

function postgresConfig(env: Record<string, string>) {
  const { database } = loadConfig({ ...POSTGRES, ...env });
  if (database.kind !== 'postgres') throw new Error('expected postgres');
  return database;
}

describe('read replica settings', () => {
  it('sizes each replica pool like the primary unless told otherwise', () => {
    expect(postgresConfig({ POSTGRES_POOL_MAX: '7' })).toMatchObject({ poolMax: 7, readerPoolMax: 7 });
    expect(postgresConfig({ POSTGRES_POOL_MAX: '7', POSTGRES_READER_POOL_MAX: '20' })).toMatchObject({
      poolMax: 7,
      readerPoolMax: 20,
    });
  });

  it('rejects a replica pool size that is not a positive integer', () => {
    expect(() => loadConfig({ ...POSTGRES, POSTGRES_READER_POOL_MAX: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...POSTGRES, POSTGRES_READER_POOL_MAX: 'many' })).toThrow(
      /POSTGRES_READER_POOL_MAX: must be an integer/,
    );
  });

  it('keeps readiness independent of the replicas unless told otherwise', () => {
    expect(loadConfig({}).readiness).toEqual({ requireReplicas: false });
    expect(loadConfig({ READINESS_REQUIRES_REPLICAS: 'true' }).readiness).toEqual({
      requireReplicas: true,
    });
    expect(() => loadConfig({ READINESS_REQUIRES_REPLICAS: 'sometimes' })).toThrow(
      /READINESS_REQUIRES_REPLICAS: must be true or false/,
    );
  });
});

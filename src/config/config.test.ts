import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig, readVariableNames } from './config.ts';
import { generateSigningKeyPem } from '../auth/tokens/signing-key.ts';

const SIGNING_KEY = generateSigningKeyPem();
import { TEST_PAYMENT_ENV } from '../../test/support/test-payment.ts';

const SECRET = 'x'.repeat(32);

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs embedded with no variables at all', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: '.data/pglite' });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080, bodyLimitBytes: 1048576 });
    expect(config.hmacSecret).toBeUndefined();
  });

  it('parses durations, integers and booleans', () => {
    const config = loadConfig({
      HTTP_REQUEST_TIMEOUT: '2m',
      SHUTDOWN_TIMEOUT: '1500',
      PORT: '9090',
      MIGRATE_ON_START: 'true',
      DB_TX_TIMEOUT: '250ms',
    });
    expect(config.http.requestTimeoutMs).toBe(120_000);
    expect(config.http.shutdownTimeoutMs).toBe(1500);
    expect(config.http.port).toBe(9090);
    expect(config.migrations.onStart).toBe(true);
    expect(config.txTimeoutMs).toBe(250);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', POSTGRES_PRIMARY_HOST: '' }).database.kind).toBe('embedded');
  });

  it('uses a real database when POSTGRES_PRIMARY_HOST is set, replicas inheriting credentials', () => {
    const config = loadConfig({
      POSTGRES_PRIMARY_HOST: 'db-primary',
      POSTGRES_PRIMARY_USER: 'app',
      POSTGRES_PRIMARY_PASSWORD: 'pw',
      POSTGRES_PRIMARY_DATABASE: 'appdb',
      POSTGRES_REPLICA_2_HOST: 'db-replica-b',
      POSTGRES_REPLICA_1_HOST: 'db-replica-a',
      POSTGRES_REPLICA_1_PORT: '6432',
      POSTGRES_REPLICA_1_USER: 'reader',
      HMAC_SECRET: SECRET,
      AUTH_SIGNING_KEY: SIGNING_KEY,
      ...TEST_PAYMENT_ENV,
    });
    if (config.database.kind !== 'postgres') throw new Error('expected postgres');
    expect(config.database.primary).toEqual({
      host: 'db-primary',
      port: 5432,
      user: 'app',
      password: 'pw',
      database: 'appdb',
    });
    expect(config.database.replicas).toEqual([
      { host: 'db-replica-a', port: 6432, user: 'reader', password: 'pw', database: 'appdb' },
      { host: 'db-replica-b', port: 5432, user: 'app', password: 'pw', database: 'appdb' },
    ]);
    expect(config.database.applicationName).toBe('node-backend-template');
  });

  it('names every bad variable at once', () => {
    const error = configErrorOf({
      PORT: 'eighty',
      HTTP_REQUEST_TIMEOUT: 'soon',
      LOG_LEVEL: 'loud',
      MIGRATE_ON_START: 'maybe',
      POSTGRES_PRIMARY_PORT: '70000',
      POSTGRES_REPLICA_1_HSOT: 'typo',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'HTTP_REQUEST_TIMEOUT',
      'LOG_LEVEL',
      'MIGRATE_ON_START',
      'PORT',
      'POSTGRES_PRIMARY_HOST',
      'POSTGRES_PRIMARY_PORT',
      'POSTGRES_REPLICA_1_HSOT',
    ]);
    expect(error.message).toContain('PORT: must be an integer from 0 to 65535 (got "eighty")');
    expect(error.message).toContain('POSTGRES_PRIMARY_HOST: is required');
    expect(error.message).toContain('POSTGRES_REPLICA_1_HSOT: unknown variable');
  });

  it('requires a long enough HMAC_SECRET with a real database, without echoing it', () => {
    expect(configErrorOf({ POSTGRES_PRIMARY_HOST: 'db' }).message).toContain('HMAC_SECRET: is required');
    const short = configErrorOf({ POSTGRES_PRIMARY_HOST: 'db', HMAC_SECRET: 'hunter2' });
    expect(short.message).toContain('HMAC_SECRET: must be at least 32 bytes long');
    expect(short.message).not.toContain('hunter2');
  });

  it('refuses replicas without a primary', () => {
    expect(configErrorOf({ POSTGRES_REPLICA_1_HOST: 'r' }).issues).toEqual([
      {
        variable: 'POSTGRES_REPLICA_1_HOST',
        message: 'replicas need a primary: set POSTGRES_PRIMARY_HOST too',
      },
    ]);
  });

  it('rejects out-of-range durations', () => {
    expect(configErrorOf({ SHUTDOWN_TIMEOUT: '1ms' }).message).toContain('SHUTDOWN_TIMEOUT: must be between');
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

  it('loads as it stands, in embedded mode', () => {
    expect(loadConfig(parseEnv(example)).database.kind).toBe('embedded');
  });

  it('documents every variable the service reads', () => {
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    const read = readVariableNames().filter((name) => !documented.has(name));
    expect(read).toEqual([]);
  });
});

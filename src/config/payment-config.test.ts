import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_PAYLOAD_SIGNING_KEY, TEST_WEBHOOK_SIGNING_SECRET } from '../../test/support/test-payment.ts';
import { TEST_SIGNING_KEY } from '../../test/support/test-auth.ts';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const POSTGRES = {
  POSTGRES_PRIMARY_HOST: 'db',
  HMAC_SECRET: 'x'.repeat(32),
  AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
  PIX_WEBHOOK_SIGNING_SECRET: TEST_WEBHOOK_SIGNING_SECRET,
};

const pem = (key: { export(options: { format: 'pem'; type: 'pkcs8' }): string | Buffer }) =>
  key.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('payment configuration', () => {
  it('defaults to a sandbox on the service’s own address in embedded mode, key to be generated', () => {
    expect(loadConfig({}).payment).toEqual({
      payloadHost: '127.0.0.1:8080',
      payloadScheme: 'http',
      merchantName: 'Node Backend Template',
      merchantCity: 'Brasilia',
      sandbox: true,
      sandboxIspb: '99999999',
      payloadSigningKey: undefined,
      idempotencyKeyTtlMs: 86_400_000,
      webhookAllowInsecure: true,
    });
  });

  it('allows insecure webhook targets by default in embedded mode only, and as told', () => {
    const real = { ...POSTGRES, PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY };
    expect(loadConfig(real).payment.webhookAllowInsecure).toBe(false);
    expect(loadConfig({ ...real, PIX_WEBHOOK_ALLOW_INSECURE: 'true' }).payment.webhookAllowInsecure).toBe(
      true,
    );
    expect(loadConfig({ PIX_WEBHOOK_ALLOW_INSECURE: 'false' }).payment.webhookAllowInsecure).toBe(false);
    expect(issuesOf({ PIX_WEBHOOK_ALLOW_INSECURE: 'maybe' })).toEqual([
      { variable: 'PIX_WEBHOOK_ALLOW_INSECURE', message: 'must be true or false (got "maybe")' },
    ]);
  });

  it('reaches a wildcard listen address as localhost, and brackets IPv6', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '3000' }).payment.payloadHost).toBe('localhost:3000');
    expect(loadConfig({ HOST: '::', PORT: '3000' }).payment.payloadHost).toBe('localhost:3000');
    expect(loadConfig({ HOST: '::1', PORT: '3000' }).payment).toMatchObject({
      payloadHost: '[::1]:3000',
      payloadScheme: 'http',
    });
  });

  it('uses https for any non-loopback host, and for every host outside the sandbox', () => {
    expect(loadConfig({ PIX_PAYLOAD_HOST: 'pix.example.com' }).payment).toMatchObject({
      payloadHost: 'pix.example.com',
      payloadScheme: 'https',
    });
    expect(loadConfig({ PIX_SANDBOX: 'false' }).payment).toMatchObject({
      sandbox: false,
      payloadScheme: 'https',
    });
  });

  it('requires PIX_PAYLOAD_SIGNING_KEY with a real database, and turns the sandbox off there', () => {
    expect(issuesOf(POSTGRES)).toEqual([
      {
        variable: 'PIX_PAYLOAD_SIGNING_KEY',
        message: expect.stringContaining('is required with a real database') as string,
      },
    ]);
    const payment = loadConfig({ ...POSTGRES, PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY }).payment;
    expect(payment).toMatchObject({ sandbox: false, payloadSigningKey: TEST_PAYLOAD_SIGNING_KEY.trim() });
    expect(
      loadConfig({ ...POSTGRES, PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY, PIX_SANDBOX: 'yes' })
        .payment.sandbox,
    ).toBe(true);
  });

  it('refuses an EC key, a short RSA key and garbage, without echoing the key', () => {
    const ec = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const short = pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
    expect(issuesOf({ PIX_PAYLOAD_SIGNING_KEY: ec })).toEqual([
      { variable: 'PIX_PAYLOAD_SIGNING_KEY', message: 'must be an RSA key (got ec)' },
    ]);
    expect(issuesOf({ PIX_PAYLOAD_SIGNING_KEY: short })).toEqual([
      { variable: 'PIX_PAYLOAD_SIGNING_KEY', message: 'must be at least 2048 bits (got 1024)' },
    ]);
    expect(issuesOf({ PIX_PAYLOAD_SIGNING_KEY: 'hunter2' })).toEqual([
      { variable: 'PIX_PAYLOAD_SIGNING_KEY', message: 'is not an unencrypted PEM private key' },
    ]);
  });

  it('names every bad payment variable at once', () => {
    const issues = issuesOf({
      PIX_PAYLOAD_HOST: 'https://pix.example.com/qr',
      PIX_SANDBOX: 'perhaps',
      PIX_SANDBOX_ISPB: '1234',
      PIX_IDEMPOTENCY_KEY_TTL: '1h',
      PIX_MERCHANT_NAME: '  ',
    });
    expect(issues.map((issue) => issue.variable).sort()).toEqual([
      'PIX_IDEMPOTENCY_KEY_TTL',
      'PIX_MERCHANT_NAME',
      'PIX_PAYLOAD_HOST',
      'PIX_SANDBOX',
      'PIX_SANDBOX_ISPB',
    ]);
    expect(issues.find((issue) => issue.variable === 'PIX_IDEMPOTENCY_KEY_TTL')?.message).toContain(
      'must be between 1d',
    );
  });

  it('keeps idempotency keys for longer when asked', () => {
    expect(loadConfig({ PIX_IDEMPOTENCY_KEY_TTL: '7d' }).payment.idempotencyKeyTtlMs).toBe(7 * 86_400_000);
  });
});

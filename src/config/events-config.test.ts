// Every rule of the events configuration (docs/events.md), each failing with a message that names the
// variable, all problems in one message, and no secret's text echoed back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SIGNING_KEY } from '../../test/support/test-auth.ts';
import { TEST_PAYLOAD_SIGNING_KEY, TEST_WEBHOOK_SIGNING_SECRET } from '../../test/support/test-payment.ts';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const issuesOf = (env: Record<string, string>) => configErrorOf(env).issues;

const POSTGRES = {
  POSTGRES_PRIMARY_HOST: 'db',
  HMAC_SECRET: 'x'.repeat(32),
  AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
  PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY,
};

const whsec = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;

/** A self-signed certificate and its key, made by openssl as an operator would. */
function certificateAndKey(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ]),
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

describe('events configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'events-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults: relay on, retries from 1s to 1h, 20 attempts, no client certificate, no NATS', () => {
    expect(loadConfig({}).events).toEqual({
      relayEnabled: true,
      webhooks: {
        signingSecret: undefined,
        clientCertificate: undefined,
        retryBaseDelayMs: 1000,
        retryMaxDelayMs: 3_600_000,
        maxAttempts: 20,
        claimLeaseMs: 15_000,
        deliveryTimeoutMs: 10_000,
        pollIntervalMs: 1000,
      },
      nats: undefined,
    });
  });

  describe('PIX_WEBHOOK_SIGNING_SECRET', () => {
    it('is required with a real database, and says how to make one', () => {
      expect(issuesOf(POSTGRES)).toEqual([
        {
          variable: 'PIX_WEBHOOK_SIGNING_SECRET',
          message: expect.stringContaining('is required with a real database') as string,
        },
      ]);
      expect(configErrorOf(POSTGRES).message).toContain('openssl rand -base64 32');
      const config = loadConfig({ ...POSTGRES, PIX_WEBHOOK_SIGNING_SECRET: TEST_WEBHOOK_SIGNING_SECRET });
      expect(config.events.webhooks.signingSecret).toBe(TEST_WEBHOOK_SIGNING_SECRET);
    });

    it('is optional in embedded mode (one is generated there)', () => {
      expect(loadConfig({}).events.webhooks.signingSecret).toBeUndefined();
    });

    it.each([
      ['no whsec_ prefix', Buffer.alloc(32, 7).toString('base64')],
      ['not base64 after whsec_', `whsec_${'not base64!'.repeat(4)}`],
      ['too few bytes (23)', whsec(23)],
    ])('refuses %s, without echoing it', (_case, value) => {
      const error = configErrorOf({ PIX_WEBHOOK_SIGNING_SECRET: value });
      expect(error.issues).toEqual([{ variable: 'PIX_WEBHOOK_SIGNING_SECRET', message: expect.any(String) }]);
      expect(error.message).toMatch(
        /PIX_WEBHOOK_SIGNING_SECRET: must be whsec_ followed by base64 of at least 24 bytes/,
      );
      expect(error.message).not.toContain(value);
    });

    it('accepts 24 bytes and more', () => {
      expect(loadConfig({ PIX_WEBHOOK_SIGNING_SECRET: whsec(24) }).events.webhooks.signingSecret).toBe(
        whsec(24),
      );
      expect(loadConfig({ PIX_WEBHOOK_SIGNING_SECRET: whsec(64) }).events.webhooks.signingSecret).toBe(
        whsec(64),
      );
    });

    it('refuses a blank value as empty', () => {
      expect(issuesOf({ PIX_WEBHOOK_SIGNING_SECRET: '  ' })).toEqual([
        { variable: 'PIX_WEBHOOK_SIGNING_SECRET', message: 'must not be empty' },
      ]);
    });
  });

  describe('PIX_WEBHOOK_CLIENT_CERT and PIX_WEBHOOK_CLIENT_KEY', () => {
    it('takes a certificate with its own key', () => {
      const { cert, key } = certificateAndKey(dir, 'receiver-client');
      expect(
        loadConfig({ PIX_WEBHOOK_CLIENT_CERT: cert, PIX_WEBHOOK_CLIENT_KEY: key }).events.webhooks
          .clientCertificate,
      ).toEqual({ cert: cert.trim(), key: key.trim() });
    });

    it('needs both or neither', () => {
      const { cert, key } = certificateAndKey(dir, 'half');
      expect(issuesOf({ PIX_WEBHOOK_CLIENT_CERT: cert })).toEqual([
        {
          variable: 'PIX_WEBHOOK_CLIENT_KEY',
          message:
            'must be set together with the other of PIX_WEBHOOK_CLIENT_CERT and PIX_WEBHOOK_CLIENT_KEY',
        },
      ]);
      const keyAlone = configErrorOf({ PIX_WEBHOOK_CLIENT_KEY: key });
      expect(keyAlone.issues).toEqual([
        {
          variable: 'PIX_WEBHOOK_CLIENT_CERT',
          message:
            'must be set together with the other of PIX_WEBHOOK_CLIENT_CERT and PIX_WEBHOOK_CLIENT_KEY',
        },
      ]);
      expect(keyAlone.message).not.toContain('PRIVATE KEY');
    });

    it('refuses what is not a PEM certificate', () => {
      const { key } = certificateAndKey(dir, 'no-cert');
      expect(issuesOf({ PIX_WEBHOOK_CLIENT_CERT: 'not a certificate', PIX_WEBHOOK_CLIENT_KEY: key })).toEqual(
        [{ variable: 'PIX_WEBHOOK_CLIENT_CERT', message: 'must be a PEM X.509 certificate' }],
      );
    });

    it('refuses what is not a PEM private key, without echoing it', () => {
      const { cert } = certificateAndKey(dir, 'no-key');
      const error = configErrorOf({ PIX_WEBHOOK_CLIENT_CERT: cert, PIX_WEBHOOK_CLIENT_KEY: 'hunter2-key' });
      expect(error.issues).toEqual([
        { variable: 'PIX_WEBHOOK_CLIENT_KEY', message: 'must be a PEM private key' },
      ]);
      expect(error.message).not.toContain('hunter2');
    });

    it('refuses a key that is not the certificate’s, without echoing it', () => {
      const { cert } = certificateAndKey(dir, 'mine');
      const { key } = certificateAndKey(dir, 'someone-else');
      const error = configErrorOf({ PIX_WEBHOOK_CLIENT_CERT: cert, PIX_WEBHOOK_CLIENT_KEY: key });
      expect(error.issues).toEqual([
        { variable: 'PIX_WEBHOOK_CLIENT_KEY', message: 'is not the key of PIX_WEBHOOK_CLIENT_CERT' },
      ]);
      expect(error.message).not.toContain('PRIVATE KEY');
    });
  });

  describe('EVENTS_NATS_URL, EVENTS_NATS_STREAM, EVENTS_NATS_SUBJECT_PREFIX', () => {
    it('takes one or several nats:// or tls:// servers, with the stream and prefix', () => {
      expect(
        loadConfig({
          EVENTS_NATS_URL: 'nats://127.0.0.1:4222, tls://nats.internal:4443',
          EVENTS_NATS_STREAM: 'PIX_EVENTS',
          EVENTS_NATS_SUBJECT_PREFIX: 'acme.payment',
        }).events.nats,
      ).toEqual({
        servers: ['nats://127.0.0.1:4222', 'tls://nats.internal:4443'],
        stream: 'PIX_EVENTS',
        subjectPrefix: 'acme.payment',
      });
      expect(loadConfig({ EVENTS_NATS_URL: 'nats://127.0.0.1:4222' }).events.nats).toEqual({
        servers: ['nats://127.0.0.1:4222'],
        stream: 'PAYMENT_EVENTS',
        subjectPrefix: 'payment',
      });
    });

    it.each([
      'http://127.0.0.1:4222',
      '127.0.0.1:4222',
      'nats://127.0.0.1:4222/path',
      'nats://127.0.0.1:4222,',
      'nats://',
    ])('refuses %j', (url) => {
      expect(issuesOf({ EVENTS_NATS_URL: url })).toEqual([
        {
          variable: 'EVENTS_NATS_URL',
          message: 'must be nats://host:port (or tls://), several separated by commas',
        },
      ]);
    });

    it('refuses a stream name or subject prefix NATS would not take', () => {
      expect(issuesOf({ EVENTS_NATS_STREAM: 'payment events' })).toEqual([
        { variable: 'EVENTS_NATS_STREAM', message: 'must be 1 to 64 letters, digits, - or _' },
      ]);
      expect(issuesOf({ EVENTS_NATS_STREAM: 'a'.repeat(65) })).toEqual([
        { variable: 'EVENTS_NATS_STREAM', message: 'must be 1 to 64 letters, digits, - or _' },
      ]);
      for (const prefix of ['payment.', 'pay ment', 'payment.*', '.payment']) {
        expect(issuesOf({ EVENTS_NATS_SUBJECT_PREFIX: prefix })).toEqual([
          {
            variable: 'EVENTS_NATS_SUBJECT_PREFIX',
            message: 'must be dot-separated tokens (e.g. payment)',
          },
        ]);
      }
    });
  });

  describe('the relay’s timing', () => {
    it('refuses a delivery timeout that is not shorter than the claim lease', () => {
      for (const timeout of ['15s', '20s']) {
        expect(issuesOf({ PIX_WEBHOOK_CLAIM_LEASE: '15s', PIX_WEBHOOK_DELIVERY_TIMEOUT: timeout })).toEqual([
          {
            variable: 'PIX_WEBHOOK_DELIVERY_TIMEOUT',
            message: expect.stringContaining('must be shorter than PIX_WEBHOOK_CLAIM_LEASE') as string,
          },
        ]);
      }
      expect(
        loadConfig({ PIX_WEBHOOK_CLAIM_LEASE: '15s', PIX_WEBHOOK_DELIVERY_TIMEOUT: '14999ms' }).events
          .webhooks.deliveryTimeoutMs,
      ).toBe(14_999);
    });

    it('refuses a base retry delay above the maximum', () => {
      expect(issuesOf({ PIX_WEBHOOK_RETRY_BASE_DELAY: '2m', PIX_WEBHOOK_RETRY_MAX_DELAY: '1m' })).toEqual([
        { variable: 'PIX_WEBHOOK_RETRY_BASE_DELAY', message: 'must not exceed PIX_WEBHOOK_RETRY_MAX_DELAY' },
      ]);
      expect(
        loadConfig({ PIX_WEBHOOK_RETRY_BASE_DELAY: '1m', PIX_WEBHOOK_RETRY_MAX_DELAY: '1m' }).events.webhooks,
      ).toMatchObject({ retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 });
    });

    it.each([
      ['PIX_WEBHOOK_RETRY_BASE_DELAY', '0', 'must be between 1ms and 1h (got "0")'],
      ['PIX_WEBHOOK_RETRY_BASE_DELAY', '2h', 'must be between 1ms and 1h (got "2h")'],
      ['PIX_WEBHOOK_RETRY_MAX_DELAY', '25h', 'must be between 1ms and 1d (got "25h")'],
      ['PIX_WEBHOOK_CLAIM_LEASE', '99ms', 'must be between 100ms and 10m (got "99ms")'],
      ['PIX_WEBHOOK_CLAIM_LEASE', '11m', 'must be between 100ms and 10m (got "11m")'],
      ['PIX_WEBHOOK_DELIVERY_TIMEOUT', '49ms', 'must be between 50ms and 10m (got "49ms")'],
      ['PIX_WEBHOOK_POLL_INTERVAL', '9ms', 'must be between 10ms and 10m (got "9ms")'],
      ['PIX_WEBHOOK_POLL_INTERVAL', 'soon', 'must be a duration like 500ms, 30s or 5m (got "soon")'],
      ['PIX_WEBHOOK_MAX_ATTEMPTS', '0', 'must be an integer from 1 to 1000 (got "0")'],
      ['PIX_WEBHOOK_MAX_ATTEMPTS', '1001', 'must be an integer from 1 to 1000 (got "1001")'],
      ['PIX_WEBHOOK_MAX_ATTEMPTS', '2.5', 'must be an integer from 1 to 1000 (got "2.5")'],
      ['EVENTS_RELAY_ENABLED', 'sometimes', 'must be true or false (got "sometimes")'],
    ])('%s=%j: %s', (variable, value, message) => {
      expect(issuesOf({ [variable]: value })).toEqual([{ variable, message }]);
    });

    it('takes the bounds themselves, and turns the relay off when told', () => {
      expect(
        loadConfig({
          PIX_WEBHOOK_RETRY_BASE_DELAY: '1ms',
          PIX_WEBHOOK_RETRY_MAX_DELAY: '24h',
          PIX_WEBHOOK_MAX_ATTEMPTS: '1000',
          PIX_WEBHOOK_CLAIM_LEASE: '10m',
          PIX_WEBHOOK_DELIVERY_TIMEOUT: '50ms',
          PIX_WEBHOOK_POLL_INTERVAL: '10ms',
          EVENTS_RELAY_ENABLED: 'false',
        }).events,
      ).toMatchObject({
        relayEnabled: false,
        webhooks: {
          retryBaseDelayMs: 1,
          retryMaxDelayMs: 86_400_000,
          maxAttempts: 1000,
          claimLeaseMs: 600_000,
          deliveryTimeoutMs: 50,
          pollIntervalMs: 10,
        },
      });
    });
  });

  it('reports every problem at once, in one message', () => {
    const error = configErrorOf({
      ...POSTGRES,
      PIX_WEBHOOK_CLIENT_CERT: 'not a certificate',
      PIX_WEBHOOK_CLIENT_KEY: 'hunter2-key',
      PIX_WEBHOOK_RETRY_BASE_DELAY: '2m',
      PIX_WEBHOOK_RETRY_MAX_DELAY: '1m',
      PIX_WEBHOOK_DELIVERY_TIMEOUT: '20s',
      EVENTS_NATS_URL: 'http://nats',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'EVENTS_NATS_URL',
      'PIX_WEBHOOK_CLIENT_CERT',
      'PIX_WEBHOOK_DELIVERY_TIMEOUT',
      'PIX_WEBHOOK_RETRY_BASE_DELAY',
      'PIX_WEBHOOK_SIGNING_SECRET',
    ]);
    expect(error.message).toMatch(/^Invalid configuration \(5 problems\):\n/);
    expect(error.message).toContain('  - EVENTS_NATS_URL: must be nats://host:port');
    expect(error.message).not.toContain('hunter2');
  });
});

// Payment events and Pix webhooks (docs/events.md): how the relay claims and retries, how webhook
// requests are signed and authenticated, and, when EVENTS_NATS_URL is set, the NATS JetStream stream
// events also flow through.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { boolean, duration, integer, nonEmpty } from './env-values.ts';

const SECOND = 1000;
const HOUR = 3_600_000;

export const eventsVariables = {
  PIX_WEBHOOK_SIGNING_SECRET: nonEmpty.optional(),
  PIX_WEBHOOK_CLIENT_CERT: nonEmpty.optional(),
  PIX_WEBHOOK_CLIENT_KEY: nonEmpty.optional(),
  PIX_WEBHOOK_RETRY_BASE_DELAY: duration({ min: 1, max: HOUR }).default(SECOND),
  PIX_WEBHOOK_RETRY_MAX_DELAY: duration({ min: 1, max: 24 * HOUR }).default(HOUR),
  PIX_WEBHOOK_MAX_ATTEMPTS: integer({ min: 1, max: 1000 }).default(20),
  PIX_WEBHOOK_CLAIM_LEASE: duration({ min: 100, max: 10 * 60 * SECOND }).default(15 * SECOND),
  PIX_WEBHOOK_DELIVERY_TIMEOUT: duration({ min: 50, max: 10 * 60 * SECOND }).default(10 * SECOND),
  PIX_WEBHOOK_POLL_INTERVAL: duration({ min: 10, max: 10 * 60 * SECOND }).default(SECOND),
  EVENTS_RELAY_ENABLED: boolean.default(true),
  EVENTS_NATS_URL: nonEmpty.optional(),
  EVENTS_NATS_STREAM: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1 to 64 letters, digits, - or _' })
    .default('PAYMENT_EVENTS'),
  EVENTS_NATS_SUBJECT_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'must be dot-separated tokens (e.g. payment)' })
    .default('payment'),
};

interface EventsVariables {
  PIX_WEBHOOK_SIGNING_SECRET?: string | undefined;
  PIX_WEBHOOK_CLIENT_CERT?: string | undefined;
  PIX_WEBHOOK_CLIENT_KEY?: string | undefined;
  PIX_WEBHOOK_RETRY_BASE_DELAY: number;
  PIX_WEBHOOK_RETRY_MAX_DELAY: number;
  PIX_WEBHOOK_MAX_ATTEMPTS: number;
  PIX_WEBHOOK_CLAIM_LEASE: number;
  PIX_WEBHOOK_DELIVERY_TIMEOUT: number;
  PIX_WEBHOOK_POLL_INTERVAL: number;
  EVENTS_RELAY_ENABLED: boolean;
  EVENTS_NATS_URL?: string | undefined;
  EVENTS_NATS_STREAM: string;
  EVENTS_NATS_SUBJECT_PREFIX: string;
}

export interface NatsEventsConfig {
  /** Comma-separated server URLs (nats://host:4222). */
  servers: string[];
  stream: string;
  /** Subjects are `<prefix>.pix.received` and `<prefix>.refund.settled`. */
  subjectPrefix: string;
}

export interface EventsConfig {
  /** Off only for a process that must not relay (a one-off task); the service relays by default. */
  relayEnabled: boolean;
  webhooks: {
    /** Standard Webhooks secret (`whsec_` + base64); required with a real database, generated in embedded mode. */
    signingSecret: string | undefined;
    /** PEM client certificate and key for mutual TLS with receivers; both or neither. */
    clientCertificate: { cert: string; key: string } | undefined;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    maxAttempts: number;
    claimLeaseMs: number;
    deliveryTimeoutMs: number;
    pollIntervalMs: number;
  };
  /** Undefined: PostgreSQL alone carries the events. */
  nats: NatsEventsConfig | undefined;
}

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

export function eventsConfigFrom(
  e: EventsVariables,
  realDatabase: boolean,
  issues: ConfigIssue[],
): EventsConfig | undefined {
  const before = issues.length;
  const secret = e.PIX_WEBHOOK_SIGNING_SECRET;
  if (secret === undefined && realDatabase) {
    issues.push({
      variable: 'PIX_WEBHOOK_SIGNING_SECRET',
      message:
        'is required with a real database (whsec_ and base64 of 32 random bytes; e.g. echo whsec_$(openssl rand -base64 32))',
    });
  }
  if (
    secret !== undefined &&
    (!WEBHOOK_SECRET.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 24)
  ) {
    issues.push({
      variable: 'PIX_WEBHOOK_SIGNING_SECRET',
      message: 'must be whsec_ followed by base64 of at least 24 bytes (Standard Webhooks)',
    });
  }
  const clientCertificate = readClientCertificate(
    e.PIX_WEBHOOK_CLIENT_CERT,
    e.PIX_WEBHOOK_CLIENT_KEY,
    issues,
  );
  if (e.PIX_WEBHOOK_RETRY_BASE_DELAY > e.PIX_WEBHOOK_RETRY_MAX_DELAY) {
    issues.push({
      variable: 'PIX_WEBHOOK_RETRY_BASE_DELAY',
      message: 'must not exceed PIX_WEBHOOK_RETRY_MAX_DELAY',
    });
  }
  if (e.PIX_WEBHOOK_DELIVERY_TIMEOUT >= e.PIX_WEBHOOK_CLAIM_LEASE) {
    issues.push({
      variable: 'PIX_WEBHOOK_DELIVERY_TIMEOUT',
      message: 'must be shorter than PIX_WEBHOOK_CLAIM_LEASE (a claim must outlast the delivery it covers)',
    });
  }
  const servers = e.EVENTS_NATS_URL?.split(',').map((server) => server.trim());
  if (servers?.some((server) => !/^(nats|tls):\/\/[^\s/]+$/.test(server))) {
    issues.push({
      variable: 'EVENTS_NATS_URL',
      message: 'must be nats://host:port (or tls://), several separated by commas',
    });
  }
  if (issues.length > before) return undefined;
  return {
    relayEnabled: e.EVENTS_RELAY_ENABLED,
    webhooks: {
      signingSecret: secret,
      clientCertificate,
      retryBaseDelayMs: e.PIX_WEBHOOK_RETRY_BASE_DELAY,
      retryMaxDelayMs: e.PIX_WEBHOOK_RETRY_MAX_DELAY,
      maxAttempts: e.PIX_WEBHOOK_MAX_ATTEMPTS,
      claimLeaseMs: e.PIX_WEBHOOK_CLAIM_LEASE,
      deliveryTimeoutMs: e.PIX_WEBHOOK_DELIVERY_TIMEOUT,
      pollIntervalMs: e.PIX_WEBHOOK_POLL_INTERVAL,
    },
    nats: servers
      ? { servers, stream: e.EVENTS_NATS_STREAM, subjectPrefix: e.EVENTS_NATS_SUBJECT_PREFIX }
      : undefined,
  };
}

function readClientCertificate(
  cert: string | undefined,
  key: string | undefined,
  issues: ConfigIssue[],
): { cert: string; key: string } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    issues.push({
      variable: cert === undefined ? 'PIX_WEBHOOK_CLIENT_CERT' : 'PIX_WEBHOOK_CLIENT_KEY',
      message: 'must be set together with the other of PIX_WEBHOOK_CLIENT_CERT and PIX_WEBHOOK_CLIENT_KEY',
    });
    return undefined;
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    issues.push({ variable: 'PIX_WEBHOOK_CLIENT_CERT', message: 'must be a PEM X.509 certificate' });
    return undefined;
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key))) {
      issues.push({
        variable: 'PIX_WEBHOOK_CLIENT_KEY',
        message: 'is not the key of PIX_WEBHOOK_CLIENT_CERT',
      });
      return undefined;
    }
  } catch {
    issues.push({ variable: 'PIX_WEBHOOK_CLIENT_KEY', message: 'must be a PEM private key' });
    return undefined;
  }
  return { cert, key };
}

// The Payment (Pix) part of the environment: where payload locations live, who the merchant is,
// whether payments are simulated (sandbox), and the key that signs the payload JWS.
import { z } from 'zod';
import { readRsaPrivateKey, RsaPrivateKeyError } from '../platform/rsa-private-key.ts';
import type { ConfigIssue } from './config-error.ts';
import { boolean, duration, nonEmpty } from './env-values.ts';

const DAY_MS = 24 * 3_600_000;

/** host[:port], no scheme and no path: the form the API's `location` starts with. */
const hostAndPort = z
  .string()
  .trim()
  .refine(
    (raw) => /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(raw) && URL.canParse(`https://${raw}`),
    {
      message: 'must be a host name with an optional port, without scheme or path (e.g. pix.example.com)',
    },
  );

export const paymentVariables = {
  PIX_PAYLOAD_HOST: hostAndPort.optional(),
  PIX_MERCHANT_NAME: nonEmpty.default('Node Backend Template'),
  PIX_MERCHANT_CITY: nonEmpty.default('Brasilia'),
  PIX_SANDBOX: boolean.optional(),
  PIX_SANDBOX_ISPB: z
    .string()
    .trim()
    .regex(/^\d{8}$/, { message: 'must be 8 digits (an ISPB)' })
    .default('99999999'),
  PIX_PAYLOAD_SIGNING_KEY: nonEmpty.optional(),
  PIX_IDEMPOTENCY_KEY_TTL: duration({ min: DAY_MS }).default(DAY_MS),
  PIX_WEBHOOK_ALLOW_INSECURE: boolean.optional(),
};

interface PaymentVariables {
  HOST: string;
  PORT: number;
  PIX_PAYLOAD_HOST?: string | undefined;
  PIX_MERCHANT_NAME: string;
  PIX_MERCHANT_CITY: string;
  PIX_SANDBOX?: boolean | undefined;
  PIX_SANDBOX_ISPB: string;
  PIX_PAYLOAD_SIGNING_KEY?: string | undefined;
  PIX_IDEMPOTENCY_KEY_TTL: number;
  PIX_WEBHOOK_ALLOW_INSECURE?: boolean | undefined;
}

export interface PaymentConfig {
  /** host[:port] of the payload locations (`<payloadHost>/qr/v2/<id>`) and of the published JWKS. */
  payloadHost: string;
  /**
   * How payers reach payloadHost: always https, as the Pix security rules demand, except a sandbox
   * on a loopback host, where a local payer fetches over plain http.
   */
  payloadScheme: 'https' | 'http';
  /** As given; the BR Code folds them to ASCII and cuts them to 25 and 15 characters. */
  merchantName: string;
  merchantCity: string;
  /** Payments are simulated (no SPI): on by default in embedded mode, off with a real database. */
  sandbox: boolean;
  /** The ISPB that sandbox EndToEndIds carry. */
  sandboxIspb: string;
  /** RSA PEM (>= 2048 bits); required with a real database, generated under DATA_DIR in embedded mode. */
  payloadSigningKey: string | undefined;
  /** How long an idempotency key and its answer are kept (at least 24 hours). */
  idempotencyKeyTtlMs: number;
  /**
   * Webhooks may target loopback addresses, over http too (local development and tests): on by
   * default in embedded mode, off with a real database. Private and other non-public addresses
   * are refused either way.
   */
  webhookAllowInsecure: boolean;
}

/** Adds an issue for every bad or missing value; undefined when there was one. */
export function paymentConfigFrom(
  e: PaymentVariables,
  realDatabase: boolean,
  issues: ConfigIssue[],
): PaymentConfig | undefined {
  const before = issues.length;
  const key = e.PIX_PAYLOAD_SIGNING_KEY;
  if (key === undefined && realDatabase) {
    issues.push({
      variable: 'PIX_PAYLOAD_SIGNING_KEY',
      message:
        'is required with a real database (an RSA private key of at least 2048 bits in PEM; e.g. openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048)',
    });
  }
  if (key !== undefined) {
    try {
      readRsaPrivateKey(key);
    } catch (error) {
      if (!(error instanceof RsaPrivateKeyError)) throw error;
      issues.push({ variable: 'PIX_PAYLOAD_SIGNING_KEY', message: error.message });
    }
  }
  if (issues.length > before) return undefined;

  const payloadHost = e.PIX_PAYLOAD_HOST ?? ownHost(e.HOST, e.PORT);
  const sandbox = e.PIX_SANDBOX ?? !realDatabase;
  return {
    payloadHost,
    payloadScheme: sandbox && isLoopback(payloadHost) ? 'http' : 'https',
    merchantName: e.PIX_MERCHANT_NAME,
    merchantCity: e.PIX_MERCHANT_CITY,
    sandbox,
    sandboxIspb: e.PIX_SANDBOX_ISPB,
    payloadSigningKey: key,
    idempotencyKeyTtlMs: e.PIX_IDEMPOTENCY_KEY_TTL,
    webhookAllowInsecure: e.PIX_WEBHOOK_ALLOW_INSECURE ?? !realDatabase,
  };
}

/** The service's own address; a wildcard listen address is reached as localhost. */
function ownHost(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `${name.includes(':') ? `[${name}]` : name}:${port}`;
}

function isLoopback(hostAndPortText: string): boolean {
  const hostname = new URL(`https://${hostAndPortText}`).hostname;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

// Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver recomputes
// HMAC-SHA256 over `id.timestamp.body` with the shared secret and compares it with the
// `webhook-signature` header, which also proves the timestamp (against replays) and the id.
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** Whether `secret` is a Standard Webhooks secret: `whsec_` and base64 of at least 24 bytes. */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const encoded = secret.slice(SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && Buffer.from(encoded, 'base64').length >= 24;
}

/** A fresh secret: `whsec_` and base64 of 32 random bytes. */
export function webhookSecretFrom(randomBytes: Buffer): string {
  return `${SECRET_PREFIX}${randomBytes.toString('base64')}`;
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function signWebhook(secret: string, id: string, sentAt: Date, body: string): SignedHeaders {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

// The payload signing key and webhook secret every test service gets: both are required with a real
// database, so suites that start the service on PostgreSQL pass these (made once per process).
import { generateRsaPrivateKeyPem } from '../../src/platform/rsa-private-key.ts';

export const TEST_PAYLOAD_SIGNING_KEY = generateRsaPrivateKeyPem();

/** A Standard Webhooks secret (whsec_ + base64 of 32 bytes), required with a real database too. */
export const TEST_WEBHOOK_SIGNING_SECRET = `whsec_${Buffer.from('test-webhook-secret-32-bytes-ok!').toString('base64')}`;

export const TEST_PAYMENT_ENV: Readonly<Record<string, string>> = {
  PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY,
  PIX_WEBHOOK_SIGNING_SECRET: TEST_WEBHOOK_SIGNING_SECRET,
};

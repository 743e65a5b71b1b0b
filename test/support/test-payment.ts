// The payload signing key every test service gets: PIX_PAYLOAD_SIGNING_KEY is required with a real
// database, so suites that start the service on PostgreSQL pass this one (made once per process).
import { generateRsaPrivateKeyPem } from '../../src/platform/rsa-private-key.ts';

export const TEST_PAYLOAD_SIGNING_KEY = generateRsaPrivateKeyPem();

export const TEST_PAYMENT_ENV: Readonly<Record<string, string>> = {
  PIX_PAYLOAD_SIGNING_KEY: TEST_PAYLOAD_SIGNING_KEY,
};
